"""Catalogue mutations: products, variants in bulk, and metafields.

Each mutation checks its whole input first and writes nothing when a user error is found,
answering the errors under `userErrors` with HTTP 200 as Shopify does.
"""

from __future__ import annotations

import json
import logging
from decimal import Decimal, InvalidOperation
from typing import Any

from graphql import GraphQLResolveInfo

from sandbox.shopify.context import ShopContext
from sandbox.shopify.nodes import ProductNode, VariantNode
from sandbox.shopify.records import new_variant_ids, stock_item, touch_variants
from sandbox.shopify.store import handle_for, money, next_id, parse_gid

logger = logging.getLogger(__name__)

Info = GraphQLResolveInfo
Payload = dict[str, Any]

_PRODUCT_COLUMNS = {
    "title": "title",
    "handle": "handle",
    "descriptionHtml": "description_html",
    "vendor": "vendor",
    "productType": "product_type",
    "status": "status",
}


def _tags(tags: list[str] | None) -> str:
    """Tags as Shopify keeps them: trimmed, without duplicates, sorted."""
    return json.dumps(sorted({tag.strip() for tag in tags or [] if tag.strip()}))


def _unique_handle(ctx: ShopContext, wanted: str, product_id: int | None = None) -> str:
    handle, suffix = wanted, 0
    while ctx.db.execute(
        "SELECT 1 FROM product WHERE handle = ? AND id IS NOT ?", (handle, product_id)
    ).fetchone():
        suffix += 1
        handle = f"{wanted}-{suffix}"
    return handle


def product_create(root: Any, info: Info, product: dict[str, Any] | None = None) -> Payload:
    """`productCreate`: a product with its options and one first variant."""
    ctx: ShopContext = info.context
    ctx.clear()
    fields = product or {}
    title = (fields.get("title") or "").strip()
    if not title:
        return {
            "product": None,
            "userErrors": [{"field": ["title"], "message": "Title can't be blank"}],
        }

    product_id = next_id(ctx.db, "product", "Product")
    options = [
        {
            "name": option.get("name") or f"Option{position}",
            "values": [value["name"] for value in option.get("values") or [] if value.get("name")],
        }
        for position, option in enumerate(fields.get("productOptions") or [], start=1)
    ] or [{"name": "Title", "values": ["Default Title"]}]
    ctx.db.execute(
        "INSERT INTO product VALUES (?,?,?,?,?,?,?,?,?,NULL,?,?)",
        (
            product_id,
            title,
            _unique_handle(ctx, fields.get("handle") or handle_for(title)),
            fields.get("descriptionHtml") or "",
            fields.get("vendor") or ctx.settings.shop_name,
            fields.get("productType") or "",
            _tags(fields.get("tags")),
            fields.get("status") or "ACTIVE",
            json.dumps(options),
            ctx.now,
            ctx.now,
        ),
    )
    first = [{"name": option["name"], "value": option["values"][0]} for option in options]
    _insert_variant(ctx, product_id, first, {}, position=1)
    logger.info("shopify: product %d created", product_id)
    return {"product": ProductNode(ctx.products.get(product_id), ctx), "userErrors": []}


def product_update(root: Any, info: Info, product: dict[str, Any] | None = None) -> Payload:
    """`productUpdate`: change a product's own fields."""
    ctx: ShopContext = info.context
    ctx.clear()
    fields = product or {}
    product_id = parse_gid(fields.get("id") or "", "Product")
    row = ctx.products.get(product_id) if product_id else None
    if row is None:
        return {
            "product": None,
            "userErrors": [{"field": ["id"], "message": "Product does not exist"}],
        }
    if "title" in fields and not (fields["title"] or "").strip():
        return {
            "product": None,
            "userErrors": [{"field": ["title"], "message": "Title can't be blank"}],
        }

    changes: dict[str, Any] = {}
    for name, column in _PRODUCT_COLUMNS.items():
        if name in fields and fields[name] is not None and fields[name] != row[column]:
            changes[column] = fields[name]
    if "handle" in changes:
        changes["handle"] = _unique_handle(ctx, changes["handle"], product_id)
    if fields.get("tags") is not None and _tags(fields["tags"]) != row["tags"]:
        changes["tags"] = _tags(fields["tags"])
    if changes:
        changes["updated_at"] = ctx.now
        assignments = ", ".join(f"{column} = ?" for column in changes)
        ctx.db.execute(
            f"UPDATE product SET {assignments} WHERE id = ?",
            [*changes.values(), product_id],
        )
        ctx.clear()
    return {"product": ProductNode(ctx.products.get(product_id), ctx), "userErrors": []}


