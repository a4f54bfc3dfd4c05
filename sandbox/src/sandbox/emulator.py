"""What the three emulators share: routing, the admin API, fault injection and call counts.

An emulator is a WSGI application. Requests under `/_sandbox/` are the admin API: actions a
test or demo needs that the real vendor offers only through its user interface (a clerk edits
a price, a customer places an order), plus the call counters, the fault plan and the clock.
They are never counted as API calls and never faulted. Every other request is the emulated
vendor API: it is counted, may be faulted, and is answered as the vendor answers.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from sandbox.catalogue import Catalogue
from sandbox.clock import Clock
from sandbox.faults import CallCounter, Fault, FaultPlan
from sandbox.state import StateStore

logger = logging.getLogger(__name__)

ADMIN_PREFIX = "/_sandbox"

Handler = Callable[..., Response]


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer with the given status and extra headers."""
    return Response(
        json.dumps(data, separators=(",", ":"), default=str),
        status=status,
        headers=headers,
        content_type="application/json; charset=UTF-8",
    )


def read_json(request: Request) -> Any:
    """The request body as JSON; an empty body reads as an empty object.

    Raises:
        ValueError: The body is not JSON.
    """
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    return json.loads(raw)


class Emulator:
    """Base class of the NetSuite, WooCommerce and Shopify emulators.

    Subclasses list their vendor routes in `api_rules` and their admin actions in
    `admin_rules`; a rule's endpoint names the method that answers it, called as
    `method(request, **url_values)`. They say how the vendor answers a throttled request and
    a server error, and seed their state from the catalogue.

    Args:
        catalogue: The demo data to seed a new state with.
        clock: The sandbox clock shared by all emulators.
        state: Where the emulator keeps its records.
    """

    name: ClassVar[str]

    def __init__(self, catalogue: Catalogue, clock: Clock, state: StateStore) -> None:
        self.catalogue = catalogue
        self.clock = clock
        self.state = state
        self.calls = CallCounter()
        self.operations = CallCounter()
        self.faults = FaultPlan(seed=catalogue.seed)
        self._api_map = Map(self.api_rules(), strict_slashes=False)
        self._admin_map = Map(
            [
                Rule(f"{ADMIN_PREFIX}/health", endpoint="admin_health", methods=["GET"]),
                Rule(f"{ADMIN_PREFIX}/calls", endpoint="admin_calls", methods=["GET", "DELETE"]),
                Rule(
                    f"{ADMIN_PREFIX}/faults",
                    endpoint="admin_faults",
                    methods=["GET", "POST", "DELETE"],
                ),
                Rule(f"{ADMIN_PREFIX}/clock", endpoint="admin_clock", methods=["GET", "POST"]),
                *self.admin_rules(),
            ],
            strict_slashes=False,
        )

    # What subclasses provide.

    def api_rules(self) -> list[Rule]:
        """The vendor API's routes."""
        raise NotImplementedError

    def admin_rules(self) -> list[Rule]:
        """Admin actions of this emulator, under `/_sandbox/`."""
        return []

    def throttled_response(self, request: Request) -> Response:
        """How the vendor answers a request over its rate or concurrency limit."""
        return json_response({"message": "Too Many Requests"}, 429, {"Retry-After": "1"})

    def server_error_response(self, request: Request, status: int) -> Response:
        """How the vendor answers when one of its servers fails."""
        return json_response({"message": "Internal Server Error"}, status)

    def not_found_response(self, request: Request) -> Response:
        """How the vendor answers a path it does not serve."""
        return json_response({"message": "Not Found"}, 404)

    @contextmanager
    def admission(self, request: Request) -> Iterator[Response | None]:
        """Admit a counted API request, or refuse it with the vendor's answer.

        Held open while the request is answered, injected faults included, so an emulator can
        count requests in flight. Yields None to admit, or the refusal (a failed login, a
        concurrency limit) to answer instead.
        """
        yield None

    def request_subjects(self, request: Request) -> list[str]:
        """The names a fault's `match` is searched in; emulators may add their own."""
        return [f"{request.method} {request.path}"]

    # The WSGI application.

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Answer one request: the admin API under `/_sandbox/`, else the vendor API."""
        request = Request(environ)
        if request.path.startswith(ADMIN_PREFIX + "/"):
            response = self._dispatch_admin(request)
        else:
            response = self._dispatch_api(request)
        if response is None:
            return []
        return response(environ, start_response)

    def _dispatch_admin(self, request: Request) -> Response:
        adapter = self._admin_map.bind_to_environ(request.environ)
        try:
            endpoint, values = adapter.match()
            return getattr(self, endpoint)(request, **values)
        except HTTPException as error:
            return json_response({"error": error.description}, error.code or 500)
        except (ValueError, KeyError, TypeError) as error:
            return json_response({"error": str(error)}, 400)

    def _dispatch_api(self, request: Request) -> Response | None:
        adapter = self._api_map.bind_to_environ(request.environ)
        try:
            rule, values = adapter.match(return_rule=True)
        except MethodNotAllowed:
            self.calls.add(f"{request.method} {request.path}")
            return self.not_found_response(request)
        except NotFound:
            self.calls.add(f"{request.method} {request.path}")
            return self.not_found_response(request)
        self.calls.add(f"{request.method} {rule.rule}")

        with self.admission(request) as refusal:
            if refusal is not None:
                return refusal
            fault = self.faults.draw(self.request_subjects(request))
            if fault is not None:
                answered = self._inject(fault, request)
                if answered is not _PROCEED:
                    return answered
            return getattr(self, rule.endpoint)(request, **values)

    def _inject(self, fault: Fault, request: Request) -> Any:
        logger.info(
            "%s: injecting %s into %s %s", self.name, fault.kind, request.method, request.path
        )
        if fault.kind == "throttle":
            return self.throttled_response(request)
        if fault.kind == "error":
            return self.server_error_response(request, fault.status)
        if fault.kind == "slow":
            time.sleep(fault.delay_seconds)
            return _PROCEED
        connection: socket.socket | None = request.environ.get("werkzeug.socket")
        if connection is not None:
            connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        return None

    # The common admin API.

    def admin_health(self, request: Request) -> Response:
        """Liveness, and what this emulator is."""
        return json_response({"emulator": self.name, "status": "ok"})

    def admin_calls(self, request: Request) -> Response:
        """Read (GET) or reset (DELETE) the call counters."""
        if request.method == "DELETE":
            self.calls.reset()
            self.operations.reset()
        endpoints = self.calls.snapshot()
        return json_response(
            {
                "total": sum(endpoints.values()),
                "endpoints": endpoints,
                "operations": self.operations.snapshot(),
            }
        )

    def admin_faults(self, request: Request) -> Response:
        """List (GET), arm (POST) or disarm all (DELETE) injected faults."""
        if request.method == "POST":
            body = read_json(request)
            allowed = {"kind", "match", "count", "rate", "status", "delay_seconds"}
            unknown = set(body) - allowed
            if unknown:
                raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
            fault = self.faults.add(Fault(**body))
            return json_response(fault.describe(), 201)
        if request.method == "DELETE":
            self.faults.clear()
        return json_response({"faults": self.faults.list()})

    def admin_clock(self, request: Request) -> Response:
        """Read the sandbox time (GET) or move it forward by `advance_seconds` (POST)."""
        if request.method == "POST":
            self.clock.advance(float(read_json(request).get("advance_seconds", 0)))
        return json_response({"now": self.clock.now().isoformat()})


_PROCEED = object()
