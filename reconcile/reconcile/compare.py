"""The comparison: three numbers per system, their differences, and what lies behind them.

Every figure is computed in SQL over the two newest snapshots, or streamed from the database
row by row (open order totals, summed exactly as `Decimal`), so a comparison of a million
records per side holds no side in memory. Drill-down lists are capped at `drilldown_limit`
rows each; their full counts are always given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, exists, func, literal, not_, null, or_, select, union_all

from reconcile.history import (
    TRACKED_FIELDS,
    History,
    Snapshot,
    snapshot_items,
    snapshot_levels,
    snapshot_orders,
)
from sync_model.ownership import FieldOwnership
from sync_model.violations import OwnershipViolation

#: The three numbers, in the order the report shows them.
NUMBERS = ("item_count", "on_hand", "open_order_value")

LABELS = {
    "item_count": "Active items",
    "on_hand": "On hand",
    "open_order_value": "Open order value",
}


@dataclass(frozen=True)
class Tolerance:
    """How far a number may drift before the report fails: an amount, or a share of NetSuite's.

    Args:
        amount: The absolute difference allowed, when not relative.
        percent: The difference allowed as a percentage of NetSuite's figure.
    """

    amount: Decimal = Decimal(0)
    percent: Decimal | None = None

    @classmethod
    def parse(cls, text: str | float | None, *, setting: str) -> Tolerance:
        """Read `"0"`, `"25.00"` or `"1.5%"`.

        Raises:
            ValueError: The text is neither; the message names the setting.
        """
        if text is None or text == "":
            return cls()
        raw = str(text).strip()
        try:
            if raw.endswith("%"):
                value = Decimal(raw[:-1].strip())
                if value >= 0:
                    return cls(percent=value)
            else:
                value = Decimal(raw)
                if value >= 0:
                    return cls(amount=value)
        except ArithmeticError:
            pass
        raise ValueError(
            f"{setting}: a tolerance is a non-negative amount (25) or percentage (1.5%), "
            f"got {raw!r}"
        )

    def allows(self, difference: Decimal, netsuite: Decimal) -> bool:
        """Whether a difference is within the tolerance."""
        limit = self.amount if self.percent is None else abs(netsuite) * self.percent / 100
        return abs(difference) <= limit

    def __str__(self) -> str:
        return f"{self.percent}%" if self.percent is not None else str(self.amount)


def money_text(value: Decimal | str | None) -> str | None:
    """An exact amount with at least two decimals (`446.00`, `12.345`); None stays None."""
    if value is None:
        return None
    amount = Decimal(value).normalize()
    if -amount.as_tuple().exponent <= 2:  # type: ignore[operator]
        return str(amount.quantize(Decimal("0.01")))
    return format(amount, "f")


@dataclass
class Number:
    """One of the three numbers for one currency (or none), on both sides."""

    name: str
    currency: str | None
    netsuite: Decimal
    store: Decimal
    tolerance: str
    exceeded: bool
    previous_netsuite: Decimal | None = None
    previous_store: Decimal | None = None

    @property
    def label(self) -> str:
        """`Active items`, or `Open order value (USD)`."""
        base = LABELS[self.name]
        return f"{base} ({self.currency})" if self.currency else base

    @property
    def key(self) -> str:
        """`item_count`, or `open_order_value:USD`; how history finds it again."""
        return f"{self.name}:{self.currency}" if self.currency else self.name

    @property
    def difference(self) -> Decimal:
        """Store minus NetSuite."""
        return self.store - self.netsuite

    @property
    def relative(self) -> Decimal | None:
        """The difference as a share of NetSuite's figure; None when NetSuite's is zero."""
        if self.netsuite == 0:
            return Decimal(0) if self.store == 0 else None
        return (self.difference / abs(self.netsuite)).quantize(Decimal("0.000001"))

    def text(self, value: Decimal | None) -> str | None:
        """A figure as exact text: money with at least two decimals, counts as integers."""
        if value is None:
            return None
        if self.name == "open_order_value":
            return money_text(value)
        return format(value.normalize(), "f")

    @property
    def previous_difference(self) -> Decimal | None:
        """The difference the previous report found, if there was one."""
        if self.previous_netsuite is None or self.previous_store is None:
            return None
        return self.previous_store - self.previous_netsuite

    @property
    def change(self) -> Decimal | None:
        """How much the difference moved since the previous report."""
        previous = self.previous_difference
        return None if previous is None else self.difference - previous


@dataclass
class DrillDown:
    """One list behind the numbers: how many rows there are, and the first of them."""

    kind: str
    title: str
    columns: tuple[str, ...]
    count: int
    rows: list[tuple[Any, ...]]


@dataclass
class FieldEdits:
    """How many SKUs a system's users changed, per field, between its two newest snapshots."""

    system: str
    between: tuple[int, int] | None
    fields: dict[str, int]
    runs_seen: int = 0
    totals: dict[str, int] = field(default_factory=dict)


