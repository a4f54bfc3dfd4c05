"""Applying a create or update request to an order, as WooCommerce's orders controller does."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sandbox.woocommerce import params
from sandbox.woocommerce.errors import WooCommerceError
from sandbox.woocommerce.meta import update_meta_data
from sandbox.woocommerce.orders import ORDER_STATUSES, OrderRepository, money
from sandbox.woocommerce.products import ProductRepository

_TEXT_FIELDS = (
    "payment_method",
    "payment_method_title",
    "transaction_id",
    "customer_note",
    "customer_ip_address",
    "customer_user_agent",
    "created_via",
)


class OrderWriter:
    """Validates a request body and applies it to an order record.

    Args:
        orders: The order tables.
        products: The product tables, to resolve line items.
    """

    def __init__(self, orders: OrderRepository, products: ProductRepository) -> None:
        self.orders = orders
        self.products = products

    def apply(
        self,
        db: sqlite3.Connection,
        record: dict[str, Any],
        body: dict[str, Any],
        now: datetime,
        creating: bool,
    ) -> None:
        """Apply a request body; the status change (with its stock effect) comes last.

        Raises:
            WooCommerceError: A field is invalid or a line names no product.
        """
        status = record["status"]
        if "status" in body:
            status = params.as_enum("status", body["status"], ORDER_STATUSES)
        if "currency" in body:
            record["currency"] = params.as_string("currency", body["currency"]).upper()
        if "customer_id" in body:
            record["customer_id"] = params.as_integer("customer_id", body["customer_id"])
        if "parent_id" in body:
            record["parent_id"] = params.as_integer("parent_id", body["parent_id"])
        for field in _TEXT_FIELDS:
            if field in body:
                record[field] = params.as_string(field, body[field])
        for address in ("billing", "shipping"):
            if address in body:
                values = params.as_object(address, body[address])
                for key, value in values.items():
                    if key in record[address]:
                        record[address][key] = params.as_string(f"{address}[{key}]", value)
        if "line_items" in body:
            lines = params.as_array("line_items", body["line_items"])
            for index, line in enumerate(lines):
                self._apply_line(db, record, params.as_object(f"line_items[{index}]", line))
            self.orders.recalculate(record)
        if "meta_data" in body:
            update_meta_data(db, record, params.as_array("meta_data", body["meta_data"]))

        set_paid = "set_paid" in body and params.as_boolean("set_paid", body["set_paid"])
        if set_paid:
            # `WC_Order::payment_complete` moves an order that needs processing to processing.
            if status in ("pending", "failed", "on-hold", "checkout-draft"):
                status = "processing"
            record["date_paid_gmt"] = record.get("date_paid_gmt") or self.orders.store_time.gmt(now)
        if creating or status != record["status"] or set_paid:
            self.orders.set_status(db, record, status, now)

    def _apply_line(
        self, db: sqlite3.Connection, record: dict[str, Any], posted: dict[str, Any]
    ) -> None:
        existing = None
        if posted.get("id"):
            line_id = params.as_integer("line_items[id]", posted["id"])
            existing = next((line for line in record["line_items"] if line["id"] == line_id), None)
        quantity = (
            params.as_integer("quantity", posted["quantity"]) if "quantity" in posted else None
        )

        if existing is not None:
            if quantity == 0:
                record["line_items"].remove(existing)
                return
            if quantity is not None:
                existing["quantity"] = quantity
                unit = Decimal(str(existing["price"]))
                existing["subtotal"] = existing["total"] = money(unit * quantity)
            self._apply_line_money(existing, posted)
            return

        product = self._line_product(db, posted)
        line = self.orders.line_item(db, product, quantity if quantity is not None else 1)
        self._apply_line_money(line, posted)
        if "name" in posted:
            line["name"] = params.as_string("name", posted["name"])
        record["line_items"].append(line)

    def _line_product(self, db: sqlite3.Connection, posted: dict[str, Any]) -> dict[str, Any]:
        """The product a posted line names, as `get_product_id` resolves it."""
        if posted.get("sku"):
            found = self.products.get_by_sku(db, str(posted["sku"]))
            product_id = found["id"] if found else 0
        elif posted.get("product_id") and not posted.get("variation_id"):
            product_id = params.as_integer("product_id", posted["product_id"])
        elif posted.get("variation_id"):
            product_id = params.as_integer("variation_id", posted["variation_id"])
        else:
            raise WooCommerceError(
                "woocommerce_rest_required_product_reference", "Product ID or SKU is required.", 400
            )
        product = self.products.get(db, product_id) if product_id else None
        if product is None:
            raise WooCommerceError(
                "woocommerce_rest_invalid_product_id", "Invalid product ID or SKU.", 400
            )
        return product

    def _apply_line_money(self, line: dict[str, Any], posted: dict[str, Any]) -> None:
        for field in ("subtotal", "total"):
            if field in posted:
                value = params.as_string(field, posted[field])
                try:
                    line[field] = money(Decimal(value))
                except InvalidOperation as error:
                    raise params.invalid_param(
                        field, f"{field} is not a valid amount.", "rest_invalid_param"
                    ) from error
        if "total" in posted and line["quantity"]:
            line["price"] = float(Decimal(line["total"]) / line["quantity"])
        if "subtotal" in posted and "total" not in posted:
            line["total"] = line["subtotal"]
