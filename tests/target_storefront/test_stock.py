"""Stock: compare-and-set, safety stock, retries.

On Shopify a sale between the target's read and its write is never overwritten.
"""

from __future__ import annotations

import pytest
import requests

from target_storefront.shopify.writer import ShopifyStore

from .conftest import SHOPIFY_MAIN, Pipeline, location_mapping


def _tracked_sku(pipeline: Pipeline, records: list[dict]) -> str:
    return next(
        r["sku"]
        for r in records
        if r["active"] and pipeline.store.item(r["sku"])["manage_stock"] is True
    )


@pytest.mark.parametrize("platform", ["shopify"])
@pytest.mark.parametrize("api_version", ["2026-10", "2025-10"])
def test_a_sale_between_read_and_write_is_reread_not_overwritten(
    pipeline: Pipeline, api_version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = pipeline.run(api_version=api_version)
    sku = _tracked_sku(pipeline, first.records["items"])
    pipeline.netsuite.advance(3600)
    pipeline.netsuite.receive(sku, 1, 5)

    original = ShopifyStore.fetch_stock
    sold = []

    def fetch_then_sell(self: ShopifyStore, keys: list[tuple[str, str]]):
        levels = original(self, keys)
        if not sold:  # a shopper buys one while the target computes
            pipeline.store.place_order(sku, 1)
            sold.append(sku)
        return levels

    monkeypatch.setattr(ShopifyStore, "fetch_stock", fetch_then_sell)
    pipeline.run(state=first.state, api_version=api_version)

    assert pipeline.store.item(sku)["stock"][SHOPIFY_MAIN] == pipeline.expected_stock(
        sku, 1, extra_unimported=1
    )
    assert "moved in the store between read and write; re-reading and recomputing" in (pipeline.log)


def test_safety_stock_is_held_back(pipeline: Pipeline) -> None:
    first = pipeline.run()
    sku = _tracked_sku(pipeline, first.records["items"])
    pipeline.netsuite.advance(3600)
    pipeline.netsuite.receive(sku, 1, 20)

    pipeline.run(state=first.state, safety_stock=3)

    main = location_mapping(pipeline.platform)["1"]
    assert pipeline.store.item(sku)["stock"][main] == pipeline.expected_stock(sku) - 3


def test_server_errors_and_throttling_are_retried(pipeline: Pipeline) -> None:
    if pipeline.platform == "woocommerce":
        pipeline.store.fault(kind="error", status=503, match="POST .*batch", count=2)
        pipeline.store.fault(kind="throttle", match="GET .*/products", count=1)
    else:
        pipeline.store.fault(kind="error", status=502, match="metafieldsSet", count=2)
        pipeline.store.fault(kind="throttle", match="productVariants", count=1)

    output = pipeline.run()

    assert "on attempt 1; retrying in" in pipeline.log
    record = output.records["items"][0]
    assert str(pipeline.store.item(record["sku"])["price"]) == str(record["price"])
    armed = requests.get(pipeline.store.admin + "/faults", timeout=30).json()
    assert not armed.get("faults", armed)  # every fault was injected (and spent)


@pytest.mark.parametrize("platform", ["shopify"])
def test_an_empty_cost_bucket_is_waited_for(pipeline: Pipeline) -> None:
    requests.post(
        pipeline.store.admin + "/bucket", json={"currently_available": 0}, timeout=30
    ).raise_for_status()

    output = pipeline.run()

    assert "Shopify answered THROTTLED on attempt 1; retrying in" in pipeline.log
    record = output.records["items"][0]
    assert str(pipeline.store.item(record["sku"])["price"]) == str(record["price"])
    assert pipeline.store.calls()["operations"]["metafieldsSet"] == 2  # 40 SKUs, 25 a call
