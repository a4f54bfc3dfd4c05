"""Writes shared by the mutations and the admin API: stock moves, adjustment groups, stamps.

Every write moves `updatedAt`: a stock change moves the level, its inventory item, the variant
and the product, as a stock change does on a real shop.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from sandbox.shopify.store import ID_BASES, next_id

#: The stored column each writable quantity name lives in, and whether it counts in on_hand.
_STORED = {
    "available": ("available", True),
    "committed": ("committed", True),
    "unavailable": ("unavailable", True),
    "incoming": ("incoming", False),
}


def level(db: sqlite3.Connection, item_id: int, location_id: int) -> sqlite3.Row | None:
    """The inventory level of an item at a location, if it is stocked there."""
    return db.execute(
        "SELECT * FROM inventory_level WHERE inventory_item_id = ? AND location_id = ?",
        (item_id, location_id),
    ).fetchone()


def on_hand(row: sqlite3.Row) -> int:
    """On hand: available plus committed plus unavailable."""
    return int(row["available"] + row["committed"] + row["unavailable"])


def move_quantity(
    db: sqlite3.Connection, item_id: int, location_id: int, name: str, delta: int, now: str
) -> list[dict[str, Any]]:
    """Move one named quantity of a level by delta and say what changed.

    `on_hand` moves `available` with it; `available`, `committed` and `unavailable` move
    `on_hand`. Returns the changes as an adjustment group records them.
    """
    row = level(db, item_id, location_id)
    if row is None:
        raise KeyError(f"inventory item {item_id} is not stocked at location {location_id}")
    column, counts_on_hand = _STORED["available" if name == "on_hand" else name]
    after = int(row[column]) + delta
    db.execute(
        f"UPDATE inventory_level SET {column} = ?, updated_at = ?"
        " WHERE inventory_item_id = ? AND location_id = ?",
        (after, now, item_id, location_id),
    )
    changes = [
        {"name": column, "delta": delta, "after": after, "item": item_id, "location": location_id}
    ]
    if counts_on_hand:
        on_hand_change = {
            "name": "on_hand",
            "delta": delta,
            "after": on_hand(row) + delta,
            "item": item_id,
            "location": location_id,
        }
        if name == "on_hand":
            changes.insert(0, on_hand_change)
        else:
            changes.append(on_hand_change)
    touch_items(db, [item_id], now)
    return changes


def touch_items(db: sqlite3.Connection, item_ids: list[int], now: str) -> None:
    """Move `updatedAt` of inventory items, their variants and their products."""
    marks = ",".join("?" * len(item_ids))
    db.execute(
        f"UPDATE variant SET updated_at = ?, item_updated_at = ?"
        f" WHERE inventory_item_id IN ({marks})",
        [now, now, *item_ids],
    )
    db.execute(
        f"UPDATE product SET updated_at = ? WHERE id IN"
        f" (SELECT product_id FROM variant WHERE inventory_item_id IN ({marks}))",
        [now, *item_ids],
    )


def touch_variants(db: sqlite3.Connection, variant_ids: list[int], now: str) -> None:
    """Move `updatedAt` of variants and their products."""
    marks = ",".join("?" * len(variant_ids))
    db.execute(
        f"UPDATE variant SET updated_at = ? WHERE id IN ({marks})",
        [now, *variant_ids],
    )
    db.execute(
        f"UPDATE product SET updated_at = ? WHERE id IN"
        f" (SELECT product_id FROM variant WHERE id IN ({marks}))",
        [now, *variant_ids],
    )


def record_group(
    db: sqlite3.Connection,
    now: str,
    reason: str,
    reference_document_uri: str | None,
    changes: list[dict[str, Any]],
) -> int:
    """Keep an inventory adjustment group and return its id."""
    group_id = next_id(db, "adjustment_group", "InventoryAdjustmentGroup")
    db.execute(
        "INSERT INTO adjustment_group VALUES (?, ?, ?, ?, ?)",
        (group_id, now, reason, reference_document_uri, json.dumps(changes)),
    )
    return group_id


def stock_item(
    db: sqlite3.Connection, item_id: int, location_id: int, available: int, now: str
) -> None:
    """Stock an item at a location (an inventory level), with an opening available figure."""
    db.execute(
        "INSERT INTO inventory_level VALUES (?, ?, ?, 0, 0, 0, ?, ?)",
        (item_id, location_id, available, now, now),
    )


def new_variant_ids(db: sqlite3.Connection) -> tuple[int, int]:
    """Fresh ids for a new variant and its inventory item."""
    variant_id = next_id(db, "variant", "ProductVariant")
    row = db.execute("SELECT MAX(inventory_item_id) FROM variant").fetchone()
    item_id = max(row[0] or 0, ID_BASES["InventoryItem"]) + 1
    return variant_id, item_id
