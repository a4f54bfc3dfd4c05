"""Sales orders as the record API shows them: the record and its item sublist."""

from __future__ import annotations

import sqlite3
from typing import Any

from sandbox.netsuite.orders import STATUS_NAMES
from sandbox.netsuite.records import link, reference, sublist_link
from sandbox.netsuite.schema import AccountTime


def order_record(
    db: sqlite3.Connection, order: sqlite3.Row, base: str, time: AccountTime, expand: bool
) -> dict[str, Any]:
    """The salesOrder record as GET answers it; sublists as links unless expanded."""
    href = f"{base}/record/v1/salesOrder/{order['id']}"
    customer = db.execute(
        'SELECT entityid, firstname, lastname, companyname FROM "customer" WHERE id = ?',
        (order["entity"],),
    ).fetchone()
    main = db.execute(
        'SELECT l.id, l.name FROM "transactionline" tl JOIN "location" l ON l.id = tl.location '
        'WHERE tl."transaction" = ? AND tl.id = 0',
        (order["id"],),
    ).fetchone()
    currency = db.execute(
        'SELECT symbol FROM "currency" WHERE id = ?', (order["currency"],)
    ).fetchone()
    status = {"id": order["status"], "refName": STATUS_NAMES[order["status"]]}
    record: dict[str, Any] = {
        "links": link(href),
        "id": str(order["id"]),
        "tranId": order["tranid"],
        "externalId": order["externalid"],
        "entity": reference(base, "customer", order["entity"], _customer_name(customer)),
        "tranDate": order["trandate"][:10],
        "orderStatus": status,
        "status": status,
        "memo": order["memo"],
        "currency": reference(
            base, "currency", order["currency"], currency[0] if currency else None
        ),
        "location": reference(base, "location", main[0], main[1]) if main else None,
        "subtotal": order["foreigntotal"],
        "total": order["foreigntotal"],
        "createdDate": time.utc_iso(order["createddate"]),
        "lastModifiedDate": time.utc_iso(order["lastmodifieddate"]),
        "item": order_lines(db, order["id"], base) if expand else sublist_link(f"{href}/item"),
    }
    return {key: value for key, value in record.items() if value is not None}


def _customer_name(row: sqlite3.Row | None) -> str | None:
    if row is None:
        return None
    name = row["companyname"] or " ".join(p for p in (row["firstname"], row["lastname"]) if p)
    return f"{row['entityid']} {name}".strip()


def order_lines(db: sqlite3.Connection, order_id: int, base: str) -> dict[str, Any]:
    """The item sublist of an order, as `GET .../salesOrder/{id}/item` answers it."""
    href = f"{base}/record/v1/salesOrder/{order_id}/item"
    rows = db.execute(
        'SELECT tl.*, i.itemid, l.name AS locationname FROM "transactionline" tl '
        'JOIN "item" i ON i.id = tl.item LEFT JOIN "location" l ON l.id = tl.location '
        "WHERE tl.\"transaction\" = ? AND tl.mainline = 'F' AND tl.taxline = 'F' "
        "ORDER BY tl.id",
        (order_id,),
    ).fetchall()
    items = []
    for row in rows:
        line: dict[str, Any] = {
            "links": link(f"{href}/{row['id']}"),
            "line": row["id"],
            "item": reference(base, "inventoryItem", row["item"], row["itemid"]),
            "quantity": -(row["quantity"] or 0.0),
            "rate": row["rate"],
            "amount": -(row["foreignamount"] or 0.0),
            "isClosed": row["isclosed"] == "T",
            "quantityCommitted": row["quantitycommitted"] or 0.0,
            "quantityBackOrdered": row["quantitybackordered"] or 0.0,
            "quantityFulfilled": row["quantityshiprecv"] or 0.0,
        }
        if row["location"] is not None:
            line["location"] = reference(base, "location", row["location"], row["locationname"])
        items.append(line)
    return {
        "links": link(href),
        "count": len(items),
        "hasMore": False,
        "items": items,
        "offset": 0,
        "totalResults": len(items),
    }
