"""target-reconcile: keeps a dated snapshot of each system the shared streams describe.

Either tap's `items`, `inventory_levels` and `orders` streams come in; each record's `source`
says which system it describes (`netsuite`, `woocommerce` or `shopify`). Records are written to
the history in batches as they arrive; at the end of the input the snapshot is completed with
what the run did not send again, and only then is the tap's state passed on, so a crashed run
never moves the tap's bookmark past records that no complete snapshot holds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

import fastjsonschema
from singer_sdk import Target
from singer_sdk import typing as th
from singer_sdk.exceptions import ConfigValidationError, InvalidJSONSchema, InvalidRecord
from singer_sdk.sinks import BatchSink
from singer_sdk.sinks.core import BaseJSONSchemaValidator

from reconcile.history import DEFAULT_DATABASE_URL, STREAM_TABLES, TRACKED_FIELDS, History, Snapshot
from sync_model.clocks import value_hash
from sync_model.streams import SHARED_STREAMS, SOURCES
from sync_model.values import parse_utc, to_money, to_quantity

SNAPSHOT_MODES = ("merge", "replace")


class RejectedRecord(ValueError):
    """A record reconcile cannot use; the message names the record and the reason."""


def record_name(stream: str, record: dict[str, Any]) -> str:
    """How a log line names a record: its stream and key, such as `items SKU-1`."""
    _, key = SHARED_STREAMS[stream]
    return f"{stream} " + "/".join(str(record.get(name, "?")) for name in key)


def item_row(record: dict[str, Any]) -> dict[str, Any]:
    """The snapshot row of an `items` record: SKU, active flag and a hash per tracked field."""
    _check_time(record, "updated_at", required=True)
    active = record.get("active")
    row: dict[str, Any] = {"sku": record["sku"], "active": active}
    for name in TRACKED_FIELDS:
        value = record.get(name)
        if name in ("price", "compare_at_price"):
            value = _money(record, name)
        row[f"h_{name}"] = value_hash(value) if name in record else None
    return row


def level_row(record: dict[str, Any]) -> dict[str, Any]:
    """The snapshot row of an `inventory_levels` record: SKU, location and on-hand quantity."""
    _check_time(record, "updated_at", required=False)
    try:
        on_hand = to_quantity(record.get("on_hand"), field="on_hand")
    except ValueError as error:
        raise RejectedRecord(str(error)) from None
    if on_hand is not None and on_hand < 0:
        raise RejectedRecord(f"on_hand is negative ({on_hand})")
    return {"sku": record["sku"], "location": record["location"], "on_hand": on_hand}


def order_row(record: dict[str, Any]) -> dict[str, Any]:
    """The snapshot row of an `orders` record: reference, status, currency and exact total."""
    _check_time(record, "updated_at", required=True)
    total = _money(record, "total")
    if total is not None and total < 0:
        raise RejectedRecord(f"total is negative ({total})")
    return {
        "order_ref": record["order_ref"],
        "status": record["status"],
        "currency": (record.get("currency") or None),
        # Normalised, so 10.5 and 10.50 compare equal as text in SQL.
        "total": None if total is None else format(total.normalize(), "f"),
    }


ROW_BUILDERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "items": item_row,
    "inventory_levels": level_row,
    "orders": order_row,
}


def _money(record: dict[str, Any], name: str) -> Any:
    try:
        return to_money(record.get(name), field=name)
    except ValueError as error:
        raise RejectedRecord(str(error)) from None


def _check_time(record: dict[str, Any], name: str, *, required: bool) -> None:
    value = record.get(name)
    if value is None and not required:
        return
    try:
        parse_utc(str(value))
    except (TypeError, ValueError):
        raise RejectedRecord(f"{name} is not an ISO 8601 time with an offset: {value!r}") from None


class FastSchemaValidator(BaseJSONSchemaValidator):
    """Checks records against the stream's schema with compiled code (fastjsonschema).

    The SDK's default validator interprets the schema for every record, about 0.4 ms a record
    for `items`; compiled, the check costs a few microseconds, which keeps a million records
    within minutes.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        super().__init__(schema)
        try:
            self.check = fastjsonschema.compile(schema, formats={"date-time": ".*"})
        except fastjsonschema.JsonSchemaDefinitionException as error:
            raise InvalidJSONSchema(f"the stream's schema is not valid: {error}") from error

    def validate(self, record: dict[str, Any]) -> None:
        """Raise InvalidRecord naming the first rule the record breaks."""
        try:
            self.check(record)
        except fastjsonschema.JsonSchemaValueException as error:
            raise InvalidRecord(error.message, record) from error


