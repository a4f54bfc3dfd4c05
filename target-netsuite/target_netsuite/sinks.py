"""The sinks: sales orders, store-owned item content, and streams the target does not write."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import jsonschema
from singer_sdk.exceptions import FatalAPIError
from singer_sdk.helpers.conform import DatetimeErrorTreatmentEnum
from singer_sdk.sinks import BatchSink
from typing_extensions import override

from sync_model.streams import ORDERS_SCHEMA
from sync_model.values import format_utc
from target_netsuite.items import ItemContentWriter
from target_netsuite.orders import Outcome

if TYPE_CHECKING:
    from target_netsuite.target import TargetNetSuite

_ORDER_VALIDATOR = jsonschema.Draft7Validator(
    ORDERS_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
)
_RESULT_WORDS = {
    "created": "created",
    "updated": "updated (lines replaced)",
    "closed": "closed (cancelled or closed in the store; stock released)",
    "unchanged": "unchanged",
    "stale": "skipped: NetSuite holds a newer store version",
    "moved_on": "left alone: fulfilled, billed, closed or cancelled in NetSuite",
    "not_imported": "skipped: cancelled or closed in the store before being imported",
    "kept": "kept for the next run",
}


def _newest(records: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """One record per key: the one with the latest `updated_at` (the later one on a tie)."""
    newest: dict[str, dict[str, Any]] = {}
    for record in records:
        current = newest.get(record[key])
        if current is None or _text(record.get("updated_at")) >= _text(current.get("updated_at")):
            newest[record[key]] = record
    return list(newest.values())


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return format_utc(value)
    return "" if value is None else str(value)


class _NetSuiteSink(BatchSink):
    """A sink that shares the target's client, caches and queue."""

    def __init__(
        self,
        target: TargetNetSuite,
        stream_name: str,
        schema: dict,
        key_properties: Sequence[str] | None,
    ) -> None:
        self.target = target
        super().__init__(target, stream_name, schema, key_properties)

    @property
    @override
    def max_size(self) -> int:
        return int(self.config.get("batch_size", 200))


