"""The Shopify emulator: the Admin GraphQL endpoint, its auth, versions, cost and throttling.

`POST /admin/api/{version}/graphql.json` with `X-Shopify-Access-Token`. A request is checked
in Shopify's order: version, token, parse, validation against that version's schema, page
and input-size limits, the single-query cost cap, then the cost bucket; only then does it run.
Every GraphQL answer carries `extensions.cost`.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    execute,
    get_operation_ast,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from sandbox.catalogue import Catalogue
from sandbox.clock import Clock
from sandbox.emulator import Emulator, json_response
from sandbox.settings import ShopifySettings
from sandbox.shopify.admin import AdminActions
from sandbox.shopify.context import ApiVersion, ShopContext
from sandbox.shopify.cost import LeakyBucket, QueryCost
from sandbox.shopify.inventory import INVENTORY_RESOLVERS
from sandbox.shopify.limits import check_limits
from sandbox.shopify.metafields import metafields_set
from sandbox.shopify.products import (
    product_create,
    product_update,
    product_variants_bulk_create,
    product_variants_bulk_update,
)
from sandbox.shopify.queries import QUERY_RESOLVERS
from sandbox.shopify.schema import SchemaBook, serve_version
from sandbox.shopify.store import create_tables, seed, stamp
from sandbox.state import StateStore

logger = logging.getLogger(__name__)

RATE_LIMITS_DOCUMENTATION = "https://shopify.dev/api/usage/rate-limits"
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"

MUTATION_RESOLVERS = {
    "productCreate": product_create,
    "productUpdate": product_update,
    "productVariantsBulkCreate": product_variants_bulk_create,
    "productVariantsBulkUpdate": product_variants_bulk_update,
    "metafieldsSet": metafields_set,
    **INVENTORY_RESOLVERS,
}

_PARSED = "sandbox.shopify.parsed"


def resolve_field(source: Any, info: Any, **args: Any) -> Any:
    """graphql-core's default resolver without its abstract-base-class checks (hot path)."""
    if type(source) is dict:
        value = source.get(info.field_name)
    else:
        value = getattr(source, info.field_name, None)
    if callable(value):
        return value(info, **args)
    return value


def _never_awaitable(value: Any) -> bool:
    """Every resolver here is synchronous, so nothing needs awaiting."""
    return False


class _Parsed:
    """A request body read once: the query, variables, operation and document."""

    def __init__(self, request: Request) -> None:
        self.query: str | None = None
        self.variables: dict[str, Any] = {}
        self.operation_name: str | None = None
        self.document: DocumentNode | None = None
        self.syntax_error: GraphQLError | None = None
        self.body_error = False
        self._read(request)

    def _read(self, request: Request) -> None:
        raw = request.get_data(cache=True, as_text=True)
        if request.mimetype == "application/graphql":
            self.query = raw
        else:
            try:
                body = json.loads(raw) if raw.strip() else {}
            except ValueError:
                self.body_error = True
                return
            if not isinstance(body, dict) or not isinstance(body.get("query"), str):
                self.body_error = True
                return
            self.query = body["query"]
            self.variables = body.get("variables") or {}
            self.operation_name = body.get("operationName")
        try:
            self.document = parse(self.query or "")
        except GraphQLError as error:
            self.syntax_error = error

    def operation(self) -> OperationDefinitionNode | None:
        """The operation the request runs."""
        if self.document is None:
            return None
        return get_operation_ast(self.document, self.operation_name)

    def fragments(self) -> dict[str, FragmentDefinitionNode]:
        """The document's named fragments."""
        if self.document is None:
            return {}
        return {
            definition.name.value: definition
            for definition in self.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }

    def root_fields(self) -> list[str]:
        """Names of the operation's root fields, such as `productVariants`."""
        operation = self.operation()
        if operation is None:
            return []
        return [
            selection.name.value
            for selection in operation.selection_set.selections
            if isinstance(selection, FieldNode)
        ]


