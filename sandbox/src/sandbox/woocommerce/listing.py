"""Collection requests: the filters, ordering and paging of `GET /products`, `/orders`, ...

Arguments are checked as WordPress checks them (400 `rest_invalid_param`), turned into one
SQL query on the store's tables, and answered with the headers WordPress sets on every
collection: `X-WP-Total`, `X-WP-TotalPages` and a `Link` header with `prev`/`next` pages.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request

from sandbox.woocommerce import params
from sandbox.woocommerce.dates import StoreTime
from sandbox.woocommerce.errors import invalid_param
from sandbox.woocommerce.orders import ORDER_STATUSES

PRODUCT_STATUSES = ("any", "future", "trash", "draft", "pending", "private", "publish")
PRODUCT_TYPES = ("simple", "grouped", "external", "variable")
PRODUCT_ORDERBY = (
    "date",
    "modified",
    "id",
    "include",
    "title",
    "slug",
    "price",
    "popularity",
    "rating",
    "menu_order",
)
ORDER_ORDERBY = ("date", "modified", "id", "include", "title", "slug")
ORDER_FILTER_STATUSES = ("any", "trash", *ORDER_STATUSES)
STOCK_STATUSES = ("instock", "outofstock", "onbackorder")

#: Query arguments that carry credentials; they are left out of `Link` headers.
AUTH_ARGUMENTS = frozenset(
    {
        "consumer_key",
        "consumer_secret",
        "oauth_consumer_key",
        "oauth_timestamp",
        "oauth_nonce",
        "oauth_signature",
        "oauth_signature_method",
        "oauth_version",
    }
)


@dataclass
class Collection:
    """One page of a collection query, before rendering."""

    rows: list[sqlite3.Row]
    total: int
    page: int
    per_page: int

    @property
    def total_pages(self) -> int:
        """Pages of `per_page` records that hold all `total` matches."""
        return math.ceil(self.total / self.per_page) if self.total else 0


@dataclass
class _Query:
    where: list[str] = field(default_factory=list)
    args: list[Any] = field(default_factory=list)

    def add(self, clause: str, *args: Any) -> None:
        self.where.append(clause)
        self.args.extend(args)


def argument(args: MultiDict[str, str], name: str) -> Any:
    """An argument as PHP reads it: `name=a,b`, or `name[]=a&name[]=b` as a list."""
    listed = args.getlist(f"{name}[]")
    if listed:
        return listed
    values = args.getlist(name)
    return values[-1] if values else None


class CollectionQuery:
    """Builds and runs the query behind one collection request.

    Args:
        store_time: The store's time zone, for date bounds.
    """

    def __init__(self, store_time: StoreTime) -> None:
        self.store_time = store_time

    def products(
        self, db: sqlite3.Connection, request: Request, parent_id: int | None = None
    ) -> Collection:
        """Products (`parent_id` None) or the variations of one variable product."""
        args = request.args
        query = _Query()
        if parent_id is not None:
            query.add("type = 'variation'")
            query.add("parent_id = ?", parent_id)
        sku = argument(args, "sku")
        if parent_id is None and not sku:
            # Listing by SKU also finds variations, as WooCommerce's products endpoint does.
            query.add("type != 'variation'")
        if sku:
            skus = params.as_slug_list("sku", sku)
            query.add(f"sku IN ({','.join('?' * len(skus))})", *skus)

        status = argument(args, "status") or "any"
        status = params.as_enum("status", status, PRODUCT_STATUSES)
        if status == "any":
            query.add("status NOT IN ('trash', 'auto-draft')")
        else:
            query.add("status = ?", status)
        product_type = argument(args, "type")
        if product_type is not None and parent_id is None:
            query.add("type = ?", params.as_enum("type", product_type, PRODUCT_TYPES))
        stock_status = argument(args, "stock_status")
        if stock_status is not None:
            query.add(
                "stock_status = ?", params.as_enum("stock_status", stock_status, STOCK_STATUSES)
            )
        category = argument(args, "category")
        if category:
            ids = params.as_id_list("category", category)
            query.add(
                "EXISTS (SELECT 1 FROM json_each(document, '$.categories') "
                f"WHERE json_extract(value, '$.id') IN ({','.join('?' * len(ids))}))",
                *ids,
            )
        slug = argument(args, "slug")
        if slug:
            query.add("slug = ?", str(slug))
        self._ids(query, args, "parent", "parent_id IN")
        self._ids(query, args, "parent_exclude", "parent_id NOT IN")
        search = argument(args, "search")
        if search:
            like = f"%{search}%"
            query.add(
                "(name LIKE ? OR json_extract(document, '$.description') LIKE ? "
                "OR json_extract(document, '$.short_description') LIKE ?)",
                like,
                like,
                like,
            )
        return self._run(db, request, "wc_products", query, PRODUCT_ORDERBY)

    def orders(self, db: sqlite3.Connection, request: Request) -> Collection:
        """Orders."""
        args = request.args
        query = _Query()
        status = argument(args, "status")
        statuses = params.as_slug_list("status", status or "any", ORDER_FILTER_STATUSES)
        if "any" in statuses or not statuses:
            query.add("status NOT IN ('trash', 'auto-draft', 'checkout-draft')")
        else:
            query.add(f"status IN ({','.join('?' * len(statuses))})", *statuses)
        customer = argument(args, "customer")
        if customer not in (None, ""):
            query.add("customer_id = ?", params.as_integer("customer", customer))
        product = argument(args, "product")
        if product not in (None, ""):
            query.add(
                "EXISTS (SELECT 1 FROM json_each(document, '$.line_items') "
                "WHERE json_extract(value, '$.product_id') = ?)",
                params.as_integer("product", product),
            )
        self._ids(query, args, "parent", "parent_id IN")
        self._ids(query, args, "parent_exclude", "parent_id NOT IN")
        search = argument(args, "search")
        if search:
            like = f"%{search}%"
            query.add(
                "(json_extract(document, '$.billing.email') LIKE ? "
                "OR json_extract(document, '$.billing.first_name') LIKE ? "
                "OR json_extract(document, '$.billing.last_name') LIKE ?)",
                like,
                like,
                like,
            )
        return self._run(db, request, "wc_orders", query, ORDER_ORDERBY)

    def _ids(self, query: _Query, args: MultiDict[str, str], name: str, clause: str) -> None:
        value = argument(args, name)
        if value in (None, "", []):
            return
        ids = params.as_id_list(name, value)
        if ids:
            query.add(f"{clause} ({','.join('?' * len(ids))})", *ids)

    def _run(
        self,
        db: sqlite3.Connection,
        request: Request,
        table: str,
        query: _Query,
        orderby_choices: tuple[str, ...],
    ) -> Collection:
        args = request.args
        page = params.as_bounded("page", argument(args, "page") or 1, 1, None)
        per_page = params.as_bounded("per_page", _default(argument(args, "per_page"), 10), 1, 100)
        offset_arg = argument(args, "offset")
        offset = (
            params.as_bounded("offset", offset_arg, 0, None)
            if offset_arg not in (None, "")
            else (page - 1) * per_page
        )
        include = argument(args, "include")
        include_ids = params.as_id_list("include", include) if include else []
        if include_ids:
            query.add(f"id IN ({','.join('?' * len(include_ids))})", *include_ids)
        self._ids(query, args, "exclude", "id NOT IN")
        self._dates(query, args)

        direction = params.as_enum("order", argument(args, "order") or "desc", ("asc", "desc"))
        orderby = params.as_enum("orderby", argument(args, "orderby") or "date", orderby_choices)
        order_sql = self._order(orderby, direction.upper(), include_ids)

        where = " AND ".join(query.where) or "1"
        total = db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", query.args).fetchone()[0]
        rows = db.execute(
            f"SELECT * FROM {table} WHERE {where} ORDER BY {order_sql} LIMIT ? OFFSET ?",
            [*query.args, per_page, offset],
        ).fetchall()
        return Collection(rows=rows, total=int(total), page=page, per_page=per_page)

    def _dates(self, query: _Query, args: MultiDict[str, str]) -> None:
        is_gmt_arg = argument(args, "dates_are_gmt")
        is_gmt = (
            params.as_boolean("dates_are_gmt", is_gmt_arg)
            if is_gmt_arg not in (None, "")
            else False
        )
        suffix = "_gmt" if is_gmt else ""
        bounds = (
            ("after", "date_created", ">"),
            ("before", "date_created", "<"),
            ("modified_after", "date_modified", ">"),
            ("modified_before", "date_modified", "<"),
        )
        for name, column, operator in bounds:
            value = argument(args, name)
            if value is None:
                continue
            bound = self.store_time.query_bound(str(value))
            if bound is None:
                raise invalid_param(name, "Invalid date.", "rest_invalid_date")
            query.add(f"{column}{suffix} {operator} ?", bound)

    def _order(self, orderby: str, direction: str, include_ids: list[int]) -> str:
        if orderby == "include" and include_ids:
            cases = " ".join(
                f"WHEN {number} THEN {index}" for index, number in enumerate(include_ids)
            )
            return f"CASE id {cases} END ASC"
        columns = {
            "date": "date_created_gmt",
            "modified": "date_modified_gmt",
            "id": "id",
            "include": "id",
            "title": "name",
            "slug": "slug",
            "price": "price",
            "popularity": "json_extract(document, '$.total_sales')",
            "rating": "id",
            "menu_order": "menu_order",
        }
        column = columns[orderby]
        return f"{column} {direction}, id {direction}"


def _default(value: Any, fallback: int) -> Any:
    return fallback if value in (None, "") else value


def page_headers(request: Request, collection: Collection) -> dict[str, str]:
    """`X-WP-Total`, `X-WP-TotalPages` and `Link`, as WordPress writes them.

    The `Link` URLs repeat the request's query arguments with `page` replaced, except the
    credentials and OAuth signature arguments: WordPress echoes those too, which would put
    a secret in a header, so the sandbox leaves them out.
    """
    headers = {
        "X-WP-Total": str(collection.total),
        "X-WP-TotalPages": str(collection.total_pages),
    }
    pairs = [
        (key, value)
        for key, value in request.args.items(multi=True)
        if key not in AUTH_ARGUMENTS and key != "page"
    ]
    base = f"{request.host_url.rstrip('/')}{request.path}"
    links = []
    if collection.page > 1:
        previous = min(collection.page - 1, collection.total_pages)
        if previous >= 1:
            links.append(f'<{base}?{urlencode([*pairs, ("page", previous)])}>; rel="prev"')
    if collection.total_pages > collection.page:
        links.append(f'<{base}?{urlencode([*pairs, ("page", collection.page + 1)])}>; rel="next"')
    if links:
        headers["Link"] = ", ".join(links)
    return headers
