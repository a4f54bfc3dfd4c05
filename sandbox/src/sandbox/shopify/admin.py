"""Admin actions under `/_sandbox/`: what shoppers and shop staff do in Shopify's interface.

- `POST /_sandbox/orders` `{"lines": [{"sku", "quantity"}], "location"?, "email"?,
  "customer_name"?}`: a customer places an order; available goes down and committed up at
  the location (the first location by default).
- `POST /_sandbox/orders/{ref}/fulfil`: the order ships; committed (and so on_hand) goes down.
- `POST /_sandbox/orders/{ref}/cancel` `{"restock"?: true, "reason"?: "CUSTOMER"}`: committed
  goes down and, when restocked, available goes back up.
- `PATCH /_sandbox/variants/{sku}` `{"price"?, "compareAtPrice"?, "barcode"?}`: a clerk edits
  a variant.
- `PATCH /_sandbox/products/{sku}` `{"title"?, "descriptionHtml"?, "status"?, "tags"?,
  "vendor"?, "productType"?}`: a clerk edits the product holding that SKU.
- `GET /_sandbox/inventory?sku=...`: the SKU's levels; `PUT /_sandbox/inventory`
  `{"sku", "location"?, "available"?, "committed"?, "unavailable"?, "incoming"?}`: set by hand.
- `GET /_sandbox/bucket`: the cost bucket; `POST /_sandbox/bucket`
  `{"currently_available": n}`: drain or fill it.

An order `{ref}` is its number (5001), its name (`#5001`, URL-encoded), its id or its GID; a
location is its key (`main`), its id or its GID. Answers are JSON; 404 names what was not found.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import NotFound
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from sandbox.emulator import ADMIN_PREFIX, json_response, read_json
from sandbox.shopify.context import ApiVersion, ShopContext
from sandbox.shopify.products import update_variant
from sandbox.shopify.records import move_quantity, on_hand, touch_variants
from sandbox.shopify.store import ID_BASES, gid, next_id, parse_gid, stamp

if TYPE_CHECKING:
    import sqlite3

    from sandbox.catalogue import Catalogue
    from sandbox.clock import Clock
    from sandbox.settings import ShopifySettings
    from sandbox.shopify.cost import LeakyBucket
    from sandbox.state import StateStore

_PRODUCT_FIELDS = {
    "title": "title",
    "descriptionHtml": "description_html",
    "status": "status",
    "vendor": "vendor",
    "productType": "product_type",
}
_STATUSES = ("ACTIVE", "ARCHIVED", "DRAFT")


class AdminActions:
    """The Shopify emulator's admin routes (mixed into `ShopifyEmulator`)."""

    state: StateStore
    clock: Clock
    catalogue: Catalogue
    settings: ShopifySettings
    bucket: LeakyBucket

    def admin_rules(self) -> list[Rule]:
        """The routes listed in the module docstring."""
        prefix = ADMIN_PREFIX
        return [
            Rule(f"{prefix}/orders", endpoint="admin_place_order", methods=["POST"]),
            Rule(f"{prefix}/orders/<ref>/fulfil", endpoint="admin_fulfil_order", methods=["POST"]),
            Rule(f"{prefix}/orders/<ref>/cancel", endpoint="admin_cancel_order", methods=["POST"]),
            Rule(f"{prefix}/variants/<sku>", endpoint="admin_edit_variant", methods=["PATCH"]),
            Rule(f"{prefix}/products/<sku>", endpoint="admin_edit_product", methods=["PATCH"]),
            Rule(f"{prefix}/inventory", endpoint="admin_inventory", methods=["GET", "PUT"]),
            Rule(f"{prefix}/bucket", endpoint="admin_bucket", methods=["GET", "POST"]),
        ]

    def _now(self) -> str:
        return stamp(self.clock.now())

    def _context(self, db: sqlite3.Connection) -> ShopContext:
        version = ApiVersion.parse(self.settings.latest_api_version)
        return ShopContext(db, version, self._now(), self.settings, self.catalogue.currency)

    def _location(self, db: sqlite3.Connection, ref: Any) -> int:
        if ref is None:
            row = db.execute("SELECT id FROM location ORDER BY id LIMIT 1").fetchone()
        else:
            text = str(ref)
            location_id = parse_gid(text, "Location") or (int(text) if text.isdigit() else None)
            row = db.execute(
                "SELECT id FROM location WHERE id = ? OR key = ?", (location_id, text)
            ).fetchone()
        if row is None:
            raise NotFound(f"no location {ref}")
        return int(row["id"])

    def _variant(self, db: sqlite3.Connection, sku: str) -> sqlite3.Row:
        row = db.execute("SELECT * FROM variant WHERE sku = ?", (sku,)).fetchone()
        if row is None:
            raise NotFound(f"no variant with SKU {sku}")
        return row

    def _order(self, db: sqlite3.Connection, ref: str) -> sqlite3.Row:
        text = ref.lstrip("#")
        order_id = parse_gid(text, "Order")
        if order_id is None and text.isdigit():
            number = int(text)
            order_id = number if number > ID_BASES["Order"] else None
            if order_id is None:
                row = db.execute("SELECT * FROM shop_order WHERE number = ?", (number,)).fetchone()
                if row is not None:
                    return row
        row = db.execute("SELECT * FROM shop_order WHERE id = ?", (order_id,)).fetchone()
        if row is None:
            raise NotFound(f"no order {ref}")
        return row

    def _order_json(self, db: sqlite3.Connection, order_id: int) -> dict[str, Any]:
        row = db.execute("SELECT * FROM shop_order WHERE id = ?", (order_id,)).fetchone()
        lines = db.execute("SELECT * FROM line_item WHERE order_id = ?", (order_id,)).fetchall()
        total = sum((Decimal(line["unit_price"]) * line["quantity"] for line in lines), Decimal(0))
        return {
            "id": gid("Order", row["id"]),
            "name": row["name"],
            "number": row["number"],
            "financial_status": row["financial_status"],
            "fulfillment_status": row["fulfillment_status"],
            "cancelled_at": row["cancelled_at"],
            "closed_at": row["closed_at"],
            "updated_at": row["updated_at"],
            "total": str(total),
            "lines": [{"sku": line["sku"], "quantity": line["quantity"]} for line in lines],
        }

    def admin_place_order(self, request: Request) -> Response:
        """A customer places an order: stock moves from available to committed."""
        body = read_json(request)
        lines = body.get("lines") or []
        if not lines:
            raise ValueError("an order needs at least one line")
        with self.state.transaction() as db:
            now = self._now()
            location_id = self._location(db, body.get("location"))
            variants = [(self._variant(db, line["sku"]), int(line["quantity"])) for line in lines]
            if any(quantity < 1 for _, quantity in variants):
                raise ValueError("every line needs a quantity of at least 1")
            order_id = next_id(db, "shop_order", "Order")
            number = db.execute(
                "SELECT COALESCE(MAX(number), 5000) + 1 FROM shop_order"
            ).fetchone()[0]
            first, _, last = (body.get("customer_name") or "Sandbox Shopper").partition(" ")
            db.execute(
                "INSERT INTO shop_order VALUES (?,?,?,?,?,?,?,?,?,'PAID','UNFULFILLED',"
                " NULL,NULL,NULL,?,?)",
                (
                    order_id,
                    number,
                    f"#{number}",
                    body.get("email") or f"shopper{number}@example.com",
                    first,
                    last,
                    7_000_000_000 + number,
                    self.catalogue.currency,
                    location_id,
                    now,
                    now,
                ),
            )
            for variant, quantity in variants:
                product = db.execute(
                    "SELECT title FROM product WHERE id = ?", (variant["product_id"],)
                ).fetchone()
                db.execute(
                    "INSERT INTO line_item VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        next_id(db, "line_item", "LineItem"),
                        order_id,
                        variant["id"],
                        variant["product_id"],
                        variant["sku"],
                        product["title"],
                        None if variant["title"] == "Default Title" else variant["title"],
                        quantity,
                        variant["price"],
                    ),
                )
                item_id = variant["inventory_item_id"]
                move_quantity(db, item_id, location_id, "available", -quantity, now)
                move_quantity(db, item_id, location_id, "committed", quantity, now)
            return json_response(self._order_json(db, order_id), 201)

    def admin_fulfil_order(self, request: Request, ref: str) -> Response:
        """The order ships: committed, and with it on_hand, goes down; the order closes."""
        with self.state.transaction() as db:
            order = self._order(db, ref)
            if order["cancelled_at"] or order["fulfillment_status"] == "FULFILLED":
                raise ValueError(f"order {order['name']} is not open")
            now = self._now()
            self._release(db, order, restock=False, now=now)
            db.execute(
                "UPDATE shop_order SET fulfillment_status = 'FULFILLED', closed_at = ?,"
                " updated_at = ? WHERE id = ?",
                (now, now, order["id"]),
            )
            return json_response(self._order_json(db, order["id"]))

    def admin_cancel_order(self, request: Request, ref: str) -> Response:
        """The order is cancelled: committed goes down, available back up when restocked."""
        body = read_json(request)
        with self.state.transaction() as db:
            order = self._order(db, ref)
            if order["cancelled_at"] or order["fulfillment_status"] == "FULFILLED":
                raise ValueError(f"order {order['name']} is not open")
            now = self._now()
            self._release(db, order, restock=body.get("restock", True), now=now)
            db.execute(
                "UPDATE shop_order SET cancelled_at = ?, cancel_reason = ?, closed_at = ?,"
                " financial_status = 'REFUNDED', updated_at = ? WHERE id = ?",
                (now, body.get("reason", "CUSTOMER"), now, now, order["id"]),
            )
            return json_response(self._order_json(db, order["id"]))

    def _release(self, db: sqlite3.Connection, order: sqlite3.Row, restock: bool, now: str) -> None:
        lines = db.execute(
            "SELECT l.quantity, v.inventory_item_id FROM line_item l JOIN variant v"
            " ON v.id = l.variant_id WHERE l.order_id = ?",
            (order["id"],),
        ).fetchall()
        for line in lines:
            item_id, quantity = line["inventory_item_id"], line["quantity"]
            move_quantity(db, item_id, order["location_id"], "committed", -quantity, now)
            if restock:
                move_quantity(db, item_id, order["location_id"], "available", quantity, now)

    def admin_edit_variant(self, request: Request, sku: str) -> Response:
        """A clerk edits a variant's price, compare-at price or barcode."""
        body = read_json(request)
        allowed = {"price", "compareAtPrice", "barcode"}
        unknown = set(body) - allowed
        if unknown:
            raise ValueError(f"unknown variant fields: {', '.join(sorted(unknown))}")
        with self.state.transaction() as db:
            row = self._variant(db, sku)
            context = self._context(db)
            if update_variant(context, row, body):
                touch_variants(db, [row["id"]], context.now)
            row = self._variant(db, sku)
            return json_response(
                {
                    "id": gid("ProductVariant", row["id"]),
                    "sku": row["sku"],
                    "price": row["price"],
                    "compareAtPrice": row["compare_at_price"],
                    "barcode": row["barcode"],
                    "updatedAt": row["updated_at"],
                }
            )

    def admin_edit_product(self, request: Request, sku: str) -> Response:
        """A clerk edits the product holding a SKU: title, description, status and so on."""
        body = read_json(request)
        unknown = set(body) - {*_PRODUCT_FIELDS, "tags"}
        if unknown:
            raise ValueError(f"unknown product fields: {', '.join(sorted(unknown))}")
        if "status" in body and body["status"] not in _STATUSES:
            raise ValueError(f"status must be one of {', '.join(_STATUSES)}")
        with self.state.transaction() as db:
            product_id = self._variant(db, sku)["product_id"]
            changes = {_PRODUCT_FIELDS[k]: v for k, v in body.items() if k in _PRODUCT_FIELDS}
            if "tags" in body:
                changes["tags"] = json.dumps(body["tags"])
            changes["updated_at"] = self._now()
            assignments = ", ".join(f"{column} = ?" for column in changes)
            db.execute(
                f"UPDATE product SET {assignments} WHERE id = ?",
                [*changes.values(), product_id],
            )
            row = db.execute("SELECT * FROM product WHERE id = ?", (product_id,)).fetchone()
            return json_response(
                {
                    "id": gid("Product", row["id"]),
                    "title": row["title"],
                    "descriptionHtml": row["description_html"],
                    "status": row["status"],
                    "tags": json.loads(row["tags"]),
                    "updatedAt": row["updated_at"],
                }
            )

    def admin_inventory(self, request: Request) -> Response:
        """Read a SKU's levels (GET) or set some of its quantities at a location (PUT)."""
        if request.method == "GET":
            sku = request.args.get("sku")
            if not sku:
                raise ValueError("give the SKU as ?sku=")
            with self.state.transaction() as db:
                return json_response(self._levels_json(db, self._variant(db, sku)))
        body = read_json(request)
        names = ("available", "committed", "unavailable", "incoming")
        with self.state.transaction() as db:
            variant = self._variant(db, body["sku"])
            location_id = self._location(db, body.get("location"))
            item_id = variant["inventory_item_id"]
            now = self._now()
            for name in names:
                if name not in body:
                    continue
                current = db.execute(
                    f"SELECT {name} FROM inventory_level"
                    " WHERE inventory_item_id = ? AND location_id = ?",
                    (item_id, location_id),
                ).fetchone()
                if current is None:
                    raise NotFound(f"{body['sku']} is not stocked at location {location_id}")
                delta = int(body[name]) - int(current[0])
                if delta:
                    move_quantity(db, item_id, location_id, name, delta, now)
            return json_response(self._levels_json(db, variant))

    def _levels_json(self, db: sqlite3.Connection, variant: sqlite3.Row) -> dict[str, Any]:
        levels = db.execute(
            "SELECT l.*, loc.key FROM inventory_level l JOIN location loc ON loc.id = l.location_id"
            " WHERE inventory_item_id = ? ORDER BY location_id",
            (variant["inventory_item_id"],),
        ).fetchall()
        return {
            "sku": variant["sku"],
            "inventory_item_id": gid("InventoryItem", variant["inventory_item_id"]),
            "levels": [
                {
                    "location": level["key"],
                    "location_id": gid("Location", level["location_id"]),
                    "available": level["available"],
                    "committed": level["committed"],
                    "unavailable": level["unavailable"],
                    "incoming": level["incoming"],
                    "on_hand": on_hand(level),
                    "updated_at": level["updated_at"],
                }
                for level in levels
            ],
        }

    def admin_bucket(self, request: Request) -> Response:
        """Read the cost bucket (GET) or set the points available now (POST)."""
        if request.method == "POST":
            self.bucket.set_available(float(read_json(request)["currently_available"]))
        return json_response(self.bucket.status())
