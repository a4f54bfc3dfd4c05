"""The shared streams every tap emits and every target and reconcile reads.

Each tap translates its system into these three streams, so any target can take any tap and
reconcile compares like with like. Schemas are JSON Schema as Singer carries them; a tap passes
them to singer-sdk unchanged.

Money is a JSON number carried exactly: taps emit `Decimal` values, which singer-sdk writes
digit for digit, and singer-sdk targets read back as `Decimal`. Times are ISO 8601 UTC.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

SOURCES = ("netsuite", "woocommerce", "shopify")
ORDER_STATUSES = ("open", "fulfilled", "cancelled", "closed")


def _nullable(kind: str, **extra: Any) -> Schema:
    return {"type": [kind, "null"], **extra}


_STRING = _nullable("string")
_MONEY = _nullable("number")
_TIME = _nullable("string", format="date-time")
_QUANTITY = _nullable("integer")

#: Synced item fields a target may write, in the order ownership.yml lists them.
ITEM_FIELDS = (
    "name",
    "description",
    "short_description",
    "categories",
    "images",
    "price",
    "compare_at_price",
)

ITEMS_SCHEMA: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["sku", "source", "source_id", "updated_at"],
    "properties": {
        "sku": {"type": "string", "minLength": 1},
        "name": _STRING,
        "description": _STRING,
        "short_description": _STRING,
        "categories": _nullable("array", items={"type": "string"}),
        "images": _nullable("array", items={"type": "string"}),
        "price": _MONEY,
        "compare_at_price": _MONEY,
        "currency": _STRING,
        "barcode": _STRING,
        "active": _nullable("boolean"),
        "manages_stock": _nullable("boolean"),
        "product_id": _STRING,
        "product_name": _STRING,
        "option_values": _nullable("object", additionalProperties={"type": "string"}),
        "source": {"type": "string", "enum": list(SOURCES)},
        "source_id": {"type": "string"},
        "updated_at": {"type": "string", "format": "date-time"},
        "field_updated_at": _nullable(
            "object", additionalProperties={"type": "string", "format": "date-time"}
        ),
    },
}

INVENTORY_LEVELS_SCHEMA: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["sku", "location", "source"],
    "properties": {
        "sku": {"type": "string", "minLength": 1},
        "location": {"type": "string", "minLength": 1},
        "location_name": _STRING,
        "on_hand": _QUANTITY,
        "available": _QUANTITY,
        "committed": _QUANTITY,
        "source": {"type": "string", "enum": list(SOURCES)},
        "updated_at": _TIME,
    },
}

_ORDER_LINE: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["sku", "quantity"],
    "properties": {
        "sku": {"type": "string"},
        "quantity": {"type": "integer", "minimum": 0},
        "unit_price": _MONEY,
        "line_total": _MONEY,
        "location": _STRING,
    },
}

ORDERS_SCHEMA: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["order_ref", "status", "source", "updated_at"],
    "properties": {
        "order_ref": {"type": "string", "minLength": 1},
        "number": _STRING,
        "status": {"type": "string", "enum": list(ORDER_STATUSES)},
        "currency": _STRING,
        "total": _MONEY,
        "created_at": _TIME,
        "updated_at": {"type": "string", "format": "date-time"},
        "customer": _nullable(
            "object",
            additionalProperties=False,
            properties={"email": _STRING, "name": _STRING},
        ),
        "lines": {"type": "array", "items": _ORDER_LINE},
        "source": {"type": "string", "enum": list(SOURCES)},
        "source_id": _STRING,
    },
}

#: Stream name -> (schema, key properties).
SHARED_STREAMS: dict[str, tuple[Schema, tuple[str, ...]]] = {
    "items": (ITEMS_SCHEMA, ("sku",)),
    "inventory_levels": (INVENTORY_LEVELS_SCHEMA, ("sku", "location")),
    "orders": (ORDERS_SCHEMA, ("order_ref",)),
}


def order_ref(platform: str, order_id: str | int) -> str:
    """The stable reference of a store order, such as `shopify:4501` or `woocommerce:1001`.

    NetSuite's sales orders carry it as their external id.
    """
    if platform not in ("woocommerce", "shopify"):
        raise ValueError(f"orders come from woocommerce or shopify, not {platform!r}")
    return f"{platform}:{order_id}"
