"""The Shopify Admin GraphQL client: authentication, cost-aware pacing and error handling.

Shopify charges every query from a leaky bucket of cost points (`extensions.cost`). The
client remembers the bucket's last reported state, waits until a query's requested cost (plus
the configured reserve) has been restored before sending it, retries THROTTLED answers after
the wait the bucket needs, and sizes pages so that no query requests more than
`max_query_cost` points (Shopify refuses queries over 1000).
"""

from __future__ import annotations

import math
import threading
import time
import typing as t
from dataclasses import dataclass, field

import requests
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError
from typing_extensions import override

from tap_storefront.http import RetryingStream

#: Shopify's largest page, and its largest requested cost per query.
MAX_PAGE_SIZE = 250
SHOPIFY_MAX_QUERY_COST = 1000


class ThrottledError(RetriableAPIError):
    """Shopify answered THROTTLED; `wait_seconds` is how long the bucket needs."""

    def __init__(self, message: str, response: requests.Response, wait_seconds: float) -> None:
        super().__init__(message, response)
        self.wait_seconds = wait_seconds


@dataclass
class CostBucket:
    """What the tap knows of the shop's cost bucket, shared by all streams of one run."""

    maximum: float = 1000.0
    available: float = 1000.0
    restore_rate: float = 50.0
    observed_at: float = field(default_factory=time.monotonic)
    spent: int = 0
    requested: int = 0
    queries: int = 0
    throttled: int = 0
    waited_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def observe(self, cost: dict[str, t.Any]) -> None:
        """Record an answer's `extensions.cost`."""
        status = cost.get("throttleStatus") or {}
        with self.lock:
            self.maximum = float(status.get("maximumAvailable") or self.maximum)
            self.available = float(status.get("currentlyAvailable", self.available))
            self.restore_rate = float(status.get("restoreRate") or self.restore_rate)
            self.observed_at = time.monotonic()
            self.spent += int(cost.get("actualQueryCost") or 0)
            self.requested += int(cost.get("requestedQueryCost") or 0)

    def wait_before(self, cost: float, reserve: float) -> float:
        """Seconds until `cost + reserve` points are available, by the last known state."""
        with self.lock:
            restored = (time.monotonic() - self.observed_at) * self.restore_rate
            estimate = min(self.maximum, self.available + restored)
            needed = min(self.maximum, cost + reserve) - estimate
        return max(0.0, needed / self.restore_rate) if needed > 0 else 0.0


def bucket_for(tap: t.Any) -> CostBucket:
    """The cost bucket of this tap run, created on first use."""
    bucket = getattr(tap, "_shopify_cost_bucket", None)
    if bucket is None:
        bucket = CostBucket()
        tap._shopify_cost_bucket = bucket
    return bucket


