"""Fixtures of the reconcile tests: a sandbox, the real taps run in-process, target-reconcile.

The sandbox is seeded with no orders and a single Shopify shop compared with NetSuite over all
three locations. tap-netsuite-inventory maps NetSuite location ids 1-3 to the shop's location
GIDs, so both sides report stock under the same ids.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner, Result

from reconcile.cli import main
from reconcile.target import TargetReconcile
from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings
from tap_netsuite_inventory.tap import TapNetSuiteInventory
from tap_storefront.tap import TapStorefront

LOCATIONS = {str(i): f"gid://shopify/Location/{70_000_000 + i}" for i in (1, 2, 3)}


@pytest.fixture
def sandbox_settings() -> SandboxSettings:
    """40 SKUs at three locations and no orders: both sides start with the same stock."""
    return SandboxSettings(skus=40, seed=11, locations=3, orders_per_store=0)


def admin(base_url: str, method: str, path: str, body: Any = None) -> Any:
    """Call an emulator's admin API under /_sandbox/."""
    base = base_url.removesuffix("/services/rest")
    response = requests.request(method, f"{base}/_sandbox{path}", json=body, timeout=30)
    assert response.ok, f"{method} {path}: {response.status_code} {response.text}"
    return response.json()


def _tap_output(tap: Any) -> str:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        tap.sync_all()
    return output.getvalue()


def netsuite_output(sandbox: Sandbox) -> str:
    """tap-netsuite-inventory's full output (no state) for the sandbox account."""
    netsuite = sandbox.settings.netsuite
    config = {
        "account_id": netsuite.account_id,
        "base_url": sandbox.netsuite_url,
        "consumer_key": netsuite.consumer_key,
        "consumer_secret": netsuite.consumer_secret,
        "token_id": netsuite.token_id,
        "token_secret": netsuite.token_secret,
        "account_time_zone": netsuite.time_zone,
        "store_price_level": "Online Price",
        "compare_at_price_level": "MSRP",
        "location_mapping": LOCATIONS,
    }
    return _tap_output(TapNetSuiteInventory(config=config, parse_env_config=False))


def shopify_output(sandbox: Sandbox) -> str:
    """tap-storefront's full output for the sandbox's Shopify shop."""
    config = {
        "platform": "shopify",
        "base_url": sandbox.shopify_url,
        "access_token": sandbox.settings.shopify.access_token,
    }
    return _tap_output(TapStorefront(config=config, parse_env_config=False))


def records(output: str, stream: str) -> list[dict[str, Any]]:
    """The records of one stream in a tap's output."""
    messages = (json.loads(line, parse_float=Decimal) for line in output.splitlines())
    return [m["record"] for m in messages if m["type"] == "RECORD" and m["stream"] == stream]


def load(output: str, config: dict[str, Any], day: datetime) -> str:
    """Run target-reconcile over a tap's output with its clock at `day`; return what it wrote."""
    TargetReconcile.clock = staticmethod(lambda: day)
    target = TargetReconcile(config=config, parse_env_config=False)
    written = io.StringIO()
    with contextlib.redirect_stdout(written):
        target.listen(io.StringIO(output))
    return written.getvalue()


@pytest.fixture(autouse=True)
def _restore_clock() -> Any:
    clock = TargetReconcile.clock
    yield
    TargetReconcile.clock = clock


@pytest.fixture
def target_config(tmp_path: Path) -> dict[str, Any]:
    """target-reconcile's settings: a SQLite history in the test's folder."""
    return {"database_url": f"sqlite:///{tmp_path / 'history.db'}"}


@pytest.fixture
def report_env(tmp_path: Path, target_config: dict[str, Any]) -> dict[str, str]:
    """The report's settings as Meltano passes a utility's settings: RECONCILE_* variables."""
    return {
        "RECONCILE_DATABASE_URL": target_config["database_url"],
        "RECONCILE_VIOLATIONS_PATH": str(tmp_path / "violations.jsonl"),
        "RECONCILE_OWNERSHIP_PATH": str(tmp_path / "no-ownership.yml"),
    }


@pytest.fixture
def run_report(report_env: dict[str, str]) -> Callable[..., Result]:
    """Run `reconcile report` as a user does, with its clock at `day`."""

    def run(*args: str, day: datetime | None = None, **env: str) -> Result:
        with pytest.MonkeyPatch.context() as patch:
            if day is not None:
                patch.setattr("reconcile.report.utc_now", lambda: day)
            return CliRunner().invoke(main, ["report", *args], env={**report_env, **env})

    return run


def align(sandbox: Sandbox, netsuite: str, shopify: str) -> list[str]:
    """Make both sides agree on which SKUs are active; return the SKUs changed.

    Shopify keeps `active` per product, NetSuite per item: a demo product with one inactive
    variant is active in the shop. The item is made active in NetSuite through its admin API,
    as a clerk would, so the two systems describe the same catalogue.
    """
    shop_active = {r["sku"]: r["active"] for r in records(shopify, "items")}
    changed = []
    for record in records(netsuite, "items"):
        if record["active"] != shop_active.get(record["sku"], record["active"]):
            admin(
                sandbox.netsuite_url,
                "PATCH",
                f"/items/{record['sku']}",
                {"isinactive": "F" if shop_active[record["sku"]] else "T"},
            )
            changed.append(record["sku"])
    return changed