def _insert_variant(
    ctx: ShopContext,
    product_id: int,
    selected: list[dict[str, str]],
    fields: dict[str, Any],
    position: int,
) -> int:
    variant_id, item_id = new_variant_ids(ctx.db)
    item = fields.get("inventoryItem") or {}
    ctx.db.execute(
        "INSERT INTO variant (id, product_id, title, sku, barcode, price, compare_at_price,"
        " position, selected_options, taxable, inventory_policy, created_at, updated_at,"
        " inventory_item_id, tracked, requires_shipping, unit_cost, item_created_at,"
        " item_updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            variant_id,
            product_id,
            " / ".join(option["value"] for option in selected),
            item.get("sku"),
            fields.get("barcode"),
            money(fields.get("price") or "0"),
            money(fields.get("compareAtPrice")),
            position,
            json.dumps(selected),
            int(fields.get("taxable", True) is not False),
            fields.get("inventoryPolicy") or "DENY",
            ctx.now,
            ctx.now,
            item_id,
            int(item.get("tracked", True) is not False),
            int(item.get("requiresShipping", True) is not False),
            money(item.get("cost")),
            ctx.now,
            ctx.now,
        ),
    )
    # A new variant is stocked where its input says, else at the shop's primary location.
    stocked = {
        parse_gid(level["locationId"], "Location"): level["availableQuantity"]
        for level in fields.get("inventoryQuantities") or []
    } or {next(iter(ctx.locations())): 0}
    for location_id, available in stocked.items():
        if location_id in ctx.locations():
            stock_item(ctx.db, item_id, location_id, available, ctx.now)
    ctx.db.execute("UPDATE product SET updated_at = ? WHERE id = ?", (ctx.now, product_id))
    return variant_id


def _money_error(value: Any, path: list[str], code: str) -> dict[str, Any] | None:
    if value is None:
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = Decimal("-1")
    if amount < 0 or not amount.is_finite():
        return {"field": path, "message": "Price must be a valid amount", "code": code}
    return None


def _check_variant_fields(variant: dict[str, Any], path: list[str]) -> list[dict[str, Any]]:
    errors = [
        error
        for error in (
            _money_error(variant.get("price"), [*path, "price"], "INVALID_INPUT"),
            _money_error(variant.get("compareAtPrice"), [*path, "compareAtPrice"], "INVALID_INPUT"),
        )
        if error
    ]
    for level in variant.get("inventoryQuantities") or []:
        if parse_gid(level["locationId"], "Location") is None:
            errors.append(
                {
                    "field": [*path, "inventoryQuantities"],
                    "message": "Location does not exist",
                    "code": "INVALID_INPUT",
                }
            )
    return errors


def product_variants_bulk_update(
    root: Any,
    info: Info,
    productId: str,
    variants: list[dict[str, Any]],
    allowPartialUpdates: bool = False,
) -> Payload:
    """`productVariantsBulkUpdate`: change variants of one product."""
    ctx: ShopContext = info.context
    ctx.clear()
    product_id = parse_gid(productId, "Product")
    if product_id is None or ctx.products.get(product_id) is None:
        error = {
            "field": ["productId"],
            "message": "Product does not exist",
            "code": "PRODUCT_DOES_NOT_EXIST",
        }
        return {"product": None, "productVariants": None, "userErrors": [error]}

    errors: list[dict[str, Any]] = []
    targets: list[tuple[Any, dict[str, Any]]] = []
    for index, variant in enumerate(variants):
        path = ["variants", str(index)]
        if not variant.get("id"):
            errors.append(
                {
                    "field": [*path, "id"],
                    "message": "Product variant is missing ID attribute",
                    "code": "PRODUCT_VARIANT_ID_MISSING",
                }
            )
            continue
        variant_id = parse_gid(variant["id"], "ProductVariant")
        row = ctx.variants.get(variant_id) if variant_id else None
        if row is None or row["product_id"] != product_id:
            errors.append(
                {
                    "field": [*path, "id"],
                    "message": "Product variant does not exist",
                    "code": "PRODUCT_VARIANT_DOES_NOT_EXIST",
                }
            )
            continue
        problems = _check_variant_fields(variant, path)
        errors.extend(problems)
        if not problems:
            targets.append((row, variant))
    if errors and not allowPartialUpdates:
        return {"product": None, "productVariants": None, "userErrors": errors}

    changed = [row["id"] for row, fields in targets if update_variant(ctx, row, fields)]
    if changed:
        touch_variants(ctx.db, changed, ctx.now)
    ctx.clear()
    updated = [VariantNode(ctx.variants.get(row["id"]), ctx) for row, _ in targets]
    logger.info("shopify: %d variants updated, %d changed", len(targets), len(changed))
    return {
        "product": ProductNode(ctx.products.get(product_id), ctx),
        "productVariants": updated,
        "userErrors": errors,
    }


