"""Item records: the inventoryItem record API and the clerk's actions on items and stock."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from typing import Any

from sandbox.netsuite.errors import NetSuiteError, nonexistent_id
from sandbox.netsuite.history import Change, apply_fields, write_note
from sandbox.netsuite.records import (
    FieldValidation,
    check_fields,
    link,
    reference,
    sublist_link,
    to_flag,
)
from sandbox.netsuite.schema import (
    CUSTOM_FIELD_TYPES,
    AccountTime,
    add_custom_item_field,
    custom_item_fields,
)

#: Item body fields the record API writes, by their camelCase name.
WRITABLE = {
    "itemId": "itemid",
    "displayName": "displayname",
    "description": "description",
    "upcCode": "upccode",
    "isInactive": "isinactive",
    "externalId": "externalid",
}
#: Fields the record API shows but ignores on write.
READ_ONLY = {
    "id",
    "links",
    "createdDate",
    "lastModifiedDate",
    "parent",
    "matrixType",
    "itemType",
    "locations",
    "price",
    "refName",
}
_FLAG_COLUMNS = {"isinactive"}


def find_item(db: sqlite3.Connection, key: str) -> sqlite3.Row:
    """An item by internal id or `eid:` external id.

    Raises:
        NetSuiteError: 404 NONEXISTENT_ID.
    """
    if key.startswith("eid:"):
        row = db.execute('SELECT * FROM "item" WHERE externalid = ?', (key[4:],)).fetchone()
    elif key.isdigit():
        row = db.execute('SELECT * FROM "item" WHERE id = ?', (int(key),)).fetchone()
    else:
        row = None
    if row is None:
        raise nonexistent_id()
    return row


def item_by_sku(db: sqlite3.Connection, sku: str) -> sqlite3.Row:
    """An item by its name/number (the SKU), for the admin API.

    Raises:
        KeyError: No item has this SKU.
    """
    row = db.execute('SELECT * FROM "item" WHERE itemid = ?', (sku,)).fetchone()
    if row is None:
        raise KeyError(f"no item with itemid {sku!r}")
    return row


def item_record(db: sqlite3.Connection, row: sqlite3.Row, base: str, time: AccountTime) -> dict:
    """The inventoryItem record as GET answers it (empty fields omitted)."""
    href = f"{base}/record/v1/inventoryItem/{row['id']}"
    record: dict[str, Any] = {
        "links": link(href),
        "id": str(row["id"]),
        "itemId": row["itemid"],
        "displayName": row["displayname"],
        "description": row["description"],
        "upcCode": row["upccode"],
        "externalId": row["externalid"],
        "isInactive": row["isinactive"] == "T",
        "createdDate": time.utc_iso(row["createddate"]),
        "lastModifiedDate": time.utc_iso(row["lastmodifieddate"]),
        "locations": sublist_link(f"{href}/locations"),
        "price": sublist_link(f"{href}/price"),
    }
    if row["matrixtype"]:
        record["matrixType"] = {"id": row["matrixtype"], "refName": row["matrixtype"].title()}
    if row["parent"] is not None:
        parent = db.execute('SELECT itemid FROM "item" WHERE id = ?', (row["parent"],)).fetchone()
        record["parent"] = reference(base, "inventoryItem", row["parent"], parent[0])
    for scriptid, fieldtype in custom_item_fields(db).items():
        value = row[scriptid]
        record[scriptid] = value == "T" if fieldtype == "checkbox" and value else value
    return {key: value for key, value in record.items() if value is not None}


def item_locations(db: sqlite3.Connection, item_id: int, base: str) -> dict:
    """The item's locations sublist with its (read-only) quantities."""
    rows = db.execute(
        'SELECT iil.*, l.name FROM "inventoryitemlocations" iil '
        'JOIN "location" l ON l.id = iil.location WHERE iil.item = ? ORDER BY iil.location',
        (item_id,),
    ).fetchall()
    href = f"{base}/record/v1/inventoryItem/{item_id}/locations"
    items = [
        {
            "links": [],
            "location": reference(base, "location", row["location"], row["name"]),
            "locationId": {"id": str(row["location"]), "refName": row["name"]},
            "quantityOnHand": row["quantityonhand"],
            "quantityAvailable": row["quantityavailable"],
            "quantityCommitted": row["quantitycommitted"],
            "quantityOnOrder": row["quantityonorder"],
            "quantityBackOrdered": row["quantitybackordered"],
        }
        for row in rows
    ]
    return {
        "links": link(href),
        "count": len(items),
        "hasMore": False,
        "items": items,
        "offset": 0,
        "totalResults": len(items),
    }


