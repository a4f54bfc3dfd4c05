"""The Shopify emulator: Shopify's Admin GraphQL API over a shop seeded from the catalogue."""

from __future__ import annotations

from sandbox.shopify.app import ShopifyEmulator

__all__ = ["ShopifyEmulator"]