class SnapshotSink(BatchSink):
    """Writes one shared stream into the snapshot of each record's system, a batch at a time."""

    def __init__(
        self,
        target: TargetReconcile,
        stream_name: str,
        schema: dict,
        key_properties: Sequence[str] | None,
    ) -> None:
        super().__init__(target, stream_name, schema, key_properties)
        self.target = target
        self.rejected = 0
        self.accepted = 0

    def get_validator(self) -> BaseJSONSchemaValidator | None:
        """The compiled schema check."""
        return FastSchemaValidator(self.schema)

    def _validate_and_parse(self, record: dict) -> dict:
        # The SDK logs a schema violation and then either stops the run or passes the record
        # on as it is. Reconcile does neither: the record is marked, named in the log and
        # skipped in `process_record`, and the rest of the stream goes on.
        if self._validator is not None:
            try:
                self._validator.validate(record)
            except InvalidRecord as error:
                record["__rejected__"] = f"breaks the stream's schema: {error}"
        return record

    def _singer_validate_message(self, record: dict) -> None:
        if "__rejected__" not in record:
            super()._singer_validate_message(record)

    def process_record(self, record: dict, context: dict) -> None:
        """Turn a record into its snapshot row, or name it in the log and skip it."""
        reason = record.pop("__rejected__", None)
        try:
            if reason is not None:
                raise RejectedRecord(reason)
            if record.get("source") not in SOURCES:
                raise RejectedRecord(f"unknown source {record.get('source')!r}")
            try:
                row = ROW_BUILDERS[self.stream_name](record)
            except KeyError as missing:
                # Only reachable with validate_records off: the schema requires every key used.
                raise RejectedRecord(f"has no {missing.args[0]}") from None
        except RejectedRecord as error:
            self.rejected += 1
            self.logger.error(
                "Skipped %s: %s", record_name(self.stream_name, record), str(error)[:300]
            )
            return
        self.accepted += 1
        context.setdefault("rows", {}).setdefault(record["source"], []).append(row)

    def process_batch(self, context: dict) -> None:
        """Write the batch's rows into the open snapshot of each system."""
        for source, rows in context.get("rows", {}).items():
            snapshot = self.target.snapshot_of(source)
            self.target.history.write_rows(snapshot, self.stream_name, rows)
            self.target.received[source][self.stream_name] += len(rows)
            self.logger.info(
                "Wrote %d %s record(s) of %s to snapshot %d",
                len(rows),
                self.stream_name,
                source,
                snapshot.id,
            )


class IgnoredStreamSink(BatchSink):
    """Counts the records of a stream reconcile does not compare (`locations`, ...)."""

    def process_record(self, record: dict, context: dict) -> None:
        """Count the record; nothing is written."""
        context["ignored"] = context.get("ignored", 0) + 1

    def process_batch(self, context: dict) -> None:
        """Log how many records were ignored, and why."""
        self.logger.info(
            "Ignored %d record(s) of %s: reconcile compares only items, inventory_levels "
            "and orders",
            context.get("ignored", 0),
            self.stream_name,
        )


