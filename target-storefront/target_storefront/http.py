"""HTTP decisions in one place: what is retried, how long to wait, what stops the run."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlparse

import requests

#: Attempts per request before the run fails, and the waits between them.
MAX_ATTEMPTS = 8
_FIRST_WAIT = 0.5
_MAX_WAIT = 30.0
_MAX_RETRY_AFTER = 120.0


class RetriableError(Exception):
    """The store is overloaded or failing; the request is worth another try.

    Args:
        message: What happened, without URL query strings or credentials.
        wait_seconds: How long the server asked to wait, if it said.
    """

    def __init__(self, message: str, wait_seconds: float | None = None) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class StoreApiError(Exception):
    """The store refused a request, and retrying would not help; the message says what to check."""


def retry_after_seconds(response: requests.Response) -> float | None:
    """The wait a `Retry-After` header asks for (seconds or an HTTP date), if any."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return min(_MAX_RETRY_AFTER, max(0.0, float(value)))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(_MAX_RETRY_AFTER, max(0.0, (moment - datetime.now(UTC)).total_seconds()))


def describe(response: requests.Response) -> str:
    """`METHOD /path answered 400`, never the query string (it may carry a signature)."""
    return (
        f"{response.request.method} {urlparse(response.url).path} answered {response.status_code}"
    )


class ApiClient:
    """A requests session with retries, a write-call counter and a read-call counter.

    Args:
        timeout: Seconds to wait for an answer before the request is retried.
        logger: The target's logger.
        sleep: The function that waits (replaced in tests of the backoff only).
    """

    def __init__(
        self,
        timeout: float,
        logger: logging.Logger,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.session = requests.Session()
        self.timeout = timeout
        self.logger = logger
        self.sleep = sleep
        self.calls: Counter[str] = Counter()

    @property
    def write_calls(self) -> int:
        """Calls that changed (or tried to change) the store."""
        return self.calls["write"]

    def send(
        self,
        build: Callable[[], requests.Request],
        check: Callable[[requests.Response], Any],
        *,
        writes: bool,
    ) -> Any:
        """Send a request, retrying what is retriable, and return what `check` makes of it.

        Args:
            build: Builds the request afresh for each attempt (signatures carry a nonce).
            check: Turns the answer into a result, or raises `RetriableError` or
                `StoreApiError`.
            writes: Whether the request changes the store (counted as a write call).

        Raises:
            StoreApiError: The store refused the request, or it failed `MAX_ATTEMPTS` times.
        """
        attempt = 0
        while True:
            attempt += 1
            self.calls["write" if writes else "read"] += 1
            try:
                response = self.session.send(
                    self.session.prepare_request(build()), timeout=self.timeout
                )
                if response.status_code == 429 or response.status_code >= 500:
                    raise RetriableError(describe(response), retry_after_seconds(response))
                return check(response)
            except (requests.ConnectionError, requests.Timeout) as error:
                failure: RetriableError = RetriableError(type(error).__name__)
            except RetriableError as error:
                failure = error
            if attempt == MAX_ATTEMPTS:
                raise StoreApiError(f"{failure}; gave up after {MAX_ATTEMPTS} attempts")
            wait = failure.wait_seconds
            if wait is None:
                wait = min(_FIRST_WAIT * 2 ** (attempt - 1), _MAX_WAIT)
            self.logger.warning("%s on attempt %d; retrying in %.1f s", failure, attempt, wait)
            self.sleep(wait)
