"""A key read twice in one run (rows shifted between offset pages) is emitted once."""

from __future__ import annotations

from tap_netsuite_inventory.tap import TapNetSuiteInventory


def test_a_row_read_twice_in_a_run_is_emitted_once(config, caplog):
    tap = TapNetSuiteInventory(config=config)
    stream = tap.streams["locations"]
    rows = [
        {"id": "1", "name": "Main Warehouse", "isinactive": "F"},
        {"id": "2", "name": "East Coast DC", "isinactive": "F"},
        # A location deleted between two pages moves this row back onto the next page.
        {"id": "2", "name": "East Coast DC", "isinactive": "F"},
        {"id": "3", "name": "Flagship Store", "isinactive": "T"},
    ]
    stream.request_records = lambda context: iter(rows)

    with caplog.at_level("INFO"):
        records = list(stream.get_records(None))

    assert [(r["id"], r["active"]) for r in records] == [("1", True), ("2", True), ("3", False)]
    assert "dropped 1 row(s) read twice in this run" in caplog.text
