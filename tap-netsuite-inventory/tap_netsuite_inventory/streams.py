"""The streams: the shared `items`, `inventory_levels` and `orders`, and native lookups."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from itertools import groupby, islice
from typing import TYPE_CHECKING, Any, ClassVar

from singer_sdk import typing as th
from singer_sdk.exceptions import FatalAPIError
from typing_extensions import override

from sync_model.streams import SHARED_STREAMS
from sync_model.values import format_utc, to_money, to_quantity
from tap_netsuite_inventory.client import IncrementalSuiteQLStream, SuiteQLStream
from tap_netsuite_inventory.queries import (
    STOCKED_ITEM_TYPES,
    in_list,
    item_note_times,
    not_matrix_parent,
    price_level_join,
)
from tap_netsuite_inventory.suiteql import to_flag, to_text

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

SOURCE = "netsuite"

#: Sales-order status letters in SuiteQL -> the shared order status.
ORDER_STATUSES = {
    "A": "open",  # Pending Approval
    "B": "open",  # Pending Fulfillment
    "C": "cancelled",
    "D": "open",  # Partially Fulfilled
    "E": "open",  # Pending Billing/Partially Fulfilled
    "F": "fulfilled",  # Pending Billing
    "G": "fulfilled",  # Billed
    "H": "closed",
}


def order_status(code: object, *, order: str) -> str:
    """The shared status of a sales-order status code (`B`, or `SalesOrd:B` from BUILTIN.CF).

    Raises:
        ValueError: The code is not a sales-order status; the message names the order.
    """
    letter = str(code or "").rpartition(":")[2]
    try:
        return ORDER_STATUSES[letter]
    except KeyError:
        raise ValueError(f"sales order {order}: unknown status code {code!r}") from None


def _latest(*times: datetime | None) -> datetime | None:
    known = [moment for moment in times if moment is not None]
    return max(known) if known else None


class ItemsStream(IncrementalSuiteQLStream):
    """Inventory items (and the item types selected), with price and per-field change times."""

    name = "items"
    schema, primary_keys = SHARED_STREAMS["items"][0], list(SHARED_STREAMS["items"][1])
    order_key = (("item.id", "id"),)

    @override
    def select_sql(self) -> str:
        clock = self.clock
        compare_level = self.config.get("compare_at_price_level")
        columns = [
            "item.id AS id",
            "item.itemid AS itemid",
            "item.displayname AS displayname",
            "item.description AS description",
            "item.itemtype AS itemtype",
            "item.isinactive AS isinactive",
            "item.upccode AS upccode",
            "item.parent AS parent",
            "parent.displayname AS parent_name",
            "parent.itemid AS parent_itemid",
            clock.select("item.lastmodifieddate", "modified"),
            clock.select("parent.lastmodifieddate", "parent_modified"),
            "store_price_pl.id AS store_level_id",
            "store_price_pl.name AS store_level_name",
            "store_price.unitprice AS price",
            self.server_now_sql(),
        ]
        joins = price_level_join("store_price", self.config.get("store_price_level", "Base Price"))
        if compare_level:
            columns += [
                "compare_price_pl.id AS compare_level_id",
                "compare_price_pl.name AS compare_level_name",
                "compare_price.unitprice AS compare_at_price",
            ]
            joins += price_level_join("compare_price", compare_level)
        return (
            f"SELECT {', '.join(columns)} FROM item"
            " LEFT JOIN item parent ON parent.id = item.parent" + joins
        )

    @override
    def conditions(self, context: Context | None) -> list[str]:
        terms = [
            f"item.itemtype IN {in_list(self.config.get('item_types', ['InvtPart']))}",
            not_matrix_parent(),
        ]
        since = self.modified_since(context)
        if since is not None:
            literal = self.clock.literal(since)
            terms.append(
                f"item.lastmodifieddate > {literal} OR parent.lastmodifieddate > {literal}"
            )
        return terms

    @override
    def records_from_rows(self, rows: Iterator[dict], context: Context | None) -> Iterator[dict]:
        page_size = self.config.get("page_size", 1000)
        while batch := list(islice(rows, page_size)):
            notes = self._note_times(batch)
            for row in batch:
                yield self._record(row, notes.get(row["id"], {}))

    def _note_times(self, rows: list[dict]) -> dict[str, dict[str, datetime]]:
        """Per item id, the last system-note time of each emitted field."""
        price_fields = {"price": f"price.{rows[0].get('store_level_name', '')}"}
        if rows[0].get("compare_level_name"):
            price_fields["compare_at_price"] = f"price.{rows[0]['compare_level_name']}"
        query = item_note_times(self.clock, [int(row["id"]) for row in rows], price_fields)
        times: dict[str, dict[str, datetime]] = {}
        for note in self.run_query(query):
            times[note["recordid"]] = {
                column[2:]: moment
                for column, value in note.items()
                if column.startswith("f_")
                and (moment := self.clock.to_utc(value, column=column)) is not None
            }
        return times

    def _record(self, row: dict, notes: dict[str, datetime]) -> dict[str, Any]:
        self._check_price_levels(row)
        sku = str(row["itemid"])
        modified = self.clock.to_utc(row.get("modified"), column="item.lastmodifieddate")
        parent_modified = self.clock.to_utc(
            row.get("parent_modified"), column="parent.lastmodifieddate"
        )
        updated_at = _latest(modified, parent_modified)
        if updated_at is None:
            raise ValueError(f"item {sku}: NetSuite gave no lastmodifieddate")
        inactive = to_flag(row.get("isinactive"), column="item.isinactive")
        record: dict[str, Any] = {
            "sku": sku,
            "name": to_text(row.get("displayname")) or sku,
            "description": to_text(row.get("description")),
            "price": to_money(row.get("price"), field=f"item {sku} price"),
            "currency": self.config.get("currency", "USD"),
            "barcode": to_text(row.get("upccode")),
            "active": None if inactive is None else not inactive,
            "manages_stock": row.get("itemtype") in STOCKED_ITEM_TYPES,
            "product_id": to_text(row.get("parent")),
            "product_name": to_text(row.get("parent_name")),
            "source": SOURCE,
            "source_id": str(row["id"]),
            "updated_at": format_utc(updated_at),
        }
        fields = ["name", "description", "price", "barcode", "active"]
        if self.config.get("compare_at_price_level"):
            record["compare_at_price"] = to_money(
                row.get("compare_at_price"), field=f"item {sku} compare_at_price"
            )
            fields.append("compare_at_price")
        record["field_updated_at"] = {
            field: format_utc(notes.get(field) or modified or updated_at) for field in fields
        }
        return record

    def _check_price_levels(self, row: dict) -> None:
        if "store_level_id" not in row:
            raise FatalAPIError(
                f"store_price_level {self.config.get('store_price_level')!r} matches no price "
                "level in NetSuite; give a name or internal id from Setup > Accounting > "
                "Price Levels (the price_levels stream lists them)"
            )
        if self.config.get("compare_at_price_level") and "compare_level_id" not in row:
            raise FatalAPIError(
                f"compare_at_price_level {self.config.get('compare_at_price_level')!r} matches "
                "no price level in NetSuite"
            )


class InventoryLevelsStream(IncrementalSuiteQLStream):
    """Stock per item and (mapped) location: on hand, available, committed.

    `inventoryitemlocations` has no last-modified column. A run after the first reads every
    location of the items whose stock can have moved since the bookmark: those with a changed
    `lastquantityavailablechange` at any location, and those on any transaction (receipt,
    fulfilment, adjustment, transfer, sales order) modified since. Every location of such an
    item is emitted, because a store location may add up several NetSuite locations.
    """

    name = "inventory_levels"
    schema, primary_keys = (
        SHARED_STREAMS["inventory_levels"][0],
        list(SHARED_STREAMS["inventory_levels"][1]),
    )
    order_key = (("iil.item", "item"), ("iil.location", "location"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unmapped: Counter[str] = Counter()

    @property
    def mapping(self) -> dict[str, str]:
        """NetSuite location id -> store location; empty emits every location as it is."""
        return {
            str(key): str(value)
            for key, value in (self.config.get("location_mapping") or {}).items()
        }

    @override
    def select_sql(self) -> str:
        clock = self.clock
        columns = [
            "iil.item AS item",
            "item.itemid AS itemid",
            "iil.location AS location",
            "loc.name AS location_name",
            "iil.quantityonhand AS on_hand",
            "iil.quantityavailable AS available",
            "iil.quantitycommitted AS committed",
            clock.select("iil.lastquantityavailablechange", "changed"),
            clock.select("item.lastmodifieddate", "item_modified"),
            self.server_now_sql(),
        ]
        joins = " JOIN item ON item.id = iil.item JOIN location loc ON loc.id = iil.location"
        since = self.modified_since(self.context)
        if since is not None:
            columns.append(clock.select("moved.changed", "moved"))
            joins += (
                " LEFT JOIN (SELECT tl.item AS item, MAX(t.lastmodifieddate) AS changed"
                " FROM transactionline tl JOIN transaction t ON t.id = tl.transaction"
                f" WHERE t.lastmodifieddate > {clock.literal(since)} GROUP BY tl.item) moved"
                " ON moved.item = iil.item"
            )
        return f"SELECT {', '.join(columns)} FROM inventoryitemlocations iil{joins}"

    @override
    def conditions(self, context: Context | None) -> list[str]:
        terms = [
            f"item.itemtype IN {in_list(self.config.get('item_types', ['InvtPart']))}",
            not_matrix_parent(),
        ]
        since = self.modified_since(context)
        if since is not None:
            terms.append(
                "moved.changed IS NOT NULL OR iil.item IN (SELECT changed.item FROM "
                "inventoryitemlocations changed WHERE changed.lastquantityavailablechange > "
                f"{self.clock.literal(since)})"
            )
        return terms

    @override
    def records_from_rows(self, rows: Iterator[dict], context: Context | None) -> Iterator[dict]:
        mapping = self.mapping
        for _, item_rows in groupby(rows, key=lambda row: row["item"]):
            all_rows = list(item_rows)
            updated_at = self._stock_moved_at(all_rows)
            levels: dict[str, list[dict]] = {}
            for row in all_rows:
                location = str(row["location"])
                if mapping and location not in mapping:
                    self.unmapped[f"{location} ({row.get('location_name', '')})"] += 1
                    continue
                levels.setdefault(mapping.get(location, location), []).append(row)
            for location, members in levels.items():
                yield self._record(location, members, updated_at)
        for location, count in sorted(self.unmapped.items()):
            self.logger.warning(
                "inventory_levels: NetSuite location %s is not in location_mapping; its stock "
                "of %d item(s) was not emitted",
                location,
                count,
            )

    def _stock_moved_at(self, rows: list[dict]) -> datetime | None:
        """When the item's stock last moved at any location, as far as NetSuite tells.

        Every level of an item carries this time, so the levels read again because another
        location of the item changed are recognised in the next run's overlap.
        """
        changes = [
            self.clock.to_utc(row.get(column), column=column)
            for row in rows
            for column in ("changed", "moved")
        ]
        return _latest(*changes) or self.clock.to_utc(
            rows[0].get("item_modified"), column="item.lastmodifieddate"
        )

    def _record(
        self, location: str, rows: list[dict], updated_at: datetime | None
    ) -> dict[str, Any]:
        sku = str(rows[0]["itemid"])
        totals = {}
        for name in ("on_hand", "available", "committed"):
            values = [
                to_quantity(row.get(name), field=f"{sku} at {location}: {name}") for row in rows
            ]
            totals[name] = sum(value or 0 for value in values)
        names = [str(row.get("location_name") or row["location"]) for row in rows]
        return {
            "sku": sku,
            "location": location,
            "location_name": " + ".join(names),
            **totals,
            "source": SOURCE,
            "updated_at": format_utc(updated_at) if updated_at else None,
        }


class OrdersStream(IncrementalSuiteQLStream):
    """Sales orders with their item lines, keyed by the store's order reference (external id)."""

    name = "orders"
    schema, primary_keys = SHARED_STREAMS["orders"][0], list(SHARED_STREAMS["orders"][1])
    order_key = (("t.id", "id"), ("tl.id", "line_id"))

    @override
    def select_sql(self) -> str:
        clock = self.clock
        columns = [
            "t.id AS id",
            "t.tranid AS tranid",
            "t.status AS status",
            "t.externalid AS externalid",
            "t.foreigntotal AS total",
            "cur.symbol AS currency",
            clock.select("t.createddate", "created"),
            clock.select("t.lastmodifieddate", "modified"),
            "cust.email AS email",
            "cust.firstname AS firstname",
            "cust.lastname AS lastname",
            "cust.companyname AS companyname",
            "tl.id AS line_id",
            "item.itemid AS sku",
            "tl.quantity AS quantity",
            "tl.rate AS rate",
            "tl.foreignamount AS amount",
            "tl.location AS line_location",
            self.server_now_sql(),
        ]
        return (
            f"SELECT {', '.join(columns)} FROM transaction t"
            " LEFT JOIN transactionline tl ON tl.transaction = t.id"
            " AND tl.mainline = 'F' AND tl.taxline = 'F'"
            " LEFT JOIN item ON item.id = tl.item"
            " LEFT JOIN currency cur ON cur.id = t.currency"
            " LEFT JOIN customer cust ON cust.id = t.entity"
        )

    @override
    def conditions(self, context: Context | None) -> list[str]:
        terms = ["t.type = 'SalesOrd'"]
        since = self.modified_since(context)
        if since is not None:
            terms.append(f"t.lastmodifieddate > {self.clock.literal(since)}")
        return terms

    @override
    def records_from_rows(self, rows: Iterator[dict], context: Context | None) -> Iterator[dict]:
        for _, order_rows in groupby(rows, key=lambda row: row["id"]):
            yield self._record(list(order_rows))

    def _record(self, rows: list[dict]) -> dict[str, Any]:
        head = rows[0]
        order_id = str(head["id"])
        ref = to_text(head.get("externalid")) or f"{SOURCE}:{order_id}"
        created = self.clock.to_utc(head.get("created"), column="transaction.createddate")
        modified = self.clock.to_utc(head.get("modified"), column="transaction.lastmodifieddate")
        if modified is None:
            raise ValueError(f"sales order {order_id}: NetSuite gave no lastmodifieddate")
        person = " ".join(
            part for part in (to_text(head.get("firstname")), to_text(head.get("lastname"))) if part
        )
        email, name = to_text(head.get("email")), person or to_text(head.get("companyname"))
        return {
            "order_ref": ref,
            "number": to_text(head.get("tranid")),
            "status": order_status(head.get("status"), order=order_id),
            "currency": to_text(head.get("currency")),
            "total": to_money(head.get("total"), field=f"sales order {order_id} total"),
            "created_at": format_utc(created) if created else None,
            "updated_at": format_utc(modified),
            "customer": {"email": email, "name": name} if email or name else None,
            "lines": [line for row in rows if (line := self._line(row, order_id))],
            "source": SOURCE,
            "source_id": order_id,
        }

    @staticmethod
    def _line(row: dict, order_id: str) -> dict[str, Any] | None:
        # Lines without an item or a quantity (descriptions, subtotals) are not order lines.
        if not row.get("sku") or row.get("quantity") is None:
            return None
        where = f"sales order {order_id} line {row.get('line_id')}"
        quantity = to_quantity(row["quantity"], field=f"{where} quantity")
        amount = to_money(row.get("amount"), field=f"{where} amount")
        return {
            "sku": str(row["sku"]),
            "quantity": abs(quantity or 0),
            "unit_price": to_money(row.get("rate"), field=f"{where} rate"),
            "line_total": abs(amount) if amount is not None else None,
            "location": to_text(row.get("line_location")),
        }


