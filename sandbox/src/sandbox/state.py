"""Emulator state in SQLite: in memory by default, in a file when one is given."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class StateStore:
    """One SQLite database per emulator, shared by its request threads.

    SQLite serialises writers anyway, so a single connection behind a lock keeps the code
    simple and every request sees the writes of the ones before it.

    Args:
        path: Database file; None keeps the state in memory for the life of the process.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.is_new = path is None or not path.exists() or path.stat().st_size == 0
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(
            str(path) if path else ":memory:",
            check_same_thread=False,
            isolation_level=None,
        )
        self._connection.row_factory = sqlite3.Row
        self._connection.execute(
            "PRAGMA journal_mode = WAL" if path else "PRAGMA foreign_keys = ON"
        )
        self._lock = threading.RLock()
        self._depth = 0

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection, for registering SQL functions at start-up."""
        return self._connection

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the store for one unit of work; commit on success, roll back on error.

        Nested use joins the outer transaction.
        """
        with self._lock:
            outermost = self._depth == 0
            if outermost:
                self._connection.execute("BEGIN")
            self._depth += 1
            try:
                yield self._connection
            except BaseException:
                self._depth -= 1
                if outermost:
                    self._connection.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outermost:
                self._connection.execute("COMMIT")

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._connection.close()
