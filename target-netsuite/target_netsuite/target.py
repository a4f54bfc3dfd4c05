"""target-netsuite: store orders into NetSuite sales orders exactly once, and store content back."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from requests.auth import AuthBase
from singer_sdk import Sink, Target
from singer_sdk import typing as th
from singer_sdk.exceptions import ConfigValidationError
from typing_extensions import override

from sync_model.ownership import FieldOwnership, OwnershipError
from sync_model.streams import ITEM_FIELDS
from sync_model.violations import DEFAULT_VIOLATIONS_PATH, ViolationLog
from tap_netsuite_inventory.auth import (
    ACCOUNT_SETTINGS,
    ClientCredentialsAuth,
    signing_algorithm,
    token_based_auth,
)
from tap_netsuite_inventory.limits import ConcurrencyLimit, LimitedAdapter, limited_session
from tap_netsuite_inventory.tap import account_host
from target_netsuite.client import NetSuiteClient
from target_netsuite.orders import LocationMap, SalesOrderImporter
from target_netsuite.retry_queue import DEFAULT_RETRY_QUEUE_PATH, RetryQueue
from target_netsuite.sinks import ItemContentSink, SalesOrderSink, UnwrittenStreamSink

TBA_SETTINGS = ("consumer_key", "consumer_secret", "token_id", "token_secret")
M2M_SETTINGS = ("client_id", "certificate_id", "private_key")
DEFAULT_CLOCK_FIELD = "custitem_sync_clocks"
_ACCOUNT_ID = re.compile(r"^[0-9A-Za-z_-]+$")
_FIELD_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class TargetNetSuite(Target):
    """Singer target writing store orders as NetSuite sales orders and store content to items."""

    name = "target-netsuite"
    default_sink_class = UnwrittenStreamSink

    config_jsonschema = th.PropertiesList(
        *ACCOUNT_SETTINGS,
        th.Property(
            "location_mapping",
            th.ObjectType(additional_properties=th.StringType),
            title="Location Mapping",
            description="Store location id -> NetSuite location internal id, such as "
            '{"main": "1"} (WooCommerce) or {"gid://shopify/Location/70000001": "1"}: the '
            "NetSuite location whose stock a sales-order line commits. Empty: lines carry no "
            "location and commit no stock.",
        ),
        th.Property(
            "order_location",
            th.StringType,
            title="Order Location",
            description="Store location of order lines that name none (the store's orders "
            "carry no location per line). Defaults to the only key of location_mapping.",
        ),
        th.Property(
            "guest_customer_id",
            th.StringType,
            title="Guest Customer ID",
            description="Internal id of the NetSuite customer that orders without an e-mail "
            "address are entered under. Empty: such orders are kept for retry and reported.",
        ),
        th.Property(
            "retry_queue_path",
            th.StringType,
            default=str(DEFAULT_RETRY_QUEUE_PATH),
            title="Retry Queue Path",
            description="SQLite file keeping the orders NetSuite has not taken (unknown SKU, "
            "rejected, unreachable) until a later run lands them. Relative to the working "
            "directory (the Meltano project).",
        ),
        th.Property(
            "ownership_path",
            th.StringType,
            default="ownership.yml",
            title="Ownership File",
            description="The suite's ownership.yml: which system owns each item field. In "
            "two_way mode the store's own fields of the items stream are written to NetSuite.",
        ),
        th.Property(
            "violations_path",
            th.StringType,
            default=str(DEFAULT_VIOLATIONS_PATH),
            title="Violations Log Path",
            description="JSON-lines log of ownership violations (a store-owned field edited "
            "in NetSuite), shared with target-storefront and reconcile.",
        ),
        th.Property(
            "item_field_mapping",
            th.ObjectType(additional_properties=th.StringType),
            default={"description": "description"},
            title="Item Field Mapping",
            description="Two-way mode: synced field -> NetSuite item field id that holds it, "
            'such as {"description": "description", "short_description": '
            '"custitem_short_description"}. Store-owned fields not listed are not written '
            "(and counted). Lists (categories, images) are kept as JSON text.",
        ),
        th.Property(
            "clock_field",
            th.StringType,
            default=DEFAULT_CLOCK_FIELD,
            title="Clock Field",
            description="Two-way mode: long-text custom item field holding the field clocks "
            "(time and hash of what the target last wrote per field).",
        ),
        th.Property(
            "batch_size",
            th.IntegerType(minimum=1, maximum=1000),
            default=200,
            title="Batch Size",
            description="Records per batch: each batch costs a few SuiteQL look-ups, then one "
            "upsert per order that changed.",
        ),
        th.Property(
            "max_concurrent_requests",
            th.IntegerType(minimum=1, maximum=50),
            default=2,
            title="Max Concurrent Requests",
            description="Requests the target keeps in flight at once. NetSuite's limit is per "
            "account and shared with every other integration (5 on the base tier, +10 per "
            "SuiteCloud Plus licence): leave room for the others.",
        ),
        th.Property(
            "request_timeout",
            th.IntegerType(minimum=1),
            default=300,
            title="Request Timeout (seconds)",
            description="Seconds to wait for an answer before trying the request again.",
        ),
        th.Property(
            "max_tries",
            th.IntegerType(minimum=1, maximum=20),
            default=8,
            title="Max Tries",
            description="Attempts per request on 429, 5xx and dropped connections; an order "
            "still not taken is kept for the next run.",
        ),
    ).to_dict()

    #: First wait before a retry; the waits double from there (Retry-After wins when given).
    backoff_base_seconds = 1.0

    @override
    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        errors = super()._validate_config(raise_errors=raise_errors)
        if errors:
            return errors
        errors = config_errors(self.config)
        if errors and raise_errors:
            raise ConfigValidationError("Config validation failed", errors=errors)
        for error in errors:
            self.logger.warning("%s", error)
        return errors

    @override
    def get_sink_class(self, stream_name: str) -> type[Sink]:
        if stream_name == "orders":
            return SalesOrderSink
        if stream_name == "items":
            return ItemContentSink
        return UnwrittenStreamSink

    # What every sink shares.

    @property
    def base_url(self) -> str:
        """SuiteTalk REST base URL, from the setting or the account id."""
        configured = self.config.get("base_url")
        if configured:
            return str(configured).rstrip("/")
        host = account_host(str(self.config["account_id"]))
        return f"https://{host}.suitetalk.api.netsuite.com/services/rest"

    @property
    def workers(self) -> int:
        """Requests sent at once."""
        return int(self.config.get("max_concurrent_requests", 2))

    @cached_property
    def concurrency(self) -> ConcurrencyLimit:
        """The one limit every request of the target goes through."""
        return ConcurrencyLimit(self.workers)

    @cached_property
    def authenticator(self) -> AuthBase:
        """Token-based or OAuth 2.0 client-credentials authentication, by the settings given."""
        config = self.config
        if all(config.get(name) for name in TBA_SETTINGS):
            return token_based_auth(
                str(config["account_id"]),
                *(str(config[name]) for name in TBA_SETTINGS),
            )
        return ClientCredentialsAuth(
            token_url=f"{self.base_url}/auth/oauth2/v1/token",
            client_id=str(config["client_id"]),
            certificate_id=str(config["certificate_id"]),
            private_key_pem=str(config["private_key"]),
            send=limited_session(LimitedAdapter(self.concurrency)).post,
        )

    @cached_property
    def client(self) -> NetSuiteClient:
        """The account's client."""
        if all(self.config.get(name) for name in TBA_SETTINGS):
            hint = "token-based: " + ", ".join(TBA_SETTINGS)
        else:
            hint = "OAuth 2.0 client credentials: " + ", ".join(M2M_SETTINGS)
        return NetSuiteClient(
            base_url=self.base_url,
            session=limited_session(LimitedAdapter(self.concurrency)),
            auth=self.authenticator,
            account_id=str(self.config["account_id"]),
            credentials_hint=hint,
            max_tries=int(self.config.get("max_tries", 8)),
            backoff_base_seconds=self.backoff_base_seconds,
            timeout_seconds=float(self.config.get("request_timeout", 300)),
        )

    @cached_property
    def importer(self) -> SalesOrderImporter:
        """Imports orders; its SKU, customer and currency caches last the run."""
        mapping = {str(k): str(v) for k, v in (self.config.get("location_mapping") or {}).items()}
        order_location = self.config.get("order_location")
        if order_location is None and len(mapping) == 1:
            order_location = next(iter(mapping))
        if not mapping:
            self.logger.warning(
                "location_mapping is empty: sales-order lines carry no location and commit no "
                "stock in NetSuite"
            )
        return SalesOrderImporter(
            client=self.client,
            locations=LocationMap(mapping, order_location),
            guest_customer_id=self.config.get("guest_customer_id"),
            workers=self.workers,
        )

    @cached_property
    def retry_queue(self) -> RetryQueue:
        """The durable queue of orders NetSuite has not taken yet."""
        return RetryQueue(Path(self.config.get("retry_queue_path", DEFAULT_RETRY_QUEUE_PATH)))

    @cached_property
    def ownership(self) -> FieldOwnership:
        """Who owns each synced field, from ownership.yml."""
        return FieldOwnership.load(Path(self.config.get("ownership_path", "ownership.yml")))

    @cached_property
    def violation_log(self) -> ViolationLog:
        """Where ownership violations are recorded."""
        return ViolationLog(Path(self.config.get("violations_path", DEFAULT_VIOLATIONS_PATH)))

    @property
    def item_field_mapping(self) -> dict[str, str]:
        """Synced field -> NetSuite item field id."""
        mapping = self.config.get("item_field_mapping") or {"description": "description"}
        return {str(name): str(field).lower() for name, field in mapping.items()}

    @property
    def clock_field(self) -> str:
        """The custom item field holding the field clocks."""
        return str(self.config.get("clock_field", DEFAULT_CLOCK_FIELD)).lower()


