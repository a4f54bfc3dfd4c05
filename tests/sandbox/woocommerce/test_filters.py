"""Collection filters: dates in a non-UTC store, SKU, status, type, include and ordering."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest


@pytest.fixture
def edited(basic, store) -> dict:
    """A simple product a clerk edits a year after the demo history, so it alone is recent."""
    store.admin("POST", "clock", {"advance_seconds": 400 * 86400})
    sku = basic.get(f"{store.api}/products", params={"type": "simple", "orderby": "id"}).json()[0][
        "sku"
    ]
    response = store.admin("POST", f"products/{sku}", {"description": "<p>Edited.</p>"})
    assert response.status_code == 200
    return response.json()["product"]


def _skus(basic, store, **query) -> list[str]:
    response = basic.get(f"{store.api}/products", params={"per_page": 100, **query})
    assert response.status_code == 200, response.text
    return [product["sku"] for product in response.json()]


def test_store_dates_are_local_and_gmt(edited):
    local = datetime.fromisoformat(edited["date_modified"])
    gmt = datetime.fromisoformat(edited["date_modified_gmt"])

    assert local - gmt in (timedelta(hours=1), timedelta(hours=2))
    assert len(edited["date_modified_gmt"]) == len("2026-01-01T00:00:00")


def test_modified_after_is_store_local_time_by_default(basic, store, edited):
    gmt = datetime.fromisoformat(edited["date_modified_gmt"])
    offset = datetime.fromisoformat(edited["date_modified"]) - gmt
    between = (gmt + offset / 2).isoformat()

    # The bound lies after the change in GMT but before it in store time.
    assert _skus(basic, store, modified_after=between) == [edited["sku"]]
    assert _skus(basic, store, modified_after=between, dates_are_gmt="true") == []
    before = (gmt - timedelta(minutes=1)).isoformat()
    assert _skus(basic, store, modified_after=before, dates_are_gmt="true") == [edited["sku"]]


def test_modified_after_with_an_offset_is_converted_to_store_time(basic, store, edited):
    gmt = datetime.fromisoformat(edited["date_modified_gmt"])

    before = (gmt - timedelta(minutes=1)).isoformat() + "Z"
    after = (gmt + timedelta(minutes=1)).isoformat() + "Z"

    assert _skus(basic, store, modified_after=before) == [edited["sku"]]
    assert _skus(basic, store, modified_after=after) == []


def test_modified_before_excludes_the_change(basic, store, edited):
    bound = (datetime.fromisoformat(edited["date_modified_gmt"]) - timedelta(seconds=1)).isoformat()

    skus = _skus(basic, store, modified_before=bound, dates_are_gmt="1")

    assert edited["sku"] not in skus
    assert len(skus) > 0


def test_orderby_modified_puts_the_change_first(basic, store, edited):
    newest = _skus(basic, store, orderby="modified", order="desc")
    oldest = _skus(basic, store, orderby="modified", order="asc")

    assert newest[0] == edited["sku"]
    assert oldest[-1] == edited["sku"]


def test_invalid_date_is_rejected(basic, store):
    response = basic.get(f"{store.api}/products", params={"modified_after": "yesterday"})

    assert response.status_code == 400
    assert response.json()["data"]["params"] == {"modified_after": "Invalid date."}


def test_sku_filter_takes_a_comma_list(basic, store):
    simple = basic.get(f"{store.api}/products", params={"type": "simple"}).json()
    wanted = sorted(product["sku"] for product in simple[:3])

    assert sorted(_skus(basic, store, sku=",".join(wanted))) == wanted


def test_sku_filter_finds_a_variation(basic, store):
    variable = basic.get(f"{store.api}/products", params={"type": "variable"}).json()[0]
    variation = basic.get(f"{store.api}/products/{variable['id']}/variations").json()[0]

    found = basic.get(f"{store.api}/products", params={"sku": variation["sku"]}).json()

    assert [(item["id"], item["type"], item["parent_id"]) for item in found] == [
        (variation["id"], "variation", variable["id"])
    ]


def test_status_filter(basic, store):
    sku = _skus(basic, store, type="simple", status="publish")[0]
    store.admin("POST", f"products/{sku}", {"status": "draft"})

    assert sku in _skus(basic, store, status="draft")
    assert sku not in _skus(basic, store, status="publish")
    assert sku in _skus(basic, store)


def test_type_filter(basic, store):
    products = basic.get(f"{store.api}/products", params={"type": "variable"}).json()

    assert products
    assert {product["type"] for product in products} == {"variable"}
    assert all(product["variations"] for product in products)


def test_order_status_comma_list(basic, store):
    everything = basic.get(f"{store.api}/orders", params={"per_page": 100}).json()
    wanted = {"completed", "cancelled"}

    some = basic.get(
        f"{store.api}/orders", params={"status": "completed,cancelled", "per_page": 100}
    ).json()

    assert [order["id"] for order in some] == [
        order["id"] for order in everything if order["status"] in wanted
    ]


def test_orderby_id_and_title(basic, store):
    by_id = basic.get(f"{store.api}/products", params={"orderby": "id", "order": "asc"}).json()
    by_title = basic.get(
        f"{store.api}/products", params={"orderby": "title", "order": "asc", "per_page": 100}
    ).json()

    ids = [product["id"] for product in by_id]
    titles = [product["name"] for product in by_title]
    assert ids == sorted(ids)
    assert titles == sorted(titles)


def test_default_order_is_newest_created_first(basic, store):
    products = basic.get(f"{store.api}/products", params={"per_page": 100}).json()

    created = [product["date_created_gmt"] for product in products]
    assert created == sorted(created, reverse=True)


def test_include_filter(basic, store):
    ids = [product["id"] for product in basic.get(f"{store.api}/products").json()[:3]]

    found = basic.get(
        f"{store.api}/products", params={"include": ",".join(map(str, ids)), "orderby": "include"}
    ).json()

    assert [product["id"] for product in found] == ids


def test_unknown_orderby_is_rejected(basic, store):
    response = basic.get(f"{store.api}/orders", params={"orderby": "price"})

    assert response.status_code == 400
    assert response.json()["data"]["params"] == {
        "orderby": "orderby is not one of date, modified, id, include, title, and slug."
    }
