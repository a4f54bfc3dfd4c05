"""Relay connections as Shopify pages them: first/after, last/before, cursors, pageInfo.

Pages are read by key from SQLite (`WHERE (sort, id) > (:value, :id) ORDER BY sort, id LIMIT
n + 1`), so a page costs the same at the end of 100,000 rows as at the start. A cursor is
base64 of `{"last_id": ..., "last_value": ...}`, the shape Shopify's cursors decode to.
"""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError

#: The most nodes one connection returns, and the most items any input array holds.
MAX_PAGE_SIZE = 250


@dataclass
class PageInfo:
    """The `PageInfo` object of a connection."""

    hasNextPage: bool
    hasPreviousPage: bool
    startCursor: str | None
    endCursor: str | None


class Edge:
    """One `edges` entry: a node and its cursor."""

    __slots__ = ("cursor", "node")

    def __init__(self, cursor: str, node: Any) -> None:
        self.cursor = cursor
        self.node = node


class Connection:
    """A page of nodes, answering `edges`, `nodes` and `pageInfo`."""

    __slots__ = ("edges", "nodes", "pageInfo")

    def __init__(
        self, nodes: list[Any], cursors: list[str], has_next: bool, has_previous: bool
    ) -> None:
        self.nodes = nodes
        self.edges = [Edge(cursor, node) for cursor, node in zip(cursors, nodes, strict=True)]
        self.pageInfo = PageInfo(
            hasNextPage=has_next,
            hasPreviousPage=has_previous,
            startCursor=cursors[0] if cursors else None,
            endCursor=cursors[-1] if cursors else None,
        )


def encode_cursor(record_id: int, value: Any) -> str:
    """The opaque cursor of a node at a sort position."""
    raw = json.dumps({"last_id": record_id, "last_value": value}, separators=(",", ":"))
    return base64.b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[int, Any]:
    """The (id, sort value) a cursor points at.

    Raises:
        GraphQLError: The cursor was not made by this shop.
    """
    try:
        data = json.loads(base64.b64decode(cursor, validate=True))
        return int(data["last_id"]), data["last_value"]
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise GraphQLError("Invalid cursor for current pagination sort.") from error


def page_size(first: int | None, last: int | None) -> tuple[int, bool]:
    """How many nodes to read and whether paging runs backwards.

    Raises:
        GraphQLError: Neither or both of first and last, or a size out of range.
    """
    if first is None and last is None:
        raise GraphQLError("you must provide one of first or last")
    if first is not None and last is not None:
        raise GraphQLError("providing both first and last is not supported")
    size = first if first is not None else (last or 0)
    if size < 0:
        raise GraphQLError(f"{'first' if first is not None else 'last'} must be positive")
    return size, last is not None


@dataclass(frozen=True)
class TableQuery:
    """What a SQL-backed connection pages over.

    Attributes:
        table: The table (with alias if the conditions need one).
        where: SQL condition restricting the rows.
        params: Parameters of the condition.
        sort: SQL expression the page is ordered by; `id` breaks ties.
    """

    table: str
    where: str
    params: Sequence[Any]
    sort: str


def paginate_table(
    db: sqlite3.Connection,
    query: TableQuery,
    make_node: Callable[[list[sqlite3.Row]], list[Any]],
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    reverse: bool,
) -> Connection:
    """Read one page of rows by key and wrap them as a connection."""
    size, backwards = page_size(first, last)
    descending = reverse != backwards
    conditions, params = [f"({query.where})"], list(query.params)
    sort_key = f"({query.sort}, id)"
    for cursor, forwards_bound in ((after, True), (before, False)):
        if cursor is None:
            continue
        record_id, value = decode_cursor(cursor)
        comparator = ">" if forwards_bound != reverse else "<"
        conditions.append(f"{sort_key} {comparator} (?, ?)")
        params.extend([value, record_id])
    direction = "DESC" if descending else "ASC"
    sql = (
        f"SELECT *, {query.sort} AS sort_value FROM {query.table}"
        f" WHERE {' AND '.join(conditions)}"
        f" ORDER BY {query.sort} {direction}, id {direction} LIMIT ?"
    )
    rows = db.execute(sql, [*params, size + 1]).fetchall()
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()

    beyond_start = _exists_beyond(db, query, after if not backwards else before, reverse, backwards)
    cursors = [encode_cursor(row["id"], row["sort_value"]) for row in rows]
    nodes = make_node(rows)
    if backwards:
        return Connection(nodes, cursors, has_next=beyond_start, has_previous=more)
    return Connection(nodes, cursors, has_next=more, has_previous=beyond_start)


def _exists_beyond(
    db: sqlite3.Connection, query: TableQuery, cursor: str | None, reverse: bool, backwards: bool
) -> bool:
    """Whether rows lie on the far side of the cursor the page starts from."""
    if cursor is None:
        return False
    record_id, value = decode_cursor(cursor)
    toward_start = not backwards
    comparator = "<=" if toward_start != reverse else ">="
    sql = (
        f"SELECT 1 FROM {query.table} WHERE ({query.where})"
        f" AND ({query.sort}, id) {comparator} (?, ?) LIMIT 1"
    )
    return db.execute(sql, [*query.params, value, record_id]).fetchone() is not None


def paginate_list(
    items: list[Any],
    key: Callable[[Any], int],
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    reverse: bool,
) -> Connection:
    """Page a short list already in memory (a variant's levels, an order's lines)."""
    size, backwards = page_size(first, last)
    ordered = sorted(items, key=key, reverse=reverse)
    ids = [key(item) for item in ordered]
    start, end = 0, len(ordered)
    if after is not None:
        after_id = decode_cursor(after)[0]
        start = next((i + 1 for i, v in enumerate(ids) if v == after_id), len(ids))
    if before is not None:
        before_id = decode_cursor(before)[0]
        end = next((i for i, v in enumerate(ids) if v == before_id), end)
    window = ordered[start:end]
    if backwards:
        chosen = window[max(0, len(window) - size) :]
        has_previous, has_next = len(window) > size, end < len(ordered)
    else:
        chosen = window[:size]
        has_next, has_previous = len(window) > size, start > 0
    cursors = [encode_cursor(key(item), key(item)) for item in chosen]
    return Connection(chosen, cursors, has_next=has_next, has_previous=has_previous)
