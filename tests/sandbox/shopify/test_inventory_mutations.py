"""inventorySetQuantities / inventoryAdjustQuantities / inventoryActivate, per API version."""

from __future__ import annotations

import uuid

SET = """mutation($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { createdAt reason referenceDocumentUri
      changes { name delta quantityAfterChange item { id } location { id } } }
    userErrors { field message code }
  }
}"""

SET_IDEMPOTENT = """mutation($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id changes { name delta quantityAfterChange } }
    userErrors { field message code }
  }
}"""

ADJUST = """mutation($input: InventoryAdjustQuantitiesInput!) {
  inventoryAdjustQuantities(input: $input) @idempotent(key: "%s") {
    inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange } }
    userErrors { field message code }
  }
}"""


def _stock(shop, sku, location):
    variant = shop.variant(sku)
    return variant["inventoryItem"]["id"], shop.levels(variant)[location]


def _set_input(item, location, quantity, **fields):
    return {
        "name": "available",
        "reason": "correction",
        "referenceDocumentUri": "logistics://sync/run/1",
        "quantities": [
            {"inventoryItemId": item, "locationId": location, "quantity": quantity, **fields}
        ],
    }


def test_2025_01_compare_quantity_sets_when_current(shop, first_location, skus):
    item, before = _stock(shop, skus[1], first_location)
    target = before["available"] + 7

    payload = shop.data(
        SET,
        {"input": _set_input(item, first_location, target, compareQuantity=before["available"])},
        version="2025-01",
    )["inventorySetQuantities"]

    assert payload["userErrors"] == []
    group = payload["inventoryAdjustmentGroup"]
    assert group["reason"] == "correction"
    assert group["referenceDocumentUri"] == "logistics://sync/run/1"
    assert {c["name"]: (c["delta"], c["quantityAfterChange"]) for c in group["changes"]} == {
        "available": (7, target),
        "on_hand": (7, before["on_hand"] + 7),
    }
    assert all(c["item"]["id"] == item for c in group["changes"])
    assert _stock(shop, skus[1], first_location)[1]["available"] == target


def test_2025_01_stale_compare_quantity_changes_nothing(shop, first_location, skus):
    item, before = _stock(shop, skus[2], first_location)

    payload = shop.data(
        SET,
        {"input": _set_input(item, first_location, 3, compareQuantity=before["available"] + 1)},
        version="2025-01",
    )["inventorySetQuantities"]

    assert payload["inventoryAdjustmentGroup"] is None
    assert payload["userErrors"] == [
        {
            "field": ["input", "quantities", "0", "compareQuantity"],
            "message": "The compareQuantity value does not match persisted value.",
            "code": "COMPARE_QUANTITY_STALE",
        }
    ]
    assert _stock(shop, skus[2], first_location)[1] == before


def test_2025_01_compare_quantity_required_unless_ignored(shop, first_location, skus):
    item, _ = _stock(shop, skus[3], first_location)
    missing = shop.data(SET, {"input": _set_input(item, first_location, 5)}, version="2025-01")
    ignored_input = _set_input(item, first_location, 5)
    ignored_input["ignoreCompareQuantity"] = True
    ignored = shop.data(SET, {"input": ignored_input}, version="2025-01")

    assert missing["inventorySetQuantities"]["userErrors"][0]["code"] == "COMPARE_QUANTITY_REQUIRED"
    assert ignored["inventorySetQuantities"]["userErrors"] == []
    assert _stock(shop, skus[3], first_location)[1]["available"] == 5


def test_2025_01_has_no_change_from_quantity_nor_idempotent(shop, first_location, skus):
    item, _ = _stock(shop, skus[4], first_location)
    with_change_from = shop.post(
        SET, {"input": _set_input(item, first_location, 5, changeFromQuantity=1)}, version="2025-01"
    ).json()
    with_directive = shop.post(
        SET_IDEMPOTENT,
        {"input": _set_input(item, first_location, 5), "key": "k"},
        version="2025-01",
    ).json()

    assert "changeFromQuantity" in with_change_from["errors"][0]["message"]
    assert "idempotent" in with_directive["errors"][0]["message"]
    assert "data" not in with_change_from
    assert "data" not in with_directive


