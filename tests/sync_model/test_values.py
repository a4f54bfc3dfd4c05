"""Money, quantities and times parse exactly, and bad values name their field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from sync_model.streams import SHARED_STREAMS, order_ref
from sync_model.values import format_utc, parse_utc, to_money, to_quantity


@pytest.mark.parametrize(
    ("raw", "amount"),
    [("19.90", Decimal("19.90")), (0.1, Decimal("0.1")), ("125.5", Decimal("125.5")), (3, 3)],
)
def test_money_is_exact(raw: object, amount: Decimal) -> None:
    assert to_money(raw) == amount
    assert str(to_money(0.1) + to_money(0.2)) == "0.3"


def test_unset_money_is_none_and_garbage_names_the_field() -> None:
    assert to_money("") is None
    assert to_money(None) is None
    with pytest.raises(ValueError, match="price: expected an amount, got 'abc'"):
        to_money("abc", field="price")
    with pytest.raises(ValueError, match="price: expected a finite amount"):
        to_money("NaN", field="price")


def test_quantities_are_whole() -> None:
    assert to_quantity("-3") == -3
    assert to_quantity("12.0") == 12
    with pytest.raises(ValueError, match=r"on_hand: expected a whole quantity, got '1\.5'"):
        to_quantity("1.5", field="on_hand")


def test_times_are_utc() -> None:
    berlin_summer = timezone(timedelta(hours=2))

    assert parse_utc("2026-07-01T12:00:00+02:00") == datetime(2026, 7, 1, 10, tzinfo=UTC)
    assert format_utc(datetime(2026, 7, 1, 12, tzinfo=berlin_summer)) == "2026-07-01T10:00:00Z"
    with pytest.raises(ValueError, match="ambiguous"):
        parse_utc("2026-07-01T12:00:00")


def test_shared_streams_declare_their_keys_in_their_schemas() -> None:
    for name, (schema, keys) in SHARED_STREAMS.items():
        assert set(keys) <= set(schema["properties"]), name
        assert set(keys) <= set(schema["required"]), name


def test_order_refs_name_the_store() -> None:
    assert order_ref("shopify", 4501) == "shopify:4501"
    with pytest.raises(ValueError, match="not 'netsuite'"):
        order_ref("netsuite", 1)
