"""Every SuiteQL quirk maps to the right type: strings to numbers, T/F to booleans, local to UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tap_netsuite_inventory.streams import ORDER_STATUSES, order_status
from tap_netsuite_inventory.suiteql import AccountClock, SuiteQLValueError, to_flag, to_text
from tap_netsuite_inventory.tap import TapNetSuiteInventory


@pytest.mark.parametrize(("raw", "expected"), [("T", True), ("F", False), (None, None)])
def test_flags(raw, expected):
    assert to_flag(raw, column="item.isinactive") is expected


def test_a_flag_that_is_neither_t_nor_f_names_its_column():
    with pytest.raises(SuiteQLValueError, match=r"item\.isinactive: expected T or F, got 'Y'"):
        to_flag("Y", column="item.isinactive")


def test_omitted_and_empty_text_is_none():
    assert to_text(None) is None
    assert to_text("") is None
    assert to_text("107") == "107"


@pytest.mark.parametrize(
    ("zone", "local", "utc"),
    [
        (
            "America/Los_Angeles",
            "2026-12-03 07:51:24",
            datetime(2026, 12, 3, 15, 51, 24, tzinfo=UTC),
        ),
        # The hour repeated when clocks fall back reads as its first (daylight) instant.
        ("America/Los_Angeles", "2026-11-01 01:30:00", datetime(2026, 11, 1, 8, 30, tzinfo=UTC)),
        ("Asia/Kolkata", "2026-01-01 00:00:00", datetime(2025, 12, 31, 18, 30, tzinfo=UTC)),
        ("Europe/Berlin", "2026-06-30 23:59:59", datetime(2026, 6, 30, 21, 59, 59, tzinfo=UTC)),
    ],
)
def test_account_times_convert_both_ways(zone, local, utc):
    clock = AccountClock(zone)
    assert clock.to_utc(local, column="lastmodifieddate") == utc
    assert clock.literal(utc) == f"TO_TIMESTAMP('{local}', 'YYYY-MM-DD HH24:MI:SS')"


def test_a_date_without_time_is_refused_with_its_column():
    with pytest.raises(SuiteQLValueError, match=r"transaction\.createddate: expected a time"):
        AccountClock("UTC").to_utc("12/3/2026", column="transaction.createddate")


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("A", "open"),
        ("B", "open"),
        ("C", "cancelled"),
        ("D", "open"),
        ("E", "open"),
        ("F", "fulfilled"),
        ("G", "fulfilled"),
        ("H", "closed"),
        ("SalesOrd:B", "open"),
        ("SalesOrd:H", "closed"),
    ],
)
def test_sales_order_status_letters(code, status):
    assert order_status(code, order="5001") == status


def test_every_status_letter_is_mapped_and_an_unknown_one_names_the_order():
    assert sorted(ORDER_STATUSES) == list("ABCDEFGH")
    with pytest.raises(ValueError, match="sales order 5001: unknown status code 'Z'"):
        order_status("Z", order="5001")


def test_records_carry_real_types_matching_the_catalogue(sandbox, config):
    tap = TapNetSuiteInventory(config=config)
    catalogue = {item.sku: item for item in sandbox.catalogue.items}

    items = list(tap.streams["items"].get_records(None))
    assert {record["sku"] for record in items} == set(catalogue)
    for record in items:
        item = catalogue[record["sku"]]
        assert isinstance(record["price"], Decimal)
        assert record["price"] == item.price
        assert record["compare_at_price"] == item.compare_at_price
        assert record["active"] is item.active
        assert record["barcode"] == item.barcode
        assert record["manages_stock"] is True
        assert record["product_name"] == (item.product.name if item.product.has_variants else None)
        assert record["updated_at"].endswith("Z")
    assert any(record["active"] is False for record in items)
    assert any(record["compare_at_price"] is None for record in items)

    levels = list(tap.streams["inventory_levels"].get_records(None))
    for record in levels:
        assert all(isinstance(record[name], int) for name in ("on_hand", "available", "committed"))
        assert record["available"] == record["on_hand"] - record["committed"]

    orders = list(tap.streams["orders"].get_records(None))
    for record in orders:
        assert isinstance(record["total"], Decimal)
        assert record["total"] == sum(line["line_total"] for line in record["lines"])
        for line in record["lines"]:
            # NetSuite stores sales-order quantities and amounts negative.
            assert line["quantity"] > 0
            assert line["line_total"] == line["unit_price"] * line["quantity"]
