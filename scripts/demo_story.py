#!/usr/bin/env python3
"""The demo's story: what a clerk and two customers do, and what the pipelines changed.

Run by scripts/demo with `before` (act, and remember what the systems held) and `after` (show
what the two pipelines changed), against the sandbox named by the SANDBOX_* variables.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from os import environ as env
from pathlib import Path
from typing import Any

import requests
from requests_oauthlib import OAuth1

SNAPSHOT = Path(".sandbox/state/demo-before.json")
NETSUITE = env["SANDBOX_NETSUITE_URL"]
ADMIN = {
    "netsuite": NETSUITE.removesuffix("/services/rest") + "/_sandbox",
    "woocommerce": env["SANDBOX_WOOCOMMERCE_URL"] + "/_sandbox",
    "shopify": env["SANDBOX_SHOPIFY_URL"] + "/_sandbox",
}
AUTH = OAuth1(
    env["SANDBOX_NETSUITE_CONSUMER_KEY"],
    env["SANDBOX_NETSUITE_CONSUMER_SECRET"],
    env["SANDBOX_NETSUITE_TOKEN_ID"],
    env["SANDBOX_NETSUITE_TOKEN_SECRET"],
    signature_method="HMAC-SHA256",
    realm=env["SANDBOX_NETSUITE_ACCOUNT_ID"],
)


def suiteql(query: str) -> list[dict[str, str]]:
    """The rows of a SuiteQL query, as NetSuite returns them."""
    answer = requests.post(
        f"{NETSUITE}/query/v1/suiteql",
        json={"q": query},
        auth=AUTH,
        headers={"Prefer": "transient"},
        timeout=60,
    )
    answer.raise_for_status()
    return answer.json()["items"]


def admin(system: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """Call one emulator's admin API, as a clerk or a customer acts in its user interface."""
    answer = requests.request(method, ADMIN[system] + path, json=body, timeout=60)
    answer.raise_for_status()
    return answer.json()


def shopify_price(sku: str) -> str:
    """A variant's price in Shopify, read through the Admin API."""
    query = '{ productVariants(first: 1, query: "sku:' + sku + '") { nodes { price } } }'
    answer = requests.post(
        env["SANDBOX_SHOPIFY_URL"] + "/admin/api/2026-10/graphql.json",
        json={"query": query},
        headers={"X-Shopify-Access-Token": env["SANDBOX_SHOPIFY_ACCESS_TOKEN"]},
        timeout=60,
    ).json()
    return answer["data"]["productVariants"]["nodes"][0]["price"]


def woocommerce_price(sku: str) -> str:
    """A SKU's price in WooCommerce: the variation's own when the SKU is a variation."""
    found = admin("woocommerce", "GET", f"/products/{sku}")
    return (found.get("variation") or found["product"])["price"]


def committed(sku: str) -> str:
    """What NetSuite has committed of a SKU at the main warehouse."""
    rows = suiteql(
        "SELECT l.quantitycommitted FROM inventoryitemlocations l JOIN item i ON i.id = l.item "
        f"WHERE i.itemid = '{sku}' AND l.location = 1"
    )
    return rows[0].get("quantitycommitted", "0")


def store_orders_in_netsuite() -> int:
    """How many sales orders in NetSuite came from a store."""
    rows = suiteql(
        "SELECT COUNT(*) AS n FROM transaction WHERE type = 'SalesOrd' "
        "AND (externalid LIKE 'woocommerce:%' OR externalid LIKE 'shopify:%')"
    )
    return int(rows[0]["n"])


