"""Per-request batch loading, so a page of 250 variants costs a handful of SQL reads.

A connection resolver announces the keys its nodes will ask for (`want`); the first node that
asks loads every announced key in one `IN (...)` query. Each request gets fresh loaders, and a
mutation clears them before it writes.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from typing import Any

_CHUNK = 900


class Loader:
    """Caches records by key and fetches the ones still wanted in one go.

    Args:
        fetch: Given keys, returns what was found for them; missing keys read as `default`.
        default: What a key with nothing found loads as.
    """

    def __init__(self, fetch: Callable[[list[Any]], dict[Any, Any]], default: Any = None) -> None:
        self._fetch = fetch
        self._default = default
        self._cache: dict[Hashable, Any] = {}
        self._pending: set[Hashable] = set()

    def want(self, keys: Iterable[Hashable]) -> None:
        """Announce keys that are about to be asked for."""
        self._pending.update(key for key in keys if key not in self._cache)

    def get(self, key: Hashable) -> Any:
        """The record of a key, loading every announced key on a miss."""
        if key not in self._cache:
            self._pending.add(key)
            keys = list(self._pending)
            self._pending.clear()
            found = self._fetch(keys)
            for wanted in keys:
                self._cache[wanted] = found.get(wanted, self._default)
        return self._cache[key]

    def clear(self) -> None:
        """Forget everything loaded, after a write."""
        self._cache.clear()
        self._pending.clear()


def rows_by_id(db: sqlite3.Connection, table: str, column: str, keys: list[Any]) -> dict[Any, Any]:
    """Rows of a table whose column is one of the keys, one row per key."""
    found: dict[Any, Any] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT * FROM {table} WHERE {column} IN ({marks})"
        for row in db.execute(sql, chunk):
            found[row[column]] = row
    return found


def rows_grouped(
    db: sqlite3.Connection, table: str, column: str, keys: list[Any], order: str = "rowid"
) -> dict[Any, list[Any]]:
    """Rows of a table grouped by a column whose value is one of the keys."""
    found: dict[Any, list[Any]] = defaultdict(list)
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT * FROM {table} WHERE {column} IN ({marks}) ORDER BY {order}"
        for row in db.execute(sql, chunk):
            found[row[column]].append(row)
    return found
