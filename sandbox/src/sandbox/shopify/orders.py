"""Orders as Shopify's `Order`, `LineItem` and `MoneyBag` objects."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from typing import Any

from graphql import GraphQLResolveInfo

from sandbox.shopify.connections import Connection, paginate_list
from sandbox.shopify.context import ShopContext
from sandbox.shopify.nodes import ProductNode, VariantNode, page_args
from sandbox.shopify.store import gid, money

Info = GraphQLResolveInfo


def money_bag(amount: Decimal | str, currency: str) -> dict[str, Any]:
    """A `MoneyBag` in one currency (the demo shop presents in its own currency)."""
    value = {"amount": money(amount), "currencyCode": currency}
    return {"shopMoney": value, "presentmentMoney": value}


class OrderNode:
    """A Shopify `Order`."""

    __typename = "Order"

    def __init__(self, row: sqlite3.Row, ctx: ShopContext) -> None:
        self.ctx = ctx
        self.row = row
        self.record_id = row["id"]
        self.id = gid("Order", row["id"])
        self.legacyResourceId = str(row["id"])
        self.name = row["name"]
        self.email = row["email"]
        self.createdAt = row["created_at"]
        self.processedAt = row["created_at"]
        self.updatedAt = row["updated_at"]
        self.cancelledAt = row["cancelled_at"]
        self.cancelReason = row["cancel_reason"]
        self.closedAt = row["closed_at"]
        self.closed = row["closed_at"] is not None
        self.test = False
        self.displayFinancialStatus = row["financial_status"]
        self.displayFulfillmentStatus = row["fulfillment_status"]
        self.currencyCode = row["currency"]
        self.presentmentCurrencyCode = row["currency"]

    def _lines(self) -> list[sqlite3.Row]:
        return self.ctx.line_items.get(self.record_id)

    def _total(self) -> Decimal:
        return sum(
            (Decimal(line["unit_price"]) * line["quantity"] for line in self._lines()),
            Decimal("0"),
        )

    def totalPriceSet(self, info: Info) -> dict[str, Any]:
        """The order total (the demo charges no tax or shipping)."""
        return money_bag(self._total(), self.currencyCode)

    def subtotalPriceSet(self, info: Info) -> dict[str, Any]:
        """Sum of the line totals."""
        return money_bag(self._total(), self.currencyCode)

    def currentTotalPriceSet(self, info: Info) -> dict[str, Any]:
        """The total after cancellations: nothing is left of a cancelled order."""
        total = Decimal("0") if self.cancelledAt else self._total()
        return money_bag(total, self.currencyCode)

    def customer(self, info: Info) -> dict[str, Any] | None:
        """The customer who placed the order."""
        if self.row["customer_id"] is None:
            return None
        first, last = self.row["first_name"], self.row["last_name"]
        return {
            "__typename": "Customer",
            "id": gid("Customer", self.row["customer_id"]),
            "firstName": first,
            "lastName": last,
            "displayName": f"{first} {last}".strip(),
            "email": self.email,
        }

    def lineItems(self, info: Info, **args: Any) -> Connection:
        """The order's lines."""
        lines = [LineItemNode(line, self.ctx) for line in self._lines()]
        self.ctx.variants.want(line.row["variant_id"] for line in lines)
        return paginate_list(lines, lambda line: line.record_id, **page_args(args))


def order_nodes(rows: list[sqlite3.Row], ctx: ShopContext) -> list[OrderNode]:
    """Order nodes of a page, with their lines announced to the loader."""
    ctx.line_items.want(row["id"] for row in rows)
    return [OrderNode(row, ctx) for row in rows]


class LineItemNode:
    """A Shopify `LineItem`."""

    __typename = "LineItem"

    def __init__(self, row: sqlite3.Row, ctx: ShopContext) -> None:
        self.ctx = ctx
        self.row = row
        self.record_id = row["id"]
        self.id = gid("LineItem", row["id"])
        self.title = row["title"]
        self.variantTitle = row["variant_title"]
        self.name = (
            f"{row['title']} - {row['variant_title']}" if row["variant_title"] else row["title"]
        )
        self.sku = row["sku"]
        self.quantity = row["quantity"]
        self.currentQuantity = row["quantity"]
        currency = ctx.currency
        self.originalUnitPriceSet = money_bag(row["unit_price"], currency)
        self.originalTotalSet = money_bag(Decimal(row["unit_price"]) * row["quantity"], currency)

    def variant(self, info: Info) -> VariantNode | None:
        """The variant sold, unless it was deleted since."""
        row = self.ctx.variants.get(self.row["variant_id"]) if self.row["variant_id"] else None
        return VariantNode(row, self.ctx) if row else None

    def product(self, info: Info) -> ProductNode | None:
        """The product sold, unless it was deleted since."""
        row = self.ctx.products.get(self.row["product_id"]) if self.row["product_id"] else None
        return ProductNode(row, self.ctx) if row else None
