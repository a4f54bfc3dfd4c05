"""The record API: sales orders, inventory items and customers, with stock and history."""

from __future__ import annotations

import requests

from sandbox.server import Sandbox

SKU = "SKU-000001"


def order_body(item_id: str, quantity: int = 2, external_id: str | None = None) -> dict:
    body = {
        "entity": {"id": "101"},
        "location": {"id": "1"},
        "item": {"items": [{"item": {"id": item_id}, "quantity": quantity, "rate": 10.5}]},
    }
    if external_id:
        body["externalId"] = external_id
    return body


def stock(netsuite, item_id: str, location: int = 1) -> dict[str, int]:
    row = netsuite.rows(
        "SELECT quantityonhand, quantitycommitted, quantityavailable, quantitybackordered "
        f"FROM inventoryitemlocations WHERE item = {item_id} AND location = {location}"
    )[0]
    return {key: int(float(value)) for key, value in row.items() if key != "links"}


def sellable_item(netsuite) -> str:
    return netsuite.rows(
        "SELECT i.id FROM item i JOIN inventoryitemlocations iil ON iil.item = i.id "
        "WHERE iil.location = 1 AND iil.quantityavailable >= 5 AND i.isinactive = 'F' "
        "AND i.matrixtype IS NULL ORDER BY i.id FETCH FIRST 1 ROWS ONLY"
    )[0]["id"]


def create(netsuite, body: dict) -> requests.Response:
    return netsuite.session.post(f"{netsuite.url}/record/v1/salesOrder", json=body)


def test_create_answers_204_with_location_and_commits_stock(netsuite):
    item_id = sellable_item(netsuite)
    before = stock(netsuite, item_id)

    response = create(netsuite, order_body(item_id, 2, "shopify:9001"))

    assert response.status_code == 204
    assert response.text == ""
    order_id = response.headers["Location"].rsplit("/", 1)[1]
    assert response.headers["Location"] == f"{netsuite.url}/record/v1/salesOrder/{order_id}"
    after = stock(netsuite, item_id)
    assert after["quantitycommitted"] == before["quantitycommitted"] + 2
    assert after["quantityavailable"] == before["quantityavailable"] - 2
    assert after["quantityonhand"] == before["quantityonhand"]
    row = netsuite.rows(
        f"SELECT status, externalid, foreigntotal FROM transaction WHERE id = {order_id}"
    )[0]
    assert row == {"links": [], "status": "B", "externalid": "shopify:9001", "foreigntotal": "21"}
    line = netsuite.rows(
        "SELECT quantity, netamount FROM transactionline "
        f"WHERE transaction = {order_id} AND mainline = 'F' AND taxline = 'F'"
    )
    assert line == [{"links": [], "quantity": "-2", "netamount": "-21"}]


def test_get_by_id_and_eid_with_sublist_as_link_or_expanded(netsuite):
    item_id = sellable_item(netsuite)
    location = create(netsuite, order_body(item_id, 1, "woocommerce:7001")).headers["Location"]

    by_id = netsuite.session.get(location).json()
    by_eid = netsuite.record("salesOrder/eid:woocommerce:7001").json()
    expanded = netsuite.session.get(location, params={"expandSubResources": "true"}).json()

    assert by_id == by_eid
    assert by_id["externalId"] == "woocommerce:7001"
    assert by_id["entity"]["id"] == "101"
    assert by_id["orderStatus"] == {"id": "B", "refName": "Pending Fulfillment"}
    assert by_id["item"] == {"links": [{"rel": "self", "href": f"{location}/item"}]}
    lines = expanded["item"]["items"]
    assert [(line["item"]["id"], line["quantity"], line["rate"]) for line in lines] == [
        (item_id, 1.0, 10.5)
    ]
    assert by_id["lastModifiedDate"].endswith("Z")


