"""The overlap window: a record a run emitted is not emitted again unless it moved."""

from __future__ import annotations

from datetime import timedelta

from tap_storefront.incremental import OverlapWindow

OPEN = {"order_ref": "shopify:1", "status": "open", "updated_at": "2026-11-02T10:00:00Z"}
CANCELLED = {**OPEN, "status": "cancelled"}


def test_a_record_emitted_by_the_last_run_is_skipped() -> None:
    first = OverlapWindow(None, timedelta(minutes=10))
    assert first.admit("shopify:1", OPEN["updated_at"], OPEN)

    second = OverlapWindow(first.remembered(first.latest), timedelta(minutes=10))

    assert not second.admit("shopify:1", OPEN["updated_at"], OPEN)
    assert second.skipped == 1


def test_a_change_within_the_same_second_is_emitted_again() -> None:
    # Stores stamp times to the second: an order placed and cancelled within one second keeps
    # its updated_at, but not its content.
    first = OverlapWindow(None, timedelta(minutes=10))
    first.admit("shopify:1", OPEN["updated_at"], OPEN)

    second = OverlapWindow(first.remembered(first.latest), timedelta(minutes=10))

    assert second.admit("shopify:1", CANCELLED["updated_at"], CANCELLED)
    assert not second.admit("shopify:1", CANCELLED["updated_at"], CANCELLED)


def test_the_window_forgets_what_lies_before_bookmark_minus_overlap() -> None:
    window = OverlapWindow(None, timedelta(minutes=10))
    window.admit("a", "2026-11-02T09:00:00Z", {"k": "a"})
    window.admit("b", "2026-11-02T10:00:00Z", {"k": "b"})

    assert list(window.remembered(window.latest)) == ["b"]
