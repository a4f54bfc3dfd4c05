"""What NetSuite does not take is reported, kept, and landed later; faults never double an order."""

from __future__ import annotations

import io
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from singer_sdk.exceptions import ConfigValidationError, FatalAPIError

from sandbox.server import Sandbox
from target_netsuite.target import TargetNetSuite
from tests.target_netsuite.conftest import (
    NetSuite,
    Pipeline,
    TargetRun,
    order_messages,
    place_order,
    sellable_skus,
    singer_lines,
    target_config,
)


def _queued(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT order_ref, reason FROM pending_order").fetchall())


def _order(ref: str, sku: str, quantity: int = 1, **fields: Any) -> dict[str, Any]:
    record = {
        "order_ref": ref,
        "number": ref.split(":")[1],
        "status": "open",
        "currency": "USD",
        "total": 12.5 * quantity,
        "created_at": "2026-11-20T10:00:00Z",
        "updated_at": "2026-11-20T10:05:00Z",
        "customer": {"email": "ada.lovelace@example.com", "name": "Ada Lovelace"},
        "lines": [
            {"sku": sku, "quantity": quantity, "unit_price": 12.5, "line_total": 12.5 * quantity}
        ],
        "source": "shopify",
        "source_id": ref.split(":")[1],
    }
    record.update(fields)
    return record


def test_an_unknown_sku_is_reported_kept_and_imported_once_the_sku_exists(
    pipeline: Pipeline, netsuite: NetSuite
):
    sku = sellable_skus(pipeline.sandbox, netsuite, pipeline.platform, 1)[0]
    ref = place_order(pipeline.sandbox, pipeline.platform, [{"sku": sku, "quantity": 1}])
    netsuite.admin("PATCH", f"/items/{sku}", {"itemid": f"{sku}-RETIRED"})
    queue = Path(pipeline.config["retry_queue_path"])

    first = pipeline.run()

    assert netsuite.sales_orders(ref) == []
    assert f"{ref} kept for the next run: line 1: unknown SKU {sku}" in first.log
    assert "unknown SKU" in _queued(queue)[ref]

    netsuite.admin("PATCH", f"/items/{sku}-RETIRED", {"itemid": sku})
    second = pipeline.run()

    assert len(netsuite.sales_orders(ref)) == 1
    assert [line[0] for line in netsuite.lines(netsuite.sales_orders(ref)[0]["id"])] == [sku]
    assert _queued(queue) == {}
    assert "retrying 1 order(s) kept from earlier runs" in second.log


@pytest.mark.parametrize("platform", ["shopify"])
def test_a_rejected_order_carries_netsuites_reason_and_lands_after_the_fix(
    pipeline: Pipeline, netsuite: NetSuite
):
    sku = sellable_skus(pipeline.sandbox, netsuite, pipeline.platform, 1)[0]
    ref = place_order(pipeline.sandbox, pipeline.platform, [{"sku": sku, "quantity": 1}])
    store_location = next(iter(pipeline.config["location_mapping"]))
    queue = Path(pipeline.config["retry_queue_path"])

    first = pipeline.run(location_mapping={store_location: "99"})

    assert netsuite.sales_orders(ref) == []
    reason = _queued(queue)[ref]
    assert "NetSuite rejected the sales order: 400" in reason
    assert "location" in reason
    assert ref in first.log

    pipeline.run()

    assert len(netsuite.sales_orders(ref)) == 1
    assert _queued(queue) == {}


def test_bad_records_are_reported_by_order_ref_and_the_rest_lands(
    sandbox: Sandbox,
    netsuite: NetSuite,
    tmp_path: Path,
    run_target: Callable[[dict, str], TargetRun],
):
    sku = sellable_skus(sandbox, netsuite, "shopify", 1)[0]
    records = [
        _order("shopify:910001", sku),
        _order("shopify:910002", sku, lines=[{"sku": sku, "quantity": -2, "unit_price": 1}]),
        _order("shopify:910003", sku, updated_at="last Tuesday"),
        _order("shopify:910004", sku, currency="ZZZ"),
        _order("shopify:910005", sku, 2),
    ]
    config = target_config(sandbox, tmp_path, "shopify")

    run = run_target(config, singer_lines(order_messages(records)))

    assert len(netsuite.sales_orders("shopify:910001")) == 1
    assert len(netsuite.sales_orders("shopify:910005")) == 1
    for ref in ("shopify:910002", "shopify:910003", "shopify:910004"):
        assert netsuite.sales_orders(ref) == []
    assert (
        "shopify:910002 not imported: the record breaks the orders schema at lines/0/quantity"
        in run.log
    )
    assert (
        "shopify:910003 not imported: the record breaks the orders schema at updated_at" in run.log
    )
    assert "shopify:910004 kept for the next run: currency ZZZ is not set up in NetSuite" in run.log
    assert set(_queued(tmp_path / "retry.sqlite")) == {
        "shopify:910002",
        "shopify:910003",
        "shopify:910004",
    }
    assert run.states == [{"bookmarks": {"orders": {"n": 1}}}]


def test_throttling_server_errors_and_dropped_connections_never_double_an_order(
    sandbox: Sandbox,
    netsuite: NetSuite,
    tmp_path: Path,
    run_target: Callable[[dict, str], TargetRun],
):
    sku = sellable_skus(sandbox, netsuite, "shopify", 1)[0]
    records = [_order(f"shopify:92000{n}", sku) for n in range(6)]
    for fault in (
        {"kind": "throttle", "match": "PUT .*salesOrder", "count": 2},
        {"kind": "error", "match": "PUT .*salesOrder", "count": 2, "status": 503},
        {"kind": "drop", "match": "PUT .*salesOrder", "count": 2},
    ):
        netsuite.admin("POST", "/faults", fault)
    config = target_config(sandbox, tmp_path, "shopify", max_concurrent_requests=1)
    TargetNetSuite.backoff_base_seconds = 0.05

    try:
        run = run_target(config, singer_lines(order_messages(records)))
    finally:
        TargetNetSuite.backoff_base_seconds = 1.0

    for record in records:
        assert len(netsuite.sales_orders(record["order_ref"])) == 1
    assert run.target.client.retries >= 6
    assert _queued(tmp_path / "retry.sqlite") == {}


def test_two_overlapping_runs_make_one_sales_order_per_store_order(
    sandbox: Sandbox, netsuite: NetSuite, tmp_path: Path
):
    skus = sellable_skus(sandbox, netsuite, "shopify", 3)
    records = [
        _order(
            f"shopify:93{n:04d}",
            skus[n % 3],
            customer={"email": f"buyer{n % 4}@example.org", "name": f"Buyer {n}"},
        )
        for n in range(40)
    ]
    lines = singer_lines(order_messages(records))
    errors: list[BaseException] = []
    targets: list[TargetNetSuite] = []

    def run(folder: str) -> None:
        try:
            (tmp_path / folder).mkdir()
            config = target_config(sandbox, tmp_path / folder, "shopify", batch_size=10)
            target = TargetNetSuite(config=config, parse_env_config=False)
            targets.append(target)
            target.listen(file_input=io.StringIO(lines))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    for record in records:
        assert len(netsuite.sales_orders(record["order_ref"])) == 1, record["order_ref"]
    customers = netsuite.rows(
        "SELECT email, COUNT(*) AS n FROM customer WHERE email LIKE 'buyer%@example.org' "
        "GROUP BY email ORDER BY email"
    )
    assert [row["n"] for row in customers] == ["1", "1", "1", "1"]
    assert all(target.concurrency.peak <= 3 for target in targets)


def test_settings_errors_are_actionable_and_never_show_a_secret(sandbox: Sandbox, tmp_path: Path):
    config = target_config(sandbox, tmp_path, "woocommerce")
    config["consumer_secret"] = "very-secret-consumer-value"
    del config["token_secret"]
    config["location_mapping"] = {"main": "1", "east": "2"}

    with pytest.raises(ConfigValidationError) as caught:
        TargetNetSuite(config=config, parse_env_config=False)

    text = str(caught.value) + " ".join(caught.value.errors)
    assert "token-based authentication is missing token_secret" in text
    assert "set order_location" in text
    assert "very-secret-consumer-value" not in text


def test_refused_credentials_stop_the_run_naming_the_settings_not_their_values(
    sandbox: Sandbox,
    netsuite: NetSuite,
    tmp_path: Path,
    run_target: Callable[[dict, str], TargetRun],
):
    sku = sellable_skus(sandbox, netsuite, "shopify", 1)[0]
    config = target_config(sandbox, tmp_path, "shopify", token_secret="wrong-token-secret-1234")

    with pytest.raises(FatalAPIError) as caught:
        run_target(config, singer_lines(order_messages([_order("shopify:940001", sku)])))

    assert "401" in str(caught.value)
    assert "token_secret" in str(caught.value)
    assert "wrong-token-secret-1234" not in str(caught.value)
    assert netsuite.sales_orders("shopify:940001") == []