def item_prices(db: sqlite3.Connection, item_id: int, base: str) -> dict:
    """The item's price sublist: one line per price level and minimum quantity."""
    rows = db.execute(
        'SELECT p.pricelevel, pl.name, p.quantity, p.unitprice FROM "pricing" p '
        'JOIN "pricelevel" pl ON pl.id = p.pricelevel WHERE p.item = ? '
        "ORDER BY p.pricelevel, p.quantity",
        (item_id,),
    ).fetchall()
    items = [
        {
            "links": [],
            "priceLevel": {"id": str(row["pricelevel"]), "refName": row["name"]},
            "priceLevelName": row["name"],
            "quantity": {"value": render_quantity(row["quantity"])},
            "price": row["unitprice"],
        }
        for row in rows
    ]
    href = f"{base}/record/v1/inventoryItem/{item_id}/price"
    return {
        "links": link(href),
        "count": len(items),
        "hasMore": False,
        "items": items,
        "offset": 0,
        "totalResults": len(items),
    }


def render_quantity(value: float) -> str:
    """A minimum quantity as the price sublist keys it: `"0"`, `"10"`."""
    return str(int(value)) if float(value).is_integer() else str(value)


def patch_item(
    db: sqlite3.Connection,
    change: Change,
    item_id: int,
    body: dict[str, Any],
    validation: FieldValidation,
) -> None:
    """Apply a PATCH body to an item: known fields set, `null` clears, unknown ignored.

    Raises:
        NetSuiteError: NONEXISTENT_FIELD for an unknown field when validation is strict, or
            INVALID_CONTENT for a value of the wrong type.
    """
    custom = custom_item_fields(db)
    known = set(WRITABLE) | READ_ONLY | set(custom)
    check_fields(body, known, validation)

    values: dict[str, Any] = {}
    for name, value in body.items():
        column = WRITABLE.get(name) or (name if name in custom else None)
        if column is None:
            continue
        values[column] = _column_value(column, value, custom.get(column))
    if "itemid" in values and not values["itemid"]:
        raise NetSuiteError(
            400, "USER_ERROR", "Please enter value(s) for: Item Name/Number", path="itemId"
        )
    apply_fields(db, change, "item", item_id, values)


def _column_value(column: str, value: Any, fieldtype: str | None) -> Any:
    if value is None:
        return None
    if column in _FLAG_COLUMNS or fieldtype == "checkbox" or isinstance(value, bool):
        return to_flag(value, column)
    if fieldtype == "integer":
        return int(value)
    if fieldtype == "float":
        return float(value)
    if isinstance(value, dict | list):
        raise NetSuiteError(
            400,
            "INVALID_CONTENT",
            f"Error while accessing resource: Invalid value for the field: {column}",
            path=column,
        )
    return str(value)


def create_item(db: sqlite3.Connection, change: Change, body: dict[str, Any]) -> int:
    """Create an item as a clerk does in the UI (admin API), with prices and stock rows."""
    sku = str(body["sku"])
    parent_id = None
    if body.get("parent_sku"):
        parent_id = item_by_sku(db, str(body["parent_sku"]))["id"]
    item_id = db.execute('SELECT COALESCE(MAX(id), 0) + 1 FROM "item"').fetchone()[0]
    db.execute(
        'INSERT INTO "item" (id, itemid, displayname, description, itemtype, isinactive, '
        "upccode, externalid, parent, matrixtype, createddate, lastmodifieddate) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            item_id,
            sku,
            body.get("name", sku),
            body.get("description"),
            body.get("itemtype", "InvtPart"),
            "T" if body.get("inactive") else "F",
            body.get("upccode"),
            body.get("externalid"),
            parent_id,
            "CHILD" if parent_id else body.get("matrixtype"),
            change.now,
            change.now,
        ),
    )
    write_note(db, change, "item", item_id, "itemid", None, sku, kind="Create")
    price = body.get("price")
    if price is not None:
        for level in (1, 2):
            db.execute(
                'INSERT INTO "pricing" VALUES (?, ?, 0, ?)', (item_id, level, float(Decimal(price)))
            )
    if body.get("itemtype", "InvtPart") == "InvtPart":
        on_hand = {int(k): int(v) for k, v in (body.get("on_hand") or {}).items()}
        for (location_id,) in db.execute('SELECT id FROM "location"').fetchall():
            quantity = on_hand.get(location_id, 0)
            db.execute(
                'INSERT INTO "inventoryitemlocations" VALUES (?, ?, ?, 0, ?, 0, 0, ?)',
                (item_id, location_id, quantity, quantity, change.now),
            )
    return item_id


def edit_item(db: sqlite3.Connection, change: Change, sku: str, body: dict[str, Any]) -> int:
    """A clerk's edit in the UI: fields by SuiteQL column name, prices by price level name."""
    row = item_by_sku(db, sku)
    custom = custom_item_fields(db)
    allowed = set(WRITABLE.values()) | set(custom)
    prices = body.pop("prices", None) or {}
    unknown = set(body) - allowed
    if unknown:
        raise ValueError(f"unknown item fields: {', '.join(sorted(unknown))}")

    values = {name: _column_value(name, value, custom.get(name)) for name, value in body.items()}
    changed = apply_fields(db, change, "item", row["id"], values)
    for level_name, price in prices.items():
        if _set_price(db, change, row["id"], level_name, price) and not changed:
            db.execute(
                'UPDATE "item" SET lastmodifieddate = ? WHERE id = ?', (change.now, row["id"])
            )
    return row["id"]


