"""tap-storefront against the sandbox's WooCommerce and Shopify stores, over real HTTP."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from singer_sdk.exceptions import ConfigValidationError, FatalAPIError

from sandbox.catalogue import Product
from sandbox.server import Sandbox
from tap_storefront.tap import TapStorefront

from .conftest import admin, run_tap, tap_config


def _simple_product(sandbox: Sandbox) -> Product:
    assert sandbox.catalogue is not None
    return next(p for p in sandbox.catalogue.products if not p.has_variants and p.items)


def _variable_product(sandbox: Sandbox) -> Product:
    assert sandbox.catalogue is not None
    return next(p for p in sandbox.catalogue.products if p.has_variants and len(p.items) > 1)


def _edit_price(store_url: str, platform: str, sku: str, price: str) -> str:
    """A clerk edits a SKU's price; returns nothing useful but the call's success."""
    if platform == "woocommerce":
        admin(store_url, "POST", f"/products/{sku}", {"regular_price": price})
    else:
        admin(store_url, "PATCH", f"/variants/{sku}", {"price": price})
    return sku


def _all_skus(sandbox: Sandbox) -> set[str]:
    assert sandbox.catalogue is not None
    return {item.sku for product in sandbox.catalogue.products for item in product.items}


def test_full_sync_emits_every_sku_order_and_level(sandbox: Sandbox, platform: str) -> None:
    run = run_tap(tap_config(sandbox, platform))

    assert sorted(run.keys("items")) == sorted(_all_skus(sandbox))
    assert {record["source"] for record in run.records["items"]} == {platform}
    locations = 1 if platform == "woocommerce" else sandbox.settings.locations
    assert len(run.records["inventory_levels"]) == len(_all_skus(sandbox)) * locations
    orders = run.records["orders"]
    assert orders, "the demo stores have orders"
    assert all(order["order_ref"].startswith(f"{platform}:") for order in orders)
    assert {order["status"] for order in orders} <= {"open", "fulfilled", "cancelled", "closed"}
    for order in orders:
        line_sum = sum(Decimal(str(line["line_total"])) for line in order["lines"])
        assert line_sum > 0
        assert all(line["sku"] for line in order["lines"])


def test_variable_product_yields_one_item_per_variation(sandbox: Sandbox, platform: str) -> None:
    product = _variable_product(sandbox)
    run = run_tap(tap_config(sandbox, platform))

    items = [item for item in run.records["items"] if item["product_name"] == product.name]
    assert sorted(item["sku"] for item in items) == sorted(item.sku for item in product.items)
    assert len({item["product_id"] for item in items}) == 1
    by_sku = {item["sku"]: item for item in items}
    for variant in product.items:
        assert by_sku[variant.sku]["option_values"] == variant.option_values
        assert Decimal(str(by_sku[variant.sku]["price"])) == variant.price


def test_second_run_emits_only_what_changed(
    sandbox: Sandbox, platform: str, store_url: str
) -> None:
    config = tap_config(sandbox, platform)
    first = run_tap(config)
    assert first.state["bookmarks"]["items"]["replication_key_value"]

    unchanged = run_tap(config, first.state)
    assert dict(unchanged.records) == {}

    sku = _simple_product(sandbox).items[0].sku
    _edit_price(store_url, platform, sku, "123.45")
    second = run_tap(config, unchanged.state)

    assert second.keys("items") == [sku]
    assert Decimal(str(second.records["items"][0]["price"])) == Decimal("123.45")
    assert second.records["orders"] == []
    if platform == "woocommerce":
        # WooCommerce re-saves the product, and its one stock figure comes with it.
        assert second.keys("inventory_levels") == [sku]
    else:
        assert second.records["inventory_levels"] == []

    third = run_tap(config, second.state)
    assert dict(third.records) == {}


def test_new_order_is_emitted_on_the_next_run(
    sandbox: Sandbox, platform: str, store_url: str
) -> None:
    config = tap_config(sandbox, platform)
    first = run_tap(config)
    sku = _simple_product(sandbox).items[0].sku
    placed = admin(store_url, "POST", "/orders", {"lines": [{"sku": sku, "quantity": 2}]})

    second = run_tap(config, first.state)

    assert len(second.records["orders"]) == 1
    order = second.records["orders"][0]
    assert order["status"] == "open"
    assert order["lines"][0]["sku"] == sku
    assert order["lines"][0]["quantity"] == 2
    if platform == "woocommerce":
        assert order["order_ref"] == f"woocommerce:{placed['order']['id']}"
    assert sku in second.keys("inventory_levels")


def _bookmark_state(run_state: dict[str, Any], stream: str, bookmark: str) -> dict[str, Any]:
    """A state whose bookmark for `stream` is exactly `bookmark`, with nothing remembered."""
    bookmarks = {
        name: dict(value) for name, value in run_state["bookmarks"].items() if name != stream
    }
    bookmarks[stream] = {
        "replication_key": "updated_at",
        "replication_key_value": bookmark,
        "emitted_in_overlap": {},
    }
    return {"bookmarks": bookmarks}


def test_edit_at_the_bookmark_second_is_emitted_exactly_once(
    sandbox: Sandbox, platform: str, store_url: str
) -> None:
    # No overlap: only the handling of the bookmark's own second is under test. The WooCommerce
    # store runs in Europe/Berlin, so a bound sent with a Z would be shifted by an hour or two.
    config = tap_config(sandbox, platform, overlap_seconds=0)
    first = run_tap(config)
    sku = _simple_product(sandbox).items[0].sku
    _edit_price(store_url, platform, sku, "77.10")
    edited = run_tap(config, first.state)
    edited_at = edited.records["items"][0]["updated_at"]

    # The previous run ended with its bookmark in the very second of the edit, but read the
    # store a moment before the edit was committed.
    at_bookmark = run_tap(config, _bookmark_state(first.state, "items", edited_at))
    assert at_bookmark.keys("items") == [sku]

    again = run_tap(config, at_bookmark.state)
    assert again.records["items"] == []
    assert again.state["bookmarks"]["items"]["replication_key_value"] == edited_at


def test_throttling_and_faults_end_in_a_complete_sync(
    sandbox: Sandbox, platform: str, store_url: str
) -> None:
    config = tap_config(sandbox, platform)
    clean = run_tap(config)

    if platform == "woocommerce":
        faults = [
            {"kind": "throttle", "match": "GET .*/products", "count": 2},
            {"kind": "error", "match": "GET .*/orders", "count": 2, "status": 503},
            {"kind": "drop", "match": "GET .*/variations", "count": 1},
        ]
    else:
        faults = [
            {"kind": "throttle", "match": "productVariants", "count": 2},
            {"kind": "error", "match": "orders", "count": 2, "status": 502},
            {"kind": "drop", "match": "location", "count": 1},
        ]
        admin(store_url, "POST", "/bucket", {"currently_available": 0})
    for fault in faults:
        admin(store_url, "POST", "/faults", fault)

    faulted = run_tap(config)

    assert admin(store_url, "GET", "/faults")["faults"] == []
    for stream in ("items", "inventory_levels", "orders"):
        assert faulted.records[stream] == clean.records[stream], stream


def test_missing_setting_fails_at_start_up_without_echoing_secrets(sandbox: Sandbox) -> None:
    config = tap_config(sandbox, "woocommerce")
    del config["stock_location"]
    secret = config["consumer_secret"]

    with pytest.raises(ConfigValidationError) as raised:
        TapStorefront(config=config, parse_env_config=False)

    message = str(raised.value)
    assert "stock_location" in message
    assert secret not in message


def test_shopify_setting_errors_are_named(sandbox: Sandbox) -> None:
    config = tap_config(sandbox, "shopify", api_version="2026-13")
    del config["access_token"]

    with pytest.raises(ConfigValidationError) as raised:
        TapStorefront(config=config, parse_env_config=False)

    assert "access_token" in str(raised.value)
    assert "api_version" in str(raised.value)


@pytest.mark.parametrize(
    ("platform_name", "setting", "wrong"),
    [
        ("woocommerce", "consumer_secret", "cs_wrong0000000000000000000000000000000000"),
        ("shopify", "access_token", "shpat_wrong000000000000000000000000"),
    ],
)
def test_wrong_credentials_stop_with_a_clear_error(
    sandbox: Sandbox, platform_name: str, setting: str, wrong: str
) -> None:
    config = tap_config(sandbox, platform_name, **{setting: wrong})

    with pytest.raises(FatalAPIError) as raised:
        run_tap(config)

    assert "401" in str(raised.value)
    assert wrong not in str(raised.value)
    assert wrong not in str(raised.value)
