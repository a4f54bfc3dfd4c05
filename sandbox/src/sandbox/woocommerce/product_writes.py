"""Applying a create or update request to a product or variation.

This follows what WooCommerce's REST controllers do in `prepare_object_for_database`.
"""

from __future__ import annotations

import copy
import re
import sqlite3
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from sandbox.woocommerce import params
from sandbox.woocommerce.dates import StoreTime
from sandbox.woocommerce.errors import WooCommerceError
from sandbox.woocommerce.meta import update_meta_data
from sandbox.woocommerce.products import (
    PRODUCT_DEFAULTS,
    VARIATION_DEFAULTS,
    ProductRepository,
)
from sandbox.woocommerce.schema import GLOBAL_ATTRIBUTES, next_id
from sandbox.woocommerce.stock import BACKORDER_OPTIONS, STOCK_STATUSES

PRODUCT_TYPES = ("simple", "grouped", "external", "variable")
PRODUCT_STATUSES = ("draft", "pending", "private", "publish", "future")
VARIATION_STATUSES = ("draft", "pending", "private", "publish")
VISIBILITIES = ("visible", "catalog", "search", "hidden")
TAX_STATUSES = ("taxable", "shipping", "none")

_STRINGS = (
    "description",
    "short_description",
    "tax_class",
    "weight",
    "shipping_class",
    "purchase_note",
    "external_url",
    "button_text",
    "global_unique_id",
    "post_password",
)
_BOOLEANS = ("featured", "virtual", "downloadable", "sold_individually", "reviews_allowed")
_ATTRIBUTES_BY_ID = {
    number: (key, name, slug) for key, (number, name, slug) in GLOBAL_ATTRIBUTES.items()
}


