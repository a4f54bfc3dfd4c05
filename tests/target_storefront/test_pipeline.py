"""End to end: tap-netsuite-inventory into target-storefront, against both sandbox stores.

Every test asserts on the store as its own API shows it afterwards.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from sync_model.violations import ViolationLog

from .conftest import Pipeline, location_mapping


def _store_name(record: dict) -> str:
    return record["product_name"] if record.get("product_id") else record["name"]


def test_first_sync_makes_the_store_match_netsuite(pipeline: Pipeline) -> None:
    output = pipeline.run()

    items = output.records["items"]
    assert len(items) == 40
    for record in items:
        store = pipeline.store.item(record["sku"])
        assert store["price"] == Decimal(str(record["price"])), record["sku"]
        expected_compare = record["compare_at_price"]
        assert store["compare_at_price"] == (
            Decimal(str(expected_compare)) if expected_compare is not None else None
        ), record["sku"]
        assert store["name"] == _store_name(record), record["sku"]
        if record["active"] is False:
            assert store["published"] is False, record["sku"]

    mapping = location_mapping(pipeline.platform)
    for record in items:
        store = pipeline.store.item(record["sku"])
        if store["manage_stock"] is not True:
            continue
        for netsuite_location, store_location in mapping.items():
            expected = pipeline.expected_stock(record["sku"], int(netsuite_location))
            assert store["stock"][store_location] == expected, (record["sku"], store_location)
    assert "Dropped 40 value(s) of description" in pipeline.log


def test_a_rerun_makes_zero_write_calls(pipeline: Pipeline) -> None:
    first = pipeline.run()
    pipeline.store.reset_calls()

    pipeline.run(state=first.state)
    assert pipeline.store.write_calls() == 0

    pipeline.run()  # the whole stream again, without state
    assert pipeline.store.write_calls() == 0
    assert "0 write call(s)" in pipeline.log


def test_replaying_an_older_stream_changes_nothing(pipeline: Pipeline) -> None:
    old = pipeline.run()
    sku = old.records["items"][0]["sku"]
    pipeline.netsuite.advance(3600)
    pipeline.netsuite.set_price(sku, "777.77")
    pipeline.netsuite.receive(sku, 1, 9)
    pipeline.run(state=old.state)
    assert pipeline.store.item(sku)["price"] == Decimal("777.77")
    stock_after_update = pipeline.store.item(sku)["stock"]
    pipeline.store.reset_calls()

    pipeline.target(old.text)

    assert pipeline.store.write_calls() == 0
    assert pipeline.store.item(sku)["price"] == Decimal("777.77")
    assert pipeline.store.item(sku)["stock"] == stock_after_update


def test_a_clerks_price_edit_is_restored_and_recorded(pipeline: Pipeline) -> None:
    first = pipeline.run()
    record = first.records["items"][0]
    pipeline.store.clerk_sets_price(record["sku"], "1.00")

    pipeline.target(first.text)

    assert pipeline.store.item(record["sku"])["price"] == Decimal(str(record["price"]))
    [violation] = ViolationLog(pipeline.work / "violations.jsonl").read()
    assert (violation.sku, violation.field, violation.system) == (
        record["sku"],
        "price",
        "storefront",
    )
    assert Decimal(str(violation.found_value)) == Decimal("1.00")
    assert Decimal(str(violation.owner_value)) == Decimal(str(record["price"]))
    assert violation.restored is True


def test_a_store_owned_description_survives_in_two_way_mode(pipeline: Pipeline) -> None:
    first = pipeline.run()
    sku = first.records["items"][0]["sku"]
    pipeline.store.clerk_sets_description(sku, "<p>Written by the shop</p>")

    pipeline.target(first.text)

    assert pipeline.store.item(sku)["description"] == "<p>Written by the shop</p>"
    assert not list(ViolationLog(pipeline.work / "violations.jsonl").read())


def test_in_one_way_mode_netsuite_owns_the_description(pipeline: Pipeline, tmp_path: Path) -> None:
    ownership = tmp_path / "one-way.yml"
    ownership.write_text("mode: one_way\n")
    first = pipeline.run(ownership_path=str(ownership))
    record = next(r for r in first.records["items"] if not r.get("product_id"))
    pipeline.store.clerk_sets_description(record["sku"], "<p>Written by the shop</p>")

    pipeline.target(first.text, ownership_path=str(ownership))

    assert pipeline.store.item(record["sku"])["description"] == record["description"]
    [violation] = ViolationLog(pipeline.work / "violations.jsonl").read()
    assert violation.field == "description"


def test_an_order_placed_after_netsuites_snapshot_is_not_oversold(pipeline: Pipeline) -> None:
    first = pipeline.run()
    sku = next(
        r["sku"]
        for r in first.records["items"]
        if r["active"] and pipeline.store.item(r["sku"])["manage_stock"] is True
    )
    main = location_mapping(pipeline.platform)["1"]
    before = pipeline.store.item(sku)["stock"][main]
    assert before >= 2
    pipeline.store.place_order(sku, 2)
    assert pipeline.store.item(sku)["stock"][main] == before - 2
    pipeline.netsuite.advance(3600)
    pipeline.netsuite.receive(sku, 1, 5)  # NetSuite's figure moves; the order is not in it

    pipeline.run(state=first.state)

    expected = pipeline.expected_stock(sku, 1, extra_unimported=2)
    assert pipeline.store.item(sku)["stock"][main] == expected
    assert expected == before + 5 - 2


def test_dry_run_writes_nothing_and_prints_the_plan(pipeline: Pipeline) -> None:
    first = pipeline.run()
    record = first.records["items"][0]
    pipeline.store.clerk_sets_price(record["sku"], "1.00")
    pipeline.store.reset_calls()

    pipeline.target(first.text, dry_run=True)

    assert pipeline.store.write_calls() == 0
    assert pipeline.store.item(record["sku"])["price"] == Decimal("1.00")
    plan = [json.loads(line) for line in (pipeline.work / "plan.jsonl").read_text().splitlines()]
    assert plan == [
        {
            "sku": record["sku"],
            "field": "price",
            "store_value": "1.00",
            "new_value": str(Decimal(str(record["price"]))),
            "why": "the destination was edited outside the owner; restoring the owner's value",
        }
    ]
    assert f"DRY RUN {record['sku']} price" in pipeline.log
    assert "(dry run: nothing written)" in pipeline.log
