"""Local emulators of the NetSuite, WooCommerce and Shopify APIs, seeded with demo data."""

from sandbox.settings import (
    NetSuiteSettings,
    SandboxSettings,
    ShopifySettings,
    WooCommerceSettings,
)

__all__ = ["NetSuiteSettings", "SandboxSettings", "ShopifySettings", "WooCommerceSettings"]
