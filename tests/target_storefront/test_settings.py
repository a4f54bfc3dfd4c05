"""Start-up checks: each failure names the setting to fix, never a secret's value."""

from __future__ import annotations

from pathlib import Path

import pytest
from singer_sdk.exceptions import ConfigValidationError

from sandbox.server import Sandbox
from target_storefront.target import TargetStorefront

from .conftest import target_config


def _error(config: dict) -> str:
    with pytest.raises(ConfigValidationError) as raised:
        TargetStorefront(config=config)
    return f"{raised.value} {getattr(raised.value, 'errors', '')}"


def test_a_missing_credential_is_named_and_no_secret_is_echoed(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    config = target_config(sandbox, "woocommerce", tmp_path)
    del config["consumer_secret"]

    message = _error(config)

    assert "consumer_secret" in message
    assert sandbox.settings.woocommerce.consumer_key not in message


def test_shopify_needs_its_token_and_a_quarterly_api_version(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    config = target_config(sandbox, "shopify", tmp_path)
    assert "api_version must be YYYY-MM" in _error({**config, "api_version": "2026-05"})
    del config["access_token"]
    assert "access_token" in _error(config)


def test_an_ownership_file_with_an_unknown_field_is_a_configuration_error(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    ownership = tmp_path / "ownership.yml"
    ownership.write_text("mode: two_way\nfields:\n  weight: netsuite\n")
    config = target_config(sandbox, "shopify", tmp_path, ownership_path=str(ownership))

    message = _error(config)

    assert "unknown field 'weight'" in message
    assert str(ownership) in message


def test_a_two_way_ownership_file_must_list_every_field(sandbox: Sandbox, tmp_path: Path) -> None:
    ownership = tmp_path / "ownership.yml"
    ownership.write_text("mode: two_way\nfields:\n  price: netsuite\n")

    message = _error(target_config(sandbox, "shopify", tmp_path, ownership_path=str(ownership)))

    assert "missing: name, description" in message


def test_a_wrong_token_stops_the_run_with_what_to_check(sandbox: Sandbox, tmp_path: Path) -> None:
    config = target_config(sandbox, "shopify", tmp_path, access_token="shpat_wrong")
    target = TargetStorefront(config=config)

    with pytest.raises(Exception, match="check `access_token`") as raised:
        _ = target.store_locations

    assert "shpat_wrong" not in str(raised.value)
