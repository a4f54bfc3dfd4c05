"""Products and variations through the official client: read, create, update, delete."""

from __future__ import annotations

import pytest


@pytest.fixture
def simple(wc) -> dict:
    """A published simple product that manages its stock."""
    products = wc.get("products", params={"type": "simple", "status": "publish", "per_page": 100})
    return next(product for product in products.json() if product["manage_stock"] is True)


def test_simple_product_shape(simple):
    assert simple["type"] == "simple"
    assert isinstance(simple["price"], str)
    assert isinstance(simple["regular_price"], str)
    assert simple["variations"] == []
    assert isinstance(simple["stock_quantity"], int)
    assert simple["stock_status"] in ("instock", "outofstock")
    assert set(simple["categories"][0]) == {"id", "name", "slug"}
    assert set(simple["images"][0]) >= {"id", "src", "name", "alt"}


def test_prices_follow_the_sale(wc):
    products = wc.get("products", params={"type": "simple", "per_page": 100}).json()

    on_sale = [product for product in products if product["on_sale"]]
    regular = [product for product in products if not product["on_sale"]]

    assert on_sale
    assert regular
    for product in on_sale:
        assert product["price"] == product["sale_price"] != ""
        assert float(product["regular_price"]) > float(product["sale_price"])
    for product in regular:
        assert product["sale_price"] == ""
        assert product["price"] == product["regular_price"]


def test_some_products_do_not_manage_stock(wc):
    products = wc.get("products", params={"type": "simple", "per_page": 100}).json()

    unmanaged = [product for product in products if product["manage_stock"] is False]

    assert unmanaged
    assert all(product["stock_quantity"] is None for product in unmanaged)


def test_get_one_and_unknown_id(wc, simple):
    found = wc.get(f"products/{simple['id']}")
    missing = wc.get("products/987654")

    assert found.json() == simple
    assert missing.status_code == 404
    assert missing.json() == {
        "code": "woocommerce_rest_product_invalid_id",
        "message": "Invalid ID.",
        "data": {"status": 404},
    }


def test_create_answers_201_with_location(wc, store):
    response = wc.post(
        "products",
        {"name": "Sandbox Kettle", "sku": "KETTLE-1", "regular_price": "30.00", "type": "simple"},
    )

    created = response.json()
    assert response.status_code == 201
    assert response.headers["Location"] == f"{store.api}/products/{created['id']}"
    assert (created["sku"], created["price"], created["status"]) == ("KETTLE-1", "30.00", "publish")
    assert created["date_created_gmt"] == created["date_modified_gmt"]


def test_duplicate_sku_is_refused(wc, simple):
    response = wc.post("products", {"name": "Copy", "sku": simple["sku"]})

    assert response.status_code == 400
    assert response.json()["code"] == "product_invalid_sku"
    assert response.json()["message"] == "Invalid or duplicated SKU."
    assert response.json()["data"]["resource_id"] == simple["id"]


def test_update_moves_date_modified_and_sets_stock_status(wc, store, simple):
    store.admin("POST", "clock", {"advance_seconds": 3600})

    response = wc.put(f"products/{simple['id']}", {"stock_quantity": 0, "regular_price": "99.50"})

    updated = response.json()
    assert response.status_code == 200
    assert updated["stock_quantity"] == 0
    assert updated["stock_status"] == "outofstock"
    assert updated["regular_price"] == "99.50"
    assert updated["date_modified_gmt"] > simple["date_modified_gmt"]
    assert wc.put(f"products/{simple['id']}", {"stock_quantity": 5}).json()["stock_status"] == (
        "instock"
    )


def test_update_of_unknown_id_is_400(wc):
    response = wc.put("products/987654", {"name": "x"})

    assert response.status_code == 400
    assert response.json()["code"] == "woocommerce_rest_product_invalid_id"


def test_price_must_be_a_string(wc, simple):
    response = wc.put(f"products/{simple['id']}", {"regular_price": 12.5})

    assert response.status_code == 400
    assert response.json()["data"]["params"] == {
        "regular_price": "regular_price is not of type string."
    }


def test_meta_data_updates_by_id_and_by_key(wc, simple):
    added = wc.put(f"products/{simple['id']}", {"meta_data": [{"key": "sync_hash", "value": "a"}]})
    meta = next(entry for entry in added.json()["meta_data"] if entry["key"] == "sync_hash")

    by_id = wc.put(
        f"products/{simple['id']}",
        {"meta_data": [{"id": meta["id"], "key": "sync_hash", "value": "b"}]},
    ).json()["meta_data"]
    by_key = wc.put(
        f"products/{simple['id']}", {"meta_data": [{"key": "sync_hash", "value": "c"}]}
    ).json()["meta_data"]
    removed = wc.put(
        f"products/{simple['id']}", {"meta_data": [{"key": "sync_hash", "value": None}]}
    ).json()["meta_data"]

    assert [entry for entry in by_id if entry["key"] == "sync_hash"] == [
        {"id": meta["id"], "key": "sync_hash", "value": "b"}
    ]
    [replaced] = [entry for entry in by_key if entry["key"] == "sync_hash"]
    assert replaced["value"] == "c"
    assert replaced["id"] != meta["id"]
    assert all(entry["key"] != "sync_hash" for entry in removed)


