"""Ownership violations: edits made to a field on the side that does not own it.

A target that finds a destination value differing from the one it last applied records a
violation here, restores the owner's value, and goes on. Reconcile reads the same log for its
drill-down. The log is a JSON-lines file, one violation a line, appended to and never rewritten,
so concurrent runs and crashes lose nothing already written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sync_model.values import format_utc, parse_utc

#: Where targets and reconcile keep the log unless configured otherwise.
DEFAULT_VIOLATIONS_PATH = Path(".meltano") / "inventory-sync" / "violations.jsonl"


@dataclass(frozen=True)
class OwnershipViolation:
    """One field found edited outside its owner.

    Attributes:
        sku: The item's SKU.
        field: The synced field (`price`, `description`, ...).
        system: The system where the edit was made (`storefront` or `netsuite`).
        found_value: What the non-owner's side held.
        owner_value: The owner's value, which the target restored.
        detected_at: When the target noticed.
        restored: Whether the owner's value was written back in the same run.
    """

    sku: str
    field: str
    system: str
    found_value: Any
    owner_value: Any
    detected_at: datetime
    restored: bool = True

    def to_json(self) -> str:
        """The violation as one line of the log."""
        data = asdict(self)
        data["detected_at"] = format_utc(self.detected_at)
        return json.dumps(data, default=str, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> OwnershipViolation:
        """Read one line of the log.

        Raises:
            ValueError: The line is not a violation record.
        """
        try:
            data = json.loads(line)
            data["detected_at"] = parse_utc(data["detected_at"])
            return cls(**data)
        except (KeyError, TypeError, json.JSONDecodeError) as error:
            raise ValueError(f"not an ownership violation record: {line[:120]!r}") from error


class ViolationLog:
    """The append-only log of ownership violations.

    Args:
        path: The JSON-lines file; its folder is created on the first write.
    """

    def __init__(self, path: Path = DEFAULT_VIOLATIONS_PATH) -> None:
        self.path = Path(path)

    def record(self, violations: list[OwnershipViolation]) -> None:
        """Append violations, flushed to disk before returning."""
        if not violations:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as log:
            log.write("".join(violation.to_json() + "\n" for violation in violations))
            log.flush()
            os.fsync(log.fileno())

    def read(self, since: datetime | None = None) -> Iterator[OwnershipViolation]:
        """The violations recorded, oldest first, optionally only those detected since a time."""
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as log:
            for line in log:
                if not line.strip():
                    continue
                violation = OwnershipViolation.from_json(line)
                if since is None or violation.detected_at >= since:
                    yield violation
