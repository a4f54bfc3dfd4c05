"""WooCommerce REST v3: reading SKUs and open orders, writing through the batch endpoints.

Simple products and variable parents are written with `POST /products/batch`, variations with
their parent's `POST /products/{id}/variations/batch`, at most 100 entries a call; a batch's
per-item errors come back inline and are reported one by one. The field clocks are one meta
entry (`_inventory_sync_field_clocks`) written in the same call as the values.

WooCommerce has no compare-and-set for stock: the target reads a batch's stock right before
writing it and writes at once, so the window in which a sale can slip between read and write is
one round trip per 100 SKUs. A sale in that window is overwritten in the store's figure, though
its order still reaches NetSuite and the next run takes it off again.

A variation's name, description and short description are its product's (WooCommerce derives a
variation's name from the product and its attributes); they are written to the parent. A
variation whose stock is managed by its parent product (`manage_stock: "parent"`) and a product
that does not manage stock are left alone, and counted: the store keeps one figure for the
whole product, which NetSuite's per-SKU stock cannot be split into. New SKUs are created as
simple products; a new variant of a product is not created (the target would need its product's
attributes, which NetSuite's stream does not carry) and is reported by SKU.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

import requests
from requests.auth import AuthBase, HTTPBasicAuth
from requests_oauthlib import OAuth1

from sync_model.clocks import clocks_from_json, clocks_to_json
from sync_model.streams import order_ref
from sync_model.values import format_utc, parse_utc, to_money, to_quantity
from target_storefront.http import ApiClient, RetriableError, StoreApiError, describe
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

API_ROOT = "/wp-json/wc/v3"
#: Entries per batch call (WooCommerce refuses more with 413).
BATCH_LIMIT = 100
CLOCKS_META_KEY = f"_{CLOCKS_NAMESPACE}_{CLOCKS_KEY}"
#: Order statuses in which the store has taken the stock and not yet shipped.
OPEN_STATUSES = "pending,processing,on-hold"
_PRODUCT_FIELDS = ("name", "description", "short_description")


class WooCommerceStore:
    """A WooCommerce store, read and written through REST v3.

    Args:
        config: The target's settings.
        logger: The target's logger.
    """

    platform = "woocommerce"
    supported_fields = ("name", "description", "short_description", "price", "compare_at_price")
    unpublishes_variants = True

    def __init__(self, config: dict[str, Any], logger: logging.Logger) -> None:
        self.base = str(config["base_url"]).rstrip("/") + API_ROOT
        self.key = str(config["consumer_key"])
        self.secret = str(config["consumer_secret"])
        self.https = urlparse(str(config["base_url"])).scheme == "https"
        self.stock_location = str(config.get("stock_location") or "main")
        self.publish_new = bool(config.get("publish_new_items", False))
        self.logger = logger
        self.api = ApiClient(float(config.get("request_timeout", 60)), logger)
        self.untracked = 0

    @property
    def write_calls(self) -> int:
        """Write calls made so far."""
        return self.api.write_calls

    # HTTP

    def _auth(self) -> AuthBase:
        # Basic over HTTPS; over plain HTTP WooCommerce requires one-legged OAuth 1.0a, signed
        # afresh for every attempt (a nonce is used once).
        if self.https:
            return HTTPBasicAuth(self.key, self.secret)
        return OAuth1(
            self.key,
            client_secret=self.secret,
            signature_type="query",
            signature_method="HMAC-SHA256",
        )

    def _call(
        self, method: str, path: str, params: dict[str, Any] | None = None, body: Any = None
    ) -> requests.Response:
        def build() -> requests.Request:
            return requests.Request(
                method,
                self.base + path,
                params=params,
                json=body,
                headers={"Accept": "application/json"},
                auth=self._auth(),
            )

        return self.api.send(build, self._check, writes=method != "GET")

    @staticmethod
    def _check(response: requests.Response) -> requests.Response:
        if response.status_code >= 400:
            code, message = "", response.reason
            try:
                body = response.json()
                code, message = str(body.get("code", "")), str(body.get("message", message))
            except (ValueError, AttributeError):
                pass
            hint = ""
            if response.status_code in (401, 403):
                hint = (
                    " Check `consumer_key` and `consumer_secret` and that the key has read/write "
                    "access (WooCommerce > Settings > Advanced > REST API)."
                )
            raise StoreApiError(f"WooCommerce {describe(response)} {code}: {message}.{hint}")
        try:
            response.json()
        except ValueError:
            raise RetriableError(f"{describe(response)} with a body that is not JSON") from None
        return response

    def _pages(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        page = 1
        while True:
            response = self._call("GET", path, {**params, "page": page, "per_page": 100})
            yield from response.json()
            if page >= int(response.headers.get("X-WP-TotalPages") or 1):
                return
            page += 1

    # Items

    def _records(self, skus: list[str]) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        for start in range(0, len(skus), BATCH_LIMIT):
            chunk = skus[start : start + BATCH_LIMIT]
            records.extend(self._pages("/products", {"sku": ",".join(chunk)}))
        return records

    def fetch_items(self, skus: list[str]) -> dict[str, StoreItem]:
        """The store's products and variations of these SKUs, with their parents' content."""
        records = [r for r in self._records(skus) if r.get("sku")]
        parent_ids = sorted({int(r["parent_id"]) for r in records if r.get("parent_id")})
        parents: dict[int, dict[str, Any]] = {}
        for start in range(0, len(parent_ids), BATCH_LIMIT):
            chunk = parent_ids[start : start + BATCH_LIMIT]
            for parent in self._pages("/products", {"include": ",".join(map(str, chunk))}):
                parents[int(parent["id"])] = parent
        items: dict[str, StoreItem] = {}
        for record in records:
            parent = parents.get(int(record.get("parent_id") or 0))
            items[str(record["sku"])] = self._to_item(record, parent)
        return items

    @staticmethod
    def _to_item(record: dict[str, Any], parent: dict[str, Any] | None) -> StoreItem:
        page = parent or record
        on_sale = record.get("sale_price") not in ("", None)
        clocks_text = next(
            (
                m.get("value")
                for m in record.get("meta_data") or []
                if m.get("key") == CLOCKS_META_KEY
            ),
            None,
        )
        published = record.get("status") == "publish" and (
            parent is None or parent.get("status") == "publish"
        )
        return StoreItem(
            sku=str(record["sku"]),
            values={
                "name": page.get("name") or None,
                "description": page.get("description") or None,
                "short_description": page.get("short_description") or None,
                "price": to_money(record.get("price"), field="price"),
                "compare_at_price": (
                    to_money(record.get("regular_price"), field="regular_price")
                    if on_sale
                    else None
                ),
            },
            clocks=clocks_from_json(clocks_text),
            published=published,
            ref={
                "id": int(record["id"]),
                "parent_id": int(record.get("parent_id") or 0),
                "status": record.get("status"),
                "price": record.get("price"),
                "regular_price": record.get("regular_price"),
                "sale_price": record.get("sale_price"),
            },
        )

    def write_items(self, writes: list[ItemWrite]) -> WriteOutcome:
        """Apply item writes: creations and updates, batched per endpoint."""
        outcome = WriteOutcome()
        products: list[tuple[str, dict[str, Any]]] = []
        parents: dict[int, tuple[str, dict[str, Any]]] = {}
        variations: dict[int, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        creations: list[tuple[str, dict[str, Any]]] = []
        for write in writes:
            if write.item is None:
                if write.record.get("product_id"):
                    outcome.failed[write.sku] = (
                        "a new variant of a product is not created by this target; create the "
                        "product with its variants in the store and the next run links them"
                    )
                    continue
                creations.append((write.sku, self._creation(write)))
                continue
            ref = write.item.ref
            own, content = self._update(write, ref)
            if ref["parent_id"]:
                if own:
                    variations[ref["parent_id"]].append((write.sku, {"id": ref["id"], **own}))
                if content:
                    sku, merged = parents.get(
                        ref["parent_id"], (write.sku, {"id": ref["parent_id"]})
                    )
                    parents[ref["parent_id"]] = (sku, {**merged, **content})
                if not own and content:
                    outcome.written.append(write.sku)
            else:
                products.append((write.sku, {"id": ref["id"], **own, **content}))

        self._batch("/products/batch", "create", creations, outcome)
        self._batch("/products/batch", "update", [*products, *parents.values()], outcome)
        for parent_id, entries in variations.items():
            self._batch(f"/products/{parent_id}/variations/batch", "update", entries, outcome)
        return outcome

    def _creation(self, write: ItemWrite) -> dict[str, Any]:
        record = write.record
        body: dict[str, Any] = {
            "name": record.get("name") or write.sku,
            "type": "simple",
            "status": "publish" if self.publish_new else "draft",
            "sku": write.sku,
            "manage_stock": bool(record.get("manages_stock", True)),
            "meta_data": [{"key": CLOCKS_META_KEY, "value": clocks_to_json(write.clocks)}],
        }
        body.update(_prices(write.values, {}))
        for name in _PRODUCT_FIELDS:
            if write.values.get(name) is not None:
                body[name] = write.values[name]
        return body

    @staticmethod
    def _update(write: ItemWrite, ref: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The record's own changes, and its product's content changes."""
        own: dict[str, Any] = _prices(write.values, ref)
        content = {
            name: write.values[name] or "" for name in _PRODUCT_FIELDS if name in write.values
        }
        if ref["parent_id"] == 0:
            own.update(content)
            content = {}
        if write.unpublish:
            # A variation is switched off with `private`; a product is unpublished to a draft.
            own["status"] = "private" if ref["parent_id"] else "draft"
        if write.clocks_changed:
            own["meta_data"] = [{"key": CLOCKS_META_KEY, "value": clocks_to_json(write.clocks)}]
        return own, content

    def _batch(
        self,
        path: str,
        action: str,
        entries: list[tuple[str, dict[str, Any]]],
        outcome: WriteOutcome,
    ) -> list[dict[str, Any]]:
        answers: list[dict[str, Any]] = []
        for start in range(0, len(entries), BATCH_LIMIT):
            chunk = entries[start : start + BATCH_LIMIT]
            response = self._call("POST", path, body={action: [body for _, body in chunk]})
            results = response.json().get(action) or []
            for (sku, _), result in zip(chunk, results, strict=False):
                error = result.get("error") if isinstance(result, dict) else None
                if error:
                    outcome.failed[sku] = f"{error.get('code')}: {error.get('message')}"
                else:
                    outcome.written.append(sku)
            answers.extend(results)
        return answers

    # Stock

    def locations(self) -> set[str]:
        """WooCommerce keeps one stock figure per product, at the configured location."""
        return {self.stock_location}

    def fetch_stock(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], StockLevel]:
        """Each SKU's stock figure (one per product in WooCommerce)."""
        levels: dict[tuple[str, str], StockLevel] = {}
        for record in self._records(sorted({sku for sku, _ in keys})):
            sku = str(record.get("sku") or "")
            tracked = record.get("manage_stock") is True
            levels[(sku, self.stock_location)] = StockLevel(
                sku=sku,
                location=self.stock_location,
                available=to_quantity(record.get("stock_quantity")) if tracked else None,
                tracked=tracked,
                ref={"id": int(record["id"]), "parent_id": int(record.get("parent_id") or 0)},
            )
        return levels

    def write_stock(self, writes: list[StockWrite]) -> WriteOutcome:
        """Set stock figures: products in one batch endpoint, variations in their parent's."""
        outcome = WriteOutcome()
        products: list[tuple[str, dict[str, Any]]] = []
        variations: dict[int, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        for write in writes:
            ref = write.level.ref
            entry = (write.level.sku, {"id": ref["id"], "stock_quantity": write.quantity})
            if ref["parent_id"]:
                variations[ref["parent_id"]].append(entry)
            else:
                products.append(entry)
        self._batch("/products/batch", "update", products, outcome)
        for parent_id, entries in variations.items():
            self._batch(f"/products/{parent_id}/variations/batch", "update", entries, outcome)
        return outcome

    # Orders

    def open_orders(self, since: datetime) -> Iterator[OpenOrder]:
        """Orders not yet shipped, created since a time (asked in GMT, without an offset)."""
        params = {
            "status": OPEN_STATUSES,
            "after": format_utc(since).removesuffix("Z")[:19],
            "dates_are_gmt": "true",
            "orderby": "id",
            "order": "asc",
        }
        for order in self._pages("/orders", params):
            created = order.get("date_created_gmt") or order.get("date_created")
            yield OpenOrder(
                order_ref=order_ref("woocommerce", order["id"]),
                created_at=parse_utc(f"{created}Z") if created else since,
                lines=tuple(
                    (str(line.get("sku")), int(line.get("quantity") or 0))
                    for line in order.get("line_items") or []
                    if line.get("sku")
                ),
            )


def _prices(values: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    """WooCommerce's prices for a new price and compare-at price.

    A compare-at price is the regular price with the price as the sale price; without one the
    price is the regular price and the sale price is cleared.
    """
    if "price" not in values and "compare_at_price" not in values:
        return {}
    price = values.get("price", to_money(ref.get("price")))
    if "compare_at_price" in values:
        compare_at = values["compare_at_price"]
    else:
        on_sale = ref.get("sale_price") not in ("", None)
        compare_at = to_money(ref.get("regular_price")) if on_sale else None
    if compare_at is not None:
        return {"regular_price": _text(compare_at), "sale_price": _text(price)}
    return {"regular_price": _text(price), "sale_price": ""}


def _text(amount: Any) -> str:
    return "" if amount is None else format(amount, "f")
