"""Authentication of every API request: token-based (OAuth 1.0a) and OAuth 2.0 M2M.

Token-based authentication is verified by oauthlib's resource endpoint: the RFC 5849
signature base string (query parameters included, a JSON body not), HMAC-SHA256 with
`consumer_secret&token_secret`, a realm equal to the account id, a timestamp within the
window and a nonce never seen before with that timestamp.

OAuth 2.0 client credentials: the client signs a JWT assertion with the private half of a
certificate it registered (here a demo EC P-256 key derived from a fixed number, so every
sandbox "has registered" the same public key) and trades it for a bearer token.
"""

from __future__ import annotations

import logging
import secrets
import threading
from datetime import timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from oauthlib.oauth1 import RequestValidator, ResourceEndpoint
from oauthlib.oauth1.rfc5849 import SIGNATURE_HMAC_SHA1, SIGNATURE_HMAC_SHA256
from werkzeug.wrappers import Request, Response

from sandbox.clock import Clock
from sandbox.emulator import json_response
from sandbox.netsuite.errors import invalid_login
from sandbox.settings import NetSuiteSettings

logger = logging.getLogger(__name__)

#: The private number of the demo M2M key pair; public knowledge, like the rest of the sandbox.
_M2M_PRIVATE_NUMBER = 0x5A4DB0C5_2026_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_1234
TOKEN_LIFETIME_SECONDS = 3600
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class _TokenValidator(RequestValidator):
    """What oauthlib needs to know about the account's one integration and access token."""

    enforce_ssl = False
    allowed_signature_methods = (SIGNATURE_HMAC_SHA256, SIGNATURE_HMAC_SHA1)
    client_key_length = (16, 128)
    access_token_length = (16, 128)
    nonce_length = (6, 64)
    dummy_client = "0" * 64
    dummy_access_token = "0" * 64

    def __init__(self, settings: NetSuiteSettings) -> None:
        super().__init__()
        self.settings = settings
        self._seen: set[tuple[str, str, str, str]] = set()
        self._lock = threading.Lock()

    @property
    def safe_characters(self) -> set[str]:  # type: ignore[override]
        """Characters a key, token or nonce may hold."""
        return set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")

    def validate_client_key(self, client_key: str, request: Any) -> bool:
        """Whether the consumer key is the integration record's."""
        return secrets.compare_digest(client_key, self.settings.consumer_key)

    def validate_access_token(self, client_key: str, token: str, request: Any) -> bool:
        """Whether the token id is the access token's."""
        return secrets.compare_digest(token, self.settings.token_id)

    def get_client_secret(self, client_key: str, request: Any) -> str:
        """The consumer secret; a dummy one for an unknown key keeps timing even."""
        if client_key == self.settings.consumer_key:
            return self.settings.consumer_secret
        return "0" * 64

    def get_access_token_secret(self, client_key: str, token: str, request: Any) -> str:
        """The token secret; a dummy one for an unknown token."""
        if token == self.settings.token_id:
            return self.settings.token_secret
        return "0" * 64

    def validate_timestamp_and_nonce(
        self,
        client_key: str,
        timestamp: str,
        nonce: str,
        request: Any,
        request_token: str | None = None,
        access_token: str | None = None,
    ) -> bool:
        """Refuse a nonce already used with the same timestamp (NetSuite's NonceUsed)."""
        key = (client_key, timestamp, nonce, access_token or "")
        with self._lock:
            if key in self._seen:
                return False
            self._seen.add(key)
        return True

    def validate_realms(
        self, client_key: str, token: str, request: Any, uri: str | None = None, realms: Any = None
    ) -> bool:
        """The realm must be the account id exactly as NetSuite spells it (`1234567_SB1`)."""
        return request.realm == self.settings.account_id


