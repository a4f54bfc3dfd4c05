"""The objects resolvers return: one class per Shopify type, built from SQLite rows.

graphql-core reads a field as an attribute; when the attribute is a method it calls it with
`(info, **arguments)`. Scalars are therefore plain attributes set once from the row, and
relations are methods that go through the request's batch loaders. `__typename` names the
Shopify type for the `Node` and `HasMetafields` interfaces.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo

from sandbox.shopify.connections import Connection, TableQuery, paginate_list, paginate_table
from sandbox.shopify.context import ShopContext
from sandbox.shopify.search import SearchField, SearchSyntaxError, compile_search
from sandbox.shopify.store import gid, parse_gid

#: The search fields of an inventory level connection (`inventoryLevels(query: ...)`).
LEVEL_FIELDS: dict[str, Any] = {
    "updated_at": SearchField("updated_at {cmp}", "time"),
    "created_at": SearchField("created_at {cmp}", "time"),
    "inventory_item_id": SearchField("inventory_item_id {cmp}", "id"),
}

Info = GraphQLResolveInfo

#: Quantity names an inventory level answers, and how each is derived from the stored ones.
QUANTITY_NAMES = (
    "available",
    "committed",
    "damaged",
    "incoming",
    "on_hand",
    "quality_control",
    "reserved",
    "safety_stock",
    "unavailable",
)


def quantity_of(level: sqlite3.Row, name: str) -> int:
    """One named quantity of an inventory level."""
    if name == "on_hand":
        return level["available"] + level["committed"] + level["unavailable"]
    if name in ("available", "committed", "unavailable", "incoming"):
        return int(level[name])
    return 0


class MetafieldOwner:
    """The `metafield` and `metafields` fields shared by products and variants."""

    owner_type: str
    record_id: int
    ctx: ShopContext

    def metafield(self, info: Info, key: str, namespace: str | None = None) -> MetafieldNode | None:
        """One metafield by namespace and key (`namespace.key` in `key` works too)."""
        if namespace is None and "." in key:
            namespace, key = key.rsplit(".", 1)
        row = self.ctx.db.execute(
            "SELECT * FROM metafield WHERE owner_type = ? AND owner_id = ? AND key = ?"
            " AND namespace = ?",
            (self.owner_type, self.record_id, key, namespace or "$app"),
        ).fetchone()
        return MetafieldNode(row, self.ctx) if row else None

    def metafields(self, info: Info, **args: Any) -> Connection:
        """The owner's metafields, optionally of one namespace or some keys."""
        conditions, params = ["owner_type = ? AND owner_id = ?"], [self.owner_type, self.record_id]
        if args.get("namespace"):
            conditions.append("namespace = ?")
            params.append(args["namespace"])
        for full_key in args.get("keys") or []:
            namespace, _, key = full_key.rpartition(".")
            conditions.append("(namespace = ? AND key = ?)")
            params.extend([namespace, key])
        query = TableQuery("metafield", " AND ".join(conditions), params, "id")
        return paginate_table(
            self.ctx.db,
            query,
            lambda rows: [MetafieldNode(row, self.ctx) for row in rows],
            **page_args(args),
        )


