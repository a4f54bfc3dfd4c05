"""Store orders into NetSuite through tap-storefront and the target, read back from NetSuite."""

from __future__ import annotations

import json
from decimal import Decimal

from tests.target_netsuite.conftest import (
    NetSuite,
    Pipeline,
    place_order,
    sellable_skus,
    store_admin,
)


def _open_store_orders(pipeline: Pipeline) -> list[dict]:
    lines = pipeline.tap_lines({})
    return [
        message["record"]
        for message in map(json.loads, lines.splitlines())
        if message.get("type") == "RECORD"
        and message["stream"] == "orders"
        and message["record"]["status"] == "open"
    ]


def test_every_open_store_order_lands_once_with_its_lines_and_commits_stock(
    pipeline: Pipeline, netsuite: NetSuite
):
    skus = sellable_skus(pipeline.sandbox, netsuite, pipeline.platform, 2)
    committed_before = {sku: netsuite.committed(sku) for sku in skus}
    new_ref = place_order(
        pipeline.sandbox,
        pipeline.platform,
        [{"sku": skus[0], "quantity": 2}, {"sku": skus[1], "quantity": 1}],
    )

    run = pipeline.run()

    open_orders = _open_store_orders(pipeline)
    assert new_ref in {order["order_ref"] for order in open_orders}
    for order in open_orders:
        found = netsuite.sales_orders(order["order_ref"])
        assert len(found) == 1, order["order_ref"]
        lines = netsuite.lines(found[0]["id"])
        expected = [
            (
                line["sku"],
                Decimal(line["quantity"]),
                Decimal(str(line["unit_price"])),
                Decimal(str(line["line_total"])),
                "1",
                "F",
            )
            for line in order["lines"]
        ]
        if found[0]["status"] in ("A", "B"):
            assert sorted(lines) == sorted(expected), order["order_ref"]
            assert Decimal(found[0]["foreigntotal"]) == Decimal(str(order["total"]))
    new_order = netsuite.sales_orders(new_ref)[0]
    assert new_order["status"] == "B"
    assert netsuite.committed(skus[0]) == committed_before[skus[0]] + 2
    assert netsuite.committed(skus[1]) == committed_before[skus[1]] + 1
    assert "created" in run.log


def test_importing_twice_changes_nothing(pipeline: Pipeline, netsuite: NetSuite):
    skus = sellable_skus(pipeline.sandbox, netsuite, pipeline.platform, 1)
    ref = place_order(pipeline.sandbox, pipeline.platform, [{"sku": skus[0], "quantity": 1}])
    pipeline.run()
    before = netsuite.rows(
        "SELECT id, externalid, lastmodifieddate, foreigntotal, status FROM transaction "
        "WHERE type = 'SalesOrd' ORDER BY id"
    )
    committed = netsuite.committed(skus[0])
    netsuite.admin("DELETE", "/calls")

    pipeline.state = {}
    second = pipeline.run()

    after = netsuite.rows(
        "SELECT id, externalid, lastmodifieddate, foreigntotal, status FROM transaction "
        "WHERE type = 'SalesOrd' ORDER BY id"
    )
    assert after == before
    assert netsuite.writes() == 0
    assert netsuite.committed(skus[0]) == committed
    assert len(netsuite.sales_orders(ref)) == 1
    assert "unchanged" in second.log


def test_a_cancelled_store_order_closes_its_sales_order_and_releases_stock(
    pipeline: Pipeline, netsuite: NetSuite
):
    sku = sellable_skus(pipeline.sandbox, netsuite, pipeline.platform, 1)[0]
    committed_before = netsuite.committed(sku)
    ref = place_order(pipeline.sandbox, pipeline.platform, [{"sku": sku, "quantity": 3}])
    pipeline.run()
    assert netsuite.committed(sku) == committed_before + 3

    store_id = ref.split(":", 1)[1]
    body = {"restock": True} if pipeline.platform == "shopify" else {}
    store_admin(pipeline.sandbox, pipeline.platform, "POST", f"/orders/{store_id}/cancel", body)
    run = pipeline.run()

    order = netsuite.sales_orders(ref)
    assert len(order) == 1
    assert order[0]["status"] == "H"
    assert [line[5] for line in netsuite.lines(order[0]["id"])] == ["T"]
    assert netsuite.committed(sku) == committed_before
    assert "closed" in run.log
