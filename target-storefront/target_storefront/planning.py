"""What to write to the store and why: ownership, last write wins per field, dry run.

For each incoming item the planner keeps the fields its source owns (`OwnershipFilter`), asks
`sync_model.clocks.decide` what to do with each against the store's value and the clock stored
on the store record, and turns the answers into one `ItemWrite` per SKU, the planned changes a
dry run shows, and the ownership violations reconcile reports.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from sync_model.clocks import Action, FieldClock, decide, value_hash
from sync_model.ownership import OwnershipFilter
from sync_model.values import parse_utc, to_money, to_utc
from sync_model.violations import OwnershipViolation
from target_storefront.store import ACTIVE_CLOCK, ItemWrite, StoreItem

_MONEY_FIELDS = ("price", "compare_at_price")


@dataclass(frozen=True)
class PlannedChange:
    """One change the target makes (or, in a dry run, would make) to the store."""

    sku: str
    field: str
    store_value: Any
    new_value: Any
    why: str

    def to_json(self) -> str:
        """The change as one JSON line."""
        data = {
            "sku": self.sku,
            "field": self.field,
            "store_value": self.store_value,
            "new_value": self.new_value,
            "why": self.why,
        }
        return json.dumps(data, default=str, separators=(",", ":"))


def as_time(value: Any) -> datetime:
    """A record's time (an ISO string, or a datetime singer-sdk already parsed) in UTC.

    Raises:
        ValueError: The value is not a time with a zone.
    """
    if isinstance(value, datetime):
        return to_utc(value if value.tzinfo else value.replace(tzinfo=UTC))
    return parse_utc(str(value))


def incoming_value(field: str, record: dict[str, Any]) -> Any:
    """The value a record carries for a field, as the store holds it.

    A variant's `name` is its product's name: the store shows one title per product and
    derives its variants' names from the options.
    """
    if field == "name" and record.get("product_id"):
        return record.get("product_name") or record.get("name")
    value = record.get(field)
    if field in _MONEY_FIELDS:
        return to_money(value, field=field)
    return value


class Planner:
    """Plans the writes of incoming items against the store's records.

    Args:
        ownership_filter: Keeps the fields a record's source owns and counts the drops.
        supported_fields: The fields the platform writer can write.
        unpublishes_variants: Whether the platform can unpublish one variant of a product
            (WooCommerce can; Shopify publishes whole products only).
        now: When this run detects violations.
    """

    def __init__(
        self,
        ownership_filter: OwnershipFilter,
        supported_fields: tuple[str, ...],
        unpublishes_variants: bool = True,
        now: datetime | None = None,
    ) -> None:
        self.ownership_filter = ownership_filter
        self.supported_fields = supported_fields
        self.unpublishes_variants = unpublishes_variants
        self.now = now or datetime.now(UTC)
        self.skipped: Counter[str] = Counter()
        self.unsupported: Counter[str] = Counter()

    def plan(
        self, record: dict[str, Any], item: StoreItem | None
    ) -> tuple[ItemWrite | None, list[PlannedChange], list[OwnershipViolation]]:
        """The write one record needs, the changes it makes and the violations it found.

        Raises:
            ValueError: The record carries a bad time or amount; the message names the field.
        """
        sku = str(record["sku"])
        owned = self.ownership_filter.owned_values(str(record["source"]), record)
        record_time = as_time(record["updated_at"])
        field_times = record.get("field_updated_at") or {}

        if item is None:
            return self._plan_creation(record, owned, record_time, field_times)

        values: dict[str, Any] = {}
        clocks = dict(item.clocks)
        changes: list[PlannedChange] = []
        violations: list[OwnershipViolation] = []
        for name in owned:
            if name not in self.supported_fields:
                self.unsupported[name] += 1
                continue
            incoming = incoming_value(name, record)
            when = as_time(field_times.get(name) or record_time)
            current = item.values.get(name)
            decision = decide(incoming, when, current, item.clocks.get(name))
            if decision.violation:
                violations.append(
                    OwnershipViolation(
                        sku=sku,
                        field=name,
                        system="storefront",
                        found_value=current,
                        owner_value=incoming,
                        detected_at=self.now,
                        restored=decision.action is Action.WRITE,
                    )
                )
            if decision.action is Action.SKIP:
                self.skipped[decision.reason] += 1
                continue
            clocks[name] = FieldClock(when, value_hash(incoming))
            if decision.action is Action.WRITE:
                values[name] = incoming
                changes.append(PlannedChange(sku, name, current, incoming, decision.reason))

        unpublish = False
        if record.get("product_id") and not self.unpublishes_variants:
            if record.get("active") is False and item.published:
                self.skipped[
                    "inactive variant left published: the store publishes whole products only"
                ] += 1
        else:
            unpublish = self._unpublish(record, item, record_time, field_times, clocks, changes)
        clocks_changed = clocks != item.clocks
        if not values and not unpublish and not clocks_changed:
            return None, changes, violations
        if clocks_changed and not values and not unpublish:
            changes.append(
                PlannedChange(sku, "field_clocks", None, None, "the store already agrees")
            )
        write = ItemWrite(item, record, values, unpublish, clocks, clocks_changed)
        return write, changes, violations

    def _plan_creation(
        self,
        record: dict[str, Any],
        owned: dict[str, Any],
        record_time: datetime,
        field_times: dict[str, Any],
    ) -> tuple[ItemWrite | None, list[PlannedChange], list[OwnershipViolation]]:
        sku = str(record["sku"])
        if record.get("active") is False:
            self.skipped["inactive and not in the store; not created"] += 1
            return None, [], []
        values: dict[str, Any] = {}
        clocks: dict[str, FieldClock] = {}
        changes = [PlannedChange(sku, "item", None, sku, "new in NetSuite; created in the store")]
        for name in owned:
            if name not in self.supported_fields:
                self.unsupported[name] += 1
                continue
            incoming = incoming_value(name, record)
            when = as_time(field_times.get(name) or record_time)
            values[name] = incoming
            clocks[name] = FieldClock(when, value_hash(incoming))
            changes.append(PlannedChange(sku, name, None, incoming, "new item"))
        return ItemWrite(None, record, values, False, clocks, True), changes, []

    @staticmethod
    def _unpublish(
        record: dict[str, Any],
        item: StoreItem,
        record_time: datetime,
        field_times: dict[str, Any],
        clocks: dict[str, FieldClock],
        changes: list[PlannedChange],
    ) -> bool:
        """Unpublish an item NetSuite made inactive, unless a newer state was applied already."""
        if record.get("active") is not False or not item.published:
            return False
        when = as_time(field_times.get("active") or record_time)
        applied = item.clocks.get(ACTIVE_CLOCK)
        if applied is not None and when <= applied.updated_at:
            return False
        clocks[ACTIVE_CLOCK] = FieldClock(when, value_hash(False))
        changes.append(
            PlannedChange(
                str(record["sku"]), "published", True, False, "inactive in NetSuite; unpublished"
            )
        )
        return True

    def log_counts(self, logger: logging.Logger) -> None:
        """Log the fields left alone and why."""
        self.ownership_filter.log_drops()
        for reason, count in sorted(self.skipped.items()):
            logger.info("Left %d value(s) alone: %s", count, reason)
        for name, count in sorted(self.unsupported.items()):
            logger.info(
                "Did not write %d value(s) of %s: this target does not write that field to "
                "this platform",
                count,
                name,
            )


class DryRunReport:
    """Prints the planned changes and writes them as JSON lines.

    Args:
        logger: Where the plan is printed (the target's log).
        output: Where the JSON lines go.
    """

    def __init__(self, logger: logging.Logger, output: TextIO) -> None:
        self.logger = logger
        self.output = output
        self.count = 0

    @classmethod
    def to_file(cls, logger: logging.Logger, path: Path) -> DryRunReport:
        """A report whose JSON lines go to a file (created with its folder)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(logger, path.open("w", encoding="utf-8"))

    def add(self, changes: list[PlannedChange]) -> None:
        """Print and record planned changes."""
        for change in changes:
            self.count += 1
            self.logger.info(
                "DRY RUN %s %s: %r -> %r (%s)",
                change.sku,
                change.field,
                change.store_value,
                change.new_value,
                change.why,
            )
            self.output.write(change.to_json() + "\n")
        self.output.flush()
