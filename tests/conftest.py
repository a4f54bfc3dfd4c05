"""Fixtures shared by every test: a running sandbox on loopback ports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings


@pytest.fixture
def sandbox_settings() -> SandboxSettings:
    """A small catalogue; override this fixture in a test module to change size or vendors."""
    return SandboxSettings(skus=60, seed=11, locations=3)


@pytest.fixture
def sandbox(sandbox_settings: SandboxSettings) -> Iterator[Sandbox]:
    """A freshly seeded sandbox, stopped after the test."""
    with Sandbox(sandbox_settings) as running:
        yield running
