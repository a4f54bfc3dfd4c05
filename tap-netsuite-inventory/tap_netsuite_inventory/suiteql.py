"""What SuiteQL sends back, turned into real types, and what the tap writes into a query.

SuiteQL answers every scalar as a JSON string (`"107"`, `"125.5"`, `"-2"`), booleans as
`"T"`/`"F"`, omits null columns from the row altogether, and renders times as text in the
account's time zone (the tap selects them with `TO_CHAR(..., 'YYYY-MM-DD HH24:MI:SS')`). The
functions here are the only place the tap reads those quirks; amounts and quantities go through
`sync_model.values` so every plugin parses them alike.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

#: The format every time column is selected in, as Oracle and Python spell it.
ORACLE_TIME_FORMAT = "YYYY-MM-DD HH24:MI:SS"
PYTHON_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

_FLAGS = {"T": True, "F": False, "true": True, "false": False}
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class SuiteQLValueError(ValueError):
    """A SuiteQL value the tap cannot read; the message names the column and the value."""


def to_flag(value: object, *, column: str) -> bool | None:
    """Read a SuiteQL boolean: `"T"` is True, `"F"` False, an omitted column None.

    Raises:
        SuiteQLValueError: The value is neither T nor F.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    try:
        return _FLAGS[str(value)]
    except KeyError:
        raise SuiteQLValueError(f"{column}: expected T or F, got {value!r}") from None


def to_text(value: object) -> str | None:
    """A text column as text; an omitted or empty column is None."""
    if value is None or value == "":
        return None
    return str(value)


class AccountClock:
    """Converts between UTC and the wall-clock time SuiteQL shows in the account's time zone.

    NetSuite renders `TO_CHAR(lastmodifieddate, ...)` and compares `TO_TIMESTAMP(...)` literals
    in the time zone of the account (Setup > Company > Preferences), so a bookmark kept in UTC
    is converted both ways. A wall-clock time that a daylight-saving change makes ambiguous is
    read as the earlier of its two instants; the cursor overlap covers the hour in question.

    Args:
        time_zone: The account's IANA time zone, such as `America/Los_Angeles`.
    """

    def __init__(self, time_zone: str) -> None:
        self.zone = ZoneInfo(time_zone)

    def to_utc(self, value: object, *, column: str) -> datetime | None:
        """Read a time selected with `ORACLE_TIME_FORMAT` as an aware UTC datetime.

        Raises:
            SuiteQLValueError: The text is not in the selected format.
        """
        if value is None or value == "":
            return None
        try:
            local = datetime.strptime(str(value), PYTHON_TIME_FORMAT)
        except ValueError:
            raise SuiteQLValueError(
                f"{column}: expected a time like 2026-01-31 23:59:59, got {value!r}"
            ) from None
        return local.replace(tzinfo=self.zone).astimezone(UTC)

    def literal(self, moment: datetime) -> str:
        """A `TO_TIMESTAMP` literal for an aware time, in the account's wall-clock time."""
        local = moment.astimezone(self.zone).strftime(PYTHON_TIME_FORMAT)
        return f"TO_TIMESTAMP('{local}', '{ORACLE_TIME_FORMAT}')"

    def select(self, column: str, alias: str) -> str:
        """A select-list entry that renders a time column in the format `to_utc` reads."""
        return f"TO_CHAR({column}, '{ORACLE_TIME_FORMAT}') AS {alias}"


def quote(value: str) -> str:
    """A SuiteQL string literal; a quote inside the value is doubled."""
    return "'" + value.replace("'", "''") + "'"


def is_identifier(value: str) -> bool:
    """Whether a value may stand in a query as a bare word (an item type such as `InvtPart`)."""
    return bool(_IDENTIFIER.match(value))


def whole_seconds(moment: datetime) -> datetime:
    """A time cut to the second, as NetSuite keeps last-modified times."""
    return moment - timedelta(microseconds=moment.microsecond)
