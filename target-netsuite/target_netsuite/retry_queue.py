"""The durable queue of store orders NetSuite has not taken yet.

An order with an unknown SKU, or one NetSuite rejects, is written here with NetSuite's reason
before the target acknowledges the stream's state, so Meltano may move its bookmark past it
and nothing is lost. Every run retries the queue before the stream's new orders; an order
leaves the queue only when it lands in NetSuite, or when a newer version of it from the store
replaces it. The queue is one SQLite file; each change is committed before the call returns.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import simplejson

from sync_model.values import format_utc

#: Where the queue lives unless the `retry_queue_path` setting says otherwise.
DEFAULT_RETRY_QUEUE_PATH = Path(".meltano") / "inventory-sync" / "target-netsuite-retry.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pending_order (
    order_ref TEXT PRIMARY KEY,
    updated_at TEXT NOT NULL,
    record TEXT NOT NULL,
    reason TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    first_failed_at TEXT NOT NULL,
    last_failed_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class PendingOrder:
    """An order waiting for its next attempt.

    Attributes:
        order_ref: The store's order reference (`shopify:5001`).
        record: The order as the stream carried it.
        reason: Why the last attempt failed, in NetSuite's words where NetSuite gave them.
        attempts: Attempts so far.
        first_failed_at: When it first failed.
    """

    order_ref: str
    record: dict[str, Any]
    reason: str
    attempts: int
    first_failed_at: str


class RetryQueue:
    """Orders kept for the next run, in a SQLite file.

    Args:
        path: The SQLite file; its folder is created when missing.
    """

    def __init__(self, path: Path = DEFAULT_RETRY_QUEUE_PATH) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.execute(_SCHEMA)
        self._lock = threading.Lock()

    def keep(self, record: dict[str, Any], reason: str) -> None:
        """Keep (or update) an order that failed, unless a newer version is already kept."""
        now = format_utc(datetime.now(UTC))
        updated_at = _text(record.get("updated_at"))
        with self._lock:
            self._db.execute(
                """
                INSERT INTO pending_order VALUES (?, ?, ?, ?, 1, ?, ?)
                ON CONFLICT (order_ref) DO UPDATE SET
                    record = CASE WHEN excluded.updated_at >= updated_at
                        THEN excluded.record ELSE record END,
                    updated_at = MAX(updated_at, excluded.updated_at),
                    reason = excluded.reason,
                    attempts = attempts + 1,
                    last_failed_at = excluded.last_failed_at
                """,
                (
                    str(record["order_ref"]),
                    updated_at,
                    simplejson.dumps(record, use_decimal=True, default=_text),
                    reason,
                    now,
                    now,
                ),
            )

    def landed(self, order_ref: str) -> None:
        """Forget an order that is now in NetSuite."""
        with self._lock:
            self._db.execute("DELETE FROM pending_order WHERE order_ref = ?", (order_ref,))

    def pending(self) -> Iterator[PendingOrder]:
        """The orders waiting, oldest failure first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT order_ref, record, reason, attempts, first_failed_at FROM pending_order "
                "ORDER BY first_failed_at, order_ref"
            ).fetchall()
        for order_ref, record, reason, attempts, first_failed_at in rows:
            yield PendingOrder(
                order_ref,
                simplejson.loads(record, use_decimal=True),
                reason,
                attempts,
                first_failed_at,
            )

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM pending_order").fetchone()[0])

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return format_utc(value)
    return "" if value is None else str(value)
