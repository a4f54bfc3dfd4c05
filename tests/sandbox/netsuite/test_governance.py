"""Concurrency governance, injected faults, call counts and the admin API."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from sandbox.server import Sandbox
from sandbox.settings import NetSuiteSettings

SUITEQL = "POST /services/rest/query/v1/suiteql"


@pytest.fixture
def netsuite_settings() -> NetSuiteSettings:
    """An account that answers two requests at once."""
    return NetSuiteSettings(concurrency_limit=2)


def arm(netsuite, **fault) -> None:
    response = requests.post(f"{netsuite.admin}/faults", json=fault)
    assert response.status_code == 201, response.text


def test_concurrency_limit_answers_429_with_the_envelope(netsuite):
    arm(netsuite, kind="slow", match="suiteql", count=2, delay_seconds=1.5)

    with ThreadPoolExecutor(max_workers=5) as pool:
        responses = list(pool.map(lambda _: netsuite.suiteql("SELECT id FROM item"), range(5)))

    statuses = sorted(response.status_code for response in responses)
    assert statuses.count(200) >= 2
    assert 429 in statuses
    refused = next(response for response in responses if response.status_code == 429)
    assert refused.json() == {
        "type": "https://www.rfc-editor.org/rfc/rfc6585.html#section-4",
        "title": "Too Many Requests",
        "status": 429,
        "o:errorDetails": [
            {
                "detail": "Concurrent request limit exceeded. Request blocked.",
                "o:errorCode": "CONCURRENCY_LIMIT_EXCEEDED",
            }
        ],
    }
    assert netsuite.suiteql("SELECT id FROM item").status_code == 200


def test_throttle_fault_answers_the_same_429(netsuite):
    arm(netsuite, kind="throttle", match="suiteql")

    throttled = netsuite.suiteql("SELECT id FROM item")
    next_one = netsuite.suiteql("SELECT id FROM item")

    assert throttled.status_code == 429
    assert throttled.json()["o:errorDetails"][0]["o:errorCode"] == "CONCURRENCY_LIMIT_EXCEEDED"
    assert next_one.status_code == 200


def test_error_fault_answers_a_netsuite_5xx(netsuite):
    arm(netsuite, kind="error", status=503, match="salesOrder")

    response = netsuite.record("salesOrder/5001")

    assert response.status_code == 503
    body = response.json()
    assert body["title"] == "Service Unavailable"
    assert body["o:errorDetails"][0]["o:errorCode"] == "UNEXPECTED_ERROR"
    assert netsuite.record("salesOrder/5001").status_code == 200


def test_slow_fault_delays_the_answer(netsuite):
    arm(netsuite, kind="slow", delay_seconds=0.6)

    response = netsuite.suiteql("SELECT id FROM item")

    assert response.status_code == 200
    assert response.elapsed.total_seconds() >= 0.6


def test_drop_fault_closes_the_connection(netsuite):
    arm(netsuite, kind="drop", match="suiteql")

    with pytest.raises(requests.ConnectionError):
        netsuite.suiteql("SELECT id FROM item")
    assert netsuite.suiteql("SELECT id FROM item").status_code == 200


def test_calls_are_counted_per_endpoint(netsuite):
    requests.delete(f"{netsuite.admin}/calls")

    netsuite.suiteql("SELECT id FROM item")
    netsuite.suiteql("SELECT id FROM item")
    netsuite.record("salesOrder/5001")
    requests.get(f"{netsuite.url}/record/v1/customer/101")
    calls = requests.get(f"{netsuite.admin}/calls").json()

    assert calls["endpoints"][SUITEQL] == 2
    assert calls["endpoints"]["GET /services/rest/record/v1/salesOrder/<key>"] == 1
    assert calls["endpoints"]["GET /services/rest/record/v1/customer/<key>"] == 1
    assert calls["total"] == 4


def test_admin_edit_writes_history_and_moves_lastmodifieddate(sandbox: Sandbox, netsuite):
    query = (
        "SELECT displayname, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lm "
        "FROM item WHERE itemid = 'SKU-000002'"
    )
    before = netsuite.rows(query)[0]

    edited = requests.patch(
        f"{netsuite.admin}/items/SKU-000002",
        json={"displayname": "Clerk Edit", "prices": {"Online Price": "99.5"}},
    )
    after = netsuite.rows(query)[0]

    assert edited.status_code == 200
    assert after["displayname"] == "Clerk Edit"
    assert after["lm"] > before["lm"]
    notes = netsuite.rows(
        "SELECT field, oldvalue, newvalue, context FROM systemnote "
        f"WHERE recordtypeid = -10 AND recordid = {edited.json()['id']} AND context = 'UIF' "
        "AND type = 'Change' ORDER BY id DESC FETCH FIRST 2 ROWS ONLY"
    )
    assert {note["field"] for note in notes} == {"displayname", "price.Online Price"}


def test_admin_creates_inactivates_and_deletes_items(netsuite):
    created = requests.post(
        f"{netsuite.admin}/items",
        json={"sku": "NEW-1", "name": "New", "price": "5", "on_hand": {"1": 7}},
    )
    item_id = created.json()["id"]
    stocked = netsuite.rows(
        f"SELECT quantityonhand FROM inventoryitemlocations WHERE item = {item_id} AND location = 1"
    )
    inactivated = requests.post(f"{netsuite.admin}/items/NEW-1/inactivate")
    flag = netsuite.rows(f"SELECT isinactive FROM item WHERE id = {item_id}")
    deleted = requests.delete(f"{netsuite.admin}/items/NEW-1")

    assert created.status_code == 201
    assert stocked == [{"links": [], "quantityonhand": "7"}]
    assert inactivated.status_code == 200
    assert flag == [{"links": [], "isinactive": "T"}]
    assert deleted.status_code == 200
    assert netsuite.rows(f"SELECT id FROM item WHERE id = {item_id}") == []
    assert netsuite.rows(
        f"SELECT type, recordid FROM deletedrecord WHERE recordid = {item_id}"
    ) == [{"links": [], "type": "inventoryitem", "recordid": str(item_id)}]


def test_admin_sets_and_receives_stock(netsuite):
    set_to = requests.post(f"{netsuite.admin}/items/SKU-000001/stock/2", json={"on_hand": 40})
    received = requests.post(f"{netsuite.admin}/items/SKU-000001/stock/2", json={"receive": 5})

    assert set_to.json()["quantityonhand"] == 40
    level = received.json()
    assert level["quantityonhand"] == 45
    assert level["quantityavailable"] == 45 - level["quantitycommitted"]


def test_unknown_path_answers_404_envelope(netsuite):
    response = netsuite.session.get(f"{netsuite.url}/nothing/here")

    assert response.status_code == 404
    assert response.json()["title"] == "Not Found"
