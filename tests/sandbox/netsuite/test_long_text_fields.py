"""Long-text custom item fields: the predefined clock field and ones an administrator adds."""

from __future__ import annotations

import json

import requests


def test_every_account_has_a_long_text_clock_field(netsuite):
    clocks = json.dumps(
        {f"field_{n}": {"t": "2026-01-01T00:00:00Z", "h": "0123456789abcdef"} for n in range(20)}
    )

    response = netsuite.session.patch(
        f"{netsuite.url}/record/v1/inventoryItem/1",
        json={"custitem_sync_clocks": clocks},
        headers={"X-NetSuite-PropertyNameValidation": "error"},
    )
    defined = requests.get(f"{netsuite.admin}/custom-fields").json()

    assert response.status_code == 204
    assert len(clocks) > 300
    assert (
        netsuite.rows("SELECT custitem_sync_clocks FROM item WHERE id = 1")[0][
            "custitem_sync_clocks"
        ]
        == clocks
    )
    assert netsuite.record("inventoryItem/1").json()["custitem_sync_clocks"] == clocks
    assert defined["fields"]["custitem_sync_clocks"] == "longtext"


def test_an_administrator_can_add_a_long_text_field(netsuite):
    defined = requests.post(
        f"{netsuite.admin}/custom-fields",
        json={"scriptid": "custitem_store_images", "type": "longtext"},
    )
    response = netsuite.session.patch(
        f"{netsuite.url}/record/v1/inventoryItem/1",
        json={"custitem_store_images": '["https://example.com/a.jpg"]'},
    )

    assert defined.status_code == 201
    assert response.status_code == 204
    assert (
        netsuite.rows("SELECT custitem_store_images FROM item WHERE id = 1")[0][
            "custitem_store_images"
        ]
        == '["https://example.com/a.jpg"]'
    )
