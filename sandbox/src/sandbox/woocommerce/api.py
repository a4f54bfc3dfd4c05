"""The REST endpoints under `/wp-json/wc/v3`: products, variations and orders.

Each endpoint authenticates the caller, runs in one transaction on the store's state and
answers WooCommerce's JSON; every failure is a `WooCommerceError` turned into its envelope.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from sandbox.emulator import json_response
from sandbox.woocommerce import params
from sandbox.woocommerce.errors import WooCommerceError, invalid_id
from sandbox.woocommerce.listing import page_headers

if TYPE_CHECKING:
    from sandbox.woocommerce.app import WooCommerceEmulator

#: The batch endpoints' limit (`woocommerce_rest_batch_items_limit`).
BATCH_LIMIT = 100


Endpoint = Callable[..., Response]


def rest_endpoint(permission: str) -> Callable[[Endpoint], Endpoint]:
    """Wrap a REST handler: authenticate and answer errors as WooCommerce does.

    Anonymous callers are refused as WooCommerce's permission checks refuse them, and any
    `WooCommerceError` is answered with its envelope.
    """

    def decorate(handler: Endpoint) -> Endpoint:
        @functools.wraps(handler)
        def endpoint(self: WooCommerceEmulator, request: Request, **values: Any) -> Response:
            try:
                self.require_caller(request, permission)
                return handler(self, request, **values)
            except WooCommerceError as error:
                return error.response()

        return endpoint

    return decorate


def request_body(request: Request) -> dict[str, Any]:
    """The request's JSON (or form) body, as WordPress reads it.

    Raises:
        WooCommerceError: The body is not valid JSON (`rest_invalid_json`).
    """
    if request.mimetype == "application/x-www-form-urlencoded":
        return request.form.to_dict()
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError as error:
        raise WooCommerceError(
            "rest_invalid_json",
            "Invalid JSON body passed.",
            400,
            json_error_code=4,
            json_error_message="Syntax error",
        ) from error
    return body if isinstance(body, dict) else {}


def _site(request: Request) -> str:
    return request.host_url.rstrip("/")


def respond(
    request: Request, body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A JSON answer, cut down to the `_fields` the client asked for, as WordPress does.

    `_fields=id,sku,meta_data.key` keeps only those members (dotted names reach into nested
    objects); a collection is cut down item by item.
    """
    wanted = [name.strip() for name in request.args.get("_fields", "").split(",") if name.strip()]
    if wanted:
        body = _pick(body, _field_tree(wanted))
    return json_response(body, status, headers)


