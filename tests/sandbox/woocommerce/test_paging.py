"""Paging of collections: X-WP-Total, X-WP-TotalPages, Link, and the edges."""

from __future__ import annotations

import math

import pytest


@pytest.fixture
def six_skus(basic, store) -> list[str]:
    """Six SKUs of simple products, for a collection of a known size."""
    products = basic.get(
        f"{store.api}/products", params={"type": "simple", "per_page": 6, "orderby": "id"}
    ).json()
    assert len(products) == 6
    return [product["sku"] for product in products]


def test_totals_and_link_on_the_first_page(basic, store):
    everything = basic.get(f"{store.api}/products", params={"per_page": 100}).json()

    response = basic.get(f"{store.api}/products", params={"per_page": 4})

    total = len(everything)
    assert response.status_code == 200
    assert response.headers["X-WP-Total"] == str(total)
    assert response.headers["X-WP-TotalPages"] == str(math.ceil(total / 4))
    assert response.headers["Link"] == (f'<{store.api}/products?per_page=4&page=2>; rel="next"')


def test_exact_multiple_of_per_page_has_no_phantom_page(basic, store, six_skus):
    query = {"sku": ",".join(six_skus), "per_page": 3}

    first = basic.get(f"{store.api}/products", params={**query, "page": 1})
    last = basic.get(f"{store.api}/products", params={**query, "page": 2})

    assert first.headers["X-WP-Total"] == "6"
    assert first.headers["X-WP-TotalPages"] == "2"
    assert 'rel="next"' in first.headers["Link"]
    assert len(last.json()) == 3
    assert last.headers["X-WP-TotalPages"] == "2"
    assert 'rel="next"' not in last.headers["Link"]
    assert 'page=1>; rel="prev"' in last.headers["Link"]
    seen = {product["sku"] for product in first.json() + last.json()}
    assert seen == set(six_skus)


def test_page_past_the_end_is_an_empty_list(basic, store, six_skus):
    response = basic.get(
        f"{store.api}/products", params={"sku": ",".join(six_skus), "per_page": 3, "page": 3}
    )

    assert response.status_code == 200
    assert response.json() == []
    assert response.headers["X-WP-Total"] == "6"
    assert response.headers["X-WP-TotalPages"] == "2"
    assert response.headers["Link"].endswith('page=2>; rel="prev"')


def test_middle_page_links_both_ways(basic, store):
    response = basic.get(f"{store.api}/orders", params={"per_page": 2, "page": 2})

    links = response.headers["Link"]
    assert 'per_page=2&page=1>; rel="prev"' in links
    assert 'per_page=2&page=3>; rel="next"' in links


def test_link_header_leaves_credentials_out(store):
    import requests

    response = requests.get(
        f"{store.api}/orders",
        params={
            "consumer_key": store.consumer_key,
            "consumer_secret": store.consumer_secret,
            "per_page": 2,
        },
        timeout=10,
    )

    assert response.status_code == 200
    assert store.consumer_secret not in response.headers["Link"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"per_page": 101}, "per_page must be between 1 (inclusive) and 100 (inclusive)"),
        ({"per_page": 0}, "per_page must be between 1 (inclusive) and 100 (inclusive)"),
        ({"page": 0}, "page must be greater than or equal to 1"),
        ({"page": "two"}, "page is not of type integer."),
    ],
)
def test_out_of_range_paging_arguments(basic, store, query, message):
    response = basic.get(f"{store.api}/products", params=query)

    name = next(iter(query))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rest_invalid_param"
    assert body["message"] == f"Invalid parameter(s): {name}"
    assert body["data"]["status"] == 400
    assert body["data"]["params"] == {name: message}


def test_default_page_size_is_ten(wc):
    response = wc.get("products")

    assert len(response.json()) == 10


def test_no_matches_has_zero_pages(basic, store):
    response = basic.get(f"{store.api}/products", params={"sku": "NO-SUCH-SKU"})

    assert response.json() == []
    assert response.headers["X-WP-Total"] == "0"
    assert response.headers["X-WP-TotalPages"] == "0"
    assert "Link" not in response.headers
