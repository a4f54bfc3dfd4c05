"""Resolvers of the `QueryRoot` fields: the top-level connections, lookups by id, the shop."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sandbox.shopify.connections import Connection, TableQuery, paginate_table
from sandbox.shopify.context import ShopContext
from sandbox.shopify.nodes import (
    VARIANT_SORTS,
    AdjustmentGroupNode,
    InventoryItemNode,
    InventoryLevelNode,
    LocationNode,
    MetafieldNode,
    ProductNode,
    VariantNode,
    page_args,
    variant_nodes,
)
from sandbox.shopify.orders import OrderNode, order_nodes
from sandbox.shopify.search import Condition, SearchField, SearchSyntaxError, compile_search
from sandbox.shopify.store import gid_kind, parse_gid

Info = Any

# Relevance ranking is not modelled: RELEVANCE orders by id, as ID does.
PRODUCT_SORTS = {
    "ID": "id",
    "RELEVANCE": "id",
    "UPDATED_AT": "updated_at",
    "CREATED_AT": "created_at",
    "PUBLISHED_AT": "created_at",
    "TITLE": "title",
    "PRODUCT_TYPE": "product_type",
    "VENDOR": "vendor",
    "INVENTORY_TOTAL": (
        "(SELECT COALESCE(SUM(l.available), 0) FROM variant v JOIN inventory_level l"
        " ON l.inventory_item_id = v.inventory_item_id WHERE v.product_id = product.id)"
    ),
}

ORDER_SORTS = {
    "ID": "id",
    "RELEVANCE": "id",
    "UPDATED_AT": "updated_at",
    "CREATED_AT": "created_at",
    "PROCESSED_AT": "created_at",
    "ORDER_NUMBER": "number",
    "FINANCIAL_STATUS": "financial_status",
    "FULFILLMENT_STATUS": "fulfillment_status",
    "CUSTOMER_NAME": "COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')",
    "TOTAL_PRICE": (
        "(SELECT COALESCE(SUM(CAST(unit_price AS REAL) * quantity), 0) FROM line_item"
        " WHERE order_id = shop_order.id)"
    ),
}


def _order_status(op: str, value: str) -> Condition:
    conditions = {
        "open": "closed_at IS NULL AND cancelled_at IS NULL",
        "closed": "closed_at IS NOT NULL",
        "cancelled": "cancelled_at IS NOT NULL",
        "any": "1",
    }
    parts = [conditions.get(part.strip().lower(), "0") for part in value.split(",")]
    return " OR ".join(f"({part})" for part in parts), []


def _order_name(op: str, value: str) -> Condition:
    return "name = ? COLLATE NOCASE", [value if value.startswith("#") else f"#{value}"]


def _fulfillment_status(op: str, value: str) -> Condition:
    wanted = {
        "shipped": "FULFILLED",
        "fulfilled": "FULFILLED",
        "unshipped": "UNFULFILLED",
        "unfulfilled": "UNFULFILLED",
        "partial": "PARTIALLY_FULFILLED",
    }.get(value.lower(), value.upper())
    return "fulfillment_status = ?", [wanted]


def _product_tag(op: str, value: str) -> Condition:
    return (
        "EXISTS (SELECT 1 FROM json_each(product.tags) WHERE json_each.value = ? COLLATE NOCASE)",
        [value],
    )


SearchFields = dict[str, SearchField | Callable[[str, str], Condition]]

PRODUCT_FIELDS: SearchFields = {
    "id": SearchField("id {cmp}", "id"),
    "updated_at": SearchField("updated_at {cmp}", "time"),
    "created_at": SearchField("created_at {cmp}", "time"),
    "status": SearchField("status {cmp}", "enum"),
    "title": SearchField("title {cmp}"),
    "handle": SearchField("handle {cmp}"),
    "vendor": SearchField("vendor {cmp}"),
    "product_type": SearchField("product_type {cmp}"),
    "tag": _product_tag,
    "sku": SearchField(
        "EXISTS (SELECT 1 FROM variant v WHERE v.product_id = product.id AND v.sku {cmp})"
    ),
    "barcode": SearchField(
        "EXISTS (SELECT 1 FROM variant v WHERE v.product_id = product.id AND v.barcode {cmp})"
    ),
}

VARIANT_FIELDS: SearchFields = {
    "id": SearchField("id {cmp}", "id"),
    "product_id": SearchField("product_id {cmp}", "id"),
    "updated_at": SearchField("updated_at {cmp}", "time"),
    "created_at": SearchField("created_at {cmp}", "time"),
    "sku": SearchField("sku {cmp}"),
    "barcode": SearchField("barcode {cmp}"),
    "title": SearchField("title {cmp}"),
    "product_status": SearchField(
        "EXISTS (SELECT 1 FROM product p WHERE p.id = variant.product_id AND p.status {cmp})",
        "enum",
    ),
}

INVENTORY_ITEM_FIELDS: SearchFields = {
    "id": SearchField("id {cmp}", "id"),
    "sku": SearchField("sku {cmp}"),
    "updated_at": SearchField("item_updated_at {cmp}", "time"),
    "created_at": SearchField("item_created_at {cmp}", "time"),
}

ORDER_FIELDS: SearchFields = {
    "id": SearchField("id {cmp}", "id"),
    "updated_at": SearchField("updated_at {cmp}", "time"),
    "created_at": SearchField("created_at {cmp}", "time"),
    "processed_at": SearchField("created_at {cmp}", "time"),
    "name": _order_name,
    "email": SearchField("email {cmp}"),
    "status": _order_status,
    "financial_status": SearchField("financial_status {cmp}", "enum"),
    "fulfillment_status": _fulfillment_status,
    "sku": SearchField(
        "EXISTS (SELECT 1 FROM line_item li WHERE li.order_id = shop_order.id AND li.sku {cmp})"
    ),
}

LOCATION_FIELDS: SearchFields = {
    "id": SearchField("id {cmp}", "id"),
    "name": SearchField("name {cmp}"),
}


def _search(ctx: ShopContext, query: str | None, fields: SearchFields, default: str) -> Condition:
    try:
        return compile_search(query, fields, default, ctx.settings.iana_timezone)
    except SearchSyntaxError:
        return "0", []


def resolve_products(root: Any, info: Info, **args: Any) -> Connection:
    """`products`: the shop's products, searchable and sortable."""
    ctx: ShopContext = info.context
    where, params = _search(ctx, args.get("query"), PRODUCT_FIELDS, "title")
    query = TableQuery("product", where, params, PRODUCT_SORTS[args.get("sortKey") or "ID"])
    return paginate_table(
        ctx.db, query, lambda rows: [ProductNode(r, ctx) for r in rows], **page_args(args)
    )


