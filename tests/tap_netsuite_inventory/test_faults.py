"""Throttling, server errors and dropped connections end in a complete sync; 401 does not."""

from __future__ import annotations

import pytest
from singer_sdk.exceptions import FatalAPIError

from tap_netsuite_inventory.tap import TapNetSuiteInventory


@pytest.fixture(autouse=True)
def short_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry after tenths of a second rather than seconds, so the test stays quick."""
    monkeypatch.setattr(TapNetSuiteInventory, "backoff_base_seconds", 0.05)


def test_throttling_and_server_errors_end_in_a_complete_sync(config, run_tap, admin):
    clean = run_tap(config)
    admin.reset_calls()
    admin.fault(kind="throttle", match="suiteql", rate=0.3, count=12)
    admin.fault(kind="error", match="suiteql", status=503, rate=0.3, count=6)
    admin.fault(kind="error", match="suiteql", status=500, count=1)
    admin.fault(kind="drop", match="suiteql", count=1)

    faulted = run_tap(config)

    assert faulted.records == clean.records
    assert admin.faults() == [], "every armed fault was injected and retried past"
    calls = admin.calls()["endpoints"]["POST /services/rest/query/v1/suiteql"]
    assert calls == clean_calls(clean) + 12 + 6 + 1 + 1
    assert "429" in faulted.log
    assert "503" in faulted.log


def clean_calls(run) -> int:
    """Requests of a fault-free full run of the 60-SKU sandbox with pages of 10."""
    items = -(-len(run.records["items"]) // 10)
    levels = -(-len(run.records["inventory_levels"]) // 10)
    order_rows = sum(max(len(order["lines"]), 1) for order in run.records["orders"])
    return items * 2 + levels + -(-order_rows // 10) + 2


def test_a_refused_login_is_fatal_and_names_what_to_check(config, run_tap, admin):
    wrong = {**config, "token_secret": "f" * 64}
    with pytest.raises(FatalAPIError) as raised:
        run_tap(wrong, streams=("locations",))

    message = str(raised.value)
    assert "401 INVALID_LOGIN" in message
    assert "account 1234567_SB1" in message
    assert "token_secret" in message
    assert "f" * 64 not in message
    assert admin.calls()["total"] == 1, "a refused login is not retried"
