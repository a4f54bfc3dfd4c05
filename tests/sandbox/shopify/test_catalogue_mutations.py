"""productCreate / productUpdate / productVariantsBulk* / metafieldsSet."""

from __future__ import annotations

BULK_UPDATE = """mutation($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {
    product { id updatedAt }
    productVariants { id sku price compareAtPrice barcode updatedAt inventoryItem { sku tracked } }
    userErrors { field message code }
  }
}"""

METAFIELDS_SET = """mutation($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) {
    metafields { id namespace key type value createdAt updatedAt ownerType }
    userErrors { field message code elementIndex }
  }
}"""


def test_bulk_update_changes_fields_and_moves_updated_at(shop, sandbox, skus):
    before = shop.variant(skus[0])
    sandbox.clock.advance(3)

    payload = shop.data(
        BULK_UPDATE,
        {
            "productId": before["product"]["id"],
            "variants": [
                {
                    "id": before["id"],
                    "price": "21.50",
                    "compareAtPrice": "30",
                    "barcode": "0123456789012",
                    "inventoryItem": {"sku": "RENAMED-1", "tracked": True},
                }
            ],
        },
    )["productVariantsBulkUpdate"]

    assert payload["userErrors"] == []
    variant = payload["productVariants"][0]
    assert variant["price"] == "21.50"
    assert variant["compareAtPrice"] == "30.00"
    assert variant["barcode"] == "0123456789012"
    assert variant["sku"] == "RENAMED-1"
    assert variant["inventoryItem"] == {"sku": "RENAMED-1", "tracked": True}
    assert variant["updatedAt"] > before["updatedAt"]
    assert payload["product"]["updatedAt"] > before["product"]["updatedAt"]


def test_bulk_update_clears_compare_at_price_with_null(shop, skus):
    before = shop.variant(skus[1])
    payload = shop.data(
        BULK_UPDATE,
        {
            "productId": before["product"]["id"],
            "variants": [{"id": before["id"], "compareAtPrice": None}],
        },
    )["productVariantsBulkUpdate"]

    assert payload["productVariants"][0]["compareAtPrice"] is None


def test_bulk_update_refuses_a_variant_of_another_product(shop, skus):
    mine, other = shop.variant(skus[0]), shop.variant(skus[1])

    payload = shop.data(
        BULK_UPDATE,
        {
            "productId": mine["product"]["id"],
            "variants": [{"id": mine["id"], "price": "1.00"}, {"id": other["id"], "price": "2.00"}],
        },
    )["productVariantsBulkUpdate"]

    assert payload["userErrors"] == [
        {
            "field": ["variants", "1", "id"],
            "message": "Product variant does not exist",
            "code": "PRODUCT_VARIANT_DOES_NOT_EXIST",
        }
    ]
    assert payload["productVariants"] is None
    assert shop.variant(skus[0])["price"] == mine["price"]


def test_bulk_update_of_a_missing_product(shop, skus):
    variant = shop.variant(skus[0])
    payload = shop.data(
        BULK_UPDATE,
        {"productId": "gid://shopify/Product/1", "variants": [{"id": variant["id"]}]},
    )["productVariantsBulkUpdate"]

    assert payload["userErrors"][0]["code"] == "PRODUCT_DOES_NOT_EXIST"


def test_create_a_product_with_variants_then_unpublish_it(shop):
    created = shop.data(
        """mutation { productCreate(product: {
             title: "Glacier Parka", descriptionHtml: "<p>Warm.</p>", tags: ["Winter", "Outdoor"],
             productOptions: [{name: "Size", values: [{name: "S"}, {name: "M"}]}]
           }) { product { id handle status tags options { name values }
                variants(first: 5) { nodes { id title } } } userErrors { field message } } }"""
    )["productCreate"]
    product = created["product"]
    first_variant = product["variants"]["nodes"][0]

    added = shop.data(
        """mutation($id: ID!) { productVariantsBulkCreate(productId: $id, variants: [
             {optionValues: [{optionName: "Size", name: "M"}], price: "99.00",
              inventoryItem: {sku: "PARKA-M"}},
             {optionValues: [{optionName: "Size", name: "S"}], price: "99.00"}
           ]) { productVariants { sku price title }
                userErrors { field message code } } }""",
        {"id": product["id"]},
    )["productVariantsBulkCreate"]
    unpublished = shop.data(
        """mutation($id: ID!) { productUpdate(product: {id: $id, status: DRAFT, title: "Parka"}) {
             product { status title updatedAt } userErrors { field message } } }""",
        {"id": product["id"]},
    )["productUpdate"]

    assert created["userErrors"] == []
    assert product["handle"] == "glacier-parka"
    assert product["status"] == "ACTIVE"
    assert product["tags"] == ["Outdoor", "Winter"]
    assert product["options"] == [{"name": "Size", "values": ["S", "M"]}]
    assert first_variant["title"] == "S"
    assert added["productVariants"] is None
    assert added["userErrors"][0]["code"] == "VARIANT_ALREADY_EXISTS"
    assert unpublished["userErrors"] == []
    assert unpublished["product"]["status"] == "DRAFT"
    assert unpublished["product"]["title"] == "Parka"