@dataclass
class Reconciliation:
    """Everything a report shows."""

    run_at: datetime
    store: str
    netsuite_snapshot: Snapshot
    store_snapshot: Snapshot
    locations: list[str] | None
    numbers: list[Number]
    drilldowns: list[DrillDown]
    field_edits: list[FieldEdits]
    ownership_mode: str
    owners: dict[str, str]
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def exceeded(self) -> bool:
        """Whether any number drifted past its tolerance."""
        return any(number.exceeded for number in self.numbers)

    def numbers_json(self) -> dict[str, Any]:
        """The figures a report run keeps in the history."""
        return {
            "numbers": {
                number.key: {"netsuite": str(number.netsuite), "store": str(number.store)}
                for number in self.numbers
            },
            "field_edits": {
                edits.system: {"between": list(edits.between), "fields": edits.fields}
                for edits in self.field_edits
                if edits.between
            },
        }

    def as_dict(self) -> dict[str, Any]:
        """The whole report as JSON-ready data (money and quantities as exact strings)."""
        return {
            "run_at": self.run_at.isoformat().replace("+00:00", "Z"),
            "store": self.store,
            "exceeded": self.exceeded,
            "snapshots": {
                "netsuite": {
                    "id": self.netsuite_snapshot.id,
                    "taken_at": self.netsuite_snapshot.taken_at.isoformat(),
                },
                "store": {
                    "id": self.store_snapshot.id,
                    "taken_at": self.store_snapshot.taken_at.isoformat(),
                },
            },
            "locations": self.locations,
            "numbers": [
                {
                    "name": number.name,
                    "currency": number.currency,
                    "label": number.label,
                    "netsuite": number.text(number.netsuite),
                    "store": number.text(number.store),
                    "difference": number.text(number.difference),
                    "relative": _text(number.relative),
                    "previous_difference": number.text(number.previous_difference),
                    "change": number.text(number.change),
                    "tolerance": number.tolerance,
                    "exceeded": number.exceeded,
                }
                for number in self.numbers
            ],
            "drilldowns": [
                {
                    "kind": drill.kind,
                    "title": drill.title,
                    "count": drill.count,
                    "columns": list(drill.columns),
                    "rows": [[_text(value) for value in row] for row in drill.rows],
                }
                for drill in self.drilldowns
            ],
            "field_edits": [asdict(edits) for edits in self.field_edits],
            "ownership": {"mode": self.ownership_mode, "owners": self.owners},
            "history": self.history,
        }


def _text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return value


@dataclass
class CompareOptions:
    """What the comparison is asked for (from the report's settings)."""

    locations: Sequence[str] | None
    tolerances: dict[str, Tolerance]
    drilldown_limit: int
    ownership: FieldOwnership


