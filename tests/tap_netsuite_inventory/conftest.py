"""Fixtures for tap-netsuite-inventory: a small sandbox, the tap's config for it, and a runner."""

from __future__ import annotations

import contextlib
import io
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
import requests

from sandbox.server import Sandbox
from sandbox.settings import NetSuiteSettings, SandboxSettings
from tap_netsuite_inventory.tap import TapNetSuiteInventory


@pytest.fixture
def sandbox_settings() -> SandboxSettings:
    """60 SKUs in an account on Pacific time, offset paging capped at 40 rows."""
    return SandboxSettings(
        skus=60,
        seed=11,
        locations=3,
        netsuite=NetSuiteSettings(time_zone="America/Los_Angeles", offset_cap=40),
    )


def tap_config(sandbox: Sandbox, **overrides: Any) -> dict[str, Any]:
    """The tap's settings for a running sandbox (token-based authentication)."""
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
        "page_size": 10,
        "suiteql_offset_cap": netsuite.offset_cap,
        "cursor_overlap_seconds": 300,
    }
    config.update(overrides)
    return config


@pytest.fixture
def config(sandbox: Sandbox) -> dict[str, Any]:
    """Settings of the tap for the test's sandbox."""
    return tap_config(sandbox)


@dataclass
class Run:
    """What one run of the tap wrote."""

    messages: list[dict[str, Any]]
    log: str
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for message in self.messages:
            if message["type"] == "RECORD":
                self.records.setdefault(message["stream"], []).append(message["record"])

    @property
    def state(self) -> dict[str, Any]:
        """The last STATE message's value."""
        return [m for m in self.messages if m["type"] == "STATE"][-1]["value"]

    def keys(self, stream: str, *names: str) -> list[Any]:
        """The keys of a stream's records, in order emitted."""
        records = self.records.get(stream, [])
        if len(names) == 1:
            return [record[names[0]] for record in records]
        return [tuple(record[name] for name in names) for record in records]


@pytest.fixture
def run_tap(caplog: pytest.LogCaptureFixture) -> Callable[..., Run]:
    """Run the tap in-process and return its messages and log."""

    def run(
        config: dict[str, Any],
        state: dict[str, Any] | None = None,
        streams: tuple[str, ...] | None = None,
    ) -> Run:
        caplog.clear()
        tap = TapNetSuiteInventory(config=config, state=state)
        if streams is not None:
            for name, stream in tap.streams.items():
                stream.selected = name in streams
        output = io.StringIO()
        with caplog.at_level(logging.INFO), contextlib.redirect_stdout(output):
            tap.sync_all()
        lines = output.getvalue().splitlines()
        messages = [json.loads(line, parse_float=Decimal) for line in lines]
        return Run(messages=messages, log=caplog.text)

    return run


class Admin:
    """The NetSuite emulator's admin API: what a clerk does in the UI, calls, faults, clock."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.url = sandbox.netsuite_url.removesuffix("/services/rest") + "/_sandbox"

    def _call(self, method: str, path: str, body: dict | None = None) -> Any:
        response = requests.request(method, f"{self.url}{path}", json=body, timeout=30)
        if not response.ok:
            raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json()

    def edit_item(self, sku: str, **fields: Any) -> Any:
        """Edit an item as a clerk: SuiteQL column names, `prices={"Online Price": "9.99"}`."""
        return self._call("PATCH", f"/items/{sku}", fields)

    def item(self, sku: str) -> Any:
        """An item's row, prices and stock."""
        return self._call("GET", f"/items/{sku}")

    def delete_item(self, sku: str) -> bool:
        """Delete an item; False when NetSuite refuses (the item is on a transaction)."""
        response = requests.delete(f"{self.url}/items/{sku}", timeout=30)
        return response.ok

    def set_stock(self, sku: str, location: int, on_hand: int) -> Any:
        """Set on-hand stock at a location."""
        return self._call("POST", f"/items/{sku}/stock/{location}", {"on_hand": on_hand})

    def order_action(self, key: str, action: str) -> Any:
        """Fulfil, cancel or close a sales order."""
        return self._call("POST", f"/sales-orders/{key}/{action}", {})

    def calls(self) -> dict[str, Any]:
        """API calls answered since the last reset."""
        return self._call("GET", "/calls")

    def reset_calls(self) -> None:
        """Start counting calls from zero."""
        self._call("DELETE", "/calls")

    def fault(self, **fault: Any) -> Any:
        """Arm a fault."""
        return self._call("POST", "/faults", fault)

    def faults(self) -> list[dict[str, Any]]:
        """Faults armed and not yet injected as often as asked."""
        return self._call("GET", "/faults")["faults"]

    def now(self) -> str:
        """The sandbox clock, ISO 8601."""
        return self._call("GET", "/clock")["now"]

    def advance(self, seconds: float) -> str:
        """Move the sandbox clock forward."""
        return self._call("POST", "/clock", {"advance_seconds": seconds})["now"]

    def m2m_key(self) -> dict[str, str]:
        """The sandbox account's demo M2M key pair and ids."""
        return self._call("GET", "/m2m-key")


@pytest.fixture
def admin(sandbox: Sandbox) -> Admin:
    """The NetSuite emulator's admin API."""
    return Admin(sandbox)
