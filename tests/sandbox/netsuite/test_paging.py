"""SuiteQL paging: page sizes, the last page, the offset cap and keyset paging past it."""

from __future__ import annotations

import pytest

from sandbox.settings import NetSuiteSettings

OFFSET_CAP = 20


@pytest.fixture
def netsuite_settings() -> NetSuiteSettings:
    """An account whose offset paging stops after 20 rows."""
    return NetSuiteSettings(offset_cap=OFFSET_CAP)


def rels(page: dict) -> dict[str, str]:
    return {link["rel"]: link["href"] for link in page["links"]}


def item_count(netsuite) -> int:
    return int(netsuite.rows("SELECT COUNT(*) AS n FROM item")[0]["n"])


def test_default_page_and_envelope(netsuite):
    page = netsuite.suiteql("SELECT id FROM item WHERE id <= 3 ORDER BY id").json()

    assert set(page) == {"links", "count", "hasMore", "items", "offset", "totalResults"}
    assert page["count"] == 3
    assert page["hasMore"] is False
    assert page["offset"] == 0
    assert page["totalResults"] == 3
    assert rels(page)["self"].endswith("/services/rest/query/v1/suiteql?limit=1000&offset=0")
    assert set(rels(page)) == {"self"}


def test_middle_page_links(netsuite):
    page = netsuite.suiteql("SELECT id FROM item WHERE id <= 10 ORDER BY id", 3, 3).json()

    links = rels(page)
    assert [row["id"] for row in page["items"]] == ["4", "5", "6"]
    assert page["hasMore"] is True
    assert links["next"].endswith("limit=3&offset=6")
    assert links["previous"].endswith("limit=3&offset=0")
    assert links["first"].endswith("limit=3&offset=0")
    assert links["last"].endswith("limit=3&offset=9")


def test_exact_multiple_of_page_size_ends_without_an_empty_page(netsuite):
    query = "SELECT id FROM item WHERE id <= 10 ORDER BY id"
    first = netsuite.suiteql(query, 5, 0).json()
    last = netsuite.suiteql(query, 5, 5).json()

    assert first["hasMore"] is True
    assert last["count"] == 5
    assert last["hasMore"] is False
    assert "next" not in rels(last)
    assert [row["id"] for row in first["items"] + last["items"]] == [str(i) for i in range(1, 11)]


def test_page_past_the_end_is_empty(netsuite):
    page = netsuite.suiteql("SELECT id FROM item WHERE id <= 10 ORDER BY id", 5, 15).json()

    assert page["count"] == 0
    assert page["items"] == []
    assert page["hasMore"] is False
    assert page["totalResults"] == 10


@pytest.mark.parametrize("limit", [0, 1001, 5000])
def test_limit_outside_1_to_1000_is_refused(netsuite, limit):
    response = netsuite.suiteql("SELECT id FROM item", limit, 0)

    assert response.status_code == 400
    detail = response.json()["o:errorDetails"][0]
    assert detail["o:errorCode"] == "INVALID_PARAMETER"
    assert detail["o:errorQueryParam"] == "limit"


def test_offset_must_be_a_multiple_of_the_limit(netsuite):
    response = netsuite.suiteql("SELECT id FROM item", 5, 3)

    assert response.status_code == 400
    assert response.json()["o:errorDetails"][0]["o:errorQueryParam"] == "offset"


def test_offset_cap_stops_offset_paging(netsuite):
    assert item_count(netsuite) > OFFSET_CAP + 10
    query = "SELECT id FROM item ORDER BY id"

    last_reachable = netsuite.suiteql(query, 10, OFFSET_CAP - 10)
    past_cap = netsuite.suiteql(query, 10, OFFSET_CAP)

    assert last_reachable.status_code == 200
    assert last_reachable.json()["hasMore"] is True
    assert past_cap.status_code == 400
    body = past_cap.json()
    assert body["title"] == "Bad Request"
    detail = body["o:errorDetails"][0]
    assert detail["o:errorCode"] == "INVALID_PARAMETER"
    assert detail["o:errorQueryParam"] == "offset"
    assert str(OFFSET_CAP) in detail["detail"]


def test_a_large_page_is_cut_at_the_offset_cap(netsuite):
    page = netsuite.suiteql("SELECT id FROM item ORDER BY id", 1000, 0).json()

    assert page["count"] == OFFSET_CAP
    assert page["totalResults"] == item_count(netsuite)
    assert page["hasMore"] is True


def test_keyset_paging_reaches_rows_past_the_cap(netsuite):
    seen: list[int] = []
    last = 0
    while True:
        rows = netsuite.rows(
            f"SELECT id FROM item WHERE id > {last} ORDER BY id FETCH FIRST 7 ROWS ONLY"
        )
        if not rows:
            break
        seen.extend(int(row["id"]) for row in rows)
        last = seen[-1]

    assert len(seen) == item_count(netsuite)
    assert seen == sorted(set(seen))
    assert max(seen) > OFFSET_CAP
