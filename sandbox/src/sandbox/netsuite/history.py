"""System notes and last-modified dates: the trail every change of a record leaves."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from sandbox.netsuite.schema import RECORD_TYPE_IDS

#: Context codes of system notes: who made the change. Field names in the notes are the
#: SuiteQL column names (`displayname`), simpler than the labels NetSuite itself records.
USER_INTERFACE = "UIF"
REST_WEB_SERVICES = "RST"
#: Entity a change is attributed to: the administrator in the UI, the integration's user.
ADMINISTRATOR = -5
INTEGRATION_USER = 3


@dataclass(frozen=True)
class Change:
    """Who changes records, and when (account-local time as stored)."""

    now: str
    context: str

    @property
    def author(self) -> int:
        """The entity the system note names."""
        return ADMINISTRATOR if self.context == USER_INTERFACE else INTEGRATION_USER


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_note(
    db: sqlite3.Connection,
    change: Change,
    record: str,
    record_id: int,
    field: str | None,
    old: Any,
    new: Any,
    kind: str = "Change",
) -> None:
    """Add one system note for a record ("item", "customer" or "transaction")."""
    db.execute(
        'INSERT INTO "systemnote" VALUES ('
        '(SELECT COALESCE(MAX(id), 0) + 1 FROM "systemnote"), ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        (
            change.now,
            field,
            _text(old),
            _text(new),
            record_id,
            RECORD_TYPE_IDS[record],
            change.author,
            change.context,
            kind,
        ),
    )


def apply_fields(
    db: sqlite3.Connection,
    change: Change,
    table: str,
    record_id: int,
    values: dict[str, Any],
) -> dict[str, tuple[Any, Any]]:
    """Set columns of one record, noting each value that changed and moving lastmodifieddate.

    Returns:
        The changed columns, with their old and new values.
    """
    if not values:
        return {}
    columns = ", ".join(f'"{column}"' for column in values)
    row = db.execute(f'SELECT {columns} FROM "{table}" WHERE id = ?', (record_id,)).fetchone()
    changed = {
        column: (row[index], value)
        for index, (column, value) in enumerate(values.items())
        if row[index] != value
    }
    if not changed:
        return {}

    assignments = ", ".join(f'"{column}" = ?' for column in changed)
    db.execute(
        f'UPDATE "{table}" SET {assignments}, lastmodifieddate = ? WHERE id = ?',
        [new for _, new in changed.values()] + [change.now, record_id],
    )
    for column, (old, new) in changed.items():
        write_note(db, change, table, record_id, column, old, new)
    return changed


def touch(db: sqlite3.Connection, change: Change, table: str, record_id: int) -> None:
    """Move a record's lastmodifieddate to now."""
    db.execute(f'UPDATE "{table}" SET lastmodifieddate = ? WHERE id = ?', (change.now, record_id))
