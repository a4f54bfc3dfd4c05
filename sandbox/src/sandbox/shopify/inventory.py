"""The inventory mutations: inventorySetQuantities, inventoryAdjustQuantities, inventoryActivate.

Compare-and-set follows the API version of the request:

- before 2026-01, each quantity carries `compareQuantity` (COMPARE_QUANTITY_STALE when the
  shop moved) unless `ignoreCompareQuantity: true`;
- from 2026-01, `changeFromQuantity` (null opts out) overrides both when given
  (CHANGE_FROM_QUANTITY_STALE), and the `@idempotent(key:)` directive may be given;
- from 2026-04, `compareQuantity` and `ignoreCompareQuantity` are gone, every quantity must
  carry `changeFromQuantity`, and `@idempotent` is required.

A mutation with any user error changes nothing. An idempotency key reused with the same input
returns the first result without applying anything again; with other input it is refused.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo
from graphql.execution.values import get_directive_values

from sandbox.shopify.context import ShopContext
from sandbox.shopify.nodes import AdjustmentGroupNode, InventoryLevelNode
from sandbox.shopify.records import level, move_quantity, on_hand, record_group, stock_item
from sandbox.shopify.store import parse_gid

logger = logging.getLogger(__name__)

#: Reasons Shopify accepts on inventory changes.
REASONS = frozenset(
    {
        "correction",
        "cycle_count_available",
        "damaged",
        "movement_created",
        "movement_updated",
        "movement_received",
        "movement_canceled",
        "other",
        "promotion",
        "quality_control",
        "received",
        "reservation_created",
        "reservation_deleted",
        "reservation_updated",
        "restock",
        "safety_stock",
        "shrinkage",
    }
)

_MAX_QUANTITY = 1_000_000_000
Payload = dict[str, Any]


def _error(field: list[str], message: str, code: str) -> dict[str, Any]:
    return {"field": field, "message": message, "code": code}


def idempotent(resolver: Callable[..., Payload]) -> Callable[..., Payload]:
    """Wrap an inventory mutation with the `@idempotent(key:)` rules of its API version."""

    def resolve(root: Any, info: GraphQLResolveInfo, **args: Any) -> Payload | None:
        ctx: ShopContext = info.context
        key = _idempotency_key(info)
        if key is None:
            if ctx.version.at_least("2026-04"):
                raise GraphQLError(
                    f"The @idempotent directive is required for {info.field_name} "
                    "from API version 2026-04.",
                    info.field_nodes,
                )
            return _run(resolver, root, info, args)

        fingerprint = json.dumps({"field": info.field_name, "args": args}, sort_keys=True)
        stored = ctx.db.execute(
            "SELECT fingerprint, payload FROM idempotency_key WHERE key = ?", (key,)
        ).fetchone()
        if stored is not None:
            if stored["fingerprint"] != fingerprint:
                message = (
                    "The same idempotency key cannot be used with different operation parameters."
                )
                return {
                    "inventoryAdjustmentGroup": None,
                    "userErrors": [_error([], message, "IDEMPOTENCY_KEY_PARAMETER_MISMATCH")],
                }
            logger.info("shopify: replaying %s for a reused idempotency key", info.field_name)
            return _replay(ctx, json.loads(stored["payload"]))

        payload = _run(resolver, root, info, args)
        group = payload["inventoryAdjustmentGroup"]
        record = {
            "group": parse_gid(group.id) if group is not None else None,
            "userErrors": payload["userErrors"],
        }
        ctx.db.execute(
            "INSERT INTO idempotency_key VALUES (?, ?, ?, ?)",
            (key, fingerprint, json.dumps(record), ctx.now),
        )
        return payload

    resolve.__doc__ = resolver.__doc__
    return resolve


def _run(
    resolver: Callable[..., Payload], root: Any, info: GraphQLResolveInfo, args: dict[str, Any]
) -> Payload:
    info.context.clear()
    return resolver(root, info, **args)


def _idempotency_key(info: GraphQLResolveInfo) -> str | None:
    directive = info.schema.get_directive("idempotent")
    if directive is None:
        return None
    values = get_directive_values(directive, info.field_nodes[0], info.variable_values)
    return str(values["key"]) if values and values.get("key") is not None else None


def _replay(ctx: ShopContext, record: dict[str, Any]) -> Payload:
    group = None
    if record["group"] is not None:
        row = ctx.db.execute(
            "SELECT * FROM adjustment_group WHERE id = ?", (record["group"],)
        ).fetchone()
        group = AdjustmentGroupNode(row, ctx) if row else None
    return {"inventoryAdjustmentGroup": group, "userErrors": record["userErrors"]}


def _locate(
    ctx: ShopContext, item_gid: str, location_gid: str, path: list[str]
) -> tuple[Any, list[dict[str, Any]]]:
    """The level named by an item and a location, or the user errors saying why not."""
    item_id = parse_gid(item_gid, "InventoryItem")
    location_id = parse_gid(location_gid, "Location")
    if item_id is None or ctx.variants_by_item.get(item_id) is None:
        message = "The specified inventory item could not be found."
        return None, [_error([*path, "inventoryItemId"], message, "INVALID_INVENTORY_ITEM")]
    if location_id is None or location_id not in ctx.locations():
        message = "The specified location could not be found."
        return None, [_error([*path, "locationId"], message, "INVALID_LOCATION")]
    row = level(ctx.db, item_id, location_id)
    if row is None:
        message = "The specified inventory item is not stocked at the location."
        return None, [_error([*path, "locationId"], message, "ITEM_NOT_STOCKED_AT_LOCATION")]
    return row, []


def _current(row: Any, name: str) -> int:
    return on_hand(row) if name == "on_hand" else int(row[name])


def _stale_check(
    ctx: ShopContext, quantity: dict[str, Any], ignore_compare: bool, current: int, path: list[str]
) -> list[dict[str, Any]]:
    """Compare-and-set of one quantity, per the rules of the request's API version."""
    # Shopify documents that omitting changeFromQuantity from 2026-04 "returns an error" but
    # not which; the emulator answers a user error with the closest documented code.
    if ctx.version.at_least("2026-04") and "changeFromQuantity" not in quantity:
        message = (
            "The changeFromQuantity field must be given for each quantity; "
            "pass null to skip the compare check."
        )
        return [_error([*path, "changeFromQuantity"], message, "COMPARE_QUANTITY_REQUIRED")]
    if "changeFromQuantity" in quantity:
        expected = quantity["changeFromQuantity"]
        if expected is not None and expected != current:
            message = "The changeFromQuantity value does not match persisted value."
            return [_error([*path, "changeFromQuantity"], message, "CHANGE_FROM_QUANTITY_STALE")]
        return []
    if ignore_compare:
        return []
    expected = quantity.get("compareQuantity")
    if expected is None:
        message = (
            "The compareQuantity argument must be given to each quantity or ignored using "
            "ignoreCompareQuantity."
        )
        return [_error([*path, "compareQuantity"], message, "COMPARE_QUANTITY_REQUIRED")]
    if expected != current:
        message = "The compareQuantity value does not match persisted value."
        return [_error([*path, "compareQuantity"], message, "COMPARE_QUANTITY_STALE")]
    return []


