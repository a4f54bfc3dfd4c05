"""A generic GraphQL client works unchanged; tokens and API versions are checked as Shopify does."""

from __future__ import annotations

import re

from gql import Client, gql
from gql.transport.requests import RequestsHTTPTransport

INVALID_TOKEN = {
    "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
}


def test_gql_client_reads_variants_unchanged(shop):
    transport = RequestsHTTPTransport(
        url=shop.endpoint("2026-10"),
        headers={"X-Shopify-Access-Token": shop.token},
        timeout=30,
    )
    client = Client(transport=transport, fetch_schema_from_transport=False)

    request = gql(
        """query Variants($first: Int!) {
             productVariants(first: $first) {
               edges { cursor node { id sku price inventoryItem { id tracked } } }
               pageInfo { hasNextPage endCursor }
             }
           }"""
    )
    request.variable_values = {"first": 5}
    result = client.execute(request)

    edges = result["productVariants"]["edges"]
    assert len(edges) == 5
    assert all(re.fullmatch(r"gid://shopify/ProductVariant/\d+", e["node"]["id"]) for e in edges)
    assert all(e["node"]["inventoryItem"]["tracked"] is True for e in edges)
    assert result["productVariants"]["pageInfo"]["hasNextPage"] is True
    assert result["productVariants"]["pageInfo"]["endCursor"] == edges[-1]["cursor"]


def test_wrong_token_is_401_with_shopify_body(shop):
    response = shop.post("{ shop { name } }", token="shpat_wrong")

    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN


def test_missing_token_is_401(shop):
    response = shop.session.post(shop.endpoint(), json={"query": "{ shop { name } }"}, timeout=10)

    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN


def test_answer_names_the_version_that_served_it(shop):
    current = shop.post("{ shop { name currencyCode ianaTimezone } }", version="2026-04")
    retired = shop.post("{ shop { name } }", version="2023-07")
    unstable = shop.post("{ shop { name } }", version="unstable")

    assert current.status_code == 200
    assert current.headers["X-Shopify-API-Version"] == "2026-04"
    assert current.json()["data"]["shop"] == {
        "name": "Sandbox Store",
        "currencyCode": "USD",
        "ianaTimezone": "America/New_York",
    }
    assert retired.status_code == 200
    assert retired.headers["X-Shopify-API-Version"] == "2025-01"
    assert unstable.headers["X-Shopify-API-Version"] == "2027-01"


def test_malformed_or_unreleased_version_is_404(shop):
    for version in ("2026-05", "latest", "2031-01"):
        response = shop.post("{ shop { name } }", version=version)
        assert response.status_code == 404, version
        assert response.json() == {"errors": "Not Found"}


def test_syntax_and_validation_errors_answer_200_with_errors(shop):
    broken = shop.post("{ shop { name ")
    unknown = shop.post("{ shop { nonsense } }")

    assert broken.status_code == 200
    assert "Syntax Error" in broken.json()["errors"][0]["message"]
    assert unknown.status_code == 200
    assert "nonsense" in unknown.json()["errors"][0]["message"]
    assert "data" not in unknown.json()
