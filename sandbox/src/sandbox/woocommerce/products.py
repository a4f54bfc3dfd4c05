"""Products and variations: how they are stored, kept in sync and shown by the REST API."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sandbox.woocommerce.dates import StoreTime
from sandbox.woocommerce.stock import (
    status_for_quantity,
    stock_holder,
    variable_stock_status,
)

#: Fields kept in columns; everything else lives in the record's JSON document.
COLUMNS = (
    "id",
    "parent_id",
    "type",
    "status",
    "sku",
    "name",
    "slug",
    "menu_order",
    "date_created_gmt",
    "date_modified_gmt",
    "stock_status",
)

PRODUCT_DEFAULTS: dict[str, Any] = {
    "featured": False,
    "catalog_visibility": "visible",
    "description": "",
    "short_description": "",
    "regular_price": "",
    "sale_price": "",
    "date_on_sale_from_gmt": None,
    "date_on_sale_to_gmt": None,
    "total_sales": 0,
    "virtual": False,
    "downloadable": False,
    "downloads": [],
    "download_limit": -1,
    "download_expiry": -1,
    "external_url": "",
    "button_text": "",
    "tax_status": "taxable",
    "tax_class": "",
    "manage_stock": False,
    "stock_quantity": None,
    "backorders": "no",
    "low_stock_amount": None,
    "sold_individually": False,
    "weight": "",
    "dimensions": {"length": "", "width": "", "height": ""},
    "shipping_class": "",
    "reviews_allowed": True,
    "upsell_ids": [],
    "cross_sell_ids": [],
    "purchase_note": "",
    "categories": [],
    "tags": [],
    "images": [],
    "attributes": [],
    "default_attributes": [],
    "grouped_products": [],
    "meta_data": [],
    "post_password": "",
    "global_unique_id": "",
}

VARIATION_DEFAULTS: dict[str, Any] = {
    "description": "",
    "regular_price": "",
    "sale_price": "",
    "date_on_sale_from_gmt": None,
    "date_on_sale_to_gmt": None,
    "virtual": False,
    "downloadable": False,
    "downloads": [],
    "download_limit": -1,
    "download_expiry": -1,
    "tax_status": "taxable",
    "tax_class": "",
    "manage_stock": False,
    "stock_quantity": None,
    "backorders": "no",
    "low_stock_amount": None,
    "weight": "",
    "dimensions": {"length": "", "width": "", "height": ""},
    "shipping_class": "",
    "image": None,
    "attributes": [],
    "meta_data": [],
    "global_unique_id": "",
}

_CURRENCY_SYMBOLS = {"USD": "&#36;", "EUR": "&euro;", "GBP": "&pound;"}


def effective_price(record: dict[str, Any]) -> str:
    """What a shopper pays: the sale price when one is set, else the regular price."""
    return (
        record["sale_price"]
        if record.get("sale_price") not in ("", None)
        else record.get("regular_price", "")
    )


def is_on_sale(record: dict[str, Any]) -> bool:
    """Whether a sale price below the regular price is set."""
    regular, sale = _decimal(record.get("regular_price")), _decimal(record.get("sale_price"))
    return regular is not None and sale is not None and sale < regular


def _decimal(value: Any) -> Decimal | None:
    if value in ("", None):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


class ProductRepository:
    """Reads and writes product and variation records in the store's tables.

    Args:
        store_time: The store's time zone, for the local date columns.
        currency: The store currency, for `price_html`.
    """

    def __init__(self, store_time: StoreTime, currency: str) -> None:
        self.store_time = store_time
        self.currency = currency

    # Reading.

    def from_row(self, row: sqlite3.Row) -> dict[str, Any]:
        """A record from its table row."""
        record = json.loads(row["document"])
        for column in COLUMNS:
            record[column] = row[column]
        return record

    def get(self, db: sqlite3.Connection, product_id: int) -> dict[str, Any] | None:
        """A product or variation by id."""
        row = db.execute("SELECT * FROM wc_products WHERE id = ?", (product_id,)).fetchone()
        return self.from_row(row) if row else None

    def get_by_sku(self, db: sqlite3.Connection, sku: str) -> dict[str, Any] | None:
        """The product or variation with this SKU, if any."""
        row = db.execute(
            "SELECT * FROM wc_products WHERE sku = ? AND sku != '' AND status != 'trash'",
            (sku,),
        ).fetchone()
        return self.from_row(row) if row else None

    def sku_taken(self, db: sqlite3.Connection, sku: str, own_id: int | None) -> int | None:
        """The id of another record holding this SKU, as `wc_product_has_unique_sku` checks."""
        row = db.execute(
            "SELECT id FROM wc_products WHERE sku = ? AND id != ? AND status != 'trash'",
            (sku, own_id or 0),
        ).fetchone()
        return int(row["id"]) if row else None

    def children(self, db: sqlite3.Connection, parent_id: int) -> list[dict[str, Any]]:
        """A variable product's variations, in menu order."""
        rows = db.execute(
            "SELECT * FROM wc_products WHERE parent_id = ? AND type = 'variation' "
            "ORDER BY menu_order, id",
            (parent_id,),
        ).fetchall()
        return [self.from_row(row) for row in rows]

    # Writing.

    def save(self, db: sqlite3.Connection, record: dict[str, Any], now: datetime | None) -> None:
        """Insert or replace a record; with `now`, stamp it as modified at that moment."""
        if now is not None:
            record["date_modified_gmt"] = self.store_time.gmt(now)
        document = {key: value for key, value in record.items() if key not in COLUMNS}
        price = _decimal(effective_price(record))
        db.execute(
            "INSERT OR REPLACE INTO wc_products (id, parent_id, type, status, sku, name, slug, "
            "menu_order, price, stock_status, date_created, date_created_gmt, date_modified, "
            "date_modified_gmt, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record["id"],
                record.get("parent_id", 0),
                record["type"],
                record["status"],
                record.get("sku", ""),
                record.get("name", ""),
                record.get("slug", ""),
                record.get("menu_order", 0),
                float(price) if price is not None else None,
                record.get("stock_status", "instock"),
                self.store_time.local_from_gmt(record["date_created_gmt"]),
                record["date_created_gmt"],
                self.store_time.local_from_gmt(record["date_modified_gmt"]),
                record["date_modified_gmt"],
                json.dumps(document, separators=(",", ":")),
            ),
        )

    def delete(self, db: sqlite3.Connection, product_id: int) -> None:
        """Remove a record and, for a variable product, its variations."""
        db.execute(
            "DELETE FROM wc_products WHERE id = ? OR parent_id = ?", (product_id, product_id)
        )

    def sync_stock_status(self, record: dict[str, Any], parent: dict[str, Any] | None) -> None:
        """Derive `stock_status` from the quantity when the record's stock is managed."""
        holder = stock_holder(record, parent)
        if holder is not None:
            record["stock_status"] = status_for_quantity(
                holder.get("stock_quantity"), holder.get("backorders", "no")
            )

    def sync_variable(self, db: sqlite3.Connection, parent_id: int, now: datetime | None) -> None:
        """Bring a variable product in line with its variations, as `WC_Product_Variable::sync`.

        Variations that take their stock from the product get its status; the product's own
        status and price follow its variations. Saving the product moves its
        `date_modified`, as the deferred sync after a variation change does in WooCommerce.
        """
        parent = self.get(db, parent_id)
        if parent is None or parent["type"] != "variable":
            return
        children = self.children(db, parent_id)
        for child in children:
            if not child.get("manage_stock") and parent.get("manage_stock"):
                status = status_for_quantity(parent.get("stock_quantity"), parent["backorders"])
                if child["stock_status"] != status:
                    child["stock_status"] = status
                    self.save(db, child, None)
        if children:
            parent["stock_status"] = variable_stock_status(children)
        self.save(db, parent, now)

    # Showing.

    def links(self, site: str, record: dict[str, Any]) -> dict[str, Any]:
        """The `_links` member of a product or variation."""
        base = f"{site}/wp-json/wc/v3/products"
        if record["type"] == "variation":
            parent = f"{base}/{record['parent_id']}"
            return {
                "self": [{"href": f"{parent}/variations/{record['id']}"}],
                "collection": [{"href": f"{parent}/variations"}],
                "up": [{"href": parent}],
            }
        links: dict[str, Any] = {
            "self": [{"href": f"{base}/{record['id']}"}],
            "collection": [{"href": base}],
        }
        if record.get("parent_id"):
            links["up"] = [{"href": f"{base}/{record['parent_id']}"}]
        return links

    def render_product(
        self, db: sqlite3.Connection, record: dict[str, Any], site: str
    ) -> dict[str, Any]:
        """A product as `GET /products/{id}` shows it (also used for a variation found by SKU)."""
        children = self.children(db, record["id"]) if record["type"] == "variable" else []
        parent = self.get(db, record["parent_id"]) if record["type"] == "variation" else None
        dates = self._dates(record)
        price, regular, sale, on_sale = self._prices(record, children)
        stock = self._stock(record, parent)
        return {
            "id": record["id"],
            "name": record["name"],
            "slug": record["slug"],
            "permalink": self._permalink(site, record, parent),
            **dates,
            "type": record["type"],
            "status": record["status"],
            "featured": record.get("featured", False),
            "catalog_visibility": record.get("catalog_visibility", "visible"),
            "description": record.get("description", ""),
            "short_description": record.get("short_description", ""),
            "sku": record["sku"],
            "price": price,
            "regular_price": regular,
            "sale_price": sale,
            **self._sale_dates(record),
            "on_sale": on_sale,
            "purchasable": price != "" and record["status"] != "trash",
            "total_sales": record.get("total_sales", 0),
            "virtual": record.get("virtual", False),
            "downloadable": record.get("downloadable", False),
            "downloads": record.get("downloads", []),
            "download_limit": record.get("download_limit", -1),
            "download_expiry": record.get("download_expiry", -1),
            "external_url": record.get("external_url", ""),
            "button_text": record.get("button_text", ""),
            "tax_status": record.get("tax_status", "taxable"),
            "tax_class": record.get("tax_class", ""),
            **stock,
            "sold_individually": record.get("sold_individually", False),
            "weight": record.get("weight", ""),
            "dimensions": record.get("dimensions", PRODUCT_DEFAULTS["dimensions"]),
            "shipping_required": not record.get("virtual", False),
            "shipping_taxable": not record.get("virtual", False),
            "shipping_class": record.get("shipping_class", ""),
            "shipping_class_id": 0,
            "reviews_allowed": record.get("reviews_allowed", True),
            "average_rating": "0.00",
            "rating_count": 0,
            "upsell_ids": record.get("upsell_ids", []),
            "cross_sell_ids": record.get("cross_sell_ids", []),
            "parent_id": record["parent_id"],
            "purchase_note": record.get("purchase_note", ""),
            "categories": record.get("categories", []),
            "tags": record.get("tags", []),
            "images": record.get("images", []),
            "attributes": record.get("attributes", []),
            "default_attributes": record.get("default_attributes", []),
            "variations": [child["id"] for child in children],
            "grouped_products": record.get("grouped_products", []),
            "menu_order": record["menu_order"],
            "price_html": self._price_html(record, children, price, regular, sale),
            "related_ids": [],
            "meta_data": record.get("meta_data", []),
            "has_options": record["type"] == "variable",
            "post_password": record.get("post_password", ""),
            "global_unique_id": record.get("global_unique_id", ""),
            "_links": self.links(site, record),
        }

    def render_variation(
        self, db: sqlite3.Connection, record: dict[str, Any], site: str
    ) -> dict[str, Any]:
        """A variation as `GET /products/{id}/variations/{vid}` shows it."""
        parent = self.get(db, record["parent_id"])
        price = effective_price(record)
        stock = self._stock(record, parent)
        return {
            "id": record["id"],
            "type": "variation",
            **self._dates(record),
            "description": record.get("description", ""),
            "permalink": self._permalink(site, record, parent),
            "sku": record["sku"],
            "global_unique_id": record.get("global_unique_id", ""),
            "price": price,
            "regular_price": record.get("regular_price", ""),
            "sale_price": record.get("sale_price", ""),
            **self._sale_dates(record),
            "on_sale": is_on_sale(record),
            "status": record["status"],
            "purchasable": price != "" and record["status"] == "publish",
            "virtual": record.get("virtual", False),
            "downloadable": record.get("downloadable", False),
            "downloads": record.get("downloads", []),
            "download_limit": record.get("download_limit", -1),
            "download_expiry": record.get("download_expiry", -1),
            "tax_status": record.get("tax_status", "taxable"),
            "tax_class": record.get("tax_class", ""),
            **stock,
            "weight": record.get("weight", ""),
            "dimensions": record.get("dimensions", VARIATION_DEFAULTS["dimensions"]),
            "shipping_class": record.get("shipping_class", ""),
            "shipping_class_id": 0,
            "image": record.get("image"),
            "attributes": record.get("attributes", []),
            "menu_order": record["menu_order"],
            "meta_data": record.get("meta_data", []),
            "name": record["name"],
            "parent_id": record["parent_id"],
            "_links": self.links(site, record),
        }

    def _dates(self, record: dict[str, Any]) -> dict[str, Any]:
        local = self.store_time.local_from_gmt
        return {
            "date_created": local(record["date_created_gmt"]),
            "date_created_gmt": record["date_created_gmt"],
            "date_modified": local(record["date_modified_gmt"]),
            "date_modified_gmt": record["date_modified_gmt"],
        }

    def _sale_dates(self, record: dict[str, Any]) -> dict[str, Any]:
        local = self.store_time.local_from_gmt
        return {
            "date_on_sale_from": local(record.get("date_on_sale_from_gmt")),
            "date_on_sale_from_gmt": record.get("date_on_sale_from_gmt"),
            "date_on_sale_to": local(record.get("date_on_sale_to_gmt")),
            "date_on_sale_to_gmt": record.get("date_on_sale_to_gmt"),
        }

    def _prices(
        self, record: dict[str, Any], children: list[dict[str, Any]]
    ) -> tuple[str, str, str, bool]:
        if record["type"] != "variable":
            regular, sale = record.get("regular_price", ""), record.get("sale_price", "")
            return effective_price(record), regular, sale, is_on_sale(record)
        # A variable product has no prices of its own: it shows its cheapest variation.
        priced = [
            child
            for child in children
            if child["status"] == "publish" and _decimal(effective_price(child)) is not None
        ]
        if not priced:
            return "", "", "", False
        cheapest = min(priced, key=lambda child: _decimal(effective_price(child)) or Decimal(0))
        return effective_price(cheapest), "", "", any(is_on_sale(child) for child in priced)

    def _stock(self, record: dict[str, Any], parent: dict[str, Any] | None) -> dict[str, Any]:
        own = bool(record.get("manage_stock"))
        holder = stock_holder(record, parent)
        manage: bool | str = own
        if not own and holder is not None:
            manage = "parent"
        backorders = (holder or record).get("backorders", "no")
        return {
            "manage_stock": manage,
            "stock_quantity": holder.get("stock_quantity") if holder is not None else None,
            "stock_status": record["stock_status"],
            "backorders": backorders,
            "backorders_allowed": backorders != "no",
            "backordered": holder is not None and record["stock_status"] == "onbackorder",
            "low_stock_amount": record.get("low_stock_amount"),
        }

    def _permalink(self, site: str, record: dict[str, Any], parent: dict[str, Any] | None) -> str:
        if record["type"] == "variation" and parent is not None:
            query = "&".join(
                f"attribute_{attribute.get('slug') or attribute['name'].lower()}="
                f"{attribute['option']}"
                for attribute in record.get("attributes", [])
            )
            return f"{site}/product/{parent['slug']}/?{query}"
        return f"{site}/product/{record['slug']}/"

    def _price_html(
        self,
        record: dict[str, Any],
        children: list[dict[str, Any]],
        price: str,
        regular: str,
        sale: str,
    ) -> str:
        if price == "":
            return ""
        if record["type"] == "variable":
            prices = sorted(
                _decimal(effective_price(child)) or Decimal(0)
                for child in children
                if child["status"] == "publish" and effective_price(child) != ""
            )
            low, high = self._amount(str(prices[0])), self._amount(str(prices[-1]))
            return low if low == high else f"{low} &ndash; {high}"
        if is_on_sale(record):
            return (
                f'<del aria-hidden="true">{self._amount(regular)}</del> '
                f"<ins>{self._amount(sale)}</ins>"
            )
        return self._amount(price)

    def _amount(self, value: str) -> str:
        symbol = _CURRENCY_SYMBOLS.get(self.currency, self.currency)
        amount = _decimal(value) or Decimal(0)
        return (
            '<span class="woocommerce-Price-amount amount"><bdi>'
            f'<span class="woocommerce-Price-currencySymbol">{symbol}</span>'
            f"{amount:.2f}</bdi></span>"
        )
