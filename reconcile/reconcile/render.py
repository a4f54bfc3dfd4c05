"""The report's four faces: a terminal table, JSON, Markdown, and an HTML page with a chart."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from reconcile.compare import LABELS, NUMBERS, Reconciliation

STORE_NAMES = {"shopify": "Shopify", "woocommerce": "WooCommerce"}


def _store(report: Reconciliation) -> str:
    return STORE_NAMES.get(report.store, report.store)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    return str(value)


def _relative(value: Any) -> str:
    if value is None:
        return "-"
    return f"{float(value) * 100:+.2f}%"


def _change(value: Any) -> str:
    if value is None:
        return "-"
    text = str(value)
    return text if text.startswith("-") or not text.strip("0.") else f"+{text}"


def number_rows(report: Reconciliation) -> list[list[str]]:
    """One row per number: label, both sides, difference, relative, change, tolerance, status."""
    return [
        [
            number.label,
            _fmt(number.text(number.netsuite)),
            _fmt(number.text(number.store)),
            _change(number.text(number.difference)),
            _relative(number.relative),
            _change(number.text(number.change)),
            number.tolerance,
            "EXCEEDED" if number.exceeded else "ok",
        ]
        for number in report.numbers
    ]


NUMBER_HEADER = ["number", "NetSuite", "store", "difference", "relative", "change", "tolerance", ""]


def _edit_rows(report: Reconciliation) -> list[list[str]]:
    rows = []
    for edits in report.field_edits:
        if not edits.between:
            continue
        for name in edits.fields:
            owner = report.owners.get(name, "-")
            system = "netsuite" if edits.system == "netsuite" else "storefront"
            note = ""
            if edits.totals.get(name) and owner not in ("-", system):
                note = "edited where it is not owned: a candidate for two-way"
            rows.append(
                [
                    edits.system,
                    name,
                    str(edits.fields[name]),
                    str(edits.totals.get(name, 0)),
                    owner,
                    note,
                ]
            )
    return rows


EDIT_HEADER = ["system", "field", "SKUs changed (last)", "SKUs changed (all runs)", "owner", ""]


def _grid(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=False))]
    lines.append("  ".join("-" * width for width in widths))
    lines += [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=False))
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines)


def render_table(report: Reconciliation) -> str:
    """The report as plain text for a terminal or a job log."""
    parts = [
        f"Reconciliation of NetSuite (snapshot {report.netsuite_snapshot.id}, "
        f"{report.netsuite_snapshot.taken_at:%Y-%m-%d %H:%M}Z) with {_store(report)} "
        f"(snapshot {report.store_snapshot.id}, {report.store_snapshot.taken_at:%Y-%m-%d %H:%M}Z)",
        "",
        _grid(NUMBER_HEADER, number_rows(report)),
    ]
    for drill in report.drilldowns:
        parts += ["", f"{drill.title}: {drill.count}"]
        if drill.rows:
            rows = [[_fmt(value) for value in row] for row in drill.rows]
            parts.append(_grid(list(drill.columns), rows))
            if drill.count > len(drill.rows):
                parts.append(f"... and {drill.count - len(drill.rows)} more")
    edits = _edit_rows(report)
    parts += ["", "Fields users edit (changes between consecutive snapshots, syncs excluded)"]
    parts.append(_grid(EDIT_HEADER, edits) if edits else "(needs two snapshots of a system)")
    verdict = "DRIFT PAST TOLERANCE" if report.exceeded else "within tolerance"
    parts += ["", f"Result: {verdict}"]
    return "\n".join(parts) + "\n"


def render_json(report: Reconciliation) -> str:
    """The report as JSON; money and quantities are exact strings."""
    return json.dumps(report.as_dict(), indent=2, default=str) + "\n"


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(report: Reconciliation) -> str:
    """The report as Markdown, for a pull request, a wiki or a chat message."""
    verdict = "**drift past tolerance**" if report.exceeded else "within tolerance"
    parts = [
        f"# Reconciliation: NetSuite and {_store(report)}",
        "",
        f"Run {report.run_at:%Y-%m-%d %H:%M}Z over NetSuite snapshot "
        f"{report.netsuite_snapshot.id} and {_store(report)} snapshot {report.store_snapshot.id}: "
        f"{verdict}.",
        "",
        _md_table([*NUMBER_HEADER[:-1], "status"], number_rows(report)),
    ]
    for drill in report.drilldowns:
        parts += ["", f"## {drill.title}: {drill.count}"]
        if drill.rows:
            parts += [
                "",
                _md_table(list(drill.columns), [[_fmt(v) for v in r] for r in drill.rows]),
            ]
            if drill.count > len(drill.rows):
                parts.append(f"\n... and {drill.count - len(drill.rows)} more")
    edits = _edit_rows(report)
    parts += ["", "## Fields users edit", ""]
    parts.append(_md_table([*EDIT_HEADER[:-1], "note"], edits) if edits else "Needs two snapshots.")
    return "\n".join(parts) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.exceeded td{background:#fde2e1}
.verdict{font-size:1.2em;font-weight:bold}
.verdict.bad{color:#b00020}.verdict.good{color:#1b5e20}
figure{display:inline-block;margin:0 1em 1em 0}
"""