def test_2026_04_requires_change_from_quantity(shop, first_location, skus):
    item, before = _stock(shop, skus[5], first_location)
    key = str(uuid.uuid4())

    missing = shop.data(
        SET_IDEMPOTENT,
        {"input": _set_input(item, first_location, 9), "key": key},
        version="2026-04",
    )["inventorySetQuantities"]
    compare = shop.post(
        SET_IDEMPOTENT,
        {"input": _set_input(item, first_location, 9, compareQuantity=0), "key": key},
        version="2026-04",
    ).json()

    assert missing["inventoryAdjustmentGroup"] is None
    assert missing["userErrors"][0]["field"] == [
        "input",
        "quantities",
        "0",
        "changeFromQuantity",
    ]
    assert "compareQuantity" in compare["errors"][0]["message"]
    assert _stock(shop, skus[5], first_location)[1] == before


def test_2026_04_stale_change_from_quantity(shop, first_location, skus):
    item, before = _stock(shop, skus[6], first_location)
    stale = _set_input(item, first_location, 9, changeFromQuantity=before["available"] + 2)

    payload = shop.data(
        SET_IDEMPOTENT, {"input": stale, "key": str(uuid.uuid4())}, version="2026-04"
    )["inventorySetQuantities"]

    assert payload["userErrors"] == [
        {
            "field": ["input", "quantities", "0", "changeFromQuantity"],
            "message": "The changeFromQuantity value does not match persisted value.",
            "code": "CHANGE_FROM_QUANTITY_STALE",
        }
    ]
    assert _stock(shop, skus[6], first_location)[1] == before


def test_2026_04_explicit_null_change_from_quantity_opts_out(shop, first_location, skus):
    item, _ = _stock(shop, skus[7], first_location)
    unchecked = _set_input(item, first_location, 42, changeFromQuantity=None)

    payload = shop.data(
        SET_IDEMPOTENT, {"input": unchecked, "key": str(uuid.uuid4())}, version="2026-04"
    )["inventorySetQuantities"]

    assert payload["userErrors"] == []
    assert _stock(shop, skus[7], first_location)[1]["available"] == 42


def test_2026_04_requires_the_idempotent_directive(shop, first_location, skus):
    item, before = _stock(shop, skus[8], first_location)
    body = shop.post(
        SET,
        {"input": _set_input(item, first_location, 1, changeFromQuantity=before["available"])},
        version="2026-04",
    ).json()

    assert "@idempotent" in body["errors"][0]["message"]
    assert body["data"] == {"inventorySetQuantities": None}
    assert _stock(shop, skus[8], first_location)[1] == before


def test_a_reused_idempotency_key_applies_once(shop, first_location, skus):
    item, before = _stock(shop, skus[9], first_location)
    key = str(uuid.uuid4())
    request = {
        "input": _set_input(item, first_location, 77, changeFromQuantity=before["available"]),
        "key": key,
    }

    first = shop.data(SET_IDEMPOTENT, request, version="2026-04")["inventorySetQuantities"]
    again = shop.data(SET_IDEMPOTENT, request, version="2026-04")["inventorySetQuantities"]
    other = dict(request, input=_set_input(item, first_location, 5, changeFromQuantity=77))
    mismatch = shop.data(SET_IDEMPOTENT, other, version="2026-04")["inventorySetQuantities"]

    assert first["userErrors"] == []
    assert again == first
    assert mismatch["userErrors"][0]["code"] == "IDEMPOTENCY_KEY_PARAMETER_MISMATCH"
    assert _stock(shop, skus[9], first_location)[1]["available"] == 77


def test_2026_01_change_from_quantity_overrides_compare_quantity(shop, first_location, skus):
    item, before = _stock(shop, skus[10], first_location)
    both = _set_input(
        item, first_location, 11, compareQuantity=-5, changeFromQuantity=before["available"]
    )

    payload = shop.data(SET, {"input": both}, version="2026-01")["inventorySetQuantities"]

    assert payload["userErrors"] == []
    assert _stock(shop, skus[10], first_location)[1]["available"] == 11


def test_set_on_hand_moves_available_with_it(shop, first_location, skus):
    item, before = _stock(shop, skus[11], first_location)
    on_hand = _set_input(item, first_location, before["on_hand"] + 4, changeFromQuantity=None)
    on_hand["name"] = "on_hand"

    payload = shop.data(SET, {"input": on_hand}, version="2026-01")["inventorySetQuantities"]

    after = _stock(shop, skus[11], first_location)[1]
    assert payload["userErrors"] == []
    assert after["on_hand"] == before["on_hand"] + 4
    assert after["available"] == before["available"] + 4
    assert after["committed"] == before["committed"]


