"""Admin actions: orders placed, fulfilled and cancelled; clerk edits; stock set by hand."""

from __future__ import annotations


def _order_query(shop, name):
    data = shop.data(
        """query($q: String) { orders(first: 1, query: $q) { nodes { id name updatedAt
             closed cancelledAt cancelReason displayFulfillmentStatus displayFinancialStatus
             totalPriceSet { shopMoney { amount } } lineItems(first: 5) { nodes { sku quantity } }
           } } }""",
        {"q": f"name:{name}"},
    )
    return data["orders"]["nodes"][0]


def test_placing_an_order_commits_stock(shop, sandbox, skus, first_location):
    before = shop.variant(skus[0])
    sandbox.clock.advance(2)

    response = shop.admin(
        "POST",
        "/orders",
        json={"lines": [{"sku": skus[0], "quantity": 2}], "location": "main", "email": "a@b.co"},
    )

    assert response.status_code == 201
    placed = response.json()
    after = shop.variant(skus[0])
    was, now = shop.levels(before)[first_location], shop.levels(after)[first_location]
    assert now["available"] == was["available"] - 2
    assert now["committed"] == was["committed"] + 2
    assert now["on_hand"] == was["on_hand"]
    assert after["updatedAt"] > before["updatedAt"]
    order = _order_query(shop, placed["name"])
    assert order["id"] == placed["id"]
    assert order["lineItems"]["nodes"] == [{"sku": skus[0], "quantity": 2}]
    assert order["displayFulfillmentStatus"] == "UNFULFILLED"
    assert order["totalPriceSet"]["shopMoney"]["amount"] == placed["total"]


def test_fulfilling_ships_committed_stock(shop, skus, first_location):
    placed = shop.admin("POST", "/orders", json={"lines": [{"sku": skus[1], "quantity": 3}]}).json()
    before = shop.levels(shop.variant(skus[1]))[first_location]

    response = shop.admin("POST", f"/orders/{placed['number']}/fulfil")

    after = shop.levels(shop.variant(skus[1]))[first_location]
    assert response.status_code == 200
    assert after["committed"] == before["committed"] - 3
    assert after["on_hand"] == before["on_hand"] - 3
    assert after["available"] == before["available"]
    order = _order_query(shop, placed["name"])
    assert order["displayFulfillmentStatus"] == "FULFILLED"
    assert order["closed"] is True


def test_cancelling_restocks(shop, sandbox, skus, first_location):
    placed = shop.admin("POST", "/orders", json={"lines": [{"sku": skus[2], "quantity": 1}]}).json()
    before = shop.levels(shop.variant(skus[2]))[first_location]
    sandbox.clock.advance(2)

    response = shop.admin("POST", f"/orders/{placed['id'].rsplit('/', 1)[1]}/cancel", json={})

    after = shop.levels(shop.variant(skus[2]))[first_location]
    assert response.status_code == 200
    assert after["committed"] == before["committed"] - 1
    assert after["available"] == before["available"] + 1
    order = _order_query(shop, placed["name"])
    assert order["cancelledAt"] is not None
    assert order["cancelReason"] == "CUSTOMER"
    assert order["updatedAt"] > placed["updated_at"]
    assert shop.admin("POST", f"/orders/{placed['number']}/cancel").status_code == 400


def test_clerk_edits_a_variant_and_a_product(shop, sandbox, skus):
    before = shop.variant(skus[3])
    sandbox.clock.advance(2)

    edited = shop.admin("PATCH", f"/variants/{skus[3]}", json={"price": "5", "barcode": "999"})
    product = shop.admin(
        "PATCH", f"/products/{skus[3]}", json={"title": "Renamed", "status": "ARCHIVED"}
    )

    after = shop.variant(skus[3])
    assert edited.status_code == 200
    assert product.status_code == 200
    assert after["price"] == "5.00"
    assert after["barcode"] == "999"
    assert after["updatedAt"] > before["updatedAt"]
    assert after["product"]["title"] == "Renamed"
    assert after["product"]["status"] == "ARCHIVED"
    assert shop.admin("PATCH", f"/variants/{skus[3]}", json={"colour": "x"}).status_code == 400
    assert shop.admin("PATCH", "/variants/NOPE", json={"price": "1"}).status_code == 404


def test_stock_set_by_hand(shop, skus, first_location):
    response = shop.admin(
        "PUT", "/inventory", json={"sku": skus[4], "location": "main", "available": 13}
    )

    levels = shop.levels(shop.variant(skus[4]))
    assert response.status_code == 200
    assert levels[first_location]["available"] == 13
    listed = shop.admin("GET", "/inventory", params={"sku": skus[4]}).json()
    assert listed["levels"][0]["available"] == 13
    assert listed["levels"][0]["location"] == "main"
