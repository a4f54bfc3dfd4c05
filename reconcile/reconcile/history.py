"""The reconciliation history: dated snapshots of each system and the reports run over them.

Everything lives in one SQL database, SQLite by default or any SQLAlchemy URL. A snapshot is
the whole of one system (`netsuite`, `woocommerce` or `shopify`) as its tap last described it:
one row per item, per stock level and per order. Taps run incrementally and send only what
changed, so a snapshot starts from what the target received and is completed by carrying over
every row of the previous snapshot that the run did not send again. Rows are written in batches,
and the carrying over is one `INSERT ... SELECT` per table, so no side is ever held in memory.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.engine import make_url

from sync_model.streams import ITEM_FIELDS
from sync_model.values import format_utc, parse_utc

logger = logging.getLogger(__name__)

#: Where the history is kept unless `database_url` says otherwise.
DEFAULT_DATABASE_URL = "sqlite:///.meltano/inventory-sync/reconcile.db"

#: Item fields whose changes between snapshots show which fields a system's users edit.
TRACKED_FIELDS: tuple[str, ...] = (*ITEM_FIELDS, "barcode", "active")

#: Snapshots deleted per statement, under every database's limit of bound parameters.
_KEYS_PER_STATEMENT = 400

metadata = MetaData()

snapshots = Table(
    "snapshot",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(16), nullable=False, index=True),
    Column("taken_at", String(32), nullable=False),
    Column("complete", Boolean, nullable=False, default=False),
    Column("received", Text, nullable=False, default="{}"),
)

snapshot_items = Table(
    "snapshot_item",
    metadata,
    Column("snapshot_id", Integer, primary_key=True),
    Column("sku", String(255), primary_key=True),
    Column("active", Boolean, nullable=True),
    *(Column(f"h_{name}", String(16), nullable=True) for name in TRACKED_FIELDS),
)

snapshot_levels = Table(
    "snapshot_level",
    metadata,
    Column("snapshot_id", Integer, primary_key=True),
    Column("sku", String(255), primary_key=True),
    Column("location", String(255), primary_key=True),
    Column("on_hand", Integer, nullable=True),
)

snapshot_orders = Table(
    "snapshot_order",
    metadata,
    Column("snapshot_id", Integer, primary_key=True),
    Column("order_ref", String(255), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("currency", String(8), nullable=True),
    Column("total", String(40), nullable=True),
)

report_runs = Table(
    "report_run",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_at", String(32), nullable=False),
    Column("store", String(16), nullable=False, index=True),
    Column("netsuite_snapshot_id", Integer, nullable=False),
    Column("store_snapshot_id", Integer, nullable=False),
    Column("exceeded", Boolean, nullable=False),
    Column("numbers", Text, nullable=False),
)

#: Shared stream -> (table, key columns).
STREAM_TABLES: dict[str, tuple[Table, tuple[str, ...]]] = {
    "items": (snapshot_items, ("sku",)),
    "inventory_levels": (snapshot_levels, ("sku", "location")),
    "orders": (snapshot_orders, ("order_ref",)),
}


@dataclass(frozen=True)
class Snapshot:
    """One system as its tap described it at one time."""

    id: int
    source: str
    taken_at: datetime


@dataclass(frozen=True)
class ReportRun:
    """A report that was run: when, over which snapshots, and the numbers it found."""

    id: int
    run_at: datetime
    store: str
    netsuite_snapshot_id: int
    store_snapshot_id: int
    exceeded: bool
    numbers: dict[str, Any]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets a report read while a target writes; NORMAL sync is safe under WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class History:
    """The snapshots and report runs in one database.

    Args:
        database_url: A SQLAlchemy URL; a SQLite file's folder is created when missing.
    """

    def __init__(self, database_url: str = DEFAULT_DATABASE_URL) -> None:
        url = make_url(database_url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url)
        if url.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # Snapshots, as the target writes them.

    def start_snapshot(self, source: str, taken_at: datetime) -> Snapshot:
        """Open a new, still incomplete snapshot of a system."""
        with self.engine.begin() as connection:
            result = connection.execute(
                insert(snapshots).values(
                    source=source, taken_at=format_utc(taken_at), complete=False, received="{}"
                )
            )
            snapshot_id = int(result.inserted_primary_key[0])
        return Snapshot(snapshot_id, source, taken_at)

    def write_rows(self, snapshot: Snapshot, stream: str, rows: Sequence[dict[str, Any]]) -> None:
        """Write a batch of one stream's rows; a key written before in this snapshot is replaced.

        Args:
            snapshot: The open snapshot.
            stream: `items`, `inventory_levels` or `orders`.
            rows: Column values, without `snapshot_id`; within the batch the last row of a key
                wins.
        """
        table, key_columns = STREAM_TABLES[stream]
        latest = {tuple(row[name] for name in key_columns): row for row in rows}
        # One indexed delete per key (an executemany): a key sent twice in a run, such as a
        # record re-read in the tap's overlap window, keeps its newest row. Row-value `IN`
        # lists would be shorter, but SQLite answers them with a scan of the table.
        same_key = delete(table).where(
            table.c.snapshot_id == bindparam("_snapshot"),
            *(table.c[name] == bindparam(f"_{name}") for name in key_columns),
        )
        with self.engine.begin() as connection:
            connection.execute(
                same_key,
                [
                    {"_snapshot": snapshot.id, **{f"_{n}": row[n] for n in key_columns}}
                    for row in latest.values()
                ],
            )
            connection.execute(
                insert(table), [{"snapshot_id": snapshot.id, **row} for row in latest.values()]
            )

    def complete_snapshot(
        self, snapshot: Snapshot, received: dict[str, int], replaced: Iterable[str] = ()
    ) -> None:
        """Carry over what the run did not send, and mark the snapshot complete.

        Args:
            snapshot: The snapshot the run wrote.
            received: Records received per stream, kept with the snapshot.
            replaced: Streams the run sent in full: their rows are not carried over from the
                previous snapshot, so what the tap no longer sends is gone.
        """
        previous = self.latest_snapshots(snapshot.source, count=1)
        replaced = set(replaced)
        with self.engine.begin() as connection:
            for stream, (table, key_columns) in STREAM_TABLES.items():
                if not previous or stream in replaced:
                    continue
                _carry_over(connection, table, key_columns, previous[0].id, snapshot.id)
            connection.execute(
                update(snapshots)
                .where(snapshots.c.id == snapshot.id)
                .values(complete=True, received=json.dumps(received, sort_keys=True))
            )

    def prune(self, source: str, keep: int) -> int:
        """Delete all but the newest `keep` complete snapshots of a system; return how many.

        Incomplete snapshots older than the newest kept one (runs that crashed) go too. Report
        runs are kept: they hold their numbers, which the history chart draws.
        """
        with self.engine.begin() as connection:
            kept = connection.execute(
                select(snapshots.c.id)
                .where(snapshots.c.source == source, snapshots.c.complete.is_(True))
                .order_by(snapshots.c.id.desc())
                .limit(keep)
            ).scalars()
            kept_ids = list(kept)
            if len(kept_ids) < keep:
                return 0
            oldest_kept = min(kept_ids)
            stale = list(
                connection.execute(
                    select(snapshots.c.id).where(
                        snapshots.c.source == source, snapshots.c.id < oldest_kept
                    )
                ).scalars()
            )
            for table in (snapshot_items, snapshot_levels, snapshot_orders, snapshots):
                column = table.c.id if table is snapshots else table.c.snapshot_id
                for start in range(0, len(stale), _KEYS_PER_STATEMENT):
                    chunk = stale[start : start + _KEYS_PER_STATEMENT]
                    connection.execute(delete(table).where(column.in_(chunk)))
        return len(stale)

    # Reading, as the report does.

    def latest_snapshots(self, source: str, count: int = 1) -> list[Snapshot]:
        """The newest complete snapshots of a system, newest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(snapshots.c.id, snapshots.c.source, snapshots.c.taken_at)
                .where(snapshots.c.source == source, snapshots.c.complete.is_(True))
                .order_by(snapshots.c.id.desc())
                .limit(count)
            ).all()
        return [Snapshot(row.id, row.source, parse_utc(row.taken_at)) for row in rows]

    def sources(self) -> list[str]:
        """The systems that have at least one complete snapshot."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(snapshots.c.source).where(snapshots.c.complete.is_(True)).distinct()
            ).scalars()
            return sorted(rows)

    def record_report(
        self,
        run_at: datetime,
        store: str,
        netsuite_snapshot: Snapshot,
        store_snapshot: Snapshot,
        exceeded: bool,
        numbers: dict[str, Any],
    ) -> ReportRun:
        """Keep a report's numbers, for the next report's change and for the chart."""
        values = {
            "run_at": format_utc(run_at),
            "store": store,
            "netsuite_snapshot_id": netsuite_snapshot.id,
            "store_snapshot_id": store_snapshot.id,
            "exceeded": exceeded,
            "numbers": json.dumps(numbers, sort_keys=True),
        }
        with self.engine.begin() as connection:
            result = connection.execute(insert(report_runs).values(**values))
            run_id = int(result.inserted_primary_key[0])
        return ReportRun(
            run_id,
            run_at,
            store,
            netsuite_snapshot.id,
            store_snapshot.id,
            exceeded,
            numbers,
        )

    def report_runs(self, store: str) -> list[ReportRun]:
        """Every report run against a store, oldest first (one row a day: a few KB a year)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(report_runs).where(report_runs.c.store == store).order_by(report_runs.c.id)
            ).all()
        return [
            ReportRun(
                row.id,
                parse_utc(row.run_at),
                row.store,
                row.netsuite_snapshot_id,
                row.store_snapshot_id,
                row.exceeded,
                json.loads(row.numbers),
            )
            for row in rows
        ]

    def stream(self, statement: Any, batch: int = 1000) -> Iterator[Any]:
        """Rows of a query, fetched in batches so a large answer is never held whole."""
        with self.engine.connect() as connection:
            result = connection.execution_options(stream_results=True, yield_per=batch).execute(
                statement
            )
            yield from result

    def all(self, statement: Any) -> list[Any]:
        """All rows of a small query."""
        with self.engine.connect() as connection:
            return list(connection.execute(statement).all())


def _carry_over(
    connection: Any, table: Table, key_columns: tuple[str, ...], previous_id: int, new_id: int
) -> None:
    """Copy the previous snapshot's rows whose key the new snapshot does not have."""
    old = table.alias("old")
    new = table.alias("new")
    columns = [column.name for column in table.columns if column.name != "snapshot_id"]
    sent_again = (
        select(new.c.snapshot_id)
        .where(
            new.c.snapshot_id == new_id,
            and_(*(new.c[name] == old.c[name] for name in key_columns)),
        )
        .exists()
    )
    rows = select(
        *([literal(new_id, Integer).label("snapshot_id")] + [old.c[name] for name in columns])
    ).where(old.c.snapshot_id == previous_id, ~sent_again)
    connection.execute(insert(table).from_select(["snapshot_id", *columns], rows))
