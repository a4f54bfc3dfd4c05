"""Batch endpoints: the 100-item limit and per-item errors beside applied items."""

from __future__ import annotations


def test_batch_applies_good_items_and_reports_bad_ones_inline(wc):
    existing = wc.get("products", params={"type": "simple", "per_page": 3}).json()

    response = wc.post(
        "products/batch",
        {
            "create": [
                {"name": "Batch One", "sku": "BATCH-1", "regular_price": "5.00"},
                {"name": "Batch Copy", "sku": existing[0]["sku"]},
            ],
            "update": [
                {"id": existing[1]["id"], "regular_price": "77.00"},
                {"id": 987654, "regular_price": "1.00"},
            ],
            "delete": [existing[2]["id"], 987655],
        },
    )

    answer = response.json()
    assert response.status_code == 200
    assert answer["create"][0]["sku"] == "BATCH-1"
    assert answer["create"][1] == {
        "id": 0,
        "error": {
            "code": "product_invalid_sku",
            "message": "Invalid or duplicated SKU.",
            "data": {
                "status": 400,
                "resource_id": existing[0]["id"],
                "unique_sku": f"{existing[0]['sku']}-1",
            },
        },
    }
    assert answer["update"][0]["regular_price"] == "77.00"
    assert answer["update"][1] == {
        "id": 987654,
        "error": {
            "code": "woocommerce_rest_product_invalid_id",
            "message": "Invalid ID.",
            "data": {"status": 400},
        },
    }
    assert answer["delete"][0]["id"] == existing[2]["id"]
    assert answer["delete"][1]["error"]["code"] == "woocommerce_rest_product_invalid_id"

    assert wc.get("products", params={"sku": "BATCH-1"}).json()[0]["name"] == "Batch One"
    assert wc.get(f"products/{existing[1]['id']}").json()["regular_price"] == "77.00"
    assert wc.get(f"products/{existing[2]['id']}").status_code == 404


def test_batch_of_101_items_is_too_large(wc):
    response = wc.post(
        "products/batch",
        {"create": [{"name": f"P{n}"} for n in range(50)], "delete": list(range(1, 52))},
    )

    assert response.status_code == 413
    assert response.json() == {
        "code": "woocommerce_rest_request_entity_too_large",
        "message": "Unable to accept more than 100 items for this request.",
        "data": {"status": 413},
    }
    assert wc.get("products", params={"search": "P49"}).json() == []


def test_batch_of_exactly_100_items_is_accepted(wc):
    response = wc.post(
        "products/batch",
        {"create": [{"name": f"Hundred {n}", "sku": f"H-{n:03d}"} for n in range(100)]},
    )

    assert response.status_code == 200
    assert len(response.json()["create"]) == 100
    assert all("error" not in item for item in response.json()["create"])


def test_variations_batch(wc):
    variable = wc.get("products", params={"type": "variable"}).json()[0]
    variations = wc.get(f"products/{variable['id']}/variations").json()

    response = wc.post(
        f"products/{variable['id']}/variations/batch",
        {
            "update": [
                {"id": variations[0]["id"], "regular_price": "11.00"},
                {"id": 987654, "regular_price": "1.00"},
            ]
        },
    )

    answer = response.json()
    assert response.status_code == 200
    assert answer["update"][0]["regular_price"] == "11.00"
    assert answer["update"][1]["error"]["code"] == "woocommerce_rest_product_variation_invalid_id"
    assert "create" not in answer


def test_orders_batch_updates_status(wc):
    orders = wc.get("orders", params={"status": "processing", "per_page": 2}).json()

    response = wc.post(
        "orders/batch", {"update": [{"id": order["id"], "status": "completed"} for order in orders]}
    )

    assert [order["status"] for order in response.json()["update"]] == ["completed"] * len(orders)
