"""Connections page as Shopify's do: cursors, pageInfo, both directions, the 250 cap."""

from __future__ import annotations

VARIANTS = """query($first: Int, $after: String, $last: Int, $before: String) {
  productVariants(first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id sku } }
    nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


def _page(shop, **variables):
    return shop.data(VARIANTS, variables)["productVariants"]


def test_pages_cover_every_variant_once_and_end_exactly(shop):
    seen, after, pages = [], None, []
    while True:
        page = _page(shop, first=20, after=after)
        pages.append(page)
        seen.extend(edge["node"]["sku"] for edge in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert len(pages) == 3
    assert len(seen) == 60 == len(set(seen))
    assert [len(page["nodes"]) for page in pages] == [20, 20, 20]
    assert pages[0]["pageInfo"]["hasPreviousPage"] is False
    assert pages[1]["pageInfo"]["hasPreviousPage"] is True
    assert pages[-1]["pageInfo"]["hasNextPage"] is False


def test_nodes_and_edges_agree_and_cursors_bound_the_page(shop):
    page = _page(shop, first=7)

    assert [edge["node"]["id"] for edge in page["edges"]] == [n["id"] for n in page["nodes"]]
    assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
    assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]


def test_after_the_last_cursor_is_an_empty_page(shop):
    last_page = _page(shop, last=1)
    empty = _page(shop, first=10, after=last_page["pageInfo"]["endCursor"])

    assert empty["edges"] == []
    assert empty["nodes"] == []
    assert empty["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "startCursor": None,
        "endCursor": None,
    }


def test_backward_paging_with_last_and_before(shop):
    forward = _page(shop, first=60)
    ids = [node["id"] for node in forward["nodes"]]
    middle_cursor = forward["edges"][30]["cursor"]

    backward = _page(shop, last=5, before=middle_cursor)

    assert [node["id"] for node in backward["nodes"]] == ids[25:30]
    assert backward["pageInfo"]["hasPreviousPage"] is True
    assert backward["pageInfo"]["hasNextPage"] is True


def test_first_over_250_is_an_error(shop):
    response = shop.post(VARIANTS, {"first": 251})

    body = response.json()
    assert response.status_code == 200
    assert "data" not in body
    assert "exceeds the maximum page size of 250" in body["errors"][0]["message"]
    assert body["errors"][0]["path"] == ["productVariants"]


def test_first_or_last_is_required(shop):
    body = shop.post("{ products { nodes { id } } }").json()

    assert body["errors"][0]["message"] == "you must provide one of first or last"
    assert body["data"] is None


def test_a_cursor_from_elsewhere_is_rejected(shop):
    body = shop.post(VARIANTS, {"first": 5, "after": "not-a-cursor"}).json()

    assert body["errors"][0]["message"] == "Invalid cursor for current pagination sort."
