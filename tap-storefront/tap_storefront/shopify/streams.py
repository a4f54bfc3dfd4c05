"""The shared streams, read from Shopify variants, inventory levels and orders."""

from __future__ import annotations

import typing as t
from collections.abc import Iterable, Iterator
from datetime import datetime

from singer_sdk import Tap
from typing_extensions import override

from sync_model.streams import SHARED_STREAMS, order_ref
from sync_model.values import format_utc, parse_utc, to_money, to_quantity
from tap_storefront.incremental import OverlapIncrementalStream
from tap_storefront.shopify import queries
from tap_storefront.shopify.client import ShopifyStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

SOURCE = "shopify"
CONTENT_FIELDS = ("name", "description", "short_description", "categories", "images")
OWN_FIELDS = ("price", "compare_at_price")
#: Products per `product_id:` search when re-reading the variants of changed products.
_PRODUCTS_PER_SEARCH = 50

Node = dict[str, t.Any]


def _search_since(since: datetime) -> str:
    # Always in UTC with an explicit Z: a time without an offset is read in the shop's zone.
    return f"updated_at:>='{format_utc(since.replace(microsecond=0))}'"


class _IncrementalShopifyStream(OverlapIncrementalStream, ShopifyStream):
    """A Shopify connection read with an `updated_at` search and an overlap."""

    @override
    def get_records(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """The stream's records; then what the run has spent of the shop's cost bucket.

        Yields:
            Each record.
        """
        yield from super().get_records(context)
        bucket = self.bucket
        self.logger.info(
            "Shopify cost so far: %d points spent (%d requested) in %d queries, "
            "%d throttled, %.1f s waited for the bucket",
            bucket.spent,
            bucket.requested,
            bucket.queries,
            bucket.throttled,
            bucket.waited_seconds,
        )


class ItemsStream(_IncrementalShopifyStream):
    """Variants as items, each with its product's content.

    `productVariants` cannot sort or reliably filter by the product's changes, so an
    incremental run reads the variants changed since the bookmark and then the variants of
    the products changed since then (a product edit changes every variant's content).
    """

    name = "items"
    schema = SHARED_STREAMS["items"][0]
    primary_keys = SHARED_STREAMS["items"][1]

    @override
    def fetch_changed(self, context: Context | None, since: datetime | None) -> Iterable[dict]:
        currency = self._shop_currency()
        for variant in self._changed_variants(since):
            if variant.get("sku"):
                yield self.to_item(variant, currency)

    def _changed_variants(self, since: datetime | None) -> Iterator[Node]:
        pick = lambda data: data["productVariants"]  # noqa: E731
        if since is None:
            yield from self.paged(queries.VARIANTS, {"query": None}, pick, queries.VARIANT_COST)
            return
        search = _search_since(since)
        yield from self.paged(queries.VARIANTS, {"query": search}, pick, queries.VARIANT_COST)

        batch: list[str] = []
        products = self.paged(
            queries.CHANGED_PRODUCTS,
            {"query": search},
            lambda data: data["products"],
            queries.PRODUCT_ID_COST,
        )
        for product in products:
            batch.append(product["id"].rsplit("/", 1)[-1])
            if len(batch) == _PRODUCTS_PER_SEARCH:
                yield from self._variants_of(batch)
                batch = []
        if batch:
            yield from self._variants_of(batch)

    def _variants_of(self, product_ids: list[str]) -> Iterator[Node]:
        search = " OR ".join(f"product_id:{product_id}" for product_id in product_ids)
        yield from self.paged(
            queries.VARIANTS,
            {"query": search},
            lambda data: data["productVariants"],
            queries.VARIANT_COST,
        )

    def _shop_currency(self) -> str | None:
        data = self.graphql("query { shop { currencyCode } }", {}, 1)
        return (data.get("shop") or {}).get("currencyCode")

    @staticmethod
    def to_item(variant: Node, currency: str | None) -> dict[str, t.Any]:
        """The shared item of a variant and its product."""
        product = variant.get("product") or {}
        options = {
            str(option["name"]).lower(): str(option["value"])
            for option in variant.get("selectedOptions") or []
            if option.get("value") != "Default Title"
        }
        title = product.get("title")
        name = f"{title} - {' / '.join(options.values())}" if options and title else title
        image = (product.get("featuredImage") or {}).get("url")
        content_time = product.get("updatedAt")
        own_time = variant.get("updatedAt")
        field_times = dict.fromkeys(CONTENT_FIELDS, content_time)
        field_times.update(dict.fromkeys(OWN_FIELDS, own_time))
        return {
            "sku": variant["sku"],
            "name": name,
            "description": product.get("descriptionHtml") or None,
            "short_description": None,
            "categories": list(product.get("tags") or []),
            "images": [image] if image else [],
            "price": to_money(variant.get("price"), field="price"),
            "compare_at_price": to_money(variant.get("compareAtPrice"), field="compareAtPrice"),
            "currency": currency,
            "barcode": variant.get("barcode") or None,
            "active": product.get("status") == "ACTIVE",
            "manages_stock": bool((variant.get("inventoryItem") or {}).get("tracked")),
            "product_id": product.get("id"),
            "product_name": title,
            "option_values": options or None,
            "source": SOURCE,
            "source_id": variant["id"],
            "updated_at": max(
                format_utc(parse_utc(time)) for time in (own_time, content_time) if time
            ),
            "field_updated_at": {k: format_utc(parse_utc(v)) for k, v in field_times.items() if v},
        }


class InventoryLevelsStream(_IncrementalShopifyStream):
    """Available, on hand and committed quantities per variant and location.

    Items whose quantities Shopify does not track are reported with empty quantities.
    """

    name = "inventory_levels"
    schema = SHARED_STREAMS["inventory_levels"][0]
    primary_keys = SHARED_STREAMS["inventory_levels"][1]

    @override
    def fetch_changed(self, context: Context | None, since: datetime | None) -> Iterable[dict]:
        locations = list(
            self.paged(queries.LOCATIONS, {}, lambda data: data["locations"], queries.LOCATION_COST)
        )
        search = _search_since(since) if since is not None else None
        for location in locations:
            levels = self.paged(
                queries.LOCATION_LEVELS,
                {"location": location["id"], "query": search},
                lambda data: (data.get("location") or {}).get("inventoryLevels") or {},
                queries.LEVEL_COST,
            )
            for level in levels:
                record = self.to_level(level, location)
                if record is None:
                    continue
                if since is not None and parse_utc(record["updated_at"]) < since:
                    continue
                yield record

    @staticmethod
    def to_level(level: Node, location: Node) -> dict[str, t.Any] | None:
        """The shared inventory level, or None for an item without a SKU."""
        item = level.get("item") or {}
        if not item.get("sku"):
            return None
        tracked = bool(item.get("tracked"))
        quantities = {q["name"]: q["quantity"] for q in level.get("quantities") or []}

        def quantity(name: str) -> int | None:
            return to_quantity(quantities.get(name), field=name) if tracked else None

        return {
            "sku": item["sku"],
            "location": location["id"],
            "location_name": location.get("name"),
            "on_hand": quantity("on_hand"),
            "available": quantity("available"),
            "committed": quantity("committed"),
            "source": SOURCE,
            "updated_at": format_utc(parse_utc(level["updatedAt"])),
        }


def order_status(order: Node) -> str:
    """The shared status of a Shopify order.

    Cancelled orders are `cancelled`; fully fulfilled ones `fulfilled`; refunded or voided
    ones, and orders closed (archived) before being fulfilled, `closed`; the rest `open`.
    """
    if order.get("cancelledAt"):
        return "cancelled"
    if order.get("displayFulfillmentStatus") == "FULFILLED":
        return "fulfilled"
    if order.get("closed") or order.get("displayFinancialStatus") in ("REFUNDED", "VOIDED"):
        return "closed"
    return "open"


class OrdersStream(_IncrementalShopifyStream):
    """Orders with their lines, exact totals and a canonical status."""

    name = "orders"
    schema = SHARED_STREAMS["orders"][0]
    primary_keys = SHARED_STREAMS["orders"][1]

    @override
    def fetch_changed(self, context: Context | None, since: datetime | None) -> Iterable[dict]:
        search = _search_since(since) if since is not None else None
        orders = self.paged(
            queries.ORDERS, {"query": search}, lambda data: data["orders"], queries.ORDER_COST
        )
        for order in orders:
            lines = list((order.get("lineItems") or {}).get("nodes") or [])
            info = (order.get("lineItems") or {}).get("pageInfo") or {}
            if info.get("hasNextPage"):
                lines += self._more_lines(order["id"], info.get("endCursor"))
            yield self.to_order(order, lines)

    def _more_lines(self, order_id: str, after: str | None) -> list[Node]:
        lines: list[Node] = []
        while True:
            first = self._page_size(queries.LINE_COST)
            data = self.graphql(
                queries.ORDER_LINES,
                {"order": order_id, "first": first, "after": after},
                3 + first * queries.LINE_COST,
            )
            page = (data.get("order") or {}).get("lineItems") or {}
            lines += page.get("nodes") or []
            info = page.get("pageInfo") or {}
            if not info.get("hasNextPage"):
                return lines
            after = info.get("endCursor")

    @staticmethod
    def to_order(order: Node, lines: list[Node]) -> dict[str, t.Any]:
        """The shared order of a Shopify order and all its lines."""
        customer = order.get("customer") or {}
        parts = (customer.get("firstName"), customer.get("lastName"))
        name = " ".join(part for part in parts if part)
        money = ((order.get("totalPriceSet") or {}).get("shopMoney")) or {}
        return {
            "order_ref": order_ref(SOURCE, order["id"].rsplit("/", 1)[-1]),
            "number": order.get("name"),
            "status": order_status(order),
            "currency": money.get("currencyCode") or order.get("currencyCode"),
            "total": to_money(money.get("amount"), field="totalPriceSet"),
            "created_at": format_utc(parse_utc(order["createdAt"])),
            "updated_at": format_utc(parse_utc(order["updatedAt"])),
            "customer": {
                "email": customer.get("email") or order.get("email") or None,
                "name": name or None,
            },
            "lines": [
                {
                    "sku": line.get("sku") or "",
                    "quantity": to_quantity(line.get("quantity"), field="quantity") or 0,
                    "unit_price": to_money(
                        ((line.get("originalUnitPriceSet") or {}).get("shopMoney") or {}).get(
                            "amount"
                        ),
                        field="originalUnitPriceSet",
                    ),
                    "line_total": to_money(
                        ((line.get("originalTotalSet") or {}).get("shopMoney") or {}).get("amount"),
                        field="originalTotalSet",
                    ),
                }
                for line in lines
            ],
            "source": SOURCE,
            "source_id": order["id"],
        }


def shopify_streams(tap: Tap) -> list:
    """The streams of a Shopify shop."""
    return [ItemsStream(tap), InventoryLevelsStream(tap), OrdersStream(tap)]
