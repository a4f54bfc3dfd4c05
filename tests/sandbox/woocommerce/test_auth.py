"""Authentication: Basic, query-string keys and one-legged OAuth 1.0a, and their refusals."""

from __future__ import annotations

import time

import requests
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1, SIGNATURE_TYPE_QUERY
from requests_oauthlib import OAuth1
from woocommerce import API
from woocommerce.oauth import OAuth


def _signed_url(store, path: str, timestamp: int | None = None) -> str:
    """A URL signed as the official client signs it, optionally with a chosen timestamp."""
    oauth = OAuth(
        url=f"{store.api}/{path}",
        consumer_key=store.consumer_key,
        consumer_secret=store.consumer_secret,
        version="wc/v3",
        method="GET",
        oauth_timestamp=timestamp if timestamp is not None else int(time.time()),
    )
    return oauth.get_oauth_url()


def test_official_client_lists_with_oauth_over_plain_http(wc):
    response = wc.get("products", params={"per_page": 5})

    assert response.status_code == 200
    assert "oauth_signature=" in response.url
    assert len(response.json()) == 5


def test_official_client_with_query_string_auth_still_signs_over_http(store):
    client = API(
        url=store.url,
        consumer_key=store.consumer_key,
        consumer_secret=store.consumer_secret,
        version="wc/v3",
        query_string_auth=True,
    )

    response = client.get("orders", params={"per_page": 3})

    assert response.status_code == 200
    assert len(response.json()) == 3


def test_basic_auth(basic, store):
    response = basic.get(f"{store.api}/products", params={"per_page": 2})

    assert response.status_code == 200
    assert len(response.json()) == 2


def test_query_string_keys(store):
    response = requests.get(
        f"{store.api}/products",
        params={
            "consumer_key": store.consumer_key,
            "consumer_secret": store.consumer_secret,
            "per_page": 100,
        },
        timeout=10,
    )

    assert response.status_code == 200
    assert int(response.headers["X-WP-Total"]) == len(response.json()) > 0


def test_hmac_sha1_signature_from_a_standard_oauth_library(store):
    auth = OAuth1(
        store.consumer_key,
        store.consumer_secret,
        signature_method=SIGNATURE_HMAC_SHA1,
        signature_type=SIGNATURE_TYPE_QUERY,
    )

    response = requests.get(f"{store.api}/products", params={"per_page": 1}, auth=auth, timeout=10)

    assert response.status_code == 200
    assert len(response.json()) == 1


def test_no_credentials_is_refused_by_the_permission_check(store):
    listing = requests.get(f"{store.api}/products", timeout=10)
    single = requests.get(f"{store.api}/orders/1001", timeout=10)
    create = requests.post(f"{store.api}/products", json={"name": "x"}, timeout=10)

    assert listing.status_code == 401
    assert listing.json() == {
        "code": "woocommerce_rest_cannot_view",
        "message": "Sorry, you cannot list resources.",
        "data": {"status": 401},
    }
    assert single.json()["message"] == "Sorry, you cannot view this resource."
    assert create.status_code == 401
    assert create.json()["code"] == "woocommerce_rest_cannot_create"


def test_wrong_secret_with_basic_auth(store):
    response = requests.get(
        f"{store.api}/products", auth=(store.consumer_key, "cs_wrong"), timeout=10
    )

    assert response.status_code == 401
    assert response.json() == {
        "code": "woocommerce_rest_authentication_error",
        "message": "Consumer secret is invalid.",
        "data": {"status": 401},
    }
    assert "cs_wrong" not in response.text


def test_wrong_secret_with_oauth_is_a_bad_signature(store):
    client = API(
        url=store.url, consumer_key=store.consumer_key, consumer_secret="cs_wrong", version="wc/v3"
    )

    response = client.get("products")

    assert response.status_code == 401
    assert response.json() == {
        "code": "woocommerce_rest_authentication_error",
        "message": "Invalid signature - provided signature does not match.",
        "data": {"status": 401},
    }


def test_unknown_consumer_key_with_oauth(store):
    client = API(url=store.url, consumer_key="ck_unknown", consumer_secret="cs_x", version="wc/v3")

    response = client.get("products")

    assert response.status_code == 401
    assert response.json()["message"] == "Consumer key is invalid."


def test_tampered_query_breaks_the_signature(store):
    url = _signed_url(store, "products?per_page=2").replace("per_page=2", "per_page=3")

    response = requests.get(url, timeout=10)

    assert response.status_code == 401
    assert response.json()["code"] == "woocommerce_rest_authentication_error"


def test_replayed_nonce_is_refused(store):
    url = _signed_url(store, "products")

    first = requests.get(url, timeout=10)
    replay = requests.get(url, timeout=10)

    assert first.status_code == 200
    assert replay.status_code == 401
    assert replay.json() == {
        "code": "woocommerce_rest_authentication_error",
        "message": "Invalid nonce - nonce has already been used.",
        "data": {"status": 401},
    }


def test_stale_timestamp_is_refused(store):
    url = _signed_url(store, "products", timestamp=int(time.time()) - 16 * 60)

    response = requests.get(url, timeout=10)

    assert response.status_code == 401
    assert response.json()["message"] == "Invalid timestamp."


def test_partial_oauth_parameters(store):
    response = requests.get(
        f"{store.api}/products", params={"oauth_consumer_key": store.consumer_key}, timeout=10
    )

    assert response.status_code == 401
    assert response.json()["code"] == "woocommerce_rest_authentication_missing_parameter"


def test_bad_credentials_are_reported_before_a_missing_route(store):
    response = requests.get(
        f"{store.api}/no-such-thing", auth=(store.consumer_key, "x"), timeout=10
    )
    missing = requests.get(f"{store.api}/no-such-thing", timeout=10)

    assert response.status_code == 401
    assert missing.status_code == 404
    assert missing.json() == {
        "code": "rest_no_route",
        "message": "No route was found matching the URL and request method.",
        "data": {"status": 404},
    }


def test_rest_index_needs_no_credentials(store):
    response = requests.get(f"{store.url}/wp-json/", timeout=10)

    assert response.status_code == 200
    assert response.json()["timezone_string"] == "Europe/Berlin"
    assert "wc/v3" in response.json()["namespaces"]


def test_signed_request_with_dates_and_lists_in_the_query(wc):
    response = wc.get(
        "orders",
        params={"modified_after": "2026-01-01T00:00:00", "status": "processing,completed"},
    )

    assert response.status_code == 200
    assert {order["status"] for order in response.json()} <= {"processing", "completed"}


def test_oauth_in_the_authorization_header(store):
    auth = OAuth1(store.consumer_key, store.consumer_secret, signature_method="HMAC-SHA256")

    response = requests.post(
        f"{store.api}/products", json={"name": "Signed in a header"}, auth=auth, timeout=10
    )

    assert response.status_code == 201
    assert response.json()["name"] == "Signed in a header"