def update_variant(ctx: ShopContext, row: Any, fields: dict[str, Any]) -> bool:
    """Apply a `ProductVariantsBulkInput` to a variant row; False when nothing changed."""
    changes: dict[str, Any] = {}
    if "price" in fields and fields["price"] is not None:
        changes["price"] = money(fields["price"])
    if "compareAtPrice" in fields:
        changes["compare_at_price"] = money(fields["compareAtPrice"])
    for name, column in (("barcode", "barcode"), ("inventoryPolicy", "inventory_policy")):
        if name in fields and fields[name] is not None:
            changes[column] = fields[name]
    if fields.get("taxable") is not None:
        changes["taxable"] = int(fields["taxable"])
    item = fields.get("inventoryItem") or {}
    item_changes: dict[str, Any] = {}
    if "sku" in item:
        item_changes["sku"] = item["sku"]
    for name, column in (("tracked", "tracked"), ("requiresShipping", "requires_shipping")):
        if item.get(name) is not None:
            item_changes[column] = int(item[name])
    if "cost" in item:
        item_changes["unit_cost"] = money(item["cost"])
    if fields.get("optionValues"):
        selected = json.loads(row["selected_options"])
        for option in fields["optionValues"]:
            for entry in selected:
                if entry["name"] == option.get("optionName") and option.get("name"):
                    entry["value"] = option["name"]
        changes["selected_options"] = json.dumps(selected)
        changes["title"] = " / ".join(entry["value"] for entry in selected)

    changes = {k: v for k, v in changes.items() if row[k] != v}
    item_changes = {k: v for k, v in item_changes.items() if row[k] != v}
    if not changes and not item_changes:
        return False
    if item_changes:
        item_changes["item_updated_at"] = ctx.now
    assignments = {**changes, **item_changes}
    sql = ", ".join(f"{column} = ?" for column in assignments)
    ctx.db.execute(
        f"UPDATE variant SET {sql} WHERE id = ?",
        [*assignments.values(), row["id"]],
    )
    return True


def product_variants_bulk_create(
    root: Any,
    info: Info,
    productId: str,
    variants: list[dict[str, Any]],
    strategy: str = "DEFAULT",
) -> Payload:
    """`productVariantsBulkCreate`: add variants to one product."""
    ctx: ShopContext = info.context
    ctx.clear()
    product_id = parse_gid(productId, "Product")
    product = ctx.products.get(product_id) if product_id else None
    if product is None:
        error = {
            "field": ["productId"],
            "message": "Product does not exist",
            "code": "PRODUCT_DOES_NOT_EXIST",
        }
        return {"product": None, "productVariants": None, "userErrors": [error]}

    existing = ctx.db.execute(
        "SELECT id, selected_options FROM variant WHERE product_id = ? ORDER BY position",
        (product_id,),
    ).fetchall()
    standalone = [
        row
        for row in existing
        if row["selected_options"] == json.dumps([{"name": "Title", "value": "Default Title"}])
    ]
    taken = {row["selected_options"] for row in existing if row not in standalone}
    errors: list[dict[str, Any]] = []
    planned: list[tuple[list[dict[str, str]], dict[str, Any]]] = []
    for index, variant in enumerate(variants):
        path = ["variants", str(index)]
        values = variant.get("optionValues") or []
        if not values:
            errors.append(
                {
                    "field": [*path, "optionValues"],
                    "message": "You need to add option values for this variant",
                    "code": "NEED_TO_ADD_OPTION_VALUES",
                }
            )
            continue
        selected = [
            {"name": v.get("optionName") or "Title", "value": v.get("name") or ""} for v in values
        ]
        key = json.dumps(selected)
        if key in taken:
            title = " / ".join(entry["value"] for entry in selected)
            errors.append(
                {
                    "field": [*path],
                    "message": f"The variant '{title}' already exists.",
                    "code": "VARIANT_ALREADY_EXISTS",
                }
            )
            continue
        problems = _check_variant_fields(variant, path)
        errors.extend(problems)
        if not problems:
            taken.add(key)
            planned.append((selected, variant))
    if errors:
        return {"product": None, "productVariants": None, "userErrors": errors}

    if standalone and strategy != "PRESERVE_STANDALONE_VARIANT":
        for row in standalone:
            ctx.db.execute(
                "DELETE FROM inventory_level WHERE inventory_item_id = "
                "(SELECT inventory_item_id FROM variant WHERE id = ?)",
                (row["id"],),
            )
            ctx.db.execute("DELETE FROM variant WHERE id = ?", (row["id"],))
    position = ctx.db.execute(
        "SELECT COALESCE(MAX(position), 0) FROM variant WHERE product_id = ?", (product_id,)
    ).fetchone()[0]
    created = [
        _insert_variant(ctx, product_id, selected, fields, position + offset)
        for offset, (selected, fields) in enumerate(planned, start=1)
    ]
    _merge_options(ctx, product_id)
    ctx.clear()
    logger.info("shopify: %d variants created on product %d", len(created), product_id)
    return {
        "product": ProductNode(ctx.products.get(product_id), ctx),
        "productVariants": [VariantNode(ctx.variants.get(i), ctx) for i in created],
        "userErrors": [],
    }


def _merge_options(ctx: ShopContext, product_id: int) -> None:
    """Rebuild a product's options from the option values its variants carry."""
    options: dict[str, list[str]] = {}
    for (selected,) in ctx.db.execute(
        "SELECT selected_options FROM variant WHERE product_id = ? ORDER BY position", (product_id,)
    ):
        for entry in json.loads(selected):
            values = options.setdefault(entry["name"], [])
            if entry["value"] not in values:
                values.append(entry["value"])
    merged = [{"name": name, "values": values} for name, values in options.items()]
    ctx.db.execute(
        "UPDATE product SET options = ?, updated_at = ? WHERE id = ?",
        (json.dumps(merged), ctx.now, product_id),
    )
