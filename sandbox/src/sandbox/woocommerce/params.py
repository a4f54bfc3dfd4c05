"""Argument checks as the WordPress REST server makes them from an endpoint's schema.

Every failed check answers 400 `rest_invalid_param` naming the argument, with the message
WordPress writes ("per_page must be between 1 (inclusive) and 100 (inclusive)").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sandbox.woocommerce.errors import invalid_param

_TRUE = ("true", "1")
_FALSE = ("false", "0")


def wp_list(values: Sequence[str]) -> str:
    """Join words as WordPress's `%l` does: "a, b, and c"."""
    if len(values) <= 2:
        return " and ".join(values)
    return ", ".join(values[:-1]) + ", and " + values[-1]


def as_integer(name: str, value: Any) -> int:
    """A whole number, from a JSON number or a numeric string (`rest_is_integer`)."""
    if isinstance(value, bool):
        raise invalid_param(name, f"{name} is not of type integer.", "rest_invalid_type")
    if isinstance(value, int):
        return value
    try:
        number = float(str(value).strip())
    except ValueError:
        number = math.nan
    if math.isnan(number) or math.isinf(number) or number != int(number):
        raise invalid_param(name, f"{name} is not of type integer.", "rest_invalid_type")
    return int(number)


def as_boolean(name: str, value: Any) -> bool:
    """A boolean, from JSON true/false or "true", "false", "1", "0" (`rest_is_boolean`)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise invalid_param(name, f"{name} is not of type boolean.", "rest_invalid_type")


def as_string(name: str, value: Any) -> str:
    """A string; JSON numbers are refused as WordPress refuses them."""
    if not isinstance(value, str):
        raise invalid_param(name, f"{name} is not of type string.", "rest_invalid_type")
    return value


def as_enum(name: str, value: Any, allowed: Sequence[str]) -> str:
    """One of a fixed set of strings."""
    text = as_string(name, value)
    if text not in allowed:
        raise invalid_param(
            name, f"{name} is not one of {wp_list(list(allowed))}.", "rest_not_in_enum"
        )
    return text


def as_bounded(name: str, value: Any, minimum: int, maximum: int | None) -> int:
    """An integer within bounds, worded as WordPress words a `rest_out_of_bounds` error."""
    number = as_integer(name, value)
    if maximum is not None and not minimum <= number <= maximum:
        raise invalid_param(
            name,
            f"{name} must be between {minimum} (inclusive) and {maximum} (inclusive)",
            "rest_out_of_bounds",
        )
    if number < minimum:
        raise invalid_param(
            name, f"{name} must be greater than or equal to {minimum}", "rest_out_of_bounds"
        )
    return number


def as_id_list(name: str, value: Any) -> list[int]:
    """A list of ids, from a JSON array or a comma-separated string (`wp_parse_id_list`)."""
    items = value if isinstance(value, list) else str(value).split(",")
    ids: list[int] = []
    for index, item in enumerate(items):
        if str(item).strip() == "":
            continue
        ids.append(as_integer(f"{name}[{index}]", item))
    return ids


def as_slug_list(name: str, value: Any, allowed: Sequence[str] | None = None) -> list[str]:
    """A list of words from an array or a comma-separated string (`wp_parse_slug_list`)."""
    items = value if isinstance(value, list) else str(value).split(",")
    words = [str(item).strip() for item in items if str(item).strip()]
    if allowed is not None:
        for index, word in enumerate(words):
            as_enum(f"{name}[{index}]", word, allowed)
    return words


def as_object(name: str, value: Any) -> dict[str, Any]:
    """A JSON object."""
    if not isinstance(value, dict):
        raise invalid_param(name, f"{name} is not of type object.", "rest_invalid_type")
    return value


def as_array(name: str, value: Any) -> list[Any]:
    """A JSON array."""
    if not isinstance(value, list):
        raise invalid_param(name, f"{name} is not of type array.", "rest_invalid_type")
    return value
