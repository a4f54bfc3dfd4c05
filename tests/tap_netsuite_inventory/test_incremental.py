"""Incremental runs: only what changed, in a non-UTC account, across midnight, without repeats."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sync_model.values import format_utc, parse_utc

INCREMENTAL = ("items", "inventory_levels", "orders")


def test_second_run_emits_only_what_changed(sandbox, config, run_tap, admin):
    first = run_tap(config)
    open_order = next(o for o in first.records["orders"] if o["status"] == "open")
    order_skus = {line["sku"] for line in open_order["lines"]}
    assert len(first.records["items"]) == len(sandbox.catalogue.items)

    admin.edit_item("SKU-000001", displayname="Renamed Apron")
    admin.edit_item("P000004-XS-1", prices={"Online Price": "19.99"})
    admin.edit_item("P000005", displayname="Renamed Product")
    admin.set_stock("SKU-000003", 2, 77)
    admin.order_action(open_order["source_id"], "fulfil")
    admin.advance(2)
    second = run_tap(config, state=first.state)

    # A matrix parent's new name reaches its variants, which name it as their product.
    assert sorted(second.keys("items", "sku")) == [
        "P000004-XS-1",
        "P000005-L-2",
        "P000005-S-1",
        "SKU-000001",
    ]
    repriced, variant, _, renamed = sorted(second.records["items"], key=lambda r: r["sku"])
    assert variant["product_name"] == "Renamed Product"
    assert renamed["name"] == "Renamed Apron"
    assert str(repriced["price"]) == "19.99"
    # Each edited field's clock moved to the edit; the variant's name keeps the time of its
    # last system note, from before the run.
    assert renamed["field_updated_at"]["name"] == renamed["updated_at"]
    assert repriced["field_updated_at"]["price"] == repriced["updated_at"]
    before = next(r for r in first.records["items"] if r["sku"] == "P000004-XS-1")
    assert repriced["field_updated_at"]["name"] == before["field_updated_at"]["name"]
    assert repriced["field_updated_at"]["name"] < repriced["updated_at"]

    changed_stock = {"SKU-000003"} | order_skus
    assert set(second.keys("inventory_levels", "sku", "location")) == {
        (sku, str(location)) for sku in changed_stock for location in (1, 2, 3)
    }
    level = next(
        record
        for record in second.records["inventory_levels"]
        if (record["sku"], record["location"]) == ("SKU-000003", "2")
    )
    assert level["on_hand"] == 77
    assert level["available"] == 77 - level["committed"]

    assert second.keys("orders", "order_ref") == [open_order["order_ref"]]
    assert second.records["orders"][0]["status"] == "fulfilled"

    # A third run re-reads the overlap window, recognises what the second emitted, and
    # emits nothing again.
    third = run_tap(config, state=second.state)
    for stream in INCREMENTAL:
        assert third.records.get(stream, []) == [], stream
    assert "already emitted by the last run" in third.log


def test_run_with_nothing_changed_sends_one_request_per_stream(config, run_tap, admin):
    first = run_tap(config)
    admin.reset_calls()

    second = run_tap(config, state=first.state)

    for stream in INCREMENTAL:
        assert stream not in second.records
    assert len(second.records["locations"]) == 3
    assert len(second.records["price_levels"]) == 4
    assert admin.calls()["endpoints"] == {"POST /services/rest/query/v1/suiteql": 5}
    for stream in INCREMENTAL:
        assert (
            second.state["bookmarks"][stream]["replication_key_value"]
            == first.state["bookmarks"][stream]["replication_key_value"]
        )


def test_edit_one_second_after_the_bookmark_is_emitted_in_a_non_utc_account(config, run_tap, admin):
    before = parse_utc(admin.now()).replace(microsecond=0)
    admin.edit_item("SKU-000012", displayname="Edited at the boundary")
    after = parse_utc(admin.now()).replace(microsecond=0)

    probe = run_tap(config, streams=("items",))
    edited = next(r for r in probe.records["items"] if r["sku"] == "SKU-000012")
    edited_at = parse_utc(edited["updated_at"])
    # The tap's UTC time is the sandbox clock's, though NetSuite showed it in Pacific time.
    assert before <= edited_at <= after

    exact = {**config, "cursor_overlap_seconds": 0}
    one_second_before = {
        "bookmarks": {
            "items": {
                "replication_key": "updated_at",
                "replication_key_value": format_utc(edited_at - timedelta(seconds=1)),
            }
        }
    }
    emitted = run_tap(exact, state=one_second_before, streams=("items",))
    assert emitted.keys("items", "sku") == ["SKU-000012"]

    at_the_edit = {
        "bookmarks": {
            "items": {
                "replication_key": "updated_at",
                "replication_key_value": edited["updated_at"],
            }
        }
    }
    assert run_tap(exact, state=at_the_edit, streams=("items",)).records == {}


def test_changes_either_side_of_local_midnight_are_each_emitted_once(config, run_tap, admin):
    zone = ZoneInfo(config["account_time_zone"])
    now = parse_utc(admin.now())
    local_midnight = (now.astimezone(zone) + timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    admin.advance((local_midnight - now).total_seconds() - 3)

    admin.edit_item("SKU-000002", displayname="Late evening edit")
    admin.advance(1)
    first = run_tap(config, streams=("items",))
    assert "SKU-000002" in first.keys("items", "sku")
    admin.advance(3)
    admin.edit_item("SKU-000007", displayname="Just after midnight")

    second = run_tap(config, state=first.state, streams=("items",))

    assert second.keys("items", "sku") == ["SKU-000007"]
    edited = parse_utc(second.records["items"][0]["updated_at"]).astimezone(zone)
    assert (edited.hour, edited.minute) == (0, 0)
    assert edited.date() == local_midnight.date()
