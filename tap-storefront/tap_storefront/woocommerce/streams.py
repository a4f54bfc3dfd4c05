"""The shared streams, read from WooCommerce products, variations and orders."""

from __future__ import annotations

import typing as t
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from singer_sdk import Tap
from typing_extensions import override

from sync_model.streams import SHARED_STREAMS, order_ref
from sync_model.values import to_money, to_quantity
from tap_storefront.incremental import OverlapIncrementalStream
from tap_storefront.woocommerce.client import WooCommerceStream, gmt_bound, gmt_to_utc

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

SOURCE = "woocommerce"

#: Item fields that come from the product page, and so change with the parent product.
CONTENT_FIELDS = ("name", "description", "short_description", "categories", "images")
#: Item fields a variation (or simple product) holds itself.
OWN_FIELDS = ("price", "compare_at_price")

#: WooCommerce order statuses and the shared model's status for each.
ORDER_STATUSES = {
    "pending": "open",
    "processing": "open",
    "on-hold": "open",
    "checkout-draft": "open",
    "completed": "fulfilled",
    "cancelled": "cancelled",
    "failed": "cancelled",
    "trash": "cancelled",
    "refunded": "closed",
}

Product = dict[str, t.Any]


class _IncrementalWooCommerceStream(OverlapIncrementalStream, WooCommerceStream):
    """A WooCommerce listing read with `modified_after` (always in GMT) and an overlap."""

    def iterate(self, path: str, since: datetime | None) -> Iterator[dict[str, t.Any]]:
        """Every record of a listing changed at or after `since`, page by page, in id order.

        `modified_after` is exclusive, so the bound is one second before `since`: the overlap
        and de-duplication take care of what that repeats.
        """
        params: dict[str, t.Any] = {
            "per_page": self.per_page,
            "orderby": "id",
            "order": "asc",
            "dates_are_gmt": "true",
        }
        if since is not None:
            params["modified_after"] = gmt_bound(since - timedelta(seconds=1))
        page = 1
        while True:
            response = self.get_json(path, {**params, "page": page})
            records = response.json()
            yield from records
            total_pages = response.headers.get("X-WP-TotalPages", "")
            if total_pages.isdigit():
                if page >= int(total_pages):
                    return
            elif len(records) < self.per_page:
                return
            if not records:
                return
            page += 1


class _CatalogueStream(_IncrementalWooCommerceStream):
    """Reads changed products and expands variable products into their variations."""

    path = "/products"
    skipped_types: Counter[str]

    def changed_skus(self, since: datetime | None) -> Iterator[tuple[Product, Product | None]]:
        """Each changed simple product, and each variation of a changed variable product.

        Yields `(product, None)` or `(variation, parent)`. Other product types (grouped,
        external) hold no stock of their own and are counted and skipped.

        A variable product's `date_modified` moves whenever one of its variations changes
        (WooCommerce re-saves the parent to sync its price and stock status), and its
        content (description, categories, images) belongs to every variation, so all its
        variations are read again.
        """
        self.skipped_types = Counter()
        for product in self.iterate("/products", since):
            kind = product.get("type")
            if kind == "simple":
                yield product, None
            elif kind == "variable":
                for variation in self.iterate(f"/products/{product['id']}/variations", None):
                    yield variation, product
            else:
                self.skipped_types[str(kind)] += 1
        for kind, count in sorted(self.skipped_types.items()):
            self.logger.info(
                "%s: skipped %d %s product(s): only simple products and variations hold stock",
                self.name,
                count,
                kind,
            )


def _updated_at(record: Product, parent: Product | None) -> str:
    own = gmt_to_utc(record.get("date_modified_gmt")) or ""
    if parent is None:
        return own
    return max(own, gmt_to_utc(parent.get("date_modified_gmt")) or "")


def _manages_stock(record: Product) -> bool:
    return record.get("manage_stock") in (True, "parent")


