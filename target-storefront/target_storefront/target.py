"""The target: settings, start-up checks, and the objects the sinks share."""

from __future__ import annotations

import re
from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import Any

from singer_sdk import Target
from singer_sdk import typing as th
from singer_sdk.exceptions import ConfigValidationError
from singer_sdk.sinks import Sink
from typing_extensions import override

from sync_model.ownership import FieldOwnership, OwnershipError, OwnershipFilter
from sync_model.violations import DEFAULT_VIOLATIONS_PATH, ViolationLog
from target_storefront.inventory import DEFAULT_LEDGER_PATH, Ledger
from target_storefront.planning import DryRunReport, Planner
from target_storefront.shopify.writer import DEFAULT_API_VERSION, ShopifyStore
from target_storefront.sinks import InventoryLevelsSink, ItemsSink, OrdersSink, StoreSink
from target_storefront.store import Store
from target_storefront.woocommerce.writer import WooCommerceStore

PLATFORMS = ("woocommerce", "shopify")
_API_VERSION = re.compile(r"^\d{4}-(01|04|07|10)$")
_REQUIRED_BY_PLATFORM = {
    "woocommerce": ("consumer_key", "consumer_secret"),
    "shopify": ("access_token",),
}
DEFAULT_DRY_RUN_OUTPUT = Path(".meltano") / "inventory-sync" / "target-storefront-plan.jsonl"


