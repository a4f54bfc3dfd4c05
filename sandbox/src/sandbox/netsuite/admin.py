"""The NetSuite emulator's admin API: what a clerk does in the NetSuite UI.

Items are named by SKU (their `itemid`), sales orders by internal id or `eid:{externalId}`.
Every change is stamped with the sandbox clock, moves `lastmodifieddate` and writes system
notes with the user-interface context, as an edit in the UI does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from sandbox.emulator import ADMIN_PREFIX, json_response, read_json
from sandbox.netsuite import fulfilment, items
from sandbox.netsuite.history import USER_INTERFACE

if TYPE_CHECKING:
    from sandbox.netsuite.app import NetSuiteEmulator


class NetSuiteAdmin:
    """Admin routes of the NetSuite emulator (mixed into `NetSuiteEmulator`)."""

    def admin_rules(self) -> list[Rule]:
        """Admin actions under `/_sandbox/`."""
        return [
            Rule(f"{ADMIN_PREFIX}/m2m-key", endpoint="admin_m2m_key", methods=["GET"]),
            Rule(f"{ADMIN_PREFIX}/items", endpoint="admin_create_item", methods=["POST"]),
            Rule(f"{ADMIN_PREFIX}/items/<sku>", endpoint="admin_item", methods=["GET"]),
            Rule(f"{ADMIN_PREFIX}/items/<sku>", endpoint="admin_edit_item", methods=["PATCH"]),
            Rule(f"{ADMIN_PREFIX}/items/<sku>", endpoint="admin_delete_item", methods=["DELETE"]),
            Rule(
                f"{ADMIN_PREFIX}/items/<sku>/inactivate",
                endpoint="admin_inactivate_item",
                methods=["POST"],
            ),
            Rule(
                f"{ADMIN_PREFIX}/items/<sku>/stock/<int:location>",
                endpoint="admin_stock",
                methods=["POST"],
            ),
            Rule(
                f"{ADMIN_PREFIX}/sales-orders/<key>/<any(fulfil,cancel,close):action>",
                endpoint="admin_order_action",
                methods=["POST"],
            ),
            Rule(
                f"{ADMIN_PREFIX}/custom-fields",
                endpoint="admin_custom_fields",
                methods=["GET", "POST"],
            ),
        ]

    def admin_m2m_key(self: NetSuiteEmulator, request: Request) -> Response:
        """The demo M2M key pair and the ids a client signs its assertion with."""
        return json_response(
            {
                "private_key_pem": self.auth.m2m_private_key_pem(),
                "public_key_pem": self.auth.m2m_public_key_pem(),
                "algorithm": "ES256",
                "certificate_id": self.settings.certificate_id,
                "client_id": self.settings.client_id,
            }
        )

    def admin_item(self: NetSuiteEmulator, request: Request, sku: str) -> Response:
        """An item's row, prices and stock by location."""
        with self.state.transaction() as db:
            row = items.item_by_sku(db, sku)
            stock = db.execute(
                'SELECT * FROM "inventoryitemlocations" WHERE item = ? ORDER BY location',
                (row["id"],),
            ).fetchall()
            prices = db.execute(
                'SELECT pl.name, p.unitprice FROM "pricing" p JOIN "pricelevel" pl '
                "ON pl.id = p.pricelevel WHERE p.item = ?",
                (row["id"],),
            ).fetchall()
        return json_response(
            {
                "item": dict(row),
                "prices": {name: price for name, price in prices},
                "stock": [dict(level) for level in stock],
            }
        )

    def admin_create_item(self: NetSuiteEmulator, request: Request) -> Response:
        """Create an item as a clerk does.

        Body: `{"sku", "name"?, "price"?, "itemtype"?, "upccode"?, "parent_sku"?,
        "on_hand"?: {location id: quantity}}`.
        """
        with self.writing() as db:
            item_id = items.create_item(db, self.change(USER_INTERFACE), read_json(request))
        return json_response({"id": item_id}, 201)

    def admin_edit_item(self: NetSuiteEmulator, request: Request, sku: str) -> Response:
        """Edit an item's fields as a clerk does in the UI.

        Body: SuiteQL column names and values, plus prices by level name, e.g.
        `{"displayname": "...", "custitem_x": "...", "prices": {"Base Price": "12.50"}}`.
        """
        with self.writing() as db:
            item_id = items.edit_item(db, self.change(USER_INTERFACE), sku, read_json(request))
        return json_response({"id": item_id})

    def admin_inactivate_item(self: NetSuiteEmulator, request: Request, sku: str) -> Response:
        """Mark an item inactive."""
        with self.writing() as db:
            item_id = items.edit_item(db, self.change(USER_INTERFACE), sku, {"isinactive": "T"})
        return json_response({"id": item_id})

    def admin_delete_item(self: NetSuiteEmulator, request: Request, sku: str) -> Response:
        """Delete an item; a `deletedrecord` row remembers it."""
        with self.writing() as db:
            item_id = items.delete_item(db, self.change(USER_INTERFACE), sku)
        return json_response({"id": item_id})

    def admin_stock(self: NetSuiteEmulator, request: Request, sku: str, location: int) -> Response:
        """Set on hand (`{"on_hand": 40}`) or receive stock (`{"receive": 10}`)."""
        with self.writing() as db:
            level = items.set_stock(
                db, self.change(USER_INTERFACE), sku, location, read_json(request)
            )
        return json_response(level)

    def admin_order_action(
        self: NetSuiteEmulator, request: Request, key: str, action: str
    ) -> Response:
        """Fulfil (`{"bill": true}` to bill too), cancel or close a sales order."""
        change = self.change(USER_INTERFACE)
        with self.writing() as db:
            if action == "fulfil":
                status = fulfilment.fulfil_order(
                    db, change, key, bool(read_json(request).get("bill"))
                )
            elif action == "cancel":
                status = fulfilment.cancel_order(db, change, key)
            else:
                status = fulfilment.close_order(db, change, key)
        return json_response({"status": status})

    def admin_custom_fields(self: NetSuiteEmulator, request: Request) -> Response:
        """List (GET) or define (POST) custom item fields.

        Body of POST: `{"scriptid": "custitem_x", "type": "text"}`; types are text, longtext,
        integer, float and checkbox.
        """
        if request.method == "POST":
            with self.writing() as db:
                field = items.define_custom_field(db, read_json(request))
            self.translator.invalidate()
            return json_response(field, 201)
        with self.state.transaction() as db:
            fields = items.custom_item_fields(db)
        return json_response({"fields": fields})