class ItemsStream(_CatalogueStream):
    """Simple products and variations, one item per SKU, with their product's content."""

    name = "items"
    schema = SHARED_STREAMS["items"][0]
    primary_keys = SHARED_STREAMS["items"][1]

    @override
    def fetch_changed(self, context: Context | None, since: datetime | None) -> Iterable[dict]:
        without_sku = 0
        for record, parent in self.changed_skus(since):
            if not record.get("sku"):
                without_sku += 1
                continue
            yield self.to_item(record, parent)
        if without_sku:
            self.logger.warning(
                "items: skipped %d product(s) or variation(s) without a SKU; give them a SKU "
                "in WooCommerce to sync them",
                without_sku,
            )

    @staticmethod
    def to_item(record: Product, parent: Product | None) -> dict[str, t.Any]:
        """The shared item of a simple product, or of a variation with its parent product."""
        page = parent or record
        own_time = gmt_to_utc(record.get("date_modified_gmt"))
        content_time = gmt_to_utc(page.get("date_modified_gmt"))
        on_sale = bool(record.get("on_sale")) and record.get("sale_price") not in ("", None)
        images = [image["src"] for image in page.get("images") or [] if image.get("src")]
        own_image = (record.get("image") or {}).get("src") if parent is not None else None
        if own_image:
            images = [own_image, *[src for src in images if src != own_image]]
        option_values = {
            str(attribute.get("name", "")).lower(): str(attribute.get("option", ""))
            for attribute in record.get("attributes") or []
            if parent is not None and attribute.get("name")
        }
        field_times = dict.fromkeys(CONTENT_FIELDS, content_time)
        field_times.update(dict.fromkeys(OWN_FIELDS, own_time))
        return {
            "sku": record["sku"],
            "name": record.get("name") or page.get("name"),
            "description": page.get("description") or None,
            "short_description": page.get("short_description") or None,
            "categories": [c["name"] for c in page.get("categories") or [] if c.get("name")],
            "images": images,
            "price": to_money(record.get("price"), field="price"),
            "compare_at_price": (
                to_money(record.get("regular_price"), field="regular_price") if on_sale else None
            ),
            "currency": None,
            "barcode": record.get("global_unique_id") or None,
            "active": record.get("status") == "publish"
            and (parent is None or parent.get("status") == "publish"),
            "manages_stock": _manages_stock(record),
            "product_id": str(page["id"]),
            "product_name": page.get("name"),
            "option_values": option_values or None,
            "source": SOURCE,
            "source_id": str(record["id"]),
            "updated_at": _updated_at(record, parent),
            "field_updated_at": {k: v for k, v in field_times.items() if v},
        }


class InventoryLevelsStream(_CatalogueStream):
    """WooCommerce's single stock figure per SKU, at the configured store location.

    A product or variation that does not manage stock is reported with empty quantities
    (and `manages_stock: false` on its item), never as zero. WooCommerce takes stock when an
    order is placed, so nothing is `committed`; on hand and available are the same figure.
    A variation whose stock is managed by its parent product shows the parent's shared
    figure, as WooCommerce does; such variations share one pool.
    """

    name = "inventory_levels"
    schema = SHARED_STREAMS["inventory_levels"][0]
    primary_keys = SHARED_STREAMS["inventory_levels"][1]

    @override
    def fetch_changed(self, context: Context | None, since: datetime | None) -> Iterable[dict]:
        location = str(self.config["stock_location"])
        for record, parent in self.changed_skus(since):
            if not record.get("sku"):
                continue
            managed = _manages_stock(record)
            quantity = to_quantity(record.get("stock_quantity"), field="stock_quantity")
            yield {
                "sku": record["sku"],
                "location": location,
                "location_name": None,
                "on_hand": quantity if managed else None,
                "available": quantity if managed else None,
                "committed": None,
                "source": SOURCE,
                "updated_at": _updated_at(record, parent),
            }


class OrdersStream(_IncrementalWooCommerceStream):
    """Orders with their lines, exact totals and a canonical status."""

    name = "orders"
    path = "/orders"
    schema = SHARED_STREAMS["orders"][0]
    primary_keys = SHARED_STREAMS["orders"][1]

    @override
    def fetch_changed(self, context: Context | None, since: datetime | None) -> Iterable[dict]:
        unknown: Counter[str] = Counter()
        for order in self.iterate("/orders", since):
            status = ORDER_STATUSES.get(order.get("status", ""))
            if status is None:
                unknown[str(order.get("status"))] += 1
                status = "open"
            yield self.to_order(order, status)
        for name, count in sorted(unknown.items()):
            self.logger.warning(
                "orders: %d order(s) with the custom status %r were reported as open",
                count,
                name,
            )

    @staticmethod
    def to_order(order: dict[str, t.Any], status: str) -> dict[str, t.Any]:
        """The shared order of a WooCommerce order."""
        billing = order.get("billing") or {}
        parts = (billing.get("first_name"), billing.get("last_name"))
        name = " ".join(part for part in parts if part)
        return {
            "order_ref": order_ref(SOURCE, order["id"]),
            "number": str(order.get("number") or order["id"]),
            "status": status,
            "currency": order.get("currency") or None,
            "total": to_money(order.get("total"), field="total"),
            "created_at": gmt_to_utc(order.get("date_created_gmt")),
            "updated_at": gmt_to_utc(order.get("date_modified_gmt")),
            "customer": {"email": billing.get("email") or None, "name": name or None},
            "lines": [
                {
                    "sku": line.get("sku") or "",
                    "quantity": to_quantity(line.get("quantity"), field="quantity") or 0,
                    "unit_price": to_money(line.get("price"), field="price"),
                    "line_total": to_money(line.get("total"), field="line total"),
                }
                for line in order.get("line_items") or []
            ],
            "source": SOURCE,
            "source_id": str(order["id"]),
        }


def woocommerce_streams(tap: Tap) -> list:
    """The streams of a WooCommerce store."""
    return [ItemsStream(tap), InventoryLevelsStream(tap), OrdersStream(tap)]
