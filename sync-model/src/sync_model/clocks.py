"""Per-field last-write-wins clocks, kept on the destination record.

For every field a target writes, it keeps on the record it wrote (a WooCommerce meta entry, a
Shopify metafield, a NetSuite custom field) the source time of the value and a hash of the
value. Before writing again it compares:

- the incoming time with the clock's time: only a newer value is applied, so replays and
  out-of-order batches never roll a field back;
- the destination's current value with the clock's hash: when they differ, someone edited the
  field on the side that does not own it, and the owner's value is restored and the edit
  recorded as an ownership violation.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sync_model.values import format_utc, parse_utc, to_utc


def value_hash(value: Any) -> str:
    """A short, stable hash of a field value.

    Numbers hash by their value, not their spelling (`19.9` and `Decimal("19.900")` hash
    alike), and None, `""` and `[]` all mean "no value". Text is compared as text, so a target
    parses a store's price strings with `sync_model.values.to_money` before comparing.
    """
    canonical = json.dumps(_canonical(value), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _canonical(value: Any) -> Any:
    if value in (None, "", [], ()):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    return str(value)


@dataclass(frozen=True)
class FieldClock:
    """What a target last applied to one field: the value's source time and hash."""

    updated_at: datetime
    value_hash: str

    def to_json(self) -> dict[str, str]:
        """The clock as stored on the destination record."""
        return {"t": format_utc(self.updated_at), "h": self.value_hash}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> FieldClock:
        """Read a stored clock.

        Raises:
            ValueError: The stored clock is malformed.
        """
        try:
            return cls(updated_at=parse_utc(data["t"]), value_hash=data["h"])
        except (KeyError, TypeError) as error:
            raise ValueError(f"malformed field clock {data!r}") from error


def clocks_to_json(clocks: dict[str, FieldClock]) -> str:
    """All of a record's field clocks as one compact JSON text."""
    return json.dumps(
        {name: clock.to_json() for name, clock in sorted(clocks.items())}, separators=(",", ":")
    )


def clocks_from_json(text: str | None) -> dict[str, FieldClock]:
    """Read a record's field clocks; nothing stored yet reads as no clocks.

    Raises:
        ValueError: The stored text is not a clock map.
    """
    if not text:
        return {}
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"field clocks must be a JSON object, got {text[:80]!r}")
    return {name: FieldClock.from_json(clock) for name, clock in data.items()}


class Action(Enum):
    """What a target does with one incoming field value."""

    WRITE = "write"
    """Write the value and its new clock."""
    STAMP = "stamp"
    """The destination already holds the value: write only the clock."""
    SKIP = "skip"
    """Leave the field alone."""


@dataclass(frozen=True)
class Decision:
    """The verdict on one field of one record, with the reason a log or dry run shows."""

    action: Action
    reason: str
    violation: bool = False


def decide(
    incoming_value: Any,
    incoming_time: datetime,
    destination_value: Any,
    clock: FieldClock | None,
) -> Decision:
    """Decide, by last write wins, what to do with an owner's value for one field.

    Args:
        incoming_value: The owner's value, from the stream.
        incoming_time: When the value last changed in the owner (`field_updated_at`).
        destination_value: What the destination holds now.
        clock: What the target last applied to this field, if it ever did.
    """
    incoming_time = to_utc(incoming_time)
    incoming = value_hash(incoming_value)
    current = value_hash(destination_value)

    if clock is None:
        if incoming == current:
            return Decision(Action.STAMP, "first sync; the destination already agrees")
        return Decision(Action.WRITE, "first sync")

    if current != clock.value_hash:
        if incoming == current and incoming_time >= clock.updated_at:
            return Decision(Action.STAMP, "the destination already holds the owner's value")
        if incoming_time >= clock.updated_at:
            return Decision(
                Action.WRITE,
                "the destination was edited outside the owner; restoring the owner's value",
                violation=True,
            )
        # The value last applied is known only by its hash, so an older stream cannot restore
        # it; the next run of a current stream does.
        return Decision(
            Action.SKIP,
            "the destination was edited outside the owner, but the incoming value is older "
            "than the one last applied",
            violation=True,
        )

    if incoming_time <= clock.updated_at:
        return Decision(Action.SKIP, "not newer than the value last applied")
    if incoming == current:
        return Decision(Action.STAMP, "newer, but the destination already holds the value")
    return Decision(Action.WRITE, "newer than the value last applied")
