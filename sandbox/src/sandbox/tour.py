"""A short tour of a running sandbox, made of the same API calls a real client would send."""

from __future__ import annotations

import json
from typing import Any

import requests
from requests_oauthlib import OAuth1

from sandbox.server import Sandbox

SHOPIFY_API_VERSION = "2026-10"


def take_tour(sandbox: Sandbox) -> None:
    """Print what each emulator serves, as its vendor's API reports it."""
    print(f"\nSandbox seeded with seed {sandbox.settings.seed}:\n")
    _netsuite(sandbox)
    _woocommerce(sandbox)
    _shopify(sandbox)
    print("API calls answered:")
    for name in ("netsuite", "woocommerce", "shopify"):
        emulator = getattr(sandbox, name)
        print(f"  {name:<12} {json.dumps(emulator.calls.snapshot())}")


def _netsuite(sandbox: Sandbox) -> None:
    settings = sandbox.settings.netsuite
    auth = OAuth1(
        client_key=settings.consumer_key,
        client_secret=settings.consumer_secret,
        resource_owner_key=settings.token_id,
        resource_owner_secret=settings.token_secret,
        signature_method="HMAC-SHA256",
        realm=settings.account_id,
    )

    def suiteql(query: str) -> list[dict[str, Any]]:
        answer = requests.post(
            f"{sandbox.netsuite_url}/query/v1/suiteql",
            params={"limit": 1000},
            json={"q": query},
            headers={"Prefer": "transient"},
            auth=auth,
            timeout=30,
        )
        answer.raise_for_status()
        return answer.json()["items"]

    items = suiteql(
        "SELECT COUNT(*) AS n FROM item WHERE itemtype = 'InvtPart' "
        "AND (matrixtype IS NULL OR matrixtype = 'CHILD')"
    )[0]["n"]
    orders = suiteql(
        "SELECT BUILTIN.CF(status) AS status, COUNT(*) AS n FROM transaction "
        "WHERE type = 'SalesOrd' GROUP BY BUILTIN.CF(status) ORDER BY 1"
    )
    stock = suiteql(
        "SELECT l.name AS location, SUM(il.quantityonhand) AS on_hand, "
        "SUM(il.quantitycommitted) AS committed FROM inventoryitemlocations il "
        "JOIN location l ON l.id = il.location GROUP BY l.name ORDER BY l.name"
    )
    print(f"NetSuite account {settings.account_id} at {sandbox.netsuite_url}")
    print(f"  inventory items: {items}")
    print("  sales orders:    " + ", ".join(f"{row['status']} {row['n']}" for row in orders))
    for row in stock:
        print(f"  {row['location']:<16} on hand {row['on_hand']:>8}, committed {row['committed']}")
    print()


def _woocommerce(sandbox: Sandbox) -> None:
    settings = sandbox.settings.woocommerce
    auth = (settings.consumer_key, settings.consumer_secret)
    base = f"{sandbox.woocommerce_url}/wp-json/wc/v3"

    def total(path: str, **params: Any) -> str:
        answer = requests.get(
            f"{base}/{path}", params={"per_page": 1, **params}, auth=auth, timeout=30
        )
        answer.raise_for_status()
        return answer.headers["X-WP-Total"]

    print(f"WooCommerce store at {sandbox.woocommerce_url} (time zone {settings.time_zone})")
    print(f"  products:        {total('products')} ({total('products', type='variable')} variable)")
    print(
        f"  orders:          {total('orders')} "
        f"({total('orders', status='processing')} processing, "
        f"{total('orders', status='completed')} completed, "
        f"{total('orders', status='cancelled')} cancelled)"
    )
    print()


def _shopify(sandbox: Sandbox) -> None:
    settings = sandbox.settings.shopify
    query = """
    {
      shop { name currencyCode }
      locations(first: 10) { nodes { name } }
      productVariants(first: 3) { nodes { sku price inventoryQuantity product { title } } }
    }
    """
    answer = requests.post(
        f"{sandbox.shopify_url}/admin/api/{SHOPIFY_API_VERSION}/graphql.json",
        json={"query": query},
        headers={"X-Shopify-Access-Token": settings.access_token},
        timeout=30,
    )
    answer.raise_for_status()
    body = answer.json()
    data, cost = body["data"], body["extensions"]["cost"]

    print(f"Shopify shop {data['shop']['name']} at {sandbox.shopify_url}")
    print("  locations:       " + ", ".join(node["name"] for node in data["locations"]["nodes"]))
    for variant in data["productVariants"]["nodes"]:
        print(
            f"  {variant['sku']:<16} {variant['product']['title']:<30} "
            f"{variant['price']:>8} {data['shop']['currencyCode']}, "
            f"{variant['inventoryQuantity']} available"
        )
    print(
        f"  that query cost {cost['actualQueryCost']} of {cost['requestedQueryCost']} requested "
        f"points; {cost['throttleStatus']['currentlyAvailable']} left in the bucket"
    )
    print()
