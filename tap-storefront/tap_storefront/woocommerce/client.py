"""The WooCommerce REST v3 client: authentication, paging and error handling."""

from __future__ import annotations

import typing as t
from datetime import UTC, datetime
from urllib.parse import urlparse

import requests
from requests.auth import AuthBase, HTTPBasicAuth
from requests_oauthlib import OAuth1
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError
from typing_extensions import override

from tap_storefront.http import RetryingStream

#: The REST API's root under the site URL.
API_ROOT = "/wp-json/wc/v3"


def gmt_bound(moment: datetime) -> str:
    """A `modified_after` value for `dates_are_gmt=true`: UTC, to the second, with no offset.

    WordPress converts a bound that carries an offset ("Z", "+00:00") into the store's local
    time before comparing it, even with the GMT column, so a "Z" bound would be off by the
    store's offset. A bound without an offset is compared as written.
    """
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def gmt_to_utc(value: str | None) -> str | None:
    """A WordPress `*_gmt` date (`2024-03-15T14:45:00`, no offset) as ISO 8601 UTC with Z."""
    if not value:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class WooCommerceStream(RetryingStream):
    """A paged WooCommerce REST v3 listing."""

    @property
    @override
    def url_base(self) -> str:
        """The REST API root of the configured site."""
        return str(self.config["base_url"]).rstrip("/") + API_ROOT

    def credentials(self) -> AuthBase:
        """HTTP Basic over HTTPS; one-legged OAuth 1.0a in the query over plain HTTP.

        WooCommerce accepts Basic credentials only over HTTPS; over HTTP it requires each
        request to be signed with the consumer secret, with a nonce used only once, so a
        retried request is signed again rather than resent.
        """
        key, secret = self.config["consumer_key"], self.config["consumer_secret"]
        if urlparse(str(self.config["base_url"])).scheme == "https":
            return HTTPBasicAuth(key, secret)
        return OAuth1(
            key, client_secret=secret, signature_type="query", signature_method="HMAC-SHA256"
        )

    def get_json(self, path: str, params: dict[str, t.Any]) -> requests.Response:
        """GET one page of the REST API, retried with backoff on 429, 5xx and lost answers."""
        return self.request_decorator(self._send)(path, params)

    def _send(self, path: str, params: dict[str, t.Any]) -> requests.Response:
        request = requests.Request(
            "GET",
            self.url_base + path,
            params=params,
            headers={"User-Agent": self.user_agent, "Accept": "application/json"},
            auth=self.credentials(),
        )
        response = self.requests_session.send(
            self.requests_session.prepare_request(request), timeout=self.timeout
        )
        self.validate_response(response)
        return response

    @property
    def per_page(self) -> int:
        """Records per page (WooCommerce allows at most 100)."""
        return int(self.config.get("per_page", 100))

    @override
    def validate_response(self, response: requests.Response) -> None:
        """Retry 429 and 5xx; stop with WooCommerce's own error code and message otherwise.

        Raises:
            RetriableAPIError: The store is overloaded or failing; worth another try.
            FatalAPIError: The request itself is wrong (credentials, permissions, a
                parameter); retrying would not help.
        """
        status = response.status_code
        if status == 429 or status >= 500:
            raise RetriableAPIError(self._describe(response), response)
        if status >= 400:
            hint = ""
            if status in (401, 403):
                hint = (
                    " Check `consumer_key` and `consumer_secret` and that the key has read "
                    "access (WooCommerce > Settings > Advanced > REST API)."
                )
            raise FatalAPIError(self._describe(response) + hint)
        try:
            response.json()
        except ValueError:
            raise RetriableAPIError(
                f"{self._path(response)} answered {status} with a body that is not JSON",
                response,
            ) from None

    def _describe(self, response: requests.Response) -> str:
        code, message = "", response.reason
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            code = str(body.get("code") or "")
            message = str(body.get("message") or message)
        detail = f" {code}:" if code else ""
        return (
            f"WooCommerce {self._path(response)} answered {response.status_code}{detail} {message}"
        )

    @staticmethod
    def _path(response: requests.Response) -> str:
        # The query string carries the OAuth signature and consumer key over plain HTTP.
        return f"{response.request.method} {urlparse(response.url).path}"