class ProductNode(MetafieldOwner):
    """A Shopify `Product`."""

    __typename = "Product"
    owner_type = "PRODUCT"

    def __init__(self, row: sqlite3.Row, ctx: ShopContext) -> None:
        self.ctx = ctx
        self.record_id = row["id"]
        self.id = gid("Product", row["id"])
        self.legacyResourceId = str(row["id"])
        self.title = row["title"]
        self.handle = row["handle"]
        self.descriptionHtml = row["description_html"]
        self.description = re.sub(r"<[^>]+>", "", row["description_html"]).strip()
        self.vendor = row["vendor"]
        self.productType = row["product_type"]
        self.tags = json.loads(row["tags"])
        self.status = row["status"]
        self.createdAt = row["created_at"]
        self.updatedAt = row["updated_at"]
        self.publishedAt = row["created_at"] if row["status"] == "ACTIVE" else None
        self._options = json.loads(row["options"])
        self.hasOnlyDefaultVariant = self._options == [
            {"name": "Title", "values": ["Default Title"]}
        ]
        self.featuredImage = (
            {"id": gid("ProductImage", row["id"]), "url": row["image_url"], "altText": None}
            if row["image_url"]
            else None
        )

    def options(self, info: Info, first: int | None = None) -> list[dict[str, Any]]:
        """The product's options (Size, Colour; or Title for a product without variants)."""
        options = [
            {
                "id": gid("ProductOption", self.record_id * 10 + position),
                "name": option["name"],
                "position": position,
                "values": option["values"],
            }
            for position, option in enumerate(self._options, start=1)
        ]
        return options[:first] if first is not None else options

    def _variant_rows(self) -> list[sqlite3.Row]:
        return self.ctx.db.execute(
            "SELECT * FROM variant WHERE product_id = ? ORDER BY position", (self.record_id,)
        ).fetchall()

    def variants(self, info: Info, **args: Any) -> Connection:
        """The product's variants, by position unless sorted otherwise."""
        sort = VARIANT_SORTS.get(args.get("sortKey") or "POSITION", "position")
        query = TableQuery("variant", "product_id = ?", [self.record_id], sort)
        return paginate_table(
            self.ctx.db, query, lambda rows: variant_nodes(rows, self.ctx), **page_args(args)
        )

    def variantsCount(self, info: Info) -> dict[str, Any]:
        """How many variants the product has."""
        return {"count": len(self._variant_rows()), "precision": "EXACT"}

    def totalInventory(self, info: Info) -> int:
        """Available stock of every variant at every location."""
        item_ids = [row["inventory_item_id"] for row in self._variant_rows()]
        self.ctx.levels.want(item_ids)
        return sum(level["available"] for i in item_ids for level in self.ctx.levels.get(i))

    def tracksInventory(self, info: Info) -> bool:
        """Whether any variant's inventory is tracked."""
        return any(row["tracked"] for row in self._variant_rows())


class VariantNode(MetafieldOwner):
    """A Shopify `ProductVariant`; its inventory item lives on the same row."""

    __typename = "ProductVariant"
    owner_type = "PRODUCTVARIANT"

    def __init__(self, row: sqlite3.Row, ctx: ShopContext) -> None:
        self.ctx = ctx
        self.row = row
        self.record_id = row["id"]
        self.id = gid("ProductVariant", row["id"])
        self.legacyResourceId = str(row["id"])
        self.title = row["title"]
        self.sku = row["sku"]
        self.barcode = row["barcode"]
        self.price = row["price"]
        self.compareAtPrice = row["compare_at_price"]
        self.position = row["position"]
        self.taxable = bool(row["taxable"])
        self.inventoryPolicy = row["inventory_policy"]
        self.selectedOptions = json.loads(row["selected_options"])
        self.createdAt = row["created_at"]
        self.updatedAt = row["updated_at"]

    def product(self, info: Info) -> ProductNode:
        """The product the variant belongs to."""
        return ProductNode(self.ctx.products.get(self.row["product_id"]), self.ctx)

    def displayName(self, info: Info) -> str:
        """Product title and variant title, as Shopify shows them together."""
        title = self.ctx.products.get(self.row["product_id"])["title"]
        return f"{title} - {self.title}"

    def inventoryItem(self, info: Info) -> InventoryItemNode:
        """The variant's inventory item."""
        return InventoryItemNode(self.row, self.ctx)

    def inventoryQuantity(self, info: Info) -> int:
        """Available stock summed over the locations that stock the variant."""
        return sum(
            level["available"] for level in self.ctx.levels.get(self.row["inventory_item_id"])
        )

    def availableForSale(self, info: Info) -> bool:
        """Whether a shopper can buy the variant now."""
        product = self.ctx.products.get(self.row["product_id"])
        if product["status"] != "ACTIVE":
            return False
        return self.inventoryPolicy == "CONTINUE" or self.inventoryQuantity(info) > 0


def variant_nodes(rows: list[sqlite3.Row], ctx: ShopContext) -> list[VariantNode]:
    """Variant nodes of a page, with their products and levels announced to the loaders."""
    ctx.products.want(row["product_id"] for row in rows)
    ctx.levels.want(row["inventory_item_id"] for row in rows)
    return [VariantNode(row, ctx) for row in rows]