def slugify(text: str) -> str:
    """A WordPress-style slug (`sanitize_title`)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "product"


class ProductWriter:
    """Validates a request body and applies it to a product or variation record.

    Args:
        products: Where products are stored.
        store_time: The store's time zone, for dates a client writes.
    """

    def __init__(self, products: ProductRepository, store_time: StoreTime) -> None:
        self.products = products
        self.store_time = store_time

    def new_record(
        self, db: sqlite3.Connection, kind: str, now: datetime, parent_id: int = 0
    ) -> dict[str, Any]:
        """An unsaved record with WooCommerce's defaults and a fresh post id."""
        defaults = VARIATION_DEFAULTS if kind == "variation" else PRODUCT_DEFAULTS
        stamp = self.store_time.gmt(now)
        return {
            **copy.deepcopy(defaults),
            "id": next_id(db, "post"),
            "parent_id": parent_id,
            "type": kind,
            "status": "publish",
            "sku": "",
            "name": "",
            "slug": "",
            "menu_order": 0,
            "stock_status": "instock",
            "date_created_gmt": stamp,
            "date_modified_gmt": stamp,
        }

    def apply(
        self,
        db: sqlite3.Connection,
        record: dict[str, Any],
        body: dict[str, Any],
        now: datetime,
        parent: dict[str, Any] | None = None,
    ) -> None:
        """Apply the fields of a request body; unknown fields are ignored, as WordPress does.

        Raises:
            WooCommerceError: A field is invalid, or the SKU is taken.
        """
        is_variation = record["type"] == "variation"
        if "type" in body and not is_variation:
            record["type"] = params.as_enum("type", body["type"], PRODUCT_TYPES)
        if "name" in body and not is_variation:
            record["name"] = params.as_string("name", body["name"])
        if "slug" in body and not is_variation:
            record["slug"] = slugify(params.as_string("slug", body["slug"]))
        if not is_variation and not record["slug"]:
            record["slug"] = self._unique_slug(db, slugify(record["name"]), record["id"])
        if "status" in body:
            allowed = VARIATION_STATUSES if is_variation else PRODUCT_STATUSES
            record["status"] = params.as_enum("status", body["status"], allowed)
        if "catalog_visibility" in body and not is_variation:
            record["catalog_visibility"] = params.as_enum(
                "catalog_visibility", body["catalog_visibility"], VISIBILITIES
            )
        if "tax_status" in body:
            record["tax_status"] = params.as_enum("tax_status", body["tax_status"], TAX_STATUSES)
        for field in _STRINGS:
            if field in body:
                record[field] = params.as_string(field, body[field])
        for field in _BOOLEANS:
            if field in body:
                record[field] = params.as_boolean(field, body[field])
        if "menu_order" in body:
            record["menu_order"] = params.as_integer("menu_order", body["menu_order"])
        if "dimensions" in body:
            dimensions = params.as_object("dimensions", body["dimensions"])
            for axis in ("length", "width", "height"):
                if axis in dimensions:
                    record["dimensions"][axis] = params.as_string(
                        f"dimensions[{axis}]", dimensions[axis]
                    )

        self._apply_sku(db, record, body)
        self._apply_prices(record, body)
        self._apply_stock(record, body, parent)
        self._apply_terms(db, record, body)
        self._apply_images(db, record, body, now)
        self._apply_attributes(record, body, parent)
        if "meta_data" in body:
            update_meta_data(db, record, params.as_array("meta_data", body["meta_data"]))

    def _unique_slug(self, db: sqlite3.Connection, slug: str, own_id: int) -> str:
        candidate, suffix = slug, 2
        while db.execute(
            "SELECT 1 FROM wc_products WHERE slug = ? AND id != ? AND type != 'variation'",
            (candidate, own_id),
        ).fetchone():
            candidate, suffix = f"{slug}-{suffix}", suffix + 1
        return candidate

    def _apply_sku(
        self, db: sqlite3.Connection, record: dict[str, Any], body: dict[str, Any]
    ) -> None:
        if "sku" not in body:
            return
        sku = params.as_string("sku", body["sku"]).strip()
        if sku:
            holder = self.products.sku_taken(db, sku, record["id"])
            if holder is not None:
                raise WooCommerceError(
                    "product_invalid_sku",
                    "Invalid or duplicated SKU.",
                    400,
                    resource_id=holder,
                    unique_sku=f"{sku}-1",
                )
        record["sku"] = sku

    def _apply_prices(self, record: dict[str, Any], body: dict[str, Any]) -> None:
        for field in ("regular_price", "sale_price"):
            if field in body:
                record[field] = params.as_string(field, body[field]).strip()
        for field in ("date_on_sale_from", "date_on_sale_to"):
            for name, is_gmt in ((field, False), (f"{field}_gmt", True)):
                if name not in body:
                    continue
                if body[name] in (None, ""):
                    record[f"{field}_gmt"] = None
                    continue
                stored = self.store_time.parse_input(params.as_string(name, body[name]), is_gmt)
                if stored is None:
                    raise params.invalid_param(name, "Invalid date.", "rest_invalid_date")
                record[f"{field}_gmt"] = stored

    def _apply_stock(
        self, record: dict[str, Any], body: dict[str, Any], parent: dict[str, Any] | None
    ) -> None:
        is_variation = record["type"] == "variation"
        if "manage_stock" in body:
            if is_variation and body["manage_stock"] == "parent":
                record["manage_stock"] = False
            else:
                record["manage_stock"] = params.as_boolean("manage_stock", body["manage_stock"])
        if "stock_status" in body:
            record["stock_status"] = params.as_enum(
                "stock_status", body["stock_status"], STOCK_STATUSES
            )
        if "backorders" in body:
            record["backorders"] = params.as_enum(
                "backorders", body["backorders"], BACKORDER_OPTIONS
            )
        if "low_stock_amount" in body and body["low_stock_amount"] is not None:
            record["low_stock_amount"] = params.as_integer(
                "low_stock_amount", body["low_stock_amount"]
            )

        if record["manage_stock"]:
            if "stock_quantity" in body:
                record["stock_quantity"] = params.as_integer(
                    "stock_quantity", body["stock_quantity"]
                )
            elif "inventory_delta" in body:
                delta = params.as_integer("inventory_delta", body["inventory_delta"])
                record["stock_quantity"] = (record.get("stock_quantity") or 0) + delta
            elif record.get("stock_quantity") is None:
                record["stock_quantity"] = 0
        else:
            # Without stock management WooCommerce forgets the quantity.
            record["stock_quantity"] = None
        if record["type"] != "variable":
            self.products.sync_stock_status(record, parent)

    def _apply_terms(
        self, db: sqlite3.Connection, record: dict[str, Any], body: dict[str, Any]
    ) -> None:
        if "categories" in body and record["type"] != "variation":
            categories = []
            for index, entry in enumerate(params.as_array("categories", body["categories"])):
                entry = params.as_object(f"categories[{index}]", entry)
                if "id" not in entry:
                    continue
                row = db.execute(
                    "SELECT id, name, slug FROM wc_categories WHERE id = ?",
                    (params.as_integer(f"categories[{index}][id]", entry["id"]),),
                ).fetchone()
                if row is not None:
                    categories.append({"id": row["id"], "name": row["name"], "slug": row["slug"]})
            record["categories"] = categories
        if "tags" in body and record["type"] != "variation":
            tags = []
            for index, entry in enumerate(params.as_array("tags", body["tags"])):
                entry = params.as_object(f"tags[{index}]", entry)
                name = str(entry.get("name") or entry.get("id") or "")
                if name:
                    tags.append(
                        {"id": int(entry.get("id") or 0), "name": name, "slug": slugify(name)}
                    )
            record["tags"] = tags
        for field in ("upsell_ids", "cross_sell_ids"):
            if field in body and record["type"] != "variation":
                record[field] = params.as_id_list(field, body[field])

    def _apply_images(
        self, db: sqlite3.Connection, record: dict[str, Any], body: dict[str, Any], now: datetime
    ) -> None:
        if record["type"] == "variation":
            if "image" in body:
                image = body["image"]
                record["image"] = (
                    None
                    if not image
                    else self._image(db, params.as_object("image", image), "image", now)
                )
            return
        if "images" in body:
            record["images"] = [
                self._image(db, params.as_object(f"images[{index}]", entry), "images", now)
                for index, entry in enumerate(params.as_array("images", body["images"]))
            ]

    def _image(
        self, db: sqlite3.Connection, entry: dict[str, Any], name: str, now: datetime
    ) -> dict[str, Any]:
        """An attachment: an existing one by id, or one side-loaded from `src`."""
        src = str(entry.get("src") or "")
        if not src and not entry.get("id"):
            raise WooCommerceError(
                "woocommerce_product_invalid_image_id",
                f"#{entry.get('id', 0)} is an invalid image ID.",
                400,
            )
        image_id = int(entry.get("id") or 0) or next_id(db, "attachment")
        stamp = self.store_time.gmt(now)
        return {
            "id": image_id,
            "date_created": self.store_time.local_from_gmt(stamp),
            "date_created_gmt": stamp,
            "date_modified": self.store_time.local_from_gmt(stamp),
            "date_modified_gmt": stamp,
            "src": src,
            "name": str(entry.get("name") or PurePosixPath(src).stem),
            "alt": str(entry.get("alt") or ""),
        }

    def _apply_attributes(
        self, record: dict[str, Any], body: dict[str, Any], parent: dict[str, Any] | None
    ) -> None:
        if "attributes" not in body:
            return
        entries = params.as_array("attributes", body["attributes"])
        if record["type"] == "variation":
            record["attributes"] = [
                self._variation_attribute(params.as_object(f"attributes[{index}]", entry))
                for index, entry in enumerate(entries)
            ]
            if parent is not None:
                options = ", ".join(attribute["option"] for attribute in record["attributes"])
                record["name"] = f"{parent['name']} - {options}" if options else parent["name"]
            return
        attributes = []
        for position, entry in enumerate(entries):
            entry = params.as_object(f"attributes[{position}]", entry)
            number, name, slug = self._attribute_identity(entry)
            attributes.append(
                {
                    "id": number,
                    "name": name,
                    "slug": slug,
                    "position": int(entry.get("position", position)),
                    "visible": bool(entry.get("visible", False)),
                    "variation": bool(entry.get("variation", False)),
                    "options": [str(option) for option in entry.get("options", [])],
                }
            )
        record["attributes"] = attributes

    def _attribute_identity(self, entry: dict[str, Any]) -> tuple[int, str, str]:
        number = int(entry.get("id") or 0)
        if number in _ATTRIBUTES_BY_ID:
            _, name, slug = _ATTRIBUTES_BY_ID[number]
            return number, name, slug
        name = str(entry.get("name") or "")
        return 0, name, slugify(name)

    def _variation_attribute(self, entry: dict[str, Any]) -> dict[str, Any]:
        number, name, _ = self._attribute_identity(entry)
        return {"id": number, "name": name, "option": str(entry.get("option") or "")}
