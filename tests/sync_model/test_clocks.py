"""Field clocks: only newer values apply, and edits outside the owner are caught."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest

from sync_model.clocks import (
    Action,
    FieldClock,
    clocks_from_json,
    clocks_to_json,
    decide,
    value_hash,
)

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def applied(value: object, at: datetime = T0) -> FieldClock:
    return FieldClock(updated_at=at, value_hash=value_hash(value))


def test_amounts_hash_by_value_and_empty_values_alike() -> None:
    assert value_hash(19.9) == value_hash(D("19.900")) == value_hash(D("19.90"))
    assert value_hash(D("19.90")) != value_hash(D("19.91"))
    assert value_hash("19.90") != value_hash(D("19.90"))
    assert value_hash(None) == value_hash("") == value_hash([])
    assert value_hash(["a", "b"]) != value_hash(["b", "a"])


def test_first_sync_writes_a_different_value_and_stamps_an_equal_one() -> None:
    assert decide(D("12.00"), T0, D("11.00"), None).action is Action.WRITE
    assert decide(D("12.00"), T0, 12, None).action is Action.STAMP


def test_a_newer_value_is_written() -> None:
    decision = decide(D("13.00"), T0 + timedelta(seconds=1), D("12.00"), applied(D("12.00")))

    assert decision.action is Action.WRITE
    assert not decision.violation


@pytest.mark.parametrize("age", [timedelta(0), timedelta(days=3)])
def test_a_replayed_or_older_value_never_rolls_the_field_back(age: timedelta) -> None:
    decision = decide(D("10.00"), T0 - age, D("12.00"), applied(D("12.00")))

    assert decision.action is Action.SKIP
    assert decision.reason == "not newer than the value last applied"


def test_an_edit_outside_the_owner_is_restored_and_flagged() -> None:
    decision = decide(D("12.00"), T0, D("9.99"), applied(D("12.00")))

    assert decision.action is Action.WRITE
    assert decision.violation


def test_an_edit_outside_the_owner_is_flagged_but_not_overwritten_by_an_older_value() -> None:
    decision = decide(D("11.00"), T0 - timedelta(hours=1), D("9.99"), applied(D("12.00")))

    assert decision.action is Action.SKIP
    assert decision.violation


def test_clocks_survive_a_round_trip_through_their_stored_form() -> None:
    clocks = {"price": applied(D("12.00")), "name": applied("Mug", T0 + timedelta(minutes=5))}

    text = clocks_to_json(clocks)

    assert clocks_from_json(text) == clocks
    assert '"t":"2026-05-01T12:00:00Z"' in text
    assert clocks_from_json(None) == {}
    with pytest.raises(ValueError, match="malformed field clock"):
        clocks_from_json('{"price": {"t": "2026-05-01T12:00:00Z"}}')


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        decide("1", datetime(2026, 5, 1, 12, 0), "1", None)