class LocationsStream(SuiteQLStream):
    """NetSuite locations, with the store location each maps to."""

    name = "locations"
    primary_keys: ClassVar[list[str]] = ["id"]
    schema = th.PropertiesList(
        th.Property("id", th.StringType, required=True),
        th.Property("name", th.StringType),
        th.Property("full_name", th.StringType),
        th.Property("active", th.BooleanType),
        th.Property("makes_inventory_available", th.BooleanType),
        th.Property("store_location", th.StringType),
    ).to_dict()

    @override
    def select_sql(self) -> str:
        return (
            "SELECT loc.id AS id, loc.name AS name, loc.fullname AS fullname, "
            "loc.isinactive AS isinactive, loc.makeinventoryavailable AS makeinventoryavailable "
            "FROM location loc"
        )

    order_key = (("loc.id", "id"),)

    @override
    def row_to_record(self, row: dict) -> dict:
        inactive = to_flag(row.get("isinactive"), column="location.isinactive")
        mapping = self.config.get("location_mapping") or {}
        return {
            "id": str(row["id"]),
            "name": to_text(row.get("name")),
            "full_name": to_text(row.get("fullname")),
            "active": None if inactive is None else not inactive,
            "makes_inventory_available": to_flag(
                row.get("makeinventoryavailable"), column="location.makeinventoryavailable"
            ),
            "store_location": mapping.get(str(row["id"])),
        }