def test_upsert_by_external_id_twice_makes_one_order(netsuite):
    item_id = sellable_item(netsuite)
    url = f"{netsuite.url}/record/v1/salesOrder/eid:shopify:9100"
    before = stock(netsuite, item_id)

    first = netsuite.session.put(url, json=order_body(item_id, 3))
    second = netsuite.session.put(url, params={"replace": "item"}, json=order_body(item_id, 3))

    assert first.status_code == second.status_code == 204
    assert first.headers["Location"] == second.headers["Location"]
    orders = netsuite.rows("SELECT id FROM transaction WHERE externalid = 'shopify:9100'")
    assert len(orders) == 1
    lines = netsuite.rows(
        "SELECT quantity FROM transactionline WHERE mainline = 'F' AND taxline = 'F' "
        f"AND transaction = {orders[0]['id']}"
    )
    assert lines == [{"links": [], "quantity": "-3"}]
    assert stock(netsuite, item_id)["quantitycommitted"] == before["quantitycommitted"] + 3


def test_patch_appends_lines_and_replace_swaps_them(netsuite):
    item_id = sellable_item(netsuite)
    location = create(netsuite, order_body(item_id, 1)).headers["Location"]
    extra = {"item": {"items": [{"item": {"id": item_id}, "quantity": 2}]}}

    appended = netsuite.session.patch(location, json=extra)
    after_append = netsuite.session.get(location + "/item").json()["items"]
    replaced = netsuite.session.patch(location, params={"replace": "item"}, json=extra)
    after_replace = netsuite.session.get(location + "/item").json()["items"]

    assert appended.status_code == replaced.status_code == 204
    assert [line["quantity"] for line in after_append] == [1.0, 2.0]
    assert [line["quantity"] for line in after_replace] == [2.0]


def test_patch_keeps_omitted_fields(netsuite):
    item_id = sellable_item(netsuite)
    location = create(netsuite, order_body(item_id, 1, "shopify:9200")).headers["Location"]

    netsuite.session.patch(location, json={"memo": "gift wrap"})

    order = netsuite.session.get(location).json()
    assert order["memo"] == "gift wrap"
    assert order["externalId"] == "shopify:9200"
    assert order["total"] == 10.5


def test_closing_a_line_releases_commitment_and_moves_history(sandbox: Sandbox, netsuite):
    item_id = sellable_item(netsuite)
    before = stock(netsuite, item_id)
    location = create(netsuite, order_body(item_id, 2)).headers["Location"]
    order_id = location.rsplit("/", 1)[1]
    stamp = "TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lm"
    created = netsuite.rows(f"SELECT {stamp} FROM transaction WHERE id = {order_id}")[0]["lm"]

    requests.post(f"{netsuite.admin}/clock", json={"advance_seconds": 120})
    close = {
        "item": {"items": [{"line": 1, "item": {"id": item_id}, "quantity": 2, "isClosed": True}]}
    }
    response = netsuite.session.patch(location, json=close)

    assert response.status_code == 204
    assert stock(netsuite, item_id) == before
    order = netsuite.rows(f"SELECT status, {stamp} FROM transaction WHERE id = {order_id}")[0]
    assert order["status"] == "H"
    assert order["lm"] > created
    notes = netsuite.rows(
        "SELECT field, oldvalue, newvalue, context FROM systemnote "
        f"WHERE recordtypeid = -30 AND recordid = {order_id} ORDER BY id"
    )
    assert {
        "links": [],
        "field": "status",
        "oldvalue": "B",
        "newvalue": "H",
        "context": "RST",
    } in notes


