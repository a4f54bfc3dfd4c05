"""Open order value and the order drill-downs, over the sandbox's seeded orders.

The sandbox seeds both stores with orders; NetSuite holds the fulfilled ones and most open ones
as sales orders (external id = the store's order_ref), and some open ones were never imported.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from requests_oauthlib import OAuth1Session

from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings

from .conftest import load, netsuite_output, records, shopify_output
from .test_drift import DAY1, DAY2


@pytest.fixture
def sandbox_settings() -> SandboxSettings:
    """40 SKUs and 16 orders in each store (four open Shopify orders not imported)."""
    return SandboxSettings(skus=40, seed=11, locations=3, orders_per_store=16)


def _open_total(orders: list[dict], prefix: str) -> Decimal:
    return sum(
        (
            Decimal(str(o["total"]))
            for o in orders
            if o["status"] == "open" and o["order_ref"].startswith(prefix)
        ),
        Decimal(0),
    )


def _report(run_report, day) -> dict:
    result = run_report("--format", "json", day=day)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _netsuite_session(sandbox: Sandbox) -> OAuth1Session:
    settings = sandbox.settings.netsuite
    return OAuth1Session(
        settings.consumer_key,
        client_secret=settings.consumer_secret,
        resource_owner_key=settings.token_id,
        resource_owner_secret=settings.token_secret,
        signature_method="HMAC-SHA256",
        realm=settings.account_id,
    )


def test_open_orders_count_only_the_store_channel_and_unimported_ones_are_listed(
    sandbox, target_config, run_report
):
    netsuite, shopify = netsuite_output(sandbox), shopify_output(sandbox)
    load(netsuite, target_config, DAY1)
    load(shopify, target_config, DAY1)
    netsuite_orders, store_orders = records(netsuite, "orders"), records(shopify, "orders")

    report = _report(run_report, DAY1)

    value = {n["name"]: n for n in report["numbers"]}["open_order_value"]
    assert _open_total(netsuite_orders, "woocommerce:") > 0, "NetSuite holds other channels too"
    assert Decimal(value["netsuite"]) == _open_total(netsuite_orders, "shopify:")
    assert Decimal(value["store"]) == _open_total(store_orders, "shopify:")
    imported = {o["order_ref"] for o in netsuite_orders}
    missing = sorted(
        o["order_ref"]
        for o in store_orders
        if o["status"] == "open" and o["order_ref"] not in imported
    )
    assert sandbox.catalogue is not None
    assert len(missing) == sum(
        1
        for order in sandbox.catalogue.orders_for("shopify")
        if order.status == "open" and not order.imported_to_netsuite
    )
    assert missing, "the seeded shop has open orders NetSuite never imported"
    drills = {d["kind"]: d for d in report["drilldowns"]}
    assert [row[0] for row in drills["orders_missing_in_netsuite"]["rows"]] == missing
    assert drills["order_totals_differ"]["count"] == 0
    assert Decimal(value["difference"]) == sum(
        (Decimal(row[2]) for row in drills["orders_missing_in_netsuite"]["rows"]), Decimal(0)
    )


def test_a_sales_order_with_another_total_is_listed_with_both(sandbox, target_config, run_report):
    netsuite = netsuite_output(sandbox)
    store_orders = records(shopify_output(sandbox), "orders")
    imported = {o["order_ref"]: o for o in records(netsuite, "orders")}
    order = next(
        o for o in store_orders if imported.get(o["order_ref"], {}).get("status") == "open"
    )
    item_id = next(r["source_id"] for r in records(netsuite, "items") if r["active"])

    # Someone edits the sales order in NetSuite: one line of 1 x 1.00 replaces its lines.
    response = _netsuite_session(sandbox).put(
        f"{sandbox.netsuite_url}/record/v1/salesOrder/eid:{order['order_ref']}",
        params={"replace": "item"},
        json={
            "entity": {"id": "101"},
            "item": {"items": [{"item": {"id": item_id}, "quantity": 1, "rate": 1.0}]},
        },
    )
    assert response.status_code == 204, response.text
    load(netsuite_output(sandbox), target_config, DAY2)
    load(shopify_output(sandbox), target_config, DAY2)

    report = _report(run_report, DAY2)

    drills = {d["kind"]: d for d in report["drilldowns"]}
    assert drills["order_totals_differ"]["rows"] == [
        [
            order["order_ref"],
            "USD",
            str(Decimal(str(order["total"])).quantize(Decimal("0.01"))),
            "USD",
            "1.00",
        ]
    ]
