"""The SuiteQL stream every stream of the tap is built on: paging, retries, errors, bookmarks.

Paging: SuiteQL answers at most 1,000 rows a page and reaches at most 100,000 rows by offset.
A stream orders its query by a unique key and pages by offset while the next window fits
under the cap; past it, it restarts at offset 0 with `WHERE key > last key seen`, and so on
for as many rows as the query has. When the result changes size between two offset pages (a
record deleted or newly matching), it continues by key as well, so no row is skipped; a row
read twice is recognised by its key, which only grows, and dropped.

Bookmarks (incremental streams): the replication key is the record's `updated_at`, read from
NetSuite's last-modified times in the account's time zone and converted to UTC. The next run
asks for records modified after the bookmark less `cursor_overlap_seconds`, so a change at the
boundary second, a clock that differs between NetSuite's servers or a time zone the tap was
told wrongly by a few minutes loses nothing. What the overlap brings back a second time is
recognised by key and last-modified time and not emitted again, and a key is emitted at most
once per run. The bookmark is the time NetSuite reported when the run's first page was read,
so a record changed while a long run pages on is picked up by the next run.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Generator, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from functools import cached_property
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import requests
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError
from singer_sdk.pagination import BaseAPIPaginator
from singer_sdk.streams import RESTStream
from typing_extensions import override

from sync_model.values import format_utc, parse_utc
from tap_netsuite_inventory.limits import retry_after
from tap_netsuite_inventory.suiteql import AccountClock, whole_seconds

if TYPE_CHECKING:
    from requests.auth import AuthBase
    from singer_sdk.helpers.types import Context

    from tap_netsuite_inventory.tap import TapNetSuiteInventory

#: The stream-state entry remembering what was emitted within the overlap of the bookmark.
BOUNDARY_STATE_KEY = "emitted_in_overlap"
#: More entries than this are not kept; the overlap is then emitted again on the next run.
BOUNDARY_MAX_ENTRIES = 5000
#: The SDK's stream-state entry holding the bookmark of an unsorted stream until it ends.
_PROGRESS_MARKERS = "progress_markers"
#: Where incremental queries select NetSuite's own clock.
SERVER_NOW = "tap_server_now"


class SuiteQLPage(NamedTuple):
    """Where the next page starts: an offset, and the key it follows once past the cap."""

    offset: int = 0
    after: tuple[str, ...] | None = None


class SuiteQLPaginator(BaseAPIPaginator[SuiteQLPage]):
    """Offset paging up to the offset cap, then paging by key from the last row read.

    Offset paging is only as good as a result that holds still: a row that leaves the result
    between two pages (a deleted record) moves every later row one place back, and the first
    row of the next page would be skipped. Each answer says how many rows the query has
    (`totalResults`); when that differs from the first page of the run of offset pages, the
    page is not used (`accept`) and paging continues by key from the last row of the page
    before, which can neither skip nor repeat a row.

    Args:
        page_size: Rows asked for per page (`limit`).
        offset_cap: Rows reachable by offset (100,000 in NetSuite).
        key_columns: The row columns holding the query's order key.
    """

    def __init__(self, page_size: int, offset_cap: int, key_columns: tuple[str, ...]) -> None:
        super().__init__(SuiteQLPage())
        self.page_size = page_size
        self.offset_cap = offset_cap
        self.key_columns = key_columns
        self.total: int | None = None
        self.last_key: tuple[str, ...] | None = None
        self.discarded = False
        self.restarts = 0

    def accept(self, response: requests.Response) -> bool:
        """Whether a page's rows can be used: not when the result changed size meanwhile."""
        total = response_body(response).get("totalResults")
        if self.total is not None and total != self.total and self.last_key is not None:
            self.discarded = True
            self.restarts += 1
            return False
        self.total = total
        return True

    @override
    def continue_if_empty(self, response: requests.Response) -> bool:
        return self.discarded

    @override
    def get_next(self, response: requests.Response) -> SuiteQLPage | None:
        if self.discarded:
            self.discarded = False
            self.total = None
            return SuiteQLPage(0, self.last_key)
        body = response_body(response)
        rows = body.get("items") or []
        if not body.get("hasMore") or not rows:
            return None
        self.last_key = row_key(rows[-1], self.key_columns)
        offset = self.current_value.offset + self.page_size
        if offset + self.page_size <= self.offset_cap:
            return SuiteQLPage(offset, self.current_value.after)
        self.total = None
        return SuiteQLPage(0, self.last_key)


