"""SuiteQL rows, SQL features and errors, as NetSuite answers them."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import requests

from sandbox.catalogue import stock_positions
from sandbox.server import Sandbox
from sandbox.shopify.store import order_ids


def test_row_quirks_lower_case_strings_flags_links_and_omitted_nulls(netsuite):
    rows = netsuite.rows(
        "SELECT ID, ItemId, IsInactive, Parent, UpcCode FROM ITEM WHERE id IN (1, 2) ORDER BY id"
    )

    assert rows[0]["links"] == []
    assert set(rows[0]) <= {"links", "id", "itemid", "isinactive", "parent", "upccode"}
    assert rows[0]["id"] == "1"
    assert all(
        isinstance(value, str) for row in rows for key, value in row.items() if key != "links"
    )
    assert {row["isinactive"] for row in rows} <= {"T", "F"}
    without_parent = [row for row in rows if "parent" not in row]
    assert without_parent, "a simple item has no parent, and the null column is omitted"


def test_numbers_are_strings_without_trailing_zero(netsuite):
    rows = netsuite.rows(
        "SELECT t.foreigntotal, tl.quantity, tl.rate, tl.netamount FROM transaction t "
        "JOIN transactionline tl ON tl.transaction = t.id "
        "WHERE tl.mainline = 'F' AND tl.taxline = 'F' AND t.type = 'SalesOrd' ORDER BY t.id"
    )

    first = rows[0]
    assert float(first["quantity"]) < 0
    assert float(first["netamount"]) < 0
    assert float(first["foreigntotal"]) > 0
    assert not first["quantity"].endswith(".0")
    assert first["quantity"] == str(int(float(first["quantity"])))


def test_mainline_and_taxline_rows_exist_per_order(netsuite):
    rows = netsuite.rows(
        "SELECT tl.id, tl.mainline, tl.taxline, tl.netamount, t.foreigntotal FROM transaction t "
        "JOIN transactionline tl ON tl.transaction = t.id WHERE t.id = 5001 ORDER BY tl.id"
    )

    assert rows[0]["mainline"] == "T"
    assert rows[0]["netamount"] == rows[0]["foreigntotal"]
    assert rows[-1]["taxline"] == "T"
    assert all(row["mainline"] == "F" and row["taxline"] == "F" for row in rows[1:-1])


def test_dates_without_to_char_use_the_date_preference(netsuite):
    rows = netsuite.rows(
        "SELECT lastmodifieddate, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lm "
        "FROM item WHERE id = 1"
    )

    year, month, day = rows[0]["lm"][:10].split("-")
    assert rows[0]["lastmodifieddate"] == f"{int(month)}/{int(day)}/{year}"


def test_to_char_and_to_timestamp_use_account_local_time(sandbox: Sandbox, netsuite):
    before = sandbox.clock.now()
    requests.patch(f"{netsuite.admin}/items/SKU-000001", json={"displayname": "Renamed"})
    after = sandbox.clock.now()
    zone = ZoneInfo(sandbox.settings.netsuite.time_zone)

    stamp = netsuite.rows(
        "SELECT TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lm FROM item "
        "WHERE itemid = 'SKU-000001'"
    )[0]["lm"]

    local = {moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") for moment in (before, after)}
    assert min(local) <= stamp <= max(local)
    utc = (after + timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S")
    since = (
        "SELECT itemid FROM item WHERE lastmodifieddate >= TO_TIMESTAMP('{}', "
        "'YYYY-MM-DD HH24:MI:SS')"
    )
    assert {r["itemid"] for r in netsuite.rows(since.format(stamp))} == {"SKU-000001"}
    assert netsuite.rows(since.format(utc)) == []


def test_status_is_a_letter_and_builtin_cf_prefixes_the_type(netsuite):
    rows = netsuite.rows(
        "SELECT id, status, BUILTIN.CF(status) AS cf, BUILTIN.DF(status) AS df FROM transaction "
        "WHERE type = 'SalesOrd' ORDER BY id"
    )

    assert {row["status"] for row in rows} <= {"B", "F", "G"}
    assert all(row["cf"] == f"SalesOrd:{row['status']}" for row in rows)
    assert rows[0]["df"].startswith("Sales Order : ")
    assert netsuite.rows("SELECT id FROM transaction WHERE status = 'SalesOrd:B'") == []


def test_builtin_df_names_references(netsuite):
    rows = netsuite.rows(
        "SELECT BUILTIN.DF(tl.item) AS sku, BUILTIN.DF(tl.location) AS place FROM transactionline "
        "tl WHERE tl.transaction = 5001 AND tl.mainline = 'F' AND tl.taxline = 'F'"
    )

    assert rows[0]["place"] == "Main Warehouse"
    assert rows[0]["sku"].startswith(("SKU-", "P0"))


def test_joins_where_in_or_order_and_fetch_first(netsuite):
    rows = netsuite.rows(
        "SELECT i.itemid, l.name, iil.quantityonhand FROM inventoryitemlocations iil "
        "JOIN item i ON i.id = iil.item JOIN location l ON l.id = iil.location "
        "WHERE (iil.location IN (1, 2) AND i.isinactive = 'F') OR i.id = 1 "
        "ORDER BY i.id DESC, l.id FETCH FIRST 3 ROWS ONLY"
    )

    assert len(rows) == 3
    assert rows[0]["itemid"] == rows[1]["itemid"]
    assert [rows[0]["name"], rows[1]["name"]] == ["Main Warehouse", "East Coast DC"]


def test_rownum_limits_rows(netsuite):
    rows = netsuite.rows("SELECT id FROM item WHERE ROWNUM <= 4 AND id > 2 ORDER BY id")

    assert [row["id"] for row in rows] == ["3", "4", "5", "6"]


def test_count_sum_group_by_match_the_catalogue(sandbox: Sandbox, netsuite):
    positions = stock_positions(sandbox.catalogue, None)
    expected = {}
    for (_, key), position in positions.items():
        expected[key] = expected.get(key, 0) + position.on_hand

    rows = netsuite.rows(
        "SELECT l.name, COUNT(*) AS skus, SUM(iil.quantityonhand) AS onhand "
        "FROM inventoryitemlocations iil JOIN location l ON l.id = iil.location "
        "GROUP BY l.name ORDER BY l.name"
    )

    by_name = {location.name: location.key for location in sandbox.catalogue.locations}
    assert {row["name"]: int(row["onhand"]) for row in rows} == {
        name: expected[key] for name, key in by_name.items()
    }
    assert {row["skus"] for row in rows} == {str(len(sandbox.catalogue.items))}
    assert netsuite.rows("SELECT COUNT(*) FROM item")[0] == {
        "links": [],
        "expr1": str(
            len(sandbox.catalogue.items)
            + sum(p.has_variants for p in sandbox.catalogue.products)
            + 3
        ),
    }


def test_stock_seeded_from_netsuite_positions(sandbox: Sandbox, netsuite):
    positions = stock_positions(sandbox.catalogue, None)
    rows = netsuite.rows(
        "SELECT i.itemid, iil.location, iil.quantityonhand, iil.quantitycommitted, "
        "iil.quantityavailable FROM inventoryitemlocations iil JOIN item i ON i.id = iil.item"
    )
    ids = {location.netsuite_id: location.key for location in sandbox.catalogue.locations}

    for row in rows:
        position = positions[(row["itemid"], ids[int(row["location"])])]
        assert int(row["quantityonhand"]) == position.on_hand
        assert int(row["quantitycommitted"]) == position.netsuite_committed
        assert int(row["quantityavailable"]) == position.netsuite_available


def test_matrix_items_and_netsuite_only_items(sandbox: Sandbox, netsuite):
    product = next(p for p in sandbox.catalogue.products if p.has_variants)
    parent = netsuite.rows(f"SELECT id, matrixtype FROM item WHERE itemid = '{product.key}'")[0]
    children = netsuite.rows(f"SELECT itemid, matrixtype FROM item WHERE parent = {parent['id']}")

    assert parent["matrixtype"] == "PARENT"
    assert {row["itemid"] for row in children} == {item.sku for item in product.items}
    assert {row["matrixtype"] for row in children} == {"CHILD"}
    kinds = netsuite.rows("SELECT DISTINCT itemtype FROM item ORDER BY itemtype")
    assert [row["itemtype"] for row in kinds] == ["InvtPart", "NonInvtPart", "Service"]


def test_prices_by_level(sandbox: Sandbox, netsuite):
    item = next(i for i in sandbox.catalogue.items if i.compare_at_price is not None)
    rows = netsuite.rows(
        "SELECT pl.name, p.unitprice FROM pricing p JOIN pricelevel pl ON pl.id = p.pricelevel "
        f"JOIN item i ON i.id = p.item WHERE i.itemid = '{item.sku}' ORDER BY pl.id"
    )

    assert {row["name"]: row["unitprice"] for row in rows} == {
        "Base Price": str(item.price.normalize()),
        "Online Price": str(item.price.normalize()),
        "MSRP": str(item.compare_at_price.normalize()),
    }


def test_orders_external_ids_and_customers(sandbox: Sandbox, netsuite):
    imported = [o for o in sandbox.catalogue.orders if o.imported_to_netsuite]
    rows = netsuite.rows(
        "SELECT t.tranid, t.externalid, c.email FROM transaction t "
        "JOIN customer c ON c.id = t.entity WHERE t.type = 'SalesOrd' ORDER BY t.id"
    )

    shopify_ids = order_ids(sandbox.catalogue.orders_for("shopify"))
    assert [row["externalid"] for row in rows] == [
        f"shopify:{shopify_ids[o.number]}"
        if o.platform == "shopify"
        else f"{o.platform}:{o.number}"
        for o in imported
    ]
    assert [row["email"] for row in rows] == [o.customer_email for o in imported]
    assert rows[0]["tranid"].startswith("SO")


def test_unknown_column_names_the_identifier(netsuite):
    response = netsuite.suiteql("SELECT id, nosuchcolumn FROM customer")

    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "Bad Request"
    detail = body["o:errorDetails"][0]
    assert detail["o:errorCode"] == "INVALID_PARAMETER"
    assert detail["o:errorQueryParam"] == "q"
    assert "Unknown identifier 'nosuchcolumn'" in detail["detail"]
    assert detail["detail"].startswith("Invalid search query.")


def test_unknown_table_is_an_invalid_search_type(netsuite):
    response = netsuite.suiteql("SELECT id FROM nosuchtable")

    assert response.status_code == 400
    assert "Invalid search type: nosuchtable" in response.json()["o:errorDetails"][0]["detail"]


def test_non_select_statements_are_refused(netsuite):
    for statement in ("DELETE FROM item", "UPDATE item SET itemid = 'x'", "DROP TABLE item"):
        response = netsuite.suiteql(statement)
        assert response.status_code == 400
        assert response.json()["o:errorDetails"][0]["o:errorCode"] == "INVALID_PARAMETER"

    assert netsuite.rows("SELECT COUNT(*) AS n FROM item")[0]["n"] != "0"


def test_invalid_sql_and_missing_query_answer_the_envelope(netsuite):
    broken = netsuite.suiteql("SELECT id FROM item WHERE (")
    missing = netsuite.session.post(f"{netsuite.url}/query/v1/suiteql", json={})
    not_json = netsuite.session.post(
        f"{netsuite.url}/query/v1/suiteql",
        data="{q:",
        headers={"Content-Type": "application/json"},
    )

    for response in (broken, missing, not_json):
        assert response.status_code == 400
        assert response.json()["status"] == 400
        assert response.json()["o:errorDetails"][0]["detail"]


def test_sysdate_and_day_arithmetic(sandbox: Sandbox, netsuite):
    requests.patch(f"{netsuite.admin}/items/SKU-000003", json={"displayname": "Fresh"})

    recent = netsuite.rows("SELECT itemid FROM item WHERE lastmodifieddate > SYSDATE - 1/24")
    shifted = netsuite.rows(
        "SELECT TO_CHAR(TO_TIMESTAMP('2026-03-01 10:00:00', 'YYYY-MM-DD HH24:MI:SS') - 1, "
        "'YYYY-MM-DD HH24:MI:SS') AS d FROM item WHERE id = 1"
    )

    assert [row["itemid"] for row in recent] == ["SKU-000003"]
    assert shifted[0]["d"] == "2026-02-28 10:00:00"
