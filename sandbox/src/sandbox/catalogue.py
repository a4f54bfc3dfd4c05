"""The seeded demo catalogue every emulator starts from.

One merchant's world, described once and independently of any vendor: products (simple or with
variants), the warehouses that stock them, and the orders customers placed in each store. Each
emulator translates this into its own records (NetSuite items and sales orders, WooCommerce
products and variations, Shopify products and variants), so the three systems start out
describing the same business, the way a merchant's systems do after an initial import.

Everything is drawn from one `random.Random(seed)`, so the same seed and size give the same
catalogue on every machine.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Literal

OrderStatus = Literal["open", "fulfilled", "cancelled"]
StorePlatform = Literal["woocommerce", "shopify"]
STORE_PLATFORMS: tuple[StorePlatform, ...] = ("woocommerce", "shopify")

_ADJECTIVES = (
    "Alpine",
    "Harbor",
    "Meadow",
    "Summit",
    "Canyon",
    "Coastal",
    "Urban",
    "Forest",
    "Prairie",
    "Glacier",
    "Desert",
    "Island",
    "Valley",
    "Ridge",
    "Delta",
    "Aurora",
)
_NOUNS = (
    "Tee",
    "Hoodie",
    "Jacket",
    "Cap",
    "Backpack",
    "Mug",
    "Bottle",
    "Notebook",
    "Scarf",
    "Sock",
    "Tote",
    "Blanket",
    "Lamp",
    "Candle",
    "Apron",
    "Beanie",
)
_CATEGORIES = ("Apparel", "Accessories", "Home", "Outdoor", "Stationery", "Kitchen", "Gifts")
_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
_COLOURS = ("Black", "White", "Navy", "Olive", "Sand", "Red", "Grey")
_FIRST_NAMES = ("Ada", "Ben", "Chloe", "Dev", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jon")
_LAST_NAMES = ("Meyer", "Okafor", "Silva", "Tanaka", "Novak", "Kowalski", "Larsen", "Haddad")

#: When the demo history begins; every generated timestamp lies after it.
EPOCH = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Location:
    """A warehouse or shop that holds stock, known to every system under its own id."""

    key: str
    name: str
    netsuite_id: int
    shopify_id: int


@dataclass
class Item:
    """One stock-keeping unit: a simple product, or one variant of a product with variants."""

    sku: str
    name: str
    price: Decimal
    compare_at_price: Decimal | None
    barcode: str
    active: bool
    option_values: dict[str, str]
    on_hand: dict[str, int]
    created_at: datetime
    updated_at: datetime
    product: Product = field(repr=False, compare=False)


@dataclass
class Product:
    """What a shopper sees as one product page; a product with variants holds several items."""

    key: str
    name: str
    description: str
    short_description: str
    categories: tuple[str, ...]
    images: tuple[str, ...]
    has_variants: bool
    created_at: datetime
    updated_at: datetime
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class OrderLine:
    """One line of a store order."""

    sku: str
    quantity: int
    unit_price: Decimal

    @property
    def line_total(self) -> Decimal:
        """Quantity times unit price, exact."""
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Order:
    """An order a customer placed in one of the stores."""

    platform: StorePlatform
    number: int
    status: OrderStatus
    currency: str
    customer_email: str
    customer_name: str
    lines: tuple[OrderLine, ...]
    location_key: str
    created_at: datetime
    updated_at: datetime
    imported_to_netsuite: bool

    @property
    def total(self) -> Decimal:
        """Sum of the line totals (the demo charges no tax or shipping)."""
        return sum((line.line_total for line in self.lines), Decimal("0"))


@dataclass
class Catalogue:
    """Everything the emulators are seeded with."""

    seed: int
    currency: str
    locations: list[Location]
    products: list[Product]
    orders: list[Order]

    @property
    def items(self) -> list[Item]:
        """Every SKU of every product, in catalogue order."""
        return [item for product in self.products for item in product.items]

    def orders_for(self, platform: StorePlatform) -> list[Order]:
        """The orders placed in one store."""
        return [order for order in self.orders if order.platform == platform]


def default_locations(count: int = 3) -> list[Location]:
    """The demo warehouses, the first of which is the main one."""
    names = ("Main Warehouse", "East Coast DC", "Flagship Store", "West Coast DC", "Outlet")
    keys = ("main", "east", "flagship", "west", "outlet")
    if not 1 <= count <= len(names):
        raise ValueError(f"locations must be between 1 and {len(names)}, got {count}")
    return [
        Location(key=keys[i], name=names[i], netsuite_id=i + 1, shopify_id=70_000_000 + i + 1)
        for i in range(count)
    ]


def generate_catalogue(
    skus: int = 200,
    seed: int = 7,
    locations: int = 3,
    orders_per_store: int | None = None,
    currency: str = "USD",
) -> Catalogue:
    """Draw a reproducible demo catalogue.

    Args:
        skus: Number of stock-keeping units, counting each variant as one (1 to 100,000).
        seed: Seed of the random generator; the same seed gives the same catalogue.
        locations: Number of stock locations (1 to 5).
        orders_per_store: Orders placed in each store; by default one per ten SKUs, 5 to 500.
        currency: The store and NetSuite subsidiary currency.

    Returns:
        The catalogue, products in SKU order.
    """
    if not 1 <= skus <= 100_000:
        raise ValueError(f"skus must be between 1 and 100000, got {skus}")
    rng = random.Random(seed)
    stock_locations = default_locations(locations)
    products = _draw_products(rng, skus, stock_locations)

    if orders_per_store is None:
        orders_per_store = min(500, max(5, skus // 10))
    orders = [
        order
        for platform in STORE_PLATFORMS
        for order in _draw_orders(rng, platform, orders_per_store, products, stock_locations)
    ]
    return Catalogue(
        seed=seed,
        currency=currency,
        locations=stock_locations,
        products=products,
        orders=orders,
    )


def _draw_products(rng: random.Random, skus: int, locations: list[Location]) -> list[Product]:
    products: list[Product] = []
    remaining = skus
    while remaining > 0:
        index = len(products) + 1
        variant_count = 1
        if remaining >= 2 and rng.random() < 0.3:
            variant_count = min(remaining, rng.randint(2, 6))
        products.append(_draw_product(rng, index, variant_count, locations))
        remaining -= variant_count
    return products


def _draw_product(
    rng: random.Random, index: int, variant_count: int, locations: list[Location]
) -> Product:
    name = f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {index}"
    created_at = EPOCH + timedelta(minutes=rng.randint(0, 60 * 24 * 90))
    updated_at = created_at + timedelta(minutes=rng.randint(0, 60 * 24 * 200))
    product = Product(
        key=f"P{index:06d}",
        name=name,
        description=f"<p>The {name}, made to last. Demo product number {index}.</p>",
        short_description=f"{name} from the demo catalogue.",
        categories=tuple(sorted(rng.sample(_CATEGORIES, rng.randint(1, 2)))),
        images=(f"https://images.example.com/products/P{index:06d}-1.jpg",),
        has_variants=variant_count > 1,
        created_at=created_at,
        updated_at=updated_at,
    )

    base_price = Decimal(rng.randint(500, 25_000)) / 100
    sizes = rng.sample(_SIZES, min(variant_count, len(_SIZES)))
    colour = rng.choice(_COLOURS)
    for position in range(variant_count):
        if product.has_variants:
            size = sizes[position % len(sizes)]
            option_values = {"size": size, "colour": colour}
            sku = f"{product.key}-{size}-{position + 1}"
            item_name = f"{name} - {size} / {colour}"
        else:
            option_values = {}
            sku = f"SKU-{index:06d}"
            item_name = name
        on_sale = rng.random() < 0.2
        product.items.append(
            Item(
                sku=sku,
                name=item_name,
                price=base_price,
                compare_at_price=(base_price * Decimal("1.25")).quantize(Decimal("0.01"))
                if on_sale
                else None,
                barcode=f"{rng.randint(10**11, 10**12 - 1)}",
                active=rng.random() > 0.05,
                option_values=option_values,
                on_hand={location.key: rng.randint(0, 120) for location in locations},
                created_at=created_at,
                updated_at=updated_at + timedelta(seconds=position),
                product=product,
            )
        )
    return product


def _draw_orders(
    rng: random.Random,
    platform: StorePlatform,
    count: int,
    products: list[Product],
    locations: list[Location],
) -> list[Order]:
    sellable = [item for product in products for item in product.items if item.active]
    if not sellable:
        return []
    first_number = 1001 if platform == "woocommerce" else 5001
    # Half the orders are open, four in ten fulfilled, one in ten cancelled, and every store
    # with three orders or more has at least one of each.
    cancelled = max(1, count // 10) if count >= 3 else 0
    fulfilled = max(1, count * 4 // 10) if count >= 2 else 0
    statuses: list[OrderStatus] = (
        ["cancelled"] * cancelled
        + ["fulfilled"] * fulfilled
        + ["open"] * (count - cancelled - fulfilled)
    )
    rng.shuffle(statuses)

    orders: list[Order] = []
    for offset, status in enumerate(statuses):
        lines = tuple(
            OrderLine(sku=item.sku, quantity=rng.randint(1, 3), unit_price=item.price)
            for item in rng.sample(sellable, min(len(sellable), rng.randint(1, 3)))
        )
        first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
        created_at = EPOCH + timedelta(days=250, minutes=rng.randint(0, 60 * 24 * 60))
        orders.append(
            Order(
                platform=platform,
                number=first_number + offset,
                status=status,
                currency="USD",
                customer_email=f"{first}.{last}{offset}@example.com".lower(),
                customer_name=f"{first} {last}",
                lines=lines,
                location_key=locations[0].key,
                created_at=created_at,
                updated_at=created_at + timedelta(hours=rng.randint(0, 72)),
                # Fulfilled orders went through NetSuite; a share of the open ones has not
                # been imported yet, which is the gap the no-oversell rule is about.
                imported_to_netsuite=status != "cancelled"
                and (status == "fulfilled" or rng.random() < 0.6),
            )
        )
    return orders


@dataclass(frozen=True)
class StockPosition:
    """Where one SKU stands at one location when the demo begins, as each system sees it.

    The emulators seed their stock from these figures so that the three systems start out
    consistent with the orders in them:

    - NetSuite has `on_hand`; its imported, still open sales orders commit stock
      (`netsuite_committed`), and `netsuite_available` is what is left.
    - A store has already taken its open orders off its own stock, including the ones
      NetSuite has not imported yet: `store_available` is NetSuite's available minus those,
      never below zero. `store_committed` is what the store's open orders still hold.
    """

    sku: str
    location_key: str
    on_hand: int
    netsuite_committed: int
    store_committed: int
    unimported: int

    @property
    def netsuite_available(self) -> int:
        """On hand less what NetSuite's open sales orders commit."""
        return self.on_hand - self.netsuite_committed

    @property
    def store_available(self) -> int:
        """What the store may still sell from this location."""
        return max(0, self.netsuite_available - self.unimported)


