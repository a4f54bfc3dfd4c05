"""Fixtures of the tap-storefront tests: a small sandbox, tap settings, and a tap runner."""

from __future__ import annotations

import contextlib
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings, WooCommerceSettings
from tap_storefront.tap import TapStorefront

PLATFORMS = ("woocommerce", "shopify")


@pytest.fixture
def sandbox_settings() -> SandboxSettings:
    """A small catalogue in a store whose time zone is not UTC."""
    return SandboxSettings(
        skus=40,
        seed=11,
        locations=2,
        woocommerce=WooCommerceSettings(time_zone="Europe/Berlin"),
    )


def tap_config(sandbox: Sandbox, platform: str, **overrides: Any) -> dict[str, Any]:
    """Settings that point the tap at one of the sandbox's stores."""
    settings = sandbox.settings
    if platform == "woocommerce":
        config = {
            "platform": "woocommerce",
            "base_url": sandbox.woocommerce_url,
            "consumer_key": settings.woocommerce.consumer_key,
            "consumer_secret": settings.woocommerce.consumer_secret,
            "stock_location": "main",
        }
    else:
        config = {
            "platform": "shopify",
            "base_url": sandbox.shopify_url,
            "access_token": settings.shopify.access_token,
        }
    return {**config, **overrides}


@dataclass
class TapRun:
    """What one run of the tap wrote: records by stream, and the last state."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    state: dict[str, Any] = field(default_factory=dict)

    def keys(self, stream: str, key: str = "sku") -> list[str]:
        """The values of one property in a stream's records, in emitted order."""
        return [record[key] for record in self.records[stream]]


def run_tap(config: dict[str, Any], state: dict[str, Any] | None = None) -> TapRun:
    """Run the tap in-process and collect its Singer messages."""
    tap = TapStorefront(config=config, state=state or {}, parse_env_config=False)
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        tap.sync_all()
    run = TapRun()
    for line in output.getvalue().splitlines():
        message = json.loads(line)
        if message["type"] == "RECORD":
            run.records[message["stream"]].append(message["record"])
        elif message["type"] == "STATE":
            run.state = message["value"]
    return run


def admin(base_url: str, method: str, path: str, body: Any = None) -> Any:
    """Call an emulator's admin API under /_sandbox/."""
    response = requests.request(method, f"{base_url}/_sandbox{path}", json=body, timeout=30)
    response.raise_for_status()
    return response.json()


@pytest.fixture(params=PLATFORMS)
def platform(request: pytest.FixtureRequest) -> str:
    """Each test runs once per platform."""
    return request.param


@pytest.fixture
def store_url(sandbox: Sandbox, platform: str) -> str:
    """The URL of the platform's store in the sandbox."""
    return sandbox.woocommerce_url if platform == "woocommerce" else sandbox.shopify_url