class InventoryItemNode:
    """A Shopify `InventoryItem`, read from its variant's row."""

    __typename = "InventoryItem"

    def __init__(self, row: sqlite3.Row, ctx: ShopContext) -> None:
        self.ctx = ctx
        self.row = row
        self.item_id = row["inventory_item_id"]
        self.id = gid("InventoryItem", self.item_id)
        self.legacyResourceId = str(self.item_id)
        self.sku = row["sku"]
        self.tracked = bool(row["tracked"])
        self.requiresShipping = bool(row["requires_shipping"])
        self.createdAt = row["item_created_at"]
        self.updatedAt = row["item_updated_at"]
        self.unitCost = (
            {"amount": row["unit_cost"], "currencyCode": ctx.currency} if row["unit_cost"] else None
        )

    def variant(self, info: Info) -> VariantNode:
        """The variant this item stocks."""
        return VariantNode(self.row, self.ctx)

    def _levels(self) -> list[InventoryLevelNode]:
        return [InventoryLevelNode(level, self.ctx) for level in self.ctx.levels.get(self.item_id)]

    def inventoryLevel(self, info: Info, locationId: str) -> InventoryLevelNode | None:
        """The item's level at one location, if it is stocked there."""
        location_id = parse_gid(locationId, "Location")
        return next((lv for lv in self._levels() if lv.location_id == location_id), None)

    def inventoryLevels(self, info: Info, **args: Any) -> Connection:
        """The item's levels, one per location that stocks it, filtered by `query`."""
        levels = self._levels()
        if args.get("query"):
            where, params = _level_search(self.ctx, args["query"])
            matching = {
                row["location_id"]
                for row in self.ctx.db.execute(
                    f"SELECT location_id FROM inventory_level "
                    f"WHERE inventory_item_id = ? AND ({where})",
                    [self.item_id, *params],
                )
            }
            levels = [level for level in levels if level.location_id in matching]
        return paginate_list(levels, lambda level: level.location_id, **page_args(args))


class InventoryLevelNode:
    """A Shopify `InventoryLevel`: one item at one location, with named quantities."""

    __typename = "InventoryLevel"

    def __init__(self, level: sqlite3.Row, ctx: ShopContext) -> None:
        self.ctx = ctx
        self.level = level
        self.item_id = level["inventory_item_id"]
        self.location_id = level["location_id"]
        self.id = (
            f"gid://shopify/InventoryLevel/{self.location_id}?inventory_item_id={self.item_id}"
        )
        self.canDeactivate = True
        self.createdAt = level["created_at"]
        self.updatedAt = level["updated_at"]

    def item(self, info: Info) -> InventoryItemNode:
        """The inventory item."""
        return InventoryItemNode(self.ctx.variants_by_item.get(self.item_id), self.ctx)

    def location(self, info: Info) -> LocationNode:
        """The location."""
        return LocationNode(self.ctx.locations()[self.location_id], self.ctx)

    def quantities(self, info: Info, names: list[str]) -> list[dict[str, Any]]:
        """The named quantities asked for, in the order asked."""
        unknown = [name for name in names if name not in QUANTITY_NAMES]
        if unknown:
            raise GraphQLError(
                f"Invalid quantity name: {unknown[0]}. "
                f"Valid names are: {', '.join(QUANTITY_NAMES)}."
            )
        return [
            {
                "id": f"gid://shopify/InventoryQuantity/{self.location_id}"
                f"?inventory_item_id={self.item_id}&name={name}",
                "name": name,
                "quantity": quantity_of(self.level, name),
                "updatedAt": self.level["updated_at"],
            }
            for name in names
        ]


class LocationNode:
    """A Shopify `Location`."""

    __typename = "Location"

    def __init__(self, row: sqlite3.Row, ctx: ShopContext) -> None:
        self.ctx = ctx
        self.record_id = row["id"]
        self.id = gid("Location", row["id"])
        self.legacyResourceId = str(row["id"])
        self.name = row["name"]
        self.isActive = bool(row["is_active"])
        self.fulfillsOnlineOrders = True
        self.createdAt = row["created_at"]
        self.updatedAt = row["updated_at"]

    def inventoryLevel(self, info: Info, inventoryItemId: str) -> InventoryLevelNode | None:
        """The level of one item at this location, if stocked here."""
        item_id = parse_gid(inventoryItemId, "InventoryItem")
        levels = self.ctx.levels.get(item_id)
        level = next((lv for lv in levels if lv["location_id"] == self.record_id), None)
        return InventoryLevelNode(level, self.ctx) if level else None

    def inventoryLevels(self, info: Info, **args: Any) -> Connection:
        """Every level stocked at this location, by inventory item."""
        table = "(SELECT inventory_item_id AS id, * FROM inventory_level WHERE location_id = ?)"
        where, params = _level_search(self.ctx, args.get("query"))
        query = TableQuery(table, where, [self.record_id, *params], "id")
        return paginate_table(
            self.ctx.db,
            query,
            lambda rows: [InventoryLevelNode(row, self.ctx) for row in rows],
            **page_args(args),
        )


