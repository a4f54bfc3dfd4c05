"""Who may call the REST API: WooCommerce's `WC_REST_Authentication`.

A request carries the store's API key in one of three ways:

- HTTP Basic with the consumer key and secret, or the `consumer_key` / `consumer_secret` query
  arguments. WooCommerce accepts these only over HTTPS (`is_ssl()`); the sandbox listens on
  plain HTTP and accepts them anyway, as a store behind a TLS-terminating proxy that sets
  `HTTPS=on` does.
- One-legged OAuth 1.0a in the query string or an `Authorization: OAuth` header
  (`oauth_consumer_key`, `oauth_timestamp`, `oauth_nonce`, `oauth_signature_method`
  HMAC-SHA1 or HMAC-SHA256, `oauth_signature`), the form WooCommerce expects over plain
  HTTP and that the official clients send there.
  The signing key is the consumer secret followed by "&"; the timestamp must be within 15
  minutes of the server's time and a nonce may be used once.

Bad credentials answer 401 with WooCommerce's error codes; a request without any credentials
is anonymous and is refused by the endpoint's permission check instead.
"""

from __future__ import annotations

import hmac
import logging
import sqlite3
import time
from dataclasses import dataclass
from urllib.parse import unquote

from oauthlib.oauth1 import Client
from oauthlib.oauth1.rfc5849 import signature, utils
from werkzeug.wrappers import Request

from sandbox.settings import WooCommerceSettings
from sandbox.woocommerce.errors import WooCommerceError

logger = logging.getLogger(__name__)

#: How far an OAuth timestamp may be from the server's clock, and how long nonces are kept.
OAUTH_WINDOW_SECONDS = 15 * 60

_OAUTH_REQUIRED = (
    "oauth_consumer_key",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_signature",
    "oauth_signature_method",
)
_SIGNERS = {
    "HMAC-SHA1": signature.sign_hmac_sha1_with_client,
    "HMAC-SHA256": signature.sign_hmac_sha256_with_client,
}


@dataclass(frozen=True)
class Caller:
    """Who a request was authenticated as; `None` from `authenticate` means anonymous."""

    consumer_key: str
    method: str


def _auth_error(
    message: str, code: str = "woocommerce_rest_authentication_error"
) -> WooCommerceError:
    return WooCommerceError(code, message, 401)


class Authenticator:
    """Checks a request's credentials against the store's one API key.

    Args:
        settings: The store's settings, holding the consumer key and secret.
    """

    def __init__(self, settings: WooCommerceSettings) -> None:
        self.consumer_key = settings.consumer_key
        self.consumer_secret = settings.consumer_secret
        # One-legged OAuth: the signing key is the consumer secret and an empty token secret.
        self._signing_client = Client(settings.consumer_key, client_secret=settings.consumer_secret)

    def authenticate(self, request: Request, db: sqlite3.Connection) -> Caller | None:
        """The caller, None for an anonymous request.

        Raises:
            WooCommerceError: Credentials were given and are wrong (401).
        """
        caller = self._basic(request)
        if caller is not None:
            return caller
        return self._oauth(request, db)

    def _basic(self, request: Request) -> Caller | None:
        key = request.args.get("consumer_key", "")
        secret = request.args.get("consumer_secret", "")
        method = "query_string"
        if not (key and secret) and request.authorization is not None:
            key = request.authorization.username or ""
            secret = request.authorization.password or ""
            method = "basic_auth"
        if not key or not secret:
            return None
        if not hmac.compare_digest(key, self.consumer_key):
            # An unknown key is not an error here: WooCommerce falls through to OAuth and
            # leaves the request anonymous.
            return None
        if not hmac.compare_digest(secret, self.consumer_secret):
            raise _auth_error("Consumer secret is invalid.")
        return Caller(key, method)

    def _oauth(self, request: Request, db: sqlite3.Connection) -> Caller | None:
        # PHP's $_GET keeps the last of repeated arguments, as WooCommerce signs them.
        oauth_params = dict(request.args.items(multi=True))
        if request.mimetype == "application/x-www-form-urlencoded":
            oauth_params.update(request.form.items(multi=True))
        header = request.headers.get("Authorization", "")
        if header.startswith("OAuth "):
            # WooCommerce also reads the oauth_* parameters of an `Authorization: OAuth` header.
            oauth_params.update(
                (name, value)
                for name, value in utils.parse_authorization_header(header)
                if name.startswith("oauth_")
            )
        present = [name for name in _OAUTH_REQUIRED if oauth_params.get(name)]
        if not present:
            return None
        missing = [name for name in _OAUTH_REQUIRED if not oauth_params.get(name)]
        if missing:
            noun = "parameter" if len(missing) == 1 else "parameters"
            raise _auth_error(
                f"Missing OAuth {noun} {', '.join(missing)}",
                "woocommerce_rest_authentication_missing_parameter",
            )
        if not hmac.compare_digest(oauth_params["oauth_consumer_key"], self.consumer_key):
            raise _auth_error("Consumer key is invalid.")

        self._check_signature(request, oauth_params)
        self._check_timestamp_and_nonce(
            db, oauth_params["oauth_timestamp"], oauth_params["oauth_nonce"]
        )
        return Caller(self.consumer_key, "oauth1")

    def _check_signature(self, request: Request, oauth_params: dict[str, str]) -> None:
        method = oauth_params["oauth_signature_method"]
        signer = _SIGNERS.get(method)
        if signer is None:
            raise _auth_error("Invalid signature - signature method is invalid.")
        provided = unquote(oauth_params["oauth_signature"].replace(" ", "+"))

        pairs = [(key, value) for key, value in oauth_params.items() if key != "oauth_signature"]
        base_uri = signature.base_string_uri(f"{request.host_url.rstrip('/')}{request.path}")
        base_string = signature.signature_base_string(
            request.method, base_uri, signature.normalize_parameters(pairs)
        )
        expected = signer(base_string, self._signing_client)
        if not hmac.compare_digest(expected, provided):
            logger.info(
                "woocommerce: OAuth signature mismatch on %s %s", request.method, request.path
            )
            raise _auth_error("Invalid signature - provided signature does not match.")

    def _check_timestamp_and_nonce(
        self, db: sqlite3.Connection, timestamp: str, nonce: str
    ) -> None:
        # The window is measured on the real clock, as the client stamps requests with it;
        # advancing the sandbox clock does not expire OAuth requests.
        now = int(time.time())
        try:
            stamp = int(timestamp)
        except ValueError:
            stamp = 0
        if abs(stamp - now) > OAUTH_WINDOW_SECONDS:
            raise _auth_error("Invalid timestamp.")

        db.execute("DELETE FROM wc_api_nonces WHERE timestamp < ?", (now - OAUTH_WINDOW_SECONDS,))
        used = db.execute(
            "SELECT 1 FROM wc_api_nonces WHERE consumer_key = ? AND nonce = ?",
            (self.consumer_key, nonce),
        ).fetchone()
        if used is not None:
            raise _auth_error("Invalid nonce - nonce has already been used.")
        db.execute(
            "INSERT INTO wc_api_nonces (consumer_key, nonce, timestamp) VALUES (?, ?, ?)",
            (self.consumer_key, nonce, stamp),
        )
