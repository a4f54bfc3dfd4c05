"""Calculated query cost, the leaky bucket, THROTTLED and MAX_COST_EXCEEDED."""

from __future__ import annotations

import pytest

from sandbox.settings import SandboxSettings, ShopifySettings

LEVELS = """{ productVariants(first: 5) { nodes { id inventoryItem { id
  inventoryLevels(first: 3) { nodes { id quantities(names: ["available"]) { quantity } } }
} } } }"""


@pytest.fixture
def sandbox_settings() -> SandboxSettings:
    """A tiny bucket that restores 10 points a second."""
    return SandboxSettings(
        skus=60,
        seed=11,
        locations=3,
        orders_per_store=12,
        shopify=ShopifySettings(bucket_size=60, restore_rate=10.0),
    )


def _cost(response):
    return response.json()["extensions"]["cost"]


def test_requested_cost_follows_shopify_rules(shop, sandbox):
    scalars = _cost(shop.post("{ shop { name currencyCode } }"))
    connection = _cost(shop.post("{ productVariants(first: 10) { nodes { id sku } } }"))
    nested = _cost(shop.post(LEVELS))

    assert scalars["requestedQueryCost"] == 1
    assert connection["requestedQueryCost"] == 12
    assert connection["actualQueryCost"] == 12
    assert nested["requestedQueryCost"] == 2 + 5 * (1 + 1 + 2 + 3 * 2)
    assert nested["throttleStatus"]["maximumAvailable"] == 60.0
    assert nested["throttleStatus"]["restoreRate"] == 10.0


def test_actual_cost_counts_what_came_back_and_refunds(shop, skus):
    cost = _cost(
        shop.post(
            "query($q: String) { productVariants(first: 50, query: $q) { nodes { id } } }",
            {"q": f"sku:{skus[0]}"},
        )
    )

    assert cost["requestedQueryCost"] == 52
    assert cost["actualQueryCost"] == 3
    assert cost["throttleStatus"]["currentlyAvailable"] >= 60 - 3 - 1


def test_a_list_of_objects_costs_one_object_so_actual_never_exceeds_requested(shop):
    cost = _cost(
        shop.post("{ productVariants(first: 20) { nodes { id selectedOptions { name value } } } }")
    )

    assert cost["requestedQueryCost"] == 2 + 20 * 2
    assert cost["actualQueryCost"] == cost["requestedQueryCost"]


def test_mutations_cost_ten_plus_their_payload(shop, skus):
    variant = shop.variant(skus[0])
    shop.admin("POST", "/bucket", json={"currently_available": 60})
    response = shop.post(
        """mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) {
             inventoryAdjustmentGroup { id } userErrors { code } } }""",
        {
            "input": {
                "name": "available",
                "reason": "correction",
                "ignoreCompareQuantity": True,
                "quantities": [
                    {
                        "inventoryItemId": variant["inventoryItem"]["id"],
                        "locationId": "gid://shopify/Location/1",
                        "quantity": 1,
                    }
                ],
            }
        },
        version="2025-01",
    )

    cost = _cost(response)
    assert cost["requestedQueryCost"] == 10 + 1 + 1
    assert cost["actualQueryCost"] == 10 + 1


def test_drained_bucket_throttles_with_http_200_then_recovers(shop, sandbox):
    first = shop.post(LEVELS)
    throttled = shop.post(LEVELS)
    sandbox.clock.advance(6)
    recovered = shop.post(LEVELS)

    assert first.status_code == 200
    assert "data" in first.json()
    assert throttled.status_code == 200
    body = throttled.json()
    assert body["errors"] == [
        {
            "message": "Throttled",
            "extensions": {
                "code": "THROTTLED",
                "documentation": "https://shopify.dev/api/usage/rate-limits",
            },
        }
    ]
    assert "data" not in body
    assert body["extensions"]["cost"]["requestedQueryCost"] == 52
    assert body["extensions"]["cost"]["actualQueryCost"] is None
    assert body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] < 52
    assert recovered.status_code == 200
    assert "errors" not in recovered.json()


def test_query_over_the_single_query_limit_is_refused(shop):
    response = shop.post(
        """{ productVariants(first: 250) { nodes { id inventoryItem {
             inventoryLevels(first: 10) { nodes { id } } } } } }"""
    )

    body = response.json()
    expected = 2 + 250 * (1 + 1 + 2 + 10)
    assert response.status_code == 200
    assert "data" not in body
    assert body["errors"][0]["extensions"] == {
        "code": "MAX_COST_EXCEEDED",
        "cost": expected,
        "maxCost": 1000,
        "documentation": "https://shopify.dev/api/usage/rate-limits",
    }
    assert body["errors"][0]["message"].startswith(
        f"Query cost is {expected}, which exceeds the single query max cost limit (1000)."
    )
    assert body["extensions"]["cost"]["requestedQueryCost"] == expected
    assert body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 60