class ShopifyStream(RetryingStream):
    """A stream read through the Admin GraphQL API."""

    path = ""
    http_method = "POST"

    @property
    @override
    def url_base(self) -> str:
        """The shop's GraphQL endpoint for the configured API version."""
        version = self.config.get("api_version") or "2026-10"
        return f"{str(self.config['base_url']).rstrip('/')}/admin/api/{version}/graphql.json"

    @property
    def bucket(self) -> CostBucket:
        """The shop's cost bucket, as last reported."""
        return bucket_for(self._tap)

    @property
    def max_query_cost(self) -> int:
        """The most points one query may request."""
        return min(SHOPIFY_MAX_QUERY_COST, int(self.config.get("max_query_cost", 1000)))

    def graphql(
        self, query: str, variables: dict[str, t.Any], expected_cost: float
    ) -> dict[str, t.Any]:
        """Run one query, pacing on the bucket and retrying throttling and server failures.

        Returns:
            The answer's `data`, with `extensions.cost` under the `_cost` key.
        """
        reserve = float(self.config.get("bucket_reserve", 0))
        wait = self.bucket.wait_before(expected_cost, reserve)
        if wait > 0:
            self.logger.debug("Waiting %.1f s for %d cost points", wait, expected_cost)
            self.bucket.waited_seconds += wait
            time.sleep(wait)
        response = self.request_decorator(self._post)(query, variables)
        body = response.json()
        data = body.get("data") or {}
        data["_cost"] = (body.get("extensions") or {}).get("cost") or {}
        return data

    def _post(self, query: str, variables: dict[str, t.Any]) -> requests.Response:
        request = requests.Request(
            "POST",
            self.url_base,
            json={"query": query, "variables": variables},
            headers={
                "X-Shopify-Access-Token": str(self.config["access_token"]),
                "Content-Type": "application/json",
                "Accept": "application/json",
                "User-Agent": self.user_agent,
            },
        )
        response = self.requests_session.send(
            self.requests_session.prepare_request(request), timeout=self.timeout
        )
        self.bucket.queries += 1
        self.validate_response(response)
        return response

    @override
    def validate_response(self, response: requests.Response) -> None:
        """Sort Shopify's answers into success, retriable and fatal.

        Raises:
            ThrottledError: The bucket was empty (HTTP 200 with THROTTLED); retried after the
                time the bucket needs to refill.
            RetriableAPIError: 429 or 5xx.
            FatalAPIError: Bad token (401), shop frozen or locked (402, 423), missing
                scope (403), unknown API version (404), a query Shopify refuses.
        """
        status = response.status_code
        if status == 429 or status >= 500:
            raise RetriableAPIError(f"Shopify answered HTTP {status}", response)
        if status >= 400:
            raise FatalAPIError(self._http_error(response))
        try:
            body = response.json()
        except ValueError:
            raise RetriableAPIError(
                f"Shopify answered HTTP {status} with a body that is not JSON", response
            ) from None
        cost = (body.get("extensions") or {}).get("cost") or {}
        if cost:
            self.bucket.observe(cost)
        errors = body.get("errors") or []
        if not errors:
            return
        codes = {str((error.get("extensions") or {}).get("code")) for error in errors}
        if "THROTTLED" in codes:
            self.bucket.throttled += 1
            requested = float(cost.get("requestedQueryCost") or self.max_query_cost)
            reserve = float(self.config.get("bucket_reserve", 0))
            wait = self.bucket.wait_before(requested, reserve)
            raise ThrottledError("Shopify answered THROTTLED", response, max(wait, 0.5))
        messages = "; ".join(str(error.get("message")) for error in errors)
        if "MAX_COST_EXCEEDED" in codes:
            messages += f" (lower `max_query_cost`, now {self.max_query_cost})"
        raise FatalAPIError(f"Shopify refused the query: {messages}")

    def _http_error(self, response: requests.Response) -> str:
        hints = {
            401: "check `access_token`",
            402: "the shop is frozen (unpaid); nothing can be read until it is unfrozen",
            403: "the access token lacks a scope: read_products, read_inventory, "
            "read_locations and read_orders are needed",
            404: f"check `base_url` and that API version {self.config.get('api_version')} "
            "is supported",
            423: "the shop is locked",
        }
        hint = hints.get(response.status_code, response.reason)
        return f"Shopify answered HTTP {response.status_code}: {hint}"

    def paged(
        self,
        query: str,
        variables: dict[str, t.Any],
        connection: t.Callable[[dict[str, t.Any]], dict[str, t.Any]],
        per_node_cost: float,
    ) -> t.Iterator[dict[str, t.Any]]:
        """Every node of a connection, page by page, with page sizes kept under the cost cap.

        Args:
            query: A query taking `$first` and `$after` for the paged connection.
            variables: Its other variables.
            connection: Picks the paged connection out of the answer's data.
            per_node_cost: A first estimate of the cost of one node; the answers' requested
                cost replaces it.

        Yields:
            Each node.
        """
        after: str | None = None
        while True:
            first = self._page_size(per_node_cost)
            data = self.graphql(
                query, {**variables, "first": first, "after": after}, 2 + first * per_node_cost
            )
            requested = (data.get("_cost") or {}).get("requestedQueryCost")
            if requested:
                per_node_cost = max(1.0, (float(requested) - 2) / first)
            page = connection(data)
            yield from page.get("nodes") or []
            info = page.get("pageInfo") or {}
            if not info.get("hasNextPage"):
                return
            after = info.get("endCursor")

    def _page_size(self, per_node_cost: float) -> int:
        fits = math.floor((self.max_query_cost - 2) / max(per_node_cost, 1.0))
        return max(1, min(MAX_PAGE_SIZE, fits))
