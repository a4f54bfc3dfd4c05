"""`metafieldsSet`: create or update metafields on products and variants, all or nothing."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from graphql import GraphQLResolveInfo

from sandbox.shopify.context import ShopContext
from sandbox.shopify.nodes import MetafieldNode
from sandbox.shopify.store import gid_kind, next_id, parse_gid

logger = logging.getLogger(__name__)

#: The most metafields one `metafieldsSet` call takes.
MAX_METAFIELDS_PER_CALL = 25

_OWNERS = {"Product": ("PRODUCT", "product"), "ProductVariant": ("PRODUCTVARIANT", "variant")}


def _valid(kind: str, value: str) -> bool:
    """Whether a value fits a metafield type (the common types; others pass as text)."""
    try:
        if kind == "number_integer":
            int(value)
        elif kind == "number_decimal":
            Decimal(value)
        elif kind == "boolean":
            return value in ("true", "false")
        elif kind == "json":
            json.loads(value)
        elif kind == "date":
            date.fromisoformat(value)
        elif kind == "date_time":
            datetime.fromisoformat(value)
    except (ValueError, InvalidOperation):
        return False
    return True


def metafields_set(
    root: Any, info: GraphQLResolveInfo, metafields: list[dict[str, Any]]
) -> dict[str, Any]:
    """`metafieldsSet`: every metafield is written, or none when any is invalid."""
    ctx: ShopContext = info.context
    ctx.clear()
    errors: list[dict[str, Any]] = []
    planned: list[tuple[str, int, dict[str, Any], Any]] = []
    for index, metafield in enumerate(metafields):
        path = ["metafields", str(index)]
        kind = gid_kind(metafield["ownerId"])
        owner = _OWNERS.get(kind or "")
        owner_id = parse_gid(metafield["ownerId"])
        table_row = None
        if owner is not None and owner_id is not None:
            table_row = ctx.db.execute(
                f"SELECT 1 FROM {owner[1]} WHERE id = ?",
                (owner_id,),
            ).fetchone()
        if owner is None or owner_id is None or table_row is None:
            errors.append(
                _error([*path, "ownerId"], "Owner does not exist.", "INVALID_VALUE", index)
            )
            continue
        namespace = metafield.get("namespace") or "$app"
        existing = ctx.db.execute(
            "SELECT * FROM metafield WHERE owner_type = ? AND owner_id = ? AND namespace = ?"
            " AND key = ?",
            (owner[0], owner_id, namespace, metafield["key"]),
        ).fetchone()
        kind_name = metafield.get("type") or (existing["type"] if existing else None)
        if not kind_name:
            errors.append(_error([*path, "type"], "Type can't be blank.", "BLANK", index))
            continue
        if not _valid(kind_name, metafield["value"]):
            message = f"Value is invalid for the type {kind_name}."
            errors.append(_error([*path, "value"], message, "INVALID_VALUE", index))
            continue
        digest = metafield.get("compareDigest")
        if digest is not None and (
            existing is None or hashlib.sha256(existing["value"].encode()).hexdigest() != digest
        ):
            message = (
                "The resource has been updated since it was loaded. "
                "Try again with an updated `compareDigest` value."
            )
            errors.append(_error([*path, "compareDigest"], message, "STALE_OBJECT", index))
            continue
        planned.append(
            (owner[0], owner_id, {**metafield, "namespace": namespace, "type": kind_name}, existing)
        )
    if errors:
        return {"metafields": None, "userErrors": errors}

    written = [_write(ctx, *entry) for entry in planned]
    logger.info("shopify: %d metafields set", len(written))
    rows = [
        ctx.db.execute("SELECT * FROM metafield WHERE id = ?", (mid,)).fetchone() for mid in written
    ]
    return {"metafields": [MetafieldNode(row, ctx) for row in rows], "userErrors": []}


# Setting a metafield moves the metafield's updatedAt only, not its owner's.
def _write(
    ctx: ShopContext, owner_type: str, owner_id: int, metafield: dict[str, Any], existing: Any
) -> int:
    if existing is not None:
        if existing["value"] != metafield["value"] or existing["type"] != metafield["type"]:
            ctx.db.execute(
                "UPDATE metafield SET value = ?, type = ?, updated_at = ? WHERE id = ?",
                (metafield["value"], metafield["type"], ctx.now, existing["id"]),
            )
        return int(existing["id"])
    metafield_id = next_id(ctx.db, "metafield", "Metafield")
    ctx.db.execute(
        "INSERT INTO metafield VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            metafield_id,
            owner_type,
            owner_id,
            metafield["namespace"],
            metafield["key"],
            metafield["type"],
            metafield["value"],
            ctx.now,
            ctx.now,
        ),
    )
    return metafield_id


def _error(field: list[str], message: str, code: str, index: int) -> dict[str, Any]:
    return {"field": field, "message": message, "code": code, "elementIndex": index}
