"""The WooCommerce emulator: a WordPress site with WooCommerce's REST API v3.

The store's site URL is the emulator's root; the REST API lives under `/wp-json/wc/v3`, with
WordPress's REST index at `/wp-json/`. The store keeps its dates in its own time zone
(`WooCommerceSettings.time_zone`) besides GMT, as WordPress does.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from sandbox.catalogue import Catalogue
from sandbox.clock import Clock
from sandbox.emulator import ADMIN_PREFIX, Emulator, json_response
from sandbox.settings import WooCommerceSettings
from sandbox.state import StateStore
from sandbox.woocommerce.admin import AdminActions
from sandbox.woocommerce.api import RestApi
from sandbox.woocommerce.auth import Authenticator
from sandbox.woocommerce.dates import StoreTime
from sandbox.woocommerce.errors import WooCommerceError
from sandbox.woocommerce.listing import CollectionQuery
from sandbox.woocommerce.operations import StoreOperations
from sandbox.woocommerce.order_writes import OrderWriter
from sandbox.woocommerce.orders import OrderRepository
from sandbox.woocommerce.product_writes import ProductWriter
from sandbox.woocommerce.products import ProductRepository
from sandbox.woocommerce.schema import create_schema
from sandbox.woocommerce.seed import StoreSeeder

logger = logging.getLogger(__name__)

API = "/wp-json/wc/v3"
_WRITE = ["POST", "PUT", "PATCH"]

_CRITICAL_ERROR = (
    '<p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/'
    'documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.'
    "</a></p>"
)
_GATEWAY_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} "
    "{reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
_REASONS = {502: "Bad Gateway", 503: "Service Temporarily Unavailable", 504: "Gateway Time-out"}


class WooCommerceEmulator(RestApi, AdminActions, StoreOperations, Emulator):
    """A WooCommerce store seeded from the demo catalogue.

    Args:
        catalogue: The demo data to seed a new state with.
        clock: The sandbox clock.
        state: Where the store keeps its records.
        settings: The store's API key, time zone and stock settings.
    """

    name: ClassVar[str] = "woocommerce"

    def __init__(
        self,
        catalogue: Catalogue,
        clock: Clock,
        state: StateStore,
        settings: WooCommerceSettings,
    ) -> None:
        self.settings = settings
        self.store_time = StoreTime(settings.time_zone)
        self.products = ProductRepository(self.store_time, catalogue.currency)
        self.orders = OrderRepository(self.store_time, self.products)
        self.product_writer = ProductWriter(self.products, self.store_time)
        self.order_writer = OrderWriter(self.orders, self.products)
        self.collections = CollectionQuery(self.store_time)
        self.authenticator = Authenticator(settings)
        super().__init__(catalogue, clock, state)

        if state.is_new:
            seeder = StoreSeeder(catalogue, settings, self.store_time, self.products, self.orders)
            with state.transaction() as db:
                create_schema(db)
                seeder.seed(db)
                counts = db.execute(
                    "SELECT (SELECT COUNT(*) FROM wc_products WHERE type != 'variation'), "
                    "(SELECT COUNT(*) FROM wc_products WHERE type = 'variation'), "
                    "(SELECT COUNT(*) FROM wc_orders)"
                ).fetchone()
            logger.info(
                "woocommerce: seeded %d products, %d variations and %d orders", *tuple(counts)
            )

    def api_rules(self) -> list[Rule]:
        """WordPress's REST index and WooCommerce's products, variations and orders."""
        variations = f"{API}/products/<int:product_id>/variations"
        return [
            Rule("/wp-json/", endpoint="rest_index", methods=["GET"]),
            Rule(API, endpoint="namespace_index", methods=["GET"]),
            Rule(f"{API}/products", endpoint="products_list", methods=["GET"]),
            Rule(f"{API}/products", endpoint="products_create", methods=["POST"]),
            Rule(f"{API}/products/batch", endpoint="products_batch", methods=_WRITE),
            Rule(f"{API}/products/<int:product_id>", endpoint="products_get", methods=["GET"]),
            Rule(f"{API}/products/<int:product_id>", endpoint="products_update", methods=_WRITE),
            Rule(
                f"{API}/products/<int:product_id>", endpoint="products_delete", methods=["DELETE"]
            ),
            Rule(variations, endpoint="variations_list", methods=["GET"]),
            Rule(variations, endpoint="variations_create", methods=["POST"]),
            Rule(f"{variations}/batch", endpoint="variations_batch", methods=_WRITE),
            Rule(f"{variations}/<int:variation_id>", endpoint="variations_get", methods=["GET"]),
            Rule(f"{variations}/<int:variation_id>", endpoint="variations_update", methods=_WRITE),
            Rule(
                f"{variations}/<int:variation_id>",
                endpoint="variations_delete",
                methods=["DELETE"],
            ),
            Rule(f"{API}/orders", endpoint="orders_list", methods=["GET"]),
            Rule(f"{API}/orders", endpoint="orders_create", methods=["POST"]),
            Rule(f"{API}/orders/batch", endpoint="orders_batch", methods=_WRITE),
            Rule(f"{API}/orders/<int:order_id>", endpoint="orders_get", methods=["GET"]),
            Rule(f"{API}/orders/<int:order_id>", endpoint="orders_update", methods=_WRITE),
            Rule(f"{API}/orders/<int:order_id>", endpoint="orders_delete", methods=["DELETE"]),
        ]

    def admin_rules(self) -> list[Rule]:
        """Shopper and clerk actions; see `sandbox.woocommerce.admin`."""
        return [
            Rule(
                f"{ADMIN_PREFIX}/products/<path:sku>",
                endpoint="admin_product",
                methods=["GET", "POST"],
            ),
            Rule(f"{ADMIN_PREFIX}/orders", endpoint="admin_place_order", methods=["POST"]),
            Rule(f"{ADMIN_PREFIX}/orders/<int:order_id>", endpoint="admin_order", methods=["GET"]),
            Rule(
                f"{ADMIN_PREFIX}/orders/<int:order_id>/<any(complete, cancel):action>",
                endpoint="admin_order_action",
                methods=["POST"],
            ),
        ]

    # How WordPress and its host answer when things go wrong.

    def throttled_response(self, request: Request) -> Response:
        """A host's rate limiter in front of WordPress: 429 with `Retry-After`."""
        return json_response(
            {
                "code": "too_many_requests",
                "message": "Too many requests. Please slow down and try again later.",
                "data": {"status": 429},
            },
            429,
            {"Retry-After": str(self.settings.retry_after_seconds)},
        )

    def server_error_response(self, request: Request, status: int) -> Response:
        """500 is WordPress's fatal-error handler; other 5xx come from the host's nginx."""
        if status == 500:
            return json_response(
                {
                    "code": "internal_server_error",
                    "message": _CRITICAL_ERROR,
                    "data": {"status": 500},
                    "additional_errors": [],
                },
                500,
            )
        reason = _REASONS.get(status, "Internal Server Error")
        return Response(
            _GATEWAY_PAGE.format(status=status, reason=reason),
            status=status,
            content_type="text/html",
        )

    def not_found_response(self, request: Request) -> Response:
        """`rest_no_route` under `/wp-json/`, WordPress's 404 page elsewhere.

        Bad credentials are reported before the missing route, as WordPress checks them first.
        """
        if not request.path.startswith("/wp-json"):
            return Response(
                "<!DOCTYPE html><html><head><title>Page not found</title></head>"
                "<body><h1>Nothing here</h1></body></html>",
                status=404,
                content_type="text/html; charset=UTF-8",
            )
        try:
            with self.state.transaction() as db:
                self.authenticator.authenticate(request, db)
        except WooCommerceError as error:
            return error.response()
        return WooCommerceError(
            "rest_no_route", "No route was found matching the URL and request method.", 404
        ).response()

    # Discovery.

    def rest_index(self, request: Request) -> Response:
        """`GET /wp-json/`: the site's name, URL, time zone and REST namespaces."""
        site = request.host_url.rstrip("/")
        now = self.clock.now()
        return json_response(
            {
                "name": "Sandbox Store",
                "description": "A WooCommerce store emulated by the inventory sync sandbox",
                "url": site,
                "home": site,
                "gmt_offset": self.store_time.gmt_offset_hours(now),
                "timezone_string": self.settings.time_zone,
                "namespaces": ["oembed/1.0", "wc/v1", "wc/v2", "wc/v3", "wp/v2"],
                "authentication": [],
                "routes": {rule.rule: {} for rule in self.api_rules()},
                "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
            }
        )

    def namespace_index(self, request: Request) -> Response:
        """`GET /wp-json/wc/v3`: the namespace and its routes."""
        return json_response(
            {
                "namespace": "wc/v3",
                "routes": {rule.rule: {} for rule in self.api_rules() if rule.rule.startswith(API)},
            }
        )