def test_bulk_create_replaces_the_standalone_variant(shop):
    product = shop.data(
        'mutation { productCreate(product: {title: "Plain Mug"}) { product { id } } }'
    )["productCreate"]["product"]

    added = shop.data(
        """mutation($id: ID!) { productVariantsBulkCreate(productId: $id, variants: [
             {optionValues: [{optionName: "Colour", name: "Red"}], price: "12.00",
              inventoryItem: {sku: "MUG-RED"}}]) {
             product { variants(first: 5) { nodes { sku selectedOptions { name value } } } }
             userErrors { code } } }""",
        {"id": product["id"]},
    )["productVariantsBulkCreate"]

    assert added["userErrors"] == []
    assert added["product"]["variants"]["nodes"] == [
        {"sku": "MUG-RED", "selectedOptions": [{"name": "Colour", "value": "Red"}]}
    ]


def test_product_create_needs_a_title(shop):
    payload = shop.data(
        'mutation { productCreate(product: {title: " "}) {'
        " product { id } userErrors { field message } } }"
    )["productCreate"]

    assert payload == {
        "product": None,
        "userErrors": [{"field": ["title"], "message": "Title can't be blank"}],
    }


def test_metafields_set_creates_then_updates(shop, sandbox, skus):
    variant = shop.variant(skus[0])
    entry = {
        "ownerId": variant["id"],
        "namespace": "sync",
        "key": "price_clock",
        "type": "json",
        "value": '{"at": "2026-01-01T00:00:00Z"}',
    }

    created = shop.data(METAFIELDS_SET, {"metafields": [entry]})["metafieldsSet"]
    sandbox.clock.advance(2)
    updated = shop.data(
        METAFIELDS_SET, {"metafields": [dict(entry, value='{"at": "2026-02-01T00:00:00Z"}')]}
    )["metafieldsSet"]
    read = shop.data(
        """query($id: ID!) { productVariant(id: $id) {
             metafield(namespace: "sync", key: "price_clock") { value jsonValue }
             metafields(first: 5, namespace: "sync") { nodes { key } } } }""",
        {"id": variant["id"]},
    )["productVariant"]

    assert created["userErrors"] == []
    assert created["metafields"][0]["ownerType"] == "PRODUCTVARIANT"
    assert updated["metafields"][0]["id"] == created["metafields"][0]["id"]
    assert updated["metafields"][0]["updatedAt"] > created["metafields"][0]["updatedAt"]
    assert updated["metafields"][0]["createdAt"] == created["metafields"][0]["createdAt"]
    assert read["metafield"] == {
        "value": '{"at": "2026-02-01T00:00:00Z"}',
        "jsonValue": {"at": "2026-02-01T00:00:00Z"},
    }
    assert read["metafields"]["nodes"] == [{"key": "price_clock"}]


def test_metafields_set_is_all_or_nothing(shop, skus):
    variant = shop.variant(skus[2])
    good = {
        "ownerId": variant["id"],
        "namespace": "sync",
        "key": "a",
        "type": "number_integer",
        "value": "3",
    }
    bad = dict(good, key="b", value="three")

    payload = shop.data(METAFIELDS_SET, {"metafields": [good, bad]})["metafieldsSet"]
    read = shop.data(
        'query($id: ID!) { productVariant(id: $id) { metafield(namespace: "sync", key: "a")'
        " { id } } }",
        {"id": variant["id"]},
    )

    assert payload["metafields"] is None
    assert payload["userErrors"] == [
        {
            "field": ["metafields", "1", "value"],
            "message": "Value is invalid for the type number_integer.",
            "code": "INVALID_VALUE",
            "elementIndex": 1,
        }
    ]
    assert read["productVariant"]["metafield"] is None


def test_metafields_set_takes_at_most_25(shop, skus):
    variant = shop.variant(skus[0])
    entries = [
        {
            "ownerId": variant["id"],
            "namespace": "n",
            "key": f"k{i}",
            "type": "single_line_text_field",
            "value": "v",
        }
        for i in range(26)
    ]

    body = shop.post(METAFIELDS_SET, {"metafields": entries}).json()

    assert body["errors"][0]["message"] == (
        "The input array size of 26 is greater than the maximum allowed of 25."
    )
    assert body["errors"][0]["extensions"] == {"code": "MAX_INPUT_SIZE_EXCEEDED"}
    assert body["errors"][0]["path"] == ["metafieldsSet", "metafields"]
    assert "data" not in body
    assert (
        shop.data(METAFIELDS_SET, {"metafields": entries[:25]})["metafieldsSet"]["userErrors"] == []
    )
