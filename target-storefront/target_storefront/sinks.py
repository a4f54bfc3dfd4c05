"""The three sinks: items, inventory levels and orders of NetSuite's stream.

A record that breaks the shared schema, names an unknown location or carries a negative
quantity is rejected with a message naming it; the rest of the stream is applied.

Stock is written last: NetSuite's stream sends `inventory_levels` before `orders`, and the
no-oversell computation needs every imported order first. Levels are spooled to a temporary
SQLite file (memory stays bounded by the batch size) and written when the stream ends.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from jsonschema import Draft7Validator
from singer_sdk.sinks import BatchSink
from typing_extensions import override

from sync_model.streams import INVENTORY_LEVELS_SCHEMA, ITEMS_SCHEMA, ORDERS_SCHEMA
from sync_model.values import format_utc, parse_utc
from target_storefront.inventory import store_available, unimported_quantities
from target_storefront.planning import PlannedChange
from target_storefront.store import StockLevel, StockWrite

if TYPE_CHECKING:
    from target_storefront.target import TargetStorefront

#: Rounds of re-reading and recomputing levels that moved between read and write.
STALE_ROUNDS = 5


class StoreSink(BatchSink):
    """What the three sinks share: the target's objects and record validation."""

    shared_schema: ClassVar[dict[str, Any]] = {}

    def __init__(self, target: TargetStorefront, *args: Any, **kwargs: Any) -> None:
        self._storefront = target
        self._shared_validator = Draft7Validator(self.shared_schema)
        super().__init__(target, *args, **kwargs)

    @property
    def storefront(self) -> TargetStorefront:
        """The target this sink writes for."""
        return self._storefront

    @override
    def _parse_timestamps_in_record(self, record: dict, schema: dict, treatment: Any) -> None:
        """Leave times as text: `check` parses them, so a bad one rejects only its record."""

    @override
    def get_validator(self) -> None:
        """No SDK validator: `check` validates and rejects a record without stopping the stream."""
        return None

    def describe(self, record: dict[str, Any]) -> str:
        """How a message names a record: its stream and key."""
        keys = ", ".join(f"{key}={record.get(key)!r}" for key in self.key_properties or ["sku"])
        return f"{self.stream_name} record ({keys})"

    def reject(self, record: dict[str, Any], reason: str) -> None:
        """Log a rejected record by its key and count it."""
        self.storefront.rejected[self.stream_name] += 1
        self.logger.error("Rejected %s: %s", self.describe(record), reason)

    def check(self, record: dict[str, Any]) -> bool:
        """Validate a record against the shared schema; reject it when it does not fit."""
        errors = sorted(
            self._shared_validator.iter_errors(record),
            key=lambda error: list(error.path),
        )
        if errors:
            error = errors[0]
            where = ".".join(str(part) for part in error.path) or "record"
            self.reject(record, f"breaks the {self.stream_name} schema at {where}: {error.message}")
            return False
        times = {"updated_at": record.get("updated_at")}
        times.update(
            {f"field_updated_at.{k}": v for k, v in (record.get("field_updated_at") or {}).items()}
        )
        for where, value in times.items():
            if value is None:
                continue
            try:
                parse_utc(str(value))
            except ValueError:
                self.reject(
                    record,
                    f"breaks the {self.stream_name} schema at {where}: {value!r} is not an "
                    "ISO 8601 time with a zone",
                )
                return False
        return True

    @override
    def process_record(self, record: dict[str, Any], context: dict[str, Any]) -> None:
        """Keep a valid record for the batch."""
        if self.check(record):
            context.setdefault("records", []).append(record)