def _field_tree(names: list[str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for name in names:
        node = tree
        *parents, leaf = name.split(".")
        for part in parents:
            if node.get(part) is True:
                break
            node = node.setdefault(part, {})
        else:
            node[leaf] = True
    return tree


def _pick(value: Any, tree: dict[str, Any]) -> Any:
    if isinstance(value, list):
        return [_pick(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    picked = {}
    for key, subtree in tree.items():
        if key in value:
            picked[key] = value[key] if subtree is True else _pick(value[key], subtree)
    return picked


class RestApi:
    """The vendor endpoints of the WooCommerce emulator (mixed into `WooCommerceEmulator`)."""

    # Products.

    @rest_endpoint("list")
    def products_list(self: WooCommerceEmulator, request: Request) -> Response:
        """`GET /products`."""
        with self.state.transaction() as db:
            page = self.collections.products(db, request)
            records = [self.products.from_row(row) for row in page.rows]
            body = [self.products.render_product(db, record, _site(request)) for record in records]
        return respond(request, body, 200, page_headers(request, page))

    @rest_endpoint("create")
    def products_create(self: WooCommerceEmulator, request: Request) -> Response:
        """`POST /products`."""
        body = request_body(request)
        with self.state.transaction() as db:
            record = self.create_product(db, body, self.clock.now())
            rendered = self.products.render_product(db, record, _site(request))
        location = f"{_site(request)}/wp-json/wc/v3/products/{record['id']}"
        return respond(request, rendered, 201, {"Location": location})

    @rest_endpoint("view")
    def products_get(self: WooCommerceEmulator, request: Request, product_id: int) -> Response:
        """`GET /products/{id}` (a variation's id also answers, in the product schema)."""
        with self.state.transaction() as db:
            record = self.products.get(db, product_id)
            if record is None:
                raise invalid_id("product", 404)
            return respond(request, self.products.render_product(db, record, _site(request)))

    @rest_endpoint("edit")
    def products_update(self: WooCommerceEmulator, request: Request, product_id: int) -> Response:
        """`PUT`, `PATCH` or `POST /products/{id}`."""
        body = request_body(request)
        with self.state.transaction() as db:
            record = self.update_product(db, product_id, body, self.clock.now())
            return respond(request, self.products.render_product(db, record, _site(request)))

    @rest_endpoint("delete")
    def products_delete(self: WooCommerceEmulator, request: Request, product_id: int) -> Response:
        """`DELETE /products/{id}`; without `force=true` the product goes to the trash."""
        force = params.as_boolean("force", request.args.get("force") or "false")
        with self.state.transaction() as db:
            return respond(
                request, self.delete_product(db, product_id, force, _site(request), variation=False)
            )

    @rest_endpoint("batch")
    def products_batch(self: WooCommerceEmulator, request: Request) -> Response:
        """`POST /products/batch`."""
        site = _site(request)
        return self.run_batch(
            request,
            create=lambda db, body, now: self.products.render_product(
                db, self.create_product(db, body, now), site
            ),
            update=lambda db, body, now: self.products.render_product(
                db, self.update_product(db, _batch_id(body), body, now), site
            ),
            delete=lambda db, item_id: self.delete_product(db, item_id, True, site, False),
        )

    # Variations.

    @rest_endpoint("list")
    def variations_list(self: WooCommerceEmulator, request: Request, product_id: int) -> Response:
        """`GET /products/{id}/variations`."""
        with self.state.transaction() as db:
            self._variable_parent(db, product_id)
            page = self.collections.products(db, request, parent_id=product_id)
            records = [self.products.from_row(row) for row in page.rows]
            body = [
                self.products.render_variation(db, record, _site(request)) for record in records
            ]
        return respond(request, body, 200, page_headers(request, page))

    @rest_endpoint("create")
    def variations_create(self: WooCommerceEmulator, request: Request, product_id: int) -> Response:
        """`POST /products/{id}/variations`."""
        body = request_body(request)
        with self.state.transaction() as db:
            record = self.create_variation(db, product_id, body, self.clock.now())
            rendered = self.products.render_variation(db, record, _site(request))
        location = f"{_site(request)}/wp-json/wc/v3/products/{product_id}/variations/{record['id']}"
        return respond(request, rendered, 201, {"Location": location})

    @rest_endpoint("view")
    def variations_get(
        self: WooCommerceEmulator, request: Request, product_id: int, variation_id: int
    ) -> Response:
        """`GET /products/{id}/variations/{vid}`."""
        with self.state.transaction() as db:
            record = self._variation(db, product_id, variation_id, 404)
            return respond(request, self.products.render_variation(db, record, _site(request)))

    @rest_endpoint("edit")
    def variations_update(
        self: WooCommerceEmulator, request: Request, product_id: int, variation_id: int
    ) -> Response:
        """`PUT`, `PATCH` or `POST /products/{id}/variations/{vid}`."""
        body = request_body(request)
        with self.state.transaction() as db:
            record = self.update_variation(db, product_id, variation_id, body, self.clock.now())
            return respond(request, self.products.render_variation(db, record, _site(request)))

    @rest_endpoint("delete")
    def variations_delete(
        self: WooCommerceEmulator, request: Request, product_id: int, variation_id: int
    ) -> Response:
        """`DELETE /products/{id}/variations/{vid}`."""
        force = params.as_boolean("force", request.args.get("force") or "false")
        with self.state.transaction() as db:
            self._variation(db, product_id, variation_id, 404)
            return respond(
                request,
                self.delete_product(db, variation_id, force, _site(request), variation=True),
            )

    @rest_endpoint("batch")
    def variations_batch(self: WooCommerceEmulator, request: Request, product_id: int) -> Response:
        """`POST /products/{id}/variations/batch`."""
        site = _site(request)
        with self.state.transaction() as db:
            self._variable_parent(db, product_id)
        return self.run_batch(
            request,
            create=lambda db, body, now: self.products.render_variation(
                db, self.create_variation(db, product_id, body, now), site
            ),
            update=lambda db, body, now: self.products.render_variation(
                db, self.update_variation(db, product_id, _batch_id(body), body, now), site
            ),
            delete=lambda db, item_id: self._delete_variation(db, product_id, item_id, site),
        )

    # Orders.

    @rest_endpoint("list")
    def orders_list(self: WooCommerceEmulator, request: Request) -> Response:
        """`GET /orders`."""
        with self.state.transaction() as db:
            page = self.collections.orders(db, request)
            body = [
                self.orders.render(self.orders.from_row(row), _site(request)) for row in page.rows
            ]
        return respond(request, body, 200, page_headers(request, page))

    @rest_endpoint("create")
    def orders_create(self: WooCommerceEmulator, request: Request) -> Response:
        """`POST /orders`."""
        body = request_body(request)
        with self.state.transaction() as db:
            record = self.create_order(db, body, self.clock.now(), created_via="rest-api")
        location = f"{_site(request)}/wp-json/wc/v3/orders/{record['id']}"
        return respond(
            request, self.orders.render(record, _site(request)), 201, {"Location": location}
        )

    @rest_endpoint("view")
    def orders_get(self: WooCommerceEmulator, request: Request, order_id: int) -> Response:
        """`GET /orders/{id}`."""
        with self.state.transaction() as db:
            record = self.orders.get(db, order_id)
        if record is None:
            raise invalid_id("shop_order", 404)
        return respond(request, self.orders.render(record, _site(request)))

    @rest_endpoint("edit")
    def orders_update(self: WooCommerceEmulator, request: Request, order_id: int) -> Response:
        """`PUT`, `PATCH` or `POST /orders/{id}`."""
        body = request_body(request)
        with self.state.transaction() as db:
            record = self.update_order(db, order_id, body, self.clock.now())
        return respond(request, self.orders.render(record, _site(request)))

    @rest_endpoint("delete")
    def orders_delete(self: WooCommerceEmulator, request: Request, order_id: int) -> Response:
        """`DELETE /orders/{id}`; without `force=true` the order goes to the trash."""
        force = params.as_boolean("force", request.args.get("force") or "false")
        with self.state.transaction() as db:
            return respond(request, self.delete_order(db, order_id, force, _site(request)))

    @rest_endpoint("batch")
    def orders_batch(self: WooCommerceEmulator, request: Request) -> Response:
        """`POST /orders/batch`."""
        site = _site(request)
        return self.run_batch(
            request,
            create=lambda db, body, now: self.orders.render(
                self.create_order(db, body, now, created_via="rest-api"), site
            ),
            update=lambda db, body, now: self.orders.render(
                self.update_order(db, _batch_id(body), body, now), site
            ),
            delete=lambda db, item_id: self.delete_order(db, item_id, True, site),
        )

    # Batches.

    def run_batch(
        self: WooCommerceEmulator,
        request: Request,
        create: Callable[[sqlite3.Connection, dict[str, Any], datetime], dict[str, Any]],
        update: Callable[[sqlite3.Connection, dict[str, Any], datetime], dict[str, Any]],
        delete: Callable[[sqlite3.Connection, int], dict[str, Any]],
    ) -> Response:
        """Apply a `{"create": [], "update": [], "delete": []}` batch item by item.

        Each item succeeds or fails alone: a failed item answers inline as
        `{"id": ..., "error": {"code", "message", "data"}}` and the others still apply.
        """
        body = request_body(request)
        actions = {name: body.get(name) or [] for name in ("create", "update", "delete")}
        for name, items in actions.items():
            params.as_array(name, items)
        total = sum(len(items) for items in actions.values())
        if total > BATCH_LIMIT:
            raise WooCommerceError(
                "woocommerce_rest_request_entity_too_large",
                f"Unable to accept more than {BATCH_LIMIT} items for this request.",
                413,
            )

        answer: dict[str, list[dict[str, Any]]] = {}
        for item in actions["create"]:
            answer.setdefault("create", []).append(
                self._batch_item(0, lambda db, now, item=item: create(db, _as_item(item), now))
            )
        for item in actions["update"]:
            item_id = item.get("id") if isinstance(item, dict) else None
            answer.setdefault("update", []).append(
                self._batch_item(
                    item_id, lambda db, now, item=item: update(db, _as_item(item), now)
                )
            )
        for raw_id in actions["delete"]:
            try:
                item_id = int(raw_id)
            except (TypeError, ValueError):
                continue
            if item_id == 0:
                continue
            answer.setdefault("delete", []).append(
                self._batch_item(item_id, lambda db, now, item_id=item_id: delete(db, item_id))
            )
        return json_response(answer)

    def _batch_item(
        self: WooCommerceEmulator,
        item_id: Any,
        action: Callable[[sqlite3.Connection, datetime], dict[str, Any]],
    ) -> dict[str, Any]:
        with self.state.transaction() as db:
            db.execute("SAVEPOINT batch_item")
            try:
                result = action(db, self.clock.now())
            except WooCommerceError as error:
                db.execute("ROLLBACK TO batch_item")
                db.execute("RELEASE batch_item")
                return {
                    "id": item_id,
                    "error": {"code": error.code, "message": error.message, "data": error.data},
                }
            db.execute("RELEASE batch_item")
            return result


def _as_item(item: Any) -> dict[str, Any]:
    return item if isinstance(item, dict) else {}


def _batch_id(body: dict[str, Any]) -> int:
    if not body.get("id"):
        return 0
    return params.as_integer("id", body["id"])