class Authenticator:
    """Checks the `Authorization` header of API requests and issues M2M access tokens.

    Args:
        settings: The account's credentials.
        clock: The sandbox clock; access tokens expire by it, so tests can step past them.
    """

    def __init__(self, settings: NetSuiteSettings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self._endpoint = ResourceEndpoint(_TokenValidator(settings))
        self._private_key = ec.derive_private_key(_M2M_PRIVATE_NUMBER, ec.SECP256R1())
        self._public_key = self._private_key.public_key()
        # Issued tokens and used nonces live in memory: a sandbox restarted from a state
        # directory forgets them, and clients simply fetch a new token.
        self._tokens: dict[str, Any] = {}
        self._lock = threading.Lock()

    def m2m_private_key_pem(self) -> str:
        """The private key (PKCS#8 PEM) whose certificate the sandbox account has registered."""
        return self._private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")

    def m2m_public_key_pem(self) -> str:
        """The registered certificate's public key (SubjectPublicKeyInfo PEM)."""
        return self._public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")

    def authenticate(self, request: Request) -> None:
        """Accept the request's credentials or raise the 401 INVALID_LOGIN.

        Raises:
            NetSuiteError: The header is missing, unknown or its signature does not verify.
        """
        header = request.headers.get("Authorization", "")
        if header[:7].lower() == "bearer ":
            self._check_bearer(header[7:].strip())
            return
        if header[:6].lower() != "oauth ":
            raise invalid_login()

        body: str | None = None
        if request.mimetype == "application/x-www-form-urlencoded":
            body = request.get_data(as_text=True)
        raw_target = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
        url = f"{request.scheme}://{request.host}{raw_target}" if raw_target else request.url
        try:
            valid, _ = self._endpoint.validate_protected_resource_request(
                url,
                http_method=request.method,
                body=body,
                headers={"Authorization": header},
            )
        except ValueError:
            valid = False
        if not valid:
            logger.info("netsuite: token-based authentication refused for %s", request.path)
            raise invalid_login()

    def _check_bearer(self, token: str) -> None:
        with self._lock:
            expires = self._tokens.get(token)
        if expires is None or expires <= self.clock.now():
            raise invalid_login()

    def token_response(self, request: Request) -> Response:
        """Answer `POST /auth/oauth2/v1/token` for the client credentials grant."""
        form = request.form
        if form.get("grant_type") != "client_credentials":
            return json_response({"error": "unsupported_grant_type"}, 400)
        if form.get("client_assertion_type") != ASSERTION_TYPE or not form.get("client_assertion"):
            return json_response({"error": "invalid_request"}, 400)

        try:
            self._verify_assertion(form["client_assertion"], request.base_url)
        except (jwt.PyJWTError, ValueError) as error:
            logger.info("netsuite: M2M client assertion refused: %s", type(error).__name__)
            return json_response({"error": "invalid_grant"}, 400)

        token = secrets.token_urlsafe(48)
        with self._lock:
            self._tokens[token] = self.clock.now() + timedelta(seconds=TOKEN_LIFETIME_SECONDS)
        return json_response(
            {
                "access_token": token,
                "expires_in": str(TOKEN_LIFETIME_SECONDS),
                "token_type": "bearer",
            }
        )

    def _verify_assertion(self, assertion: str, token_url: str) -> None:
        header = jwt.get_unverified_header(assertion)
        if header.get("kid") != self.settings.certificate_id:
            raise ValueError("unknown certificate id")
        claims = jwt.decode(
            assertion,
            self._public_key,
            algorithms=["ES256", "PS256"],
            audience=token_url,
            issuer=self.settings.client_id,
            options={"require": ["iss", "aud", "iat", "exp"]},
        )
        scope = claims.get("scope")
        scopes = scope.split() if isinstance(scope, str) else list(scope or [])
        if "rest_webservices" not in scopes:
            raise ValueError("the assertion does not ask for rest_webservices")
        if int(claims["exp"]) - int(claims["iat"]) > TOKEN_LIFETIME_SECONDS:
            raise ValueError("the assertion lives longer than an hour")
