"""Fixtures of the Shopify emulator tests: a small shop and a plain HTTP client for it."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings

LATEST = "2026-10"


class ShopClient:
    """Posts GraphQL to the emulated shop and calls its admin API, over real HTTP."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.url = sandbox.shopify_url
        self.token = sandbox.settings.shopify.access_token
        self.session = requests.Session()

    def endpoint(self, version: str = LATEST) -> str:
        return f"{self.url}/admin/api/{version}/graphql.json"

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        version: str = LATEST,
        token: str | None = None,
    ) -> requests.Response:
        headers = {"X-Shopify-Access-Token": self.token if token is None else token}
        body = {"query": query, "variables": variables or {}}
        return self.session.post(self.endpoint(version), json=body, headers=headers, timeout=30)

    def data(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        response = self.post(query, variables, **kwargs)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def admin(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, f"{self.url}/_sandbox{path}", timeout=30, **kwargs)

    def variant(self, sku: str) -> dict[str, Any]:
        """A variant by SKU, with its item and levels."""
        data = self.data(
            """query($q: String) { productVariants(first: 1, query: $q) { nodes {
                id sku price compareAtPrice barcode updatedAt inventoryQuantity
                product { id updatedAt status title }
                inventoryItem { id updatedAt inventoryLevels(first: 5) { nodes {
                  location { id }
                  quantities(names: ["available", "committed", "on_hand"]) { name quantity }
                } } } } } }""",
            {"q": f"sku:{sku}"},
        )
        return data["productVariants"]["nodes"][0]

    @staticmethod
    def levels(variant: dict[str, Any]) -> dict[str, dict[str, int]]:
        """A variant's quantities as {location gid: {name: quantity}}."""
        return {
            level["location"]["id"]: {q["name"]: q["quantity"] for q in level["quantities"]}
            for level in variant["inventoryItem"]["inventoryLevels"]["nodes"]
        }


@pytest.fixture
def sandbox_settings() -> SandboxSettings:
    """60 SKUs in three locations, 12 Shopify orders."""
    return SandboxSettings(skus=60, seed=11, locations=3, orders_per_store=12)


@pytest.fixture
def shop(sandbox: Sandbox) -> ShopClient:
    """A client of the running shop."""
    return ShopClient(sandbox)


@pytest.fixture
def first_location(shop: ShopClient) -> str:
    """The GID of the shop's first location."""
    data = shop.data("{ locations(first: 10, sortKey: ID) { nodes { id } } }")
    return data["locations"]["nodes"][0]["id"]


@pytest.fixture
def skus(sandbox: Sandbox) -> list[str]:
    """Every SKU of the shop, in catalogue order."""
    assert sandbox.catalogue is not None
    return [item.sku for item in sandbox.catalogue.items]
