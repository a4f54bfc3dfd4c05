"""Incremental reads with an overlap, de-duplicated across runs.

Stores stamp modification times to the second, and a search for "changed after T" either
misses an edit made in T's own second (a strict `>`) or repeats the records at T (`>=`).
Records can also be committed a moment after the time they carry. So each run asks for
everything changed since `bookmark - overlap`, and the stream state remembers which records
it already emitted inside that window (key -> `updated_at` and a fingerprint of the content).
A record seen before with the same time and content is skipped; a record with a newer time,
different content, or one that arrived late inside the window, is emitted. Nothing at the
bookmark is lost or repeated, whatever the store's time zone.

The remembered window is pruned to `bookmark - overlap` at the end of each run, so the state
grows with the number of records changed inside one overlap window, not with the catalogue.
"""

from __future__ import annotations

import hashlib
import json
import typing as t
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from singer_sdk.streams import Stream
from typing_extensions import override

from sync_model.values import format_utc, parse_utc

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

#: The stream-state key under which the records emitted inside the overlap window are kept.
SEEN_KEY = "emitted_in_overlap"

#: Between a remembered record's `updated_at` and its content fingerprint.
_SEPARATOR = "#"

#: Prune the in-run memory of emitted records once it holds this many entries.
_PRUNE_EVERY = 5_000


def _fingerprint(record: dict[str, t.Any]) -> str:
    """A short hash of a record's content, the same for the same record in any run."""
    text = json.dumps(record, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class OverlapWindow:
    """What one run of one stream has emitted near its bookmark.

    Args:
        previous: `SEEN_KEY` from the stream state of the last run (key -> `updated_at` and
            content fingerprint).
        overlap: How far before the bookmark each run starts reading again.
    """

    def __init__(self, previous: dict[str, str] | None, overlap: timedelta) -> None:
        self.previous = dict(previous or {})
        self.overlap = overlap
        self.emitted: dict[str, str] = {}
        self.latest: datetime | None = None
        self.skipped = 0

    def admit(self, key: str, updated_at: str, record: dict[str, t.Any]) -> bool:
        """Whether to emit a record; remembers it when it is emitted.

        A record is known by its `updated_at` and a fingerprint of its content: stores stamp
        times to the second, so a second change within the same second (an order placed and
        cancelled at once) keeps its time but not its content, and is emitted.
        """
        seen = f"{updated_at}{_SEPARATOR}{_fingerprint(record)}"
        if self.previous.get(key) == seen or self.emitted.get(key) == seen:
            self.skipped += 1
            return False
        self.emitted[key] = seen
        moment = parse_utc(updated_at)
        if self.latest is None or moment > self.latest:
            self.latest = moment
        if len(self.emitted) >= _PRUNE_EVERY and len(self.emitted) % _PRUNE_EVERY == 0:
            self.emitted = self._within(self.emitted, self.latest - self.overlap)
        return True

    def remembered(self, bookmark: datetime | None) -> dict[str, str]:
        """The entries to keep in state: those inside the window ending at the new bookmark."""
        if bookmark is None:
            return {}
        merged = {**self.previous, **self.emitted}
        return self._within(merged, bookmark - self.overlap)

    @staticmethod
    def _within(entries: dict[str, str], start: datetime) -> dict[str, str]:
        return {
            key: value
            for key, value in entries.items()
            if parse_utc(value.split(_SEPARATOR)[0]) >= start
        }


class OverlapIncrementalStream(Stream):
    """A stream read incrementally on `updated_at` with an overlap and de-duplication.

    Subclasses implement `fetch_changed(context, since)`, yielding records (already in the
    shared schema) changed at or after `since`, or all records when `since` is None.
    """

    replication_key = "updated_at"
    #: Pages are read in id order, not time order: the bookmark is final only after a run.
    is_sorted = False

    @property
    def overlap(self) -> timedelta:
        """How far before the bookmark a run starts reading again."""
        return timedelta(seconds=int(self.config.get("overlap_seconds", 600)))

    def fetch_changed(self, context: Context | None, since: datetime | None) -> Iterable[dict]:
        """Records changed at or after `since`, in the shared schema.

        Raises:
            NotImplementedError: Subclasses implement it.
        """
        raise NotImplementedError

    def bookmark_key(self, record: dict) -> str:
        """The identity under which a record is remembered inside the overlap window."""
        return "|".join(str(record[key]) for key in self.primary_keys)

    def read_since(self, context: Context | None) -> datetime | None:
        """Where this run starts reading: the bookmark minus the overlap, or None for all."""
        start = self.get_starting_timestamp(context)
        return None if start is None else start - self.overlap

    @override
    def get_records(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Changed records, without those already emitted at the same `updated_at`.

        Yields:
            One record per changed item, level or order.
        """
        state = self.get_context_state(context)
        window = OverlapWindow(state.get(SEEN_KEY), self.overlap)
        since = self.read_since(context)
        if since is None:
            self.logger.info("Reading every %s record (no bookmark yet)", self.name)
        else:
            self.logger.info(
                "Reading %s records changed since %s (bookmark minus %d s overlap)",
                self.name,
                format_utc(since),
                self.overlap.total_seconds(),
            )

        for record in self.fetch_changed(context, since):
            if window.admit(self.bookmark_key(record), record["updated_at"], record):
                yield record

        state[SEEN_KEY] = window.remembered(self._next_bookmark(state, window.latest, context))
        self.logger.info(
            "%s: %d record(s) emitted, %d already emitted in an earlier run skipped",
            self.name,
            len(window.emitted),
            window.skipped,
        )

    @override
    def get_replication_key_signpost(self, context: Context | None = None) -> str | None:
        """The furthest a run may move the bookmark: when the tap started, to the second.

        Written in the same form as `updated_at` values, because the SDK compares bookmarks
        as text. A record stamped after the tap started is read again by the next run and
        recognised there.
        """
        started = super().get_replication_key_signpost(context)
        if not isinstance(started, datetime):
            return None
        return format_utc(started.replace(microsecond=0))

    def _next_bookmark(
        self, state: dict, latest: datetime | None, context: Context | None
    ) -> datetime | None:
        """The bookmark the SDK will keep after this run (capped at the signpost)."""
        candidates = []
        old = state.get("replication_key_value")
        if old:
            candidates.append(parse_utc(old))
        if latest is not None:
            signpost = self.get_replication_key_signpost(context)
            capped = min(latest, parse_utc(signpost)) if signpost else latest
            candidates.append(capped)
        return max(candidates) if candidates else None
