"""Store time: WordPress keeps every date twice, in the store's time zone and in GMT.

Posts carry `post_date` / `post_date_gmt` and `post_modified` / `post_modified_gmt`; the REST
API shows them as `date_*` (store local) and `date_*_gmt`, both as "YYYY-MM-DDTHH:MM:SS"
without an offset, to the second.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

#: What `rest_parse_date` accepts for a `date-time` argument (RFC 3339, offset optional).
_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)

_FORMAT = "%Y-%m-%dT%H:%M:%S"


class StoreTime:
    """Converts between UTC instants and the two forms WordPress stores.

    Args:
        time_zone: The store's IANA time zone (WordPress Settings > General).
    """

    def __init__(self, time_zone: str) -> None:
        self.zone = ZoneInfo(time_zone)

    def gmt(self, moment: datetime) -> str:
        """The GMT form of an aware instant, to the second."""
        return moment.astimezone(UTC).strftime(_FORMAT)

    def local(self, moment: datetime) -> str:
        """The store-local form of an aware instant, to the second."""
        return moment.astimezone(self.zone).strftime(_FORMAT)

    def local_from_gmt(self, gmt: str | None) -> str | None:
        """The store-local form of a stored GMT date."""
        if gmt is None:
            return None
        moment = datetime.fromisoformat(gmt).replace(tzinfo=UTC)
        return self.local(moment)

    def gmt_offset_hours(self, moment: datetime) -> float:
        """The store's offset from GMT at an instant, in hours (WordPress `gmt_offset`)."""
        offset = moment.astimezone(self.zone).utcoffset()
        return offset.total_seconds() / 3600 if offset else 0.0

    def query_bound(self, value: str) -> str | None:
        """A `before`/`after` argument as `WP_Date_Query` compares it, or None if invalid.

        WordPress compares the bound with the chosen column (`post_modified` when
        `dates_are_gmt` is false, `post_modified_gmt` when true) as written. A bound that
        carries an offset ("Z", "+02:00") is first converted to store-local time,
        whichever column it is compared with: that is what `WP_Date_Query::
        build_mysql_datetime` does, so a UTC bound with `dates_are_gmt=true` is shifted by
        the store's offset on a real store too.
        """
        match = _RFC3339.match(value.strip())
        if match is None:
            return None
        year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
        try:
            moment = datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None

        offset = match.group(8)
        if offset is None:
            return moment.strftime(_FORMAT)
        aware = datetime.fromisoformat(moment.strftime(_FORMAT) + _iso_offset(offset))
        return self.local(aware)

    def parse_input(self, value: str, is_gmt: bool) -> str | None:
        """A date written by a client (`date_created`, `date_paid_gmt`, ...) as stored GMT."""
        match = _RFC3339.match(value.strip())
        if match is None:
            return None
        naive = datetime(*(int(part) for part in match.groups()[:6]))
        offset = match.group(8)
        if offset is not None:
            aware = datetime.fromisoformat(naive.strftime(_FORMAT) + _iso_offset(offset))
        elif is_gmt:
            aware = naive.replace(tzinfo=UTC)
        else:
            aware = naive.replace(tzinfo=self.zone)
        return self.gmt(aware)


def _iso_offset(offset: str) -> str:
    if offset in ("Z", "z"):
        return "+00:00"
    digits = offset[1:].replace(":", "")
    return f"{offset[0]}{digits[:2]}:{digits[2:4] or '00'}"
