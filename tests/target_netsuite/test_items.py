"""Two-way mode: store-owned item fields written to NetSuite under last-write-wins clocks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sandbox.server import Sandbox
from sync_model.clocks import clocks_from_json
from sync_model.streams import ITEMS_SCHEMA
from sync_model.violations import ViolationLog
from tests.target_netsuite.conftest import (
    NetSuite,
    Pipeline,
    TargetRun,
    sellable_skus,
    singer_lines,
    target_config,
)

FIELD_MAPPING = {
    "description": "description",
    "short_description": "custitem_short_description",
    "categories": "custitem_store_categories",
    "images": "custitem_store_images",
}


@pytest.fixture
def two_way(pipeline: Pipeline, netsuite: NetSuite) -> Pipeline:
    """The pipeline with store content fields defined on NetSuite items and mapped."""
    for scriptid in list(FIELD_MAPPING.values())[1:]:
        netsuite.admin("POST", "/custom-fields", {"scriptid": scriptid, "type": "longtext"})
    pipeline.config["item_field_mapping"] = FIELD_MAPPING
    return pipeline


def _item(netsuite: NetSuite, sku: str) -> dict[str, Any]:
    columns = ", ".join(["id", "displayname", *FIELD_MAPPING.values(), "custitem_sync_clocks"])
    return netsuite.rows(f"SELECT {columns} FROM item WHERE itemid = '{sku}'")[0]


def _store_item(pipeline: Pipeline, sku: str) -> dict[str, Any]:
    for line in pipeline.tap_lines({}).splitlines():
        message = json.loads(line)
        if (
            message.get("type") == "RECORD"
            and message["stream"] == "items"
            and message["record"]["sku"] == sku
        ):
            return message["record"]
    raise AssertionError(f"the store emitted no item {sku}")


@pytest.mark.parametrize("platform", ["woocommerce"])
def test_store_content_reaches_the_netsuite_item_with_its_clocks_and_a_rerun_writes_nothing(
    two_way: Pipeline, netsuite: NetSuite
):
    sku = sellable_skus(two_way.sandbox, netsuite, two_way.platform, 1)[0]
    store = _store_item(two_way, sku)
    name_before = _item(netsuite, sku)["displayname"]

    first = two_way.run()
    item = _item(netsuite, sku)
    netsuite.admin("DELETE", "/calls")
    two_way.state = {}
    second = two_way.run()

    assert item.get("description") == store["description"]
    assert item.get("custitem_short_description") == store["short_description"]
    assert json.loads(item["custitem_store_categories"]) == store["categories"]
    assert json.loads(item["custitem_store_images"]) == store["images"]
    assert item["displayname"] == name_before
    assert set(clocks_from_json(item["custitem_sync_clocks"])) == set(FIELD_MAPPING)
    assert "written" in first.log
    assert "value(s) of price: the field is owned by netsuite" in first.log
    assert not any(
        endpoint.startswith("PATCH")
        for endpoint in netsuite.api_calls()
        if "inventoryItem" in endpoint
    )
    assert _item(netsuite, sku) == item
    assert "unchanged" in second.log


@pytest.mark.parametrize("platform", ["shopify"])
def test_an_edit_in_netsuite_to_a_store_owned_field_is_restored_and_recorded(
    two_way: Pipeline, netsuite: NetSuite
):
    sku = sellable_skus(two_way.sandbox, netsuite, two_way.platform, 1)[0]
    store = _store_item(two_way, sku)
    two_way.run()
    netsuite.admin("PATCH", f"/items/{sku}", {"description": "Typed over in NetSuite"})

    two_way.state = {}
    two_way.run()

    assert _item(netsuite, sku).get("description") == store["description"]
    found = [
        v for v in ViolationLog(Path(two_way.config["violations_path"])).read() if v.sku == sku
    ]
    assert [(v.field, v.system, v.found_value, v.restored) for v in found] == [
        ("description", "netsuite", "Typed over in NetSuite", True)
    ]


def test_an_older_store_version_never_rolls_a_field_back(
    sandbox: Sandbox,
    netsuite: NetSuite,
    tmp_path: Path,
    run_target: Callable[[dict, str], TargetRun],
):
    sku = sellable_skus(sandbox, netsuite, "shopify", 1)[0]
    config = target_config(sandbox, tmp_path, "shopify")

    def record(description: str, changed_at: str) -> dict[str, Any]:
        return {
            "sku": sku,
            "description": description,
            "price": 1.0,
            "source": "shopify",
            "source_id": "gid://shopify/ProductVariant/1",
            "updated_at": changed_at,
            "field_updated_at": {"description": changed_at, "price": changed_at},
        }

    def messages(*records: dict[str, Any]) -> str:
        return singer_lines(
            [
                {
                    "type": "SCHEMA",
                    "stream": "items",
                    "schema": ITEMS_SCHEMA,
                    "key_properties": ["sku"],
                }
            ]
            + [{"type": "RECORD", "stream": "items", "record": r} for r in records]
        )

    run_target(config, messages(record("Newer words", "2026-11-02T00:00:00Z")))
    run_target(config, messages(record("Older words", "2026-11-01T00:00:00Z")))

    item = netsuite.rows(
        f"SELECT description, custitem_sync_clocks FROM item WHERE itemid = '{sku}'"
    )[0]
    assert item["description"] == "Newer words"
    clock = clocks_from_json(item["custitem_sync_clocks"])["description"]
    assert clock.updated_at.isoformat() == "2026-11-02T00:00:00+00:00"
    assert "price" not in clocks_from_json(item["custitem_sync_clocks"])
