"""Customer records: create, read and find by email."""

from __future__ import annotations

import sqlite3
from typing import Any

from sandbox.netsuite.errors import NetSuiteError, nonexistent_id
from sandbox.netsuite.history import Change, apply_fields, write_note
from sandbox.netsuite.records import FieldValidation, check_fields, link, to_flag
from sandbox.netsuite.schema import AccountTime

#: Customer body fields, camelCase -> column of `customer`.
FIELDS = {
    "entityId": "entityid",
    "email": "email",
    "firstName": "firstname",
    "lastName": "lastname",
    "companyName": "companyname",
    "isPerson": "isperson",
    "isInactive": "isinactive",
    "externalId": "externalid",
    "dateCreated": "datecreated",
    "lastModifiedDate": "lastmodifieddate",
    "id": "id",
}
_READ_ONLY = {"id", "links", "dateCreated", "lastModifiedDate", "subsidiary"}
_FLAGS = {"isperson", "isinactive"}


def find_customer(db: sqlite3.Connection, key: str) -> sqlite3.Row:
    """A customer by internal id or `eid:` external id.

    Raises:
        NetSuiteError: 404 NONEXISTENT_ID.
    """
    if key.startswith("eid:"):
        row = db.execute('SELECT * FROM "customer" WHERE externalid = ?', (key[4:],)).fetchone()
    elif key.isdigit():
        row = db.execute('SELECT * FROM "customer" WHERE id = ?', (int(key),)).fetchone()
    else:
        row = None
    if row is None:
        raise nonexistent_id()
    return row


def _values(body: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in body.items():
        column = FIELDS.get(name)
        if column is None or name in _READ_ONLY:
            continue
        values[column] = to_flag(value, name) if column in _FLAGS and value is not None else value
    return values


def create_customer(
    db: sqlite3.Connection,
    change: Change,
    body: dict[str, Any],
    validation: FieldValidation,
    external_id: str | None = None,
) -> int:
    """Create a customer; a person needs a first and last name, a company its name.

    Raises:
        NetSuiteError: USER_ERROR when the name is missing.
    """
    check_fields(body, set(FIELDS) | _READ_ONLY, validation)
    values = _values(body)
    if external_id is not None:
        values["externalid"] = external_id
    is_person = values.get("isperson", "T" if "companyname" not in values else "F") == "T"
    values["isperson"] = "T" if is_person else "F"
    if is_person and not (values.get("firstname") and values.get("lastname")):
        missing = "First Name" if not values.get("firstname") else "Last Name"
        raise NetSuiteError(
            400,
            "USER_ERROR",
            f"Error while accessing resource: Please enter value(s) for: {missing}",
            path="firstName" if missing == "First Name" else "lastName",
        )
    if not is_person and not values.get("companyname"):
        raise NetSuiteError(
            400,
            "USER_ERROR",
            "Error while accessing resource: Please enter value(s) for: Company Name",
            path="companyName",
        )

    customer_id = db.execute('SELECT COALESCE(MAX(id), 100) + 1 FROM "customer"').fetchone()[0]
    db.execute(
        'INSERT INTO "customer" VALUES (?,?,?,?,?,?,?,?,?,?,?)',
        (
            customer_id,
            values.get("entityid") or f"CUS{customer_id}",
            values.get("email"),
            values.get("firstname"),
            values.get("lastname"),
            values.get("companyname"),
            values["isperson"],
            values.get("isinactive", "F"),
            values.get("externalid"),
            change.now,
            change.now,
        ),
    )
    write_note(db, change, "customer", customer_id, None, None, None, kind="Create")
    return customer_id


def update_customer(
    db: sqlite3.Connection,
    change: Change,
    customer_id: int,
    body: dict[str, Any],
    validation: FieldValidation,
) -> None:
    """Apply a PATCH body to a customer."""
    check_fields(body, set(FIELDS) | _READ_ONLY, validation)
    apply_fields(db, change, "customer", customer_id, _values(body))


def customer_record(row: sqlite3.Row, base: str, time: AccountTime) -> dict[str, Any]:
    """The customer record as GET answers it (empty fields omitted)."""
    record: dict[str, Any] = {
        "links": link(f"{base}/record/v1/customer/{row['id']}"),
        "id": str(row["id"]),
        "entityId": row["entityid"],
        "email": row["email"],
        "firstName": row["firstname"],
        "lastName": row["lastname"],
        "companyName": row["companyname"],
        "isPerson": row["isperson"] == "T",
        "isInactive": row["isinactive"] == "T",
        "externalId": row["externalid"],
        "dateCreated": time.utc_iso(row["datecreated"]),
        "lastModifiedDate": time.utc_iso(row["lastmodifieddate"]),
    }
    return {key: value for key, value in record.items() if value is not None}
