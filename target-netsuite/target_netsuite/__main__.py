"""Run the target as `python -m target_netsuite`."""

from __future__ import annotations

from target_netsuite.target import TargetNetSuite

TargetNetSuite.cli()
