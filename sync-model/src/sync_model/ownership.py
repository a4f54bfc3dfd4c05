"""Which system owns each synced field, as `ownership.yml` at the project root says.

```yaml
mode: two_way          # one_way: NetSuite owns every item field; the store sends only orders
fields:
  price: netsuite
  description: storefront
  inventory: netsuite
```

Every field has exactly one owner, and a target writes a field only when the record comes from
its owner. In two-way mode every synced field must be listed; in one-way mode the file may list
fields, but each must name NetSuite as its owner.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from sync_model.streams import ITEM_FIELDS

logger = logging.getLogger(__name__)

Owner = Literal["netsuite", "storefront"]
Mode = Literal["one_way", "two_way"]

OWNERS: tuple[Owner, ...] = ("netsuite", "storefront")
MODES: tuple[Mode, ...] = ("one_way", "two_way")

#: Every field ownership.yml speaks of: the item fields, and stock as a whole.
SYNCED_FIELDS: tuple[str, ...] = (*ITEM_FIELDS, "inventory")

#: The system behind each tap's `source` value.
OWNER_OF_SOURCE: dict[str, Owner] = {
    "netsuite": "netsuite",
    "woocommerce": "storefront",
    "shopify": "storefront",
}


class OwnershipError(ValueError):
    """ownership.yml says something the suite cannot act on; the message says what and where."""


@dataclass(frozen=True)
class FieldOwnership:
    """The owner of every synced field.

    Attributes:
        mode: `one_way` (NetSuite owns every item field) or `two_way`.
        owners: Field name -> owning system, for every field in `SYNCED_FIELDS`.
    """

    mode: Mode
    owners: dict[str, Owner]

    @classmethod
    def one_way(cls) -> FieldOwnership:
        """NetSuite owns everything; the store sends only orders."""
        return cls("one_way", dict.fromkeys(SYNCED_FIELDS, "netsuite"))

    @classmethod
    def load(cls, path: Path) -> FieldOwnership:
        """Read and validate an ownership file.

        Raises:
            OwnershipError: The file is missing, is not YAML, or breaks a rule; the message
                names the file and the field.
        """
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise OwnershipError(f"{path}: no such ownership file") from None
        except yaml.YAMLError as error:
            raise OwnershipError(f"{path}: not valid YAML: {error}") from None
        try:
            return cls.from_mapping(document)
        except OwnershipError as error:
            raise OwnershipError(f"{path}: {error}") from None

    @classmethod
    def from_mapping(cls, document: Any) -> FieldOwnership:
        """Validate an already parsed ownership document.

        Raises:
            OwnershipError: A rule is broken; the message names the field.
        """
        if not isinstance(document, dict):
            raise OwnershipError("expected a mapping with `mode` and `fields`")
        unknown_keys = set(document) - {"mode", "fields"}
        if unknown_keys:
            raise OwnershipError(f"unknown top-level keys: {', '.join(sorted(unknown_keys))}")

        mode = document.get("mode", "one_way")
        if mode not in MODES:
            raise OwnershipError(f"mode must be one_way or two_way, got {mode!r}")
        listed = document.get("fields") or {}
        if not isinstance(listed, dict):
            raise OwnershipError("`fields` must map each field to its owner")

        for name, owner in listed.items():
            if name not in SYNCED_FIELDS:
                raise OwnershipError(
                    f"unknown field {name!r}; synced fields are {', '.join(SYNCED_FIELDS)}"
                )
            if owner not in OWNERS:
                raise OwnershipError(
                    f"field {name!r}: owner must be netsuite or storefront, got {owner!r}"
                )
            if mode == "one_way" and owner != "netsuite":
                raise OwnershipError(
                    f"field {name!r}: in one_way mode NetSuite owns every field, "
                    f"so {owner!r} cannot own it; set mode: two_way to promote it"
                )
        if mode == "one_way":
            return cls.one_way()

        missing = [name for name in SYNCED_FIELDS if name not in listed]
        if missing:
            raise OwnershipError(
                f"two_way mode lists every synced field; missing: {', '.join(missing)}"
            )
        return cls("two_way", {name: listed[name] for name in SYNCED_FIELDS})

    def owner_of(self, field_name: str) -> Owner:
        """The system that owns a field.

        Raises:
            OwnershipError: The field is not a synced field.
        """
        try:
            return self.owners[field_name]
        except KeyError:
            raise OwnershipError(f"{field_name!r} is not a synced field") from None

    def owned_by_source(self, source: str) -> tuple[str, ...]:
        """The synced fields a record from this tap source (`netsuite`, `shopify`, ...) owns."""
        owner = OWNER_OF_SOURCE[source]
        return tuple(name for name in SYNCED_FIELDS if self.owners[name] == owner)


@dataclass
class OwnershipFilter:
    """Keeps the fields a record's source owns and counts the values it drops, per field.

    Args:
        ownership: The validated ownership map.
        dropped: Values dropped so far, by field.
    """

    ownership: FieldOwnership
    dropped: Counter[str] = field(default_factory=Counter)

    def owned_values(self, source: str, record: dict[str, Any]) -> dict[str, Any]:
        """The values of `record` that its source owns; the others are counted as dropped."""
        owned = set(self.ownership.owned_by_source(source))
        kept: dict[str, Any] = {}
        for name in SYNCED_FIELDS:
            if name not in record:
                continue
            if name in owned:
                kept[name] = record[name]
            else:
                self.dropped[name] += 1
        return kept

    def log_drops(self) -> None:
        """Log how many values were dropped for each field, and why."""
        for name, count in sorted(self.dropped.items()):
            logger.info(
                "Dropped %d value(s) of %s: the field is owned by %s, not by the record's source",
                count,
                name,
                self.ownership.owner_of(name),
            )
