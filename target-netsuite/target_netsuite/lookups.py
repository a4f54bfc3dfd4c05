"""What a sales order refers to, looked up in NetSuite: items by SKU, customers, currencies.

Look-ups are batched (one SuiteQL query per batch of SKUs or e-mail addresses, not one per
order) and cached for the run, so an import costs a handful of queries per batch of orders.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from target_netsuite.client import NetSuiteClient, RecordRejected, eid

logger = logging.getLogger("target-netsuite.lookups")

#: Values per `IN (...)` list of a look-up query.
IN_LIST_SIZE = 200
#: Customers the target creates carry this prefix and the e-mail address as external id.
CUSTOMER_EXTERNAL_ID_PREFIX = "store-customer:"


def sql_text(value: str) -> str:
    """A SuiteQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def in_list(values: Iterable[str]) -> str:
    """`('a', 'b')` for a SuiteQL IN condition."""
    return "(" + ", ".join(sql_text(value) for value in values) + ")"


def chunks(values: list[str], size: int = IN_LIST_SIZE) -> Iterable[list[str]]:
    """Consecutive slices of at most `size` values."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(frozen=True)
class ItemRef:
    """A SKU as NetSuite knows it.

    Attributes:
        id: The item's internal id, or None when no item has the SKU.
        problem: Why an order cannot use the item (unknown, inactive, a matrix parent).
    """

    id: str | None
    problem: str | None = None


class ItemResolver:
    """SKU -> NetSuite item internal id, by batched SuiteQL on `item.itemid`, cached per run.

    Args:
        client: The account's client.
    """

    def __init__(self, client: NetSuiteClient) -> None:
        self.client = client
        self._cache: dict[str, ItemRef] = {}
        self._lock = threading.Lock()

    def resolve(self, skus: Iterable[str]) -> dict[str, ItemRef]:
        """The item of each SKU; SKUs not cached yet are looked up in batches."""
        wanted = sorted({sku for sku in skus if sku})
        with self._lock:
            missing = [sku for sku in wanted if sku not in self._cache]
        for batch in chunks(missing):
            found: dict[str, ItemRef] = {}
            rows = self.client.suiteql(
                "SELECT id, itemid, isinactive, matrixtype FROM item "
                f"WHERE itemid IN {in_list(batch)} ORDER BY id"
            )
            for row in rows:
                sku = row["itemid"]
                if sku in found and found[sku].problem is None:
                    continue
                if row.get("isinactive") == "T":
                    found[sku] = ItemRef(row["id"], f"item {sku} is inactive in NetSuite")
                elif row.get("matrixtype") == "PARENT":
                    found[sku] = ItemRef(
                        row["id"], f"{sku} is a matrix parent in NetSuite, not a sellable SKU"
                    )
                else:
                    found[sku] = ItemRef(row["id"])
            with self._lock:
                for sku in batch:
                    self._cache[sku] = found.get(sku) or ItemRef(
                        None, f"unknown SKU {sku}: no NetSuite item has it as its name/number"
                    )
        with self._lock:
            return {sku: self._cache[sku] for sku in wanted}

    def forget_unknown(self) -> None:
        """Drop cached misses, so SKUs created since are found."""
        with self._lock:
            self._cache = {sku: ref for sku, ref in self._cache.items() if ref.id is not None}


class CurrencyResolver:
    """ISO currency code -> NetSuite currency internal id (`currency.symbol`), read once."""

    def __init__(self, client: NetSuiteClient) -> None:
        self.client = client
        self._ids: dict[str, str] | None = None
        self._lock = threading.Lock()

    def resolve(self, code: str) -> str | None:
        """The currency's internal id, or None when the account has no such currency."""
        with self._lock:
            if self._ids is None:
                self._ids = {
                    str(row["symbol"]).upper(): row["id"]
                    for row in self.client.suiteql("SELECT id, symbol FROM currency ORDER BY id")
                    if row.get("symbol")
                }
            return self._ids.get(code.upper())


@dataclass(frozen=True)
class Customer:
    """Who a store order is for."""

    email: str
    name: str | None


class CustomerResolver:
    """E-mail address -> NetSuite customer id: matched by e-mail, or created.

    A customer is created with an upsert by external id (`store-customer:` and the address in
    lower case), so two runs creating the same customer at once make one, not two.

    Args:
        client: The account's client.
    """

    def __init__(self, client: NetSuiteClient) -> None:
        self.client = client
        self.created = 0
        self.matched = 0
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()

    def resolve(self, customers: Iterable[Customer]) -> dict[str, str | RecordRejected]:
        """The customer id of each address (lower case), or why NetSuite refused to create it.

        Raises:
            RetriesExhausted: NetSuite did not answer a customer upsert.
        """
        wanted = {customer.email.lower(): customer for customer in customers}
        with self._lock:
            missing = sorted(address for address in wanted if address not in self._cache)
        for batch in chunks(missing):
            rows = self.client.suiteql(
                "SELECT id, email FROM customer WHERE isinactive = 'F' AND LOWER(email) IN "
                f"{in_list(batch)} ORDER BY id"
            )
            with self._lock:
                for row in rows:
                    address = str(row.get("email", "")).lower()
                    if address in wanted and address not in self._cache:
                        self._cache[address] = row["id"]
                        self.matched += 1
        results: dict[str, str | RecordRejected] = {}
        for address, customer in wanted.items():
            with self._lock:
                known = self._cache.get(address)
            if known is not None:
                results[address] = known
                continue
            try:
                results[address] = self._create(customer)
            except RecordRejected as error:
                results[address] = error
        return results

    def _create(self, customer: Customer) -> str:
        address = customer.email.lower()
        first, last = person_name(customer)
        response = self.client.request(
            "PUT",
            f"/record/v1/customer/{eid(CUSTOMER_EXTERNAL_ID_PREFIX + address)}",
            body={"firstName": first, "lastName": last, "email": customer.email, "isPerson": True},
        )
        customer_id = response.headers.get("Location", "").rstrip("/").rsplit("/", 1)[-1]
        with self._lock:
            self._cache[address] = customer_id
            self.created += 1
        logger.debug("Created or matched customer %s for a store order", customer_id)
        return customer_id


def person_name(customer: Customer) -> tuple[str, str]:
    """First and last name for a person record; NetSuite requires both.

    A store name of one word becomes the last name, with the address's local part as first
    name; no name at all uses the local part and `Customer`.
    """
    parts = (customer.name or "").split()
    local = customer.email.split("@", 1)[0] or "Store"
    if len(parts) >= 2:
        return parts[0], " ".join(parts[1:])
    if len(parts) == 1:
        return local, parts[0]
    return local, "Customer"
