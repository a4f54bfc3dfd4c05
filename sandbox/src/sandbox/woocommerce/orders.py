"""Orders: how they are stored and shown, and how their status moves stock.

WooCommerce reduces stock once per order when it reaches processing, completed or on-hold
(`wc_maybe_reduce_stock_levels`), and gives it back when the order is cancelled or set back
to pending (`wc_maybe_increase_stock_levels`); a flag on the order keeps either from happening
twice. Every product whose stock changes is saved, which moves its `date_modified`.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from decimal import Decimal
from typing import Any

from sandbox.woocommerce.dates import StoreTime
from sandbox.woocommerce.products import ProductRepository, effective_price
from sandbox.woocommerce.schema import next_id
from sandbox.woocommerce.stock import stock_holder

ORDER_STATUSES = (
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "checkout-draft",
)
REDUCING_STATUSES = ("processing", "completed", "on-hold")
RESTORING_STATUSES = ("cancelled", "pending")
PAID_STATUSES = ("processing", "completed")

ORDER_COLUMNS = (
    "id",
    "parent_id",
    "status",
    "customer_id",
    "date_created_gmt",
    "date_modified_gmt",
)

_ADDRESS = {
    "first_name": "",
    "last_name": "",
    "company": "",
    "address_1": "",
    "address_2": "",
    "city": "",
    "state": "",
    "postcode": "",
    "country": "",
}
_CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def money(amount: Decimal) -> str:
    """An amount as WooCommerce writes order money: a string with two decimals."""
    return f"{amount.quantize(Decimal('0.01'))}"


class OrderRepository:
    """Reads, writes and shows orders, and applies their stock effects.

    Args:
        store_time: The store's time zone.
        products: The product tables whose stock orders move.
    """

    def __init__(self, store_time: StoreTime, products: ProductRepository) -> None:
        self.store_time = store_time
        self.products = products

    def new_record(self, order_id: int, currency: str) -> dict[str, Any]:
        """An unsaved order with WooCommerce's defaults."""
        return {
            "id": order_id,
            "parent_id": 0,
            "status": "pending",
            "currency": currency,
            "customer_id": 0,
            "order_key": f"wc_order_{order_id:013d}",
            "billing": {**_ADDRESS, "email": "", "phone": ""},
            "shipping": {**_ADDRESS, "phone": ""},
            "payment_method": "bacs",
            "payment_method_title": "Direct bank transfer",
            "transaction_id": "",
            "customer_ip_address": "",
            "customer_user_agent": "",
            "created_via": "checkout",
            "customer_note": "",
            "date_paid_gmt": None,
            "date_completed_gmt": None,
            "line_items": [],
            "total": "0.00",
            "meta_data": [],
            "stock_reduced": False,
            "sales_recorded": False,
        }

    def line_item(
        self,
        db: sqlite3.Connection,
        product: dict[str, Any],
        quantity: int,
        unit_price: Decimal | None = None,
    ) -> dict[str, Any]:
        """A line item for a product or variation, priced at its current price by default."""
        price = unit_price if unit_price is not None else Decimal(effective_price(product) or 0)
        total = price * quantity
        is_variation = product["type"] == "variation"
        parent = self.products.get(db, product["parent_id"]) if is_variation else None
        return {
            "id": next_id(db, "order_item"),
            "name": product["name"],
            "product_id": parent["id"] if parent else product["id"],
            "variation_id": product["id"] if is_variation else 0,
            "quantity": quantity,
            "tax_class": "",
            "subtotal": money(total),
            "subtotal_tax": "0.00",
            "total": money(total),
            "total_tax": "0.00",
            "taxes": [],
            "meta_data": [],
            "sku": product["sku"],
            "price": float(price),
            "image": {"id": "", "src": ""},
            "parent_name": parent["name"] if parent else None,
            "reduced_stock": 0,
        }

    def get(self, db: sqlite3.Connection, order_id: int) -> dict[str, Any] | None:
        """An order by id."""
        row = db.execute("SELECT * FROM wc_orders WHERE id = ?", (order_id,)).fetchone()
        return self.from_row(row) if row else None

    def from_row(self, row: sqlite3.Row) -> dict[str, Any]:
        """An order from its table row."""
        record = json.loads(row["document"])
        for column in ORDER_COLUMNS:
            record[column] = row[column]
        return record

    def save(self, db: sqlite3.Connection, record: dict[str, Any], now: datetime | None) -> None:
        """Insert or replace an order; with `now`, stamp it as modified at that moment."""
        if now is not None:
            record["date_modified_gmt"] = self.store_time.gmt(now)
        document = {key: value for key, value in record.items() if key not in ORDER_COLUMNS}
        local = self.store_time.local_from_gmt
        db.execute(
            "INSERT OR REPLACE INTO wc_orders (id, parent_id, status, customer_id, date_created, "
            "date_created_gmt, date_modified, date_modified_gmt, document) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record["id"],
                record["parent_id"],
                record["status"],
                record["customer_id"],
                local(record["date_created_gmt"]),
                record["date_created_gmt"],
                local(record["date_modified_gmt"]),
                record["date_modified_gmt"],
                json.dumps(document, separators=(",", ":")),
            ),
        )

    def recalculate(self, record: dict[str, Any]) -> None:
        """Set the order total from its lines (the demo store charges no tax or shipping)."""
        total = sum((Decimal(line["total"]) for line in record["line_items"]), Decimal(0))
        record["total"] = money(total)

    def set_status(
        self, db: sqlite3.Connection, record: dict[str, Any], status: str, now: datetime
    ) -> None:
        """Move an order to a status, with the stock and date effects WooCommerce attaches."""
        record["status"] = status
        stamp = self.store_time.gmt(now)
        if status in PAID_STATUSES and not record.get("date_paid_gmt"):
            record["date_paid_gmt"] = stamp
        if status == "completed" and not record.get("date_completed_gmt"):
            record["date_completed_gmt"] = stamp
        if status in REDUCING_STATUSES and not record.get("stock_reduced"):
            self._move_stock(db, record, -1, now)
            record["stock_reduced"] = True
        elif status in RESTORING_STATUSES and record.get("stock_reduced"):
            self._move_stock(db, record, +1, now)
            record["stock_reduced"] = False
        if status in REDUCING_STATUSES and not record.get("sales_recorded"):
            self._count_sales(db, record, +1)
            record["sales_recorded"] = True
        elif status == "cancelled" and record.get("sales_recorded"):
            self._count_sales(db, record, -1)
            record["sales_recorded"] = False

    def _count_sales(self, db: sqlite3.Connection, record: dict[str, Any], sign: int) -> None:
        """Move `total_sales` of each line's product, as `wc_update_total_sales_counts` does.

        The count is written straight to the product's meta, so it does not move the
        product's `date_modified`.
        """
        for line in record["line_items"]:
            product = self.products.get(db, line["product_id"])
            if product is not None:
                sales = product.get("total_sales", 0) + sign * line["quantity"]
                product["total_sales"] = max(0, sales)
                self.products.save(db, product, None)

    def _move_stock(
        self, db: sqlite3.Connection, record: dict[str, Any], sign: int, now: datetime
    ) -> None:
        for line in record["line_items"]:
            product = self.products.get(db, line["variation_id"] or line["product_id"])
            if product is None:
                continue
            parent = self.products.get(db, product["parent_id"]) if product["parent_id"] else None
            holder = stock_holder(product, parent)
            if holder is None:
                continue
            quantity = line["quantity"] if sign < 0 else line.get("reduced_stock", 0)
            holder["stock_quantity"] = (holder.get("stock_quantity") or 0) + sign * quantity
            line["reduced_stock"] = quantity if sign < 0 else 0
            self.products.sync_stock_status(holder, None)
            self.products.save(db, holder, now)
            if parent is not None:
                self.products.sync_variable(db, parent["id"], now)

    def render(self, record: dict[str, Any], site: str) -> dict[str, Any]:
        """An order as `GET /orders/{id}` shows it."""
        local = self.store_time.local_from_gmt
        needs_payment = record["status"] in ("pending", "failed")
        return {
            "id": record["id"],
            "parent_id": record["parent_id"],
            "status": record["status"],
            "currency": record["currency"],
            "version": "9.4.0",
            "prices_include_tax": False,
            "date_created": local(record["date_created_gmt"]),
            "date_created_gmt": record["date_created_gmt"],
            "date_modified": local(record["date_modified_gmt"]),
            "date_modified_gmt": record["date_modified_gmt"],
            "discount_total": "0.00",
            "discount_tax": "0.00",
            "shipping_total": "0.00",
            "shipping_tax": "0.00",
            "cart_tax": "0.00",
            "total": record["total"],
            "total_tax": "0.00",
            "customer_id": record["customer_id"],
            "order_key": record["order_key"],
            "billing": record["billing"],
            "shipping": record["shipping"],
            "payment_method": record["payment_method"],
            "payment_method_title": record["payment_method_title"],
            "transaction_id": record["transaction_id"],
            "customer_ip_address": record["customer_ip_address"],
            "customer_user_agent": record["customer_user_agent"],
            "created_via": record["created_via"],
            "customer_note": record["customer_note"],
            "date_completed": local(record.get("date_completed_gmt")),
            "date_paid": local(record.get("date_paid_gmt")),
            "cart_hash": "",
            "number": str(record["id"]),
            "meta_data": record["meta_data"],
            "line_items": [
                {key: value for key, value in line.items() if key != "reduced_stock"}
                for line in record["line_items"]
            ],
            "tax_lines": [],
            "shipping_lines": [],
            "fee_lines": [],
            "coupon_lines": [],
            "refunds": [],
            "payment_url": f"{site}/checkout/order-pay/{record['id']}/"
            f"?pay_for_order=true&key={record['order_key']}",
            "is_editable": record["status"] in ("pending", "on-hold", "auto-draft"),
            "needs_payment": needs_payment,
            "needs_processing": True,
            "date_completed_gmt": record.get("date_completed_gmt"),
            "date_paid_gmt": record.get("date_paid_gmt"),
            "currency_symbol": _CURRENCY_SYMBOLS.get(record["currency"], record["currency"]),
            "_links": {
                "self": [{"href": f"{site}/wp-json/wc/v3/orders/{record['id']}"}],
                "collection": [{"href": f"{site}/wp-json/wc/v3/orders"}],
            },
        }
