"""Exact money, whole quantities and UTC timestamps, parsed the same way by every plugin."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation


def to_money(value: object, *, field: str = "amount") -> Decimal | None:
    """Parse an amount exactly: `"19.90"`, `19.9` and `Decimal("19.9")` are all 19.9 to the cent.

    Empty strings and None mean "no amount" (WooCommerce writes an unset price as `""`).
    Floats are read through their shortest string form, never through binary arithmetic.

    Raises:
        ValueError: The value is not a finite number; the message names the field.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{field}: expected an amount, got the boolean {value!r}")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{field}: expected an amount, got {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"{field}: expected a finite amount, got {value!r}")
    return _without_exponent(amount)


def to_quantity(value: object, *, field: str = "quantity") -> int | None:
    """Parse a whole quantity: `"12"`, `12`, `"12.0"` give 12; None and `""` give None.

    Raises:
        ValueError: The value is not a whole number; the message names the field.
    """
    amount = to_money(value, field=field)
    if amount is None:
        return None
    if amount != amount.to_integral_value():
        raise ValueError(f"{field}: expected a whole quantity, got {value!r}")
    return int(amount)


def to_utc(value: datetime) -> datetime:
    """An aware datetime in UTC; a naive one is refused rather than guessed.

    Raises:
        ValueError: The datetime has no time zone.
    """
    if value.tzinfo is None:
        raise ValueError(f"a time without a time zone is ambiguous: {value.isoformat()}")
    return value.astimezone(UTC)


def format_utc(value: datetime) -> str:
    """ISO 8601 in UTC with a `Z`, to the second unless the time has microseconds."""
    return to_utc(value).isoformat().replace("+00:00", "Z")


def parse_utc(value: str) -> datetime:
    """Parse an ISO 8601 time that carries its offset (`Z` or `+hh:mm`) into UTC.

    Raises:
        ValueError: The text is not ISO 8601 or has no offset.
    """
    return to_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))


def _without_exponent(amount: Decimal) -> Decimal:
    # Decimal("1E+1") is exact but prints badly; keep amounts in positional form.
    if amount.as_tuple().exponent > 0:  # type: ignore[operator]
        return amount.quantize(Decimal(1))
    return amount
