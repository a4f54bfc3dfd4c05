"""Store orders as NetSuite sales orders, upserted by external id so none is ever doubled.

For a batch of store orders the importer reads what NetSuite already holds (one SuiteQL query
for the orders by external id, one for their lines), resolves SKUs and customers in batches,
and decides for each order:

| store order | NetSuite | what happens |
| --- | --- | --- |
| open or fulfilled | none | created: `PUT salesOrder/eid:{order_ref}` |
| open or fulfilled | pending approval or fulfilment, different | lines replaced (`?replace=item`) |
| any | the same lines, currency and memo | nothing (unchanged) |
| any | recorded from a newer store version | nothing (stale replay) |
| cancelled or closed | pending approval or fulfilment | every line closed: stock released |
| cancelled or closed | none | nothing: there is nothing to cancel |
| any | fulfilled, billed, closed or cancelled | nothing: NetSuite has moved on |

The memo of each sales order records the store's `updated_at` of the version written, which
is how an older replay is recognised across runs and machines. A user editing the memo in
NetSuite defeats that check; the worst outcome is then one extra write of the replayed lines,
never a second order.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sync_model.values import format_utc, parse_utc
from target_netsuite.client import NetSuiteClient, RecordRejected, RetriesExhausted, eid
from target_netsuite.lookups import (
    CurrencyResolver,
    Customer,
    CustomerResolver,
    ItemResolver,
    chunks,
    in_list,
)

logger = logging.getLogger("target-netsuite.orders")

PLATFORM_NAMES = {"woocommerce": "WooCommerce", "shopify": "Shopify"}
#: Sales-order statuses whose lines the target may replace or close.
MODIFIABLE_STATUSES = {"A", "B"}
STATUS_NAMES = {
    "A": "pending approval",
    "B": "pending fulfilment",
    "C": "cancelled",
    "D": "partially fulfilled",
    "E": "pending billing and partially fulfilled",
    "F": "pending billing",
    "G": "billed",
    "H": "closed",
}
_MEMO_TIME = re.compile(r"store updated (\S+)$")

#: One line as compared between the stream and NetSuite: item, quantity, rate, amount,
#: location and closed.
LineKey = tuple[str, Decimal, Decimal, Decimal, str | None, bool]


class OrderProblem(ValueError):
    """An order that cannot be written as it stands; the message says why."""


@dataclass(frozen=True)
class LocationMap:
    """Store location -> NetSuite location internal id, and where orders without one ship from.

    Args:
        mapping: Store location id -> NetSuite location internal id.
        order_location: The store location of lines that carry none.
    """

    mapping: dict[str, str]
    order_location: str | None

    def netsuite_location(self, store_location: str | None) -> str | None:
        """The NetSuite location of a line, or None when no location applies.

        Raises:
            OrderProblem: The store location is not mapped.
        """
        location = store_location or self.order_location
        if location is None:
            return None
        if location not in self.mapping:
            raise OrderProblem(
                f"store location {location!r} is not in location_mapping "
                f"({', '.join(sorted(self.mapping)) or 'empty'})"
            )
        return self.mapping[location]


@dataclass
class ExistingOrder:
    """A sales order NetSuite already holds for an external id."""

    id: str
    status: str
    memo: str | None
    currency: str | None
    lines: list[dict[str, Any]] = field(default_factory=list)

    def line_keys(self) -> list[LineKey]:
        """Its item lines in comparable form (NetSuite stores quantities negative)."""
        return sorted(
            (
                str(line["item"]),
                -_decimal(line.get("quantity")),
                _decimal(line.get("rate")),
                -_decimal(line.get("netamount")),
                line.get("location"),
                line.get("isclosed") == "T",
            )
            for line in self.lines
        )

    def store_updated_at(self) -> datetime | None:
        """The store's `updated_at` of the version last written, from the memo."""
        match = _MEMO_TIME.search(self.memo or "")
        if match is None:
            return None
        try:
            return parse_utc(match.group(1))
        except ValueError:
            return None