def pick_skus() -> list[str]:
    """Two SKUs in stock that both stores sell: one to order, one to reprice."""
    rows = suiteql(
        "SELECT i.itemid, l.quantityavailable FROM item i JOIN inventoryitemlocations l "
        "ON l.item = i.id WHERE i.isinactive = 'F' AND i.itemtype = 'InvtPart' "
        "AND l.location = 1 AND l.quantityavailable > 10 ORDER BY i.id"
    )
    chosen = []
    for row in rows:
        sku = row["itemid"]
        woo = requests.get(f"{ADMIN['woocommerce']}/products/{sku}", timeout=60)
        in_shop = requests.get(f"{ADMIN['shopify']}/inventory", params={"sku": sku}, timeout=60).ok
        if woo.ok and in_shop:
            chosen.append(sku)
        if len(chosen) == 2:
            return chosen
    raise SystemExit("the sandbox has no SKU sold on both sides")


def before() -> None:
    """A clerk reprices a SKU in NetSuite; two customers order another in the stores."""
    ordered, repriced = pick_skus()
    woo_price = woocommerce_price(repriced)
    snapshot = {
        "ordered": ordered,
        "repriced": repriced,
        "committed": committed(ordered),
        "store_orders": store_orders_in_netsuite(),
        "woocommerce_price": woo_price,
        "shopify_price": shopify_price(repriced),
    }
    new_price = str(Decimal(str(woo_price or "10")) + Decimal("1.50"))
    admin("netsuite", "PATCH", f"/items/{repriced}", {"prices": {"Online Price": new_price}})
    woo = admin(
        "woocommerce",
        "POST",
        "/orders",
        {
            "lines": [{"sku": ordered, "quantity": 2}],
            "status": "processing",
            "email": "ada.lovelace@example.com",
            "first_name": "Ada",
            "last_name": "Lovelace",
        },
    )
    shop = admin(
        "shopify",
        "POST",
        "/orders",
        {
            "lines": [{"sku": ordered, "quantity": 1}],
            "location": "main",
            "email": "alan.turing@example.com",
            "customer_name": "Alan Turing",
        },
    )
    snapshot["refs"] = [
        f"woocommerce:{woo.get('order', woo)['id']}",
        "shopify:" + str(shop["id"]).rsplit("/", 1)[-1],
    ]
    snapshot["new_price"] = new_price
    SNAPSHOT.write_text(json.dumps(snapshot))
    print(f"  A NetSuite clerk sets the Online Price of {repriced} to {new_price}.")
    print(f"  A customer orders 2 x {ordered} in WooCommerce ({snapshot['refs'][0]}),")
    print(f"  another 1 x {ordered} in Shopify ({snapshot['refs'][1]}).")


def after() -> None:
    """Show what the catalogue sync and the order import changed."""
    was = json.loads(SNAPSHOT.read_text())
    repriced, ordered = was["repriced"], was["ordered"]
    print("What changed")
    print(
        f"  Catalogue sync, NetSuite -> stores: price of {repriced} "
        f"(NetSuite now {was['new_price']})"
    )
    woo_now = woocommerce_price(repriced)
    print(f"    WooCommerce {was['woocommerce_price']} -> {woo_now}")
    print(f"    Shopify     {was['shopify_price']} -> {shopify_price(repriced)}")
    print("  Order import, stores -> NetSuite:")
    for ref in was["refs"]:
        rows = suiteql(
            "SELECT id, tranid, BUILTIN.DF(status) AS status, foreigntotal FROM transaction "
            f"WHERE type = 'SalesOrd' AND externalid = '{ref}'"
        )
        for row in rows:
            print(
                f"    {ref} -> sales order {row['tranid']} (id {row['id']}), "
                f"{row['status']}, total {row['foreigntotal']}"
            )
        if not rows:
            print(f"    {ref} -> not in NetSuite (see the run's log)")
    print(
        f"    sales orders from the stores in NetSuite: {was['store_orders']} -> "
        f"{store_orders_in_netsuite()}"
    )
    print(
        f"    committed in NetSuite of {ordered} at Main Warehouse: {was['committed']} -> "
        f"{committed(ordered)}"
    )


{"before": before, "after": after}[sys.argv[1]]()
