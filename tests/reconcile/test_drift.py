"""Each kind of drift, seeded in the sandbox and read by the real taps, shows in the report."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sandbox.server import Sandbox
from sync_model.violations import OwnershipViolation, ViolationLog

from .conftest import LOCATIONS, admin, align, load, netsuite_output, records, shopify_output

DAY1 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)


def _aligned_snapshots(sandbox: Sandbox, target_config: dict, day: datetime) -> tuple[str, str]:
    netsuite, shopify = netsuite_output(sandbox), shopify_output(sandbox)
    if align(sandbox, netsuite, shopify):
        netsuite = netsuite_output(sandbox)
    load(netsuite, target_config, day)
    load(shopify, target_config, day)
    return netsuite, shopify


def _by_kind(report: dict) -> dict[str, dict]:
    return {drill["kind"]: drill for drill in report["drilldowns"]}


def _numbers(report: dict) -> dict[str, dict]:
    return {
        (n["name"] + (f":{n['currency']}" if n["currency"] else "")): n for n in report["numbers"]
    }


def test_clean_pair_reports_zero_drift_and_exits_0(sandbox, target_config, run_report):
    # Clean means: no orders on either side (sandbox seeded with orders_per_store=0), the same
    # active SKUs (aligned above through NetSuite's admin API), and the same on-hand stock at
    # the three mapped locations, as the sandbox seeds both systems from one catalogue.
    _netsuite, shopify = _aligned_snapshots(sandbox, target_config, DAY1)

    result = run_report("--format", "json", day=DAY1)

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    numbers = _numbers(report)
    active = sum(1 for record in records(shopify, "items") if record["active"])
    on_hand = sum(record["on_hand"] for record in records(shopify, "inventory_levels"))
    assert numbers["item_count"]["netsuite"] == numbers["item_count"]["store"] == str(active)
    assert numbers["on_hand"]["netsuite"] == numbers["on_hand"]["store"] == str(on_hand)
    assert numbers["open_order_value"]["store"] == "0.00"
    assert all(Decimal(n["difference"]) == 0 and not n["exceeded"] for n in report["numbers"])
    assert {kind: drill["count"] for kind, drill in _by_kind(report).items()} == {
        "only_in_netsuite": 0,
        "only_in_store": 0,
        "active_differs": 0,
        "on_hand_differs": 0,
        "locations_one_side": 0,
        "orders_missing_in_netsuite": 0,
        "order_totals_differ": 0,
        "ownership_violations": 0,
    }
    assert report["exceeded"] is False


def test_each_drift_shows_in_its_number_and_drilldown(
    sandbox, target_config, run_report, report_env, tmp_path: Path
):
    _netsuite, shopify = _aligned_snapshots(sandbox, target_config, DAY1)
    shop = sandbox.shopify_url
    levels = {(r["sku"], r["location"]): r for r in records(shopify, "inventory_levels")}
    items = [r for r in records(shopify, "items") if r["active"]]
    counted_sku, ordered_sku, priced_sku = items[0]["sku"], items[1]["sku"], items[2]["sku"]
    main = LOCATIONS["1"]

    # 1. A SKU missing in the store: created in NetSuite only, 7 on hand at location 1.
    admin(
        sandbox.netsuite_url,
        "POST",
        "/items",
        {"sku": "RC-NEW-1", "name": "Reconcile Probe", "price": "12.00", "on_hand": {"1": 7}},
    )
    # 2. A quantity that disagrees: a clerk sets the shop's stock by hand, 5 more available.
    before = levels[(counted_sku, main)]
    admin(
        shop,
        "PUT",
        "/inventory",
        {"sku": counted_sku, "location": "main", "available": before["available"] + 5},
    )
    # 3. An order never imported into NetSuite.
    order = admin(shop, "POST", "/orders", {"lines": [{"sku": ordered_sku, "quantity": 2}]})
    # 4. A price edited in the store, recorded as target-storefront records it.
    admin(shop, "PATCH", f"/variants/{priced_sku}", {"price": "1.23"})
    ViolationLog(Path(report_env["RECONCILE_VIOLATIONS_PATH"])).record(
        [
            OwnershipViolation(
                sku=priced_sku,
                field="price",
                system="storefront",
                found_value="1.23",
                owner_value=str(items[2]["price"]),
                detected_at=DAY2 - timedelta(hours=1),
            )
        ]
    )

    day2_shopify = shopify_output(sandbox)
    load(netsuite_output(sandbox), target_config, DAY2)
    load(day2_shopify, target_config, DAY2)
    result = run_report("--format", "json", day=DAY2)

    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    numbers, drills = _numbers(report), _by_kind(report)
    assert numbers["item_count"]["difference"] == "-1"
    assert numbers["on_hand"]["difference"] == str(5 - 7)
    placed = [o for o in records(day2_shopify, "orders") if o["status"] == "open"]
    assert len(placed) == 1
    total = Decimal(str(placed[0]["total"]))
    assert numbers["open_order_value:USD"]["store"] == str(total.quantize(Decimal("0.01")))
    assert numbers["open_order_value:USD"]["netsuite"] == "0.00"
    assert all(n["exceeded"] for n in report["numbers"])

    assert drills["only_in_netsuite"]["rows"] == [["RC-NEW-1"]]
    assert drills["on_hand_differs"]["rows"] == sorted(
        [
            ["RC-NEW-1", main, 7, None],
            [counted_sku, main, before["on_hand"], before["on_hand"] + 5],
        ]
    )
    assert drills["orders_missing_in_netsuite"]["rows"] == [
        [placed[0]["order_ref"], "USD", str(total.quantize(Decimal("0.01")))]
    ]
    assert order  # the admin API answered with the order it placed
    violation = drills["ownership_violations"]["rows"]
    assert [row[1:5] for row in violation] == [[priced_sku, "price", "storefront", "1.23"]]

    edits = {e["system"]: e for e in report["field_edits"]}
    assert edits["shopify"]["fields"]["price"] == 1
    assert edits["netsuite"]["fields"]["price"] == 0
