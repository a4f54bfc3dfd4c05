"""Fault injection and call counting, common to the three emulators."""

from __future__ import annotations

import itertools
import random
import re
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FaultKind = Literal["throttle", "error", "slow", "drop"]
FAULT_KINDS: tuple[FaultKind, ...] = ("throttle", "error", "slow", "drop")


@dataclass
class Fault:
    """One fault to inject into the emulated API.

    Attributes:
        kind: `throttle` answers as the vendor does when rate-limited, `error` answers a 5xx,
            `slow` delays the answer, `drop` closes the connection without answering.
        match: Regular expression searched in "METHOD /path" (and in whatever else the
            emulator names the request by, such as a GraphQL root field); None matches all.
        count: Inject into this many matching requests, then retire; None for no limit.
        rate: Probability of injecting into each matching request (0 to 1).
        status: HTTP status of an `error` fault.
        delay_seconds: How long a `slow` fault holds the answer.
    """

    kind: FaultKind
    match: str | None = None
    count: int | None = 1
    rate: float = 1.0
    status: int = 503
    delay_seconds: float = 2.0
    id: int = 0
    injected: int = 0
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(FAULT_KINDS)}, got {self.kind!r}")
        if self.count is not None and self.count < 1:
            raise ValueError(f"count must be at least 1, got {self.count}")
        if not 0 < self.rate <= 1:
            raise ValueError(f"rate must be in (0, 1], got {self.rate}")
        if self.kind == "error" and not 500 <= self.status <= 599:
            raise ValueError(f"an error fault answers a 5xx status, got {self.status}")
        if self.delay_seconds < 0:
            raise ValueError("delay_seconds cannot be negative")
        self._pattern = re.compile(self.match) if self.match else None

    def matches(self, subjects: list[str]) -> bool:
        """Whether the fault applies to a request known by these names."""
        return self._pattern is None or any(self._pattern.search(s) for s in subjects)

    def describe(self) -> dict[str, Any]:
        """The fault as the admin API shows it."""
        data = asdict(self)
        data.pop("_pattern")
        return data


class FaultPlan:
    """The faults waiting to be injected into one emulator, in the order they were added."""

    def __init__(self, seed: int = 0) -> None:
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        """Arm a fault."""
        with self._lock:
            fault.id = next(self._ids)
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        """Disarm every fault."""
        with self._lock:
            self._faults.clear()

    def list(self) -> list[dict[str, Any]]:
        """The armed faults."""
        with self._lock:
            return [fault.describe() for fault in self._faults]

    def draw(self, subjects: list[str]) -> Fault | None:
        """The fault to inject into a request known by these names, if any."""
        with self._lock:
            for fault in self._faults:
                if not fault.matches(subjects) or self._random.random() >= fault.rate:
                    continue
                fault.injected += 1
                if fault.count is not None and fault.injected >= fault.count:
                    self._faults.remove(fault)
                return fault
        return None


class CallCounter:
    """How many requests each endpoint of an emulator has answered."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, endpoint: str, calls: int = 1) -> None:
        """Count calls to an endpoint, named like "GET /wp-json/wc/v3/products"."""
        with self._lock:
            self._counts[endpoint] += calls

    def snapshot(self) -> dict[str, int]:
        """The counts so far, by endpoint."""
        with self._lock:
            return dict(sorted(self._counts.items()))

    def reset(self) -> None:
        """Start counting from zero."""
        with self._lock:
            self._counts.clear()
