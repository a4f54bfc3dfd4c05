"""Token-based authentication and OAuth 2.0 M2M against the NetSuite emulator."""

from __future__ import annotations

import time
import uuid

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import ec

from sandbox.server import Sandbox

INVALID_LOGIN = (
    "Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at "
    "Setup > Users/Roles > User Management > View Login Audit Trail."
)


def assert_invalid_login(response: requests.Response) -> None:
    assert response.status_code == 401
    body = response.json()
    assert body["status"] == 401
    assert body["title"] == "Unauthorized"
    assert body["o:errorDetails"] == [{"detail": INVALID_LOGIN, "o:errorCode": "INVALID_LOGIN"}]


def test_oauth1_session_posts_suiteql_with_json_body_and_query(netsuite):
    response = netsuite.suiteql("SELECT id, itemid FROM item ORDER BY id", limit=2, offset=0)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["items"]] == ["1", "2"]


def test_oauth1_signs_get_with_awkward_query_characters(netsuite):
    response = netsuite.record("customer", params={"q": 'email START_WITH "a"'})

    assert response.status_code == 200


def test_header_names_realm_and_hmac_sha256(netsuite, tba):
    prepared = requests.Request(
        "POST", f"{netsuite.url}/query/v1/suiteql", json={"q": "SELECT id FROM item"}
    ).prepare()
    signed = tba(netsuite.settings)(prepared)
    header = signed.headers["Authorization"].decode()

    assert header.startswith('OAuth realm="1234567_SB1"')
    assert 'oauth_signature_method="HMAC-SHA256"' in header


def test_wrong_token_secret_is_refused(netsuite, tba):
    auth = tba(netsuite.settings, resource_owner_secret="f" * 64)

    response = requests.get(f"{netsuite.url}/record/v1/customer/101", auth=auth)

    assert_invalid_login(response)


def test_unknown_consumer_key_is_refused(netsuite, tba):
    auth = tba(netsuite.settings, client_key="c" * 64)

    assert_invalid_login(requests.get(f"{netsuite.url}/record/v1/customer/101", auth=auth))


def test_tampered_signature_is_refused(netsuite, tba):
    prepared = requests.Request("GET", f"{netsuite.url}/record/v1/customer/101").prepare()
    header = tba(netsuite.settings)(prepared).headers["Authorization"].decode()
    start = header.index('oauth_signature="') + len('oauth_signature="')
    tampered = header[:start] + "AAAA" + header[start + 4 :]

    response = requests.get(prepared.url, headers={"Authorization": tampered})

    assert_invalid_login(response)


def test_signature_covers_query_parameters(netsuite, tba):
    prepared = requests.Request(
        "POST", f"{netsuite.url}/query/v1/suiteql?limit=5", json={"q": "SELECT id FROM item"}
    ).prepare()
    header = tba(netsuite.settings)(prepared).headers["Authorization"]

    response = requests.post(
        f"{netsuite.url}/query/v1/suiteql?limit=6",
        data=prepared.body,
        headers={"Authorization": header, "Content-Type": "application/json"},
    )

    assert_invalid_login(response)


def test_replayed_nonce_is_refused(netsuite, tba):
    prepared = requests.Request("GET", f"{netsuite.url}/record/v1/customer/101").prepare()
    header = tba(netsuite.settings)(prepared).headers["Authorization"]

    first = requests.get(prepared.url, headers={"Authorization": header})
    replay = requests.get(prepared.url, headers={"Authorization": header})

    assert first.status_code == 200
    assert_invalid_login(replay)


def test_wrong_realm_is_refused(netsuite, tba):
    auth = tba(netsuite.settings, realm="1234567-sb1")

    assert_invalid_login(requests.get(f"{netsuite.url}/record/v1/customer/101", auth=auth))


def test_stale_timestamp_is_refused(netsuite, tba):
    auth = tba(netsuite.settings, timestamp=str(int(time.time()) - 3600))

    assert_invalid_login(requests.get(f"{netsuite.url}/record/v1/customer/101", auth=auth))


def test_missing_authorization_is_refused(netsuite):
    assert_invalid_login(requests.get(f"{netsuite.url}/record/v1/customer/101"))


# OAuth 2.0 client credentials (machine to machine).


def assertion(sandbox: Sandbox, key: object, **changes: object) -> str:
    settings = sandbox.settings.netsuite
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": settings.client_id,
        "scope": ["rest_webservices"],
        "aud": f"{sandbox.netsuite_url}/auth/oauth2/v1/token",
        "iat": now,
        "exp": now + 3600,
    }
    headers = {"kid": changes.pop("kid", settings.certificate_id), "typ": "JWT"}
    claims.update(changes)
    return jwt.encode(claims, key, algorithm="ES256", headers=headers)


def request_token(sandbox: Sandbox, signed: str) -> requests.Response:
    return requests.post(
        f"{sandbox.netsuite_url}/auth/oauth2/v1/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": signed,
        },
    )


def private_key(sandbox: Sandbox, netsuite: object) -> str:
    published = requests.get(f"{netsuite.admin}/m2m-key").json()
    assert published["private_key_pem"] == sandbox.netsuite.m2m_private_key_pem()
    assert published["certificate_id"] == sandbox.settings.netsuite.certificate_id
    return published["private_key_pem"]


def test_m2m_token_flow_then_bearer_requests(sandbox: Sandbox, netsuite):
    key = private_key(sandbox, netsuite)

    answer = request_token(sandbox, assertion(sandbox, key))

    assert answer.status_code == 200
    token = answer.json()
    assert token["expires_in"] == "3600"
    assert token["token_type"] == "bearer"
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    response = requests.post(
        f"{netsuite.url}/query/v1/suiteql?limit=1",
        json={"q": "SELECT id FROM item ORDER BY id"},
        headers=bearer,
    )
    assert response.status_code == 200
    assert response.json()["items"] == [{"links": [], "id": "1"}]


def test_bearer_expires_after_an_hour(sandbox: Sandbox, netsuite):
    token = request_token(sandbox, assertion(sandbox, private_key(sandbox, netsuite)))
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}

    requests.post(f"{netsuite.admin}/clock", json={"advance_seconds": 3601})

    assert_invalid_login(requests.get(f"{netsuite.url}/record/v1/customer/101", headers=bearer))


def test_unknown_bearer_is_refused(netsuite):
    headers = {"Authorization": f"Bearer {uuid.uuid4().hex}"}

    assert_invalid_login(requests.get(f"{netsuite.url}/record/v1/customer/101", headers=headers))


def test_bad_assertions_are_refused(sandbox: Sandbox, netsuite):
    key = private_key(sandbox, netsuite)
    stranger = ec.generate_private_key(ec.SECP256R1())
    now = int(time.time())
    bad = [
        assertion(sandbox, stranger),
        assertion(sandbox, key, kid="another-certificate"),
        assertion(sandbox, key, aud="https://elsewhere.example.com/token"),
        assertion(sandbox, key, iss="some-other-client"),
        assertion(sandbox, key, scope=["restlets"]),
        assertion(sandbox, key, exp=now + 7200),
        assertion(sandbox, key, iat=now - 7200, exp=now - 3600),
    ]

    for signed in bad:
        response = request_token(sandbox, signed)
        assert response.status_code == 400
        assert response.json() == {"error": "invalid_grant"}


def test_token_request_needs_client_credentials_grant(sandbox: Sandbox):
    response = requests.post(
        f"{sandbox.netsuite_url}/auth/oauth2/v1/token", data={"grant_type": "password"}
    )

    assert response.status_code == 400
    assert response.json() == {"error": "unsupported_grant_type"}
