"""Without its ledger the target counts every open store order as not imported: less, not more."""

from __future__ import annotations

from collections import Counter

import pytest

from sandbox.settings import SandboxSettings

from .conftest import Pipeline, location_mapping


@pytest.fixture
def sandbox_settings() -> SandboxSettings:
    """A catalogue (seed 1) where both stores have open orders NetSuite already imported."""
    return SandboxSettings(skus=40, seed=1, locations=3)


def test_without_the_ledger_every_open_store_order_counts_as_not_imported(
    pipeline: Pipeline,
) -> None:
    first = pipeline.run()
    assert pipeline.sandbox.catalogue is not None
    imported_open = Counter(
        line.sku
        for order in pipeline.sandbox.catalogue.orders_for(pipeline.platform)
        if order.status == "open" and order.imported_to_netsuite
        for line in order.lines
        for _ in range(line.quantity)
    )
    sku = next(
        sku
        for sku in sorted(imported_open)
        if pipeline.store.item(sku)["manage_stock"] is True
        and pipeline.expected_stock(sku) > imported_open[sku]
    )
    (pipeline.work / "ledger.sqlite").unlink()
    pipeline.netsuite.advance(3600)
    pipeline.netsuite.receive(sku, 1, 4)  # NetSuite's figure moves; the tap's orders do not

    pipeline.run(state=first.state)

    main = location_mapping(pipeline.platform)["1"]
    expected = pipeline.expected_stock(sku, 1, extra_unimported=imported_open[sku])
    assert pipeline.store.item(sku)["stock"][main] == expected  # less, never more