def config_errors(config: dict[str, Any]) -> list[str]:
    """What the JSON schema cannot say about a configuration, one actionable line each."""
    errors: list[str] = []
    if not _ACCOUNT_ID.match(str(config.get("account_id", ""))):
        errors.append(
            "account_id must be the account id as NetSuite shows it (letters, digits, _ and "
            "-), such as 1234567_SB1"
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
    mapping = config.get("location_mapping") or {}
    for store_location, netsuite_location in mapping.items():
        if not str(netsuite_location).isdigit():
            errors.append(
                f"location_mapping maps store location {store_location!r} to "
                f"{netsuite_location!r}; values are NetSuite location internal ids (digits)"
            )
    order_location = config.get("order_location")
    if order_location is not None and order_location not in mapping:
        errors.append(f"order_location {order_location!r} is not a key of location_mapping")
    if order_location is None and len(mapping) > 1:
        errors.append(
            "location_mapping has several store locations: set order_location to the one the "
            "store's orders are fulfilled from"
        )
    guest = config.get("guest_customer_id")
    if guest is not None and not str(guest).isdigit():
        errors.append("guest_customer_id must be a NetSuite customer internal id (digits)")
    for name, field in (config.get("item_field_mapping") or {}).items():
        if name not in ITEM_FIELDS:
            errors.append(
                f"item_field_mapping names {name!r}; synced item fields are "
                f"{', '.join(ITEM_FIELDS)}"
            )
        if not _FIELD_ID.match(str(field).lower()):
            errors.append(f"item_field_mapping: {field!r} is not a NetSuite field id")
    if not _FIELD_ID.match(str(config.get("clock_field", DEFAULT_CLOCK_FIELD)).lower()):
        errors.append("clock_field must be a custom item field id such as custitem_sync_clocks")
    try:
        FieldOwnership.load(Path(config.get("ownership_path", "ownership.yml")))
    except OwnershipError as error:
        errors.append(f"ownership_path: {error}")
    return errors


def _auth_errors(config: dict[str, Any]) -> list[str]:
    tba_given = [name for name in TBA_SETTINGS if config.get(name)]
    m2m_given = [name for name in M2M_SETTINGS if config.get(name)]
    if tba_given and m2m_given:
        return [
            "give either token-based credentials (consumer_key, consumer_secret, token_id, "
            "token_secret) or OAuth 2.0 client credentials (client_id, certificate_id, "
            "private_key), not both"
        ]
    if not tba_given and not m2m_given:
        return [
            "no credentials: set consumer_key, consumer_secret, token_id and token_secret "
            "(token-based authentication) or client_id, certificate_id and private_key "
            "(OAuth 2.0 client credentials)"
        ]
    given, expected, kind = (
        (tba_given, TBA_SETTINGS, "token-based authentication")
        if tba_given
        else (m2m_given, M2M_SETTINGS, "OAuth 2.0 client credentials")
    )
    missing = [name for name in expected if name not in given]
    if missing:
        return [f"{kind} is missing {', '.join(missing)}"]
    if m2m_given:
        try:
            signing_algorithm(str(config["private_key"]))
        except ValueError as error:
            return [str(error)]
    return []


if __name__ == "__main__":
    TargetNetSuite.cli()
