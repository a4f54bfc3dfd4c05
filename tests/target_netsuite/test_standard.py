"""singer-sdk's standard target tests, against a sandbox NetSuite account for this module.

The SDK builds its test classes from a configuration at import time, so the sandbox is started
when the module is imported and stopped after its last test. The standard streams are not
streams target-netsuite writes: they exercise the Singer protocol handling (schemas, states,
key properties), and their records are counted and dropped.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from singer_sdk.testing import SuiteConfig, get_target_test_class

from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings
from target_netsuite.target import TargetNetSuite
from tests.target_netsuite.conftest import target_config

_SANDBOX = Sandbox(SandboxSettings(skus=20, seed=5, locations=2)).start()
_FOLDER = Path(tempfile.mkdtemp(prefix="target-netsuite-standard-"))


@pytest.fixture(scope="module", autouse=True)
def _stop_sandbox() -> Iterator[None]:
    yield
    _SANDBOX.stop()


TestTargetNetSuiteStandard = get_target_test_class(
    TargetNetSuite,
    config=target_config(_SANDBOX, _FOLDER, "woocommerce"),
    suite_config=SuiteConfig(),
    parse_env_config=False,
)
