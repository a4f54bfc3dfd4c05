"""Admin actions under `/_sandbox/`: what a shopper or a clerk does in the store's own UI.

- `GET /_sandbox/products/{sku}`: the product or variation with that SKU, as the API shows it.
- `POST /_sandbox/products/{sku}`: a clerk edits it in WP admin. Body (every field optional):
  `{"name", "description", "short_description", "regular_price", "sale_price", "price",
  "stock_quantity", "status"}`. `price` sets the regular price and ends any sale. For a
  variation, `name` and `short_description` change its variable product (they live on the
  product page). Moves `date_modified` of what changed.
- `POST /_sandbox/orders`: a customer checks out. Body `{"lines": [{"sku", "quantity"}],
  "status": "processing" (default; "on-hold" or "pending" also), "email", "first_name",
  "last_name"}`. Lowers stock for a processing or on-hold order.
- `GET /_sandbox/orders/{id}`: an order as the API shows it.
- `POST /_sandbox/orders/{id}/complete` and `POST /_sandbox/orders/{id}/cancel`: the shop
  manager completes or cancels an order; cancelling gives the stock back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from sandbox.emulator import json_response, read_json
from sandbox.woocommerce.errors import WooCommerceError

if TYPE_CHECKING:
    from sandbox.woocommerce.app import WooCommerceEmulator

AdminHandler = Callable[..., Response]

_PRODUCT_PAGE_FIELDS = ("name", "short_description")
_EDITABLE = (
    "name",
    "description",
    "short_description",
    "regular_price",
    "sale_price",
    "price",
    "stock_quantity",
    "status",
)


def admin_action(handler: AdminHandler) -> AdminHandler:
    """Answer a refused admin action as `{"error", "code"}` with the error's status."""

    @functools.wraps(handler)
    def action(self: WooCommerceEmulator, request: Request, **values: Any) -> Response:
        try:
            return handler(self, request, **values)
        except WooCommerceError as error:
            return json_response({"error": error.message, "code": error.code}, error.status)

    return action


def _site(request: Request) -> str:
    return request.host_url.rstrip("/")


class AdminActions:
    """The admin routes of the WooCommerce emulator (mixed into `WooCommerceEmulator`)."""

    @admin_action
    def admin_product(self: WooCommerceEmulator, request: Request, sku: str) -> Response:
        """Show (GET) or edit as a clerk (POST) the product or variation with a SKU."""
        with self.state.transaction() as db:
            record = self.products.get_by_sku(db, sku)
            if record is None:
                raise WooCommerceError("sandbox_unknown_sku", f"No product has SKU {sku}.", 404)
            if request.method == "POST":
                record = self._clerk_edit(db, record, read_json(request))
            return json_response(self._show(db, record, _site(request)))

    def _clerk_edit(
        self: WooCommerceEmulator, db: Any, record: dict[str, Any], body: dict[str, Any]
    ) -> dict[str, Any]:
        unknown = set(body) - set(_EDITABLE)
        if unknown:
            raise ValueError(f"cannot edit {', '.join(sorted(unknown))}")
        changes: dict[str, Any] = {}
        for field in ("name", "description", "short_description", "status"):
            if field in body:
                changes[field] = str(body[field])
        for field in ("regular_price", "sale_price"):
            if field in body:
                changes[field] = "" if body[field] in (None, "") else str(body[field])
        if "price" in body:
            changes["regular_price"], changes["sale_price"] = str(body["price"]), ""
        if "stock_quantity" in body:
            changes["stock_quantity"] = int(body["stock_quantity"])

        now = self.clock.now()
        if record["type"] == "variation":
            page = {key: changes.pop(key) for key in _PRODUCT_PAGE_FIELDS if key in changes}
            if page:
                self.update_product(db, record["parent_id"], page, now)
            if "stock_quantity" in changes and not record.get("manage_stock"):
                parent = self.products.get(db, record["parent_id"])
                if parent is not None and parent.get("manage_stock"):
                    self.update_product(
                        db, parent["id"], {"stock_quantity": changes.pop("stock_quantity")}, now
                    )
            if changes:
                self.update_variation(db, record["parent_id"], record["id"], changes, now)
        elif changes:
            self.update_product(db, record["id"], changes, now)
        return self.products.get(db, record["id"]) or record

    def _show(self: WooCommerceEmulator, db: Any, record: dict[str, Any], site: str) -> Any:
        if record["type"] != "variation":
            return {"product": self.products.render_product(db, record, site)}
        parent = self.products.get(db, record["parent_id"])
        return {
            "variation": self.products.render_variation(db, record, site),
            "product": self.products.render_product(db, parent, site) if parent else None,
        }

    @admin_action
    def admin_place_order(self: WooCommerceEmulator, request: Request) -> Response:
        """A customer places an order for SKUs and quantities."""
        body = read_json(request)
        lines = body.get("lines") or []
        if not lines:
            raise ValueError("an order needs lines: [{sku, quantity}]")
        status = str(body.get("status", "processing"))
        if status not in ("processing", "on-hold", "pending"):
            raise ValueError("status must be processing, on-hold or pending")
        order_body = {
            "status": status,
            "billing": {
                "first_name": str(body.get("first_name", "Sandbox")),
                "last_name": str(body.get("last_name", "Shopper")),
                "email": str(body.get("email", "shopper@example.com")),
            },
            "line_items": [
                {"sku": str(line["sku"]), "quantity": int(line["quantity"])} for line in lines
            ],
            "payment_method": "bacs",
            "payment_method_title": "Direct bank transfer",
        }
        with self.state.transaction() as db:
            record = self.create_order(db, order_body, self.clock.now(), created_via="checkout")
        return json_response({"order": self.orders.render(record, _site(request))}, 201)

    @admin_action
    def admin_order(self: WooCommerceEmulator, request: Request, order_id: int) -> Response:
        """An order as the API shows it."""
        with self.state.transaction() as db:
            record = self.orders.get(db, order_id)
        if record is None:
            raise WooCommerceError("sandbox_unknown_order", f"No order {order_id}.", 404)
        return json_response({"order": self.orders.render(record, _site(request))})

    @admin_action
    def admin_order_action(
        self: WooCommerceEmulator, request: Request, order_id: int, action: str
    ) -> Response:
        """Complete or cancel an order from the orders screen."""
        status = {"complete": "completed", "cancel": "cancelled"}[action]
        with self.state.transaction() as db:
            if self.orders.get(db, order_id) is None:
                raise WooCommerceError("sandbox_unknown_order", f"No order {order_id}.", 404)
            record = self.update_order(db, order_id, {"status": status}, self.clock.now())
        return json_response({"order": self.orders.render(record, _site(request))})