class TargetStorefront(Target):
    """Writes NetSuite's items, prices and stock to a WooCommerce or Shopify store."""

    name = "target-storefront"

    config_jsonschema = th.PropertiesList(
        th.Property(
            "platform",
            th.StringType(allowed_values=list(PLATFORMS)),
            required=True,
            title="Platform",
            description="The store's platform: `woocommerce` or `shopify`.",
        ),
        th.Property(
            "base_url",
            th.URIType,
            required=True,
            title="Store URL",
            description=(
                "WooCommerce: the site URL (the REST API is under /wp-json/wc/v3). Shopify: the "
                "shop URL, such as https://{shop}.myshopify.com."
            ),
        ),
        th.Property(
            "consumer_key",
            th.StringType,
            secret=True,
            title="WooCommerce consumer key",
            description="REST API consumer key (ck_...) with read/write access.",
        ),
        th.Property(
            "consumer_secret",
            th.StringType,
            secret=True,
            title="WooCommerce consumer secret",
            description="REST API consumer secret (cs_...).",
        ),
        th.Property(
            "stock_location",
            th.StringType,
            default="main",
            title="WooCommerce stock location",
            description=(
                "WooCommerce keeps one stock figure per product: the store location id it "
                "stands for, as tap-netsuite-inventory's location_mapping names it."
            ),
        ),
        th.Property(
            "access_token",
            th.StringType,
            secret=True,
            title="Shopify access token",
            description=(
                "Admin API access token (shpat_...) with write_products, write_inventory, "
                "read_locations and read_orders scopes."
            ),
        ),
        th.Property(
            "api_version",
            th.StringType,
            default=DEFAULT_API_VERSION,
            title="Shopify API version",
            description="Admin API version, YYYY-MM (a quarter: 01, 04, 07 or 10).",
        ),
        th.Property(
            "ownership_path",
            th.StringType,
            default="ownership.yml",
            title="Ownership file",
            description="The suite's ownership.yml: who owns each synced field.",
        ),
        th.Property(
            "violations_path",
            th.StringType,
            default=str(DEFAULT_VIOLATIONS_PATH),
            title="Violations log",
            description=(
                "JSON-lines log where edits of NetSuite-owned fields made in the store are "
                "recorded for reconcile."
            ),
        ),
        th.Property(
            "ledger_path",
            th.StringType,
            default=str(DEFAULT_LEDGER_PATH),
            title="Ledger file",
            description=(
                "SQLite file keeping, run over run, the store orders NetSuite has imported and "
                "the NetSuite time of the stock last applied. If it is lost, every open store "
                "order counts as not imported (the store shows less, never more)."
            ),
        ),
        th.Property(
            "order_locations",
            th.ArrayType(th.StringType),
            title="Order locations",
            description=(
                "Store location ids whose stock online orders take. Empty: WooCommerce's stock "
                "location; on Shopify every location (an order's quantity is kept off each, "
                "which is safe but shows less than there is at other locations)."
            ),
        ),
        th.Property(
            "open_orders_lookback_days",
            th.IntegerType(minimum=1),
            default=90,
            title="Open-order look-back (days)",
            description=(
                "Open store orders created within this many days are checked against NetSuite's "
                "imported orders; older open orders are assumed imported, so keep it longer than "
                "any order waits before NetSuite imports it."
            ),
        ),
        th.Property(
            "safety_stock",
            th.IntegerType(minimum=0),
            default=0,
            title="Safety stock",
            description="Units held back at every location: the store shows this many fewer.",
        ),
        th.Property(
            "publish_new_items",
            th.BooleanType,
            default=False,
            title="Publish new items",
            description="Create items new to the store published instead of as drafts.",
        ),
        th.Property(
            "dry_run",
            th.BooleanType,
            default=False,
            title="Dry run",
            description=(
                "Write nothing; print the planned changes (sku, field, store value, new value, "
                "why) and write them as JSON lines to `dry_run_output`."
            ),
        ),
        th.Property(
            "dry_run_output",
            th.StringType,
            default=str(DEFAULT_DRY_RUN_OUTPUT),
            title="Dry-run output",
            description="File the planned changes of a dry run are written to, one JSON a line.",
        ),
        th.Property(
            "request_timeout",
            th.IntegerType(minimum=1),
            default=60,
            title="Request timeout",
            description="Seconds to wait for the store's answer before the request is retried.",
        ),
    ).to_dict()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_parallelism = 1
        self.counts: Counter[str] = Counter()
        self.rejected: Counter[str] = Counter()
        if not self.config.get("platform"):
            return  # --about and the like need no store
        self._check_settings()
        self.ownership_filter = OwnershipFilter(self.ownership)
        self.planner = Planner(
            self.ownership_filter,
            self.store.supported_fields,
            unpublishes_variants=self.store.unpublishes_variants,
        )
        self.violation_log = ViolationLog(Path(self.config["violations_path"]))

    def _check_settings(self) -> None:
        config = self.config
        platform = config["platform"]
        missing = [name for name in _REQUIRED_BY_PLATFORM[platform] if not config.get(name)]
        if missing:
            raise ConfigValidationError(
                f"platform {platform} needs {', '.join(missing)}",
                errors=[f"missing setting {name}" for name in missing],
            )
        version = str(config.get("api_version") or DEFAULT_API_VERSION)
        if platform == "shopify" and not _API_VERSION.match(version):
            raise ConfigValidationError(
                f"api_version must be YYYY-MM with a quarter month (01, 04, 07, 10), "
                f"got {version!r}"
            )
        try:
            self.ownership = FieldOwnership.load(Path(config["ownership_path"]))
        except OwnershipError as error:
            raise ConfigValidationError(f"ownership_path: {error}") from None

    @cached_property
    def store(self) -> Store:
        """The platform writer."""
        if self.config["platform"] == "shopify":
            return ShopifyStore(dict(self.config), self.logger)
        return WooCommerceStore(dict(self.config), self.logger)

    @cached_property
    def store_locations(self) -> set[str]:
        """The store's location ids (read once)."""
        return self.store.locations()

    @cached_property
    def ledger(self) -> Ledger:
        """The imported-orders and stock-clock ledger."""
        return Ledger(Path(self.config["ledger_path"]))

    @cached_property
    def dry_run_report(self) -> DryRunReport | None:
        """Where a dry run's plan goes; None when the run writes."""
        if not self.config.get("dry_run"):
            return None
        return DryRunReport.to_file(self.logger, Path(self.config["dry_run_output"]))

    @property
    def order_locations(self) -> list[str]:
        """The store locations whose stock online orders take."""
        configured = self.config.get("order_locations")
        if configured:
            return list(configured)
        return sorted(self.store_locations)

    @property
    def lookback_days(self) -> int:
        """Days of open store orders checked against NetSuite's imports."""
        return int(self.config.get("open_orders_lookback_days", 90))

    @property
    def safety_stock(self) -> int:
        """Units held back at every location."""
        return int(self.config.get("safety_stock", 0))

    @override
    def get_sink_class(self, stream_name: str) -> type[Sink]:
        """Items, inventory levels and orders; other streams of the tap are ignored."""
        return {
            "items": ItemsSink,
            "inventory_levels": InventoryLevelsSink,
            "orders": OrdersSink,
        }.get(stream_name, IgnoredStreamSink)

    @override
    def process_endofpipe(self) -> None:
        """Write what is left (stock comes last), close the ledger and log what was done."""
        super().process_endofpipe()
        if not self.config.get("platform"):
            return
        if "ledger" in self.__dict__:
            self.ledger.close()
        if self.dry_run_report is not None:
            self.dry_run_report.output.close()
        self.planner.log_counts(self.logger)
        for stream, count in sorted(self.rejected.items()):
            self.logger.warning("%s: %d record(s) rejected (see the errors above)", stream, count)
        summary = ", ".join(f"{count} {name}" for name, count in sorted(self.counts.items()))
        self.logger.info(
            "target-storefront: %s; %d write call(s) to %s%s",
            summary or "nothing to do",
            self.store.write_calls,
            self.config["platform"],
            " (dry run: nothing written)" if self.dry_run_report else "",
        )


class IgnoredStreamSink(StoreSink):
    """A stream the store has no use for (NetSuite's locations, price levels): counted only."""

    @override
    def process_record(self, record: dict[str, Any], context: dict[str, Any]) -> None:
        """Count and drop the record."""
        self.storefront.counts[f"{self.stream_name} records ignored"] += 1

    @override
    def process_batch(self, context: dict[str, Any]) -> None:
        """Nothing to write."""