def test_cancel_releases_and_fulfil_ships(netsuite):
    item_id = sellable_item(netsuite)
    before = stock(netsuite, item_id)
    cancelled = create(netsuite, order_body(item_id, 2, "shopify:9301")).headers["Location"]
    shipped = create(netsuite, order_body(item_id, 3, "shopify:9302")).headers["Location"]

    cancel = requests.post(f"{netsuite.admin}/sales-orders/eid:shopify:9301/cancel")
    fulfil = requests.post(
        f"{netsuite.admin}/sales-orders/{shipped.rsplit('/', 1)[1]}/fulfil", json={"bill": True}
    )

    assert cancel.json() == {"status": "C"}
    assert fulfil.json() == {"status": "G"}
    assert netsuite.session.get(cancelled).json()["orderStatus"]["id"] == "C"
    after = stock(netsuite, item_id)
    assert after["quantityonhand"] == before["quantityonhand"] - 3
    assert after["quantitycommitted"] == before["quantitycommitted"]
    assert after["quantityavailable"] == before["quantityavailable"] - 3


def test_over_ordering_backorders_the_rest(netsuite):
    item_id = sellable_item(netsuite)
    before = stock(netsuite, item_id)
    quantity = before["quantityavailable"] + 4

    create(netsuite, order_body(item_id, quantity))

    after = stock(netsuite, item_id)
    assert after["quantityavailable"] == 0
    assert after["quantitybackordered"] == before["quantitybackordered"] + 4


def test_unknown_item_and_entity_are_invalid_content(netsuite):
    item_id = sellable_item(netsuite)
    orders_before = len(netsuite_orders(netsuite))
    bad_item = create(netsuite, order_body("999999"))
    bad_entity = create(netsuite, {**order_body(item_id), "entity": {"id": "424242"}})

    assert bad_item.status_code == bad_entity.status_code == 400
    item_error = bad_item.json()["o:errorDetails"][0]
    assert item_error["o:errorCode"] == "INVALID_CONTENT"
    assert item_error["o:errorPath"] == "item.items[0].item"
    assert "999999" in item_error["detail"]
    assert bad_entity.json()["o:errorDetails"][0]["o:errorPath"] == "entity"
    assert len(netsuite_orders(netsuite)) == orders_before


def netsuite_orders(netsuite) -> list[dict]:
    return netsuite.rows("SELECT id FROM transaction WHERE type = 'SalesOrd'")


def test_missing_entity_bad_json_and_unknown_ids(netsuite):
    item_id = sellable_item(netsuite)
    body = order_body(item_id)
    del body["entity"]
    missing = create(netsuite, body)
    broken = netsuite.session.post(
        f"{netsuite.url}/record/v1/salesOrder",
        data="{not json",
        headers={"Content-Type": "application/json"},
    )
    unknown = netsuite.record("salesOrder/987654")
    unknown_eid = netsuite.record("salesOrder/eid:shopify:nope")
    unknown_path = netsuite.record("noSuchRecordType/1")

    assert missing.status_code == 400
    assert missing.json()["o:errorDetails"][0]["o:errorCode"] == "USER_ERROR"
    assert broken.status_code == 400
    assert broken.json()["o:errorDetails"][0]["o:errorCode"] == "INVALID_CONTENT"
    for response in (unknown, unknown_eid):
        assert response.status_code == 404
        assert response.json()["o:errorDetails"][0]["o:errorCode"] == "NONEXISTENT_ID"
    assert unknown_path.status_code == 404
    assert unknown_path.json()["status"] == 404


def test_inventory_item_get_and_patch_with_custom_fields(sandbox: Sandbox, netsuite):
    item_id = netsuite.rows(f"SELECT id FROM item WHERE itemid = '{SKU}'")[0]["id"]
    url = f"{netsuite.url}/record/v1/inventoryItem/{item_id}"
    before = netsuite.session.get(url).json()

    requests.post(f"{netsuite.admin}/clock", json={"advance_seconds": 60})
    patch = {
        "displayName": "Renamed Apron",
        "custitem_sync_hash": "abc123",
        "notAField": 1,
        "quantityOnHand": 999,
    }
    response = netsuite.session.patch(url, json=patch)
    after = netsuite.session.get(url).json()

    assert response.status_code == 204
    assert before["itemId"] == SKU
    assert after["displayName"] == "Renamed Apron"
    assert after["custitem_sync_hash"] == "abc123"
    assert after["lastModifiedDate"] > before["lastModifiedDate"]
    assert "notAField" not in after
    levels = netsuite.session.get(url + "/locations").json()["items"]
    assert 999 not in [level["quantityOnHand"] for level in levels]
    notes = netsuite.rows(
        "SELECT field, newvalue FROM systemnote WHERE recordtypeid = -10 "
        f"AND recordid = {item_id} AND context = 'RST' ORDER BY id"
    )
    assert [(n["field"], n["newvalue"]) for n in notes] == [
        ("displayname", "Renamed Apron"),
        ("custitem_sync_hash", "abc123"),
    ]


