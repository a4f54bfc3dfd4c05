"""singer-sdk's standard tap tests, for both platforms, against one sandbox for this module.

The SDK builds its test classes from a configuration at import time, so the sandbox this
module syncs from is started when the module is imported and stopped after its last test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from singer_sdk.testing import SuiteConfig, get_tap_test_class

from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings, WooCommerceSettings
from tap_storefront.tap import TapStorefront

_SANDBOX = Sandbox(
    SandboxSettings(
        skus=30, seed=5, locations=2, woocommerce=WooCommerceSettings(time_zone="Asia/Tokyo")
    )
).start()
_SETTINGS = _SANDBOX.settings


@pytest.fixture(scope="module", autouse=True)
def _stop_sandbox() -> Iterator[None]:
    yield
    _SANDBOX.stop()


TestWooCommerceStandard = get_tap_test_class(
    TapStorefront,
    config={
        "platform": "woocommerce",
        "base_url": _SANDBOX.woocommerce_url,
        "consumer_key": _SETTINGS.woocommerce.consumer_key,
        "consumer_secret": _SETTINGS.woocommerce.consumer_secret,
        "stock_location": "main",
    },
    suite_config=SuiteConfig(),
    parse_env_config=False,
)

TestShopifyStandard = get_tap_test_class(
    TapStorefront,
    config={
        "platform": "shopify",
        "base_url": _SANDBOX.shopify_url,
        "access_token": _SETTINGS.shopify.access_token,
    },
    suite_config=SuiteConfig(),
    parse_env_config=False,
)
