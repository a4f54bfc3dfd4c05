"""Sales orders: creation, update, stock commitment and the order's life after it.

A sales order line at a location commits what the location has available (available goes
down, committed up); the rest is backordered. Closing a line, cancelling or closing the
order releases what the line holds; fulfilling ships it (on hand goes down with committed).
In SuiteQL the order is one `transaction` row plus `transactionline` rows: the main line
(id 0, the order total), the item lines with NEGATIVE quantity and amount, and a tax line.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sandbox.netsuite.errors import NetSuiteError, invalid_field_value, nonexistent_id
from sandbox.netsuite.history import Change, touch, write_note
from sandbox.netsuite.items import adjust_location, available_at
from sandbox.netsuite.records import (
    FieldValidation,
    check_fields,
    reference_id,
    to_flag,
)

STATUS_NAMES = {
    "A": "Pending Approval",
    "B": "Pending Fulfillment",
    "C": "Cancelled",
    "D": "Partially Fulfilled",
    "E": "Pending Billing/Partially Fulfilled",
    "F": "Pending Billing",
    "G": "Billed",
    "H": "Closed",
}
#: Statuses in which the order's open lines still hold stock.
OPEN_STATUSES = {"A", "B", "D", "E"}
HEADER_FIELDS = {"entity", "externalId", "tranDate", "memo", "location", "currency", "item"}
READ_ONLY_FIELDS = {
    "id",
    "links",
    "tranId",
    "status",
    "orderStatus",
    "total",
    "subtotal",
    "createdDate",
    "lastModifiedDate",
}
LINE_FIELDS = {"item", "quantity", "rate", "amount", "location", "isClosed", "line", "links"}


@dataclass
class LineInput:
    """One item line of a request body, validated."""

    item_id: int
    quantity: float
    rate: float
    amount: float
    location_id: int | None
    is_closed: bool
    line: int | None


def find_order(db: sqlite3.Connection, key: str) -> sqlite3.Row:
    """A sales order by internal id or `eid:` external id.

    Raises:
        NetSuiteError: 404 NONEXISTENT_ID.
    """
    if key.startswith("eid:"):
        row = db.execute(
            "SELECT * FROM \"transaction\" WHERE type = 'SalesOrd' AND externalid = ?",
            (key[4:],),
        ).fetchone()
    elif key.isdigit():
        row = db.execute(
            "SELECT * FROM \"transaction\" WHERE type = 'SalesOrd' AND id = ?", (int(key),)
        ).fetchone()
    else:
        row = None
    if row is None:
        raise nonexistent_id()
    return row


def _parse_lines(
    db: sqlite3.Connection, body: dict[str, Any], header_location: int | None
) -> list[LineInput]:
    sublist = body.get("item")
    if sublist is None:
        return []
    entries = sublist.get("items") if isinstance(sublist, dict) else None
    if not isinstance(entries, list):
        raise NetSuiteError(
            400,
            "INVALID_CONTENT",
            "Error while accessing resource: The sublist item must be an object with items.",
            path="item",
        )
    lines = []
    for index, entry in enumerate(entries):
        path = f"item.items[{index}]"
        if not isinstance(entry, dict) or "item" not in entry:
            raise NetSuiteError(
                400,
                "USER_ERROR",
                "Error while accessing resource: Please enter value(s) for: Item",
                path=f"{path}.item",
            )
        item_id = reference_id(entry["item"], f"{path}.item")
        item = db.execute(
            'SELECT id, isinactive, matrixtype FROM "item" WHERE id = ?', (item_id,)
        ).fetchone()
        if item is None or item["isinactive"] == "T" or item["matrixtype"] == "PARENT":
            raise invalid_field_value(item_id, "item", f"{path}.item")
        quantity = _number(entry.get("quantity", 1), f"{path}.quantity")
        if quantity <= 0:
            raise invalid_field_value(entry.get("quantity"), "quantity", f"{path}.quantity")
        rate = entry.get("rate")
        if rate is None:
            price = db.execute(
                'SELECT unitprice FROM "pricing" WHERE item = ? AND pricelevel = 1', (item_id,)
            ).fetchone()
            rate = price[0] if price else 0.0
        rate = _number(rate, f"{path}.rate")
        amount = entry.get("amount")
        amount = _number(amount, f"{path}.amount") if amount is not None else quantity * rate
        location_id = header_location
        if entry.get("location") is not None:
            location_id = _location(db, entry["location"], f"{path}.location")
        lines.append(
            LineInput(
                item_id=item_id,
                quantity=quantity,
                rate=rate,
                amount=float(Decimal(str(amount)).quantize(Decimal("0.01"))),
                location_id=location_id,
                is_closed=bool(entry.get("isClosed", False)),
                line=int(entry["line"]) if entry.get("line") is not None else None,
            )
        )
    return lines


def _number(value: Any, path: str) -> float:
    if isinstance(value, bool):
        raise invalid_field_value(value, path.split(".")[-1], path)
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise invalid_field_value(value, path.split(".")[-1], path) from error


def _location(db: sqlite3.Connection, value: Any, path: str) -> int:
    location_id = reference_id(value, path)
    if db.execute('SELECT 1 FROM "location" WHERE id = ?', (location_id,)).fetchone() is None:
        raise invalid_field_value(location_id, "location", path)
    return location_id


def _entity(db: sqlite3.Connection, value: Any) -> int:
    if isinstance(value, dict) and "externalId" in value and "id" not in value:
        row = db.execute(
            'SELECT id FROM "customer" WHERE externalid = ?', (value["externalId"],)
        ).fetchone()
        if row is None:
            raise invalid_field_value(value["externalId"], "entity", "entity")
        return row[0]
    customer_id = reference_id(value, "entity")
    if db.execute('SELECT 1 FROM "customer" WHERE id = ?', (customer_id,)).fetchone() is None:
        raise invalid_field_value(customer_id, "entity", "entity")
    return customer_id


def _tran_date(value: Any, change: Change) -> str:
    if value is None:
        return change.now[:10] + " 00:00:00"
    try:
        return datetime.strptime(str(value)[:10], "%Y-%m-%d").strftime("%Y-%m-%d 00:00:00")
    except ValueError as error:
        raise invalid_field_value(value, "tranDate", "tranDate") from error


def create_order(
    db: sqlite3.Connection,
    change: Change,
    body: dict[str, Any],
    validation: FieldValidation,
    external_id: str | None = None,
) -> int:
    """Create a sales order from a record API body and commit its lines' stock.

    Raises:
        NetSuiteError: A required field is missing or a reference does not resolve.
    """
    check_fields(body, HEADER_FIELDS | READ_ONLY_FIELDS, validation)
    if body.get("entity") is None:
        raise NetSuiteError(
            400,
            "USER_ERROR",
            "Error while accessing resource: Please enter value(s) for: Customer",
            path="entity",
        )
    entity = _entity(db, body["entity"])
    location = _location(db, body["location"], "location") if body.get("location") else None
    lines = _parse_lines(db, body, location)
    if not lines:
        raise NetSuiteError(
            400,
            "USER_ERROR",
            "Error while accessing resource: You must enter at least one line item for this "
            "transaction.",
            path="item",
        )
    external_id = external_id or body.get("externalId")
    if (
        external_id is not None
        and db.execute(
            "SELECT 1 FROM \"transaction\" WHERE type = 'SalesOrd' AND externalid = ?",
            (external_id,),
        ).fetchone()
    ):
        raise NetSuiteError(
            400,
            "USER_ERROR",
            "Error while accessing resource: A record with the external ID "
            f"{external_id} already exists. Use a unique external ID.",
            path="externalId",
        )

    order_id = db.execute('SELECT COALESCE(MAX(id), 5000) + 1 FROM "transaction"').fetchone()[0]
    number = db.execute(
        "SELECT COUNT(*) + 1001 FROM \"transaction\" WHERE type = 'SalesOrd'"
    ).fetchone()[0]
    db.execute(
        'INSERT INTO "transaction" VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
        (
            order_id,
            f"SO{number}",
            "SalesOrd",
            "B",
            entity,
            _tran_date(body.get("tranDate"), change),
            0.0,
            reference_id(body["currency"], "currency") if body.get("currency") else 1,
            external_id,
            body.get("memo"),
            change.now,
            change.now,
        ),
    )
    db.execute(
        'INSERT INTO "transactionline" VALUES (0, ?, 0, NULL, NULL, NULL, 0, 0, ?, '
        "'T', 'F', 'F', NULL, NULL, NULL)",
        (order_id, location),
    )
    for line in lines:
        _add_line(db, change, order_id, line)
    _finish(db, change, order_id)
    write_note(db, change, "transaction", order_id, None, None, None, kind="Create")
    return order_id


def update_order(
    db: sqlite3.Connection,
    change: Change,
    order_id: int,
    body: dict[str, Any],
    validation: FieldValidation,
    replace_lines: bool,
) -> None:
    """Apply a PATCH (or an upsert of an existing order).

    Header fields given are set and omitted ones kept. Item lines carrying `line` update that
    line; the others are appended, or, with `?replace=item`, become the order's lines.
    """
    check_fields(body, HEADER_FIELDS | READ_ONLY_FIELDS, validation)
    order = db.execute('SELECT * FROM "transaction" WHERE id = ?', (order_id,)).fetchone()
    header: dict[str, Any] = {}
    if body.get("entity") is not None:
        header["entity"] = _entity(db, body["entity"])
    if "memo" in body:
        header["memo"] = body["memo"]
    if "tranDate" in body:
        header["trandate"] = _tran_date(body["tranDate"], change)
    if "externalId" in body and body["externalId"] != order["externalid"]:
        header["externalid"] = body["externalId"]
    location = None
    if body.get("location"):
        location = _location(db, body["location"], "location")
        db.execute(
            'UPDATE "transactionline" SET location = ? WHERE "transaction" = ? AND id = 0',
            (location, order_id),
        )
    else:
        row = db.execute(
            'SELECT location FROM "transactionline" WHERE "transaction" = ? AND id = 0',
            (order_id,),
        ).fetchone()
        location = row[0] if row else None
    lines = _parse_lines(db, body, location) if "item" in body else None

    for column, value in header.items():
        if order[column] != value:
            db.execute(f'UPDATE "transaction" SET "{column}" = ? WHERE id = ?', (value, order_id))
            write_note(db, change, "transaction", order_id, column, order[column], value)
    if lines is not None:
        _apply_lines(db, change, order_id, order["status"], lines, replace_lines)
    _finish(db, change, order_id)
    touch(db, change, "transaction", order_id)


def _apply_lines(
    db: sqlite3.Connection,
    change: Change,
    order_id: int,
    status: str,
    lines: list[LineInput],
    replace: bool,
) -> None:
    if status not in OPEN_STATUSES:
        raise NetSuiteError(
            400,
            "USER_ERROR",
            "Error while accessing resource: You cannot change the items of a "
            f"{STATUS_NAMES[status].lower()} sales order.",
            path="item",
        )
    existing = {
        row["id"]: row
        for row in db.execute(
            'SELECT * FROM "transactionline" WHERE "transaction" = ? AND mainline = \'F\' '
            "AND taxline = 'F'",
            (order_id,),
        )
    }
    kept = {line.line for line in lines if line.line is not None}
    for line_id in kept - set(existing):
        raise invalid_field_value(line_id, "line", "item.items.line")
    if replace:
        for line_id, row in existing.items():
            if line_id not in kept:
                release(db, change, row)
                db.execute(
                    'DELETE FROM "transactionline" WHERE "transaction" = ? AND id = ?',
                    (order_id, line_id),
                )
    for line in lines:
        if line.line is None:
            _add_line(db, change, order_id, line)
            continue
        row = existing[line.line]
        release(db, change, row)
        db.execute(
            'UPDATE "transactionline" SET item = ?, quantity = ?, rate = ?, netamount = ?, '
            'foreignamount = ?, location = ?, isclosed = ? WHERE "transaction" = ? AND id = ?',
            (
                line.item_id,
                -line.quantity,
                line.rate,
                -line.amount,
                -line.amount,
                line.location_id,
                to_flag(line.is_closed, "isClosed"),
                order_id,
                line.line,
            ),
        )
        if row["isclosed"] != to_flag(line.is_closed, "isClosed"):
            write_note(
                db, change, "transaction", order_id, "isclosed", row["isclosed"], line.is_closed
            )
        if not line.is_closed:
            _commit(db, change, order_id, line.line, line.item_id, line.location_id, line.quantity)


def _add_line(db: sqlite3.Connection, change: Change, order_id: int, line: LineInput) -> None:
    tax = db.execute(
        'SELECT id FROM "transactionline" WHERE "transaction" = ? AND taxline = \'T\'',
        (order_id,),
    ).fetchone()
    line_id = db.execute(
        'SELECT COALESCE(MAX(id), 0) + 1 FROM "transactionline" WHERE "transaction" = ? '
        "AND taxline = 'F'",
        (order_id,),
    ).fetchone()[0]
    if tax is not None and tax[0] <= line_id:
        db.execute(
            'DELETE FROM "transactionline" WHERE "transaction" = ? AND id = ?', (order_id, tax[0])
        )
    db.execute(
        'INSERT INTO "transactionline" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
        (
            line_id,
            order_id,
            line_id,
            line.item_id,
            -line.quantity,
            line.rate,
            -line.amount,
            -line.amount,
            line.location_id,
            "F",
            "F",
            to_flag(line.is_closed, "isClosed"),
            0,
            0,
            0,
        ),
    )
    if not line.is_closed:
        _commit(db, change, order_id, line_id, line.item_id, line.location_id, line.quantity)


def _commit(
    db: sqlite3.Connection,
    change: Change,
    order_id: int,
    line_id: int,
    item_id: int,
    location_id: int | None,
    quantity: float,
) -> None:
    if location_id is None:
        return
    available = available_at(db, item_id, location_id)
    if available is None:
        return
    committed = min(quantity, max(available, 0.0))
    backordered = quantity - committed
    adjust_location(db, change, item_id, location_id, committed=committed, backordered=backordered)
    db.execute(
        'UPDATE "transactionline" SET quantitycommitted = ?, quantitybackordered = ? '
        'WHERE "transaction" = ? AND id = ?',
        (committed, backordered, order_id, line_id),
    )


def release(db: sqlite3.Connection, change: Change, line: sqlite3.Row) -> None:
    """Give back what an item line commits (and backorders) at its location."""
    committed = line["quantitycommitted"] or 0.0
    backordered = line["quantitybackordered"] or 0.0
    if line["location"] is not None and (committed or backordered):
        adjust_location(
            db,
            change,
            line["item"],
            line["location"],
            committed=-committed,
            backordered=-backordered,
        )
    db.execute(
        'UPDATE "transactionline" SET quantitycommitted = 0, quantitybackordered = 0 '
        'WHERE "transaction" = ? AND id = ?',
        (line["transaction"], line["id"]),
    )


def item_lines(db: sqlite3.Connection, order_id: int) -> list[sqlite3.Row]:
    """The item lines of an order, without its main and tax lines."""
    return db.execute(
        'SELECT * FROM "transactionline" WHERE "transaction" = ? AND mainline = \'F\' '
        "AND taxline = 'F' ORDER BY id",
        (order_id,),
    ).fetchall()


def _finish(db: sqlite3.Connection, change: Change, order_id: int) -> None:
    """Recompute the total, the main and tax lines and the status after lines changed."""
    lines = item_lines(db, order_id)
    total = -sum(line["foreignamount"] or 0.0 for line in lines)
    total = float(Decimal(str(total)).quantize(Decimal("0.01")))
    db.execute('UPDATE "transaction" SET foreigntotal = ? WHERE id = ?', (total, order_id))
    db.execute(
        'UPDATE "transactionline" SET netamount = ?, foreignamount = ? '
        'WHERE "transaction" = ? AND id = 0',
        (total, total, order_id),
    )
    if (
        db.execute(
            'SELECT 1 FROM "transactionline" WHERE "transaction" = ? AND taxline = \'T\'',
            (order_id,),
        ).fetchone()
        is None
    ):
        tax_id = (lines[-1]["id"] if lines else 0) + 1
        location = db.execute(
            'SELECT location FROM "transactionline" WHERE "transaction" = ? AND id = 0',
            (order_id,),
        ).fetchone()[0]
        db.execute(
            'INSERT INTO "transactionline" VALUES (?, ?, ?, NULL, NULL, NULL, 0, 0, ?, '
            "'F', 'T', 'F', NULL, NULL, NULL)",
            (tax_id, order_id, tax_id, location),
        )
    status = db.execute('SELECT status FROM "transaction" WHERE id = ?', (order_id,)).fetchone()[0]
    if status in OPEN_STATUSES and lines and all(line["isclosed"] == "T" for line in lines):
        set_status(db, change, order_id, status, "H")


def set_status(db: sqlite3.Connection, change: Change, order_id: int, old: str, new: str) -> None:
    """Move an order to a status letter, with its system note."""
    db.execute('UPDATE "transaction" SET status = ? WHERE id = ?', (new, order_id))
    write_note(db, change, "transaction", order_id, "status", old, new)
    touch(db, change, "transaction", order_id)
