"""Retry behaviour both platforms share: which answers to retry and how long to wait."""

from __future__ import annotations

import typing as t
from collections.abc import Generator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests
from singer_sdk.exceptions import RetriableAPIError
from singer_sdk.streams import RESTStream
from typing_extensions import override

#: First wait after a failure; each further failure doubles it, up to `_MAX_WAIT`.
_FIRST_WAIT = 0.5
_MAX_WAIT = 30.0
#: Longest `Retry-After` honoured; a longer one is waited in several rounds.
_MAX_RETRY_AFTER = 120.0


def retry_after_seconds(response: requests.Response | None) -> float | None:
    """The wait a `Retry-After` header asks for (seconds or an HTTP date), if any."""
    if response is None:
        return None
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


class RetryingStream(RESTStream):
    """A REST stream that retries 429, 5xx, timeouts and dropped connections with backoff.

    The wait is the server's `Retry-After` when it sends one, else exponential from half a
    second. Subclasses may raise `RetriableAPIError` with a `wait_seconds` attribute (for
    example from Shopify's cost bucket) to wait exactly that long.
    """

    @property
    @override
    def timeout(self) -> int:
        """Seconds to wait for an answer before the request is retried."""
        return int(self.config.get("request_timeout", 60))

    @override
    def backoff_max_tries(self) -> int:
        """Attempts per request before the sync fails."""
        return 8

    @override
    def backoff_wait_generator(self) -> Generator[float, t.Any, None]:
        """Waits for one request's retries: `Retry-After`, a requested wait, or exponential."""
        attempt = 0
        exception = yield  # type: ignore[misc]
        while True:
            attempt += 1
            exception = yield self._wait_for(exception, attempt)

    @override
    def backoff_jitter(self, value: float) -> float:
        """A little jitter on exponential waits; none on waits the server asked for."""
        return value

    @staticmethod
    def _wait_for(exception: BaseException | None, attempt: int) -> float:
        requested = getattr(exception, "wait_seconds", None)
        if requested is not None:
            return float(requested)
        if isinstance(exception, RetriableAPIError):
            asked = retry_after_seconds(exception.response)
            if asked is not None:
                return min(asked, _MAX_RETRY_AFTER)
        return min(_FIRST_WAIT * 2 ** (attempt - 1), _MAX_WAIT)

    @override
    def backoff_handler(self, details: t.Any) -> None:
        """Log each retry: what failed and how long the tap waits (never the URL's query)."""
        exception = details.get("exception")
        response = getattr(exception, "response", None)
        reason = (
            f"HTTP {response.status_code}"
            if response is not None
            else type(exception).__name__
            if exception is not None
            else "an error"
        )
        self.logger.warning(
            "%s: %s on attempt %d; retrying in %.1f s",
            self.name,
            reason,
            details.get("tries", 0),
            details.get("wait", 0.0),
        )