def compare(
    history: History,
    netsuite: Snapshot,
    store: Snapshot,
    options: CompareOptions,
    violations: Sequence[OwnershipViolation],
    violation_count: int,
    run_at: datetime,
) -> Reconciliation:
    """Compare NetSuite's and the store's snapshots.

    Args:
        history: The history database.
        netsuite: NetSuite's newest snapshot.
        store: The store's newest snapshot.
        options: Locations, tolerances, drill-down size and field ownership.
        violations: The first ownership violations recorded since the previous report.
        violation_count: How many were recorded in all.
        run_at: When the report runs.
    """
    platform = store.source
    numbers = [
        _number(
            "item_count", None, _active_items(history, netsuite), _active_items(history, store)
        ),
        _number(
            "on_hand",
            None,
            _on_hand(history, netsuite, options.locations),
            _on_hand(history, store, options.locations),
        ),
    ]
    netsuite_orders = _open_order_value(history, netsuite, channel=platform)
    store_orders = _open_order_value(history, store, channel=None)
    for currency in sorted(set(netsuite_orders) | set(store_orders), key=str):
        numbers.append(
            _number(
                "open_order_value",
                currency,
                netsuite_orders.get(currency, Decimal(0)),
                store_orders.get(currency, Decimal(0)),
            )
        )
    if not netsuite_orders and not store_orders:
        numbers.append(_number("open_order_value", None, Decimal(0), Decimal(0)))
    for number in numbers:
        tolerance = options.tolerances.get(number.name, Tolerance())
        number.tolerance = str(tolerance)
        number.exceeded = not tolerance.allows(number.difference, number.netsuite)

    limit = options.drilldown_limit
    drilldowns = [
        *_item_drilldowns(history, netsuite, store, limit),
        _level_drilldown(history, netsuite, store, options.locations, limit),
        _locations_drilldown(history, netsuite, store),
        *_order_drilldowns(history, netsuite, store, limit),
        DrillDown(
            "ownership_violations",
            "Ownership violations recorded by the targets since the previous report",
            ("detected_at", "sku", "field", "edited in", "found", "owner's value", "restored"),
            violation_count,
            [
                (
                    v.detected_at.isoformat().replace("+00:00", "Z"),
                    v.sku,
                    v.field,
                    v.system,
                    _plain(v.found_value),
                    _plain(v.owner_value),
                    "yes" if v.restored else "no",
                )
                for v in violations
            ],
        ),
    ]
    edits = [
        field_edits(history, "netsuite", store.source),
        field_edits(history, store.source, "netsuite"),
    ]
    return Reconciliation(
        run_at=run_at,
        store=platform,
        netsuite_snapshot=netsuite,
        store_snapshot=store,
        locations=list(options.locations) if options.locations else None,
        numbers=numbers,
        drilldowns=drilldowns,
        field_edits=edits,
        ownership_mode=options.ownership.mode,
        owners=dict(options.ownership.owners),
    )


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _number(name: str, currency: str | None, netsuite: Decimal, store: Decimal) -> Number:
    return Number(name, currency, Decimal(netsuite), Decimal(store), "0", False)


def _active_items(history: History, snapshot: Snapshot) -> Decimal:
    statement = select(func.count()).where(
        snapshot_items.c.snapshot_id == snapshot.id, snapshot_items.c.active.is_(True)
    )
    return Decimal(history.all(statement)[0][0])


def _location_filter(table: Any, locations: Sequence[str] | None) -> Any:
    return table.c.location.in_(list(locations)) if locations else literal(True)


def _on_hand(history: History, snapshot: Snapshot, locations: Sequence[str] | None) -> Decimal:
    statement = select(func.coalesce(func.sum(snapshot_levels.c.on_hand), 0)).where(
        snapshot_levels.c.snapshot_id == snapshot.id,
        _location_filter(snapshot_levels, locations),
    )
    return Decimal(history.all(statement)[0][0])


def _channel_filter(channel: str | None) -> Any:
    # On NetSuite's side only the sales orders that came from this store count: their
    # reference (the external id) names the store's platform.
    if channel is None:
        return literal(True)
    return snapshot_orders.c.order_ref.like(f"{channel}:%")


def _open_order_value(
    history: History, snapshot: Snapshot, channel: str | None
) -> dict[str | None, Decimal]:
    statement = select(snapshot_orders.c.currency, snapshot_orders.c.total).where(
        snapshot_orders.c.snapshot_id == snapshot.id,
        snapshot_orders.c.status == "open",
        _channel_filter(channel),
    )
    totals: dict[str | None, Decimal] = defaultdict(Decimal)
    for currency, total in history.stream(statement):
        totals[currency] += Decimal(total or 0)
    return dict(totals)


