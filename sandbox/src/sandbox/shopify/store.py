"""The shop's records in SQLite: tables, the opening seed from the catalogue, and GIDs.

Products, variants (each carrying its one inventory item), locations, inventory levels with
their named quantities, orders with their line items, metafields, and the idempotency keys of
inventory mutations. Times are stored as Shopify renders them (`2026-01-05T09:00:00Z`), so
they compare as text and come back unchanged.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime
from decimal import Decimal

from sandbox.catalogue import Catalogue, Order, stock_positions

#: Where each kind of record's numeric ids start, so GIDs look like a real shop's.
ID_BASES = {
    "Product": 8_100_000_000,
    "ProductVariant": 45_100_000_000,
    "InventoryItem": 47_100_000_000,
    "Order": 5_600_000_000,
    "LineItem": 13_800_000_000,
    "Metafield": 25_000_000_000,
    "InventoryAdjustmentGroup": 31_000_000_000,
}

_GID = re.compile(r"^gid://shopify/(?P<kind>[A-Za-z]+)/(?P<id>\d+)(?:\?.*)?$")

INDEXES = """
CREATE INDEX product_updated ON product (updated_at, id);
CREATE INDEX variant_product ON variant (product_id, position);
CREATE INDEX variant_sku ON variant (sku);
CREATE INDEX variant_updated ON variant (updated_at, id);
CREATE INDEX order_updated ON shop_order (updated_at, id);
CREATE INDEX line_item_order ON line_item (order_id, id);
"""

SCHEMA = """
CREATE TABLE product (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, handle TEXT NOT NULL UNIQUE,
    description_html TEXT NOT NULL, vendor TEXT NOT NULL, product_type TEXT NOT NULL,
    tags TEXT NOT NULL, status TEXT NOT NULL, options TEXT NOT NULL, image_url TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE variant (
    id INTEGER PRIMARY KEY, product_id INTEGER NOT NULL, title TEXT NOT NULL, sku TEXT,
    barcode TEXT, price TEXT NOT NULL, compare_at_price TEXT, position INTEGER NOT NULL,
    selected_options TEXT NOT NULL, taxable INTEGER NOT NULL DEFAULT 1,
    inventory_policy TEXT NOT NULL DEFAULT 'DENY',
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    inventory_item_id INTEGER NOT NULL UNIQUE, tracked INTEGER NOT NULL DEFAULT 1,
    requires_shipping INTEGER NOT NULL DEFAULT 1, unit_cost TEXT,
    item_created_at TEXT NOT NULL, item_updated_at TEXT NOT NULL
);
CREATE TABLE location (
    id INTEGER PRIMARY KEY, key TEXT, name TEXT NOT NULL, is_active INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE inventory_level (
    inventory_item_id INTEGER NOT NULL, location_id INTEGER NOT NULL,
    available INTEGER NOT NULL, committed INTEGER NOT NULL, unavailable INTEGER NOT NULL,
    incoming INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (inventory_item_id, location_id)
) WITHOUT ROWID;
CREATE TABLE shop_order (
    id INTEGER PRIMARY KEY, number INTEGER NOT NULL, name TEXT NOT NULL, email TEXT,
    first_name TEXT, last_name TEXT, customer_id INTEGER, currency TEXT NOT NULL,
    location_id INTEGER NOT NULL, financial_status TEXT NOT NULL,
    fulfillment_status TEXT NOT NULL, cancelled_at TEXT, cancel_reason TEXT, closed_at TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE line_item (
    id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, variant_id INTEGER,
    product_id INTEGER, sku TEXT, title TEXT NOT NULL, variant_title TEXT,
    quantity INTEGER NOT NULL, unit_price TEXT NOT NULL
);
CREATE TABLE metafield (
    id INTEGER PRIMARY KEY, owner_type TEXT NOT NULL, owner_id INTEGER NOT NULL,
    namespace TEXT NOT NULL, key TEXT NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    UNIQUE (owner_type, owner_id, namespace, key)
);
CREATE TABLE adjustment_group (
    id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, reason TEXT NOT NULL,
    reference_document_uri TEXT, changes TEXT NOT NULL
);
CREATE TABLE idempotency_key (
    key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""


def order_ids(orders: list[Order]) -> dict[int, int]:
    """The Shopify id of each of the shop's seeded orders, by order number.

    A Shopify order's id (`gid://shopify/Order/5600000001`) is not the number a shopper sees
    (#5001); the suite's `order_ref` is built from the id, so NetSuite's seeded sales orders
    carry it as their external id too.
    """
    return {order.number: ID_BASES["Order"] + index for index, order in enumerate(orders, start=1)}


def gid(kind: str, record_id: int) -> str:
    """The global id of a record, as `gid://shopify/ProductVariant/123`."""
    return f"gid://shopify/{kind}/{record_id}"


def parse_gid(value: str, kind: str | None = None) -> int | None:
    """The numeric id in a GID, or None when it is not a GID (of the expected kind)."""
    match = _GID.match(value or "")
    if match is None or (kind is not None and match["kind"] != kind):
        return None
    return int(match["id"])


def gid_kind(value: str) -> str | None:
    """The record kind a GID names, such as `ProductVariant`."""
    match = _GID.match(value or "")
    return match["kind"] if match else None


def stamp(moment: datetime) -> str:
    """A time as Shopify renders a DateTime: UTC, whole seconds, `Z`."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def money(amount: Decimal | str | None) -> str | None:
    """A Money or Decimal value as Shopify writes it: a string with two decimals."""
    if amount is None:
        return None
    return str(Decimal(str(amount)).quantize(Decimal("0.01")))


def handle_for(title: str) -> str:
    """The URL handle Shopify derives from a title."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "product"


def create_indexes(db: sqlite3.Connection) -> None:
    """Index the tables, once seeded (indexing after the bulk insert is faster)."""
    for statement in INDEXES.split(";"):
        if statement.strip():
            db.execute(statement)


def create_tables(db: sqlite3.Connection) -> None:
    """Create the shop's tables in a new state.

    Statement by statement: `executescript` would commit the surrounding transaction.
    """
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


def seed(db: sqlite3.Connection, catalogue: Catalogue) -> None:
    """Fill a new state from the demo catalogue, in a few batched statements."""
    positions = stock_positions(catalogue, "shopify")
    location_ids = {location.key: location.shopify_id for location in catalogue.locations}
    opened = stamp(min((p.created_at for p in catalogue.products), default=datetime.now(UTC)))
    db.executemany(
        "INSERT INTO location VALUES (?, ?, ?, 1, ?, ?)",
        [
            (location.shopify_id, location.key, location.name, opened, opened)
            for location in catalogue.locations
        ],
    )

    products, variants, levels = [], [], []
    sku_to_variant: dict[str, tuple[int, int, str, str]] = {}
    variant_number = 0
    for number, product in enumerate(catalogue.products, start=1):
        product_id = ID_BASES["Product"] + number
        created, updated = stamp(product.created_at), stamp(product.updated_at)
        option_names = [name.capitalize() for name in product.items[0].option_values] or ["Title"]
        options = [
            {
                "name": name,
                "values": sorted(
                    {
                        item.option_values.get(name.lower(), "Default Title")
                        for item in product.items
                    }
                ),
            }
            for name in option_names
        ]
        any_active = any(item.active for item in product.items)
        status = "ACTIVE" if any_active else ("ARCHIVED" if number % 2 else "DRAFT")
        products.append(
            (
                product_id,
                product.name,
                f"{handle_for(product.name)}-{product.key.lower()}",
                product.description,
                "Sandbox Outfitters",
                product.categories[0],
                json.dumps(list(product.categories)),
                status,
                json.dumps(options),
                product.images[0] if product.images else None,
                created,
                updated,
            )
        )
        for position, item in enumerate(product.items, start=1):
            variant_number += 1
            variant_id = ID_BASES["ProductVariant"] + variant_number
            item_id = ID_BASES["InventoryItem"] + variant_number
            selected = [
                {"name": name, "value": item.option_values.get(name.lower(), "Default Title")}
                for name in option_names
            ]
            title = " / ".join(option["value"] for option in selected)
            item_created, item_updated = stamp(item.created_at), stamp(item.updated_at)
            variants.append(
                (
                    variant_id,
                    product_id,
                    title,
                    item.sku,
                    item.barcode,
                    money(item.price),
                    money(item.compare_at_price),
                    position,
                    json.dumps(selected),
                    item_created,
                    item_updated,
                    item_id,
                    item_created,
                    item_updated,
                )
            )
            sku_to_variant[item.sku] = (variant_id, product_id, product.name, title)
            for location in catalogue.locations:
                position_at = positions[(item.sku, location.key)]
                levels.append(
                    (
                        item_id,
                        location.shopify_id,
                        position_at.store_available,
                        position_at.store_committed,
                        item_created,
                        item_updated,
                    )
                )
    db.executemany("INSERT INTO product VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", products)
    db.executemany(
        "INSERT INTO variant (id, product_id, title, sku, barcode, price, compare_at_price,"
        " position, selected_options, created_at, updated_at, inventory_item_id,"
        " item_created_at, item_updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        variants,
    )
    db.executemany(
        "INSERT INTO inventory_level VALUES (?, ?, ?, ?, 0, 0, ?, ?)",
        levels,
    )
    _seed_orders(db, catalogue.orders_for("shopify"), sku_to_variant, location_ids)
    create_indexes(db)


def _seed_orders(
    db: sqlite3.Connection,
    orders: list[Order],
    sku_to_variant: dict[str, tuple[int, int, str, str]],
    location_ids: dict[str, int],
) -> None:
    order_rows, line_rows = [], []
    line_number = 0
    ids = order_ids(orders)
    for index, order in enumerate(orders, start=1):
        order_id = ids[order.number]
        first, _, last = order.customer_name.partition(" ")
        updated = stamp(order.updated_at)
        cancelled = order.status == "cancelled"
        fulfilled = order.status == "fulfilled"
        order_rows.append(
            (
                order_id,
                order.number,
                f"#{order.number}",
                order.customer_email,
                first,
                last,
                7_000_000_000 + index,
                order.currency,
                location_ids[order.location_key],
                "REFUNDED" if cancelled else "PAID",
                "FULFILLED" if fulfilled else "UNFULFILLED",
                updated if cancelled else None,
                "CUSTOMER" if cancelled else None,
                updated if fulfilled or cancelled else None,
                stamp(order.created_at),
                updated,
            )
        )
        for line in order.lines:
            line_number += 1
            variant_id, product_id, product_title, variant_title = sku_to_variant[line.sku]
            line_rows.append(
                (
                    ID_BASES["LineItem"] + line_number,
                    order_id,
                    variant_id,
                    product_id,
                    line.sku,
                    product_title,
                    None if variant_title == "Default Title" else variant_title,
                    line.quantity,
                    money(line.unit_price),
                )
            )
    db.executemany(
        "INSERT INTO shop_order VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        order_rows,
    )
    db.executemany("INSERT INTO line_item VALUES (?,?,?,?,?,?,?,?,?)", line_rows)


def next_id(db: sqlite3.Connection, table: str, kind: str) -> int:
    """A fresh id for a new record of a kind."""
    row = db.execute(f"SELECT MAX(id) FROM {table}").fetchone()
    return max(row[0] or 0, ID_BASES[kind]) + 1
