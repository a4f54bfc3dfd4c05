"""Authentication to SuiteTalk REST: token-based (OAuth 1.0a) or OAuth 2.0 client credentials.

Token-based authentication signs every request with HMAC-SHA256 over the RFC 5849 base string
(query parameters included, a JSON body not) and a realm equal to the account id as NetSuite
spells it (`1234567_SB1`). requests-oauthlib draws a fresh nonce and timestamp on every call,
so a retried request is signed anew rather than replayed.

OAuth 2.0 machine-to-machine: the tap signs a short-lived JWT with the private key of the
certificate registered on the integration, trades it for a bearer token at
`/auth/oauth2/v1/token`, and reuses the token until shortly before it expires.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from requests.auth import AuthBase
from requests_oauthlib import OAuth1
from singer_sdk import typing as th
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError

#: What the token endpoint is asked for, and how the assertion is presented.
M2M_SCOPE = ["rest_webservices"]
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
#: Lifetime of a client assertion; NetSuite refuses more than an hour.
ASSERTION_SECONDS = 300
#: A token is renewed this long before NetSuite says it expires.
RENEW_MARGIN_SECONDS = 120


class AuthenticationError(FatalAPIError):
    """NetSuite refused the credentials; the message says what to check, never a secret."""


def token_based_auth(
    account_id: str,
    consumer_key: str,
    consumer_secret: str,
    token_id: str,
    token_secret: str,
) -> OAuth1:
    """Token-based authentication (TBA) for one integration record and one access token.

    Args:
        account_id: The account id as NetSuite shows it (`1234567_SB1`); it is the realm.
        consumer_key: The integration record's consumer key.
        consumer_secret: The integration record's consumer secret.
        token_id: The access token's id.
        token_secret: The access token's secret.
    """
    return OAuth1(
        client_key=consumer_key,
        client_secret=consumer_secret,
        resource_owner_key=token_id,
        resource_owner_secret=token_secret,
        signature_method="HMAC-SHA256",
        realm=account_id,
    )


def signing_algorithm(private_key_pem: str) -> str:
    """The JWT algorithm NetSuite accepts for a private key: ES256 for EC, PS256 for RSA.

    Raises:
        ValueError: The text is not an unencrypted PEM private key of either kind; the message
            never repeats the key.
    """
    try:
        key = load_pem_private_key(private_key_pem.encode(), password=None)
    except (ValueError, TypeError):
        raise ValueError(
            "private_key is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)"
        ) from None
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return "ES256"
    if isinstance(key, rsa.RSAPrivateKey):
        return "PS256"
    raise ValueError("private_key must be an EC (P-256) or RSA key")


class ClientCredentialsAuth(AuthBase):
    """OAuth 2.0 client credentials with a JWT assertion; bearer tokens are cached and shared.

    Args:
        token_url: `{base_url}/auth/oauth2/v1/token`.
        client_id: The integration record's client id (the assertion's issuer).
        certificate_id: The id NetSuite gave the uploaded certificate (the assertion's `kid`).
        private_key_pem: The certificate's private key.
        send: Posts the token request; the tap passes one that honours its concurrency limit.
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        certificate_id: str,
        private_key_pem: str,
        send: Callable[..., requests.Response] | None = None,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self.certificate_id = certificate_id
        self._private_key = private_key_pem
        self._algorithm = signing_algorithm(private_key_pem)
        self._send = send or requests.post
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        """Put the bearer token on a request."""
        request.headers["Authorization"] = f"Bearer {self.access_token()}"
        return request

    def __repr__(self) -> str:
        return f"ClientCredentialsAuth(token_url={self.token_url!r})"

    def access_token(self) -> str:
        """A valid access token, fetched again when the cached one is about to expire.

        Raises:
            AuthenticationError: NetSuite refused the assertion.
        """
        with self._lock:
            if self._token is None or time.monotonic() >= self._expires_at:
                self._token, lifetime = self._fetch()
                self._expires_at = time.monotonic() + max(lifetime - RENEW_MARGIN_SECONDS, 0)
            return self._token

    def forget(self) -> None:
        """Drop the cached token, so the next request fetches a new one."""
        with self._lock:
            self._token = None

    def _assertion(self) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.client_id,
            "scope": M2M_SCOPE,
            "aud": self.token_url,
            "iat": now,
            "exp": now + ASSERTION_SECONDS,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(
            claims,
            self._private_key,
            algorithm=self._algorithm,
            headers={"kid": self.certificate_id, "typ": "JWT"},
        )

    def _fetch(self) -> tuple[str, float]:
        response = self._send(
            self.token_url,
            data={
                "grant_type": "client_credentials",
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": self._assertion(),
            },
            timeout=60,
        )
        if response.status_code in (400, 401, 403):
            raise AuthenticationError(
                f"NetSuite refused the OAuth 2.0 client credentials ({response.status_code} "
                f"{_oauth_error(response)}): check client_id, certificate_id and private_key, "
                "that the certificate is uploaded to this integration for a role with REST web "
                "services permission, and that it has not expired"
            )
        if response.status_code == 429 or response.status_code >= 500:
            raise RetriableAPIError(
                f"NetSuite's token endpoint answered {response.status_code}", response
            )
        response.raise_for_status()
        body = response.json()
        return str(body["access_token"]), float(body.get("expires_in", 3600))


def _oauth_error(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return "no error code"
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return body["error"]
    return "no error code"


#: The settings that reach one NetSuite account, shared by every plugin that talks to NetSuite:
#: the account, the REST base URL, and token-based or OAuth 2.0 client-credentials secrets.
ACCOUNT_SETTINGS: tuple[th.Property, ...] = (
    th.Property(
        "account_id",
        th.StringType,
        required=True,
        title="Account ID",
        description="NetSuite account id as Setup > Company > Company Information shows "
        "it, such as 1234567 or 1234567_SB1 for a sandbox account.",
    ),
    th.Property(
        "base_url",
        th.StringType,
        title="Base URL",
        description="SuiteTalk REST base URL. Defaults to "
        "https://{account host}.suitetalk.api.netsuite.com/services/rest; set it only to "
        "reach a proxy or the local sandbox.",
    ),
    th.Property(
        "consumer_key",
        th.StringType,
        secret=True,
        title="Consumer Key",
        description="Token-based authentication: the integration record's consumer key.",
    ),
    th.Property(
        "consumer_secret",
        th.StringType,
        secret=True,
        title="Consumer Secret",
        description="Token-based authentication: the integration record's consumer secret.",
    ),
    th.Property(
        "token_id",
        th.StringType,
        secret=True,
        title="Token ID",
        description="Token-based authentication: the access token's id.",
    ),
    th.Property(
        "token_secret",
        th.StringType,
        secret=True,
        title="Token Secret",
        description="Token-based authentication: the access token's secret.",
    ),
    th.Property(
        "client_id",
        th.StringType,
        secret=True,
        title="OAuth 2.0 Client ID",
        description="OAuth 2.0 client credentials (M2M): the integration record's client "
        "id. Use instead of token-based authentication.",
    ),
    th.Property(
        "certificate_id",
        th.StringType,
        title="OAuth 2.0 Certificate ID",
        description="OAuth 2.0 client credentials (M2M): the id NetSuite gave the "
        "certificate uploaded under Setup > Integration > OAuth 2.0 Client Credentials.",
    ),
    th.Property(
        "private_key",
        th.StringType,
        secret=True,
        title="OAuth 2.0 Private Key",
        description="OAuth 2.0 client credentials (M2M): the certificate's private key, "
        "PEM, unencrypted (EC P-256 signs ES256, RSA signs PS256).",
    ),
)