def _capped(history: History, statement: Any, limit: int) -> tuple[int, list[tuple[Any, ...]]]:
    count = history.all(select(func.count()).select_from(statement.subquery()))[0][0]
    rows = history.all(statement.limit(limit)) if limit else []
    return int(count), [tuple(row) for row in rows]


def _item_drilldowns(
    history: History, netsuite: Snapshot, store: Snapshot, limit: int
) -> list[DrillDown]:
    mine, theirs = snapshot_items.alias("mine"), snapshot_items.alias("theirs")
    drilldowns = []
    for kind, title, here, there in (
        ("only_in_netsuite", "Active SKUs in NetSuite only", netsuite, store),
        ("only_in_store", "Active SKUs in the store only", store, netsuite),
    ):
        absent = ~exists().where(theirs.c.snapshot_id == there.id, theirs.c.sku == mine.c.sku)
        statement = (
            select(mine.c.sku)
            .where(mine.c.snapshot_id == here.id, mine.c.active.is_(True), absent)
            .order_by(mine.c.sku)
        )
        count, rows = _capped(history, statement, limit)
        drilldowns.append(DrillDown(kind, title, ("sku",), count, rows))

    ns, st = snapshot_items.alias("ns"), snapshot_items.alias("st")
    statement = (
        select(ns.c.sku, ns.c.active, st.c.active)
        .join(st, and_(st.c.snapshot_id == store.id, st.c.sku == ns.c.sku))
        .where(
            ns.c.snapshot_id == netsuite.id,
            func.coalesce(ns.c.active, True) != func.coalesce(st.c.active, True),
        )
        .order_by(ns.c.sku)
    )
    count, rows = _capped(history, statement, limit)
    drilldowns.append(
        DrillDown(
            "active_differs",
            "SKUs active on one side and inactive on the other",
            ("sku", "active in NetSuite", "active in the store"),
            count,
            rows,
        )
    )
    return drilldowns


def _level_drilldown(
    history: History,
    netsuite: Snapshot,
    store: Snapshot,
    locations: Sequence[str] | None,
    limit: int,
) -> DrillDown:
    ns, st = snapshot_levels.alias("ns"), snapshot_levels.alias("st")
    both = (
        select(ns.c.sku, ns.c.location, ns.c.on_hand.label("netsuite"), st.c.on_hand.label("store"))
        .outerjoin(
            st,
            and_(
                st.c.snapshot_id == store.id, st.c.sku == ns.c.sku, st.c.location == ns.c.location
            ),
        )
        .where(
            ns.c.snapshot_id == netsuite.id,
            _location_filter(ns, locations),
            func.coalesce(ns.c.on_hand, 0) != func.coalesce(st.c.on_hand, 0),
        )
    )
    ns2, st2 = snapshot_levels.alias("ns2"), snapshot_levels.alias("st2")
    store_only = select(
        st2.c.sku, st2.c.location, null().label("netsuite"), st2.c.on_hand.label("store")
    ).where(
        st2.c.snapshot_id == store.id,
        _location_filter(st2, locations),
        func.coalesce(st2.c.on_hand, 0) != 0,
        not_(
            exists().where(
                ns2.c.snapshot_id == netsuite.id,
                ns2.c.sku == st2.c.sku,
                ns2.c.location == st2.c.location,
            )
        ),
    )
    combined = union_all(both, store_only).subquery()
    statement = select(combined).order_by(combined.c.sku, combined.c.location)
    count, rows = _capped(history, statement, limit)
    return DrillDown(
        "on_hand_differs",
        "On hand that disagrees (SKU and location, both values)",
        ("sku", "location", "netsuite", "store"),
        count,
        rows,
    )


