"""With a state directory, what the APIs changed survives a restart of the sandbox."""

from __future__ import annotations

from pathlib import Path

import requests
from requests_oauthlib import OAuth1

from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings


def netsuite_auth(sandbox: Sandbox) -> OAuth1:
    settings = sandbox.settings.netsuite
    return OAuth1(
        settings.consumer_key,
        settings.consumer_secret,
        settings.token_id,
        settings.token_secret,
        signature_method="HMAC-SHA256",
        realm=settings.account_id,
    )


def suiteql(sandbox: Sandbox, query: str) -> list[dict[str, str]]:
    answer = requests.post(
        f"{sandbox.netsuite_url}/query/v1/suiteql",
        json={"q": query},
        headers={"Prefer": "transient"},
        auth=netsuite_auth(sandbox),
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json()["items"]


def shopify(sandbox: Sandbox, query: str, variables: dict | None = None) -> dict:
    answer = requests.post(
        f"{sandbox.shopify_url}/admin/api/2026-10/graphql.json",
        json={"query": query, "variables": variables or {}},
        headers={"X-Shopify-Access-Token": sandbox.settings.shopify.access_token},
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json()["data"]


def test_changes_made_through_each_api_survive_a_restart(tmp_path: Path) -> None:
    settings = SandboxSettings(skus=30, seed=5, state_dir=tmp_path)
    woo_auth = (settings.woocommerce.consumer_key, settings.woocommerce.consumer_secret)

    with Sandbox(settings) as sandbox:
        products = f"{sandbox.woocommerce_url}/wp-json/wc/v3/products"
        product = requests.get(products, auth=woo_auth, timeout=10).json()[0]
        renamed = requests.put(
            f"{products}/{product['id']}", json={"name": "Renamed"}, auth=woo_auth, timeout=10
        )
        assert renamed.status_code == 200

        item_id = suiteql(sandbox, "SELECT id FROM item WHERE itemid = 'SKU-000004'")
        patched = requests.patch(
            f"{sandbox.netsuite_url}/record/v1/inventoryItem/{item_id[0]['id']}",
            json={"displayName": "Patched"},
            auth=netsuite_auth(sandbox),
            timeout=10,
        )
        assert patched.status_code == 204

        variant = shopify(sandbox, "{ productVariants(first: 1) { nodes { id product { id } } } }")
        node = variant["productVariants"]["nodes"][0]
        updated = shopify(
            sandbox,
            "mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) {"
            " productVariantsBulkUpdate(productId: $p, variants: $v) { userErrors { message } } }",
            {"p": node["product"]["id"], "v": [{"id": node["id"], "price": "123.45"}]},
        )
        assert updated["productVariantsBulkUpdate"]["userErrors"] == []

    assert {path.name for path in tmp_path.iterdir()} >= {
        "netsuite.sqlite",
        "woocommerce.sqlite",
        "shopify.sqlite",
    }

    with Sandbox(settings) as sandbox:
        products = f"{sandbox.woocommerce_url}/wp-json/wc/v3/products"
        again = requests.get(f"{products}/{product['id']}", auth=woo_auth, timeout=10)
        assert again.json()["name"] == "Renamed"

        rows = suiteql(sandbox, "SELECT displayname FROM item WHERE itemid = 'SKU-000004'")
        assert rows[0]["displayname"] == "Patched"

        data = shopify(
            sandbox, "query($id: ID!) { productVariant(id: $id) { price } }", {"id": node["id"]}
        )
        assert data["productVariant"]["price"] == "123.45"
