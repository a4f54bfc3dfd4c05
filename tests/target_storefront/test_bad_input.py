"""Bad records are rejected by name; the rest of the stream is applied."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from .conftest import Pipeline, location_mapping

LATER = "2027-01-01T00:00:00Z"


def _item(sku: str, **fields) -> dict:
    return {
        "sku": sku,
        "source": "netsuite",
        "source_id": "1",
        "updated_at": LATER,
        "field_updated_at": {"price": LATER},
        **fields,
    }


def test_bad_records_are_rejected_by_name_and_the_rest_applied(
    pipeline: Pipeline, make_stream: Callable[..., str]
) -> None:
    main = location_mapping(pipeline.platform)["1"]
    stream = make_stream(
        {
            "items": [
                _item("SKU-000001", price="not a price"),
                _item("SKU-000003", price=61.25),
                _item("SKU-000004", price=12.5, updated_at="yesterday"),
            ],
            "inventory_levels": [
                {"sku": "SKU-000001", "location": "nowhere", "available": 4, "source": "netsuite"},
                {"sku": "SKU-000003", "location": main, "available": -3, "source": "netsuite"},
                {"sku": "NO-SUCH-SKU", "location": main, "available": 2, "source": "netsuite"},
                {
                    "sku": "SKU-000001",
                    "location": main,
                    "available": 50,
                    "source": "netsuite",
                    "updated_at": LATER,
                },
            ],
        }
    )

    pipeline.target(stream)

    log = pipeline.log
    assert "Rejected items record (sku='SKU-000001'): breaks the items schema at price" in log
    assert "Rejected items record (sku='SKU-000004'): breaks the items schema at updated_at" in (
        log
    )
    assert (
        "Rejected inventory_levels record (sku='SKU-000001', location='nowhere'): location "
        "'nowhere' is not a location of the store" in log
    )
    assert (
        f"Rejected inventory_levels record (sku='SKU-000003', location='{main}'): available is "
        "negative (-3)" in log
    )
    assert (
        f"Rejected inventory_levels record (sku='NO-SUCH-SKU', location='{main}'): the SKU is "
        "not in the store" in log
    )
    assert pipeline.store.item("SKU-000003")["price"] == Decimal("61.25")
    assert pipeline.store.item("SKU-000001")["stock"][main] == 50 - _unimported(
        pipeline, "SKU-000001"
    )


def _unimported(pipeline: Pipeline, sku: str) -> int:
    from sandbox.catalogue import stock_positions

    assert pipeline.sandbox.catalogue is not None
    return stock_positions(pipeline.sandbox.catalogue, pipeline.platform)[(sku, "main")].unimported


def test_levels_of_a_store_owned_inventory_are_dropped(
    pipeline: Pipeline, make_stream: Callable[..., str], tmp_path
) -> None:
    main = location_mapping(pipeline.platform)["1"]
    ownership = tmp_path / "ownership.yml"
    ownership.write_text(
        "mode: two_way\nfields:\n  name: netsuite\n  price: netsuite\n"
        "  compare_at_price: netsuite\n  description: storefront\n"
        "  short_description: storefront\n  categories: storefront\n  images: storefront\n"
        "  inventory: storefront\n"
    )
    before = pipeline.store.item("SKU-000001")["stock"][main]
    stream = make_stream(
        {
            "inventory_levels": [
                {
                    "sku": "SKU-000001",
                    "location": main,
                    "available": before + 9,
                    "source": "netsuite",
                }
            ]
        }
    )
    pipeline.store.reset_calls()

    pipeline.target(stream, ownership_path=str(ownership))

    assert pipeline.store.write_calls() == 0
    assert pipeline.store.item("SKU-000001")["stock"][main] == before
    assert "Dropped 1 value(s) of inventory" in pipeline.log