class ShopifyEmulator(AdminActions, Emulator):
    """Shopify's Admin GraphQL API over one shop seeded from the catalogue.

    Args:
        catalogue: The demo data to seed a new state with.
        clock: The sandbox clock.
        state: Where the shop's records live.
        settings: The shop's name, token, versions and cost bucket.
    """

    name = "shopify"

    def __init__(
        self, catalogue: Catalogue, clock: Clock, state: StateStore, settings: ShopifySettings
    ) -> None:
        self.settings = settings
        super().__init__(catalogue, clock, state)
        if state.is_new:
            with state.transaction() as db:
                create_tables(db)
                seed(db, catalogue)
            logger.info("shopify: seeded %d products", len(catalogue.products))
        self.bucket = LeakyBucket(
            settings.bucket_size, settings.restore_rate, lambda: clock.now().timestamp()
        )
        self.schemas = SchemaBook(QUERY_RESOLVERS, MUTATION_RESOLVERS)

    def api_rules(self) -> list[Rule]:
        """The Admin GraphQL endpoint."""
        return [Rule("/admin/api/<version>/graphql.json", endpoint="graphql", methods=["POST"])]

    # How Shopify answers when things go wrong.

    def not_found_response(self, request: Request) -> Response:
        """Shopify's 404."""
        return json_response({"errors": "Not Found"}, 404)

    def throttled_response(self, request: Request) -> Response:
        """The THROTTLED answer: HTTP 200 with the cost the query would have taken."""
        return self._throttled(self._requested_cost(request))

    def server_error_response(self, request: Request, status: int) -> Response:
        """A failure at Shopify: JSON from the app for 500, an HTML page from the edge else."""
        if status == 500:
            return json_response({"errors": "Internal Server Error"}, 500)
        title = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}.get(
            status, "Server Error"
        )
        page = (
            f"<!DOCTYPE html><html><head><title>{title}</title></head>"
            f"<body><h1>{status} {title}</h1></body></html>"
        )
        return Response(page, status=status, content_type="text/html; charset=utf-8")

    def request_subjects(self, request: Request) -> list[str]:
        """The request path plus `graphql <rootField>` for each root field it asks for.

        Each root field is counted in `operations` here, so faulted requests count too.
        """
        subjects = super().request_subjects(request)
        roots = self._parsed(request).root_fields()
        for root in roots:
            self.operations.add(root)
        return [*subjects, *(f"graphql {root}" for root in roots)]

    # The endpoint.

    def graphql(self, request: Request, version: str) -> Response:
        """Answer one Admin GraphQL request."""
        settings = self.settings
        served = serve_version(version, settings.oldest_api_version, settings.latest_api_version)
        if served is None:
            return self.not_found_response(request)
        if request.headers.get("X-Shopify-Access-Token") != settings.access_token:
            return json_response({"errors": INVALID_TOKEN}, 401)
        headers = {"X-Shopify-API-Version": str(served)}

        parsed = self._parsed(request)
        if parsed.body_error or (parsed.document is None and parsed.syntax_error is None):
            errors = {"query": "Required parameter missing or invalid"}
            return json_response({"errors": errors}, 400, headers)
        if parsed.syntax_error is not None or parsed.document is None:
            error = parsed.syntax_error or GraphQLError("The query could not be read.")
            return self._answer({"errors": [error.formatted]}, headers, 0, None)
        schema = self.schemas.schema(served)
        problems = validate(schema, parsed.document)
        operation = parsed.operation()
        if not problems and operation is None:
            problems = [GraphQLError("An operation name is required")]
        if problems or operation is None:
            return self._answer({"errors": [p.formatted for p in problems]}, headers, 0, None)

        variables = parsed.variables if isinstance(parsed.variables, dict) else {}
        coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
        if isinstance(coerced, list):
            return self._answer({"errors": [e.formatted for e in coerced]}, headers, 0, None)
        limit_errors = check_limits(operation.selection_set, parsed.fragments(), variables)
        if limit_errors:
            return self._answer({"errors": [e.formatted for e in limit_errors]}, headers, 0, None)
        pricing = QueryCost(schema, operation, parsed.fragments(), variables)
        requested = pricing.requested()
        if requested > settings.max_query_cost:
            return self._cost_exceeded(requested, headers)
        if not self.bucket.take(requested):
            return self._throttled(requested, headers)

        with self.state.transaction() as db:
            context = ShopContext(
                db, served, stamp(self.clock.now()), settings, self.catalogue.currency
            )
            result = execute(
                schema,
                parsed.document,
                context_value=context,
                variable_values=variables,
                operation_name=parsed.operation_name,
                field_resolver=resolve_field,
                is_awaitable=_never_awaitable,
            )
        actual = pricing.actual(result.data)
        self.bucket.refund(requested - actual)
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [self._public_error(error) for error in result.errors]
        body["data"] = result.data
        return self._answer(body, headers, requested, actual)

    # Helpers.

    def _parsed(self, request: Request) -> _Parsed:
        parsed = request.environ.get(_PARSED)
        if parsed is None:
            parsed = _Parsed(request)
            request.environ[_PARSED] = parsed
        return parsed

    def _requested_cost(self, request: Request) -> int:
        """What a request would cost, for answers given before it runs (0 if unknowable)."""
        parsed = self._parsed(request)
        operation = parsed.operation()
        handle = request.path.split("/")[3] if request.path.count("/") >= 4 else ""
        served = serve_version(
            handle, self.settings.oldest_api_version, self.settings.latest_api_version
        )
        if operation is None or served is None:
            return 0
        schema = self.schemas.schema(served)
        try:
            return QueryCost(schema, operation, parsed.fragments(), parsed.variables).requested()
        except (KeyError, TypeError, ValueError):
            return 0

    def _public_error(self, error: GraphQLError) -> dict[str, Any]:
        if error.original_error is not None and not isinstance(error.original_error, GraphQLError):
            logger.error("shopify: resolver failed", exc_info=error.original_error)
            return {
                "message": "Internal error. Looks like something went wrong on our end.",
                "locations": error.formatted.get("locations", []),
                "path": error.path,
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        return error.formatted

    def _cost(self, requested: int, actual: int | None) -> dict[str, Any]:
        return {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": self.bucket.status(),
        }

    def _answer(
        self,
        body: dict[str, Any],
        headers: dict[str, str],
        requested: int,
        actual: int | None,
    ) -> Response:
        body["extensions"] = {"cost": self._cost(requested, actual)}
        return json_response(body, 200, headers)

    def _throttled(self, requested: int, headers: dict[str, str] | None = None) -> Response:
        error = {
            "message": "Throttled",
            "extensions": {"code": "THROTTLED", "documentation": RATE_LIMITS_DOCUMENTATION},
        }
        logger.info("shopify: throttled a query of cost %d", requested)
        return self._answer({"errors": [error]}, headers or {}, requested, None)

    def _cost_exceeded(self, requested: int, headers: dict[str, str]) -> Response:
        limit = self.settings.max_query_cost
        message = (
            f"Query cost is {requested}, which exceeds the single query max cost limit "
            f"({limit}).\n\n"
            "See https://shopify.dev/concepts/about-apis/rate-limits for more information on "
            "how the\n"
            "cost of a query is calculated.\n\n"
            "To query larger amounts of data with fewer limits, bulk operations should be used "
            "instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api "
            "for usage details.\n"
        )
        error = {
            "message": message,
            "extensions": {
                "code": "MAX_COST_EXCEEDED",
                "cost": requested,
                "maxCost": limit,
                "documentation": RATE_LIMITS_DOCUMENTATION,
            },
        }
        return self._answer({"errors": [error]}, headers, requested, None)


__all__ = ["ApiVersion", "ShopifyEmulator"]
