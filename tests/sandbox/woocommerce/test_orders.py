"""Orders: their shape, and how placing, paying and cancelling them moves stock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest


@pytest.fixture
def stocked(wc) -> dict:
    """A published simple product that manages its stock and has plenty of it."""
    products = wc.get("products", params={"type": "simple", "per_page": 100}).json()
    return max(
        (product for product in products if product["manage_stock"] is True),
        key=lambda product: product["stock_quantity"],
    )


def _stock(wc, product_id: int) -> int:
    return wc.get(f"products/{product_id}").json()["stock_quantity"]


def test_order_shape(wc):
    order = wc.get("orders", params={"per_page": 1}).json()[0]

    assert order["number"] == str(order["id"])
    assert isinstance(order["total"], str)
    assert order["status"] in ("processing", "on-hold", "pending", "completed", "cancelled")
    line = order["line_items"][0]
    assert isinstance(line["quantity"], int)
    assert isinstance(line["price"], float | int)
    assert isinstance(line["total"], str)
    assert isinstance(line["variation_id"], int)
    assert line["sku"]
    assert order["billing"]["email"].endswith("@example.com")
    local = datetime.fromisoformat(order["date_created"])
    gmt = datetime.fromisoformat(order["date_created_gmt"])
    assert (local - gmt).total_seconds() in (3600, 7200)


def test_seeded_order_ids_are_catalogue_numbers(sandbox, wc):
    numbers = sorted(order.number for order in sandbox.catalogue.orders_for("woocommerce"))

    ids = sorted(order["id"] for order in wc.get("orders", params={"per_page": 100}).json())

    assert ids == numbers


def test_simple_lines_have_no_variation(wc):
    orders = wc.get("orders", params={"per_page": 100}).json()
    lines = [line for order in orders for line in order["line_items"]]

    assert any(line["variation_id"] == 0 for line in lines)
    assert any(line["variation_id"] != 0 for line in lines)


def test_placed_order_lowers_stock_and_cancel_restores_it(wc, store, stocked):
    store.admin("POST", "clock", {"advance_seconds": 60})

    placed = store.admin(
        "POST", "orders", {"lines": [{"sku": stocked["sku"], "quantity": 2}], "email": "a@b.c"}
    )
    order = placed.json()["order"]
    after_order = wc.get(f"products/{stocked['id']}").json()
    store.admin("POST", "clock", {"advance_seconds": 60})
    cancelled = store.admin("POST", f"orders/{order['id']}/cancel").json()["order"]
    after_cancel = wc.get(f"products/{stocked['id']}").json()

    assert placed.status_code == 201
    assert order["status"] == "processing"
    assert order["line_items"][0]["sku"] == stocked["sku"]
    assert after_order["stock_quantity"] == stocked["stock_quantity"] - 2
    assert after_order["date_modified_gmt"] > stocked["date_modified_gmt"]
    assert cancelled["status"] == "cancelled"
    assert after_cancel["stock_quantity"] == stocked["stock_quantity"]
    assert after_cancel["date_modified_gmt"] > after_order["date_modified_gmt"]


def test_completing_an_order_keeps_stock_reduced(wc, store, stocked):
    order = store.admin("POST", "orders", {"lines": [{"sku": stocked["sku"], "quantity": 1}]})

    completed = store.admin("POST", f"orders/{order.json()['order']['id']}/complete")

    assert completed.json()["order"]["status"] == "completed"
    assert completed.json()["order"]["date_completed_gmt"] is not None
    assert _stock(wc, stocked["id"]) == stocked["stock_quantity"] - 1


def test_api_order_with_set_paid_reduces_stock(wc, store, stocked):
    response = wc.post(
        "orders",
        {
            "set_paid": True,
            "billing": {"email": "api@example.com", "first_name": "Api"},
            "line_items": [{"product_id": stocked["id"], "quantity": 3}],
        },
    )

    order = response.json()
    assert response.status_code == 201
    assert response.headers["Location"] == f"{store.api}/orders/{order['id']}"
    assert order["status"] == "processing"
    assert order["date_paid_gmt"] is not None
    assert order["total"] == f"{float(stocked['price']) * 3:.2f}"
    assert _stock(wc, stocked["id"]) == stocked["stock_quantity"] - 3


def test_pending_order_holds_no_stock_until_processing(wc, stocked):
    order = wc.post("orders", {"line_items": [{"sku": stocked["sku"], "quantity": 1}]}).json()
    pending_stock = _stock(wc, stocked["id"])

    wc.put(f"orders/{order['id']}", {"status": "on-hold"})
    held_stock = _stock(wc, stocked["id"])
    wc.put(f"orders/{order['id']}", {"status": "cancelled"})

    assert order["status"] == "pending"
    assert pending_stock == stocked["stock_quantity"]
    assert held_stock == stocked["stock_quantity"] - 1
    assert _stock(wc, stocked["id"]) == stocked["stock_quantity"]


def test_order_for_a_variation_lowers_the_variation(wc, store):
    variable = next(
        product
        for product in wc.get("products", params={"type": "variable", "per_page": 100}).json()
        if product["manage_stock"] is False
    )
    variation = next(
        item
        for item in wc.get(f"products/{variable['id']}/variations").json()
        if item["status"] == "publish"
    )

    order = store.admin("POST", "orders", {"lines": [{"sku": variation["sku"], "quantity": 1}]})

    line = order.json()["order"]["line_items"][0]
    assert (line["product_id"], line["variation_id"]) == (variable["id"], variation["id"])
    after = wc.get(f"products/{variable['id']}/variations/{variation['id']}").json()
    assert after["stock_quantity"] == variation["stock_quantity"] - 1


def test_order_meta_data(wc):
    order = wc.get("orders", params={"per_page": 1}).json()[0]

    updated = wc.put(f"orders/{order['id']}", {"meta_data": [{"key": "netsuite_id", "value": "7"}]})

    assert updated.status_code == 200
    assert [
        entry["value"] for entry in updated.json()["meta_data"] if entry["key"] == "netsuite_id"
    ] == ["7"]
    assert updated.json()["date_modified_gmt"] >= order["date_modified_gmt"]


def test_unknown_order(wc):
    missing = wc.get("orders/1")
    update = wc.put("orders/1", {"status": "completed"})

    assert missing.status_code == 404
    assert missing.json() == {
        "code": "woocommerce_rest_shop_order_invalid_id",
        "message": "Invalid ID.",
        "data": {"status": 404},
    }
    assert update.status_code == 400


def test_order_line_needs_a_product(wc):
    response = wc.post("orders", {"line_items": [{"quantity": 1}]})

    assert response.status_code == 400
    assert response.json()["code"] == "woocommerce_rest_required_product_reference"


def test_admin_refuses_an_unknown_sku(store):
    response = store.admin("POST", "orders", {"lines": [{"sku": "NOPE", "quantity": 1}]})

    assert response.status_code == 400
    assert response.json()["code"] == "woocommerce_rest_invalid_product_id"


def test_orders_modified_after_in_gmt_and_store_time(wc, store, stocked):
    store.admin("POST", "clock", {"advance_seconds": 400 * 86400})
    placed = store.admin("POST", "orders", {"lines": [{"sku": stocked["sku"], "quantity": 1}]})
    order = placed.json()["order"]
    second = timedelta(seconds=1)
    gmt_bound = (datetime.fromisoformat(order["date_modified_gmt"]) - second).isoformat()
    local_bound = (datetime.fromisoformat(order["date_modified"]) - second).isoformat()

    in_gmt = wc.get("orders", params={"modified_after": gmt_bound, "dates_are_gmt": "true"})
    in_local = wc.get("orders", params={"modified_after": local_bound})
    local_as_gmt = wc.get("orders", params={"modified_after": local_bound, "dates_are_gmt": "1"})

    assert [found["id"] for found in in_gmt.json()] == [order["id"]]
    assert [found["id"] for found in in_local.json()] == [order["id"]]
    # A store-local time read as GMT lies in the future of the change: nothing matches.
    assert local_as_gmt.json() == []


def test_total_sales_follow_paid_and_cancelled_orders(wc, store, stocked):
    placed = store.admin("POST", "orders", {"lines": [{"sku": stocked["sku"], "quantity": 2}]})
    paid = wc.get(f"products/{stocked['id']}").json()["total_sales"]
    store.admin("POST", f"orders/{placed.json()['order']['id']}/cancel")
    cancelled = wc.get(f"products/{stocked['id']}").json()["total_sales"]

    assert paid == stocked["total_sales"] + 2
    assert cancelled == stocked["total_sales"]