def test_unknown_item_location_name_and_reason_are_user_errors(shop, first_location, skus):
    item, _ = _stock(shop, skus[12], first_location)
    bad = _set_input("gid://shopify/InventoryItem/1", "gid://shopify/Location/1", 1)
    bad["quantities"].append(
        {"inventoryItemId": item, "locationId": "gid://shopify/Location/1", "quantity": 1}
    )
    bad["name"] = "incoming"
    bad["reason"] = "because"
    bad["ignoreCompareQuantity"] = True

    errors = shop.data(SET, {"input": bad}, version="2025-01")["inventorySetQuantities"][
        "userErrors"
    ]

    assert {error["code"] for error in errors} == {
        "INVALID_REASON",
        "INVALID_NAME",
        "INVALID_INVENTORY_ITEM",
        "INVALID_LOCATION",
    }


def test_more_than_250_quantities_is_refused(shop, first_location, skus):
    item, _ = _stock(shop, skus[13], first_location)
    too_many = _set_input(item, first_location, 1)
    too_many["quantities"] = too_many["quantities"] * 251

    response = shop.post(SET, {"input": too_many}, version="2025-01")

    body = response.json()
    assert response.status_code == 200
    assert body["errors"][0]["message"] == (
        "The input array size of 251 is greater than the maximum allowed of 250."
    )
    assert body["errors"][0]["extensions"]["code"] == "MAX_INPUT_SIZE_EXCEEDED"
    assert "data" not in body


def test_adjust_quantities_by_delta(shop, first_location, skus):
    item, before = _stock(shop, skus[14], first_location)
    request = {
        "name": "available",
        "reason": "received",
        "changes": [{"delta": -3, "inventoryItemId": item, "locationId": first_location}],
    }

    payload = shop.data(ADJUST % uuid.uuid4(), {"input": request}, version="2026-04")

    changes = payload["inventoryAdjustQuantities"]["inventoryAdjustmentGroup"]["changes"]
    assert {c["name"]: c["delta"] for c in changes} == {"available": -3, "on_hand": -3}
    after = _stock(shop, skus[14], first_location)[1]
    assert after["available"] == before["available"] - 3
    assert after["on_hand"] == before["on_hand"] - 3


def test_mutations_move_updated_at(shop, sandbox, first_location, skus):
    variant = shop.variant(skus[15])
    sandbox.clock.advance(5)
    shop.data(
        SET,
        {
            "input": _set_input(
                variant["inventoryItem"]["id"], first_location, 1, changeFromQuantity=None
            )
        },
        version="2026-01",
    )

    after = shop.variant(skus[15])
    assert after["updatedAt"] > variant["updatedAt"]
    assert after["inventoryItem"]["updatedAt"] > variant["inventoryItem"]["updatedAt"]
    assert after["product"]["updatedAt"] > variant["product"]["updatedAt"]


def test_inventory_activate_stocks_an_item_once(shop):
    locations = shop.data("{ locations(first: 5, sortKey: ID) { nodes { id } } }")
    second_location = locations["locations"]["nodes"][1]["id"]
    created = shop.data(
        """mutation { productCreate(product: {title: "Fresh Item"}) {
             product { variants(first: 1) { nodes { inventoryItem { id } } } } } }"""
    )
    item = created["productCreate"]["product"]["variants"]["nodes"][0]["inventoryItem"]["id"]
    mutation = """mutation($item: ID!, $loc: ID!) {
      inventoryActivate(inventoryItemId: $item, locationId: $loc, available: 4) {
        inventoryLevel { quantities(names: ["available"]) { quantity } }
        userErrors { message } } }"""

    level = """query($item: ID!, $loc: ID!) { inventoryItem(id: $item) {
      inventoryLevel(locationId: $loc) { id } } }"""
    before = shop.data(level, {"item": item, "loc": second_location})
    first = shop.data(mutation, {"item": item, "loc": second_location})["inventoryActivate"]
    again = shop.data(mutation, {"item": item, "loc": second_location})["inventoryActivate"]
    missing = shop.data(mutation, {"item": "gid://shopify/InventoryItem/9", "loc": second_location})

    assert before["inventoryItem"]["inventoryLevel"] is None
    assert first["userErrors"] == []
    assert first["inventoryLevel"]["quantities"] == [{"quantity": 4}]
    assert again == first
    assert (
        missing["inventoryActivate"]["userErrors"][0]["message"] == "Inventory item does not exist"
    )
