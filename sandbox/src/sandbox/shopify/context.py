"""What one GraphQL request executes with: the database, the API version, loaders, the time."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from sandbox.settings import ShopifySettings
from sandbox.shopify.loaders import Loader, rows_by_id, rows_grouped


@dataclass(frozen=True, order=True)
class ApiVersion:
    """A Shopify API version handle such as 2026-04, comparable by date."""

    year: int
    month: int

    @classmethod
    def parse(cls, handle: str) -> ApiVersion:
        """The version named by a `YYYY-MM` handle."""
        year, month = handle.split("-")
        return cls(int(year), int(month))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def at_least(self, handle: str) -> bool:
        """Whether this version is the given one or newer."""
        return self >= ApiVersion.parse(handle)


class ShopContext:
    """The per-request context handed to every resolver.

    Args:
        db: The emulator's SQLite connection, held for the whole request.
        version: The API version the request is answered in.
        now: The sandbox time of the request, as Shopify renders it.
        settings: The shop's settings.
        currency: The shop currency.
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        version: ApiVersion,
        now: str,
        settings: ShopifySettings,
        currency: str,
    ) -> None:
        self.db = db
        self.version = version
        self.now = now
        self.settings = settings
        self.currency = currency
        self.products = Loader(lambda keys: rows_by_id(db, "product", "id", keys))
        self.variants = Loader(lambda keys: rows_by_id(db, "variant", "id", keys))
        self.variants_by_item = Loader(
            lambda keys: rows_by_id(db, "variant", "inventory_item_id", keys)
        )
        self.levels = Loader(
            lambda keys: rows_grouped(
                db, "inventory_level", "inventory_item_id", keys, "location_id"
            ),
            default=[],
        )
        self.line_items = Loader(
            lambda keys: rows_grouped(db, "line_item", "order_id", keys, "id"), default=[]
        )
        self._locations: dict[int, Any] | None = None

    def locations(self) -> dict[int, Any]:
        """Every location row by id (a shop has a handful)."""
        if self._locations is None:
            rows = self.db.execute("SELECT * FROM location ORDER BY id").fetchall()
            self._locations = {row["id"]: row for row in rows}
        return self._locations

    def clear(self) -> None:
        """Forget what was loaded, before a mutation writes."""
        for loader in (
            self.products,
            self.variants,
            self.variants_by_item,
            self.levels,
            self.line_items,
        ):
            loader.clear()
        self._locations = None
