"""Fixtures of the NetSuite emulator tests: a small account and a signed REST client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import requests
from requests_oauthlib import OAuth1, OAuth1Session

from sandbox.server import Sandbox
from sandbox.settings import NetSuiteSettings, SandboxSettings


@pytest.fixture
def netsuite_settings() -> NetSuiteSettings:
    """The emulated account; override in a module to lower caps."""
    return NetSuiteSettings()


@pytest.fixture
def sandbox_settings(netsuite_settings: NetSuiteSettings) -> SandboxSettings:
    """A small catalogue with two locations."""
    return SandboxSettings(skus=30, seed=11, locations=2, netsuite=netsuite_settings)


@dataclass
class NetSuiteClient:
    """A token-based-authentication client of the running emulator."""

    url: str
    admin: str
    session: OAuth1Session
    settings: NetSuiteSettings

    def suiteql(self, query: str, limit: int | None = None, offset: int | None = None) -> Any:
        """POST a SuiteQL query, as a client does."""
        params = {}
        if limit is not None:
            params["limit"] = limit
        if offset is not None:
            params["offset"] = offset
        return self.session.post(
            f"{self.url}/query/v1/suiteql",
            params=params,
            json={"q": query},
            headers={"Prefer": "transient"},
        )

    def rows(self, query: str) -> list[dict[str, str]]:
        """The rows of a query that must succeed (first page)."""
        response = self.suiteql(query)
        assert response.status_code == 200, response.text
        return response.json()["items"]

    def record(self, path: str, **kwargs: Any) -> requests.Response:
        """GET a record API path under `/record/v1/`."""
        return self.session.get(f"{self.url}/record/v1/{path}", **kwargs)


def _tba(settings: NetSuiteSettings, **overrides: Any) -> OAuth1:
    values = {
        "client_key": settings.consumer_key,
        "client_secret": settings.consumer_secret,
        "resource_owner_key": settings.token_id,
        "resource_owner_secret": settings.token_secret,
        "signature_method": "HMAC-SHA256",
        "realm": settings.account_id,
    }
    values.update(overrides)
    return OAuth1(**values)


@pytest.fixture
def netsuite(sandbox: Sandbox) -> NetSuiteClient:
    """A signed client of the sandbox's NetSuite account."""
    settings = sandbox.settings.netsuite
    session = OAuth1Session(
        settings.consumer_key,
        client_secret=settings.consumer_secret,
        resource_owner_key=settings.token_id,
        resource_owner_secret=settings.token_secret,
        signature_method="HMAC-SHA256",
        realm=settings.account_id,
    )
    admin = sandbox.netsuite_url.removesuffix("/services/rest") + "/_sandbox"
    return NetSuiteClient(sandbox.netsuite_url, admin, session, settings)


@pytest.fixture
def tba() -> Any:
    """A factory of requests-oauthlib signers configured as for a real account."""
    return _tba