class ItemsSink(StoreSink):
    """Items: names, descriptions and prices, by ownership and last write wins."""

    shared_schema = ITEMS_SCHEMA
    #: Records planned together: reads go 100 (WooCommerce) or 50 (Shopify) SKUs a call, and
    #: writes of a batch share calls, so a larger batch comes closer to the fewest calls.
    MAX_SIZE_DEFAULT = 1000

    @override
    def process_batch(self, context: dict[str, Any]) -> None:
        """Read the batch's SKUs from the store, plan, and write (or print the plan)."""
        records: list[dict[str, Any]] = context.get("records") or []
        if not records:
            return
        target = self.storefront
        store = target.store
        items = store.fetch_items([str(record["sku"]) for record in records])
        writes, changes, violations = [], [], []
        for record in records:
            try:
                write, planned, found = target.planner.plan(record, items.get(record["sku"]))
            except ValueError as error:
                self.reject(record, str(error))
                continue
            changes.extend(planned)
            violations.extend(found)
            if write is not None:
                writes.append(write)

        if target.dry_run_report is not None:
            target.dry_run_report.add(changes)
            return
        outcome = store.write_items(writes) if writes else None
        failed = outcome.failed if outcome else {}
        for sku, reason in sorted(failed.items()):
            self.logger.error("items: the store refused SKU %r: %s", sku, reason)
        target.violation_log.record([v for v in violations if v.sku not in failed])
        target.counts["items written"] += len(writes) - len(failed)
        target.counts["items failed"] += len(failed)
        target.counts["items unchanged"] += len(records) - len(writes)
        target.counts["violations"] += len(violations)
        self.logger.info(
            "items: %d read, %d written, %d unchanged, %d refused, %d violation(s) recorded",
            len(records),
            len(writes) - len(failed),
            len(records) - len(writes),
            len(failed),
            len(violations),
        )


class OrdersSink(StoreSink):
    """Orders: learns which store orders NetSuite has imported, for the no-oversell rule."""

    shared_schema = ORDERS_SCHEMA

    @override
    def process_batch(self, context: dict[str, Any]) -> None:
        """Add the batch's store-order references to the ledger."""
        refs = [
            str(record["order_ref"])
            for record in context.get("records") or []
            if record["source"] == "netsuite"
            and str(record["order_ref"]).startswith(f"{self.storefront.store.platform}:")
        ]
        self.storefront.ledger.add_imported(refs)
        self.storefront.counts["imported orders seen"] += len(refs)


