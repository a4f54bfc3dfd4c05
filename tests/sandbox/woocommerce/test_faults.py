"""Injected faults answer as a WordPress host does; calls are counted per endpoint."""

from __future__ import annotations

import time

import pytest
import requests


def _arm(store, **fault) -> None:
    response = store.admin("POST", "faults", fault)
    assert response.status_code == 201, response.text


def test_throttle_answers_429_with_retry_after(wc, store):
    _arm(store, kind="throttle", match="/products", count=1)

    throttled = wc.get("products")
    after = wc.get("products")

    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "1"
    assert throttled.json()["data"] == {"status": 429}
    assert throttled.json()["code"]
    assert after.status_code == 200


def test_500_is_wordpress_critical_error(wc, store):
    _arm(store, kind="error", status=500, match="/orders")

    response = wc.get("orders")

    assert response.status_code == 500
    assert response.json()["code"] == "internal_server_error"
    assert response.json()["data"] == {"status": 500}
    assert wc.get("orders").status_code == 200


def test_502_is_the_hosts_gateway_page(wc, store):
    _arm(store, kind="error", status=502)

    response = wc.get("products")

    assert response.status_code == 502
    assert response.headers["Content-Type"].startswith("text/html")
    assert "502 Bad Gateway" in response.text


def test_slow_answer(wc, store):
    _arm(store, kind="slow", delay_seconds=0.4)

    started = time.monotonic()
    response = wc.get("products", params={"per_page": 1})

    assert response.status_code == 200
    assert time.monotonic() - started >= 0.4


def test_dropped_connection(basic, store):
    _arm(store, kind="drop", match="GET /wp-json/wc/v3/orders")

    with pytest.raises(requests.ConnectionError):
        basic.get(f"{store.api}/orders", timeout=5)
    assert basic.get(f"{store.api}/orders", timeout=5).status_code == 200


def test_calls_are_counted_per_endpoint(wc, basic, store):
    store.admin("DELETE", "calls")
    product = wc.get("products", params={"per_page": 1}).json()[0]
    wc.get(f"products/{product['id']}")
    basic.put(f"{store.api}/products/{product['id']}", json={"name": "Renamed"})
    store.admin("GET", "products/" + product["sku"])

    calls = store.admin("GET", "calls").json()

    assert calls["endpoints"] == {
        "GET /wp-json/wc/v3/products": 1,
        "GET /wp-json/wc/v3/products/<int:product_id>": 1,
        "PUT /wp-json/wc/v3/products/<int:product_id>": 1,
    }
    assert calls["total"] == 3
