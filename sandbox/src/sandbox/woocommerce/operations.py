"""What the REST endpoints and the admin actions do to the store, once validated.

Creating, updating and deleting products, variations and orders, with the rules WooCommerce
attaches: unique SKUs, stock status following quantity, a variable product kept in line with
its variations, trash before deletion, and order status moving stock.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request

from sandbox.woocommerce.errors import PERMISSION_ERRORS, WooCommerceError, invalid_id
from sandbox.woocommerce.schema import next_id

if TYPE_CHECKING:
    from sandbox.woocommerce.app import WooCommerceEmulator

_POST_TYPES = {"product": "product", "variation": "product_variation", "order": "shop_order"}


class StoreOperations:
    """Record operations of the WooCommerce emulator (mixed into `WooCommerceEmulator`)."""

    def require_caller(self: WooCommerceEmulator, request: Request, permission: str) -> None:
        """Authenticate a request; refuse it with 401 when it has no valid credentials.

        The nonce of an OAuth request is recorded in a transaction of its own, so it stays
        used whatever the endpoint answers.
        """
        with self.state.transaction() as db:
            caller = self.authenticator.authenticate(request, db)
        if caller is None:
            code, message = PERMISSION_ERRORS[permission]
            raise WooCommerceError(code, message, 401)

    # Products.

    def create_product(
        self: WooCommerceEmulator, db: sqlite3.Connection, body: dict[str, Any], now: datetime
    ) -> dict[str, Any]:
        """Create a product from a request body."""
        if body.get("id"):
            raise WooCommerceError(
                "woocommerce_rest_product_exists", "Cannot create existing product.", 400
            )
        record = self.product_writer.new_record(db, "simple", now)
        self.product_writer.apply(db, record, body, now)
        self.products.save(db, record, now)
        if record["type"] == "variable":
            self.products.sync_variable(db, record["id"], now)
        return self.products.get(db, record["id"]) or record

    def update_product(
        self: WooCommerceEmulator,
        db: sqlite3.Connection,
        product_id: int,
        body: dict[str, Any],
        now: datetime,
    ) -> dict[str, Any]:
        """Update a product (or a variation addressed by its own id) from a request body."""
        record = self.products.get(db, product_id) if product_id else None
        if record is None:
            raise invalid_id("product", 400)
        parent = self.products.get(db, record["parent_id"]) if record["parent_id"] else None
        self.product_writer.apply(db, record, body, now, parent)
        self.products.save(db, record, now)
        self._after_product_change(db, record, now)
        return self.products.get(db, product_id) or record

    def _after_product_change(
        self: WooCommerceEmulator, db: sqlite3.Connection, record: dict[str, Any], now: datetime
    ) -> None:
        if record["type"] == "variable":
            self.products.sync_variable(db, record["id"], now)
        elif record["type"] == "variation":
            self.products.sync_variable(db, record["parent_id"], now)

    def delete_product(
        self: WooCommerceEmulator,
        db: sqlite3.Connection,
        product_id: int,
        force: bool,
        site: str,
        variation: bool,
    ) -> dict[str, Any]:
        """Trash a product or variation, or delete it for good with `force`.

        Returns:
            The record as it was shown before a forced delete, or as trashed.
        """
        kind = "variation" if variation else "product"
        record = self.products.get(db, product_id)
        if record is None:
            raise invalid_id(_POST_TYPES[kind], 404)
        render = self.products.render_variation if variation else self.products.render_product
        now = self.clock.now()
        if force:
            shown = render(db, record, site)
            self.products.delete(db, product_id)
            if record["type"] == "variation":
                self.products.sync_variable(db, record["parent_id"], now)
            return shown
        if record["status"] == "trash":
            raise WooCommerceError(
                "woocommerce_rest_already_trashed",
                f"The {_POST_TYPES[kind]} has already been deleted.",
                410,
            )
        record["status"] = "trash"
        self.products.save(db, record, now)
        self._after_product_change(db, record, now)
        return render(db, record, site)

    # Variations.

    def _variable_parent(
        self: WooCommerceEmulator, db: sqlite3.Connection, product_id: int
    ) -> dict[str, Any]:
        parent = self.products.get(db, product_id)
        if parent is None or parent["type"] == "variation":
            raise invalid_id("product", 404)
        return parent

    def _variation(
        self: WooCommerceEmulator,
        db: sqlite3.Connection,
        product_id: int,
        variation_id: int,
        status: int,
    ) -> dict[str, Any]:
        record = self.products.get(db, variation_id) if variation_id else None
        if record is None or record["type"] != "variation" or record["parent_id"] != product_id:
            raise invalid_id("product_variation", status)
        return record

    def create_variation(
        self: WooCommerceEmulator,
        db: sqlite3.Connection,
        product_id: int,
        body: dict[str, Any],
        now: datetime,
    ) -> dict[str, Any]:
        """Create a variation of a variable product from a request body."""
        parent = self._variable_parent(db, product_id)
        if body.get("id"):
            raise WooCommerceError(
                "woocommerce_rest_product_variation_exists",
                "Cannot create existing product_variation.",
                400,
            )
        record = self.product_writer.new_record(db, "variation", now, parent_id=product_id)
        record["name"] = parent["name"]
        record["menu_order"] = len(self.products.children(db, product_id)) + 1
        self.product_writer.apply(db, record, body, now, parent)
        self.products.save(db, record, now)
        self.products.sync_variable(db, product_id, now)
        return self.products.get(db, record["id"]) or record

    def update_variation(
        self: WooCommerceEmulator,
        db: sqlite3.Connection,
        product_id: int,
        variation_id: int,
        body: dict[str, Any],
        now: datetime,
    ) -> dict[str, Any]:
        """Update a variation from a request body."""
        record = self._variation(db, product_id, variation_id, 400)
        parent = self.products.get(db, product_id)
        self.product_writer.apply(db, record, body, now, parent)
        self.products.save(db, record, now)
        self.products.sync_variable(db, product_id, now)
        return self.products.get(db, variation_id) or record

    def _delete_variation(
        self: WooCommerceEmulator,
        db: sqlite3.Connection,
        product_id: int,
        variation_id: int,
        site: str,
    ) -> dict[str, Any]:
        self._variation(db, product_id, variation_id, 404)
        return self.delete_product(db, variation_id, True, site, variation=True)

    # Orders.

    def create_order(
        self: WooCommerceEmulator,
        db: sqlite3.Connection,
        body: dict[str, Any],
        now: datetime,
        created_via: str,
    ) -> dict[str, Any]:
        """Create an order from a request body; a paid status reduces stock."""
        if body.get("id"):
            raise WooCommerceError(
                "woocommerce_rest_shop_order_exists", "Cannot create existing order.", 400
            )
        record = self.orders.new_record(next_id(db, "post"), self.catalogue.currency)
        stamp = self.store_time.gmt(now)
        record.update(
            created_via=created_via,
            date_created_gmt=stamp,
            date_modified_gmt=stamp,
            payment_method="",
            payment_method_title="",
        )
        self.order_writer.apply(db, record, body, now, creating=True)
        self.orders.save(db, record, now)
        return record

    def update_order(
        self: WooCommerceEmulator,
        db: sqlite3.Connection,
        order_id: int,
        body: dict[str, Any],
        now: datetime,
    ) -> dict[str, Any]:
        """Update an order from a request body; a status change moves stock."""
        record = self.orders.get(db, order_id) if order_id else None
        if record is None:
            raise invalid_id("shop_order", 400)
        self.order_writer.apply(db, record, body, now, creating=False)
        self.orders.save(db, record, now)
        return record

    def delete_order(
        self: WooCommerceEmulator,
        db: sqlite3.Connection,
        order_id: int,
        force: bool,
        site: str,
    ) -> dict[str, Any]:
        """Trash an order, or delete it for good with `force`."""
        record = self.orders.get(db, order_id)
        if record is None:
            raise invalid_id("shop_order", 404)
        if force:
            db.execute("DELETE FROM wc_orders WHERE id = ?", (order_id,))
            return self.orders.render(record, site)
        if record["status"] == "trash":
            raise WooCommerceError(
                "woocommerce_rest_already_trashed", "The shop_order has already been deleted.", 410
            )
        record["status"] = "trash"
        self.orders.save(db, record, self.clock.now())
        return self.orders.render(record, site)
