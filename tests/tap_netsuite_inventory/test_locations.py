"""Location mapping: mapped locations are emitted under the store's name, unmapped ones reported."""

from __future__ import annotations


def test_mapped_locations_are_added_up_and_unmapped_ones_reported(config, run_tap, admin):
    mapped = {**config, "location_mapping": {"1": "main", "2": "main"}}

    run = run_tap(mapped, streams=("inventory_levels", "locations"))

    stock = {record["sku"]: record for record in run.records["inventory_levels"]}
    assert {record["location"] for record in run.records["inventory_levels"]} == {"main"}
    assert len(stock) == len(run.records["inventory_levels"])
    level = stock["SKU-000001"]
    rows = {row["location"]: row for row in admin.item("SKU-000001")["stock"]}
    assert level["on_hand"] == rows[1]["quantityonhand"] + rows[2]["quantityonhand"]
    assert level["available"] == rows[1]["quantityavailable"] + rows[2]["quantityavailable"]
    assert level["location_name"] == "Main Warehouse + East Coast DC"
    assert "NetSuite location 3 (Flagship Store) is not in location_mapping" in run.log
    assert f"of {len(stock)} item(s) was not emitted" in run.log
    assert [r["store_location"] for r in run.records["locations"]] == ["main", "main", None]
