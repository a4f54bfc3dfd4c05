"""Fixtures for target-storefront: a sandbox, the NetSuite tap feeding the target, each store.

Stores are read back through their own APIs; clerks and shoppers act through the admin API.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from sandbox.catalogue import stock_positions
from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings
from tap_netsuite_inventory.tap import TapNetSuiteInventory
from target_storefront.target import TargetStorefront

PLATFORMS = ("woocommerce", "shopify")
SHOPIFY_MAIN = "gid://shopify/Location/70000001"


@pytest.fixture
def sandbox_settings() -> SandboxSettings:
    """40 SKUs (simple products and variants) at three locations."""
    return SandboxSettings(skus=40, seed=11, locations=3)


@pytest.fixture(params=PLATFORMS)
def platform(request: pytest.FixtureRequest) -> str:
    """Each test runs against both stores."""
    return request.param


def location_mapping(platform: str) -> dict[str, str]:
    """NetSuite location id -> store location: WooCommerce's one figure, Shopify's locations."""
    if platform == "woocommerce":
        return {"1": "main"}
    return {str(n): f"gid://shopify/Location/{70_000_000 + n}" for n in (1, 2, 3)}


def main_location(platform: str) -> str:
    """The store location whose stock online orders take."""
    return "main" if platform == "woocommerce" else SHOPIFY_MAIN


def tap_config(sandbox: Sandbox, platform: str) -> dict[str, Any]:
    """tap-netsuite-inventory's settings for the sandbox, mapped to the store's locations."""
    netsuite = sandbox.settings.netsuite
    return {
        "account_id": netsuite.account_id,
        "base_url": sandbox.netsuite_url,
        "consumer_key": netsuite.consumer_key,
        "consumer_secret": netsuite.consumer_secret,
        "token_id": netsuite.token_id,
        "token_secret": netsuite.token_secret,
        "account_time_zone": netsuite.time_zone,
        "store_price_level": "Online Price",
        "compare_at_price_level": "MSRP",
        "location_mapping": location_mapping(platform),
    }


def target_config(sandbox: Sandbox, platform: str, work: Path, **overrides: Any) -> dict[str, Any]:
    """target-storefront's settings for the sandbox's store, with files under `work`."""
    settings = sandbox.settings
    config: dict[str, Any] = {
        "platform": platform,
        "ownership_path": str(Path(__file__).parents[2] / "ownership.yml"),
        "violations_path": str(work / "violations.jsonl"),
        "ledger_path": str(work / "ledger.sqlite"),
        "dry_run_output": str(work / "plan.jsonl"),
        "open_orders_lookback_days": 3650,
        "order_locations": [main_location(platform)],
    }
    if platform == "woocommerce":
        config.update(
            base_url=sandbox.woocommerce_url,
            consumer_key=settings.woocommerce.consumer_key,
            consumer_secret=settings.woocommerce.consumer_secret,
            stock_location="main",
        )
    else:
        config.update(base_url=sandbox.shopify_url, access_token=settings.shopify.access_token)
    config.update(overrides)
    return config


@dataclass
class TapOutput:
    """What one run of the NetSuite tap emitted."""

    text: str
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for line in self.text.splitlines():
            message = json.loads(line, parse_float=Decimal)
            if message["type"] == "RECORD":
                self.records.setdefault(message["stream"], []).append(message["record"])

    @property
    def state(self) -> dict[str, Any]:
        """The tap's last STATE."""
        states = [json.loads(line) for line in self.text.splitlines() if '"STATE"' in line]
        return states[-1]["value"]


