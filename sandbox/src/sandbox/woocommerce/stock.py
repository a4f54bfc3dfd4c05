"""WooCommerce's stock rules: which record holds a SKU's stock, and what its status is."""

from __future__ import annotations

from typing import Any

STOCK_STATUSES = ("instock", "outofstock", "onbackorder")
BACKORDER_OPTIONS = ("no", "notify", "yes")


def status_for_quantity(quantity: int | None, backorders: str) -> str:
    """The stock status WooCommerce derives when it manages a product's stock.

    At or below the "out of stock threshold" (zero by default) a product is out of stock,
    or on backorder when backorders are allowed.
    """
    if quantity is None or quantity > 0:
        return "instock"
    return "outofstock" if backorders == "no" else "onbackorder"


def stock_holder(record: dict[str, Any], parent: dict[str, Any] | None) -> dict[str, Any] | None:
    """The record whose `stock_quantity` a sale of this record changes, if stock is managed.

    A variation that does not manage its own stock inherits its variable product's when that
    product manages stock (the REST API shows the variation's `manage_stock` as "parent").
    """
    if record.get("manage_stock"):
        return record
    if parent is not None and parent.get("manage_stock"):
        return parent
    return None


def variable_stock_status(children: list[dict[str, Any]]) -> str:
    """A variable product's status as `WC_Product_Variable::sync_stock_status` sets it."""
    statuses = {child["stock_status"] for child in children if child["status"] == "publish"}
    if "instock" in statuses:
        return "instock"
    if "onbackorder" in statuses:
        return "onbackorder"
    return "outofstock"
