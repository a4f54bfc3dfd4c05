"""Two-way mode: the store's own item fields written back to the NetSuite item.

Only fields `ownership.yml` gives to the store are written, and only from records whose source
is the store; each goes to the NetSuite item field `item_field_mapping` names for it (a
standard field such as `description`, or a custom item field). The field clocks live on the
item itself, in one long-text custom field (`clock_field`), as `sync_model.clocks` reads and
writes them, so last write wins per field whichever machine runs the target, and an edit made
in NetSuite to a store-owned field is restored and recorded as an ownership violation.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from sync_model.clocks import (
    Action,
    FieldClock,
    clocks_from_json,
    clocks_to_json,
    decide,
    value_hash,
)
from sync_model.ownership import OWNER_OF_SOURCE, FieldOwnership, OwnershipFilter
from sync_model.values import parse_utc
from sync_model.violations import OwnershipViolation, ViolationLog
from target_netsuite.client import NetSuiteClient, RecordRejected, RetriesExhausted
from target_netsuite.lookups import chunks, in_list

logger = logging.getLogger("target-netsuite.items")

#: Synced fields whose values are lists; NetSuite keeps them as JSON text.
LIST_FIELDS = {"categories", "images"}


class ItemContentWriter:
    """Writes store-owned item fields to NetSuite items under last-write-wins field clocks.

    Args:
        client: The account's client.
        ownership: Who owns each field.
        field_mapping: Synced field -> NetSuite item field id (lower case, as SuiteQL names it).
        clock_field: The custom item field holding the field clocks.
        violations: Where ownership violations are recorded.
        workers: PATCH requests sent at once.
    """

    def __init__(
        self,
        client: NetSuiteClient,
        ownership: FieldOwnership,
        field_mapping: dict[str, str],
        clock_field: str,
        violations: ViolationLog,
        workers: int,
    ) -> None:
        self.client = client
        self.ownership = ownership
        self.filter = OwnershipFilter(ownership)
        self.field_mapping = field_mapping
        self.clock_field = clock_field
        self.violations = violations
        self.workers = max(workers, 1)
        self.counts: Counter[str] = Counter()
        self.unmapped: Counter[str] = Counter()

    def write(self, records: list[dict[str, Any]]) -> None:
        """Apply a batch of item records (one per SKU, the newest)."""
        wanted: dict[str, dict[str, Any]] = {}
        for record in records:
            source = str(record.get("source"))
            if OWNER_OF_SOURCE.get(source) != "storefront":
                self.counts["skipped: from NetSuite itself"] += 1
                continue
            owned = self.filter.owned_values(source, record)
            values = {}
            for name, value in owned.items():
                if name in self.field_mapping:
                    values[name] = value
                else:
                    self.unmapped[name] += 1
            if values:
                wanted[str(record["sku"])] = {"record": record, "values": values}
            else:
                self.counts["skipped: no store-owned field to write"] += 1
        if not wanted:
            return

        current = self._read_items(sorted(wanted))
        patches: list[tuple[str, str, dict[str, Any]]] = []
        found: list[OwnershipViolation] = []
        for sku, entry in wanted.items():
            row = current.get(sku)
            if row is None:
                self.counts["skipped: SKU not in NetSuite"] += 1
                logger.warning(
                    "items: %s is not a NetSuite item; its store content is skipped", sku
                )
                continue
            try:
                body, violations = self._plan(sku, entry["record"], entry["values"], row)
            except ValueError as error:
                self.counts["failed: bad record"] += 1
                logger.error("items: %s not written: %s", sku, error)
                continue
            found.extend(violations)
            if body:
                patches.append((sku, row["id"], body))
            else:
                self.counts["unchanged"] += 1
        self.violations.record(found)
        if found:
            self.counts["ownership violation(s) recorded"] += len(found)
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            for result in pool.map(self._patch, patches):
                self.counts[result] += 1

    def _read_items(self, skus: list[str]) -> dict[str, dict[str, Any]]:
        columns = ", ".join(sorted({*self.field_mapping.values(), self.clock_field}))
        rows: dict[str, dict[str, Any]] = {}
        for batch in chunks(skus):
            for row in self.client.suiteql(
                f"SELECT id, itemid, {columns} FROM item WHERE itemid IN {in_list(batch)} "
                "AND isinactive = 'F' ORDER BY id"
            ):
                rows.setdefault(row["itemid"], row)
        return rows

    def _plan(
        self, sku: str, record: dict[str, Any], values: dict[str, Any], row: dict[str, Any]
    ) -> tuple[dict[str, Any], list[OwnershipViolation]]:
        clocks = clocks_from_json(row.get(self.clock_field))
        times = record.get("field_updated_at") or {}
        body: dict[str, Any] = {}
        violations: list[OwnershipViolation] = []
        now = datetime.now(UTC)
        stamped = False
        for name, incoming in values.items():
            column = self.field_mapping[name]
            current = _from_netsuite(name, row.get(column))
            incoming_time = _time(times.get(name) or record["updated_at"])
            decision = decide(incoming, incoming_time, current, clocks.get(name))
            if decision.violation:
                violations.append(
                    OwnershipViolation(
                        sku=sku,
                        field=name,
                        system="netsuite",
                        found_value=current,
                        owner_value=incoming,
                        detected_at=now,
                        restored=decision.action is Action.WRITE,
                    )
                )
            if decision.action is Action.SKIP:
                continue
            if decision.action is Action.WRITE:
                body[column] = _to_netsuite(name, incoming)
            clocks[name] = FieldClock(incoming_time, value_hash(incoming))
            stamped = True
        if stamped:
            body[self.clock_field] = clocks_to_json(clocks)
        return body, violations

    def _patch(self, patch: tuple[str, str, dict[str, Any]]) -> str:
        sku, item_id, body = patch
        try:
            self.client.request(
                "PATCH",
                f"/record/v1/inventoryItem/{item_id}",
                body=body,
                headers={"X-NetSuite-PropertyNameValidation": "error"},
            )
        except (RecordRejected, RetriesExhausted) as error:
            logger.error("items: NetSuite did not take the store content of %s: %s", sku, error)
            return "failed"
        return "written"

    def log_summary(self) -> None:
        """Log what was written, skipped and dropped, with counts."""
        for what, count in sorted(self.counts.items()):
            logger.info("items: %d %s", count, what)
        for name, count in sorted(self.unmapped.items()):
            logger.info(
                "items: %d value(s) of %s not written: item_field_mapping names no NetSuite "
                "field for it",
                count,
                name,
            )
        self.filter.log_drops()


def _to_netsuite(name: str, value: Any) -> Any:
    if name in LIST_FIELDS:
        return json.dumps(list(value), separators=(",", ":"), ensure_ascii=False) if value else None
    return value


def _from_netsuite(name: str, value: Any) -> Any:
    if name in LIST_FIELDS and isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        return parsed if isinstance(parsed, list) else value
    return value


def _time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return parse_utc(str(value))
