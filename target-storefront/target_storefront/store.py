"""What the target knows of the store, in the shared model's terms, whatever the platform.

Both platform writers read the store into these records and take these changes, so planning
and the no-oversell computation never see a platform's wire format.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sync_model.clocks import FieldClock

#: The key of the field clocks on the store record (WooCommerce meta key, Shopify metafield).
CLOCKS_NAMESPACE = "inventory_sync"
CLOCKS_KEY = "field_clocks"

#: The clock that guards an item's publication state (not an ownership field: NetSuite's
#: `active` flag drives it).
ACTIVE_CLOCK = "active"


@dataclass
class StoreItem:
    """One SKU as the store holds it.

    Attributes:
        sku: The SKU.
        values: Synced field -> the store's value, normalised as the shared streams carry it
            (money as Decimal; a variant's `name` is its product's name).
        clocks: The field clocks stored on the record.
        published: Whether shoppers can see it.
        ref: Platform ids the writer needs (product, variant, inventory item ...).
    """

    sku: str
    values: dict[str, Any]
    clocks: dict[str, FieldClock]
    published: bool
    ref: dict[str, Any] = field(default_factory=dict)


@dataclass
class ItemWrite:
    """What to write to one SKU: new field values, an unpublish, and the clocks to store.

    Attributes:
        item: The store's record, or None for an item to create.
        record: The incoming record (for a creation: name, price, product ...).
        values: Field -> new value (only the fields to change).
        unpublish: Whether to unpublish the item.
        clocks: Every clock of the record after the write (stored whole).
        clocks_changed: Whether the stored clocks change.
    """

    item: StoreItem | None
    record: dict[str, Any]
    values: dict[str, Any]
    unpublish: bool
    clocks: dict[str, FieldClock]
    clocks_changed: bool

    @property
    def sku(self) -> str:
        """The SKU written."""
        return str(self.record["sku"])


@dataclass
class StockLevel:
    """A SKU's stock at one store location.

    Attributes:
        sku: The SKU.
        location: The store's location id.
        available: What the store may sell now, or None when it keeps no figure there.
        tracked: Whether the store manages stock for the item at all.
        stocked: Whether the item is stocked at the location (Shopify); a level that is not
            is activated rather than set.
        ref: Platform ids the writer needs.
    """

    sku: str
    location: str
    available: int | None
    tracked: bool = True
    stocked: bool = True
    ref: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StockWrite:
    """Set one level's available quantity, if the store still holds `expected`."""

    level: StockLevel
    quantity: int

    @property
    def expected(self) -> int | None:
        """The quantity read, which a compare-and-set write requires the store still holds."""
        return self.level.available


@dataclass(frozen=True)
class OpenOrder:
    """A store order whose stock the store has taken and NetSuite may not have yet."""

    order_ref: str
    created_at: datetime
    lines: tuple[tuple[str, int], ...]


@dataclass
class WriteOutcome:
    """What a batch of writes did: SKUs written, and SKUs refused with the store's reason."""

    written: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    stale: list[StockWrite] = field(default_factory=list)


class Store(Protocol):
    """What a platform writer offers planning and the sinks."""

    platform: str
    supported_fields: tuple[str, ...]
    unpublishes_variants: bool

    @property
    def write_calls(self) -> int:
        """Write calls made so far."""

    def fetch_items(self, skus: list[str]) -> dict[str, StoreItem]:
        """The store's records of these SKUs (missing SKUs are absent)."""

    def write_items(self, writes: list[ItemWrite]) -> WriteOutcome:
        """Apply item writes, batched to the API's maximum."""

    def locations(self) -> set[str]:
        """The store's location ids."""

    def fetch_stock(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], StockLevel]:
        """The store's current levels of these (sku, location) pairs."""

    def write_stock(self, writes: list[StockWrite]) -> WriteOutcome:
        """Set available quantities; levels that moved since read come back as stale."""

    def open_orders(self, since: datetime) -> Iterator[OpenOrder]:
        """Open store orders created since a time, with their lines."""
