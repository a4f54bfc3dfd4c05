"""SuiteTalk REST for the target: one session, one concurrency limit, one place for retries.

Every request of the target, the OAuth 2.0 token request included, goes through one
`ConcurrencyLimit` (NetSuite counts concurrent requests per account and answers 429 over its
limit). What an answer means is decided in `NetSuiteClient.classify`: 429, 5xx and dropped
connections are retried with exponential backoff that honours `Retry-After`; 401 and 403 stop
the run with a message saying what to check; any other 4xx is NetSuite rejecting that one
record (`RecordRejected`), with NetSuite's error code, detail and field path, for the caller to
report and keep for the next run.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import requests
import simplejson
from requests.auth import AuthBase
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError

from tap_netsuite_inventory.limits import retry_after

logger = logging.getLogger("target-netsuite.client")

#: SuiteQL answers at most this many rows a page.
SUITEQL_PAGE_SIZE = 1000


class RecordRejected(Exception):
    """NetSuite refused one record (a 4xx other than 401, 403 and 429).

    Attributes:
        status: The HTTP status.
        code: NetSuite's `o:errorCode`, such as USER_ERROR or INVALID_CONTENT.
        detail: NetSuite's own words.
        path: The field NetSuite blames (`o:errorPath`), when it names one.
    """

    def __init__(self, status: int, code: str, detail: str, path: str | None = None) -> None:
        self.status = status
        self.code = code
        self.detail = detail
        self.path = path
        where = f" at {path}" if path else ""
        super().__init__(f"{status} {code}{where}: {detail}")


class RetriesExhausted(Exception):
    """NetSuite kept answering 429 or 5xx, or kept dropping the connection."""


def eid(external_id: str) -> str:
    """The `eid:` path segment of an external id, escaped for a URL path."""
    return "eid:" + quote(external_id, safe=":")


class NetSuiteClient:
    """Requests to one NetSuite account's SuiteTalk REST API.

    Args:
        base_url: `https://{account}.suitetalk.api.netsuite.com/services/rest`.
        session: A session sent through the account's concurrency limit.
        auth: Signs each attempt (token-based) or carries the bearer token (OAuth 2.0).
        account_id: For error messages.
        credentials_hint: Which settings hold the credentials, for error messages.
        max_tries: Attempts per request before giving up on 429, 5xx or a dropped connection.
        backoff_base_seconds: First wait; the waits double from there, at most 60 s.
        timeout_seconds: How long to wait for an answer.
    """

    def __init__(
        self,
        base_url: str,
        session: requests.Session,
        auth: AuthBase,
        account_id: str,
        credentials_hint: str,
        max_tries: int = 8,
        backoff_base_seconds: float = 1.0,
        timeout_seconds: float = 300.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.auth = auth
        self.account_id = account_id
        self.credentials_hint = credentials_hint
        self.max_tries = max_tries
        self.backoff_base_seconds = backoff_base_seconds
        self.timeout_seconds = timeout_seconds
        self.calls: Counter[str] = Counter()
        self.retries = 0
        self._lock = threading.Lock()

    # The one place where answers are judged.

    def classify(self, response: requests.Response, what: str) -> None:
        """Raise for an answer that is not a success.

        Raises:
            RetriableAPIError: 429 or 5xx; the request is tried again.
            FatalAPIError: 401 or 403; the run cannot go on with these credentials.
            RecordRejected: Any other 4xx; NetSuite refused this one record.
        """
        status = response.status_code
        if status < HTTPStatus.BAD_REQUEST:
            return
        code, detail, path = error_details(response)
        if status == HTTPStatus.TOO_MANY_REQUESTS or status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            raise RetriableAPIError(f"NetSuite answered {status} {code} to {what}", response)
        if status == HTTPStatus.UNAUTHORIZED:
            raise FatalAPIError(
                f"NetSuite refused the login (401 {code}) for account {self.account_id}: check "
                f"account_id and the credentials ({self.credentials_hint}), that the access "
                "token or certificate is not revoked, and that this machine's clock is right. "
                "NetSuite's Login Audit Trail names the exact cause."
            )
        if status == HTTPStatus.FORBIDDEN:
            raise FatalAPIError(
                f"NetSuite denied {what} (403 {code}: {detail}): the role of the access token "
                "needs REST Web Services and SuiteAnalytics Workbook permissions, and create "
                "and edit access to sales orders, customers and items."
            )
        raise RecordRejected(status, code, detail, path)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        """Send one request, retrying 429, 5xx and dropped connections with backoff.

        The body is written with exact decimals. Each attempt is signed anew.

        Raises:
            RetriesExhausted: NetSuite did not answer successfully in `max_tries` attempts.
            FatalAPIError: The credentials or permissions are refused.
            RecordRejected: NetSuite refused the record.
        """
        what = f"{method} {path.split('?')[0]}"
        data = simplejson.dumps(body, use_decimal=True) if body is not None else None
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        last_error = ""
        for attempt in range(self.max_tries):
            with self._lock:
                self.calls[f"{method} {_endpoint(path)}"] += 1
            wait: float | None = None
            try:
                response = self.session.request(
                    method,
                    self.base_url + path,
                    data=data,
                    params=params,
                    headers=all_headers,
                    auth=self.auth,
                    timeout=self.timeout_seconds,
                )
                self.classify(response, what)
                return response
            except RetriableAPIError as error:
                last_error = str(error)
                wait = retry_after(error.response)
            except (requests.ConnectionError, requests.Timeout) as error:
                last_error = f"{type(error).__name__} on {what}"
            if attempt + 1 == self.max_tries:
                break
            if wait is None:
                wait = min(self.backoff_base_seconds * 2**attempt, 60.0)
            wait += random.uniform(0, wait / 4)
            with self._lock:
                self.retries += 1
            logger.warning(
                "%s: attempt %d failed (%s); waiting %.1f s", what, attempt + 1, last_error, wait
            )
            time.sleep(wait)
        raise RetriesExhausted(f"{last_error}; gave up after {self.max_tries} attempts")

    # SuiteQL.

    def suiteql(self, query: str) -> Iterator[dict[str, Any]]:
        """Every row of a SuiteQL query, paged by offset; `links` removed from each row.

        The query must order its rows and stay under 100,000 of them (the helper look-ups of
        the target ask for at most a batch's worth).

        Raises:
            FatalAPIError: NetSuite refused the query; a look-up query failing is a setting
                (a custom field that does not exist) or a bug, not a bad record.
        """
        offset = 0
        while True:
            try:
                response = self.request(
                    "POST",
                    "/query/v1/suiteql",
                    body={"q": query},
                    params={"limit": SUITEQL_PAGE_SIZE, "offset": offset},
                    headers={"Prefer": "transient"},
                )
            except RecordRejected as error:
                raise FatalAPIError(f"NetSuite refused a SuiteQL look-up ({error})") from None
            except RetriesExhausted as error:
                raise FatalAPIError(f"NetSuite did not answer a SuiteQL look-up: {error}") from None
            page = response.json()
            for row in page.get("items") or []:
                row.pop("links", None)
                yield row
            if not page.get("hasMore"):
                return
            offset += SUITEQL_PAGE_SIZE

    def total_calls(self) -> int:
        """API requests sent so far, retries included."""
        return sum(self.calls.values())


def _endpoint(path: str) -> str:
    """A path with record ids and external ids folded, for call counting."""
    parts = path.split("?")[0].split("/")
    return "/".join("{id}" if part.isdigit() or part.startswith("eid:") else part for part in parts)


def error_details(response: requests.Response) -> tuple[str, str, str | None]:
    """NetSuite's error code, detail and field path from its error envelope."""
    try:
        body = response.json()
    except ValueError:
        return response.reason or str(response.status_code), "no detail given", None
    details = body.get("o:errorDetails") if isinstance(body, dict) else None
    details = [detail for detail in details or [] if isinstance(detail, dict)]
    codes = [str(detail["o:errorCode"]) for detail in details if detail.get("o:errorCode")]
    texts = [str(detail["detail"]) for detail in details if detail.get("detail")]
    paths = [str(detail["o:errorPath"]) for detail in details if detail.get("o:errorPath")]
    return (
        ", ".join(codes) or response.reason or str(response.status_code),
        " ".join(texts) or "no detail given",
        paths[0] if paths else None,
    )
