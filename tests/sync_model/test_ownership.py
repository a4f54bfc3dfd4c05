"""ownership.yml: validated at load, one owner per field, drops counted per field."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sync_model.ownership import SYNCED_FIELDS, FieldOwnership, OwnershipError, OwnershipFilter

REPOSITORY = Path(__file__).parents[2]

TWO_WAY = """
mode: two_way
fields:
  name: netsuite
  price: netsuite
  compare_at_price: netsuite
  description: storefront
  short_description: storefront
  categories: storefront
  images: storefront
  inventory: netsuite
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ownership.yml"
    path.write_text(text)
    return path


def test_the_project_ownership_file_is_valid() -> None:
    ownership = FieldOwnership.load(REPOSITORY / "ownership.yml")

    assert ownership.mode == "two_way"
    assert ownership.owner_of("inventory") == "netsuite"
    assert ownership.owner_of("description") == "storefront"


def test_two_way_gives_each_source_the_fields_it_owns(tmp_path: Path) -> None:
    ownership = FieldOwnership.load(write(tmp_path, TWO_WAY))

    assert ownership.owned_by_source("netsuite") == (
        "name",
        "price",
        "compare_at_price",
        "inventory",
    )
    assert ownership.owned_by_source("shopify") == (
        "description",
        "short_description",
        "categories",
        "images",
    )
    assert ownership.owned_by_source("woocommerce") == ownership.owned_by_source("shopify")


def test_one_way_gives_netsuite_every_field(tmp_path: Path) -> None:
    ownership = FieldOwnership.load(write(tmp_path, "mode: one_way\n"))

    assert ownership.owned_by_source("netsuite") == SYNCED_FIELDS
    assert ownership.owned_by_source("shopify") == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (TWO_WAY.replace("  images: storefront\n", ""), "missing: images"),
        (TWO_WAY + "  weight: netsuite\n", "unknown field 'weight'"),
        (TWO_WAY.replace("price: netsuite", "price: erp"), "field 'price': owner must be"),
        ("mode: both_ways\n", "mode must be one_way or two_way, got 'both_ways'"),
        ("mode: one_way\nfields:\n  description: storefront\n", "field 'description': in one_way"),
        ("- price\n", "expected a mapping"),
        ("mode: two_way\nfeilds: {}\n", "unknown top-level keys: feilds"),
        ("mode: [two_way\n", "not valid YAML"),
    ],
)
def test_a_broken_ownership_file_names_the_file_and_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)

    with pytest.raises(OwnershipError, match="ownership.yml: .*" + message.replace("(", r"\(")):
        FieldOwnership.load(path)


def test_a_missing_ownership_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(OwnershipError, match="no such ownership file"):
        FieldOwnership.load(tmp_path / "absent.yml")


def test_the_filter_keeps_owned_values_and_counts_drops_per_field(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ownership_filter = OwnershipFilter(FieldOwnership.load(write(tmp_path, TWO_WAY)))
    record = {"sku": "A-1", "name": "Mug", "price": 9, "description": "<p>New</p>", "images": []}

    kept = ownership_filter.owned_values("netsuite", record)
    ownership_filter.owned_values("netsuite", {**record, "sku": "A-2"})
    with caplog.at_level(logging.INFO):
        ownership_filter.log_drops()

    assert kept == {"name": "Mug", "price": 9}
    assert ownership_filter.dropped == {"description": 2, "images": 2}
    assert "Dropped 2 value(s) of description: the field is owned by storefront" in caplog.text
