"""Admin actions: a clerk editing products by SKU, as later tests drive the store."""

from __future__ import annotations


def test_clerk_edits_a_variation_and_its_product_page(wc, store):
    variable = wc.get("products", params={"type": "variable"}).json()[0]
    variation = wc.get(f"products/{variable['id']}/variations").json()[0]
    store.admin("POST", "clock", {"advance_seconds": 600})

    response = store.admin(
        "POST",
        f"products/{variation['sku']}",
        {"price": "12.34", "description": "Variation note", "name": "Renamed Product"},
    )

    assert response.status_code == 200
    edited = response.json()
    assert edited["variation"]["regular_price"] == "12.34"
    assert edited["variation"]["sale_price"] == ""
    assert edited["variation"]["description"] == "Variation note"
    assert edited["product"]["name"] == "Renamed Product"
    assert edited["variation"]["date_modified_gmt"] > variation["date_modified_gmt"]
    assert wc.get(f"products/{variable['id']}").json()["name"] == "Renamed Product"


def test_clerk_sets_stock(wc, store):
    product = next(
        item
        for item in wc.get("products", params={"type": "simple", "per_page": 100}).json()
        if item["manage_stock"] is True
    )

    response = store.admin("POST", f"products/{product['sku']}", {"stock_quantity": 0})

    assert response.json()["product"]["stock_quantity"] == 0
    assert wc.get(f"products/{product['id']}").json()["stock_status"] == "outofstock"


def test_admin_errors(store):
    unknown = store.admin("GET", "products/NO-SUCH-SKU")
    bad_field = store.admin("POST", "products/SKU-000001", {"colour": "red"})

    assert unknown.status_code == 404
    assert bad_field.status_code == 400
    assert "colour" in bad_field.json()["error"]


def test_admin_calls_are_not_counted(store):
    store.admin("DELETE", "calls")

    store.admin("GET", "products/SKU-000001")

    assert store.admin("GET", "calls").json()["total"] == 0
