"""Settings of the sandbox and of each emulator.

The credentials here are the sandbox's own demo credentials: they open nothing but the
emulators on this machine, which is why they can have defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class NetSuiteSettings:
    """The emulated NetSuite account."""

    account_id: str = "1234567_SB1"
    time_zone: str = "America/Los_Angeles"
    # Token-based authentication (OAuth 1.0a) of one integration record and one access token.
    consumer_key: str = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
    consumer_secret: str = "0f9e8d7c6b5a49382716f5e4d3c2b1a00f9e8d7c6b5a49382716f5e4d3c2b1a0"
    token_id: str = "1122334455667788990011223344556677889900aabbccddeeff001122334455"
    token_secret: str = "ffeeddccbbaa00998877665544332211ffeeddccbbaa00998877665544332211"
    # OAuth 2.0 client credentials: the integration's client id and the certificate id under
    # which the sandbox's demo key pair is registered.
    client_id: str = "b8c0de5a1f2e4d6c8b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c"
    certificate_id: str = "sandbox-m2m-certificate"
    #: Rows reachable by SuiteQL offset paging (100,000 in NetSuite; lowered in tests).
    offset_cap: int = 100_000
    #: Requests the account answers at once before it answers 429.
    concurrency_limit: int = 5


@dataclass
class WooCommerceSettings:
    """The emulated WooCommerce store."""

    consumer_key: str = "ck_5f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6"
    consumer_secret: str = "cs_0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b"
    #: The store's time zone (WordPress Settings > General); not UTC, as on most real stores.
    time_zone: str = "Europe/Berlin"
    #: WooCommerce keeps one stock figure per product; it mirrors this catalogue location.
    stock_location: str = "main"
    #: Every Nth variable product manages stock at product level (its variations show
    #: `manage_stock: "parent"` and the product holds their summed stock); 0 for none.
    parent_stock_every: int = 4
    #: Every Nth simple product does not manage stock (`stock_quantity` null); 0 for none.
    unmanaged_stock_every: int = 7
    #: `Retry-After` of an injected 429, in seconds, as a host's rate limiter sends it.
    retry_after_seconds: int = 1


@dataclass
class ShopifySettings:
    """The emulated Shopify shop."""

    shop: str = "sandbox-store"
    access_token: str = "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"
    #: Size of the query-cost leaky bucket, in points.
    bucket_size: int = 2000
    #: Points restored to the bucket per second.
    restore_rate: float = 100.0
    #: The most a single query may cost (Shopify's limit is 1000).
    max_query_cost: int = 1000
    #: The shop's name and time zone, as `shop { name ianaTimezone }` answers.
    shop_name: str = "Sandbox Store"
    iana_timezone: str = "America/New_York"
    #: Oldest API version still served; older well-formed versions fall forward to it.
    oldest_api_version: str = "2025-01"
    #: Latest stable API version; the quarter after it is the release candidate.
    latest_api_version: str = "2026-10"


@dataclass
class SandboxSettings:
    """The whole sandbox: demo data, where state lives, where it listens."""

    skus: int = 200
    seed: int = 7
    locations: int = 3
    orders_per_store: int | None = None
    #: Keep each emulator's state in a SQLite file here; None keeps it in memory.
    state_dir: Path | None = None
    host: str = "127.0.0.1"
    #: Port of each emulator; 0 lets the operating system choose a free one.
    netsuite_port: int = 0
    woocommerce_port: int = 0
    shopify_port: int = 0
    netsuite: NetSuiteSettings = field(default_factory=NetSuiteSettings)
    woocommerce: WooCommerceSettings = field(default_factory=WooCommerceSettings)
    shopify: ShopifySettings = field(default_factory=ShopifySettings)
