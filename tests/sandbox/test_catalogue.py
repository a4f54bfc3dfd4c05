"""The seeded demo catalogue: reproducible, sized as asked, and consistent in its stock."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sandbox.catalogue import generate_catalogue, stock_positions


def test_same_seed_gives_the_same_catalogue() -> None:
    first = generate_catalogue(skus=300, seed=42)
    second = generate_catalogue(skus=300, seed=42)
    other = generate_catalogue(skus=300, seed=43)

    assert [(i.sku, i.price, i.on_hand) for i in first.items] == [
        (i.sku, i.price, i.on_hand) for i in second.items
    ]
    assert first.orders == second.orders
    assert [i.price for i in first.items] != [i.price for i in other.items]


@pytest.mark.parametrize("skus", [1, 2, 7, 1000])
def test_catalogue_has_exactly_the_skus_asked_for(skus: int) -> None:
    catalogue = generate_catalogue(skus=skus, seed=3)

    items = catalogue.items
    assert len(items) == skus
    assert len({item.sku for item in items}) == skus


def test_catalogue_mixes_simple_products_and_products_with_variants() -> None:
    catalogue = generate_catalogue(skus=500, seed=5)

    with_variants = [p for p in catalogue.products if p.has_variants]
    simple = [p for p in catalogue.products if not p.has_variants]
    assert with_variants
    assert simple
    assert all(len(p.items) >= 2 for p in with_variants)
    assert all(set(i.option_values) == {"size", "colour"} for p in with_variants for i in p.items)
    assert all(len(p.items) == 1 and not p.items[0].option_values for p in simple)


def test_orders_cover_every_status_in_both_stores() -> None:
    catalogue = generate_catalogue(skus=500, seed=5)

    for platform in ("woocommerce", "shopify"):
        orders = catalogue.orders_for(platform)
        assert {o.status for o in orders} == {"open", "fulfilled", "cancelled"}
        assert any(o.status == "open" and not o.imported_to_netsuite for o in orders)
        assert not any(o.status == "cancelled" and o.imported_to_netsuite for o in orders)
        assert all(o.total == sum(line.line_total for line in o.lines) for o in orders)
        assert all(isinstance(o.total, Decimal) for o in orders)


def test_store_stock_takes_off_the_orders_netsuite_has_not_imported() -> None:
    catalogue = generate_catalogue(skus=200, seed=9, orders_per_store=150)
    netsuite = stock_positions(catalogue, None)
    store = stock_positions(catalogue, "shopify")

    unimported = {}
    for order in catalogue.orders_for("shopify"):
        if order.status == "open" and not order.imported_to_netsuite:
            for line in order.lines:
                key = (line.sku, order.location_key)
                unimported[key] = unimported.get(key, 0) + line.quantity
    assert unimported

    for key, position in store.items():
        assert position.netsuite_available == netsuite[key].netsuite_available
        assert position.netsuite_available >= 0
        expected = max(0, netsuite[key].netsuite_available - unimported.get(key, 0))
        assert position.store_available == expected


def test_catalogue_rejects_sizes_out_of_range() -> None:
    with pytest.raises(ValueError, match="skus must be between 1 and 100000"):
        generate_catalogue(skus=100_001)
    with pytest.raises(ValueError, match="locations must be between 1 and 5"):
        generate_catalogue(skus=10, locations=6)