def response_body(response: requests.Response) -> dict:
    """A SuiteQL answer's JSON, parsed once however often it is read."""
    body = getattr(response, "suiteql_body", None)
    if body is None:
        body = response.json()
        response.suiteql_body = body  # type: ignore[attr-defined]
    return body


def row_key(row: dict, columns: tuple[str, ...]) -> tuple[str, ...]:
    """A row's order key.

    A null key column (an order without item lines) is omitted from the row and reads as -1,
    which sorts before every internal id.
    """
    return tuple(str(row.get(column, -1)) for column in columns)


class SuiteQLStream(RESTStream[SuiteQLPage]):
    """A stream read with one SuiteQL query, paged by offset and then by key.

    Subclasses give the query in parts: `select_sql` (SELECT ... FROM ... JOINs),
    `conditions` (WHERE terms), and `order_key` (unique key expressions, with the row columns
    that hold them), and turn rows into records in `records_from_rows`.
    """

    path = "/query/v1/suiteql"
    http_method = "POST"
    #: Unique key of the query's rows: (SQL expression, row column) pairs, most significant first.
    order_key: ClassVar[tuple[tuple[str, str], ...]] = (("id", "id"),)

    _tap: TapNetSuiteInventory

    def __init__(self, tap: TapNetSuiteInventory) -> None:
        super().__init__(tap)
        self.duplicates_dropped = 0
        self.paginator: SuiteQLPaginator | None = None

    # Where and how requests go.

    @property
    @override
    def url_base(self) -> str:
        return self._tap.base_url

    @property
    @override
    def requests_session(self) -> requests.Session:
        return self._tap.session

    @property
    @override
    def authenticator(self) -> AuthBase:
        return self._tap.authenticator

    @property
    @override
    def http_headers(self) -> dict[str, str]:
        return {"Prefer": "transient", "Content-Type": "application/json"}

    @override
    def build_prepared_request(self, *args: Any, **kwargs: Any) -> requests.PreparedRequest:
        # Prepared without authentication: `_request` signs each attempt inside the retry
        # loop, so a token-based signature is fresh on every attempt and a failed OAuth 2.0
        # token request is retried like any other.
        request = requests.Request(*args, **kwargs)
        request.headers.setdefault("User-Agent", self.user_agent)
        return self.requests_session.prepare_request(request)

    @cached_property
    def clock(self) -> AccountClock:
        """Converts times between UTC and the account's time zone."""
        return AccountClock(self.config["account_time_zone"])

    @override
    def get_new_paginator(self) -> SuiteQLPaginator:
        self.paginator = SuiteQLPaginator(
            page_size=self.config.get("page_size", 1000),
            offset_cap=self._tap.offset_cap,
            key_columns=tuple(column for _, column in self.order_key),
        )
        return self.paginator

    @override
    def get_url_params(self, context: Context | None, next_page_token: SuiteQLPage | None) -> dict:
        page = next_page_token or SuiteQLPage()
        return {"limit": self.config.get("page_size", 1000), "offset": page.offset}

    @override
    def prepare_request_payload(
        self, context: Context | None, next_page_token: SuiteQLPage | None
    ) -> dict:
        query = self.build_query(context, next_page_token or SuiteQLPage())
        self.logger.debug("SuiteQL for %s: %s", self.name, query)
        return {"q": query}

    # The query.

    def select_sql(self) -> str:
        """The query up to its WHERE clause: `SELECT ... FROM ... JOIN ...`."""
        raise NotImplementedError

    def conditions(self, context: Context | None) -> list[str]:
        """The WHERE terms of the query, joined with AND; none by default."""
        return []

    def build_query(self, context: Context | None, page: SuiteQLPage) -> str:
        """The full query for one page: conditions, the key condition past the cap, the order."""
        terms = list(self.conditions(context))
        if page.after is not None:
            terms.append(self._after_key(page.after))
        query = self.select_sql()
        if terms:
            query += " WHERE " + " AND ".join(f"({term})" for term in terms)
        order = ", ".join(expression for expression, _ in self.order_key)
        return f"{query} ORDER BY {order}"

    def _after_key(self, after: tuple[str, ...]) -> str:
        # (a, b) > (x, y) spelled out, since SuiteQL has no row-value comparison.
        expressions = [expression for expression, _ in self.order_key]
        alternatives = []
        for depth, expression in enumerate(expressions):
            equal = [f"{expressions[i]} = {int(after[i])}" for i in range(depth)]
            alternatives.append(" AND ".join([*equal, f"{expression} > {int(after[depth])}"]))
        return " OR ".join(f"({alternative})" for alternative in alternatives)

    # Responses.

    @override
    def validate_response(self, response: requests.Response) -> None:
        status = response.status_code
        if status == HTTPStatus.TOO_MANY_REQUESTS or status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            raise RetriableAPIError(
                f"NetSuite answered {status} {_error_code(response)} to {self.name}; retrying",
                response,
            )
        if status == HTTPStatus.UNAUTHORIZED:
            raise FatalAPIError(
                f"NetSuite refused the login (401 {_error_code(response)}) for account "
                f"{self.config['account_id']}: check account_id and the credentials "
                f"({self._tap.auth_method_description}), that the access token or certificate "
                "is not revoked, and that this machine's clock is right (token-based signatures "
                "carry a timestamp). NetSuite's Login Audit Trail names the exact cause."
            )
        if status == HTTPStatus.FORBIDDEN:
            raise FatalAPIError(
                f"NetSuite denied {self.name} (403 {_error_code(response)}: "
                f"{_error_detail(response)}): the role of the access token needs the REST Web "
                "Services and SuiteAnalytics Workbook permissions and view access to items, "
                "locations, price levels and sales orders."
            )
        if status >= HTTPStatus.BAD_REQUEST:
            raise FatalAPIError(
                f"NetSuite rejected the {self.name} query ({status} {_error_code(response)}): "
                f"{_error_detail(response)}"
            )

    @override
    def parse_response(self, response: requests.Response) -> Iterable[dict]:
        if self.paginator is not None and not self.paginator.accept(response):
            self.logger.info(
                "%s: the result changed size between two pages; continuing by key", self.name
            )
            return
        yield from self._rows(response)

    @staticmethod
    def _rows(response: requests.Response) -> Iterator[dict]:
        for row in response_body(response).get("items") or []:
            row.pop("links", None)
            yield row

    @override
    def backoff_wait_generator(self) -> Generator[float, Any, None]:
        attempt = 0
        exception = yield 0.0
        while True:
            wait = retry_after(getattr(exception, "response", None))
            if wait is None:
                wait = min(self._tap.backoff_base_seconds * 2**attempt, 60.0)
            attempt += 1
            exception = yield wait

    @override
    def backoff_max_tries(self) -> int:
        return 8

    @override
    def backoff_jitter(self, value: float) -> float:
        # Up to a quarter more, never less: a Retry-After is a minimum.
        return value + random.uniform(0, value / 4)

    @override
    def backoff_handler(self, details: Any) -> None:
        exception = details.get("exception")
        self.logger.warning(
            "%s: attempt %d failed (%s); waiting %.1f s before the next",
            self.name,
            details.get("tries", 0),
            exception if isinstance(exception, RetriableAPIError) else type(exception).__name__,
            details.get("wait") or 0.0,
        )

    def run_query(self, query: str) -> Iterator[dict]:
        """Every row of a helper query (such as system notes for a page of items).

        The query must order its rows; it is paged by offset, which suits the small helper
        queries the streams run (at most a few thousand rows).

        Raises:
            FatalAPIError: The helper query would need more rows than offset paging reaches.
        """
        page_size = self.config.get("page_size", 1000)
        send = self.request_decorator(self._request)
        offset = 0
        while True:
            request = self.build_prepared_request(
                method="POST",
                url=self.get_url(None),
                params={"limit": page_size, "offset": offset},
                headers=self.http_headers,
                json={"q": query},
            )
            response = send(request, None)
            yield from self._rows(response)
            if not response_body(response).get("hasMore"):
                return
            offset += page_size
            if offset + page_size > self._tap.offset_cap:
                raise FatalAPIError(
                    f"{self.name}: a helper query has more rows than offset paging reaches; "
                    "lower page_size"
                )

    # Records.

    def records_from_rows(self, rows: Iterator[dict], context: Context | None) -> Iterator[dict]:
        """Turn the query's rows into records; one row is one record unless overridden."""
        for row in rows:
            yield self.row_to_record(row)

    def row_to_record(self, row: dict) -> dict:
        """Turn one row into a record."""
        raise NotImplementedError

    def record_key(self, record: dict) -> tuple[Any, ...]:
        """The key a record is de-duplicated by: its primary key."""
        return tuple(record.get(name) for name in self.primary_keys)

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        yield from self.records_from_rows(self._unique_rows(context), context)

    def _unique_rows(self, context: Context | None) -> Iterator[dict]:
        # Rows come in order-key order, so a row whose key is not past the last one was read
        # before (rows moved forward between two offset pages): it is dropped. Nothing but the
        # last key is kept, whatever the size of the result.
        columns = tuple(column for _, column in self.order_key)
        last: tuple[int, ...] | None = None
        for row in self.request_records(context):
            key = tuple(int(part) for part in row_key(row, columns))
            if last is not None and key <= last:
                self.duplicates_dropped += 1
                continue
            last = key
            yield row
        if self.duplicates_dropped:
            self.logger.info(
                "%s: dropped %d row(s) read twice in this run (rows moved between pages)",
                self.name,
                self.duplicates_dropped,
            )


