"""Fixtures of the target-netsuite tests.

A sandbox, the target's settings, a tap-to-target pipeline run in-process, and a reader of
NetSuite's state over its real API.
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
from requests_oauthlib import OAuth1

from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings
from sync_model.streams import ORDERS_SCHEMA
from tap_storefront.tap import TapStorefront
from target_netsuite.target import TargetNetSuite

#: The sandbox's first Shopify location, the one NetSuite location 1 stocks.
SHOPIFY_MAIN = "gid://shopify/Location/70000001"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sandbox_settings() -> SandboxSettings:
    """A small catalogue: 60 SKUs, three locations, a handful of orders per store."""
    return SandboxSettings(skus=60, seed=11, locations=3)


def target_config(sandbox: Sandbox, folder: Path, platform: str, **overrides: Any) -> dict:
    """The target's settings for the sandbox's NetSuite account, files kept in `folder`."""
    netsuite = sandbox.settings.netsuite
    store_location = "main" if platform == "woocommerce" else SHOPIFY_MAIN
    config = {
        "account_id": netsuite.account_id,
        "base_url": sandbox.netsuite_url,
        "consumer_key": netsuite.consumer_key,
        "consumer_secret": netsuite.consumer_secret,
        "token_id": netsuite.token_id,
        "token_secret": netsuite.token_secret,
        "location_mapping": {store_location: "1"},
        "retry_queue_path": str(folder / "retry.sqlite"),
        "violations_path": str(folder / "violations.jsonl"),
        "ownership_path": str(ROOT / "ownership.yml"),
        "max_concurrent_requests": 3,
    }
    config.update(overrides)
    return config


def tap_config(sandbox: Sandbox, platform: str) -> dict[str, Any]:
    """tap-storefront's settings for one of the sandbox's stores."""
    settings = sandbox.settings
    if platform == "woocommerce":
        return {
            "platform": "woocommerce",
            "base_url": sandbox.woocommerce_url,
            "consumer_key": settings.woocommerce.consumer_key,
            "consumer_secret": settings.woocommerce.consumer_secret,
            "stock_location": "main",
        }
    return {
        "platform": "shopify",
        "base_url": sandbox.shopify_url,
        "access_token": settings.shopify.access_token,
    }


@dataclass
class TargetRun:
    """What one run of the target printed (STATE messages) and logged."""

    states: list[dict[str, Any]]
    log: str
    target: TargetNetSuite


def singer_lines(messages: list[dict[str, Any]]) -> str:
    """Singer messages as the lines a target reads."""
    return "".join(json.dumps(message, default=str) + "\n" for message in messages)


def order_messages(records: list[dict[str, Any]], state: dict | None = None) -> list[dict]:
    """A SCHEMA message for `orders`, RECORD messages, and a STATE message."""
    messages: list[dict[str, Any]] = [
        {
            "type": "SCHEMA",
            "stream": "orders",
            "schema": ORDERS_SCHEMA,
            "key_properties": ["order_ref"],
        }
    ]
    messages += [{"type": "RECORD", "stream": "orders", "record": record} for record in records]
    messages.append({"type": "STATE", "value": state or {"bookmarks": {"orders": {"n": 1}}}})
    return messages


@pytest.fixture
def run_target(caplog: pytest.LogCaptureFixture) -> Callable[[dict, str], TargetRun]:
    """Run the target in-process on Singer input; returns its STATE messages and log."""

    def run(config: dict[str, Any], lines: str) -> TargetRun:
        caplog.clear()
        target = TargetNetSuite(config=config, parse_env_config=False, validate_config=True)
        output = io.StringIO()
        with caplog.at_level(logging.INFO), contextlib.redirect_stdout(output):
            target.listen(file_input=io.StringIO(lines))
        # A target writes each state it confirms as one JSON line, the state value itself.
        states = [json.loads(line) for line in output.getvalue().splitlines() if line.strip()]
        return TargetRun(states, caplog.text, target)

    return run


@dataclass
class Pipeline:
    """`tap-storefront | target-netsuite` for one store, keeping the tap's state between runs."""

    sandbox: Sandbox
    platform: str
    config: dict[str, Any]
    runner: Callable[[dict, str], TargetRun]
    state: dict[str, Any] = field(default_factory=dict)

    def tap_lines(self, state: dict[str, Any] | None = None) -> str:
        """One run of the tap from a state (the pipeline's own by default), as Singer lines."""
        tap = TapStorefront(
            config=tap_config(self.sandbox, self.platform),
            state=self.state if state is None else state,
            parse_env_config=False,
        )
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            tap.sync_all()
        return output.getvalue()

    def run(self, **overrides: Any) -> TargetRun:
        """Run tap and target once; the target's last STATE becomes the tap's next state."""
        result = self.runner({**self.config, **overrides}, self.tap_lines())
        if result.states:
            self.state = result.states[-1]
        return result


@pytest.fixture(params=["woocommerce", "shopify"])
def platform(request: pytest.FixtureRequest) -> str:
    """Each test using it runs once per store platform."""
    return request.param


@pytest.fixture
def pipeline(
    sandbox: Sandbox, platform: str, tmp_path: Path, run_target: Callable[[dict, str], TargetRun]
) -> Pipeline:
    """The store-to-NetSuite pipeline for the test's platform."""
    return Pipeline(sandbox, platform, target_config(sandbox, tmp_path, platform), run_target)