def resolve_product_variants(root: Any, info: Info, **args: Any) -> Connection:
    """`productVariants`: every variant of every product."""
    ctx: ShopContext = info.context
    where, params = _search(ctx, args.get("query"), VARIANT_FIELDS, "sku")
    query = TableQuery("variant", where, params, VARIANT_SORTS[args.get("sortKey") or "ID"])
    return paginate_table(ctx.db, query, lambda rows: variant_nodes(rows, ctx), **page_args(args))


_ITEM_TABLE = (
    "(SELECT inventory_item_id AS id, sku, item_created_at, item_updated_at FROM variant) AS item"
)


def resolve_inventory_items(root: Any, info: Info, **args: Any) -> Connection:
    """`inventoryItems`: one per variant."""
    ctx: ShopContext = info.context
    where, params = _search(ctx, args.get("query"), INVENTORY_ITEM_FIELDS, "sku")

    def make(rows: list[sqlite3.Row]) -> list[InventoryItemNode]:
        ids = [row["id"] for row in rows]
        ctx.variants_by_item.want(ids)
        ctx.levels.want(ids)
        return [InventoryItemNode(ctx.variants_by_item.get(i), ctx) for i in ids]

    query = TableQuery(_ITEM_TABLE, where, params, "id")
    return paginate_table(ctx.db, query, make, **page_args(args))


def resolve_locations(root: Any, info: Info, **args: Any) -> Connection:
    """`locations`: the shop's active locations (all with `includeInactive`)."""
    ctx: ShopContext = info.context
    where, params = _search(ctx, args.get("query"), LOCATION_FIELDS, "name")
    if not args.get("includeInactive"):
        where = f"({where}) AND is_active = 1"
    sort = "name" if (args.get("sortKey") or "NAME") == "NAME" else "id"
    query = TableQuery("location", where, params, sort)
    return paginate_table(
        ctx.db, query, lambda rows: [LocationNode(r, ctx) for r in rows], **page_args(args)
    )


def resolve_orders(root: Any, info: Info, **args: Any) -> Connection:
    """`orders`: the shop's orders."""
    ctx: ShopContext = info.context
    where, params = _search(ctx, args.get("query"), ORDER_FIELDS, "name")
    sort = ORDER_SORTS[args.get("sortKey") or "PROCESSED_AT"]
    query = TableQuery("shop_order", where, params, sort)
    return paginate_table(ctx.db, query, lambda rows: order_nodes(rows, ctx), **page_args(args))


