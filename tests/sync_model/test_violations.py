"""The ownership-violation log: appended, read back whole, filtered by time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from sync_model.violations import OwnershipViolation, ViolationLog

T0 = datetime(2026, 6, 1, 8, 30, tzinfo=UTC)


def violation(sku: str, at: datetime) -> OwnershipViolation:
    return OwnershipViolation(
        sku=sku,
        field="price",
        system="storefront",
        found_value="9.99",
        owner_value="12.00",
        detected_at=at,
    )


def test_violations_are_appended_across_runs_and_read_back(tmp_path: Path) -> None:
    log = ViolationLog(tmp_path / "nested" / "violations.jsonl")

    log.record([violation("A-1", T0)])
    ViolationLog(log.path).record([violation("B-2", T0 + timedelta(hours=1))])
    log.record([])

    assert [v.sku for v in log.read()] == ["A-1", "B-2"]
    assert next(log.read()) == violation("A-1", T0)
    assert [v.sku for v in log.read(since=T0 + timedelta(minutes=1))] == ["B-2"]


def test_an_absent_log_reads_as_empty(tmp_path: Path) -> None:
    assert list(ViolationLog(tmp_path / "none.jsonl").read()) == []


def test_decimal_values_are_kept_as_text(tmp_path: Path) -> None:
    log = ViolationLog(tmp_path / "v.jsonl")
    priced = OwnershipViolation(
        **{**violation("A-1", T0).__dict__, "owner_value": Decimal("12.50")}
    )

    log.record([priced])

    assert next(log.read()).owner_value == "12.50"


def test_a_corrupt_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "v.jsonl"
    path.write_text('{"sku": "A-1"}\n')

    with pytest.raises(ValueError, match="not an ownership violation record"):
        list(ViolationLog(path).read())