class NetSuite:
    """NetSuite's state read back over SuiteQL and the record API, and its admin API."""

    def __init__(self, sandbox: Sandbox) -> None:
        settings = sandbox.settings.netsuite
        self.url = sandbox.netsuite_url
        self.admin_url = self.url.removesuffix("/services/rest") + "/_sandbox"
        self.auth = OAuth1(
            settings.consumer_key,
            settings.consumer_secret,
            settings.token_id,
            settings.token_secret,
            signature_method="HMAC-SHA256",
            realm=settings.account_id,
        )

    def rows(self, query: str) -> list[dict[str, Any]]:
        """Every row of a SuiteQL query (at most 1000)."""
        response = requests.post(
            f"{self.url}/query/v1/suiteql",
            json={"q": query},
            auth=self.auth,
            headers={"Prefer": "transient"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()["items"]

    def sales_orders(self, external_id: str) -> list[dict[str, Any]]:
        """The sales orders carrying an external id (one, or none, when all is well)."""
        return self.rows(
            "SELECT id, status, foreigntotal, currency, entity, memo, lastmodifieddate "
            f"FROM transaction WHERE type = 'SalesOrd' AND externalid = '{external_id}'"
        )

    def lines(self, order_id: str) -> list[tuple[str, Decimal, Decimal, Decimal, str, str]]:
        """An order's item lines: SKU, quantity, rate, amount, location, closed (positive)."""
        rows = self.rows(
            "SELECT i.itemid, tl.quantity, tl.rate, tl.netamount, tl.location, tl.isclosed "
            "FROM transactionline tl JOIN item i ON i.id = tl.item "
            f"WHERE tl.transaction = {order_id} AND tl.mainline = 'F' AND tl.taxline = 'F' "
            "ORDER BY tl.id"
        )
        return [
            (
                row["itemid"],
                -Decimal(row["quantity"]),
                Decimal(row["rate"]),
                -Decimal(row["netamount"]),
                row.get("location", ""),
                row["isclosed"],
            )
            for row in rows
        ]

    def committed(self, sku: str, location: str = "1") -> Decimal:
        """Quantity committed of a SKU at a location."""
        rows = self.rows(
            "SELECT l.quantitycommitted FROM inventoryitemlocations l JOIN item i "
            f"ON i.id = l.item WHERE i.itemid = '{sku}' AND l.location = {location}"
        )
        return Decimal(rows[0].get("quantitycommitted", "0")) if rows else Decimal(0)

    def store_order_count(self) -> int:
        """Sales orders whose external id is a store order reference."""
        rows = self.rows(
            "SELECT COUNT(*) AS n FROM transaction WHERE type = 'SalesOrd' "
            "AND (externalid LIKE 'woocommerce:%' OR externalid LIKE 'shopify:%')"
        )
        return int(rows[0]["n"])

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        """Call the admin API."""
        response = requests.request(method, f"{self.admin_url}{path}", json=body, timeout=30)
        assert response.ok, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()

    def api_calls(self) -> dict[str, int]:
        """API calls by endpoint since the last reset."""
        return self.admin("GET", "/calls")["endpoints"]

    def writes(self) -> int:
        """Record writes (PUT, PATCH, POST to the record API) since the last reset."""
        return sum(
            count
            for endpoint, count in self.api_calls().items()
            if endpoint.split(" ")[0] in ("PUT", "PATCH", "POST") and "/record/" in endpoint
        )


@pytest.fixture
def netsuite(sandbox: Sandbox) -> NetSuite:
    """NetSuite's state in the test's sandbox."""
    return NetSuite(sandbox)


def store_admin(sandbox: Sandbox, platform: str, method: str, path: str, body: Any = None) -> Any:
    """Call a store emulator's admin API."""
    base = sandbox.woocommerce_url if platform == "woocommerce" else sandbox.shopify_url
    response = requests.request(method, f"{base}/_sandbox{path}", json=body, timeout=30)
    assert response.ok, f"{method} {path}: {response.status_code} {response.text}"
    return response.json()


def place_order(sandbox: Sandbox, platform: str, lines: list[dict[str, Any]]) -> str:
    """Place a customer's order in the store; returns its order_ref."""
    body: dict[str, Any] = {"lines": lines, "email": "new.buyer@example.com"}
    if platform == "woocommerce":
        body.update(status="processing", first_name="New", last_name="Buyer")
    else:
        body.update(location="main", customer_name="New Buyer")
    answer = store_admin(sandbox, platform, "POST", "/orders", body)
    return _order_ref(platform, answer)


def _order_ref(platform: str, answer: dict[str, Any]) -> str:
    order = answer.get("order", answer)
    if platform == "woocommerce":
        return f"woocommerce:{order['id']}"
    identifier = str(order.get("id") or order.get("ref") or order.get("order_ref"))
    return (
        identifier
        if identifier.startswith("shopify:")
        else f"shopify:{identifier.rsplit('/', 1)[-1]}"
    )


def sellable_skus(sandbox: Sandbox, netsuite: NetSuite, platform: str, count: int) -> list[str]:
    """SKUs that NetSuite and the store both sell, with stock at the main location."""
    candidates = [
        item.sku
        for item in sandbox.catalogue.items
        if item.active and item.on_hand.get("main", 0) >= 5
    ]
    in_netsuite = {
        row["itemid"]
        for row in netsuite.rows(
            "SELECT itemid FROM item WHERE isinactive = 'F' AND itemid IN ("
            + ", ".join(f"'{sku}'" for sku in candidates)
            + ")"
        )
    }
    base = sandbox.woocommerce_url if platform == "woocommerce" else sandbox.shopify_url
    path = "/products/{}" if platform == "woocommerce" else "/inventory?sku={}"
    chosen = []
    for sku in candidates:
        if (
            sku in in_netsuite
            and requests.get(f"{base}/_sandbox" + path.format(sku), timeout=30).ok
        ):
            chosen.append(sku)
        if len(chosen) == count:
            return chosen
    raise AssertionError(f"the sandbox has fewer than {count} SKUs sold on both sides")
