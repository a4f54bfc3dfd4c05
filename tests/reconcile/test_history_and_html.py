"""Several days of reports with a controlled clock, and the HTML page in a headless browser."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reconcile.history import History

from .conftest import LOCATIONS, admin, align, load, netsuite_output, records, shopify_output

DAY1 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)


def _day(sandbox, target_config, day: datetime) -> None:
    load(netsuite_output(sandbox), target_config, day)
    load(shopify_output(sandbox), target_config, day)


def test_three_days_keep_history_and_day_over_day_change(
    sandbox, target_config, run_report, tmp_path: Path
):
    netsuite, shopify = netsuite_output(sandbox), shopify_output(sandbox)
    align(sandbox, netsuite, shopify)
    sku = next(r["sku"] for r in records(shopify, "items") if r["active"])
    level = next(
        r
        for r in records(shopify, "inventory_levels")
        if r["sku"] == sku and r["location"] == LOCATIONS["1"]
    )
    page = tmp_path / "report.html"

    _day(sandbox, target_config, DAY1)
    first = run_report("--format", "json", day=DAY1)
    admin(
        sandbox.shopify_url,
        "PUT",
        "/inventory",
        {"sku": sku, "location": "main", "available": level["available"] + 3},
    )
    _day(sandbox, target_config, DAY1 + timedelta(days=1))
    second = run_report("--format", "json", day=DAY1 + timedelta(days=1))
    admin(
        sandbox.shopify_url,
        "PUT",
        "/inventory",
        {"sku": sku, "location": "main", "available": level["available"] + 10},
    )
    _day(sandbox, target_config, DAY1 + timedelta(days=2))
    third = run_report("--format", "html", "--output", str(page), day=DAY1 + timedelta(days=2))

    assert (first.exit_code, second.exit_code, third.exit_code) == (0, 1, 1)
    on_hand = {n["name"]: n for n in json.loads(second.stdout)["numbers"]}["on_hand"]
    assert (on_hand["difference"], on_hand["previous_difference"], on_hand["change"]) == (
        "3",
        "0",
        "3",
    )
    runs = History(target_config["database_url"]).report_runs("shopify")
    assert [run.run_at.date().isoformat() for run in runs] == [
        "2026-11-02",
        "2026-11-03",
        "2026-11-04",
    ]
    differences = [
        int(run.numbers["numbers"]["on_hand"]["store"])
        - int(run.numbers["numbers"]["on_hand"]["netsuite"])
        for run in runs
    ]
    assert differences == [0, 3, 10]

    # The page as a browser receives it: static HTML with inline SVG, no script to run.
    html = page.read_text(encoding="utf-8")
    assert 'id="verdict">Drift past tolerance<' in html
    chart = re.search(r'<svg[^>]*data-number="on_hand".*?</svg>', html, re.S)
    assert chart, "the on-hand chart is on the page"
    points = re.findall(r'data-day="([\d-]+)" data-difference="(-?\d+)"', chart.group(0))
    assert points == [("2026-11-02", "0"), ("2026-11-03", "3"), ("2026-11-04", "10")]
    assert f"<td>{sku}</td>" in html
    assert "<script" not in html
