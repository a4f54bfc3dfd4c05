"""Seeding a new NetSuite account from the demo catalogue.

Each catalogue item becomes an inventory part (`itemid` = SKU); a product with variants
becomes a matrix parent with its variants as children. A few non-inventory and service items
exist only in NetSuite. Store orders already imported become sales orders whose open lines
commit stock, exactly as `stock_positions(catalogue, None)` describes.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from itertools import count
from typing import Any

from sandbox.catalogue import EPOCH, Catalogue, Order, stock_positions
from sandbox.netsuite.schema import RECORD_TYPE_IDS, AccountTime
from sandbox.shopify.store import order_ids as shopify_order_ids

PRICE_LEVELS = ((1, "Base Price"), (2, "Online Price"), (3, "MSRP"), (4, "Wholesale"))
BASE_PRICE, ONLINE_PRICE, MSRP = 1, 2, 3
#: Items only NetSuite has: what the ERP sells or charges that no store lists.
NETSUITE_ONLY_ITEMS = (
    ("NonInvtPart", "GIFT-CARD-25", "Gift Card $25", Decimal("25")),
    ("Service", "SVC-ENGRAVING", "Engraving Service", Decimal("12.5")),
    ("Service", "SVC-ASSEMBLY", "Assembly Service", Decimal("40")),
)
FIRST_CUSTOMER_ID = 101
FIRST_SALES_ORDER_ID = 5001
FIRST_TRAN_NUMBER = 1001
#: The employee NetSuite names on seeded history: the account administrator.
ADMINISTRATOR = -5


class _Seeder:
    def __init__(self, db: sqlite3.Connection, catalogue: Catalogue, time: AccountTime) -> None:
        self.db = db
        self.catalogue = catalogue
        self.time = time
        self.note_ids = count(1)
        self.location_ids = {location.key: location.netsuite_id for location in catalogue.locations}
        self.positions = stock_positions(catalogue, None)
        self.shopify_order_ids = shopify_order_ids(catalogue.orders_for("shopify"))

    def run(self) -> None:
        self._reference_data()
        item_ids = self._items()
        self._stock(item_ids)
        self._orders(item_ids)

    def _reference_data(self) -> None:
        self.db.execute(
            'INSERT INTO "currency" VALUES (1, ?, ?, ?, ?)',
            ("US Dollar", "USD", "T", "F"),
        )
        self.db.executemany(
            'INSERT INTO "currency" VALUES (?, ?, ?, ?, ?)',
            [(2, "Euro", "EUR", "F", "F"), (3, "British pound", "GBP", "F", "F")],
        )
        self.db.executemany(
            'INSERT INTO "pricelevel" VALUES (?, ?, ?)',
            [(level_id, name, "F") for level_id, name in PRICE_LEVELS],
        )
        self.db.executemany(
            'INSERT INTO "location" VALUES (?, ?, ?, ?, ?)',
            [
                (location.netsuite_id, location.name, location.name, "F", "T")
                for location in self.catalogue.locations
            ],
        )

    def _items(self) -> dict[str, int]:
        items: list[tuple[Any, ...]] = []
        prices: list[tuple[Any, ...]] = []
        notes: list[tuple[Any, ...]] = []
        item_ids: dict[str, int] = {}
        next_id = count(1)
        for product in self.catalogue.products:
            parent_id = None
            if product.has_variants:
                parent_id = next(next_id)
                created = self.time.local(product.created_at)
                modified = self.time.local(product.updated_at)
                items.append(
                    (
                        parent_id,
                        product.key,
                        product.name,
                        product.description,
                        "InvtPart",
                        "F",
                        None,
                        None,
                        None,
                        "PARENT",
                        created,
                        modified,
                    )
                )
                notes.extend(self._creation_notes(parent_id, product.key, created))
            for item in product.items:
                item_id = next(next_id)
                item_ids[item.sku] = item_id
                created = self.time.local(item.created_at)
                modified = self.time.local(item.updated_at)
                flag = "F" if item.active else "T"
                items.append(
                    (
                        item_id,
                        item.sku,
                        item.name,
                        product.description,
                        "InvtPart",
                        flag,
                        item.barcode,
                        None,
                        parent_id,
                        "CHILD" if parent_id else None,
                        created,
                        modified,
                    )
                )
                notes.extend(self._creation_notes(item_id, item.sku, created))
                if modified != created:
                    notes.append(
                        self._note(item_id, modified, "displayname", None, item.name, "Change")
                    )
                prices.extend(self._prices(item_id, item.price, item.compare_at_price))
        for kind, itemid, name, price in NETSUITE_ONLY_ITEMS:
            item_id = next(next_id)
            created = self.time.local(EPOCH)
            items.append(
                (item_id, itemid, name, name, kind, "F", None, None, None, None, created, created)
            )
            notes.extend(self._creation_notes(item_id, itemid, created))
            prices.extend(self._prices(item_id, price, None))

        self.db.executemany(
            'INSERT INTO "item" (id, itemid, displayname, description, itemtype, isinactive, '
            "upccode, externalid, parent, matrixtype, createddate, lastmodifieddate) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            items,
        )
        self.db.executemany('INSERT INTO "pricing" VALUES (?, ?, ?, ?)', prices)
        self.db.executemany('INSERT INTO "systemnote" VALUES (?,?,?,?,?,?,?,?,?,?)', notes)
        return item_ids

    def _prices(
        self, item_id: int, price: Decimal, compare_at: Decimal | None
    ) -> Iterator[tuple[Any, ...]]:
        yield (item_id, BASE_PRICE, 0, float(price))
        yield (item_id, ONLINE_PRICE, 0, float(price))
        if compare_at is not None:
            yield (item_id, MSRP, 0, float(compare_at))

    def _creation_notes(self, item_id: int, itemid: str, created: str) -> list[tuple[Any, ...]]:
        return [self._note(item_id, created, "itemid", None, itemid, "Create")]

    def _note(
        self, record_id: int, date: str, field: str, old: Any, new: Any, kind: str
    ) -> tuple[Any, ...]:
        return (
            next(self.note_ids),
            date,
            field,
            old,
            new,
            record_id,
            RECORD_TYPE_IDS["item"],
            ADMINISTRATOR,
            "UIF",
            kind,
        )

    def _stock(self, item_ids: dict[str, int]) -> None:
        rows = []
        changed = self.time.local(EPOCH)
        for (sku, location_key), position in self.positions.items():
            rows.append(
                (
                    item_ids[sku],
                    self.location_ids[location_key],
                    position.on_hand,
                    position.netsuite_committed,
                    position.netsuite_available,
                    0,
                    0,
                    changed,
                )
            )
        self.db.executemany('INSERT INTO "inventoryitemlocations" VALUES (?,?,?,?,?,?,?,?)', rows)

    def _orders(self, item_ids: dict[str, int]) -> None:
        customers: dict[str, int] = {}
        committed_left = Counter(
            {
                (item_ids[sku], self.location_ids[key]): position.netsuite_committed
                for (sku, key), position in self.positions.items()
            }
        )
        order_ids = count(FIRST_SALES_ORDER_ID)
        for number, order in enumerate(o for o in self.catalogue.orders if o.imported_to_netsuite):
            customer_id = customers.get(order.customer_email)
            if customer_id is None:
                customer_id = FIRST_CUSTOMER_ID + len(customers)
                customers[order.customer_email] = customer_id
                self._customer(customer_id, order)
            self._sales_order(
                next(order_ids),
                FIRST_TRAN_NUMBER + number,
                customer_id,
                order,
                item_ids,
                committed_left,
            )
        self.db.execute(
            'UPDATE "inventoryitemlocations" SET quantitybackordered = ('
            'SELECT SUM(tl.quantitybackordered) FROM "transactionline" tl '
            'WHERE tl.item = "inventoryitemlocations".item '
            'AND tl.location = "inventoryitemlocations".location) '
            'WHERE (item, location) IN (SELECT item, location FROM "transactionline" '
            "WHERE quantitybackordered > 0)"
        )

    def _order_ref(self, order: Order) -> str:
        """The store's reference of an order (`order_ref`), built from the store's order id.

        WooCommerce's order id is its number; Shopify's is an id of its own, not the number a
        shopper sees.
        """
        if order.platform == "shopify":
            return f"shopify:{self.shopify_order_ids[order.number]}"
        return f"{order.platform}:{order.number}"

    def _customer(self, customer_id: int, order: Order) -> None:
        first, _, last = order.customer_name.partition(" ")
        created = self.time.local(order.created_at)
        self.db.execute(
            'INSERT INTO "customer" VALUES (?,?,?,?,?,?,?,?,?,?,?)',
            (
                customer_id,
                f"CUS{customer_id}",
                order.customer_email,
                first,
                last,
                None,
                "T",
                "F",
                None,
                created,
                created,
            ),
        )

    def _sales_order(
        self,
        order_id: int,
        tran_number: int,
        customer_id: int,
        order: Order,
        item_ids: dict[str, int],
        committed_left: Counter[tuple[int, int]],
    ) -> None:
        location_id = self.location_ids[order.location_key]
        # Fulfilled store orders are billed in NetSuite, except a third still pending billing.
        status = "B" if order.status == "open" else "G" if order.number % 3 else "F"
        self.db.execute(
            'INSERT INTO "transaction" VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
            (
                order_id,
                f"SO{tran_number}",
                "SalesOrd",
                status,
                customer_id,
                self.time.local(order.created_at)[:10] + " 00:00:00",
                float(order.total),
                1,
                self._order_ref(order),
                None,
                self.time.local(order.created_at),
                self.time.local(order.updated_at),
            ),
        )
        total = float(order.total)
        lines: list[tuple[Any, ...]] = [
            (
                0,
                order_id,
                0,
                None,
                None,
                None,
                total,
                total,
                location_id,
                "T",
                "F",
                "F",
                None,
                None,
                None,
            )
        ]
        for line_id, line in enumerate(order.lines, start=1):
            item_id = item_ids[line.sku]
            committed, shipped = 0, None
            if order.status == "open":
                key = (item_id, location_id)
                committed = min(line.quantity, committed_left[key])
                committed_left[key] -= committed
            else:
                shipped = line.quantity
            amount = -float(line.line_total)
            backordered = line.quantity - committed if order.status == "open" else 0
            lines.append(
                (
                    line_id,
                    order_id,
                    line_id,
                    item_id,
                    -line.quantity,
                    float(line.unit_price),
                    amount,
                    amount,
                    location_id,
                    "F",
                    "F",
                    "F",
                    shipped,
                    committed,
                    backordered,
                )
            )
        tax_id = len(order.lines) + 1
        lines.append(
            (
                tax_id,
                order_id,
                tax_id,
                None,
                None,
                None,
                0.0,
                0.0,
                location_id,
                "F",
                "T",
                "F",
                None,
                None,
                None,
            )
        )
        self.db.executemany(
            'INSERT INTO "transactionline" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)', lines
        )


def seed_account(db: sqlite3.Connection, catalogue: Catalogue, time: AccountTime) -> None:
    """Fill a new account's tables from the catalogue."""
    _Seeder(db, catalogue, time).run()
