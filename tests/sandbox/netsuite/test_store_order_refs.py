"""Seeded sales orders carry the store's order reference as their external id.

The reference is built as the suite builds `order_ref`: WooCommerce's order id, or the numeric
part of Shopify's order GID (not the order number a shopper sees).
"""

from __future__ import annotations

import requests

from sandbox.server import Sandbox


def _shopify_order_ids(sandbox: Sandbox) -> set[str]:
    response = requests.post(
        f"{sandbox.shopify_url}/admin/api/2026-10/graphql.json",
        json={"query": "{ orders(first: 250) { nodes { id } } }"},
        headers={"X-Shopify-Access-Token": sandbox.settings.shopify.access_token},
        timeout=30,
    )
    return {node["id"].rsplit("/", 1)[-1] for node in response.json()["data"]["orders"]["nodes"]}


def test_imported_shopify_orders_carry_the_order_id_as_external_id(
    sandbox: Sandbox, netsuite
) -> None:
    rows = netsuite.rows(
        "SELECT externalid FROM transaction WHERE type = 'SalesOrd' AND externalid LIKE 'shopify:%'"
    )
    refs = {row["externalid"].removeprefix("shopify:") for row in rows}
    assert refs
    assert refs <= _shopify_order_ids(sandbox)


def test_imported_woocommerce_orders_carry_the_order_id_as_external_id(
    sandbox: Sandbox, netsuite
) -> None:
    rows = netsuite.rows(
        "SELECT externalid FROM transaction WHERE type = 'SalesOrd' "
        "AND externalid LIKE 'woocommerce:%'"
    )
    woo = sandbox.settings.woocommerce
    response = requests.get(
        f"{sandbox.woocommerce_url}/wp-json/wc/v3/orders",
        params={"per_page": 100},
        auth=(woo.consumer_key, woo.consumer_secret),
        timeout=30,
    )
    ids = {str(order["id"]) for order in response.json()}
    refs = {row["externalid"].removeprefix("woocommerce:") for row in rows}
    assert refs
    assert refs <= ids