@dataclass
class Outcome:
    """What became of one order.

    Attributes:
        order_ref: The order.
        result: created, updated, closed, unchanged, stale, moved_on, not_imported or kept.
        reason: Why, for orders kept for retry and orders left alone.
        sales_order_id: NetSuite's internal id, when it has one.
    """

    order_ref: str
    result: str
    reason: str = ""
    sales_order_id: str | None = None

    @property
    def landed(self) -> bool:
        """Whether NetSuite now holds what it should for this order."""
        return self.result != "kept"


@dataclass
class _Plan:
    record: dict[str, Any]
    action: str
    body: dict[str, Any] | None = None
    customer: Customer | None = None
    existing: ExistingOrder | None = None

    @property
    def order_ref(self) -> str:
        return str(self.record["order_ref"])


class SalesOrderImporter:
    """Imports batches of store orders into one NetSuite account.

    Args:
        client: The account's client.
        locations: Where lines are committed.
        guest_customer_id: Customer of orders without an e-mail address; None refuses them.
        workers: Requests sent at once (the concurrency limit caps them in any case).
    """

    def __init__(
        self,
        client: NetSuiteClient,
        locations: LocationMap,
        guest_customer_id: str | None,
        workers: int,
    ) -> None:
        self.client = client
        self.locations = locations
        self.guest_customer_id = guest_customer_id
        self.items = ItemResolver(client)
        self.currencies = CurrencyResolver(client)
        self.customers = CustomerResolver(client)
        self.workers = max(workers, 1)
        self.total_mismatches = 0

    def import_orders(self, records: list[dict[str, Any]]) -> list[Outcome]:
        """Bring a batch of orders (one version per order_ref) into NetSuite."""
        existing = self._existing_orders([str(record["order_ref"]) for record in records])
        items = self.items.resolve(
            str(line.get("sku") or "") for record in records for line in record.get("lines") or []
        )
        outcomes: list[Outcome] = []
        plans: list[_Plan] = []
        for record in records:
            try:
                plan = self._plan(record, existing.get(str(record["order_ref"])), items)
            except OrderProblem as problem:
                outcomes.append(Outcome(str(record["order_ref"]), "kept", str(problem)))
                continue
            if isinstance(plan, Outcome):
                outcomes.append(plan)
            else:
                plans.append(plan)

        outcomes.extend(self._attach_customers(plans))
        plans = [plan for plan in plans if plan.body is not None]
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            outcomes.extend(pool.map(self._write, plans))
        return outcomes

    # Reading what NetSuite holds.

    def _existing_orders(self, refs: list[str]) -> dict[str, ExistingOrder]:
        orders: dict[str, ExistingOrder] = {}
        for batch in chunks(sorted(set(refs))):
            for row in self.client.suiteql(
                "SELECT id, externalid, status, memo, currency FROM transaction "
                f"WHERE type = 'SalesOrd' AND externalid IN {in_list(batch)} ORDER BY id"
            ):
                orders[row["externalid"]] = ExistingOrder(
                    row["id"], row.get("status", ""), row.get("memo"), row.get("currency")
                )
        by_id = {order.id: order for order in orders.values()}
        for batch in chunks(sorted(by_id)):
            for row in self.client.suiteql(
                "SELECT transaction, id, item, quantity, rate, netamount, location, isclosed "
                f"FROM transactionline WHERE transaction IN ({', '.join(batch)}) "
                "AND mainline = 'F' AND taxline = 'F' ORDER BY transaction, id"
            ):
                by_id[row["transaction"]].lines.append(row)
        return orders

    # Deciding.

    def _plan(
        self,
        record: dict[str, Any],
        existing: ExistingOrder | None,
        items: dict[str, Any],
    ) -> _Plan | Outcome:
        order_ref = str(record["order_ref"])
        updated_at = _time(record["updated_at"])
        memo = order_memo(record)
        wants_open = record["status"] in ("open", "fulfilled")

        if existing is None:
            if not wants_open:
                return Outcome(
                    order_ref,
                    "not_imported",
                    f"{record['status']} in the store before it was imported; nothing to cancel",
                )
            body = self._order_body(record, items, memo)
            return _Plan(record, "created", body, customer=self._customer(record))

        if existing.status not in MODIFIABLE_STATUSES:
            if not wants_open and existing.status in ("C", "H"):
                return Outcome(order_ref, "unchanged", sales_order_id=existing.id)
            return Outcome(
                order_ref,
                "moved_on",
                f"sales order {existing.id} is {STATUS_NAMES.get(existing.status, existing.status)}"
                " in NetSuite; left as it is",
                existing.id,
            )
        recorded = existing.store_updated_at()
        if recorded is not None and recorded > updated_at:
            return Outcome(
                order_ref,
                "stale",
                f"NetSuite holds the store's version of {format_utc(recorded)}, newer than this "
                f"one of {format_utc(updated_at)}",
                existing.id,
            )
        if not wants_open:
            return _Plan(record, "closed", _closing_body(existing, memo), existing=existing)

        body = self._order_body(record, items, memo)
        if (
            _body_line_keys(body) == existing.line_keys()
            and (body.get("currency") or {}).get("id", existing.currency) == existing.currency
        ):
            if existing.memo == memo:
                return Outcome(order_ref, "unchanged", sales_order_id=existing.id)
            # Same lines: only the memo (the store version it holds) is brought up to date.
            return _Plan(record, "updated", {"memo": memo}, existing=existing)
        return _Plan(record, "updated", body, existing=existing)

    def _order_body(
        self, record: dict[str, Any], items: dict[str, Any], memo: str
    ) -> dict[str, Any]:
        lines: list[dict[str, Any]] = []
        problems: list[str] = []
        for number, line in enumerate(record.get("lines") or [], start=1):
            try:
                entry = self._line(line, items)
            except OrderProblem as problem:
                problems.append(f"line {number}: {problem}")
                continue
            if entry is not None:
                lines.append(entry)
        if problems:
            raise OrderProblem("; ".join(problems))
        if not lines:
            raise OrderProblem("the order has no line with a quantity above zero")

        body: dict[str, Any] = {
            "externalId": record["order_ref"],
            "memo": memo,
            "item": {"items": lines},
        }
        if record.get("created_at"):
            body["tranDate"] = format_utc(_time(record["created_at"]))[:10]
        currency = record.get("currency")
        if currency:
            currency_id = self.currencies.resolve(str(currency))
            if currency_id is None:
                raise OrderProblem(f"currency {currency} is not set up in NetSuite")
            body["currency"] = {"id": currency_id}
        self._check_total(record, lines)
        return body

    def _line(self, line: dict[str, Any], items: dict[str, Any]) -> dict[str, Any] | None:
        sku = str(line.get("sku") or "")
        if not sku:
            raise OrderProblem("the line has no SKU")
        item = items[sku]
        if item.problem is not None:
            raise OrderProblem(item.problem)
        quantity = int(line["quantity"])
        if quantity == 0:
            return None
        rate, amount = _rate_and_amount(line, quantity)
        entry: dict[str, Any] = {
            "item": {"id": item.id},
            "quantity": quantity,
            "rate": rate,
            "amount": amount,
        }
        location = self.locations.netsuite_location(line.get("location"))
        if location is not None:
            entry["location"] = {"id": location}
        return entry

    def _check_total(self, record: dict[str, Any], lines: list[dict[str, Any]]) -> None:
        total = record.get("total")
        if total is None:
            return
        lines_total = sum((line["amount"] for line in lines), Decimal(0))
        if Decimal(str(total)) != lines_total:
            self.total_mismatches += 1
            logger.warning(
                "%s: the store's total %s differs from its lines' %s (shipping, taxes and "
                "discounts are not imported); the sales order totals its lines",
                record["order_ref"],
                total,
                lines_total,
            )

    def _customer(self, record: dict[str, Any]) -> Customer | None:
        customer = record.get("customer") or {}
        if customer.get("email"):
            return Customer(str(customer["email"]).strip(), customer.get("name"))
        if self.guest_customer_id is None:
            raise OrderProblem(
                "the order has no customer e-mail address; set guest_customer_id to import such "
                "orders under one NetSuite customer"
            )
        return None

    def _attach_customers(self, plans: list[_Plan]) -> list[Outcome]:
        wanted = [plan.customer for plan in plans if plan.customer is not None]
        if not wanted:
            for plan in plans:
                if plan.action == "created" and plan.body is not None:
                    plan.body["entity"] = {"id": self.guest_customer_id}
            return []
        try:
            customers = self.customers.resolve(wanted)
        except RetriesExhausted as error:
            customers = {customer.email.lower(): error for customer in wanted}  # type: ignore[misc]
        outcomes = []
        for plan in plans:
            if plan.action != "created" or plan.body is None:
                continue
            if plan.customer is None:
                plan.body["entity"] = {"id": self.guest_customer_id}
                continue
            found = customers[plan.customer.email.lower()]
            if isinstance(found, Exception):
                outcomes.append(
                    Outcome(plan.order_ref, "kept", f"NetSuite refused its customer: {found}")
                )
                plan.body = None
            else:
                plan.body["entity"] = {"id": found}
        return outcomes

    # Writing.

    def _write(self, plan: _Plan) -> Outcome:
        query = "?replace=item"
        try:
            response = self.client.request(
                "PUT",
                f"/record/v1/salesOrder/{eid(plan.order_ref)}{query}",
                body=plan.body,
                headers={"X-NetSuite-PropertyNameValidation": "error"},
            )
        except RecordRejected as error:
            return Outcome(plan.order_ref, "kept", f"NetSuite rejected the sales order: {error}")
        except RetriesExhausted as error:
            return Outcome(plan.order_ref, "kept", f"NetSuite did not take it: {error}")
        sales_order_id = response.headers.get("Location", "").rstrip("/").rsplit("/", 1)[-1]
        return Outcome(plan.order_ref, plan.action, sales_order_id=sales_order_id or None)


