"""One limit on the requests the tap has in flight at once, shared by every stream.

NetSuite counts concurrent requests per account across SOAP, REST and RESTlets (5 on the base
service tier, 10 more per SuiteCloud Plus licence) and answers 429 over the limit. Every
request of the tap, the OAuth 2.0 token request included, passes through one
`ConcurrencyLimit`, so the tap never takes more than `max_concurrent_requests` of the
account's slots. Other integrations of the same account, and other tap processes, are not
counted here: leave them their share when choosing the setting.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from requests.adapters import HTTPAdapter


class ConcurrencyLimit:
    """A counting semaphore that also remembers the most requests it saw in flight.

    Args:
        limit: Requests allowed in flight at once (at least 1).
    """

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"the concurrency limit must be at least 1, got {limit}")
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)
        self._lock = threading.Lock()
        self._in_flight = 0
        self.peak = 0

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one slot for the duration of a request, waiting for one if all are taken."""
        with self._slots:
            with self._lock:
                self._in_flight += 1
                self.peak = max(self.peak, self._in_flight)
            try:
                yield
            finally:
                with self._lock:
                    self._in_flight -= 1


class LimitedAdapter(HTTPAdapter):
    """Sends every request through the account's one concurrency limit."""

    def __init__(self, limit: ConcurrencyLimit) -> None:
        # A connection goes back to the pool only once its answer is read, a little after the
        # slot is freed: room for twice the limit keeps every connection reusable.
        super().__init__(pool_maxsize=2 * limit.limit, pool_connections=1)
        self.limit = limit

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        """Send a request once a slot of the concurrency limit is free."""
        with self.limit.slot():
            return super().send(request, **kwargs)


def limited_session(adapter: LimitedAdapter) -> requests.Session:
    """A session whose every request holds one slot of the adapter's limit while in flight."""
    session = requests.Session()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def retry_after(response: requests.Response | None) -> float | None:
    """The wait a `Retry-After` header asks for, in seconds, if the answer carries one."""
    if response is None:
        return None
    header = response.headers.get("Retry-After")
    if not header:
        return None
    try:
        return max(float(header), 0.0)
    except ValueError:
        moment = email.utils.parsedate_to_datetime(header)
        return max(moment.timestamp() - time.time(), 0.0)
