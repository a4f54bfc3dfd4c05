"""Seeding a new store from the demo catalogue.

Every catalogue product becomes a WooCommerce product: a `simple` product for a product
without variants, a `variable` product whose variations are the items otherwise. Stock is the
store's opening figure from `stock_positions` at the configured location. Orders placed in
the WooCommerce store keep their catalogue number as id.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from sandbox.catalogue import Catalogue, Item, Order, Product, stock_positions
from sandbox.settings import WooCommerceSettings
from sandbox.woocommerce.dates import StoreTime
from sandbox.woocommerce.orders import OrderRepository, money
from sandbox.woocommerce.product_writes import slugify
from sandbox.woocommerce.products import (
    PRODUCT_DEFAULTS,
    VARIATION_DEFAULTS,
    ProductRepository,
)
from sandbox.woocommerce.schema import GLOBAL_ATTRIBUTES, advance_sequence, next_id
from sandbox.woocommerce.stock import status_for_quantity

# Seeding copies the default record tens of thousands of times; a JSON round trip does that
# several times faster than copy.deepcopy.
_PRODUCT_DEFAULTS = json.dumps(PRODUCT_DEFAULTS)
_VARIATION_DEFAULTS = json.dumps(VARIATION_DEFAULTS)

#: Where WordPress's own first posts end; demo products are numbered from here.
_FIRST_PRODUCT_ID = 11


class StoreSeeder:
    """Writes the catalogue into a new store's tables.

    Args:
        catalogue: The demo catalogue.
        settings: The store's settings (stock location, which products skip stock management).
        store_time: The store's time zone.
        products: The product tables.
        orders: The order tables.
    """

    def __init__(
        self,
        catalogue: Catalogue,
        settings: WooCommerceSettings,
        store_time: StoreTime,
        products: ProductRepository,
        orders: OrderRepository,
    ) -> None:
        self.catalogue = catalogue
        self.settings = settings
        self.store_time = store_time
        self.products = products
        self.orders = orders
        self.available = {
            sku: position.store_available
            for (sku, location), position in stock_positions(catalogue, "woocommerce").items()
            if location == settings.stock_location
        }
        self.categories: dict[str, dict[str, Any]] = {}
        self.sku_ids: dict[str, int] = {}

    def seed(self, db: sqlite3.Connection) -> None:
        """Create every category, product, variation and order."""
        self._seed_categories(db)
        order_ids = {order.number for order in self.catalogue.orders_for("woocommerce")}
        post_ids = (
            number for number in itertools.count(_FIRST_PRODUCT_ID) if number not in order_ids
        )

        variable_count = simple_count = 0
        for index, product in enumerate(self.catalogue.products, start=1):
            if product.has_variants:
                variable_count += 1
                every = self.settings.parent_stock_every
                parent_stock = bool(every) and variable_count % every == 0
                self._seed_variable(db, product, index, post_ids, parent_stock)
            else:
                simple_count += 1
                every = self.settings.unmanaged_stock_every
                managed = not (every and simple_count % every == 0)
                self._seed_simple(db, product, index, next(post_ids), managed)

        for order in self.catalogue.orders_for("woocommerce"):
            self._seed_order(db, order)
        highest = db.execute(
            "SELECT MAX(id) AS id FROM (SELECT id FROM wc_products UNION SELECT id FROM wc_orders)"
        ).fetchone()["id"]
        advance_sequence(db, "post", int(highest or 0))

    def _seed_categories(self, db: sqlite3.Connection) -> None:
        advance_sequence(db, "term", 14)
        names = sorted({name for product in self.catalogue.products for name in product.categories})
        for name in names:
            category = {"id": next_id(db, "term"), "name": name, "slug": slugify(name)}
            db.execute(
                "INSERT INTO wc_categories (id, name, slug) VALUES (?, ?, ?)",
                (category["id"], category["name"], category["slug"]),
            )
            self.categories[name] = category

    def _base(self, db: sqlite3.Connection, product: Product, index: int) -> dict[str, Any]:
        created = self.store_time.gmt(product.created_at)
        record = json.loads(_PRODUCT_DEFAULTS)
        record.update(
            name=product.name,
            slug=slugify(product.name),
            description=product.description,
            short_description=product.short_description,
            categories=[dict(self.categories[name]) for name in product.categories],
            images=[self._image(db, src, product.created_at) for src in product.images],
            parent_id=0,
            menu_order=0,
            date_created_gmt=created,
            date_modified_gmt=self.store_time.gmt(product.updated_at),
        )
        if index % 5 == 0:
            record["meta_data"] = [
                {"id": next_id(db, "meta"), "key": "supplier_code", "value": f"SUP-{index:05d}"}
            ]
        return record

    def _seed_simple(
        self, db: sqlite3.Connection, product: Product, index: int, post_id: int, managed: bool
    ) -> None:
        item = product.items[0]
        record = self._base(db, product, index)
        available = self.available.get(item.sku, 0)
        record.update(
            id=post_id,
            type="simple",
            status="publish" if item.active else "private",
            sku=item.sku,
            **_prices(item),
            manage_stock=managed,
            stock_quantity=available if managed else None,
            stock_status=status_for_quantity(available, "no"),
        )
        self.products.save(db, record, None)
        self.sku_ids[item.sku] = post_id

    def _seed_variable(
        self,
        db: sqlite3.Connection,
        product: Product,
        index: int,
        post_ids: Iterator[int],
        parent_stock: bool,
    ) -> None:
        record = self._base(db, product, index)
        record["id"] = next(post_ids)
        total = sum(self.available.get(item.sku, 0) for item in product.items)
        record.update(
            type="variable",
            status="publish" if any(item.active for item in product.items) else "draft",
            sku=product.key,
            manage_stock=parent_stock,
            stock_quantity=total if parent_stock else None,
            attributes=self._attributes(product),
        )

        children = []
        for position, item in enumerate(product.items):
            child = self._variation(db, record, item, next(post_ids), position, parent_stock)
            children.append(child)
            self.products.save(db, child, None)
            self.sku_ids[item.sku] = child["id"]

        published = [child for child in children if child["status"] == "publish"]
        record["stock_status"] = (
            "instock"
            if any(child["stock_status"] == "instock" for child in published)
            else "outofstock"
        )
        latest = max([product.updated_at, *(item.updated_at for item in product.items)])
        record["date_modified_gmt"] = self.store_time.gmt(latest)
        self.products.save(db, record, None)

    def _variation(
        self,
        db: sqlite3.Connection,
        parent: dict[str, Any],
        item: Item,
        post_id: int,
        position: int,
        parent_stock: bool,
    ) -> dict[str, Any]:
        available = self.available.get(item.sku, 0)
        stock_source = parent["stock_quantity"] if parent_stock else available
        attributes = [
            {"id": GLOBAL_ATTRIBUTES[key][0], "name": GLOBAL_ATTRIBUTES[key][1], "option": value}
            for key, value in item.option_values.items()
            if key in GLOBAL_ATTRIBUTES
        ]
        record = json.loads(_VARIATION_DEFAULTS)
        record.update(
            id=post_id,
            parent_id=parent["id"],
            type="variation",
            status="publish" if item.active else "private",
            sku=item.sku,
            name=f"{parent['name']} - {', '.join(a['option'] for a in attributes)}",
            slug="",
            menu_order=position + 1,
            **_prices(item),
            manage_stock=not parent_stock,
            stock_quantity=None if parent_stock else available,
            stock_status=status_for_quantity(stock_source, "no"),
            attributes=attributes,
            date_created_gmt=self.store_time.gmt(item.created_at),
            date_modified_gmt=self.store_time.gmt(item.updated_at),
        )
        return record

    def _attributes(self, product: Product) -> list[dict[str, Any]]:
        attributes = []
        for position, key in enumerate(("size", "colour")):
            options = list(dict.fromkeys(item.option_values[key] for item in product.items))
            number, name, slug = GLOBAL_ATTRIBUTES[key]
            attributes.append(
                {
                    "id": number,
                    "name": name,
                    "slug": slug,
                    "position": position,
                    "visible": True,
                    "variation": True,
                    "options": options,
                }
            )
        return attributes

    def _image(self, db: sqlite3.Connection, src: str, when: datetime) -> dict[str, Any]:
        stamp = self.store_time.gmt(when)
        return {
            "id": next_id(db, "attachment"),
            "date_created": self.store_time.local(when),
            "date_created_gmt": stamp,
            "date_modified": self.store_time.local(when),
            "date_modified_gmt": stamp,
            "src": src,
            "name": src.rsplit("/", 1)[-1].rsplit(".", 1)[0],
            "alt": "",
        }

    def _seed_order(self, db: sqlite3.Connection, order: Order) -> None:
        status = _order_status(order)
        first, _, last = order.customer_name.partition(" ")
        lines = []
        for line in order.lines:
            product_id = self.sku_ids[line.sku]
            product = self.products.get(db, product_id)
            if product is None:
                raise LookupError(f"order {order.number} names SKU {line.sku}, never seeded")
            lines.append(self.orders.line_item(db, product, line.quantity, line.unit_price))

        paid = status in ("processing", "completed", "on-hold")
        record = self.orders.new_record(order.number, order.currency or self.catalogue.currency)
        record.update(
            status=status,
            billing={
                **record["billing"],
                "first_name": first,
                "last_name": last,
                "email": order.customer_email,
                "country": "DE",
            },
            line_items=lines,
            total=money(sum((line.line_total for line in order.lines), Decimal(0))),
            date_created_gmt=self.store_time.gmt(order.created_at),
            date_modified_gmt=self.store_time.gmt(order.updated_at),
            date_paid_gmt=self.store_time.gmt(order.created_at) if paid else None,
            date_completed_gmt=self.store_time.gmt(order.updated_at)
            if status == "completed"
            else None,
            order_key="wc_order_" + hashlib.sha1(str(order.number).encode()).hexdigest()[:13],
            # Opening stock already reflects every open order, as it does after checkout.
            stock_reduced=status != "cancelled",
            sales_recorded=status != "cancelled",
        )
        record["shipping"].update(first_name=first, last_name=last, country="DE")
        self.orders.save(db, record, None)
        if record["sales_recorded"]:
            for line in lines:
                product = self.products.get(db, line["product_id"])
                if product is not None:
                    product["total_sales"] = product.get("total_sales", 0) + line["quantity"]
                    self.products.save(db, product, None)


def _order_status(order: Order) -> str:
    if order.status == "fulfilled":
        return "completed"
    if order.status == "cancelled":
        return "cancelled"
    if order.number % 7 == 0:
        return "on-hold"
    if order.number % 11 == 0:
        return "pending"
    return "processing"


def _prices(item: Item) -> dict[str, str]:
    if item.compare_at_price is not None:
        return {"regular_price": money(item.compare_at_price), "sale_price": money(item.price)}
    return {"regular_price": money(item.price), "sale_price": ""}
