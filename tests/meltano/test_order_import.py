"""End to end through `meltano run`: store orders reach NetSuite exactly once, whatever happens."""

from __future__ import annotations

import json
import time
from decimal import Decimal

from tests.meltano.conftest import MeltanoProject
from tests.target_netsuite.conftest import (
    NetSuite,
    Pipeline,
    place_order,
    sellable_skus,
    store_admin,
)


def _open_orders(project: MeltanoProject, platform: str) -> list[dict]:
    # Only the tap half of the pipeline runs here, so the target runner is never called.
    tap_only = Pipeline(project.sandbox, platform, {}, lambda *_: None)  # type: ignore[arg-type]
    lines = tap_only.tap_lines({})
    return [
        message["record"]
        for message in map(json.loads, lines.splitlines())
        if message.get("type") == "RECORD"
        and message["stream"] == "orders"
        and message["record"]["status"] == "open"
    ]


def _landed(netsuite: NetSuite, refs: list[str]) -> int:
    quoted = ", ".join(f"'{ref}'" for ref in refs)
    return len(
        netsuite.rows(
            f"SELECT id FROM transaction WHERE type = 'SalesOrd' AND externalid IN ({quoted})"
        )
    )


def _all_sales_orders(netsuite: NetSuite) -> list[dict]:
    return netsuite.rows(
        "SELECT id, externalid, status, foreigntotal, lastmodifieddate FROM transaction "
        "WHERE type = 'SalesOrd' ORDER BY id"
    )


def _assert_open_orders_landed_once(project: MeltanoProject, netsuite: NetSuite, platform: str):
    for order in _open_orders(project, platform):
        found = netsuite.sales_orders(order["order_ref"])
        assert len(found) == 1, order["order_ref"]
        if found[0]["status"] not in ("A", "B"):
            continue
        expected = sorted(
            (
                line["sku"],
                Decimal(line["quantity"]),
                Decimal(str(line["unit_price"])),
                Decimal(str(line["line_total"])),
                "1",
                "F",
            )
            for line in order["lines"]
        )
        assert sorted(netsuite.lines(found[0]["id"])) == expected, order["order_ref"]
        assert Decimal(found[0]["foreigntotal"]) == Decimal(str(order["total"]))


def test_woocommerce_orders_land_once_a_second_import_changes_nothing_and_a_cancel_releases(
    project: MeltanoProject, netsuite: NetSuite
):
    skus = sellable_skus(project.sandbox, netsuite, "woocommerce", 2)
    committed = {sku: netsuite.committed(sku) for sku in skus}
    new_ref = place_order(
        project.sandbox,
        "woocommerce",
        [{"sku": skus[0], "quantity": 2}, {"sku": skus[1], "quantity": 1}],
    )

    first = project.run("order-import-woocommerce")

    assert first.returncode == 0, first.stderr[-4000:]
    _assert_open_orders_landed_once(project, netsuite, "woocommerce")
    assert len(netsuite.sales_orders(new_ref)) == 1
    assert netsuite.committed(skus[0]) == committed[skus[0]] + 2
    assert netsuite.committed(skus[1]) == committed[skus[1]] + 1

    before = _all_sales_orders(netsuite)
    netsuite.admin("DELETE", "/calls")
    second = project.run(
        "--full-refresh", "tap-storefront-woocommerce", "target-netsuite--woocommerce"
    )

    assert second.returncode == 0, second.stderr[-4000:]
    assert _all_sales_orders(netsuite) == before
    assert netsuite.writes() == 0

    store_admin(
        project.sandbox, "woocommerce", "POST", f"/orders/{new_ref.split(':')[1]}/cancel", {}
    )
    third = project.run("order-import-woocommerce")

    assert third.returncode == 0, third.stderr[-4000:]
    assert [order["status"] for order in netsuite.sales_orders(new_ref)] == ["H"]
    assert netsuite.committed(skus[0]) == committed[skus[0]]
    assert netsuite.committed(skus[1]) == committed[skus[1]]


def test_shopify_orders_land_once_and_an_unknown_sku_order_lands_the_run_after_the_sku_appears(
    project: MeltanoProject, netsuite: NetSuite
):
    known, unknown = sellable_skus(project.sandbox, netsuite, "shopify", 2)
    committed = netsuite.committed(known)
    netsuite.admin("PATCH", f"/items/{unknown}", {"itemid": f"{unknown}-NOT-YET"})
    known_ref = place_order(project.sandbox, "shopify", [{"sku": known, "quantity": 2}])
    unknown_ref = place_order(project.sandbox, "shopify", [{"sku": unknown, "quantity": 1}])

    first = project.run("order-import-shopify")

    assert first.returncode == 0, first.stderr[-4000:]
    assert len(netsuite.sales_orders(known_ref)) == 1
    assert netsuite.committed(known) == committed + 2
    assert netsuite.sales_orders(unknown_ref) == []
    output = first.stdout + first.stderr
    assert f"{unknown_ref} kept for the next run: line 1: unknown SKU {unknown}" in output

    before = _all_sales_orders(netsuite)
    netsuite.admin("DELETE", "/calls")
    second = project.run("--full-refresh", "tap-storefront-shopify", "target-netsuite--shopify")

    assert second.returncode == 0, second.stderr[-4000:]
    assert _all_sales_orders(netsuite) == before
    assert netsuite.writes() == 0

    netsuite.admin("PATCH", f"/items/{unknown}-NOT-YET", {"itemid": unknown})
    third = project.run("order-import-shopify")

    assert third.returncode == 0, third.stderr[-4000:]
    assert len(netsuite.sales_orders(unknown_ref)) == 1
    lines = netsuite.lines(netsuite.sales_orders(unknown_ref)[0]["id"])
    assert [line[0] for line in lines] == [unknown]
    _assert_open_orders_landed_once(project, netsuite, "shopify")


def test_killing_the_target_mid_stream_and_rerunning_leaves_one_sales_order_per_store_order(
    project: MeltanoProject, netsuite: NetSuite
):
    skus = sellable_skus(project.sandbox, netsuite, "woocommerce", 4)
    refs = [
        place_order(project.sandbox, "woocommerce", [{"sku": skus[n % 4], "quantity": 1}])
        for n in range(30)
    ]
    netsuite.admin(
        "POST",
        "/faults",
        {"kind": "slow", "match": "PUT .*salesOrder", "delay_seconds": 1.0, "count": 1000},
    )
    project.env["TARGET_NETSUITE__WOOCOMMERCE_BATCH_SIZE"] = "5"

    running = project.start("tap-storefront-woocommerce", "target-netsuite--woocommerce")
    deadline = time.monotonic() + 120
    while _landed(netsuite, refs) < 4:
        assert time.monotonic() < deadline, (project.folder / "run.log").read_text()[-3000:]
        time.sleep(0.2)
    project.kill_plugin(running, "target-netsuite")
    assert running.wait(timeout=120) != 0
    landed_before_rerun = _landed(netsuite, refs)
    netsuite.admin("DELETE", "/faults")

    rerun = project.run("tap-storefront-woocommerce", "target-netsuite--woocommerce")

    assert rerun.returncode == 0, rerun.stderr[-4000:]
    assert 0 < landed_before_rerun < len(refs)
    for ref in refs:
        assert len(netsuite.sales_orders(ref)) == 1, ref
    counts = netsuite.rows(
        "SELECT externalid, COUNT(*) AS n FROM transaction WHERE type = 'SalesOrd' "
        "AND externalid IS NOT NULL GROUP BY externalid ORDER BY externalid"
    )
    assert {row["n"] for row in counts} == {"1"}
