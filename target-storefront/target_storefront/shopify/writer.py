"""Shopify Admin GraphQL: reading variants, stock and open orders, writing in bulk.

Every call is paced by the shop's cost bucket.

- Prices: `productVariantsBulkUpdate`, one call per product. Name (the product's title),
  description and unpublishing (status DRAFT): `productUpdate`, one call per product.
- Field clocks: one JSON metafield per variant (`inventory_sync.field_clocks`), written with
  `metafieldsSet`, at most 25 per call.
- Stock: `inventorySetQuantities` of `available`, at most 250 quantities per call, with
  compare-and-set: `changeFromQuantity` from API version 2026-01 (with an `@idempotent` key),
  `compareQuantity` before. A stale answer changes nothing; the target re-reads those levels and
  recomputes. A level not stocked at a location yet is activated with its quantity.

Shopify publishes whole products: an inactive variant of a product is left published (counted
in the log); an inactive single-variant product is set to DRAFT. New SKUs are created as
single-variant products (DRAFT unless `publish_new_items`); a new
variant of an existing product is reported by SKU, not created (NetSuite's stream does not
carry the option values a variant needs).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import requests

from sync_model.clocks import clocks_from_json, clocks_to_json
from sync_model.streams import order_ref
from sync_model.values import format_utc, parse_utc, to_money
from target_storefront.http import ApiClient, RetriableError, StoreApiError
from target_storefront.store import (
    CLOCKS_KEY,
    CLOCKS_NAMESPACE,
    ItemWrite,
    OpenOrder,
    StockLevel,
    StockWrite,
    StoreItem,
    WriteOutcome,
)

DEFAULT_API_VERSION = "2026-10"
METAFIELDS_PER_CALL = 25
QUANTITIES_PER_CALL = 250
#: SKUs per read query; keeps a query's requested cost well under 1000 points.
SKUS_PER_QUERY = 50
STOCK_SKUS_PER_QUERY = 25

_VARIANTS = """
query Variants($first: Int!, $query: String!) {
  productVariants(first: $first, query: $query) {
    nodes {
      id sku price compareAtPrice
      metafield(namespace: "NAMESPACE", key: "KEY") { value }
      product { id title status descriptionHtml }
    }
  }
}
""".replace("NAMESPACE", CLOCKS_NAMESPACE).replace("KEY", CLOCKS_KEY)

_STOCK = """
query Stock($first: Int!, $query: String!) {
  productVariants(first: $first, query: $query) {
    nodes {
      sku
      inventoryItem {
        id tracked
        inventoryLevels(first: 10) {
          nodes { location { id } quantities(names: ["available"]) { name quantity } }
        }
      }
    }
  }
}
"""

_ORDERS = """
query OpenOrders($first: Int!, $after: String, $query: String!) {
  orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
    nodes { id createdAt lineItems(first: 50) { nodes { sku quantity } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


class ShopifyStore:
    """A Shopify shop, read and written through the Admin GraphQL API.

    Args:
        config: The target's settings.
        logger: The target's logger.
    """

    platform = "shopify"
    supported_fields = ("name", "description", "price", "compare_at_price")
    unpublishes_variants = False

    def __init__(self, config: dict[str, Any], logger: logging.Logger) -> None:
        self.version = str(config.get("api_version") or DEFAULT_API_VERSION)
        self.url = f"{str(config['base_url']).rstrip('/')}/admin/api/{self.version}/graphql.json"
        self.token = str(config["access_token"])
        self.publish_new = bool(config.get("publish_new_items", False))
        self.logger = logger
        self.api = ApiClient(float(config.get("request_timeout", 60)), logger)
        self.run_id = uuid.uuid4().hex
        # What the shop last said of its cost bucket.
        self.available = 1000.0
        self.restore_rate = 50.0
        self.observed_at = time.monotonic()

    @property
    def write_calls(self) -> int:
        """Write calls made so far."""
        return self.api.write_calls

    @property
    def change_from(self) -> bool:
        """Whether this API version takes `changeFromQuantity` (2026-01 on) for compare-and-set."""
        return self.version >= "2026-01"

    # GraphQL

    def graphql(
        self, query: str, variables: dict[str, Any], *, cost: float = 10, writes: bool = False
    ) -> dict[str, Any]:
        """Run one query or mutation, waiting for the bucket and retrying THROTTLED answers.

        Raises:
            StoreApiError: Shopify refused the query or the token.
        """
        restored = (time.monotonic() - self.observed_at) * self.restore_rate
        wait = (cost - (self.available + restored)) / self.restore_rate
        if wait > 0:
            self.logger.debug("Waiting %.1f s for %d cost points", wait, cost)
            time.sleep(wait)

        def build() -> requests.Request:
            return requests.Request(
                "POST",
                self.url,
                json={"query": query, "variables": variables},
                headers={"X-Shopify-Access-Token": self.token, "Accept": "application/json"},
            )

        return self.api.send(build, lambda response: self._check(response, cost), writes=writes)

    def _check(self, response: requests.Response, cost: float) -> dict[str, Any]:
        if response.status_code >= 400:
            hints = {
                401: "check `access_token`",
                402: "the shop is frozen (unpaid)",
                403: "the access token lacks a scope: write_products, write_inventory, "
                "read_locations and read_orders are needed",
                404: f"check `base_url` and that API version {self.version} is supported",
                423: "the shop is locked",
            }
            hint = hints.get(response.status_code, response.reason)
            raise StoreApiError(f"Shopify answered HTTP {response.status_code}: {hint}")
        try:
            body = response.json()
        except ValueError:
            raise RetriableError("Shopify answered with a body that is not JSON") from None
        status = ((body.get("extensions") or {}).get("cost") or {}).get("throttleStatus") or {}
        if status:
            self.available = float(status.get("currentlyAvailable", self.available))
            self.restore_rate = float(status.get("restoreRate") or self.restore_rate)
            self.observed_at = time.monotonic()
        errors = body.get("errors") or []
        if errors:
            codes = {str((e.get("extensions") or {}).get("code")) for e in errors}
            if "THROTTLED" in codes:
                wait = max(0.5, (cost - self.available) / self.restore_rate)
                raise RetriableError("Shopify answered THROTTLED", wait)
            messages = "; ".join(str(e.get("message")) for e in errors)
            raise StoreApiError(f"Shopify refused the query: {messages}")
        return body.get("data") or {}

    def _mutate(self, name: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        return self.graphql(query, variables, writes=True)[name] or {}

    @staticmethod
    def _sku_query(skus: list[str]) -> str:
        return " OR ".join(f"sku:{json.dumps(sku)}" for sku in skus)

    # Items

    def fetch_items(self, skus: list[str]) -> dict[str, StoreItem]:
        """The variants of these SKUs, with their products."""
        items: dict[str, StoreItem] = {}
        for start in range(0, len(skus), SKUS_PER_QUERY):
            chunk = skus[start : start + SKUS_PER_QUERY]
            data = self.graphql(
                _VARIANTS,
                {"first": len(chunk), "query": self._sku_query(chunk)},
                cost=len(chunk) * 3,
            )
            wanted = set(chunk)
            for node in data["productVariants"]["nodes"]:
                if node.get("sku") in wanted:
                    items[node["sku"]] = self._to_item(node)
        return items

    @staticmethod
    def _to_item(node: dict[str, Any]) -> StoreItem:
        product = node["product"]
        return StoreItem(
            sku=node["sku"],
            values={
                "name": product.get("title") or None,
                "description": product.get("descriptionHtml") or None,
                "price": to_money(node.get("price"), field="price"),
                "compare_at_price": to_money(node.get("compareAtPrice"), field="compareAtPrice"),
            },
            clocks=clocks_from_json((node.get("metafield") or {}).get("value")),
            published=product.get("status") == "ACTIVE",
            ref={"variant_id": node["id"], "product_id": product["id"]},
        )

    def write_items(self, writes: list[ItemWrite]) -> WriteOutcome:
        """Create new products, update variants and products, then store the clocks."""
        outcome = WriteOutcome()
        variants: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        products: dict[str, tuple[str, dict[str, Any]]] = {}
        clocks: list[tuple[str, dict[str, Any]]] = []
        for write in writes:
            if write.item is None:
                created = self._create(write, outcome)
                if created:
                    clocks.append((write.sku, self._clock_metafield(created, write)))
                continue
            ref = write.item.ref
            prices = _prices(write.values)
            if prices:
                variants[ref["product_id"]].append((write.sku, {"id": ref["variant_id"], **prices}))
            content = _product_fields(write)
            if content:
                sku, merged = products.get(
                    ref["product_id"], (write.sku, {"id": ref["product_id"]})
                )
                products[ref["product_id"]] = (sku, {**merged, **content})
            if write.clocks_changed:
                clocks.append((write.sku, self._clock_metafield(ref["variant_id"], write)))
            outcome.written.append(write.sku)

        for product_id, entries in variants.items():
            self._bulk_update(product_id, entries, outcome)
        for sku, fields in products.values():
            answer = self._mutate("productUpdate", _PRODUCT_UPDATE, {"product": fields})
            self._errors(answer, [sku], outcome)
        for start in range(0, len(clocks), METAFIELDS_PER_CALL):
            chunk = clocks[start : start + METAFIELDS_PER_CALL]
            answer = self._mutate(
                "metafieldsSet", _METAFIELDS_SET, {"metafields": [m for _, m in chunk]}
            )
            self._errors(answer, [sku for sku, _ in chunk], outcome)
        outcome.written = [sku for sku in outcome.written if sku not in outcome.failed]
        return outcome

    def _create(self, write: ItemWrite, outcome: WriteOutcome) -> str | None:
        if write.record.get("product_id"):
            outcome.failed[write.sku] = (
                "a new variant of a product is not created by this target; create the product "
                "with its variants in the store and the next run links them"
            )
            return None
        product = {
            "title": write.values.get("name") or write.record.get("name") or write.sku,
            "status": "ACTIVE" if self.publish_new else "DRAFT",
        }
        if write.values.get("description"):
            product["descriptionHtml"] = write.values["description"]
        answer = self._mutate("productCreate", _PRODUCT_CREATE, {"product": product})
        if self._errors(answer, [write.sku], outcome):
            return None
        created = answer["product"]
        variant_id = created["variants"]["nodes"][0]["id"]
        fields = {
            "id": variant_id,
            **_prices(write.values),
            "inventoryItem": {"sku": write.sku, "tracked": True},
        }
        self._bulk_update(created["id"], [(write.sku, fields)], outcome)
        if write.sku in outcome.failed:
            return None
        outcome.written.append(write.sku)
        return variant_id

    def _bulk_update(
        self, product_id: str, entries: list[tuple[str, dict[str, Any]]], outcome: WriteOutcome
    ) -> None:
        answer = self._mutate(
            "productVariantsBulkUpdate",
            _VARIANTS_UPDATE,
            {"productId": product_id, "variants": [fields for _, fields in entries]},
        )
        self._errors(answer, [sku for sku, _ in entries], outcome)

    @staticmethod
    def _clock_metafield(variant_id: str, write: ItemWrite) -> dict[str, Any]:
        return {
            "ownerId": variant_id,
            "namespace": CLOCKS_NAMESPACE,
            "key": CLOCKS_KEY,
            "type": "json",
            "value": clocks_to_json(write.clocks),
        }

    @staticmethod
    def _errors(answer: dict[str, Any], skus: list[str], outcome: WriteOutcome) -> bool:
        """Record a mutation's user errors against its SKUs; True when there were any."""
        errors = answer.get("userErrors") or []
        if not errors:
            return False
        message = "; ".join(str(error.get("message")) for error in errors)
        for sku in skus:
            outcome.failed[sku] = message
        return True

    # Stock

    def locations(self) -> set[str]:
        """The shop's active locations."""
        data = self.graphql("query { locations(first: 250) { nodes { id } } }", {}, cost=5)
        return {node["id"] for node in data["locations"]["nodes"]}

    def fetch_stock(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], StockLevel]:
        """Available stock of these SKUs at every location; unstocked locations marked so."""
        skus = sorted({sku for sku, _ in keys})
        locations_of: dict[str, set[str]] = defaultdict(set)
        for sku, location in keys:
            locations_of[sku].add(location)
        levels: dict[tuple[str, str], StockLevel] = {}
        for start in range(0, len(skus), STOCK_SKUS_PER_QUERY):
            chunk = skus[start : start + STOCK_SKUS_PER_QUERY]
            data = self.graphql(
                _STOCK, {"first": len(chunk), "query": self._sku_query(chunk)}, cost=len(chunk) * 34
            )
            for node in data["productVariants"]["nodes"]:
                sku, item = node.get("sku"), node["inventoryItem"]
                if sku not in locations_of:
                    continue
                found = {
                    level["location"]["id"]: {q["name"]: q["quantity"] for q in level["quantities"]}
                    for level in item["inventoryLevels"]["nodes"]
                }
                for location in locations_of[sku]:
                    stocked = location in found
                    levels[(sku, location)] = StockLevel(
                        sku=sku,
                        location=location,
                        available=found[location].get("available") if stocked else None,
                        tracked=bool(item.get("tracked")),
                        stocked=stocked,
                        ref={"inventory_item_id": item["id"]},
                    )
        return levels

    def write_stock(self, writes: list[StockWrite]) -> WriteOutcome:
        """Set available quantities with compare-and-set; moved levels come back as stale."""
        outcome = WriteOutcome()
        for write in writes:
            if not write.level.stocked:
                answer = self._mutate(
                    "inventoryActivate",
                    _INVENTORY_ACTIVATE,
                    {
                        "item": write.level.ref["inventory_item_id"],
                        "location": write.level.location,
                        "available": write.quantity,
                    },
                )
                if not self._errors(answer, [write.level.sku], outcome):
                    outcome.written.append(write.level.sku)
        stocked = [write for write in writes if write.level.stocked]
        for start in range(0, len(stocked), QUANTITIES_PER_CALL):
            self._set_quantities(stocked[start : start + QUANTITIES_PER_CALL], outcome)
        return outcome

    def _set_quantities(self, writes: list[StockWrite], outcome: WriteOutcome) -> None:
        # A call with any user error changes nothing: refused entries are reported, stale ones
        # handed back for a fresh read, and the rest sent again.
        while writes:
            compare = "changeFromQuantity" if self.change_from else "compareQuantity"
            quantities = [
                {
                    "inventoryItemId": write.level.ref["inventory_item_id"],
                    "locationId": write.level.location,
                    "quantity": write.quantity,
                    compare: write.expected,
                }
                for write in writes
            ]
            variables: dict[str, Any] = {
                "input": {
                    "name": "available",
                    "reason": "correction",
                    "referenceDocumentUri": f"gid://inventory-sync/StockSync/{self.run_id}",
                    "quantities": quantities,
                }
            }
            query = _SET_QUANTITIES_IDEMPOTENT if self.change_from else _SET_QUANTITIES
            if self.change_from:
                variables["key"] = uuid.uuid4().hex
            answer = self._mutate("inventorySetQuantities", query, variables)
            errors = answer.get("userErrors") or []
            if not errors:
                outcome.written.extend(write.level.sku for write in writes)
                return
            retry: list[StockWrite] = []
            flagged: dict[int, dict[str, Any]] = {}
            for error in errors:
                path = error.get("field") or []
                index = int(path[2]) if len(path) > 2 and str(path[2]).isdigit() else -1
                flagged[index] = error
            for index, write in enumerate(writes):
                error = flagged.get(index)
                if error is None and -1 in flagged:
                    error = flagged[-1]
                if error is None:
                    retry.append(write)
                elif str(error.get("code", "")).endswith("_STALE"):
                    outcome.stale.append(write)
                else:
                    outcome.failed[write.level.sku] = f"{error.get('code')}: {error.get('message')}"
            writes = retry

    # Orders

    def open_orders(self, since: datetime) -> Iterator[OpenOrder]:
        """Open, unfulfilled orders created since a time.

        The first 50 lines of an order are read; a larger order's further lines are not kept
        off the stock (reading them would need a paged `lineItems` query per such order).
        """
        search = (
            f"status:open AND -fulfillment_status:fulfilled AND created_at:>='{format_utc(since)}'"
        )
        after: str | None = None
        while True:
            data = self.graphql(_ORDERS, {"first": 10, "after": after, "query": search}, cost=540)
            page = data["orders"]
            for order in page["nodes"]:
                yield OpenOrder(
                    order_ref=order_ref("shopify", order["id"].rsplit("/", 1)[-1]),
                    created_at=parse_utc(order["createdAt"]),
                    lines=tuple(
                        (str(line["sku"]), int(line["quantity"]))
                        for line in order["lineItems"]["nodes"]
                        if line.get("sku")
                    ),
                )
            if not page["pageInfo"]["hasNextPage"]:
                return
            after = page["pageInfo"]["endCursor"]


def _prices(values: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "price" in values:
        fields["price"] = _text(values["price"])
    if "compare_at_price" in values:
        fields["compareAtPrice"] = _text(values["compare_at_price"])
    return fields


def _product_fields(write: ItemWrite) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "name" in write.values:
        fields["title"] = write.values["name"] or write.sku
    if "description" in write.values:
        fields["descriptionHtml"] = write.values["description"] or ""
    if write.unpublish:
        fields["status"] = "DRAFT"
    return fields


def _text(amount: Any) -> str | None:
    return None if amount is None else format(amount, "f")


_USER_ERRORS = "userErrors { field message }"
_PRODUCT_CREATE = f"""
mutation Create($product: ProductCreateInput) {{
  productCreate(product: $product) {{
    product {{ id variants(first: 1) {{ nodes {{ id }} }} }}
    {_USER_ERRORS}
  }}
}}
"""
_PRODUCT_UPDATE = f"""
mutation Update($product: ProductUpdateInput) {{
  productUpdate(product: $product) {{ product {{ id }} {_USER_ERRORS} }}
}}
"""
_VARIANTS_UPDATE = f"""
mutation Prices($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {{
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {{
    productVariants {{ id }}
    {_USER_ERRORS}
  }}
}}
"""
_METAFIELDS_SET = f"""
mutation Clocks($metafields: [MetafieldsSetInput!]!) {{
  metafieldsSet(metafields: $metafields) {{ metafields {{ id }} {_USER_ERRORS} }}
}}
"""
_SET_QUANTITIES = """
mutation Stock($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) { userErrors { field message code } }
}
"""
_SET_QUANTITIES_IDEMPOTENT = """
mutation Stock($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    userErrors { field message code }
  }
}
"""
_INVENTORY_ACTIVATE = f"""
mutation Activate($item: ID!, $location: ID!, $available: Int) {{
  inventoryActivate(inventoryItemId: $item, locationId: $location, available: $available) {{
    inventoryLevel {{ id }}
    {_USER_ERRORS}
  }}
}}
"""