class PriceLevelsStream(SuiteQLStream):
    """NetSuite price levels, marking the ones the tap reads as price and compare-at price."""

    name = "price_levels"
    primary_keys: ClassVar[list[str]] = ["id"]
    schema = th.PropertiesList(
        th.Property("id", th.StringType, required=True),
        th.Property("name", th.StringType),
        th.Property("active", th.BooleanType),
        th.Property("is_store_price", th.BooleanType),
        th.Property("is_compare_at_price", th.BooleanType),
    ).to_dict()
    order_key = (("pl.id", "id"),)

    @override
    def select_sql(self) -> str:
        return "SELECT pl.id AS id, pl.name AS name, pl.isinactive AS isinactive FROM pricelevel pl"

    @override
    def row_to_record(self, row: dict) -> dict:
        inactive = to_flag(row.get("isinactive"), column="pricelevel.isinactive")
        return {
            "id": str(row["id"]),
            "name": to_text(row.get("name")),
            "active": None if inactive is None else not inactive,
            "is_store_price": self._is(row, self.config.get("store_price_level", "Base Price")),
            "is_compare_at_price": self._is(row, self.config.get("compare_at_price_level")),
        }

    @staticmethod
    def _is(row: dict, level: str | None) -> bool:
        return level is not None and level in (str(row["id"]), row.get("name"))
