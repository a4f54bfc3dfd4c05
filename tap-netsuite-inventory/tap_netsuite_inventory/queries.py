"""The SuiteQL the streams run, built from validated settings only.

Every value a setting puts into a query is either a number, a word checked by
`suiteql.is_identifier`, or a string literal made by `suiteql.quote`.
"""

from __future__ import annotations

from collections.abc import Iterable

from tap_netsuite_inventory.suiteql import AccountClock, quote

#: System-note field names of the item fields the tap emits, compared without regard to case
#: (NetSuite writes custom fields upper case, `CUSTITEM_X`). Price changes are noted per price
#: level as `price.{price level name}`. These names follow the sandbox; an account that names
#: a field otherwise gives that field the item's last-modified time instead.
ITEM_NOTE_FIELDS = {
    "name": "displayname",
    "description": "description",
    "barcode": "upccode",
    "active": "isinactive",
    "sku": "itemid",
}
#: NetSuite's record type id of items in `systemnote.recordtypeid`.
ITEM_RECORD_TYPE = -10
#: Item types whose stock NetSuite tracks by location.
STOCKED_ITEM_TYPES = frozenset({"InvtPart", "Assembly"})


def in_list(values: Iterable[str]) -> str:
    """A parenthesised list of string literals for `IN (...)`."""
    return "(" + ", ".join(quote(value) for value in values) + ")"


def price_level_join(alias: str, level: str) -> str:
    """Joins the price level given by name or internal id, and its unit price for the item.

    The level row is selected too (`{alias}_level`), so a level that does not exist shows as
    a missing column instead of silently empty prices.
    """
    level_alias = f"{alias}_pl"
    match = (
        f"{level_alias}.id = {int(level)}"
        if level.isdigit()
        else (f"{level_alias}.name = {quote(level)}")
    )
    return (
        f" LEFT JOIN pricelevel {level_alias} ON {match}"
        f" LEFT JOIN pricing {alias} ON {alias}.item = item.id"
        f" AND {alias}.pricelevel = {level_alias}.id"
        f" AND ({alias}.quantity IS NULL OR {alias}.quantity <= 1)"
    )


def not_matrix_parent(table: str = "item") -> str:
    """Matrix parents are products, not SKUs: they are left out of items and stock."""
    return f"({table}.matrixtype IS NULL OR {table}.matrixtype <> 'PARENT')"


def item_note_times(clock: AccountClock, item_ids: Iterable[int], price_fields: dict) -> str:
    """One row per item with the last change of each emitted field, from system notes.

    Args:
        clock: Renders the note times.
        item_ids: Internal ids of the items (at most 1000, SuiteQL's IN-list limit).
        price_fields: Record field (`price`) -> system-note field (`price.Online Price`).
    """
    fields = {**ITEM_NOTE_FIELDS, **price_fields}
    columns = ", ".join(
        clock.select(
            f"MAX(CASE WHEN LOWER(sn.field) = {quote(note.lower())} THEN sn.date END)",
            f"f_{name}",
        )
        for name, note in fields.items()
    )
    ids = ", ".join(str(int(item_id)) for item_id in item_ids)
    return (
        f"SELECT sn.recordid AS recordid, {columns} FROM systemnote sn "
        f"WHERE sn.recordtypeid = {ITEM_RECORD_TYPE} AND sn.recordid IN ({ids}) "
        "GROUP BY sn.recordid ORDER BY sn.recordid"
    )
