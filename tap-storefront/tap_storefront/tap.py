"""The tap: one set of settings, two platforms, the same three shared streams."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from singer_sdk import Stream, Tap
from singer_sdk import typing as th
from singer_sdk.exceptions import ConfigValidationError
from typing_extensions import override

PLATFORMS = ("woocommerce", "shopify")
DEFAULT_API_VERSION = "2026-10"
_API_VERSION = re.compile(r"^\d{4}-(01|04|07|10)$")

#: Settings each platform needs, with the reason a user sees when one is missing.
_REQUIRED_BY_PLATFORM: dict[str, tuple[tuple[str, str], ...]] = {
    "woocommerce": (
        ("consumer_key", "the REST API consumer key (ck_...)"),
        ("consumer_secret", "the REST API consumer secret (cs_...)"),
        ("stock_location", "the location WooCommerce's single stock figure belongs to"),
    ),
    "shopify": (("access_token", "the Admin API access token (shpat_...)"),),
}


class TapStorefront(Tap):
    """Items, inventory levels and orders from a WooCommerce or Shopify store."""

    name = "tap-storefront"

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
                "WooCommerce: the site URL (the REST API is under /wp-json/wc/v3). Shopify: "
                "the shop URL, such as https://{shop}.myshopify.com."
            ),
        ),
        th.Property(
            "consumer_key",
            th.StringType,
            secret=True,
            title="WooCommerce consumer key",
            description="REST API consumer key (ck_...), read access is enough.",
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
            title="WooCommerce stock location",
            description=(
                "WooCommerce keeps one stock figure per product; inventory levels report it "
                "at this location id, the one the suite's location mapping uses for the store."
            ),
        ),
        th.Property(
            "per_page",
            th.IntegerType(minimum=1, maximum=100),
            default=100,
            title="WooCommerce page size",
            description="Records per page of the WooCommerce REST API (at most 100).",
        ),
        th.Property(
            "access_token",
            th.StringType,
            secret=True,
            title="Shopify access token",
            description="Admin API access token (shpat_...) with read_products, "
            "read_inventory, read_locations and read_orders scopes.",
        ),
        th.Property(
            "api_version",
            th.StringType,
            default=DEFAULT_API_VERSION,
            title="Shopify API version",
            description="Admin API version, YYYY-MM (a quarter: 01, 04, 07 or 10).",
        ),
        th.Property(
            "max_query_cost",
            th.IntegerType(minimum=50, maximum=1000),
            default=1000,
            title="Shopify maximum query cost",
            description=(
                "Page sizes are chosen so that no query requests more than this many cost "
                "points (Shopify refuses queries over 1000)."
            ),
        ),
        th.Property(
            "bucket_reserve",
            th.IntegerType(minimum=0),
            default=0,
            title="Shopify cost reserve",
            description=(
                "Cost points to leave in the shop's bucket for other apps: the tap waits "
                "until a query's cost plus this reserve is available."
            ),
        ),
        th.Property(
            "start_date",
            th.DateTimeType,
            title="Start date",
            description="Read only records changed at or after this time on the first run.",
        ),
        th.Property(
            "overlap_seconds",
            th.IntegerType(minimum=0),
            default=600,
            title="Incremental overlap",
            description=(
                "Each incremental run re-reads this many seconds before its bookmark, so a "
                "record stamped in the bookmark's second or committed late is not lost; "
                "records already emitted are recognised and skipped."
            ),
        ),
        th.Property(
            "request_timeout",
            th.IntegerType(minimum=1),
            default=60,
            title="Request timeout",
            description="Seconds to wait for an answer before retrying the request.",
        ),
    ).to_dict()

    @override
    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        """Validate the settings, then the rules that tie them together.

        Messages name the setting and what to do; they never repeat a secret's value.

        Raises:
            ConfigValidationError: A setting is missing or wrong and `raise_errors` is set.
        """
        errors = super()._validate_config(raise_errors=raise_errors)
        errors += self._platform_errors()
        if errors and raise_errors:
            raise ConfigValidationError(
                "tap-storefront settings are incomplete or wrong: " + "; ".join(errors),
                errors=errors,
            )
        return errors

    def _platform_errors(self) -> list[str]:
        config = self.config
        platform = config.get("platform")
        if platform not in PLATFORMS:
            return []
        errors = [
            f"platform {platform} needs `{name}`: {what}"
            for name, what in _REQUIRED_BY_PLATFORM[platform]
            if not str(config.get(name) or "").strip()
        ]
        url = urlparse(str(config.get("base_url") or ""))
        if url.scheme not in ("http", "https") or not url.netloc:
            errors.append(
                "`base_url` must be an http(s) URL such as https://shop.example.com "
                "(the WooCommerce site URL or https://{shop}.myshopify.com)"
            )
        if platform == "shopify" and url.path.rstrip("/").startswith("/admin"):
            errors.append("`base_url` is the shop URL alone; the tap adds /admin/api/...")
        version = str(config.get("api_version") or DEFAULT_API_VERSION)
        if platform == "shopify" and not _API_VERSION.match(version):
            errors.append(
                f"`api_version` must look like {DEFAULT_API_VERSION} (a quarterly release), "
                f"got {version!r}"
            )
        key = str(config.get("consumer_key") or "")
        if platform == "woocommerce" and key and not key.startswith("ck_"):
            errors.append("`consumer_key` must start with ck_ (WooCommerce > Settings > REST API)")
        secret = str(config.get("consumer_secret") or "")
        if platform == "woocommerce" and secret and not secret.startswith("cs_"):
            errors.append("`consumer_secret` must start with cs_")
        return errors

    @override
    def discover_streams(self) -> list[Stream]:
        """The shared streams of the configured platform."""
        if self.config.get("platform") == "shopify":
            from tap_storefront.shopify.streams import shopify_streams

            return shopify_streams(self)
        from tap_storefront.woocommerce.streams import woocommerce_streams

        return woocommerce_streams(self)
