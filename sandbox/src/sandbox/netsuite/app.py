"""The NetSuite emulator: SuiteTalk REST routes, authentication and concurrency governance."""

from __future__ import annotations

import functools
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from sandbox.catalogue import Catalogue
from sandbox.clock import Clock
from sandbox.emulator import Emulator, json_response
from sandbox.netsuite import customers, items, order_views, orders
from sandbox.netsuite.admin import NetSuiteAdmin
from sandbox.netsuite.auth import Authenticator
from sandbox.netsuite.errors import NetSuiteError, error_response
from sandbox.netsuite.history import REST_WEB_SERVICES, Change
from sandbox.netsuite.paging import SuiteQLRunner, page_window
from sandbox.netsuite.records import (
    COLLECTION,
    SINGULAR,
    FieldValidation,
    collection,
    filter_sql,
    read_body,
)
from sandbox.netsuite.schema import AccountTime, create_indexes, create_tables, current_schema
from sandbox.netsuite.seed import seed_account
from sandbox.netsuite.suiteql import SuiteQLTranslator, register_functions
from sandbox.settings import NetSuiteSettings
from sandbox.state import StateStore

logger = logging.getLogger(__name__)

REST = "/services/rest"
_RECORD = f"{REST}/record/v1"
#: Record types whose collections can be listed and filtered with `q`.
_COLLECTIONS = {
    "customer": ("customer", customers.FIELDS),
    "inventoryItem": (
        "item",
        {
            **{k: v for k, v in items.WRITABLE.items()},
            "id": "id",
            "lastModifiedDate": "lastmodifieddate",
        },
    ),
    "salesOrder": (
        "transaction",
        {
            "id": "id",
            "tranId": "tranid",
            "externalId": "externalid",
            "entity": "entity",
            "status": "status",
            "lastModifiedDate": "lastmodifieddate",
        },
    ),
}


def netsuite_api(handler: Callable[..., Response]) -> Callable[..., Response]:
    """Answer a NetSuiteError, or any failure, with NetSuite's error envelope."""

    @functools.wraps(handler)
    def answer(self: NetSuiteEmulator, request: Request, **values: Any) -> Response:
        try:
            return handler(self, request, **values)
        except NetSuiteError as error:
            return error.response()
        except Exception:
            logger.exception("netsuite: unexpected failure in %s %s", request.method, request.path)
            return self.server_error_response(request, 500)

    return answer


