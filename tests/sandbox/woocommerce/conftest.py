"""Fixtures for the WooCommerce emulator tests: a small store and clients that talk to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import requests
from woocommerce import API

from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings


@pytest.fixture
def sandbox_settings() -> SandboxSettings:
    """A store of 40 SKUs with a handful of orders."""
    return SandboxSettings(skus=40, seed=11, locations=2, orders_per_store=8)


@dataclass
class Store:
    """Where the emulated store listens and the API key that opens it."""

    url: str
    consumer_key: str
    consumer_secret: str

    @property
    def api(self) -> str:
        """The REST API base."""
        return f"{self.url}/wp-json/wc/v3"

    def admin(self, method: str, path: str, body: Any = None) -> requests.Response:
        """Call an admin route under `/_sandbox/`."""
        return requests.request(method, f"{self.url}/_sandbox/{path}", json=body, timeout=10)


@pytest.fixture
def store(sandbox: Sandbox) -> Store:
    """The running WooCommerce emulator."""
    settings = sandbox.settings.woocommerce
    return Store(sandbox.woocommerce_url, settings.consumer_key, settings.consumer_secret)


@pytest.fixture
def wc(store: Store) -> API:
    """The official `woocommerce` client, as a user configures it (OAuth over plain HTTP)."""
    return API(
        url=store.url,
        consumer_key=store.consumer_key,
        consumer_secret=store.consumer_secret,
        version="wc/v3",
        timeout=10,
    )


@pytest.fixture
def basic(store: Store) -> requests.Session:
    """A requests session sending the API key with HTTP Basic."""
    session = requests.Session()
    session.auth = (store.consumer_key, store.consumer_secret)
    return session