def resolve_products_count(root: Any, info: Info, **args: Any) -> dict[str, Any]:
    """`productsCount`: how many products match, capped at `limit`."""
    ctx: ShopContext = info.context
    where, params = _search(ctx, args.get("query"), PRODUCT_FIELDS, "title")
    count = ctx.db.execute(f"SELECT COUNT(*) FROM product WHERE {where}", params).fetchone()[0]
    limit = args.get("limit")
    if limit is not None and count > limit:
        return {"count": limit, "precision": "AT_LEAST"}
    return {"count": count, "precision": "EXACT"}


def find_node(ctx: ShopContext, global_id: str) -> Any:
    """The object a GID names, or None."""
    kind, record_id = gid_kind(global_id), parse_gid(global_id)
    if kind is None or record_id is None:
        return None
    db = ctx.db
    if kind == "Product":
        row = ctx.products.get(record_id)
        return ProductNode(row, ctx) if row else None
    if kind == "ProductVariant":
        row = ctx.variants.get(record_id)
        return VariantNode(row, ctx) if row else None
    if kind == "InventoryItem":
        row = ctx.variants_by_item.get(record_id)
        return InventoryItemNode(row, ctx) if row else None
    if kind == "Location":
        row = ctx.locations().get(record_id)
        return LocationNode(row, ctx) if row else None
    if kind == "InventoryLevel":
        item_id = int(global_id.rsplit("inventory_item_id=", 1)[-1] or 0)
        level = next((lv for lv in ctx.levels.get(item_id) if lv["location_id"] == record_id), None)
        return InventoryLevelNode(level, ctx) if level else None
    tables = {
        "Order": ("shop_order", OrderNode),
        "Metafield": ("metafield", MetafieldNode),
        "InventoryAdjustmentGroup": ("adjustment_group", AdjustmentGroupNode),
    }
    if kind in tables:
        table, node_class = tables[kind]
        row = db.execute(f"SELECT * FROM {table} WHERE id = ?", (record_id,)).fetchone()
        return node_class(row, ctx) if row else None
    return None


def _typed_lookup(kind: str) -> Callable[..., Any]:
    def resolve(root: Any, info: Info, id: str) -> Any:
        return find_node(info.context, id) if gid_kind(id) == kind else None

    resolve.__doc__ = f"`{kind[0].lower()}{kind[1:]}(id:)`: one {kind} by GID."
    return resolve


def resolve_location(root: Any, info: Info, id: str | None = None) -> Any:
    """`location(id:)`: one location; without an id, the shop's primary location."""
    ctx: ShopContext = info.context
    if id is None:
        first = next(iter(ctx.locations().values()), None)
        return LocationNode(first, ctx) if first else None
    return find_node(ctx, id) if gid_kind(id) == "Location" else None


def resolve_node(root: Any, info: Info, id: str) -> Any:
    """`node(id:)`: any object by GID."""
    return find_node(info.context, id)


def resolve_nodes(root: Any, info: Info, ids: list[str]) -> list[Any]:
    """`nodes(ids:)`: objects by GID, null where nothing has that id."""
    ctx: ShopContext = info.context
    ctx.variants.want(
        parse_gid(i, "ProductVariant") for i in ids if gid_kind(i) == "ProductVariant"
    )
    ctx.products.want(parse_gid(i, "Product") for i in ids if gid_kind(i) == "Product")
    return [find_node(ctx, global_id) for global_id in ids]


def resolve_shop(root: Any, info: Info) -> dict[str, Any]:
    """`shop`: the shop itself."""
    ctx: ShopContext = info.context
    settings = ctx.settings
    zone = ZoneInfo(settings.iana_timezone)
    return {
        "__typename": "Shop",
        "id": "gid://shopify/Shop/1",
        "name": settings.shop_name,
        "email": f"owner@{settings.shop}.example.com",
        "myshopifyDomain": f"{settings.shop}.myshopify.com",
        "currencyCode": ctx.currency,
        "ianaTimezone": settings.iana_timezone,
        "timezoneAbbreviation": datetime.now(zone).strftime("%Z"),
    }


QUERY_RESOLVERS: dict[str, Callable[..., Any]] = {
    "products": resolve_products,
    "productVariants": resolve_product_variants,
    "inventoryItems": resolve_inventory_items,
    "locations": resolve_locations,
    "orders": resolve_orders,
    "productsCount": resolve_products_count,
    "product": _typed_lookup("Product"),
    "productVariant": _typed_lookup("ProductVariant"),
    "inventoryItem": _typed_lookup("InventoryItem"),
    "inventoryLevel": _typed_lookup("InventoryLevel"),
    "order": _typed_lookup("Order"),
    "location": resolve_location,
    "node": resolve_node,
    "nodes": resolve_nodes,
    "shop": resolve_shop,
}