class Store:
    """A store read back through its own API, plus the sandbox's clerk and shopper actions."""

    def __init__(self, sandbox: Sandbox, platform: str) -> None:
        self.platform = platform
        self.settings = sandbox.settings
        self.url = sandbox.woocommerce_url if platform == "woocommerce" else sandbox.shopify_url
        self.admin = self.url.rstrip("/") + "/_sandbox"

    def _admin(self, method: str, path: str, body: Any = None) -> Any:
        response = requests.request(method, self.admin + path, json=body, timeout=30)
        if not response.ok:
            raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json()

    def _graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = requests.post(
            f"{self.url}/admin/api/2026-10/graphql.json",
            json={"query": query, "variables": variables},
            headers={"X-Shopify-Access-Token": self.settings.shopify.access_token},
            timeout=30,
        )
        body = response.json()
        assert not body.get("errors"), body
        return body["data"]

    def _woo(self, path: str, **params: Any) -> Any:
        woo = self.settings.woocommerce
        response = requests.get(
            f"{self.url}/wp-json/wc/v3{path}",
            params=params,
            auth=(woo.consumer_key, woo.consumer_secret),
            timeout=30,
        )
        assert response.ok, response.text
        return response.json()

    def item(self, sku: str) -> dict[str, Any]:
        """A SKU as the store's API shows it: name (the product's), prices, state, stock."""
        if self.platform == "woocommerce":
            [record] = self._woo("/products", sku=sku)
            page = self._woo(f"/products/{record['parent_id']}") if record["parent_id"] else record
            on_sale = record["sale_price"] != ""
            return {
                "name": page["name"],
                "description": page["description"] or None,
                "price": Decimal(record["price"]),
                "compare_at_price": Decimal(record["regular_price"]) if on_sale else None,
                "published": record["status"] == "publish",
                "stock": {"main": record["stock_quantity"]},
                "manage_stock": record["manage_stock"],
            }
        data = self._graphql(
            """query($q: String!) { productVariants(first: 1, query: $q) { nodes {
                 price compareAtPrice product { title descriptionHtml status }
                 inventoryItem { inventoryLevels(first: 10) { nodes { location { id }
                   quantities(names: ["available"]) { quantity } } } } } } }""",
            {"q": f"sku:{json.dumps(sku)}"},
        )
        [node] = data["productVariants"]["nodes"]
        levels = node["inventoryItem"]["inventoryLevels"]["nodes"]
        return {
            "name": node["product"]["title"],
            "description": node["product"]["descriptionHtml"] or None,
            "price": Decimal(node["price"]),
            "compare_at_price": Decimal(node["compareAtPrice"]) if node["compareAtPrice"] else None,
            "published": node["product"]["status"] == "ACTIVE",
            "stock": {lv["location"]["id"]: lv["quantities"][0]["quantity"] for lv in levels},
            "manage_stock": True,
        }

    def clerk_sets_price(self, sku: str, price: str) -> None:
        """A clerk edits a price in the store's admin."""
        if self.platform == "woocommerce":
            self._admin("POST", f"/products/{sku}", {"regular_price": price, "sale_price": ""})
        else:
            self._admin("PATCH", f"/variants/{sku}", {"price": price, "compareAtPrice": None})

    def clerk_sets_description(self, sku: str, text: str) -> None:
        """A clerk edits the product description in the store's admin."""
        if self.platform == "woocommerce":
            self._admin("POST", f"/products/{sku}", {"description": text})
        else:
            self._admin("PATCH", f"/products/{sku}", {"descriptionHtml": text})

    def place_order(self, sku: str, quantity: int) -> None:
        """A shopper orders a SKU (from the main location)."""
        lines = [{"sku": sku, "quantity": quantity}]
        if self.platform == "woocommerce":
            self._admin("POST", "/orders", {"lines": lines, "status": "processing"})
        else:
            self._admin("POST", "/orders", {"lines": lines, "location": "main"})

    def calls(self) -> dict[str, Any]:
        """API calls since the last reset."""
        return self._admin("GET", "/calls")

    def write_calls(self) -> int:
        """Calls that change the store: WooCommerce's non-GET calls, Shopify's mutations."""
        calls = self.calls()
        if self.platform == "woocommerce":
            return sum(n for name, n in calls["endpoints"].items() if not name.startswith("GET"))
        mutations = (
            "productCreate",
            "productUpdate",
            "productVariantsBulkUpdate",
            "productVariantsBulkCreate",
            "metafieldsSet",
            "inventorySetQuantities",
            "inventoryAdjustQuantities",
            "inventoryActivate",
        )
        return sum(calls["operations"].get(name, 0) for name in mutations)

    def reset_calls(self) -> None:
        """Count from zero."""
        self._admin("DELETE", "/calls")

    def fault(self, **fault: Any) -> None:
        """Arm a fault."""
        self._admin("POST", "/faults", fault)