def test_delete_trashes_then_force_deletes(wc, simple):
    trashed = wc.delete(f"products/{simple['id']}")
    again = wc.delete(f"products/{simple['id']}")
    forced = wc.delete(f"products/{simple['id']}", params={"force": "true"})
    gone = wc.get(f"products/{simple['id']}")

    assert (trashed.status_code, trashed.json()["status"]) == (200, "trash")
    assert again.status_code == 410
    assert again.json()["code"] == "woocommerce_rest_already_trashed"
    assert forced.status_code == 200
    assert gone.status_code == 404


def test_variable_product_and_its_variations(wc):
    variable = wc.get("products", params={"type": "variable"}).json()[0]

    response = wc.get(f"products/{variable['id']}/variations", params={"per_page": 100})

    variations = response.json()
    assert variable["sku"]
    assert variable["regular_price"] == ""
    assert sorted(variation["id"] for variation in variations) == sorted(variable["variations"])
    assert response.headers["X-WP-Total"] == str(len(variations))
    for variation in variations:
        assert variation["parent_id"] == variable["id"]
        assert variation["type"] == "variation"
        assert [attribute["name"] for attribute in variation["attributes"]] == ["Size", "Colour"]
        assert set(variation["attributes"][0]) == {"id", "name", "option"}
    cheapest = min(float(variation["price"]) for variation in variations if variation["price"])
    assert float(variable["price"]) == cheapest


def test_variations_can_take_stock_from_their_product(wc):
    variables = wc.get("products", params={"type": "variable", "per_page": 100}).json()
    parent = next(product for product in variables if product["manage_stock"] is True)

    variations = wc.get(f"products/{parent['id']}/variations").json()

    assert variations
    for variation in variations:
        assert variation["manage_stock"] == "parent"
        assert variation["stock_quantity"] == parent["stock_quantity"]


def test_variation_update_moves_its_product_too(wc, store):
    variable = wc.get("products", params={"type": "variable"}).json()[0]
    variation = wc.get(f"products/{variable['id']}/variations").json()[0]
    store.admin("POST", "clock", {"advance_seconds": 7200})

    response = wc.put(
        f"products/{variable['id']}/variations/{variation['id']}",
        {"sale_price": "1.00", "regular_price": "2.00"},
    )
    product = wc.get(f"products/{variable['id']}").json()

    assert response.status_code == 200
    assert response.json()["on_sale"] is True
    assert response.json()["price"] == "1.00"
    assert response.json()["date_modified_gmt"] > variation["date_modified_gmt"]
    assert product["date_modified_gmt"] == response.json()["date_modified_gmt"]
    assert product["price"] == "1.00"


def test_create_variation(wc, store):
    variable = wc.get("products", params={"type": "variable"}).json()[0]

    response = wc.post(
        f"products/{variable['id']}/variations",
        {
            "sku": "NEW-VARIATION",
            "regular_price": "15.00",
            "manage_stock": True,
            "stock_quantity": 3,
            "attributes": [{"id": 1, "option": "XXS"}],
        },
    )

    created = response.json()
    assert response.status_code == 201
    assert response.headers["Location"].endswith(
        f"/products/{variable['id']}/variations/{created['id']}"
    )
    assert created["attributes"] == [{"id": 1, "name": "Size", "option": "XXS"}]
    assert created["id"] in wc.get(f"products/{variable['id']}").json()["variations"]


def test_unknown_variation(wc):
    variable = wc.get("products", params={"type": "variable"}).json()[0]

    response = wc.get(f"products/{variable['id']}/variations/987654")

    assert response.status_code == 404
    assert response.json()["code"] == "woocommerce_rest_product_variation_invalid_id"


def test_fields_argument_cuts_the_answer_down(basic, store):
    response = basic.get(
        f"{store.api}/products",
        params={"_fields": "id,sku,date_modified_gmt,meta_data.key", "per_page": 100},
    )

    products = response.json()
    assert response.status_code == 200
    assert {frozenset(product) for product in products} == {
        frozenset({"id", "sku", "date_modified_gmt", "meta_data"})
    }
    keyed = [entry for product in products for entry in product["meta_data"]]
    assert keyed
    assert all(set(entry) == {"key"} for entry in keyed)
