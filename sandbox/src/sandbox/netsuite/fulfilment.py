"""What happens to a sales order after it is placed: fulfilment, cancellation, closing."""

from __future__ import annotations

import sqlite3

from sandbox.netsuite.history import Change
from sandbox.netsuite.items import adjust_location
from sandbox.netsuite.orders import (
    OPEN_STATUSES,
    STATUS_NAMES,
    find_order,
    item_lines,
    release,
    set_status,
)


def fulfil_order(db: sqlite3.Connection, change: Change, key: str, bill: bool) -> str:
    """Ship every open line (item fulfilment), then optionally bill it; returns the status."""
    order = find_order(db, key)
    if order["status"] not in OPEN_STATUSES:
        raise ValueError(f"a {STATUS_NAMES[order['status']].lower()} order cannot be fulfilled")
    for line in item_lines(db, order["id"]):
        if line["isclosed"] == "T":
            continue
        quantity = -(line["quantity"] or 0.0)
        release(db, change, line)
        if line["location"] is not None:
            adjust_location(db, change, line["item"], line["location"], on_hand=-quantity)
        db.execute(
            'UPDATE "transactionline" SET quantityshiprecv = ? WHERE "transaction" = ? AND id = ?',
            (quantity, order["id"], line["id"]),
        )
    status = "G" if bill else "F"
    set_status(db, change, order["id"], order["status"], status)
    return status


def cancel_order(db: sqlite3.Connection, change: Change, key: str) -> str:
    """Cancel an order that has shipped nothing, releasing what its lines commit."""
    return _end_order(db, change, key, "C")


def close_order(db: sqlite3.Connection, change: Change, key: str) -> str:
    """Close every line of an order, releasing what its lines commit."""
    return _end_order(db, change, key, "H")


def _end_order(db: sqlite3.Connection, change: Change, key: str, status: str) -> str:
    order = find_order(db, key)
    if order["status"] not in OPEN_STATUSES:
        raise ValueError(f"the order is already {STATUS_NAMES[order['status']].lower()}")
    for line in item_lines(db, order["id"]):
        release(db, change, line)
        if status == "H":
            db.execute(
                'UPDATE "transactionline" SET isclosed = \'T\' WHERE "transaction" = ? AND id = ?',
                (order["id"], line["id"]),
            )
    set_status(db, change, order["id"], order["status"], status)
    return status