def order_memo(record: dict[str, Any]) -> str:
    """The memo of a store order's sales order: what it is, and which store version it holds."""
    source = PLATFORM_NAMES.get(str(record.get("source")), str(record.get("source")))
    number = record.get("number") or record.get("source_id") or ""
    updated = format_utc(_time(record["updated_at"]))
    return f"{source} order {number} ({record['order_ref']}); store updated {updated}"


def _closing_body(existing: ExistingOrder, memo: str) -> dict[str, Any]:
    """Every line of an existing order, closed: NetSuite releases what they commit."""
    lines = []
    for line in existing.lines:
        entry: dict[str, Any] = {
            "line": int(line["id"]),
            "item": {"id": line["item"]},
            "quantity": -_decimal(line.get("quantity")),
            "rate": _decimal(line.get("rate")),
            "amount": -_decimal(line.get("netamount")),
            "isClosed": True,
        }
        if line.get("location"):
            entry["location"] = {"id": line["location"]}
        lines.append(entry)
    return {"memo": memo, "item": {"items": lines}}


def _body_line_keys(body: dict[str, Any]) -> list[LineKey]:
    return sorted(
        (
            str(line["item"]["id"]),
            Decimal(line["quantity"]),
            _decimal(line["rate"]),
            _decimal(line["amount"]),
            (line.get("location") or {}).get("id"),
            bool(line.get("isClosed", False)),
        )
        for line in body["item"]["items"]
    )


def _rate_and_amount(line: dict[str, Any], quantity: int) -> tuple[Decimal, Decimal]:
    unit_price = line.get("unit_price")
    line_total = line.get("line_total")
    if unit_price is None and line_total is None:
        raise OrderProblem("the line has neither a unit price nor a line total")
    if line_total is None:
        rate = Decimal(str(unit_price))
        return rate, rate * quantity
    amount = Decimal(str(line_total))
    rate = Decimal(str(unit_price)) if unit_price is not None else amount / quantity
    return rate, amount


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value)).normalize() if value not in (None, "") else Decimal(0)


def _time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return parse_utc(format_utc(value))
    return parse_utc(str(value))


def count_outcomes(outcomes: Iterable[Outcome]) -> Counter[str]:
    """Outcomes by result."""
    return Counter(outcome.result for outcome in outcomes)
