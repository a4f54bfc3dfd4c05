"""target-reconcile with bad input and incremental runs; report settings and the webhook."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from singer_sdk.exceptions import ConfigValidationError
from sqlalchemy import text

from reconcile.history import History
from reconcile.target import TargetReconcile
from sync_model.streams import SHARED_STREAMS

from .conftest import load

DAY = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
STAMP = "2026-11-01T10:00:00Z"


def _lines(source: str, items=(), levels=()) -> str:
    lines = []
    for stream, (schema, keys) in SHARED_STREAMS.items():
        lines.append({"type": "SCHEMA", "stream": stream, "schema": schema, "key_properties": keys})
    for sku, active in items:
        record = {
            "sku": sku,
            "active": active,
            "source": source,
            "source_id": sku,
            "updated_at": STAMP,
            "price": 5,
        }
        lines.append({"type": "RECORD", "stream": "items", "record": record})
    for sku, on_hand, updated_at in levels:
        record = {
            "sku": sku,
            "location": "main",
            "on_hand": on_hand,
            "source": source,
            "updated_at": updated_at,
        }
        lines.append({"type": "RECORD", "stream": "inventory_levels", "record": record})
    lines.append({"type": "STATE", "value": {"bookmarks": {"items": {"v": source}}}})
    return "\n".join(json.dumps(line) for line in lines) + "\n"


def test_bad_records_are_named_and_the_rest_is_kept(target_config, caplog):
    output = _lines(
        "netsuite",
        items=[("A", True), ("B", "yes")],
        levels=[("A", 4, STAMP), ("B", -2, STAMP), ("C", 1, "yesterday")],
    )
    written = load(output, target_config, DAY)

    assert "Skipped items B: breaks the stream's schema" in caplog.text
    assert "Skipped inventory_levels B/main: on_hand is negative (-2)" in caplog.text
    assert "Skipped inventory_levels C/main: updated_at is not an ISO 8601 time" in caplog.text
    history = History(target_config["database_url"])
    snapshot = history.latest_snapshots("netsuite")[0]
    rows = history.all(
        text(f"SELECT sku, on_hand FROM snapshot_level WHERE snapshot_id={snapshot.id}")
    )
    assert [tuple(row) for row in rows] == [("A", 4)]
    assert json.loads(written.splitlines()[-1]) == {"bookmarks": {"items": {"v": "netsuite"}}}


def test_an_incremental_run_carries_over_what_it_did_not_send(target_config):
    load(_lines("shopify", [("A", True), ("B", True)], [("A", 1, STAMP)]), target_config, DAY)
    load(_lines("shopify", [("B", False)]), target_config, DAY + timedelta(days=1))

    history = History(target_config["database_url"])
    latest, previous = history.latest_snapshots("shopify", count=2)
    items = history.all(
        text(f"SELECT sku, active FROM snapshot_item WHERE snapshot_id={latest.id} ORDER BY sku")
    )
    assert [tuple(row) for row in items] == [("A", True), ("B", False)]
    levels = history.all(
        text(f"SELECT sku, on_hand FROM snapshot_level WHERE snapshot_id={latest.id}")
    )
    assert [tuple(row) for row in levels] == [("A", 1)]
    assert latest.taken_at - previous.taken_at == timedelta(days=1)


def test_a_wrong_tolerance_stops_the_report_with_its_name(target_config, run_report):
    load(_lines("netsuite", [("A", True)]), target_config, DAY)
    load(_lines("shopify", [("A", True)]), target_config, DAY)

    result = run_report(RECONCILE_ON_HAND_TOLERANCE="a lot", day=DAY)

    assert result.exit_code == 2
    assert "on_hand_tolerance: a tolerance is a non-negative amount" in result.stderr


def test_no_snapshot_yet_is_explained(target_config, run_report):
    load(_lines("shopify", [("A", True)]), target_config, DAY)

    result = run_report(day=DAY)

    assert result.exit_code == 2
    assert "no complete snapshot of netsuite yet" in result.stderr


def test_drift_posts_the_report_to_the_webhook(target_config, run_report):
    received: list[dict] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        load(_lines("netsuite", [("A", True), ("B", True)]), target_config, DAY)
        load(_lines("shopify", [("A", True)]), target_config, DAY)
        url = f"http://127.0.0.1:{server.server_port}/hooks/T0KEN-SECRET"
        result = run_report("--format", "markdown", day=DAY, RECONCILE_WEBHOOK_URL=url)
    finally:
        server.shutdown()

    assert result.exit_code == 1
    assert "| Active items | 2 | 1 | -1 | -50.00% | - | 0 | EXCEEDED |" in result.stdout
    assert len(received) == 1
    assert received[0]["exceeded"] is True
    assert {d["kind"]: d["rows"] for d in received[0]["drilldowns"]}["only_in_netsuite"] == [["B"]]
    assert "T0KEN-SECRET" not in result.output


def test_replace_mode_drops_what_a_full_run_no_longer_sends_and_old_snapshots_go(target_config):
    config = {**target_config, "snapshot_mode": "replace", "keep_snapshots": 2}
    for day, skus in enumerate((["A", "B", "C"], ["A", "B"], ["A"])):
        items = [(sku, True) for sku in skus]
        load(_lines("shopify", items), config, DAY + timedelta(days=day))

    history = History(config["database_url"])
    kept = history.latest_snapshots("shopify", count=10)
    assert len(kept) == 2
    rows = history.all(text(f"SELECT sku FROM snapshot_item WHERE snapshot_id={kept[0].id}"))
    assert [row[0] for row in rows] == ["A"]
    older = history.all(text(f"SELECT count(*) FROM snapshot_item WHERE snapshot_id<{kept[1].id}"))
    assert older[0][0] == 0


def test_keep_snapshots_below_two_is_refused_at_start_up(target_config):
    with pytest.raises(ConfigValidationError, match="keep_snapshots must be at least 2"):
        TargetReconcile(config={**target_config, "keep_snapshots": 1}, parse_env_config=False)
