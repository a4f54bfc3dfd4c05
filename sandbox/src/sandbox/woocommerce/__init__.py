"""The WooCommerce emulator: WooCommerce's REST API v3 on a WordPress site."""

from sandbox.woocommerce.app import WooCommerceEmulator

__all__ = ["WooCommerceEmulator"]