class _Governor:
    """Counts the account's requests in flight against its concurrency limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._in_flight = 0
        self._lock = threading.Lock()

    def enter(self) -> bool:
        with self._lock:
            if self._in_flight >= self.limit:
                return False
            self._in_flight += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1


class NetSuiteEmulator(NetSuiteAdmin, Emulator):
    """SuiteTalk REST of one NetSuite account: SuiteQL, the record API and M2M tokens.

    Args:
        catalogue: The demo data a new account is seeded with.
        clock: The sandbox clock.
        state: Where the account's tables live.
        settings: Account id, time zone, credentials and governance limits.
    """

    name = "netsuite"

    def __init__(
        self,
        catalogue: Catalogue,
        clock: Clock,
        state: StateStore,
        settings: NetSuiteSettings | None = None,
    ) -> None:
        self.settings = settings or NetSuiteSettings()
        self.time = AccountTime(clock, self.settings.time_zone)
        self.auth = Authenticator(self.settings, clock)
        self.data_version = 0
        self._governor = _Governor(self.settings.concurrency_limit)
        super().__init__(catalogue, clock, state)

        register_functions(state.connection, self.time)
        if state.is_new:
            with state.transaction() as db:
                create_tables(db)
                seed_account(db, catalogue, self.time)
                create_indexes(db)
            logger.info("netsuite: seeded account %s", self.settings.account_id)
        self.translator = SuiteQLTranslator(self._read_schema)
        self.suiteql = SuiteQLRunner(self.translator)

    def _read_schema(self) -> dict[str, dict[str, str]]:
        with self.state.transaction() as db:
            return current_schema(db)

    @contextmanager
    def writing(self) -> Iterator[Any]:
        """A write transaction; SuiteQL counts cached before it are forgotten after it."""
        with self.state.transaction() as db:
            yield db
            self.data_version += 1

    def change(self, context: str = REST_WEB_SERVICES) -> Change:
        """Who changes records now: the REST integration unless said otherwise."""
        return Change(now=self.time.now(), context=context)

    @staticmethod
    def base_url(request: Request) -> str:
        """`https://{account}.suitetalk.api.netsuite.com/services/rest`, as the client sees it."""
        return request.host_url.rstrip("/") + REST

    def m2m_private_key_pem(self) -> str:
        """The private key of the certificate the account has registered for OAuth 2.0 M2M."""
        return self.auth.m2m_private_key_pem()

    # Routing, authentication and governance.

    def api_rules(self) -> list[Rule]:
        """SuiteTalk REST routes under `/services/rest`."""
        return [
            Rule(f"{REST}/auth/oauth2/v1/token", endpoint="oauth2_token", methods=["POST"]),
            Rule(f"{REST}/query/v1/suiteql", endpoint="run_suiteql", methods=["POST"]),
            Rule(f"{_RECORD}/<record_type>", endpoint="list_records", methods=["GET"]),
            Rule(f"{_RECORD}/salesOrder", endpoint="create_sales_order", methods=["POST"]),
            Rule(f"{_RECORD}/salesOrder/<key>", endpoint="get_sales_order", methods=["GET"]),
            Rule(f"{_RECORD}/salesOrder/<key>", endpoint="upsert_sales_order", methods=["PUT"]),
            Rule(f"{_RECORD}/salesOrder/<key>", endpoint="patch_sales_order", methods=["PATCH"]),
            Rule(f"{_RECORD}/salesOrder/<key>/item", endpoint="get_order_lines", methods=["GET"]),
            Rule(f"{_RECORD}/inventoryItem/<key>", endpoint="get_item", methods=["GET"]),
            Rule(f"{_RECORD}/inventoryItem/<key>", endpoint="patch_item", methods=["PATCH"]),
            Rule(
                f"{_RECORD}/inventoryItem/<key>/locations",
                endpoint="get_item_locations",
                methods=["GET"],
            ),
            Rule(
                f"{_RECORD}/inventoryItem/<key>/price", endpoint="get_item_prices", methods=["GET"]
            ),
            Rule(f"{_RECORD}/customer", endpoint="create_customer", methods=["POST"]),
            Rule(f"{_RECORD}/customer/<key>", endpoint="get_customer", methods=["GET"]),
            Rule(f"{_RECORD}/customer/<key>", endpoint="upsert_customer", methods=["PUT"]),
            Rule(f"{_RECORD}/customer/<key>", endpoint="patch_customer", methods=["PATCH"]),
        ]

    @contextmanager
    def admission(self, request: Request) -> Iterator[Response | None]:
        """Hold one of the account's concurrent request slots and check the login.

        Over the concurrency limit the request is refused with 429 before its login is checked;
        every request but the M2M token request carries a login.
        """
        if not self._governor.enter():
            logger.info("netsuite: concurrency limit reached, refusing %s", request.path)
            yield self.throttled_response(request)
            return
        try:
            if request.path != f"{REST}/auth/oauth2/v1/token":
                try:
                    self.auth.authenticate(request)
                except NetSuiteError as error:
                    yield error.response()
                    return
            yield None
        finally:
            self._governor.leave()

    def throttled_response(self, request: Request) -> Response:
        """429 with the error envelope, as REST answers over the concurrency limit."""
        return error_response(
            429,
            [
                {
                    "detail": "Concurrent request limit exceeded. Request blocked.",
                    "o:errorCode": "CONCURRENCY_LIMIT_EXCEEDED",
                }
            ],
        )

    def server_error_response(self, request: Request, status: int) -> Response:
        """A NetSuite server failure: the envelope with UNEXPECTED_ERROR and an error id."""
        return error_response(
            status,
            [
                {
                    "detail": f"An unexpected error occurred. Error ID: {uuid.uuid4().hex[:20]}",
                    "o:errorCode": "UNEXPECTED_ERROR",
                }
            ],
        )

    def not_found_response(self, request: Request) -> Response:
        """An unknown path: 404 with the envelope."""
        return error_response(
            404,
            [
                {
                    "detail": f"The requested URL {request.path} was not found on this server.",
                    "o:errorCode": "NONEXISTENT_URL",
                }
            ],
        )

    # OAuth 2.0 and SuiteQL.

    def oauth2_token(self, request: Request) -> Response:
        """`POST /auth/oauth2/v1/token`: a bearer token for a valid client assertion."""
        return self.auth.token_response(request)

    @netsuite_api
    def run_suiteql(self, request: Request) -> Response:
        """`POST /query/v1/suiteql`: one page of a SuiteQL query."""
        limit, offset = page_window(request.args, self.settings.offset_cap)
        body = read_body(request)
        query = body.get("q")
        if not isinstance(query, str) or not query.strip():
            raise NetSuiteError(
                400,
                "INVALID_CONTENT",
                "Invalid content in the request body: the query (q) is missing.",
                path="q",
            )
        href = self.base_url(request) + "/query/v1/suiteql"
        with self.state.transaction() as db:
            page = self.suiteql.run(
                db, query, limit, offset, self.settings.offset_cap, self.data_version, href
            )
        return json_response(page, headers={"Content-Type": COLLECTION})

    # The record API.

    @netsuite_api
    def list_records(self, request: Request, record_type: str) -> Response:
        """`GET /record/v1/{type}?q=...`: ids of the records matching a filter."""
        if record_type not in _COLLECTIONS:
            return self.not_found_response(request)
        table, fields = _COLLECTIONS[record_type]
        limit, offset = page_window(request.args, self.settings.offset_cap)
        where, params = filter_sql(request.args.get("q", ""), fields)
        if record_type == "salesOrder":
            where = f"type = 'SalesOrd'{' AND (' + where + ')' if where else ''}"
        with self.state.transaction() as db:
            page = collection(
                db, table, record_type, where, params, self.base_url(request), limit, offset
            )
        return json_response(page, headers={"Content-Type": COLLECTION})

    def _created(self, request: Request, record_type: str, record_id: int) -> Response:
        location = f"{self.base_url(request)}/record/v1/{record_type}/{record_id}"
        return Response(status=204, headers={"Location": location})

    @netsuite_api
    def create_sales_order(self, request: Request) -> Response:
        """`POST /record/v1/salesOrder`: 204 with the new order's Location."""
        body = read_body(request)
        with self.writing() as db:
            order_id = orders.create_order(db, self.change(), body, FieldValidation.of(request))
        return self._created(request, "salesOrder", order_id)

    @netsuite_api
    def get_sales_order(self, request: Request, key: str) -> Response:
        """`GET /record/v1/salesOrder/{id|eid:...}`."""
        expand = request.args.get("expandSubResources", "false").lower() == "true"
        with self.state.transaction() as db:
            order = orders.find_order(db, key)
            record = order_views.order_record(db, order, self.base_url(request), self.time, expand)
        return json_response(record, headers={"Content-Type": SINGULAR})

    @netsuite_api
    def get_order_lines(self, request: Request, key: str) -> Response:
        """`GET /record/v1/salesOrder/{id}/item`: the item sublist."""
        with self.state.transaction() as db:
            order = orders.find_order(db, key)
            lines = order_views.order_lines(db, order["id"], self.base_url(request))
        return json_response(lines, headers={"Content-Type": COLLECTION})

    @netsuite_api
    def upsert_sales_order(self, request: Request, key: str) -> Response:
        """`PUT /record/v1/salesOrder/eid:{externalId}`: create, or update when it exists."""
        if not key.startswith("eid:"):
            raise NetSuiteError(
                400,
                "INVALID_PARAMETER",
                "The upsert operation requires an external ID in the request URL.",
            )
        body = read_body(request)
        validation = FieldValidation.of(request)
        with self.writing() as db:
            try:
                order_id = orders.find_order(db, key)["id"]
            except NetSuiteError:
                order_id = orders.create_order(db, self.change(), body, validation, key[4:])
                return self._created(request, "salesOrder", order_id)
            replace = "item" in request.args.get("replace", "").split(",")
            orders.update_order(db, self.change(), order_id, body, validation, replace)
        return self._created(request, "salesOrder", order_id)

    @netsuite_api
    def patch_sales_order(self, request: Request, key: str) -> Response:
        """`PATCH /record/v1/salesOrder/{id}`: omitted fields kept; lines appended or replaced."""
        body = read_body(request)
        replace = "item" in request.args.get("replace", "").split(",")
        with self.writing() as db:
            order_id = orders.find_order(db, key)["id"]
            orders.update_order(
                db, self.change(), order_id, body, FieldValidation.of(request), replace
            )
        return Response(status=204)

    @netsuite_api
    def get_item(self, request: Request, key: str) -> Response:
        """`GET /record/v1/inventoryItem/{id|eid:...}`."""
        with self.state.transaction() as db:
            row = items.find_item(db, key)
            record = items.item_record(db, row, self.base_url(request), self.time)
        return json_response(record, headers={"Content-Type": SINGULAR})

    @netsuite_api
    def get_item_locations(self, request: Request, key: str) -> Response:
        """`GET /record/v1/inventoryItem/{id}/locations`: quantities per location."""
        with self.state.transaction() as db:
            row = items.find_item(db, key)
            sublist = items.item_locations(db, row["id"], self.base_url(request))
        return json_response(sublist, headers={"Content-Type": COLLECTION})

    @netsuite_api
    def get_item_prices(self, request: Request, key: str) -> Response:
        """`GET /record/v1/inventoryItem/{id}/price`: prices per price level."""
        with self.state.transaction() as db:
            row = items.find_item(db, key)
            sublist = items.item_prices(db, row["id"], self.base_url(request))
        return json_response(sublist, headers={"Content-Type": COLLECTION})

    @netsuite_api
    def patch_item(self, request: Request, key: str) -> Response:
        """`PATCH /record/v1/inventoryItem/{id}`: fields and custom fields; 204."""
        body = read_body(request)
        with self.writing() as db:
            row = items.find_item(db, key)
            items.patch_item(db, self.change(), row["id"], body, FieldValidation.of(request))
        return Response(status=204)

    @netsuite_api
    def create_customer(self, request: Request) -> Response:
        """`POST /record/v1/customer`: 204 with the new customer's Location."""
        body = read_body(request)
        with self.writing() as db:
            customer_id = customers.create_customer(
                db, self.change(), body, FieldValidation.of(request)
            )
        return self._created(request, "customer", customer_id)

    @netsuite_api
    def get_customer(self, request: Request, key: str) -> Response:
        """`GET /record/v1/customer/{id|eid:...}`."""
        with self.state.transaction() as db:
            row = customers.find_customer(db, key)
        record = customers.customer_record(row, self.base_url(request), self.time)
        return json_response(record, headers={"Content-Type": SINGULAR})

    @netsuite_api
    def upsert_customer(self, request: Request, key: str) -> Response:
        """`PUT /record/v1/customer/eid:{externalId}`: create or update."""
        if not key.startswith("eid:"):
            raise NetSuiteError(
                400,
                "INVALID_PARAMETER",
                "The upsert operation requires an external ID in the request URL.",
            )
        body = read_body(request)
        validation = FieldValidation.of(request)
        with self.writing() as db:
            try:
                customer_id = customers.find_customer(db, key)["id"]
            except NetSuiteError:
                customer_id = customers.create_customer(
                    db, self.change(), body, validation, key[4:]
                )
            else:
                customers.update_customer(db, self.change(), customer_id, body, validation)
        return self._created(request, "customer", customer_id)

    @netsuite_api
    def patch_customer(self, request: Request, key: str) -> Response:
        """`PATCH /record/v1/customer/{id}`."""
        body = read_body(request)
        with self.writing() as db:
            customer_id = customers.find_customer(db, key)["id"]
            customers.update_customer(
                db, self.change(), customer_id, body, FieldValidation.of(request)
            )
        return Response(status=204)
