"""tap-netsuite-inventory: items, stock, prices and sales orders from NetSuite over SuiteQL."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests
from requests.auth import AuthBase
from singer_sdk import Stream, Tap
from singer_sdk import typing as th
from singer_sdk.exceptions import ConfigValidationError
from typing_extensions import override

from tap_netsuite_inventory import streams
from tap_netsuite_inventory.auth import (
    ACCOUNT_SETTINGS,
    ClientCredentialsAuth,
    signing_algorithm,
    token_based_auth,
)
from tap_netsuite_inventory.limits import ConcurrencyLimit, LimitedAdapter, limited_session
from tap_netsuite_inventory.suiteql import is_identifier

TBA_SETTINGS = ("consumer_key", "consumer_secret", "token_id", "token_secret")
M2M_SETTINGS = ("client_id", "certificate_id", "private_key")
#: Rows SuiteQL reaches by offset before a query must page by key.
OFFSET_CAP = 100_000
_ACCOUNT_ID = re.compile(r"^[0-9A-Za-z_-]+$")


def account_host(account_id: str) -> str:
    """The host form of an account id: lower case, `_` as `-` (`1234567_SB1` -> `1234567-sb1`)."""
    return account_id.lower().replace("_", "-")


class TapNetSuiteInventory(Tap):
    """Singer tap for NetSuite items, inventory levels, sales orders, locations and price levels."""

    name = "tap-netsuite-inventory"
    #: First wait before a retry; the waits double from there (Retry-After wins when given).
    backoff_base_seconds = 1.0

    config_jsonschema = th.PropertiesList(
        *ACCOUNT_SETTINGS,
        th.Property(
            "start_date",
            th.DateTimeType,
            title="Start Date",
            description="Read records last modified after this time on the first run; "
            "later runs start from the bookmark. Empty reads everything.",
        ),
        th.Property(
            "account_time_zone",
            th.StringType,
            required=True,
            title="Account Time Zone",
            description="IANA time zone of the account (Setup > Company > Preferences > "
            "Time Zone), such as America/Los_Angeles. SuiteQL shows and compares "
            "last-modified times in it; a wrong value shifts every bookmark.",
        ),
        th.Property(
            "cursor_overlap_seconds",
            th.IntegerType(minimum=0, maximum=86400),
            default=300,
            title="Cursor Overlap (seconds)",
            description="Each run re-reads this many seconds before the bookmark, so a change "
            "at the boundary or under clock skew is never lost; what was already emitted is "
            "recognised and not emitted again.",
        ),
        th.Property(
            "store_price_level",
            th.StringType,
            default="Base Price",
            title="Store Price Level",
            description="Price level whose unit price is the item's `price`: its name "
            "(Online Price) or internal id (2).",
        ),
        th.Property(
            "compare_at_price_level",
            th.StringType,
            title="Compare-at Price Level",
            description="Price level whose unit price is the item's `compare_at_price` (the "
            "struck-through price), such as MSRP; empty leaves it null.",
        ),
        th.Property(
            "currency",
            th.StringType,
            default="USD",
            title="Price Currency",
            description="ISO code of the currency of NetSuite's item prices (the base "
            "currency of the subsidiary whose price levels are read).",
        ),
        th.Property(
            "location_mapping",
            th.ObjectType(additional_properties=th.StringType),
            title="Location Mapping",
            description="NetSuite location internal id -> the store's location, such as "
            '{"1": "main"}. Several NetSuite locations may map to one store location; their '
            "quantities are added up. When set, stock of unmapped locations is not emitted "
            "and is reported in the log; when empty, every location is emitted under its "
            "NetSuite id.",
        ),
        th.Property(
            "item_types",
            th.ArrayType(th.StringType),
            default=["InvtPart"],
            title="Item Types",
            description="NetSuite item types read into `items`, such as InvtPart, Assembly, "
            "Kit, NonInvtPart, Service. Active and inactive items are both read.",
        ),
        th.Property(
            "page_size",
            th.IntegerType(minimum=1, maximum=1000),
            default=1000,
            title="Page Size",
            description="Rows per SuiteQL page (NetSuite allows at most 1000).",
        ),
        th.Property(
            "max_concurrent_requests",
            th.IntegerType(minimum=1, maximum=50),
            default=2,
            title="Max Concurrent Requests",
            description="Requests the tap keeps in flight at once. NetSuite's limit is per "
            "account and shared with every other integration (5 on the base tier, +10 per "
            "SuiteCloud Plus licence): leave room for the others.",
        ),
        th.Property(
            "suiteql_offset_cap",
            th.IntegerType(minimum=1, maximum=OFFSET_CAP),
            default=OFFSET_CAP,
            title="SuiteQL Offset Cap",
            description="Rows SuiteQL reaches by offset (100000 in NetSuite); past them the "
            "tap pages by key. Lower it only to exercise key paging on a small account.",
        ),
    ).to_dict()

    @override
    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        errors = super()._validate_config(raise_errors=raise_errors)
        if errors:
            return errors
        errors = _cross_field_errors(self.config)
        if errors and raise_errors:
            raise ConfigValidationError("Config validation failed", errors=errors)
        for error in errors:
            self.logger.warning("%s", error)
        return errors

    @override
    def discover_streams(self) -> list[Stream]:
        return [
            streams.ItemsStream(self),
            streams.InventoryLevelsStream(self),
            streams.OrdersStream(self),
            streams.LocationsStream(self),
            streams.PriceLevelsStream(self),
        ]

    # What every stream shares.

    @cached_property
    def base_url(self) -> str:
        """SuiteTalk REST base, without a trailing slash."""
        configured = self.config.get("base_url")
        if configured:
            return str(configured).rstrip("/")
        host = account_host(self.config["account_id"])
        return f"https://{host}.suitetalk.api.netsuite.com/services/rest"

    @cached_property
    def concurrency(self) -> ConcurrencyLimit:
        """The one limit on requests in flight."""
        return ConcurrencyLimit(self.config.get("max_concurrent_requests", 2))

    @cached_property
    def session(self) -> requests.Session:
        """The HTTP session of the API requests, sent through the concurrency limit."""
        return self._limited_session()

    @cached_property
    def token_session(self) -> requests.Session:
        """The session of OAuth 2.0 token requests: same limit, no API authentication."""
        return self._limited_session()

    def _limited_session(self) -> requests.Session:
        return limited_session(self._adapter)

    @cached_property
    def _adapter(self) -> LimitedAdapter:
        return LimitedAdapter(self.concurrency)

    @cached_property
    def authenticator(self) -> AuthBase:
        """Token-based or OAuth 2.0 client credentials, whichever the settings give."""
        config = self.config
        if all(config.get(name) for name in TBA_SETTINGS):
            return token_based_auth(
                config["account_id"],
                config["consumer_key"],
                config["consumer_secret"],
                config["token_id"],
                config["token_secret"],
            )
        return ClientCredentialsAuth(
            token_url=f"{self.base_url}/auth/oauth2/v1/token",
            client_id=config["client_id"],
            certificate_id=config["certificate_id"],
            private_key_pem=config["private_key"],
            send=self.token_session.post,
        )

    @property
    def auth_method_description(self) -> str:
        """Which credentials are in use, by setting name, for error messages."""
        if all(self.config.get(name) for name in TBA_SETTINGS):
            return "token-based: " + ", ".join(TBA_SETTINGS)
        return "OAuth 2.0 client credentials: " + ", ".join(M2M_SETTINGS)

    @property
    def offset_cap(self) -> int:
        """Rows reachable by offset; streams page by key past it."""
        return int(self.config.get("suiteql_offset_cap", OFFSET_CAP))


def _cross_field_errors(config: dict[str, Any]) -> list[str]:
    """What the JSON schema cannot say about a configuration, one actionable line each."""
    errors: list[str] = []
    account_id = str(config.get("account_id", ""))
    if not _ACCOUNT_ID.match(account_id):
        errors.append(
            "account_id must be the account id as NetSuite shows it (letters, digits, _ "
            "and -), such as 1234567_SB1"
        )
    errors.extend(_auth_errors(config))

    base_url = config.get("base_url")
    if base_url:
        parsed = urlparse(str(base_url))
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            errors.append(
                "base_url must be an http(s) URL ending in /services/rest, such as "
                "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest"
            )
    try:
        ZoneInfo(str(config.get("account_time_zone", "")))
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(
            "account_time_zone must be an IANA time zone name such as America/Los_Angeles, "
            f"got {config.get('account_time_zone')!r}"
        )
    for name in ("store_price_level", "compare_at_price_level"):
        level = config.get(name)
        if level is not None and not str(level).strip():
            errors.append(f"{name} must name a price level or give its internal id")
    for location in config.get("location_mapping") or {}:
        if not str(location).isdigit():
            errors.append(
                f"location_mapping keys are NetSuite location internal ids (digits), got "
                f"{location!r}"
            )
    page_size = int(config.get("page_size", 1000))
    offset_cap = int(config.get("suiteql_offset_cap", OFFSET_CAP))
    if page_size > offset_cap:
        errors.append(
            f"page_size ({page_size}) cannot be larger than suiteql_offset_cap ({offset_cap})"
        )
    item_types = config.get("item_types", ["InvtPart"])
    if not item_types:
        errors.append("item_types must list at least one item type, such as InvtPart")
    for item_type in item_types:
        if not is_identifier(str(item_type)):
            errors.append(
                f"item_types holds {item_type!r}; item types are words such as InvtPart, "
                "Assembly or Kit"
            )
    return errors


def _auth_errors(config: dict[str, Any]) -> list[str]:
    tba_given = [name for name in TBA_SETTINGS if config.get(name)]
    m2m_given = [name for name in M2M_SETTINGS if config.get(name)]
    if tba_given and m2m_given:
        return [
            "give either token-based credentials (consumer_key, consumer_secret, token_id, "
            "token_secret) or OAuth 2.0 client credentials (client_id, certificate_id, "
            "private_key), not both; both are set now"
        ]
    if tba_given and len(tba_given) < len(TBA_SETTINGS):
        missing = [name for name in TBA_SETTINGS if name not in tba_given]
        return [f"token-based authentication is missing {', '.join(missing)}"]
    if m2m_given and len(m2m_given) < len(M2M_SETTINGS):
        missing = [name for name in M2M_SETTINGS if name not in m2m_given]
        return [f"OAuth 2.0 client credentials are missing {', '.join(missing)}"]
    if not tba_given and not m2m_given:
        return [
            "no credentials: set consumer_key, consumer_secret, token_id and token_secret "
            "(token-based authentication) or client_id, certificate_id and private_key "
            "(OAuth 2.0 client credentials)"
        ]
    if m2m_given:
        try:
            signing_algorithm(str(config["private_key"]))
        except ValueError as error:
            return [str(error)]
    return []


if __name__ == "__main__":
    TapNetSuiteInventory.cli()
