"""Items new to the store are created, inactive ones unpublished (never deleted)."""

from __future__ import annotations

from decimal import Decimal

import requests

from .conftest import Pipeline, location_mapping


def test_a_new_netsuite_item_is_created_as_a_draft(pipeline: Pipeline) -> None:
    first = pipeline.run()
    pipeline.netsuite.advance(3600)
    requests.post(
        pipeline.netsuite.url + "/items",
        json={"sku": "NEW-0001", "name": "Trail Flask", "price": "24.50", "on_hand": {"1": 7}},
        timeout=30,
    ).raise_for_status()

    pipeline.run(state=first.state)

    store = pipeline.store.item("NEW-0001")
    assert store["name"] == "Trail Flask"
    assert store["price"] == Decimal("24.50")
    assert store["published"] is False
    assert store["stock"][location_mapping(pipeline.platform)["1"]] == 7


def test_new_items_can_be_published_at_once(pipeline: Pipeline) -> None:
    first = pipeline.run()
    pipeline.netsuite.advance(3600)
    requests.post(
        pipeline.netsuite.url + "/items",
        json={"sku": "NEW-0002", "name": "Camp Mug", "price": "9.00", "on_hand": {"1": 3}},
        timeout=30,
    ).raise_for_status()

    pipeline.run(state=first.state, publish_new_items=True)

    assert pipeline.store.item("NEW-0002")["published"] is True


def test_an_item_made_inactive_in_netsuite_is_unpublished_not_deleted(pipeline: Pipeline) -> None:
    first = pipeline.run()
    record = next(r for r in first.records["items"] if r["active"] and not r.get("product_id"))
    assert pipeline.store.item(record["sku"])["published"] is True
    pipeline.netsuite.advance(3600)
    requests.post(
        f"{pipeline.netsuite.url}/items/{record['sku']}/inactivate", timeout=30
    ).raise_for_status()

    pipeline.run(state=first.state)

    store = pipeline.store.item(record["sku"])  # still there
    assert store["published"] is False
    assert store["price"] == Decimal(str(record["price"]))


def test_a_netsuite_price_change_reaches_the_store(pipeline: Pipeline) -> None:
    first = pipeline.run()
    sku = first.records["items"][3]["sku"]
    pipeline.netsuite.advance(3600)
    pipeline.netsuite.set_price(sku, "55.10")
    pipeline.store.reset_calls()

    pipeline.run(state=first.state)

    assert pipeline.store.item(sku)["price"] == Decimal("55.10")
    assert 1 <= pipeline.store.write_calls() <= 2  # the price, with its clock (Shopify: 2 calls)
