"""Every request of the tap, from any stream or thread, goes through one concurrency limit."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from sandbox.settings import NetSuiteSettings, SandboxSettings
from tap_netsuite_inventory.tap import TapNetSuiteInventory


@pytest.fixture
def sandbox_settings() -> SandboxSettings:
    """An account that answers 429 to a third request in flight."""
    return SandboxSettings(
        skus=20, seed=2, locations=2, netsuite=NetSuiteSettings(concurrency_limit=2)
    )


def test_requests_of_all_streams_share_one_limit(config, admin):
    tap = TapNetSuiteInventory(config={**config, "max_concurrent_requests": 2})
    streams = [tap.streams[name] for name in ("locations", "price_levels", "items", "orders")]
    admin.fault(kind="slow", match="suiteql", delay_seconds=0.3, count=8)
    admin.reset_calls()

    def query(stream):
        return list(stream.run_query("SELECT loc.id AS id FROM location loc ORDER BY loc.id"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(query, streams * 2))

    assert all(len(rows) == 2 for rows in answers)
    assert tap.concurrency.peak == 2
    # No request was refused for concurrency and retried: eight queries, eight calls.
    assert admin.calls()["endpoints"] == {"POST /services/rest/query/v1/suiteql": 8}