def _set_price(
    db: sqlite3.Connection, change: Change, item_id: int, level_name: str, price: Any
) -> bool:
    level = db.execute('SELECT id FROM "pricelevel" WHERE name = ?', (level_name,)).fetchone()
    if level is None:
        raise ValueError(f"unknown price level {level_name!r}")
    old = db.execute(
        'SELECT unitprice FROM "pricing" WHERE item = ? AND pricelevel = ? AND quantity = 0',
        (item_id, level[0]),
    ).fetchone()
    new = None if price is None else float(Decimal(str(price)))
    if (old[0] if old else None) == new:
        return False
    db.execute(
        'DELETE FROM "pricing" WHERE item = ? AND pricelevel = ? AND quantity = 0',
        (item_id, level[0]),
    )
    if new is not None:
        db.execute('INSERT INTO "pricing" VALUES (?, ?, 0, ?)', (item_id, level[0], new))
    write_note(db, change, "item", item_id, f"price.{level_name}", old[0] if old else None, new)
    return True


def delete_item(db: sqlite3.Connection, change: Change, sku: str) -> int:
    """Delete an item and leave the deletedrecord row NetSuite keeps."""
    row = item_by_sku(db, sku)
    item_id = row["id"]
    used = db.execute(
        'SELECT 1 FROM "transactionline" WHERE item = ? LIMIT 1', (item_id,)
    ).fetchone()
    if used:
        raise ValueError(f"item {sku!r} is used on transactions and cannot be deleted")
    for table, column in (("inventoryitemlocations", "item"), ("pricing", "item")):
        db.execute(f'DELETE FROM "{table}" WHERE "{column}" = ?', (item_id,))
    db.execute('DELETE FROM "item" WHERE id = ?', (item_id,))
    db.execute(
        'INSERT INTO "deletedrecord" VALUES (?, ?, ?, ?, ?)',
        (change.now, "inventoryitem", item_id, sku, change.context),
    )
    return item_id


def set_stock(
    db: sqlite3.Connection, change: Change, sku: str, location_id: int, body: dict[str, Any]
) -> dict[str, Any]:
    """Set the on-hand quantity (`on_hand`) or receive stock (`receive`) at one location."""
    item_id = item_by_sku(db, sku)["id"]
    row = db.execute(
        'SELECT * FROM "inventoryitemlocations" WHERE item = ? AND location = ?',
        (item_id, location_id),
    ).fetchone()
    if row is None:
        raise KeyError(f"item {sku!r} has no stock row at location {location_id}")
    if "on_hand" in body:
        on_hand = float(body["on_hand"])
    elif "receive" in body:
        on_hand = row["quantityonhand"] + float(body["receive"])
    else:
        raise ValueError("give on_hand or receive")
    adjust_location(db, change, item_id, location_id, on_hand=on_hand - row["quantityonhand"])
    return dict(
        db.execute(
            'SELECT * FROM "inventoryitemlocations" WHERE item = ? AND location = ?',
            (item_id, location_id),
        ).fetchone()
    )


def adjust_location(
    db: sqlite3.Connection,
    change: Change,
    item_id: int,
    location_id: int,
    on_hand: float = 0,
    committed: float = 0,
    backordered: float = 0,
) -> None:
    """Move quantities of one item at one location; available is on hand less committed."""
    db.execute(
        'UPDATE "inventoryitemlocations" SET quantityonhand = quantityonhand + ?, '
        "quantitycommitted = quantitycommitted + ?, "
        "quantitybackordered = MAX(quantitybackordered + ?, 0), "
        "quantityavailable = quantityonhand + ? - (quantitycommitted + ?), "
        "lastquantityavailablechange = CASE WHEN ? THEN ? ELSE lastquantityavailablechange END "
        "WHERE item = ? AND location = ?",
        (
            on_hand,
            committed,
            backordered,
            on_hand,
            committed,
            on_hand != committed,
            change.now,
            item_id,
            location_id,
        ),
    )


def available_at(db: sqlite3.Connection, item_id: int, location_id: int) -> float | None:
    """What an item has available at a location; None when it keeps no stock there."""
    row = db.execute(
        'SELECT quantityavailable FROM "inventoryitemlocations" WHERE item = ? AND location = ?',
        (item_id, location_id),
    ).fetchone()
    return None if row is None else row[0]


def define_custom_field(db: sqlite3.Connection, body: dict[str, Any]) -> dict[str, str]:
    """Define a custom item field (`custitem_...`): text, longtext, integer, float or checkbox."""
    scriptid = str(body["scriptid"]).lower()
    if not scriptid.startswith("custitem_") or not scriptid.replace("_", "").isalnum():
        raise ValueError("scriptid must look like custitem_name")
    fieldtype = str(body.get("type", "text"))
    if fieldtype not in CUSTOM_FIELD_TYPES:
        raise ValueError(f"type must be one of {', '.join(CUSTOM_FIELD_TYPES)}")
    if scriptid in custom_item_fields(db):
        raise ValueError(f"{scriptid} is already defined")
    add_custom_item_field(db, scriptid, fieldtype, str(body.get("label", scriptid)))
    return {"scriptid": scriptid, "type": fieldtype}
