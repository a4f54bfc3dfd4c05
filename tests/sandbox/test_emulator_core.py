"""The machinery every emulator shares: admin API, call counts, fault injection, clock.

A minimal emulator with one route stands in for a vendor here; each vendor's own test module
shows the same machinery answering in that vendor's words.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime

import pytest
import requests
from werkzeug.routing import Rule
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from sandbox.catalogue import generate_catalogue
from sandbox.clock import Clock
from sandbox.emulator import Emulator, json_response
from sandbox.faults import Fault, FaultPlan
from sandbox.state import StateStore


class PingEmulator(Emulator):
    """An emulator of a vendor with one endpoint, `GET /api/ping/<name>`."""

    name = "ping"

    def api_rules(self) -> list[Rule]:
        return [Rule("/api/ping/<name>", endpoint="ping", methods=["GET"])]

    def ping(self, request: Request, name: str) -> Response:
        return json_response({"pong": name})


@pytest.fixture
def ping_url() -> Iterator[str]:
    emulator = PingEmulator(generate_catalogue(skus=1), Clock(), StateStore())
    server = make_server("127.0.0.1", 0, emulator, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    server.server_close()


def test_api_calls_are_counted_by_route_and_admin_calls_are_not(ping_url: str) -> None:
    for name in ("a", "b", "c"):
        assert requests.get(f"{ping_url}/api/ping/{name}", timeout=5).json() == {"pong": name}
    requests.get(f"{ping_url}/api/nowhere", timeout=5)
    requests.get(f"{ping_url}/_sandbox/health", timeout=5)

    calls = requests.get(f"{ping_url}/_sandbox/calls", timeout=5).json()
    assert calls["endpoints"] == {"GET /api/nowhere": 1, "GET /api/ping/<name>": 3}
    assert calls["total"] == 4

    reset = requests.delete(f"{ping_url}/_sandbox/calls", timeout=5).json()
    assert reset["total"] == 0


def test_an_error_fault_answers_the_next_n_matching_requests(ping_url: str) -> None:
    armed = requests.post(
        f"{ping_url}/_sandbox/faults",
        json={"kind": "error", "status": 502, "count": 2, "match": "ping/x"},
        timeout=5,
    )
    assert armed.status_code == 201

    assert requests.get(f"{ping_url}/api/ping/y", timeout=5).status_code == 200
    assert requests.get(f"{ping_url}/api/ping/x", timeout=5).status_code == 502
    assert requests.get(f"{ping_url}/api/ping/x", timeout=5).status_code == 502
    assert requests.get(f"{ping_url}/api/ping/x", timeout=5).status_code == 200
    assert requests.get(f"{ping_url}/_sandbox/faults", timeout=5).json() == {"faults": []}


def test_a_throttle_fault_answers_429_with_retry_after(ping_url: str) -> None:
    requests.post(f"{ping_url}/_sandbox/faults", json={"kind": "throttle"}, timeout=5)

    answer = requests.get(f"{ping_url}/api/ping/a", timeout=5)

    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "1"


def test_a_slow_fault_delays_the_answer_past_a_client_timeout(ping_url: str) -> None:
    requests.post(
        f"{ping_url}/_sandbox/faults", json={"kind": "slow", "delay_seconds": 0.6}, timeout=5
    )

    with pytest.raises(requests.Timeout):
        requests.get(f"{ping_url}/api/ping/a", timeout=0.2)
    started = time.monotonic()
    assert requests.get(f"{ping_url}/api/ping/a", timeout=5).status_code == 200
    assert time.monotonic() - started < 0.5


def test_a_drop_fault_closes_the_connection_without_an_answer(ping_url: str) -> None:
    requests.post(f"{ping_url}/_sandbox/faults", json={"kind": "drop"}, timeout=5)

    with pytest.raises(requests.ConnectionError):
        requests.get(f"{ping_url}/api/ping/a", timeout=5)
    assert requests.get(f"{ping_url}/api/ping/a", timeout=5).status_code == 200


def test_a_bad_fault_is_refused_with_the_reason(ping_url: str) -> None:
    answer = requests.post(
        f"{ping_url}/_sandbox/faults", json={"kind": "error", "status": 404}, timeout=5
    )

    assert answer.status_code == 400
    assert answer.json() == {"error": "an error fault answers a 5xx status, got 404"}


def test_a_fault_at_a_rate_hits_about_that_share_of_requests() -> None:
    plan = FaultPlan(seed=1)
    plan.add(Fault(kind="error", count=None, rate=0.25))

    hits = sum(plan.draw(["GET /x"]) is not None for _ in range(4000))

    assert 800 < hits < 1200


def test_the_clock_moves_forward_on_request(ping_url: str) -> None:
    before = datetime.fromisoformat(
        requests.get(f"{ping_url}/_sandbox/clock", timeout=5).json()["now"]
    )

    after = requests.post(
        f"{ping_url}/_sandbox/clock", json={"advance_seconds": 3600}, timeout=5
    ).json()["now"]

    assert 3600 <= (datetime.fromisoformat(after) - before).total_seconds() < 3610
