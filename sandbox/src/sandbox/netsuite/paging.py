"""Running a SuiteQL page: limit and offset checks, the count, the rows and their links."""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from typing import Any

from werkzeug.datastructures import MultiDict

from sandbox.netsuite.errors import NetSuiteError, search_error
from sandbox.netsuite.suiteql import SuiteQLTranslator, render_scalar

MAX_LIMIT = 1000
_COUNT_CACHE_SIZE = 256


def page_window(args: MultiDict[str, str], offset_cap: int) -> tuple[int, int]:
    """The `limit` and `offset` of a SuiteQL request, checked as NetSuite checks them.

    Only the first `offset_cap` rows of a result are reachable by offset: an offset at or
    past the cap is refused, and a page reaching over it is cut at the cap.

    Raises:
        NetSuiteError: 400 INVALID_PARAMETER for a limit outside 1..1000, an offset that is
            negative or not a multiple of the limit, or an offset past the cap.
    """
    limit = _integer(args.get("limit", str(MAX_LIMIT)), "limit")
    offset = _integer(args.get("offset", "0"), "offset")
    if not 1 <= limit <= MAX_LIMIT:
        raise NetSuiteError(
            400,
            "INVALID_PARAMETER",
            f"Invalid 'limit' query parameter value: {limit}. The value must be between 1 and "
            f"{MAX_LIMIT}.",
            query_param="limit",
        )
    if offset < 0 or offset % limit:
        raise NetSuiteError(
            400,
            "INVALID_PARAMETER",
            f"Invalid 'offset' query parameter value: {offset}. The offset must be a "
            "non-negative multiple of the limit.",
            query_param="offset",
        )
    if offset >= offset_cap:
        raise NetSuiteError(
            400,
            "INVALID_PARAMETER",
            f"Invalid 'offset' query parameter value: {offset}. No more than {offset_cap} "
            "results can be reached by offset. To reach further results, filter the query, "
            "for example by id or by date.",
            query_param="offset",
        )
    return limit, offset


def _integer(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError as error:
        raise NetSuiteError(
            400,
            "INVALID_PARAMETER",
            f"Invalid '{name}' query parameter value: {value}. Provide an integer.",
            query_param=name,
        ) from error


class SuiteQLRunner:
    """Answers SuiteQL pages, remembering result counts until the data changes.

    Args:
        translator: Translates SuiteQL to SQLite.
    """

    def __init__(self, translator: SuiteQLTranslator) -> None:
        self.translator = translator
        self._counts: OrderedDict[tuple[str, int], int] = OrderedDict()
        self._lock = threading.Lock()

    def run(
        self,
        db: sqlite3.Connection,
        query: str,
        limit: int,
        offset: int,
        offset_cap: int,
        data_version: int,
        href: str,
    ) -> dict[str, Any]:
        """One page of a query's rows in NetSuite's collection envelope."""
        translation = self.translator.translate(query)
        try:
            total = self._count(db, translation.count_sql, data_version)
            cursor = db.execute(
                f"SELECT * FROM ({translation.sql}) LIMIT ? OFFSET ?",
                (min(limit, offset_cap - offset), offset),
            )
        except sqlite3.Error as error:
            raise search_error(f"Search error occurred: {error}.") from error
        names = [column[0].lower() for column in cursor.description]
        items = [_row(names, row) for row in cursor.fetchall()]

        has_more = offset + len(items) < total
        return {
            "links": _links(href, limit, offset, total, has_more),
            "count": len(items),
            "hasMore": has_more,
            "items": items,
            "offset": offset,
            "totalResults": total,
        }

    def _count(self, db: sqlite3.Connection, sql: str, data_version: int) -> int:
        key = (sql, data_version)
        with self._lock:
            if key in self._counts:
                self._counts.move_to_end(key)
                return self._counts[key]
        total = db.execute(sql).fetchone()[0]
        with self._lock:
            self._counts[key] = total
            if len(self._counts) > _COUNT_CACHE_SIZE:
                self._counts.popitem(last=False)
        return total


def _row(names: list[str], values: tuple[Any, ...]) -> dict[str, Any]:
    row: dict[str, Any] = {"links": []}
    for name, value in zip(names, values, strict=True):
        if value is not None:
            row[name] = render_scalar(value)
    return row


def _links(href: str, limit: int, offset: int, total: int, has_more: bool) -> list[dict[str, str]]:
    def page(at: int) -> str:
        return f"{href}?limit={limit}&offset={at}"

    links = []
    if offset > 0:
        links.append({"rel": "previous", "href": page(max(offset - limit, 0))})
        links.append({"rel": "first", "href": page(0)})
    if has_more:
        links.append({"rel": "next", "href": page(offset + limit)})
        links.append({"rel": "last", "href": page(max(total - 1, 0) // limit * limit)})
    links.append({"rel": "self", "href": page(offset)})
    return links