class NetSuite:
    """The NetSuite emulator's admin API: a user's edits."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.url = sandbox.netsuite_url.removesuffix("/services/rest") + "/_sandbox"

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        response = requests.request(method, self.url + path, json=body, timeout=30)
        if not response.ok:
            raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json()

    def set_price(self, sku: str, price: str) -> None:
        """Change an item's store price level."""
        self._call("PATCH", f"/items/{sku}", {"prices": {"Online Price": price}})

    def edit(self, sku: str, **fields: Any) -> None:
        """Edit an item by SuiteQL column."""
        self._call("PATCH", f"/items/{sku}", fields)

    def receive(self, sku: str, location: int, quantity: int) -> None:
        """Receive stock at a location."""
        self._call("POST", f"/items/{sku}/stock/{location}", {"receive": quantity})

    def item(self, sku: str) -> Any:
        """An item with prices and stock."""
        return self._call("GET", f"/items/{sku}")

    def advance(self, seconds: float) -> None:
        """Move the sandbox clock."""
        self._call("POST", "/clock", {"advance_seconds": seconds})


@dataclass
class Pipeline:
    """`tap-netsuite-inventory | target-storefront` in-process, against one sandbox and store."""

    sandbox: Sandbox
    platform: str
    work: Path
    caplog: pytest.LogCaptureFixture
    store: Store
    netsuite: NetSuite
    log: str = ""

    def tap(self, state: dict[str, Any] | None = None) -> TapOutput:
        """Run the NetSuite tap and keep what it wrote."""
        tap = TapNetSuiteInventory(config=tap_config(self.sandbox, self.platform), state=state)
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            tap.sync_all()
        return TapOutput(output.getvalue())

    def target(self, stream: str, **overrides: Any) -> TargetStorefront:
        """Feed a Singer stream to the target; its log is kept in `log`."""
        config = target_config(self.sandbox, self.platform, self.work, **overrides)
        target = TargetStorefront(config=config)
        self.caplog.clear()
        with self.caplog.at_level(logging.INFO), contextlib.redirect_stdout(io.StringIO()):
            target.listen(io.StringIO(stream))
        self.log = self.caplog.text
        return target

    def run(self, state: dict[str, Any] | None = None, **overrides: Any) -> TapOutput:
        """Run the whole pipeline once and return what the tap emitted."""
        output = self.tap(state)
        self.target(output.text, **overrides)
        return output

    def expected_stock(self, sku: str, location: int = 1, extra_unimported: int = 0) -> int:
        """The store's stock at a location by the invariant.

        NetSuite's available there, less the catalogue's not-yet-imported store orders (taken
        from the main location) and any the test placed since.
        """
        assert self.sandbox.catalogue is not None
        key = self.sandbox.catalogue.locations[location - 1].key
        position = stock_positions(self.sandbox.catalogue, self.platform)[(sku, key)]
        available = _netsuite_available(self.netsuite.item(sku), location)
        return max(0, available - position.unimported - extra_unimported)


def _netsuite_available(item: dict[str, Any], location: int) -> int:
    for level in item["stock"]:
        if str(level["location"]) == str(location):
            return int(level["quantityavailable"])
    raise AssertionError(f"no stock at location {location} in {item}")


@pytest.fixture
def pipeline(
    sandbox: Sandbox, platform: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> Pipeline:
    """The NetSuite tap feeding target-storefront, for the test's platform."""
    return Pipeline(
        sandbox, platform, tmp_path, caplog, Store(sandbox, platform), NetSuite(sandbox)
    )


@pytest.fixture
def make_stream() -> Callable[..., str]:
    """A hand-written Singer stream of shared-model records, for bad-input tests."""

    def make(records: dict[str, list[dict[str, Any]]]) -> str:
        from sync_model.streams import SHARED_STREAMS

        lines = []
        for stream, rows in records.items():
            schema, keys = SHARED_STREAMS[stream]
            lines.append(
                json.dumps(
                    {"type": "SCHEMA", "stream": stream, "schema": schema, "key_properties": keys}
                )
            )
            lines.extend(
                json.dumps({"type": "RECORD", "stream": stream, "record": row}) for row in rows
            )
        return "\n".join(lines) + "\n"

    return make
