"""Injected faults answer as Shopify does; calls and GraphQL root fields are counted."""

from __future__ import annotations

import time

import pytest
import requests

SET = """mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) {
  userErrors { code } } }"""
READ = "{ productVariants(first: 2) { nodes { id } } }"


def _arm(shop, **fault):
    response = shop.admin("POST", "/faults", json=fault)
    assert response.status_code == 201, response.text
    return response.json()


def _set_request(shop, skus, first_location):
    item = shop.variant(skus[0])["inventoryItem"]["id"]
    return {
        "input": {
            "name": "available",
            "reason": "correction",
            "ignoreCompareQuantity": True,
            "quantities": [{"inventoryItemId": item, "locationId": first_location, "quantity": 3}],
        }
    }


def test_throttle_fault_targets_one_operation(shop, skus, first_location):
    request = _set_request(shop, skus, first_location)
    _arm(shop, kind="throttle", match="graphql inventorySetQuantities", count=1)

    read = shop.post(READ)
    throttled = shop.post(SET, request, version="2025-01")
    retried = shop.post(SET, request, version="2025-01")

    assert "errors" not in read.json()
    assert throttled.status_code == 200
    assert throttled.json()["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert throttled.json()["extensions"]["cost"]["actualQueryCost"] is None
    assert throttled.json()["extensions"]["cost"]["requestedQueryCost"] == 11
    assert retried.json()["data"]["inventorySetQuantities"]["userErrors"] == []


def test_injected_503_is_an_edge_html_page(shop):
    _arm(shop, kind="error", status=503, count=1)

    failed = shop.post(READ)
    after = shop.post(READ)

    assert failed.status_code == 503
    assert failed.headers["Content-Type"].startswith("text/html")
    assert "503 Service Unavailable" in failed.text
    assert after.status_code == 200


def test_injected_500_is_shopify_json(shop):
    _arm(shop, kind="error", status=500, match="graphql productVariants", count=1)

    failed = shop.post(READ)

    assert failed.status_code == 500
    assert failed.json() == {"errors": "Internal Server Error"}


def test_slow_fault_delays_the_answer(shop):
    _arm(shop, kind="slow", delay_seconds=0.6, count=1)

    started = time.monotonic()
    response = shop.post(READ)
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert elapsed >= 0.6


def test_dropped_connection(shop):
    _arm(shop, kind="drop", count=1)

    with pytest.raises(requests.ConnectionError):
        requests.post(
            shop.endpoint(),
            json={"query": READ},
            headers={"X-Shopify-Access-Token": shop.token},
            timeout=10,
        )
    assert shop.post(READ).status_code == 200


def test_calls_and_operations_are_counted(shop):
    shop.admin("DELETE", "/calls")

    shop.post(READ)
    shop.post("{ shop { name } productVariants(first: 1) { nodes { id } } }")
    shop.post("{ locations(first: 1) { nodes { id } } }", token="wrong")
    shop.admin("GET", "/health")

    counts = shop.admin("GET", "/calls").json()
    assert counts["endpoints"] == {"POST /admin/api/<version>/graphql.json": 3}
    assert counts["operations"] == {"productVariants": 2, "shop": 1, "locations": 1}
    assert counts["total"] == 3
