"""Settings fail at start-up with a message naming the setting; both kinds of auth work."""

from __future__ import annotations

import pytest
from singer_sdk.exceptions import ConfigValidationError

from tap_netsuite_inventory.tap import TapNetSuiteInventory, account_host

SECRET = "s3cr3t-" + "9" * 40


def _errors(config: dict) -> list[str]:
    with pytest.raises(ConfigValidationError) as raised:
        TapNetSuiteInventory(config=config)
    assert SECRET not in str(raised.value)
    assert all(SECRET not in error for error in raised.value.errors)
    return raised.value.errors


def _base(**overrides) -> dict:
    config = {
        "account_id": "1234567_SB1",
        "consumer_key": SECRET,
        "consumer_secret": SECRET,
        "token_id": SECRET,
        "token_secret": SECRET,
        "account_time_zone": "America/New_York",
    }
    config.update(overrides)
    return {key: value for key, value in config.items() if value is not None}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"token_secret": None}, "token-based authentication is missing token_secret"),
        ({"client_id": SECRET}, "not both"),
        (
            {"consumer_key": None, "consumer_secret": None, "token_id": None, "token_secret": None},
            "no credentials",
        ),
        ({"account_time_zone": "Pacific Standard"}, "account_time_zone must be an IANA"),
        ({"account_time_zone": None}, "'account_time_zone' is a required property"),
        ({"page_size": 5000}, "5000 is greater than the maximum of 1000"),
        ({"item_types": ["InvtPart') OR 1=1 --"]}, "item_types holds"),
        ({"location_mapping": {"Main": "main"}}, "location_mapping keys are NetSuite location"),
        ({"base_url": "ftp://example.com"}, "base_url must be an http(s) URL"),
        ({"account_id": "1234567 SB1"}, "account_id must be the account id"),
    ],
)
def test_wrong_or_missing_settings_fail_with_an_actionable_message(overrides, expected):
    errors = _errors(_base(**overrides))
    assert any(expected in error for error in errors), errors


def test_a_private_key_that_is_not_pem_is_refused_without_being_echoed():
    config = _base(
        consumer_key=None,
        consumer_secret=None,
        token_id=None,
        token_secret=None,
        client_id="abc",
        certificate_id="cert",
        private_key=SECRET,
    )
    assert _errors(config) == [
        "private_key is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)"
    ]


def test_base_url_defaults_to_the_account_host():
    tap = TapNetSuiteInventory(config=_base())
    assert account_host("1234567_SB1") == "1234567-sb1"
    assert tap.base_url == "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest"


def test_settings_declare_credentials_secret():
    properties = TapNetSuiteInventory.config_jsonschema["properties"]
    secret = {name for name, spec in properties.items() if spec.get("secret")}
    assert secret == {
        "consumer_key",
        "consumer_secret",
        "token_id",
        "token_secret",
        "client_id",
        "private_key",
    }


def test_oauth2_client_credentials_sync(config, run_tap, admin):
    key = admin.m2m_key()
    m2m = {
        name: value
        for name, value in config.items()
        if name not in ("consumer_key", "consumer_secret", "token_id", "token_secret")
    }
    m2m.update(
        client_id=key["client_id"],
        certificate_id=key["certificate_id"],
        private_key=key["private_key_pem"],
    )

    admin.fault(kind="error", match="oauth2", status=503, count=1)

    run = run_tap(m2m, streams=("locations", "price_levels"))

    assert run.keys("locations", "name") == ["Main Warehouse", "East Coast DC", "Flagship Store"]
    assert run.keys("price_levels", "name") == ["Base Price", "Online Price", "MSRP", "Wholesale"]
    assert admin.calls()["endpoints"] == {
        "POST /services/rest/auth/oauth2/v1/token": 2,
        "POST /services/rest/query/v1/suiteql": 2,
    }
    assert key["private_key_pem"] not in run.log


def test_secrets_never_reach_the_log_or_the_state(config, run_tap):
    run = run_tap(config)
    for name in ("consumer_key", "consumer_secret", "token_id", "token_secret"):
        assert config[name] not in run.log
        assert config[name] not in str(run.messages)
