"""singer-sdk's standard tap tests, against a sandbox started for this module."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from singer_sdk.testing import SuiteConfig, get_tap_test_class

from sandbox.server import Sandbox
from sandbox.settings import NetSuiteSettings, SandboxSettings
from tap_netsuite_inventory.tap import TapNetSuiteInventory


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The standard suite is built when this module is imported, so the sandbox's port and
# credentials are fixed here and the sandbox is started on them below.
SETTINGS = SandboxSettings(
    skus=40,
    seed=5,
    locations=2,
    netsuite_port=_free_port(),
    netsuite=NetSuiteSettings(time_zone="Europe/Berlin"),
)
CONFIG = {
    "account_id": SETTINGS.netsuite.account_id,
    "base_url": f"http://127.0.0.1:{SETTINGS.netsuite_port}/services/rest",
    "consumer_key": SETTINGS.netsuite.consumer_key,
    "consumer_secret": SETTINGS.netsuite.consumer_secret,
    "token_id": SETTINGS.netsuite.token_id,
    "token_secret": SETTINGS.netsuite.token_secret,
    "account_time_zone": SETTINGS.netsuite.time_zone,
    "store_price_level": "Online Price",
    "compare_at_price_level": "MSRP",
    "start_date": "2026-01-01T00:00:00Z",
}


@pytest.fixture(scope="module", autouse=True)
def standard_sandbox() -> Iterator[Sandbox]:
    """The sandbox the standard tests read, on the port CONFIG names."""
    with Sandbox(SETTINGS) as running:
        yield running


TestTapNetSuiteInventory = get_tap_test_class(
    tap_class=TapNetSuiteInventory,
    config=CONFIG,
    suite_config=SuiteConfig(max_records_limit=None),
)