def test_strict_property_validation_refuses_unknown_fields(netsuite):
    url = f"{netsuite.url}/record/v1/inventoryItem/1"

    response = netsuite.session.patch(
        url,
        json={"displayName": "X", "notAField": 1},
        headers={"X-NetSuite-PropertyNameValidation": "error"},
    )

    assert response.status_code == 400
    detail = response.json()["o:errorDetails"][0]
    assert detail["o:errorCode"] == "NONEXISTENT_FIELD"
    assert detail["o:errorPath"] == "notAField"
    assert netsuite.session.get(url).json()["displayName"] != "X"


def test_custom_field_defined_by_admin_is_writable_and_queryable(netsuite):
    defined = requests.post(
        f"{netsuite.admin}/custom-fields",
        json={"scriptid": "custitem_store_flag", "type": "checkbox"},
    )
    response = netsuite.session.patch(
        f"{netsuite.url}/record/v1/inventoryItem/1", json={"custitem_store_flag": True}
    )

    assert defined.status_code == 201
    assert response.status_code == 204
    assert netsuite.rows("SELECT custitem_store_flag FROM item WHERE id = 1")[0] == {
        "links": [],
        "custitem_store_flag": "T",
    }


def test_customer_create_and_lookup_by_email(netsuite):
    body = {"firstName": "Zoe", "lastName": "Quinn", "email": "zoe.quinn@example.com"}

    created = netsuite.session.post(f"{netsuite.url}/record/v1/customer", json=body)
    customer_id = created.headers["Location"].rsplit("/", 1)[1]
    by_filter = netsuite.record("customer", params={"q": 'email IS "zoe.quinn@example.com"'})
    by_suiteql = netsuite.rows(
        "SELECT id, entityid, isperson FROM customer WHERE email = 'zoe.quinn@example.com'"
    )
    record = netsuite.record(f"customer/{customer_id}").json()

    assert created.status_code == 204
    assert [item["id"] for item in by_filter.json()["items"]] == [customer_id]
    assert by_suiteql == [
        {"links": [], "id": customer_id, "entityid": f"CUS{customer_id}", "isperson": "T"}
    ]
    assert record["email"] == "zoe.quinn@example.com"
    assert record["isPerson"] is True


def test_customer_needs_a_name(netsuite):
    response = netsuite.session.post(
        f"{netsuite.url}/record/v1/customer", json={"email": "nobody@example.com"}
    )

    assert response.status_code == 400
    assert response.json()["o:errorDetails"][0]["o:errorCode"] == "USER_ERROR"


def test_item_by_external_id_with_locations_and_prices(sandbox: Sandbox, netsuite):
    item = sandbox.catalogue.items[0]
    netsuite.session.patch(f"{netsuite.url}/record/v1/inventoryItem/1", json={"externalId": "x-1"})

    record = netsuite.record("inventoryItem/eid:x-1").json()
    levels = netsuite.record("inventoryItem/1/locations").json()["items"]
    prices = netsuite.record("inventoryItem/1/price").json()["items"]

    assert record["id"] == "1"
    assert record["itemId"] == item.sku
    assert {level["location"]["id"]: level["quantityOnHand"] for level in levels} == {
        "1": item.on_hand["main"],
        "2": item.on_hand["east"],
    }
    by_level = {price["priceLevelName"]: price["price"] for price in prices}
    assert by_level["Base Price"] == float(item.price)
