"""Custom fields (`meta_data`) of products, variations and orders, as `WC_Data` keeps them."""

from __future__ import annotations

import sqlite3
from typing import Any

from sandbox.woocommerce import params
from sandbox.woocommerce.schema import next_id


def add_meta(db: sqlite3.Connection, record: dict[str, Any], key: str, value: Any) -> None:
    """Append a meta entry with a fresh meta id."""
    record.setdefault("meta_data", []).append(
        {"id": next_id(db, "meta"), "key": key, "value": value}
    )


def update_meta_data(db: sqlite3.Connection, record: dict[str, Any], entries: list[Any]) -> None:
    """Apply a request's `meta_data` as `WC_Data::update_meta_data` does.

    An entry with the `id` of an existing meta updates that meta's key and value in place.
    Otherwise every meta with the entry's key is removed and one new meta (with a new id) is
    added: updating by key replaces. A `null` value deletes the meta when the record is saved.
    """
    meta: list[dict[str, Any]] = record.setdefault("meta_data", [])
    for index, entry in enumerate(entries):
        entry = params.as_object(f"meta_data[{index}]", entry)
        if "key" not in entry:
            continue
        key, value = str(entry["key"]), entry.get("value")
        meta_id = entry.get("id")
        existing = next((item for item in meta if meta_id and item["id"] == meta_id), None)
        if existing is not None:
            existing["key"], existing["value"] = key, value
        else:
            meta[:] = [item for item in meta if item["key"] != key]
            meta.append({"id": next_id(db, "meta"), "key": key, "value": value})
    meta[:] = [item for item in meta if item["value"] is not None]