class TargetReconcile(Target):
    """Keeps a dated snapshot of NetSuite or the store, from either tap's shared streams."""

    name = "target-reconcile"

    config_jsonschema = th.PropertiesList(
        th.Property(
            "database_url",
            th.StringType,
            default=DEFAULT_DATABASE_URL,
            secret=True,
            title="History database",
            description=(
                "SQLAlchemy URL of the database that keeps the snapshots and report runs, such "
                "as sqlite:///reconcile.db or postgresql+psycopg://user:password@host/db (the "
                "driver must be installed). The default is a SQLite file under .meltano."
            ),
        ),
        th.Property(
            "snapshot_mode",
            th.StringType,
            default="merge",
            allowed_values=list(SNAPSHOT_MODES),
            title="Snapshot mode",
            description=(
                "merge: the run may be incremental; what it does not send is carried over from "
                "the system's previous snapshot. replace: the tap sends each stream in full "
                "(a run without state); a stream the run sent replaces the previous one, so "
                "deleted items and orders disappear from the snapshot."
            ),
        ),
        th.Property(
            "keep_snapshots",
            th.IntegerType,
            default=30,
            title="Snapshots kept",
            description=(
                "Complete snapshots kept per system (at least 2: the report compares the two "
                "newest to see which fields changed). Older ones are deleted after each run; "
                "report runs, which the chart draws, are kept."
            ),
        ),
    ).to_dict()

    default_sink_class = SnapshotSink

    #: Time of each new snapshot; a test replaces it to run several days in a few seconds.
    clock: ClassVar[Callable[[], datetime]] = staticmethod(lambda: datetime.now(UTC))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if int(self.config.get("keep_snapshots", 30)) < 2:
            raise ConfigValidationError(
                "keep_snapshots must be at least 2: the report compares a system's two newest "
                "snapshots to see which fields its users edit",
                errors=["keep_snapshots < 2"],
            )
        # One writer at a time: SQLite takes one, and the snapshot of a system is opened by
        # whichever stream drains first.
        self.max_parallelism = 1
        self.history = History(self.config.get("database_url") or DEFAULT_DATABASE_URL)
        self.snapshots: dict[str, Snapshot] = {}
        self.received: dict[str, Counter[str]] = {}
        self._at_end = False
        self._completed = False

    def get_sink_class(self, stream_name: str) -> type[BatchSink]:
        """Shared streams are snapshotted; any other stream is counted and ignored."""
        if stream_name in STREAM_TABLES:
            return SnapshotSink
        return IgnoredStreamSink

    def snapshot_of(self, source: str) -> Snapshot:
        """The snapshot this run writes for a system, opened on its first record."""
        if source not in SOURCES:
            raise RejectedRecord(f"unknown source {source!r}")
        if source not in self.snapshots:
            self.snapshots[source] = self.history.start_snapshot(source, type(self).clock())
            self.received[source] = Counter()
            self.logger.info("Opened snapshot %d of %s", self.snapshots[source].id, source)
        return self.snapshots[source]

    def process_endofpipe(self) -> None:
        """Drain every sink, complete the snapshots, then pass the tap's state on."""
        self._at_end = True
        super().process_endofpipe()
        self.complete_snapshots()

    def _write_state_message(self, state: dict) -> None:
        # A bookmark passed on before the snapshot is complete could skip, in the next
        # incremental run, records that no complete snapshot holds; state waits for the end.
        if not self._at_end:
            return
        self.complete_snapshots()
        super()._write_state_message(state)

    def complete_snapshots(self) -> None:
        """Carry over what this run did not send, mark each snapshot complete and prune."""
        if self._completed:
            return
        self._completed = True
        replace = self.config.get("snapshot_mode", "merge") == "replace"
        keep = int(self.config.get("keep_snapshots", 30))
        for source, snapshot in self.snapshots.items():
            received = dict(self.received[source])
            replaced = [name for name in STREAM_TABLES if replace and name in self._seen_streams]
            self.history.complete_snapshot(snapshot, received, replaced)
            pruned = self.history.prune(source, keep)
            self.logger.info(
                "Snapshot %d of %s complete: received %s; streams replaced in full: %s; "
                "%d older snapshot(s) pruned",
                snapshot.id,
                source,
                ", ".join(f"{count} {name}" for name, count in sorted(received.items()))
                or "nothing",
                ", ".join(replaced) or "none (carried over from the previous snapshot)",
                pruned,
            )
        for sink in self._sinks_active.values():
            if isinstance(sink, SnapshotSink) and sink.rejected:
                self.logger.warning(
                    "%s: %d record(s) skipped as unusable (each is named above), %d accepted",
                    sink.stream_name,
                    sink.rejected,
                    sink.accepted,
                )
        self.history.close()

    @property
    def _seen_streams(self) -> set[str]:
        return set(self._sinks_active)