def _check_reason(input_: dict[str, Any]) -> list[dict[str, Any]]:
    if input_["reason"] not in REASONS:
        return [_error(["input", "reason"], "The specified reason is invalid.", "INVALID_REASON")]
    return []


def inventory_set_quantities(root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Payload:
    """`inventorySetQuantities`: set available or on_hand to absolute figures."""
    ctx: ShopContext = info.context
    name = input["name"]
    errors = _check_reason(input)
    if name not in ("available", "on_hand"):
        message = "The quantity name must be either 'available' or 'on_hand'."
        errors.append(_error(["input", "name"], message, "INVALID_NAME"))
    seen: set[tuple[str, str]] = set()
    plan: list[tuple[Any, int]] = []
    for index, quantity in enumerate(input["quantities"]):
        path = ["input", "quantities", str(index)]
        pair = (quantity["inventoryItemId"], quantity["locationId"])
        if pair in seen:
            message = "The combination of inventoryItemId and locationId must be unique."
            errors.append(_error(path, message, "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR"))
            continue
        seen.add(pair)
        if quantity["quantity"] < 0:
            message = "The quantity can't be negative."
            errors.append(_error([*path, "quantity"], message, "INVALID_QUANTITY_NEGATIVE"))
            continue
        if quantity["quantity"] > _MAX_QUANTITY:
            message = "The total quantity can't be higher than 1,000,000,000."
            errors.append(_error([*path, "quantity"], message, "INVALID_QUANTITY_TOO_HIGH"))
            continue
        row, problems = _locate(ctx, *pair, path)
        if row is None or name not in ("available", "on_hand"):
            errors.extend(problems)
            continue
        current = _current(row, name)
        ignore = bool(input.get("ignoreCompareQuantity"))
        errors.extend(_stale_check(ctx, quantity, ignore, current, path))
        plan.append((row, quantity["quantity"] - current))
    if errors:
        return {"inventoryAdjustmentGroup": None, "userErrors": errors}

    changes = []
    for row, delta in plan:
        if delta != 0:
            changes.extend(
                move_quantity(
                    ctx.db, row["inventory_item_id"], row["location_id"], name, delta, ctx.now
                )
            )
    return _group_payload(ctx, input, changes)


def inventory_adjust_quantities(
    root: Any,
    info: GraphQLResolveInfo,
    input: dict[str, Any],
) -> Payload:
    """`inventoryAdjustQuantities`: move available or incoming by deltas."""
    ctx: ShopContext = info.context
    name = input["name"]
    errors = _check_reason(input)
    # Shopify also adjusts damaged, quality_control, reserved and safety_stock; the emulator
    # keeps no separate figures for those, so it accepts only available and incoming.
    if name not in ("available", "incoming"):
        message = "The quantity name must be either 'available' or 'incoming'."
        errors.append(_error(["input", "name"], message, "INVALID_QUANTITY_NAME"))
    plan: list[tuple[Any, int]] = []
    for index, change in enumerate(input["changes"]):
        path = ["input", "changes", str(index)]
        row, problems = _locate(ctx, change["inventoryItemId"], change["locationId"], path)
        errors.extend(problems)
        if row is None or name not in ("available", "incoming"):
            continue
        expected = change.get("changeFromQuantity")
        if expected is not None and expected != _current(row, name):
            message = "The changeFromQuantity value does not match persisted value."
            errors.append(
                _error([*path, "changeFromQuantity"], message, "CHANGE_FROM_QUANTITY_STALE")
            )
            continue
        if abs(_current(row, name) + change["delta"]) > _MAX_QUANTITY:
            message = "The total quantity can't be higher than 1,000,000,000."
            errors.append(_error([*path, "delta"], message, "INVALID_QUANTITY_TOO_HIGH"))
            continue
        plan.append((row, change["delta"]))
    if errors:
        return {"inventoryAdjustmentGroup": None, "userErrors": errors}

    changes = []
    for row, delta in plan:
        changes.extend(
            move_quantity(
                ctx.db, row["inventory_item_id"], row["location_id"], name, delta, ctx.now
            )
        )
    return _group_payload(ctx, input, changes)


def _group_payload(
    ctx: ShopContext, input_: dict[str, Any], changes: list[dict[str, Any]]
) -> Payload:
    if not changes:
        return {"inventoryAdjustmentGroup": None, "userErrors": []}
    group_id = record_group(
        ctx.db, ctx.now, input_["reason"], input_.get("referenceDocumentUri"), changes
    )
    ctx.clear()
    row = ctx.db.execute("SELECT * FROM adjustment_group WHERE id = ?", (group_id,)).fetchone()
    logger.info("shopify: %d inventory changes applied (%s)", len(changes), input_["reason"])
    return {"inventoryAdjustmentGroup": AdjustmentGroupNode(row, ctx), "userErrors": []}


def inventory_activate(
    root: Any,
    info: GraphQLResolveInfo,
    inventoryItemId: str,
    locationId: str,
    available: int | None = None,
    onHand: int | None = None,
) -> Payload:
    """`inventoryActivate`: stock an item at a location (a no-op when already stocked)."""
    ctx: ShopContext = info.context
    ctx.clear()
    item_id = parse_gid(inventoryItemId, "InventoryItem")
    location_id = parse_gid(locationId, "Location")
    if item_id is None or ctx.variants_by_item.get(item_id) is None:
        error = {"field": ["inventoryItemId"], "message": "Inventory item does not exist"}
        return {"inventoryLevel": None, "userErrors": [error]}
    if location_id is None or location_id not in ctx.locations():
        error = {"field": ["locationId"], "message": "Location does not exist"}
        return {"inventoryLevel": None, "userErrors": [error]}
    row = level(ctx.db, item_id, location_id)
    if row is None:
        stock_item(ctx.db, item_id, location_id, available or onHand or 0, ctx.now)
        row = level(ctx.db, item_id, location_id)
    ctx.clear()
    return {"inventoryLevel": InventoryLevelNode(row, ctx), "userErrors": []}


INVENTORY_RESOLVERS: dict[str, Callable[..., Any]] = {
    "inventorySetQuantities": idempotent(inventory_set_quantities),
    "inventoryAdjustQuantities": idempotent(inventory_adjust_quantities),
    "inventoryActivate": inventory_activate,
}
