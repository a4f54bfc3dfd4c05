"""One limit on the requests the tap has in flight at once, shared by every stream.

NetSuite counts concurrent requests per account across SOAP, REST and RESTlets (5 on the base
service tier, 10 more per SuiteCloud Plus licence) and answers 429 over the limit. Every
request of the tap, the OAuth 2.0 token request included, passes through one
`ConcurrencyLimit`, so the tap never takes more than `max_concurrent_requests` of the
account's slots. Other integrations of the same account, and other tap processes, are not
counted here: leave them their share when choosing the setting.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


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
