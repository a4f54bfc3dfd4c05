"""The `query:` search syntax and the sort keys each connection accepts."""

from __future__ import annotations

PRODUCTS = """query($q: String, $sort: ProductSortKeys, $reverse: Boolean) {
  products(first: 60, query: $q, sortKey: $sort, reverse: $reverse) {
    nodes { id title status updatedAt variants(first: 6) { nodes { sku } } }
  }
}"""

VARIANTS = """query($q: String) {
  productVariants(first: 250, query: $q) { nodes { id sku updatedAt } }
}"""


def _variants(shop, query):
    return shop.data(VARIANTS, {"q": query})["productVariants"]["nodes"]


def test_updated_at_comparisons_split_the_catalogue(shop):
    every = _variants(shop, None)
    stamps = sorted(v["updatedAt"] for v in every)
    pivot = stamps[len(stamps) // 2]

    after = _variants(shop, f"updated_at:>'{pivot}'")
    at_or_after = _variants(shop, f"updated_at:>={pivot}")
    before = _variants(shop, f'updated_at:<"{pivot}"')
    at_or_before = _variants(shop, f"updated_at:<='{pivot}'")

    assert after
    assert all(v["updatedAt"] > pivot for v in after)
    assert all(v["updatedAt"] >= pivot for v in at_or_after)
    assert all(v["updatedAt"] < pivot for v in before)
    assert len(after) + len(at_or_before) == len(every)
    assert len(before) + len(at_or_after) == len(every)
    assert len(at_or_after) > len(after)


def test_sku_search_is_exact_and_combines_with_or_and_and(shop):
    skus = [v["sku"] for v in _variants(shop, None)]

    one = _variants(shop, f"sku:{skus[3]}")
    either = _variants(shop, f"sku:{skus[3]} OR sku:'{skus[7]}'")
    both = _variants(shop, f"sku:{skus[3]} AND sku:{skus[7]}")
    negated = _variants(shop, f"-sku:{skus[3]}")

    assert [v["sku"] for v in one] == [skus[3]]
    assert sorted(v["sku"] for v in either) == sorted([skus[3], skus[7]])
    assert both == []
    assert len(negated) == len(skus) - 1


def test_products_search_by_status_sku_and_id(shop):
    products = shop.data(PRODUCTS)["products"]["nodes"]
    ids = [int(p["id"].rsplit("/", 1)[1]) for p in products]
    with_variants = next(p for p in products if len(p["variants"]["nodes"]) > 1)
    sku = with_variants["variants"]["nodes"][1]["sku"]

    active = shop.data(PRODUCTS, {"q": "status:active"})["products"]["nodes"]
    by_sku = shop.data(PRODUCTS, {"q": f"sku:{sku}"})["products"]["nodes"]
    later = shop.data(PRODUCTS, {"q": f"id:>{ids[4]}"})["products"]["nodes"]
    unknown_field = shop.data(PRODUCTS, {"q": "colour_of_the_sky:blue"})["products"]["nodes"]

    assert active
    assert all(p["status"] == "ACTIVE" for p in active)
    assert [p["id"] for p in by_sku] == [with_variants["id"]]
    assert [p["id"] for p in later] == [p["id"] for p in products[5:]]
    assert len(unknown_field) == len(products)


def test_products_sort_by_updated_at_and_reverse(shop):
    ascending = shop.data(PRODUCTS, {"sort": "UPDATED_AT"})["products"]["nodes"]
    descending = shop.data(PRODUCTS, {"sort": "UPDATED_AT", "reverse": True})["products"]["nodes"]

    stamps = [p["updatedAt"] for p in ascending]
    assert stamps == sorted(stamps)
    assert [p["id"] for p in descending] == [p["id"] for p in reversed(ascending)]


def test_orders_sort_by_updated_at_and_page_by_cursor(shop):
    query = """query($after: String) {
      orders(first: 5, after: $after, sortKey: UPDATED_AT) {
        nodes { name updatedAt } pageInfo { hasNextPage endCursor } } }"""
    first = shop.data(query)["orders"]
    second = shop.data(query, {"after": first["pageInfo"]["endCursor"]})["orders"]

    stamps = [o["updatedAt"] for o in first["nodes"] + second["nodes"]]
    assert stamps == sorted(stamps)
    assert len({o["name"] for o in first["nodes"] + second["nodes"]}) == 10


def test_product_variants_cannot_sort_by_updated_at(shop):
    response = shop.post("{ productVariants(first: 5, sortKey: UPDATED_AT) { nodes { id } } }")

    body = response.json()
    assert response.status_code == 200
    assert "data" not in body
    assert "ProductVariantSortKeys" in body["errors"][0]["message"]


def test_product_variants_sort_by_sku(shop):
    nodes = shop.data("{ productVariants(first: 60, sortKey: SKU) { nodes { sku } } }")
    skus = [v["sku"] for v in nodes["productVariants"]["nodes"]]

    assert skus == sorted(skus)


def test_inventory_levels_of_a_location_filter_on_updated_at(shop, skus):
    now = shop.admin("POST", "/clock", json={"advance_seconds": 5}).json()["now"]
    since = now.split(".")[0].split("+")[0] + "Z"
    shop.admin("POST", "/clock", json={"advance_seconds": 5})
    changed = shop.admin(
        "PUT", "/inventory", json={"sku": skus[2], "location": "main", "available": 9}
    )
    assert changed.status_code == 200, changed.text
    location = shop.data("{ locations(first: 10) { nodes { id name } } }")["locations"]["nodes"]
    main = next(node["id"] for node in location if node["name"] == "Main Warehouse")

    data = shop.data(
        """query($id: ID!, $q: String) { location(id: $id) {
            inventoryLevels(first: 50, query: $q) { nodes { item { sku } } } } }""",
        {"id": main, "q": f"updated_at:>'{since}'"},
    )

    levels = data["location"]["inventoryLevels"]["nodes"]
    assert [level["item"]["sku"] for level in levels] == [skus[2]]
