"""Seeded records read as Shopify renders them: GIDs, string money, UTC times, orders."""

from __future__ import annotations

import re

from sandbox.catalogue import stock_positions

GID = r"gid://shopify/{}/\d+"
DATETIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
MONEY = r"\d+\.\d\d"


def test_variants_carry_string_money_gids_and_utc_times(shop):
    data = shop.data(
        """{ productVariants(first: 60) { nodes {
             id price compareAtPrice updatedAt createdAt selectedOptions { name value }
             product { id handle status options { name values } }
             inventoryItem { id sku tracked } } } }"""
    )
    variants = data["productVariants"]["nodes"]

    for variant in variants:
        assert re.fullmatch(GID.format("ProductVariant"), variant["id"])
        assert re.fullmatch(GID.format("Product"), variant["product"]["id"])
        assert re.fullmatch(GID.format("InventoryItem"), variant["inventoryItem"]["id"])
        assert isinstance(variant["price"], str)
        assert re.fullmatch(MONEY, variant["price"])
        assert variant["compareAtPrice"] is None or re.fullmatch(MONEY, variant["compareAtPrice"])
        assert re.fullmatch(DATETIME, variant["updatedAt"])
    simple = [v for v in variants if v["selectedOptions"][0]["name"] == "Title"]
    assert simple
    assert all(
        v["selectedOptions"] == [{"name": "Title", "value": "Default Title"}] for v in simple
    )
    assert any(v["selectedOptions"][0]["name"] == "Size" for v in variants)


def test_opening_stock_matches_the_catalogue(shop, sandbox):
    positions = stock_positions(sandbox.catalogue, "shopify")
    locations = {loc.shopify_id: loc.key for loc in sandbox.catalogue.locations}
    sku = sandbox.catalogue.items[0].sku

    levels = shop.levels(shop.variant(sku))

    for location_gid, quantities in levels.items():
        position = positions[(sku, locations[int(location_gid.rsplit("/", 1)[1])])]
        assert quantities["available"] == position.store_available
        assert quantities["committed"] == position.store_committed
        assert quantities["on_hand"] == position.store_available + position.store_committed


def test_orders_read_as_shopify_orders(shop, sandbox):
    data = shop.data(
        """{ orders(first: 12, sortKey: ORDER_NUMBER) { nodes {
             id name createdAt updatedAt cancelledAt cancelReason closed closedAt
             displayFinancialStatus displayFulfillmentStatus currencyCode email
             customer { displayName email }
             totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount } }
             subtotalPriceSet { shopMoney { amount } }
             lineItems(first: 5) { nodes { sku quantity variant { id sku }
               originalUnitPriceSet { shopMoney { amount currencyCode } } } } } } }"""
    )
    orders = data["orders"]["nodes"]
    catalogue_orders = sandbox.catalogue.orders_for("shopify")

    assert [o["name"] for o in orders] == [f"#{o.number}" for o in catalogue_orders]
    assert orders[0]["name"] == "#5001"
    for order, source in zip(orders, catalogue_orders, strict=True):
        assert re.fullmatch(GID.format("Order"), order["id"])
        assert order["totalPriceSet"]["shopMoney"] == {
            "amount": str(source.total.quantize(source.total.__class__("0.01"))),
            "currencyCode": "USD",
        }
        assert order["email"] == source.customer_email
        assert [line["sku"] for line in order["lineItems"]["nodes"]] == [
            line.sku for line in source.lines
        ]
        assert all(line["variant"]["sku"] == line["sku"] for line in order["lineItems"]["nodes"])
        if source.status == "cancelled":
            assert order["cancelledAt"] is not None
            assert order["cancelReason"] == "CUSTOMER"
        elif source.status == "fulfilled":
            assert order["displayFulfillmentStatus"] == "FULFILLED"
            assert order["closed"] is True
            assert order["closedAt"] is not None
        else:
            assert order["displayFulfillmentStatus"] == "UNFULFILLED"
            assert order["cancelledAt"] is None
            assert order["closed"] is False
            assert order["displayFinancialStatus"] == "PAID"


def test_lookups_by_id_node_and_nodes(shop):
    page = shop.data(
        "{ productVariants(first: 2) { nodes { id sku product { id } inventoryItem { id } } } }"
    )["productVariants"]["nodes"]
    variant = page[0]

    data = shop.data(
        """query($v: ID!, $p: ID!, $i: ID!, $ids: [ID!]!) {
             productVariant(id: $v) { sku }
             product(id: $p) { id }
             inventoryItem(id: $i) { sku }
             node(id: $v) { id ... on ProductVariant { sku } }
             nodes(ids: $ids) { id }
             missing: productVariant(id: "gid://shopify/ProductVariant/1") { id }
           }""",
        {
            "v": variant["id"],
            "p": variant["product"]["id"],
            "i": variant["inventoryItem"]["id"],
            "ids": [page[1]["id"], "gid://shopify/Order/1"],
        },
    )

    assert data["productVariant"] == {"sku": variant["sku"]}
    assert data["product"] == {"id": variant["product"]["id"]}
    assert data["inventoryItem"] == {"sku": variant["sku"]}
    assert data["node"] == {"id": variant["id"], "sku": variant["sku"]}
    assert data["nodes"] == [{"id": page[1]["id"]}, None]
    assert data["missing"] is None


def test_inventory_item_level_at_one_location_and_locations(shop, first_location):
    data = shop.data(
        """query($loc: ID!) {
             locations(first: 10) { nodes { id name isActive } }
             inventoryItems(first: 1) { nodes { sku inventoryLevel(locationId: $loc) {
               location { id } quantities(names: ["available", "on_hand"]) { name quantity } } } }
           }""",
        {"loc": first_location},
    )

    assert len(data["locations"]["nodes"]) == 3
    assert all(loc["isActive"] for loc in data["locations"]["nodes"])
    level = data["inventoryItems"]["nodes"][0]["inventoryLevel"]
    assert level["location"]["id"] == first_location
    assert [q["name"] for q in level["quantities"]] == ["available", "on_hand"]