class IncrementalSuiteQLStream(SuiteQLStream):
    """A SuiteQL stream bookmarked on last-modified time, with an overlap and de-duplication.

    Subclasses select `SERVER_NOW` via `server_now_sql` in their select list and filter with
    `modified_since` in their conditions.
    """

    replication_key = "updated_at"
    is_sorted = False

    def __init__(self, tap: TapNetSuiteInventory) -> None:
        super().__init__(tap)
        self._server_now: datetime | None = None
        self.overlap_skipped = 0

    @property
    def overlap(self) -> timedelta:
        """How far before the bookmark the next query starts."""
        return timedelta(seconds=self.config.get("cursor_overlap_seconds", 300))

    def server_now_sql(self) -> str:
        """The select-list entry with NetSuite's clock, read with the page."""
        return self.clock.select("SYSDATE", SERVER_NOW)

    def modified_since(self, context: Context | None) -> datetime | None:
        """Records modified after this UTC time are read; None reads them all."""
        start = self.get_starting_timestamp(context)
        if start is None:
            return None
        start = start.astimezone(UTC)
        if self.get_context_state(context).get("replication_key_value"):
            return start - self.overlap
        return start

    @override
    def get_replication_key_signpost(self, context: Context | None = None) -> None:
        # The bookmark is NetSuite's clock at the first page (see get_records), not this
        # machine's, which may differ from NetSuite's.
        return None

    @override
    def parse_response(self, response: requests.Response) -> Iterable[dict]:
        for row in super().parse_response(response):
            if self._server_now is None and row.get(SERVER_NOW):
                self._server_now = self.clock.to_utc(row[SERVER_NOW], column=SERVER_NOW)
            row.pop(SERVER_NOW, None)
            yield row

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        state = self.get_context_state(context)
        previous: dict[str, str] = dict(state.get(BOUNDARY_STATE_KEY) or {})
        emitted: dict[str, str] = {}
        for record in super().get_records(context):
            key = _boundary_key(self.record_key(record))
            if previous.get(key) == record["updated_at"]:
                self.overlap_skipped += 1
                continue
            if self._may_be_remembered(record["updated_at"]):
                emitted[key] = record["updated_at"]
            yield record
        if self.overlap_skipped:
            self.logger.info(
                "%s: skipped %d record(s) of the overlap window already emitted by the last run",
                self.name,
                self.overlap_skipped,
            )
        self._remember_boundary(state, previous, emitted)
        self._advance_bookmark(state)

    def _may_be_remembered(self, updated_at: str) -> bool:
        # Only records inside the next overlap window are remembered, so memory stays bounded
        # by the window's changes, not by the size of the result. The window ends at NetSuite's
        # clock at the first page, known before the first record.
        if self._server_now is None:
            return False
        cap = whole_seconds(self._server_now)
        return format_utc(cap - self.overlap) < updated_at < format_utc(cap)

    def _advance_bookmark(self, state: dict) -> None:
        # Every change up to NetSuite's clock at the first page has been read, so that time is
        # the bookmark, whether or not a record was emitted. The SDK promotes its progress
        # markers to the bookmark when the stream ends; the tap sets them to that time.
        if self._server_now is None:
            return
        markers = state.setdefault(
            _PROGRESS_MARKERS, {"Note": "Progress is not resumable if interrupted."}
        )
        markers["replication_key"] = self.replication_key
        markers["replication_key_value"] = format_utc(whole_seconds(self._server_now))

    def _remember_boundary(
        self, state: dict, previous: dict[str, str], emitted: dict[str, str]
    ) -> None:
        # The next bookmark is NetSuite's clock at the first page (the cap). Records changed in
        # or after the cap's second may change again within it, so only earlier ones are
        # remembered as done.
        cap = format_utc(whole_seconds(self._server_now)) if self._server_now else None
        bookmark = cap or state.get("replication_key_value")
        if not bookmark:
            return
        done = {key: at for key, at in emitted.items() if cap is not None and at < cap}
        floor = format_utc(parse_utc(bookmark) - self.overlap)
        kept = {key: at for key, at in {**previous, **done}.items() if at > floor}
        if len(kept) > BOUNDARY_MAX_ENTRIES:
            self.logger.info(
                "%s: %d records changed within the overlap window; they will be read again "
                "next run rather than remembered in the state",
                self.name,
                len(kept),
            )
            kept = {}
        state[BOUNDARY_STATE_KEY] = dict(sorted(kept.items()))


def _boundary_key(key: tuple[Any, ...]) -> str:
    return "|".join(str(part) for part in key)


def _error_details(response: requests.Response) -> list[dict]:
    try:
        body = response.json()
    except ValueError:
        return []
    details = body.get("o:errorDetails") if isinstance(body, dict) else None
    return [detail for detail in details or [] if isinstance(detail, dict)]


def _error_code(response: requests.Response) -> str:
    codes = [str(detail.get("o:errorCode")) for detail in _error_details(response)]
    return ", ".join(code for code in codes if code != "None") or response.reason or ""


def _error_detail(response: requests.Response) -> str:
    details = [str(detail.get("detail", "")) for detail in _error_details(response)]
    return " ".join(detail for detail in details if detail) or "no detail given"


logging.getLogger("backoff").setLevel(logging.CRITICAL)
