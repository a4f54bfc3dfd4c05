"""singer-sdk's standard target tests, for both platforms, against one sandbox for this module.

The SDK builds its test classes from a configuration at import time, so the sandbox is started
when the module is imported and stopped after its last test. The standard streams are not the
suite's; the target counts and ignores them, which is what these tests check it survives.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from singer_sdk.testing import get_target_test_class

from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings
from target_storefront.target import TargetStorefront

from .conftest import target_config

_SANDBOX = Sandbox(SandboxSettings(skus=20, seed=5, locations=2)).start()
_WORK = Path(tempfile.mkdtemp(prefix="target-storefront-standard-"))


@pytest.fixture(scope="module", autouse=True)
def _stop_sandbox() -> Iterator[None]:
    yield
    _SANDBOX.stop()
    shutil.rmtree(_WORK, ignore_errors=True)


TestWooCommerceStandard = get_target_test_class(
    TargetStorefront, config=target_config(_SANDBOX, "woocommerce", _WORK / "woocommerce")
)

TestShopifyStandard = get_target_test_class(
    TargetStorefront, config=target_config(_SANDBOX, "shopify", _WORK / "shopify")
)