def _series(report: Reconciliation) -> dict[str, list[tuple[str, float]]]:
    """Per number key, the difference (store minus NetSuite) at each report run."""
    series: dict[str, list[tuple[str, float]]] = {}
    for point in report.history:
        for key, figures in point["numbers"].items():
            difference = float(figures["store"]) - float(figures["netsuite"])
            series.setdefault(key, []).append((point["run_at"][:10], difference))
    return series


def chart_svg(key: str, title: str, points: list[tuple[str, float]]) -> str:
    """A small line chart of one difference over time, as inline SVG (no script, no CDN)."""
    width, height, left, right, top, bottom = 420, 200, 56, 12, 28, 36
    values = [value for _, value in points] or [0.0]
    low, high = min([*values, 0.0]), max([*values, 0.0])
    if high == low:
        high, low = high + 1, low - 1
    inner_w, inner_h = width - left - right, height - top - bottom

    def x(index: int) -> float:
        return left + (inner_w * index / (len(points) - 1) if len(points) > 1 else inner_w / 2)

    def y(value: float) -> float:
        return top + inner_h * (high - value) / (high - low)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" data-number="{escape(key)}">',
        f'<text x="{left}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" '
        'stroke="#999" stroke-dasharray="4 3"/>',
        f'<text x="{left - 6}" y="{y(high) + 4:.1f}" font-size="10" text-anchor="end">'
        f"{high:g}</text>",
        f'<text x="{left - 6}" y="{y(low) + 4:.1f}" font-size="10" text-anchor="end">'
        f"{low:g}</text>",
    ]
    if points:
        path = " ".join(f"{x(i):.1f},{y(value):.1f}" for i, (_, value) in enumerate(points))
        parts.append(f'<polyline fill="none" stroke="#1565c0" stroke-width="2" points="{path}"/>')
        for index, (day, value) in enumerate(points):
            parts.append(
                f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="3" fill="#1565c0" '
                f'data-day="{day}" data-difference="{value:g}"><title>{day}: {value:g}</title>'
                "</circle>"
            )
        for index, anchor in sorted({0: "start", len(points) - 1: "end"}.items()):
            parts.append(
                f'<text x="{x(index):.1f}" y="{height - 12}" font-size="10" '
                f'text-anchor="{anchor if len(points) > 1 else "middle"}">{points[index][0]}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _html_table(header: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    head = "".join(f"<th>{escape(cell)}</th>" for cell in header)
    body = []
    for index, row in enumerate(rows):
        css = f' class="{classes[index]}"' if classes and classes[index] else ""
        cells = "".join(f"<td>{escape(str(cell))}</td>" for cell in row)
        body.append(f"<tr{css}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_html(report: Reconciliation) -> str:
    """A self-contained page: verdict, numbers, the differences over time, and drill-downs."""
    verdict = "Drift past tolerance" if report.exceeded else "Within tolerance"
    series = _series(report)
    charts = []
    for key in sorted(series, key=lambda k: (NUMBERS.index(k.split(":")[0]), k)):
        name, _, currency = key.partition(":")
        title = LABELS[name] + (f" ({currency})" if currency else "") + ": store minus NetSuite"
        charts.append(f"<figure>{chart_svg(key, title, series[key])}</figure>")
    numbers = _html_table(
        [*NUMBER_HEADER[:-1], "status"],
        number_rows(report),
        ["exceeded" if number.exceeded else "" for number in report.numbers],
    )
    drills = []
    for drill in report.drilldowns:
        section = [
            f'<section data-kind="{drill.kind}"><h3>{escape(drill.title)}: {drill.count}</h3>'
        ]
        if drill.rows:
            section.append(
                _html_table(list(drill.columns), [[_fmt(v) for v in row] for row in drill.rows])
            )
            if drill.count > len(drill.rows):
                section.append(f"<p>... and {drill.count - len(drill.rows)} more</p>")
        section.append("</section>")
        drills.append("".join(section))
    edits = _edit_rows(report)
    edits_html = (
        _html_table([*EDIT_HEADER[:-1], "note"], edits) if edits else "<p>Needs two snapshots.</p>"
    )
    title = f"Reconciliation: NetSuite and {_store(report)}"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f'<p class="verdict {"bad" if report.exceeded else "good"}" id="verdict">{verdict}</p>'
        f"<p>Run {report.run_at:%Y-%m-%d %H:%M}Z; NetSuite snapshot {report.netsuite_snapshot.id} "
        f"({report.netsuite_snapshot.taken_at:%Y-%m-%d}), {escape(_store(report))} snapshot "
        f"{report.store_snapshot.id} ({report.store_snapshot.taken_at:%Y-%m-%d}).</p>"
        f'<h2>The three numbers</h2><div id="numbers">{numbers}</div>'
        f'<h2>Differences over time</h2><div id="charts">{"".join(charts)}</div>'
        f'<h2>Behind the numbers</h2><div id="drilldowns">{"".join(drills)}</div>'
        f'<h2>Fields users edit</h2><div id="field-edits">{edits_html}</div>'
        "</body></html>\n"
    )


RENDERERS = {
    "table": render_table,
    "json": render_json,
    "markdown": render_markdown,
    "html": render_html,
}