def _locations_drilldown(history: History, netsuite: Snapshot, store: Snapshot) -> DrillDown:
    def locations(snapshot: Snapshot) -> set[str]:
        statement = (
            select(snapshot_levels.c.location)
            .where(snapshot_levels.c.snapshot_id == snapshot.id)
            .distinct()
        )
        return {row[0] for row in history.all(statement)}

    ns, st = locations(netsuite), locations(store)
    rows = [(location, "netsuite") for location in sorted(ns - st)]
    rows += [(location, "store") for location in sorted(st - ns)]
    return DrillDown(
        "locations_one_side",
        "Locations with stock on one side only (check location_mapping)",
        ("location", "seen in"),
        len(rows),
        rows,
    )


def _order_drilldowns(
    history: History, netsuite: Snapshot, store: Snapshot, limit: int
) -> list[DrillDown]:
    st, ns = snapshot_orders.alias("st"), snapshot_orders.alias("ns")
    missing = (
        select(st.c.order_ref, st.c.currency, st.c.total)
        .where(
            st.c.snapshot_id == store.id,
            st.c.status == "open",
            ~exists().where(ns.c.snapshot_id == netsuite.id, ns.c.order_ref == st.c.order_ref),
        )
        .order_by(st.c.order_ref)
    )
    missing_count, missing_rows = _capped(history, missing, limit)
    missing_rows = [(ref, currency, money_text(total)) for ref, currency, total in missing_rows]
    differs = (
        select(
            st.c.order_ref,
            st.c.currency,
            st.c.total.label("store"),
            ns.c.currency,
            ns.c.total.label("netsuite"),
        )
        .join(ns, and_(ns.c.snapshot_id == netsuite.id, ns.c.order_ref == st.c.order_ref))
        .where(
            st.c.snapshot_id == store.id,
            or_(
                func.coalesce(st.c.total, "") != func.coalesce(ns.c.total, ""),
                func.coalesce(st.c.currency, "") != func.coalesce(ns.c.currency, ""),
            ),
        )
        .order_by(st.c.order_ref)
    )
    differs_count, differs_rows = _capped(history, differs, limit)
    differs_rows = [
        (ref, store_currency, money_text(store_total), ns_currency, money_text(ns_total))
        for ref, store_currency, store_total, ns_currency, ns_total in differs_rows
    ]
    return [
        DrillDown(
            "orders_missing_in_netsuite",
            "Open store orders missing in NetSuite",
            ("order_ref", "currency", "total"),
            missing_count,
            missing_rows,
        ),
        DrillDown(
            "order_totals_differ",
            "Store orders whose total differs in NetSuite",
            ("order_ref", "store currency", "store total", "NetSuite currency", "NetSuite total"),
            differs_count,
            differs_rows,
        ),
    ]


def field_edits(history: History, system: str, other: str) -> FieldEdits:
    """Fields a system's users changed between its two newest snapshots, SKUs per field.

    A change that made the value equal to the other system's (in its newest snapshot) is
    taken for a sync writing the owner's value, not for a user's edit, and is not counted.
    """
    pair = history.latest_snapshots(system, count=2)
    other_latest = history.latest_snapshots(other, count=1)
    if len(pair) < 2:
        return FieldEdits(system, None, {})
    current, previous = pair
    now, before = snapshot_items.alias("now"), snapshot_items.alias("before")
    there = snapshot_items.alias("there")
    counts: dict[str, int] = {}
    for name in TRACKED_FIELDS:
        column = f"h_{name}"
        changed = now.c[column].is_distinct_from(before.c[column])
        conditions = [now.c.snapshot_id == current.id, changed]
        if other_latest:
            synced = exists().where(
                there.c.snapshot_id == other_latest[0].id,
                there.c.sku == now.c.sku,
                there.c[column].is_not_distinct_from(now.c[column]),
            )
            conditions.append(~synced)
        statement = (
            select(func.count())
            .select_from(now)
            .join(before, and_(before.c.snapshot_id == previous.id, before.c.sku == now.c.sku))
            .where(*conditions)
        )
        counts[name] = int(history.all(statement)[0][0])
    return FieldEdits(system, (previous.id, current.id), counts)