class MetafieldNode:
    """A Shopify `Metafield`."""

    __typename = "Metafield"

    def __init__(self, row: sqlite3.Row, ctx: ShopContext) -> None:
        self.ctx = ctx
        self.row = row
        self.id = gid("Metafield", row["id"])
        self.namespace = row["namespace"]
        self.key = row["key"]
        self.type = row["type"]
        self.value = row["value"]
        self.ownerType = row["owner_type"]
        self.createdAt = row["created_at"]
        self.updatedAt = row["updated_at"]
        self.compareDigest = hashlib.sha256(row["value"].encode()).hexdigest()

    def jsonValue(self, info: Info) -> Any:
        """The value as JSON of its type."""
        if self.type in ("json", "boolean") or self.type.startswith("number_"):
            return json.loads(self.value)
        return self.value

    def owner(self, info: Info) -> ProductNode | VariantNode:
        """The product or variant the metafield belongs to."""
        owner_id = self.row["owner_id"]
        if self.ownerType == "PRODUCT":
            return ProductNode(self.ctx.products.get(owner_id), self.ctx)
        return VariantNode(self.ctx.variants.get(owner_id), self.ctx)


class AdjustmentGroupNode:
    """A Shopify `InventoryAdjustmentGroup`: the changes one inventory mutation made."""

    __typename = "InventoryAdjustmentGroup"

    def __init__(self, row: sqlite3.Row, ctx: ShopContext) -> None:
        self.ctx = ctx
        self.id = gid("InventoryAdjustmentGroup", row["id"])
        self.createdAt = row["created_at"]
        self.reason = row["reason"]
        self.referenceDocumentUri = row["reference_document_uri"]
        self._changes = json.loads(row["changes"])

    def changes(
        self,
        info: Info,
        inventoryItemIds: list[str] | None = None,
        locationIds: list[str] | None = None,
        quantityNames: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """The quantity changes, optionally only of some items, locations or names."""
        chosen = []
        for change in self._changes:
            if inventoryItemIds and gid("InventoryItem", change["item"]) not in inventoryItemIds:
                continue
            if locationIds and gid("Location", change["location"]) not in locationIds:
                continue
            if quantityNames and change["name"] not in quantityNames:
                continue
            chosen.append(
                {
                    "name": change["name"],
                    "delta": change["delta"],
                    "quantityAfterChange": change["after"],
                    "ledgerDocumentUri": change.get("ledger"),
                    "item": _lazy_item(self.ctx, change["item"]),
                    "location": _lazy_location(self.ctx, change["location"]),
                }
            )
        return chosen


def _lazy_item(ctx: ShopContext, item_id: int) -> Any:
    def resolve(info: Info) -> InventoryItemNode | None:
        row = ctx.variants_by_item.get(item_id)
        return InventoryItemNode(row, ctx) if row else None

    return resolve


def _lazy_location(ctx: ShopContext, location_id: int) -> Any:
    def resolve(info: Info) -> LocationNode | None:
        row = ctx.locations().get(location_id)
        return LocationNode(row, ctx) if row else None

    return resolve


#: SQL sort expressions of the `ProductVariantSortKeys`. Popularity, relevance and the
#: inventory keys are not modelled: they order by id, which keeps paging stable.
VARIANT_SORTS = {
    "ID": "id",
    "RELEVANCE": "id",
    "POSITION": "position",
    "SKU": "COALESCE(sku, '')",
    "TITLE": "title",
    "NAME": "title",
    "FULL_TITLE": "title",
    "POPULAR": "id",
    "INVENTORY_MANAGEMENT": "tracked",
    "INVENTORY_POLICY": "inventory_policy",
    "INVENTORY_QUANTITY": "id",
    "INVENTORY_LEVELS_AVAILABLE": "id",
}


def page_args(args: dict[str, Any]) -> dict[str, Any]:
    """The paging arguments of a connection field, as `paginate_*` takes them."""
    return {
        "first": args.get("first"),
        "after": args.get("after"),
        "last": args.get("last"),
        "before": args.get("before"),
        "reverse": bool(args.get("reverse")),
    }


def _level_search(ctx: ShopContext, query: str | None) -> tuple[str, list[object]]:
    """The SQL condition of an inventory level search; an unreadable search matches nothing."""
    try:
        return compile_search(query, LEVEL_FIELDS, "inventory_item_id", ctx.settings.iana_timezone)
    except SearchSyntaxError:
        return "0", []
