"""The store's tables in the emulator's SQLite state, and the id sequences WordPress keeps.

Products and variations are WordPress posts and share one id space, as do orders (HPOS keeps a
placeholder post per order); meta entries, order items, terms and attachments have sequences
of their own. Each record keeps the columns queries filter and sort on, and the rest of its
fields as a JSON document.
"""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE wc_sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);

CREATE TABLE wc_products (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER NOT NULL DEFAULT 0,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    sku TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    slug TEXT NOT NULL DEFAULT '',
    menu_order INTEGER NOT NULL DEFAULT 0,
    price REAL,
    stock_status TEXT NOT NULL DEFAULT 'instock',
    date_created TEXT NOT NULL,
    date_created_gmt TEXT NOT NULL,
    date_modified TEXT NOT NULL,
    date_modified_gmt TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX wc_products_parent ON wc_products (parent_id, type);
CREATE INDEX wc_products_sku ON wc_products (sku);
CREATE INDEX wc_products_modified ON wc_products (date_modified_gmt);

CREATE TABLE wc_orders (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    customer_id INTEGER NOT NULL DEFAULT 0,
    date_created TEXT NOT NULL,
    date_created_gmt TEXT NOT NULL,
    date_modified TEXT NOT NULL,
    date_modified_gmt TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX wc_orders_modified ON wc_orders (date_modified_gmt);

CREATE TABLE wc_categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL);

CREATE TABLE wc_api_nonces (
    consumer_key TEXT NOT NULL,
    nonce TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    PRIMARY KEY (consumer_key, nonce)
);
"""

#: Sequences: `post` for products, variations and orders; the others for their own ids.
SEQUENCES = ("post", "meta", "order_item", "term", "attachment")

#: The global product attributes every store in the demo has (Products > Attributes).
GLOBAL_ATTRIBUTES = {"size": (1, "Size", "pa_size"), "colour": (2, "Colour", "pa_colour")}


def create_schema(db: sqlite3.Connection) -> None:
    """Create the store's tables and start every sequence at zero."""
    # One statement at a time: `executescript` would commit the caller's transaction.
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    db.executemany(
        "INSERT INTO wc_sequences (name, value) VALUES (?, 0)", [(name,) for name in SEQUENCES]
    )


def next_id(db: sqlite3.Connection, sequence: str) -> int:
    """Draw the next id of a sequence."""
    db.execute("UPDATE wc_sequences SET value = value + 1 WHERE name = ?", (sequence,))
    row = db.execute("SELECT value FROM wc_sequences WHERE name = ?", (sequence,)).fetchone()
    return int(row["value"])


def advance_sequence(db: sqlite3.Connection, sequence: str, at_least: int) -> None:
    """Make sure the next id drawn from a sequence is above `at_least`."""
    db.execute("UPDATE wc_sequences SET value = MAX(value, ?) WHERE name = ?", (at_least, sequence))