class SalesOrderSink(_NetSuiteSink):
    """Store orders into NetSuite sales orders, exactly once, with a durable retry queue.

    Orders kept from earlier runs are tried first, when the stream starts; each batch of the
    stream is then imported, and what NetSuite does not take is kept with its reason.
    """

    @property
    @override
    def datetime_error_treatment(self) -> DatetimeErrorTreatmentEnum:
        # A bad time must not stop the stream: it is reported with the order in preprocess.
        return DatetimeErrorTreatmentEnum.NULL

    @override
    def get_validator(self) -> None:
        # Validated in `preprocess_record`, which reports a bad order instead of stopping.
        return None

    @override
    def setup(self) -> None:
        super().setup()
        self.outcomes: Counter[str] = Counter()
        self.invalid = 0
        self.pending = {entry.order_ref for entry in self.target.retry_queue.pending()}
        self._retry_pending()

    def _retry_pending(self) -> None:
        pending = [entry.record for entry in self.target.retry_queue.pending()]
        if not pending:
            return
        self.logger.info("orders: retrying %d order(s) kept from earlier runs", len(pending))
        self.target.importer.items.forget_unknown()
        for start in range(0, len(pending), self.max_size):
            self._import(pending[start : start + self.max_size])

    @override
    def preprocess_record(self, record: dict, context: dict) -> dict:
        document = {
            key: _text(value) if isinstance(value, datetime) else value
            for key, value in record.items()
        }
        errors = sorted(_ORDER_VALIDATOR.iter_errors(document), key=lambda error: error.path)
        if errors:
            error = errors[0]
            where = "/".join(str(part) for part in error.absolute_path) or "record"
            message = error.message
            if where in ("updated_at", "created_at") and error.instance is None:
                message = "missing, or not an ISO 8601 time"
            record["_problem"] = f"the record breaks the orders schema at {where}: {message}"
        return record

    @override
    def process_record(self, record: dict, context: dict) -> None:
        problem = record.pop("_problem", None)
        if problem is None:
            super().process_record(record, context)
            return
        self.invalid += 1
        order_ref = record.get("order_ref") or "an order without order_ref"
        self.logger.error("orders: %s not imported: %s", order_ref, problem)
        if record.get("order_ref"):
            self.target.retry_queue.keep(record, problem)
            self.pending.add(str(record["order_ref"]))

    @override
    def process_batch(self, context: dict) -> None:
        self._import(_newest(context.get("records") or [], "order_ref"))

    def _import(self, records: list[dict[str, Any]]) -> None:
        by_ref = {str(record["order_ref"]): record for record in records}
        outcomes = self.target.importer.import_orders(records)
        for outcome in outcomes:
            self._settle(outcome, by_ref[outcome.order_ref])
        self.logger.info(
            "orders: batch of %d done (%s); %d HTTP call(s) so far",
            len(records),
            ", ".join(
                f"{n} {result}"
                for result, n in sorted(Counter(outcome.result for outcome in outcomes).items())
            ),
            self.target.client.total_calls(),
        )

    def _settle(self, outcome: Outcome, record: dict[str, Any]) -> None:
        self.outcomes[outcome.result] += 1
        if outcome.landed:
            if outcome.order_ref in self.pending:
                self.target.retry_queue.landed(outcome.order_ref)
                self.pending.discard(outcome.order_ref)
            if outcome.reason:
                self.logger.info("orders: %s %s", outcome.order_ref, outcome.reason)
            return
        self.logger.warning(
            "orders: %s kept for the next run: %s", outcome.order_ref, outcome.reason
        )
        self.target.retry_queue.keep(record, outcome.reason)
        self.pending.add(outcome.order_ref)

    @override
    def clean_up(self) -> None:
        for result, words in _RESULT_WORDS.items():
            if self.outcomes[result]:
                self.logger.info("orders: %d %s", self.outcomes[result], words)
        if self.invalid:
            self.logger.info("orders: %d broke the orders schema and were kept", self.invalid)
        importer = self.target.importer
        self.logger.info(
            "orders: customers matched by e-mail %d, created %d; %d order(s) wait in the retry "
            "queue %s",
            importer.customers.matched,
            importer.customers.created,
            len(self.target.retry_queue),
            self.target.retry_queue.path,
        )
        super().clean_up()


class ItemContentSink(_NetSuiteSink):
    """Two-way mode: the store's own item fields into NetSuite items."""

    @override
    def setup(self) -> None:
        super().setup()
        self.writer = ItemContentWriter(
            client=self.target.client,
            ownership=self.target.ownership,
            field_mapping=self.target.item_field_mapping,
            clock_field=self.target.clock_field,
            violations=self.target.violation_log,
            workers=self.target.workers,
        )

    @override
    def process_batch(self, context: dict) -> None:
        try:
            self.writer.write(_newest(context.get("records") or [], "sku"))
        except FatalAPIError as error:
            raise FatalAPIError(
                f"{error}. Check that the item fields of item_field_mapping "
                f"({', '.join(sorted(self.target.item_field_mapping.values()))}) and "
                f"clock_field ({self.target.clock_field}) exist on NetSuite items."
            ) from None

    @override
    def clean_up(self) -> None:
        self.writer.log_summary()
        super().clean_up()


class UnwrittenStreamSink(BatchSink):
    """A stream target-netsuite does not write: its records are counted, and the count logged.

    `inventory_levels` lands here on purpose: NetSuite owns stock, which changes there only
    through transactions (the store's orders come in as sales orders).
    """

    @override
    def setup(self) -> None:
        super().setup()
        self.dropped = 0

    @override
    def process_batch(self, context: dict) -> None:
        self.dropped += len(context.get("records") or [])

    @override
    def clean_up(self) -> None:
        if self.dropped:
            why = (
                "NetSuite owns stock; it changes only through transactions"
                if self.stream_name == "inventory_levels"
                else "target-netsuite writes only the orders and items streams"
            )
            self.logger.info(
                "%s: %d record(s) not written: %s", self.stream_name, self.dropped, why
            )
        super().clean_up()