class InventoryLevelsSink(StoreSink):
    """Inventory levels: spooled, then written once every imported order is known."""

    shared_schema = INVENTORY_LEVELS_SCHEMA
    MAX_SIZE_DEFAULT = 1000

    @override
    def setup(self) -> None:
        """Open the spool."""
        super().setup()
        self._spool_dir = tempfile.TemporaryDirectory(prefix="target-storefront-")
        self.spool = sqlite3.connect(Path(self._spool_dir.name) / "levels.sqlite")
        self.spool.execute(
            "CREATE TABLE level (sku TEXT, location TEXT, available INTEGER, updated_at TEXT, "
            "PRIMARY KEY (sku, location))"
        )
        self.skipped: Counter[str] = Counter()

    @override
    def process_record(self, record: dict[str, Any], context: dict[str, Any]) -> None:
        """Keep a valid level of a known location with a non-negative quantity."""
        if not self.check(record):
            return
        target = self.storefront
        owner = target.ownership.owner_of("inventory")
        if owner != "netsuite" or record["source"] != "netsuite":
            target.ownership_filter.dropped["inventory"] += 1
            return
        for name in ("on_hand", "available", "committed"):
            if (record.get(name) or 0) < 0:
                self.reject(record, f"{name} is negative ({record[name]})")
                return
        if record["location"] not in target.store_locations:
            known = ", ".join(sorted(target.store_locations))
            self.reject(
                record,
                f"location {record['location']!r} is not a location of the store ({known}); "
                "check tap-netsuite-inventory's location_mapping",
            )
            return
        if record.get("available") is None:
            self.skipped["no available quantity in NetSuite"] += 1
            return
        context.setdefault("records", []).append(record)

    @override
    def process_batch(self, context: dict[str, Any]) -> None:
        """Spool the batch; a later level of the same SKU and location replaces an earlier."""
        with self.spool:
            self.spool.executemany(
                "INSERT OR REPLACE INTO level VALUES (?, ?, ?, ?)",
                [
                    (r["sku"], r["location"], r["available"], r.get("updated_at"))
                    for r in context.get("records") or []
                ],
            )

    @override
    def clean_up(self) -> None:
        """Write the spooled levels now that the stream has ended, then drop the spool."""
        try:
            self.write_levels()
        finally:
            self.spool.close()
            self._spool_dir.cleanup()
            super().clean_up()

    def write_levels(self) -> None:
        """Compute every spooled level's store quantity and write those that differ."""
        total = self.spool.execute("SELECT COUNT(*) FROM level").fetchone()[0]
        if not total:
            return
        target = self.storefront
        unimported = self._unimported()
        rows = self.spool.execute("SELECT * FROM level ORDER BY sku, location")
        done = 0
        while batch := rows.fetchmany(250):
            self._write_batch(batch, unimported)
            done += len(batch)
            self.logger.info("inventory_levels: %d of %d level(s) processed", done, total)
        for reason, count in sorted(self.skipped.items()):
            self.logger.info("inventory_levels: left %d level(s) alone: %s", count, reason)
        target.counts["levels skipped"] += sum(self.skipped.values())

    def _unimported(self) -> Counter[tuple[str, str]]:
        target = self.storefront
        since = datetime.now(UTC) - timedelta(days=target.lookback_days)
        quantities, pending = unimported_quantities(
            target.store.open_orders(since), target.ledger, target.order_locations
        )
        self.logger.info(
            "inventory_levels: %d open store order(s) since %s not yet imported by NetSuite; "
            "their quantities are kept off the store's stock",
            pending,
            format_utc(since),
        )
        return quantities

    def _write_batch(
        self, batch: list[tuple[Any, ...]], unimported: Counter[tuple[str, str]]
    ) -> None:
        target = self.storefront
        keys = [(sku, location) for sku, location, _, _ in batch]
        applied = target.ledger.stock_clocks(keys)
        wanted: dict[tuple[str, str], tuple[int, datetime | None]] = {}
        for sku, location, available, updated_at in batch:
            when = parse_utc(updated_at) if updated_at else None
            last = applied.get((sku, location))
            if when is not None and last is not None and when <= last:
                self.skipped["not newer than the level last applied"] += 1
                continue
            wanted[(sku, location)] = (available, when)

        for _ in range(STALE_ROUNDS):
            if not wanted:
                return
            levels = target.store.fetch_stock(list(wanted))
            writes, stamps, changes = self._plan(wanted, levels, unimported)
            if target.dry_run_report is not None:
                target.dry_run_report.add(changes)
                return
            outcome = target.store.write_stock(writes) if writes else None
            for write in writes:
                key = (write.level.sku, write.level.location)
                if outcome and (write in outcome.stale or write.level.sku in outcome.failed):
                    continue
                if wanted[key][1] is not None:
                    stamps[key] = wanted[key][1]  # type: ignore[assignment]
            target.ledger.stamp_stock(stamps)
            if outcome:
                for sku, reason in sorted(outcome.failed.items()):
                    self.logger.error("inventory_levels: the store refused SKU %r: %s", sku, reason)
                target.counts["levels written"] += len(writes) - len(outcome.stale)
            if not outcome or not outcome.stale:
                return
            self.logger.info(
                "inventory_levels: %d level(s) moved in the store between read and write; "
                "re-reading and recomputing",
                len(outcome.stale),
            )
            target.counts["stale levels re-read"] += len(outcome.stale)
            unimported.clear()
            unimported.update(self._unimported())
            wanted = {
                (w.level.sku, w.level.location): wanted[(w.level.sku, w.level.location)]
                for w in outcome.stale
            }
        self.logger.error(
            "inventory_levels: %d level(s) kept moving in the store; not written this run",
            len(wanted),
        )

    def _plan(
        self,
        wanted: dict[tuple[str, str], tuple[int, datetime | None]],
        levels: dict[tuple[str, str], StockLevel],
        unimported: Counter[tuple[str, str]],
    ) -> tuple[list[StockWrite], dict[tuple[str, str], datetime], list[PlannedChange]]:
        target = self.storefront
        writes: list[StockWrite] = []
        stamps: dict[tuple[str, str], datetime] = {}
        changes: list[PlannedChange] = []
        for key, (available, when) in wanted.items():
            sku, location = key
            level = levels.get(key)
            if level is None:
                self.reject({"sku": sku, "location": location}, "the SKU is not in the store")
                continue
            if not level.tracked:
                self.skipped["the store does not manage stock for the item"] += 1
                continue
            quantity = store_available(available, unimported[key], target.safety_stock)
            if level.stocked and level.available == quantity:
                if when is not None:
                    stamps[key] = when
                continue
            why = (
                f"NetSuite available {available} - {unimported[key]} in unimported store "
                f"orders - safety stock {target.safety_stock}"
            )
            changes.append(
                PlannedChange(sku, f"inventory@{location}", level.available, quantity, why)
            )
            writes.append(StockWrite(level, quantity))
        return writes, stamps, changes
