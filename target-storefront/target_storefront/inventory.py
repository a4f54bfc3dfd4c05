"""The no-oversell computation and the durable ledger it relies on.

    store available = NetSuite available (mapped locations)
                      - quantity in open store orders NetSuite has not imported yet
                      - safety stock, never below zero

Which store orders NetSuite has imported is learned from the `orders` records of NetSuite's
stream (their `order_ref` is the store's reference). The tap reads orders incrementally, so the
target keeps every reference it has seen in a small SQLite ledger, run over run. A missing or
new ledger knows no imported order, so every open store order counts as not imported: the store
shows less, never more.

The ledger also keeps, per SKU and location, the NetSuite time of the level last applied, so a
replayed or older stream never rolls stock back. Stock changes in the store with every order,
so a hash of the value last written (as items keep on the store record) would flag every sale;
only the source time matters for stock, and it lives here.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sync_model.values import format_utc, parse_utc
from target_storefront.store import OpenOrder

#: Where the ledger lives unless configured otherwise.
DEFAULT_LEDGER_PATH = Path(".meltano") / "inventory-sync" / "target-storefront-ledger.sqlite"


def store_available(netsuite_available: int, unimported: int, safety_stock: int) -> int:
    """What the store may sell at one location without overselling NetSuite's stock."""
    return max(0, netsuite_available - unimported - safety_stock)


class Ledger:
    """Imported store-order references and the NetSuite times of stock last applied.

    Args:
        path: The SQLite file; its folder is created.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS imported_order (order_ref TEXT PRIMARY KEY);
            CREATE TABLE IF NOT EXISTS stock_clock (
                sku TEXT NOT NULL, location TEXT NOT NULL, updated_at TEXT NOT NULL,
                PRIMARY KEY (sku, location)
            );
            """
        )

    def add_imported(self, order_refs: Iterable[str]) -> None:
        """Remember store orders NetSuite holds as sales orders."""
        with self.db:
            self.db.executemany(
                "INSERT OR IGNORE INTO imported_order VALUES (?)", ((ref,) for ref in order_refs)
            )

    def imported(self, order_refs: Iterable[str]) -> set[str]:
        """Which of these store orders NetSuite has imported."""
        refs = list(order_refs)
        found: set[str] = set()
        for start in range(0, len(refs), 500):
            chunk = refs[start : start + 500]
            rows = self.db.execute(
                f"SELECT order_ref FROM imported_order WHERE order_ref IN "
                f"({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update(row[0] for row in rows)
        return found

    def stock_clocks(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], datetime]:
        """The NetSuite time of the level last applied, per (sku, location)."""
        clocks: dict[tuple[str, str], datetime] = {}
        for sku, location in keys:
            row = self.db.execute(
                "SELECT updated_at FROM stock_clock WHERE sku = ? AND location = ?",
                (sku, location),
            ).fetchone()
            if row:
                clocks[(sku, location)] = parse_utc(row[0])
        return clocks

    def stamp_stock(self, stamps: dict[tuple[str, str], datetime]) -> None:
        """Remember the NetSuite time of levels just applied (or found already in place)."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO stock_clock VALUES (?, ?, ?)",
                ((sku, loc, format_utc(when)) for (sku, loc), when in stamps.items()),
            )

    def close(self) -> None:
        """Close the file."""
        self.db.close()


def unimported_quantities(
    orders: Iterable[OpenOrder], ledger: Ledger, order_locations: list[str]
) -> tuple[Counter[tuple[str, str]], int]:
    """Quantities of open store orders NetSuite has not imported, per (sku, store location).

    Args:
        orders: The store's open orders over the look-back window.
        ledger: The imported references.
        order_locations: The locations whose stock a store order takes. With one, the
            quantities count there; with several (the store's API does not say which one an
            order takes from), they count at each of them: the safe direction.

    Returns:
        The quantities, and how many orders are not imported.
    """
    open_orders = list(orders)
    imported = ledger.imported(order.order_ref for order in open_orders)
    quantities: Counter[tuple[str, str]] = Counter()
    pending = 0
    for order in open_orders:
        if order.order_ref in imported:
            continue
        pending += 1
        for sku, quantity in order.lines:
            for location in order_locations:
                quantities[(sku, location)] += quantity
    return quantities, pending