def stock_positions(
    catalogue: Catalogue, platform: StorePlatform | None
) -> dict[tuple[str, str], StockPosition]:
    """The opening stock of every SKU at every location, keyed by (sku, location key).

    Args:
        catalogue: The demo catalogue.
        platform: The store whose open orders count as the store's own; None for NetSuite's
            view alone, where `store_committed` and `unimported` are zero.
    """
    committed: Counter[tuple[str, str]] = Counter()
    store_open: Counter[tuple[str, str]] = Counter()
    unimported: Counter[tuple[str, str]] = Counter()
    for order in catalogue.orders:
        if order.status != "open":
            continue
        for line in order.lines:
            key = (line.sku, order.location_key)
            if order.imported_to_netsuite:
                committed[key] += line.quantity
            if order.platform == platform:
                store_open[key] += line.quantity
                if not order.imported_to_netsuite:
                    unimported[key] += line.quantity

    positions: dict[tuple[str, str], StockPosition] = {}
    for item in catalogue.items:
        for location in catalogue.locations:
            key = (item.sku, location.key)
            on_hand = item.on_hand[location.key]
            positions[key] = StockPosition(
                sku=item.sku,
                location_key=location.key,
                on_hand=on_hand,
                netsuite_committed=min(committed[key], on_hand),
                store_committed=store_open[key],
                unimported=unimported[key],
            )
    return positions
