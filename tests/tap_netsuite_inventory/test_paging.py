"""A catalogue past the (lowered) SuiteQL offset cap is emitted whole, by key past the cap."""

from __future__ import annotations

import pytest

from sandbox.settings import NetSuiteSettings, SandboxSettings
from sandbox.shopify.store import order_ids
from tap_netsuite_inventory.tap import TapNetSuiteInventory


@pytest.fixture
def sandbox_settings() -> SandboxSettings:
    """300 SKUs, 900 stock rows, and offset paging that stops at 50 rows."""
    return SandboxSettings(
        skus=300,
        seed=3,
        locations=3,
        orders_per_store=40,
        netsuite=NetSuiteSettings(time_zone="Asia/Kolkata", offset_cap=50),
    )


def test_catalogue_past_the_offset_cap_is_emitted_whole(sandbox, config, run_tap, admin):
    run = run_tap({**config, "page_size": 20})

    catalogue = sandbox.catalogue
    skus = [item.sku for item in catalogue.items]
    assert sorted(run.keys("items", "sku")) == sorted(skus)
    levels = run.keys("inventory_levels", "sku", "location")
    assert sorted(levels) == sorted(
        (sku, str(location.netsuite_id)) for sku in skus for location in catalogue.locations
    )
    # A store order's reference is the store's order id: WooCommerce's is its number,
    # Shopify's an id of its own.
    shopify_ids = order_ids(catalogue.orders_for("shopify"))
    store_id = {"woocommerce": lambda number: number, "shopify": shopify_ids.__getitem__}
    imported = {
        f"{order.platform}:{store_id[order.platform](order.number)}": order
        for order in catalogue.orders
        if order.imported_to_netsuite
    }
    assert sorted(run.keys("orders", "order_ref")) == sorted(imported)
    for record in run.records["orders"]:
        order = imported[record["order_ref"]]
        assert [(line["sku"], line["quantity"]) for line in record["lines"]] == [
            (line.sku, line.quantity) for line in order.lines
        ]
        assert record["total"] == order.total

    # Every page stayed within the cap: no request was refused, none repeated.
    assert "rejected" not in run.log
    item_pages = -(-len(skus) // 20)
    stock_pages = -(-len(levels) // 20)
    calls = admin.calls()["endpoints"]["POST /services/rest/query/v1/suiteql"]
    assert (
        calls
        == item_pages * 2
        + stock_pages
        + -(-sum(max(len(order.lines), 1) for order in imported.values()) // 20)
        + 2
    )


def test_a_record_deleted_between_two_pages_costs_no_other_record(sandbox, config, admin):
    tap = TapNetSuiteInventory(config={**config, "page_size": 20})
    stream = tap.streams["items"]
    read_pages = stream.parse_response
    deleted: list[str] = []

    def parse_then_delete(response):
        rows = list(read_pages(response))
        if not deleted:
            # A clerk deletes an item of the page just read, before the next page is asked for.
            deleted.append(next(r["itemid"] for r in rows if admin.delete_item(r["itemid"])))
        return rows

    stream.parse_response = parse_then_delete
    skus = [record["sku"] for record in stream.get_records(None)]

    assert len(deleted) == 1
    assert sorted(skus) == sorted(item.sku for item in sandbox.catalogue.items)
    assert stream.paginator.restarts == 1
    assert stream.duplicates_dropped == 0
