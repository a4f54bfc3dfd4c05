"""The NetSuite tables the emulator keeps, named as SuiteQL names them, and account time.

Every table and column carries the name SuiteQL gives it (`item.itemid`, `transactionline.
netamount`), so a SuiteQL query runs against them with little more than a dialect change.
Times are kept as account-local text (`2026-12-03 07:51:24`), which is what SuiteQL compares
`TO_TIMESTAMP(...)` literals with and what `TO_CHAR` renders; a record API answer converts
them back to UTC.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sandbox.clock import Clock

#: Columns of every SuiteQL table, with the SQLite type that holds them.
TABLES: dict[str, dict[str, str]] = {
    "item": {
        "id": "INTEGER",
        "itemid": "TEXT",
        "displayname": "TEXT",
        "description": "TEXT",
        "itemtype": "TEXT",
        "isinactive": "TEXT",
        "upccode": "TEXT",
        "externalid": "TEXT",
        "parent": "INTEGER",
        "matrixtype": "TEXT",
        "createddate": "TEXT",
        "lastmodifieddate": "TEXT",
    },
    "location": {
        "id": "INTEGER",
        "name": "TEXT",
        "fullname": "TEXT",
        "isinactive": "TEXT",
        "makeinventoryavailable": "TEXT",
    },
    "inventoryitemlocations": {
        "item": "INTEGER",
        "location": "INTEGER",
        "quantityonhand": "REAL",
        "quantitycommitted": "REAL",
        "quantityavailable": "REAL",
        "quantityonorder": "REAL",
        "quantitybackordered": "REAL",
        "lastquantityavailablechange": "TEXT",
    },
    "pricelevel": {"id": "INTEGER", "name": "TEXT", "isinactive": "TEXT"},
    "pricing": {
        "item": "INTEGER",
        "pricelevel": "INTEGER",
        "quantity": "REAL",
        "unitprice": "REAL",
    },
    "currency": {
        "id": "INTEGER",
        "name": "TEXT",
        "symbol": "TEXT",
        "isbasecurrency": "TEXT",
        "isinactive": "TEXT",
    },
    "customer": {
        "id": "INTEGER",
        "entityid": "TEXT",
        "email": "TEXT",
        "firstname": "TEXT",
        "lastname": "TEXT",
        "companyname": "TEXT",
        "isperson": "TEXT",
        "isinactive": "TEXT",
        "externalid": "TEXT",
        "datecreated": "TEXT",
        "lastmodifieddate": "TEXT",
    },
    "transaction": {
        "id": "INTEGER",
        "tranid": "TEXT",
        "type": "TEXT",
        "status": "TEXT",
        "entity": "INTEGER",
        "trandate": "TEXT",
        "foreigntotal": "REAL",
        "currency": "INTEGER",
        "externalid": "TEXT",
        "memo": "TEXT",
        "createddate": "TEXT",
        "lastmodifieddate": "TEXT",
    },
    "transactionline": {
        "id": "INTEGER",
        "transaction": "INTEGER",
        "linesequencenumber": "INTEGER",
        "item": "INTEGER",
        "quantity": "REAL",
        "rate": "REAL",
        "netamount": "REAL",
        "foreignamount": "REAL",
        "location": "INTEGER",
        "mainline": "TEXT",
        "taxline": "TEXT",
        "isclosed": "TEXT",
        "quantityshiprecv": "REAL",
        "quantitycommitted": "REAL",
        "quantitybackordered": "REAL",
    },
    "systemnote": {
        "id": "INTEGER",
        "date": "TEXT",
        "field": "TEXT",
        "oldvalue": "TEXT",
        "newvalue": "TEXT",
        "recordid": "INTEGER",
        "recordtypeid": "INTEGER",
        "name": "INTEGER",
        "context": "TEXT",
        "type": "TEXT",
    },
    "deletedrecord": {
        "deleteddate": "TEXT",
        "type": "TEXT",
        "recordid": "INTEGER",
        "name": "TEXT",
        "context": "TEXT",
    },
}

#: Tables SuiteQL reads that are views over the ones above.
VIEWS: dict[str, str] = {
    "aggregateitemlocation": "inventoryitemlocations",
}

_KEYS: dict[str, str] = {
    "item": "PRIMARY KEY (id)",
    "location": "PRIMARY KEY (id)",
    "inventoryitemlocations": "PRIMARY KEY (item, location)",
    "pricelevel": "PRIMARY KEY (id)",
    "pricing": "PRIMARY KEY (item, pricelevel, quantity)",
    "currency": "PRIMARY KEY (id)",
    "customer": "PRIMARY KEY (id)",
    "transaction": "PRIMARY KEY (id)",
    "transactionline": 'PRIMARY KEY ("transaction", id)',
    "systemnote": "PRIMARY KEY (id)",
}

_INDEXES: tuple[str, ...] = (
    'CREATE UNIQUE INDEX item_itemid ON "item" (itemid)',
    'CREATE INDEX item_lastmodifieddate ON "item" (lastmodifieddate)',
    'CREATE INDEX item_externalid ON "item" (externalid)',
    'CREATE INDEX item_parent ON "item" (parent)',
    'CREATE INDEX iil_location ON "inventoryitemlocations" (location)',
    'CREATE INDEX customer_email ON "customer" (email)',
    'CREATE INDEX customer_externalid ON "customer" (externalid)',
    'CREATE UNIQUE INDEX transaction_externalid ON "transaction" (type, externalid)',
    'CREATE INDEX transaction_lastmodifieddate ON "transaction" (lastmodifieddate)',
    'CREATE INDEX transactionline_item ON "transactionline" (item)',
    'CREATE INDEX systemnote_record ON "systemnote" (recordtypeid, recordid)',
    'CREATE INDEX systemnote_date ON "systemnote" (date)',
)

#: Columns whose value is a date or a date and time, rendered in the date preference.
DATE_COLUMNS = frozenset(
    {
        "createddate",
        "datecreated",
        "lastmodifieddate",
        "trandate",
        "date",
        "deleteddate",
        "lastquantityavailablechange",
    }
)

#: Record type ids of system notes, as NetSuite numbers them.
RECORD_TYPE_IDS = {"item": -10, "customer": -2, "transaction": -30}

#: Custom item fields every new account has, so a target can keep sync metadata on items.
DEFAULT_CUSTOM_ITEM_FIELDS: dict[str, str] = {
    "custitem_sync_source": "text",
    "custitem_sync_updated": "text",
    "custitem_sync_hash": "text",
    "custitem_storefront_id": "text",
    "custitem_sync_clocks": "longtext",
}

#: NetSuite's custom field types the emulator keeps: free-form text, long text (NetSuite's
#: type for values beyond free-form text's 300 characters, such as a JSON document), integer,
#: decimal and check box.
CUSTOM_FIELD_TYPES = {
    "text": "TEXT",
    "longtext": "TEXT",
    "integer": "INTEGER",
    "float": "REAL",
    "checkbox": "TEXT",
}


def create_tables(db: sqlite3.Connection) -> None:
    """Create every table and view of a new account; indexes come after the seed."""
    for table, columns in TABLES.items():
        definitions = [f'"{name}" {kind}' for name, kind in columns.items()]
        if table in _KEYS:
            definitions.append(_KEYS[table])
        db.execute(f'CREATE TABLE "{table}" ({", ".join(definitions)})')
    for view, table in VIEWS.items():
        db.execute(f'CREATE VIEW "{view}" AS SELECT * FROM "{table}"')
    db.execute('CREATE TABLE "customfield" (scriptid TEXT PRIMARY KEY, fieldtype TEXT, label TEXT)')
    for scriptid, kind in DEFAULT_CUSTOM_ITEM_FIELDS.items():
        add_custom_item_field(db, scriptid, kind, scriptid)


def create_indexes(db: sqlite3.Connection) -> None:
    """Index what SuiteQL filters and sorts by (after seeding, which is faster)."""
    for statement in _INDEXES:
        db.execute(statement)


def add_custom_item_field(
    db: sqlite3.Connection, scriptid: str, fieldtype: str, label: str
) -> None:
    """Define a custom item field (`custitem_...`) of a type in `CUSTOM_FIELD_TYPES`."""
    db.execute(f'ALTER TABLE "item" ADD COLUMN "{scriptid}" {CUSTOM_FIELD_TYPES[fieldtype]}')
    db.execute(
        'INSERT INTO "customfield" (scriptid, fieldtype, label) VALUES (?, ?, ?)',
        (scriptid, fieldtype, label),
    )


def current_schema(db: sqlite3.Connection) -> dict[str, dict[str, str]]:
    """The tables SuiteQL can read, custom item fields included, for query qualification."""
    schema = {table: dict(columns) for table, columns in TABLES.items()}
    for row in db.execute('SELECT scriptid, fieldtype FROM "customfield"'):
        schema["item"][row[0]] = CUSTOM_FIELD_TYPES[row[1]]
    for view, table in VIEWS.items():
        schema[view] = dict(schema[table])
    return schema


def custom_item_fields(db: sqlite3.Connection) -> dict[str, str]:
    """The custom item fields defined in the account: script id -> field type."""
    return {row[0]: row[1] for row in db.execute('SELECT scriptid, fieldtype FROM "customfield"')}


class AccountTime:
    """Converts between the sandbox clock (UTC) and the account's time zone.

    Stored times carry no offset, so the hour repeated when daylight saving time ends is
    ambiguous: two changes an hour apart can sort the wrong way round in that hour, as they
    can in NetSuite; keeping an offset next to each time would fix it.

    Args:
        clock: The sandbox clock.
        time_zone: The account's time zone (Setup > Company > Preferences).
    """

    FORMAT = "%Y-%m-%d %H:%M:%S"

    def __init__(self, clock: Clock, time_zone: str) -> None:
        self.clock = clock
        self.zone = ZoneInfo(time_zone)

    def now(self) -> str:
        """The current time as stored: account-local, to the second."""
        return self.local(self.clock.now())

    def local(self, moment: datetime) -> str:
        """An aware time as stored: account-local, to the second."""
        return moment.astimezone(self.zone).replace(tzinfo=None).isoformat(" ", "seconds")

    def utc_iso(self, stored: str | None) -> str | None:
        """A stored time as the record API renders it: ISO 8601 UTC, `2026-12-03T15:51:24Z`."""
        if not stored:
            return None
        moment = datetime.fromisoformat(stored).replace(tzinfo=self.zone)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
