"""Fixtures of the end-to-end tests: the Meltano project run with `meltano run` on a sandbox.

Meltano itself lives in its own virtualenv, never in `.venv`: the tests use the `meltano`
named by the MELTANO_BIN variable, or `.venv-meltano/bin/meltano` (which scripts/test
installs). The plugins are installed once per session, by `meltano install`, into a scratch
copy of the project; each test then runs in a project folder of its own (the same
meltano.yml and ownership.yml, the packages linked, the installed plugins shared), so its
Meltano state, retry queues and ledgers start empty.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from sandbox.cli import write_env_file
from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings
from tests.target_netsuite.conftest import NetSuite

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "sync-model",
    "tap-netsuite-inventory",
    "tap-storefront",
    "target-netsuite",
    "target-storefront",
    "reconcile",
)
PLUGIN_FOLDERS = ("extractors", "loaders", "utilities")


def meltano_bin() -> str:
    """The meltano executable the tests use."""
    configured = os.environ.get("MELTANO_BIN")
    candidate = Path(configured) if configured else ROOT / ".venv-meltano" / "bin" / "meltano"
    if not candidate.exists():
        pytest.fail(
            f"meltano not found at {candidate}: install it in its own virtualenv "
            "(python3 -m venv .venv-meltano && .venv-meltano/bin/pip install meltano) or set "
            "MELTANO_BIN"
        )
    return str(candidate)


def _project(folder: Path, plugins: Path | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("meltano.yml", "ownership.yml"):
        shutil.copy(ROOT / name, folder / name)
    for package in PACKAGES:
        (folder / package).symlink_to(ROOT / package)
    if plugins is not None:
        (folder / ".meltano").mkdir()
        for kind in PLUGIN_FOLDERS:
            (folder / ".meltano" / kind).symlink_to(plugins / kind)
    return folder


def _environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MELTANO_", "SANDBOX_", "TAP_", "TARGET_"))
    }
    env.update({"MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false", "NO_COLOR": "1"})
    env.update(extra or {})
    return env


@pytest.fixture(scope="session")
def installed_plugins(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`meltano install` once per session; the plugin folders the tests' projects share."""
    project = _project(tmp_path_factory.mktemp("meltano-install"), None)
    result = subprocess.run(
        [meltano_bin(), "install"],
        cwd=project,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project / ".meltano"


@dataclass
class MeltanoProject:
    """A project folder wired to a running sandbox."""

    folder: Path
    sandbox: Sandbox
    env: dict[str, str]

    def run(self, *arguments: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """`meltano run ...` in the sandbox environment; returns its exit status and output."""
        return subprocess.run(
            [meltano_bin(), "run", *arguments],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self, *arguments: str) -> subprocess.Popen[str]:
        """Start `meltano run ...` without waiting, in its own process group."""
        log = (self.folder / "run.log").open("w")
        return subprocess.Popen(
            [meltano_bin(), "run", *arguments],
            cwd=self.folder,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def kill_plugin(self, run: subprocess.Popen[str], executable: str) -> None:
        """SIGKILL the plugin process a running `meltano run` started."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for pid in _descendants(run.pid):
                if executable in _command_line(pid):
                    os.kill(pid, signal.SIGKILL)
                    return
            time.sleep(0.05)
        raise AssertionError(f"{executable} never started")

    def netsuite_admin(self, method: str, path: str, body: Any = None) -> Any:
        """Call NetSuite's admin API."""
        base = self.sandbox.netsuite_url.removesuffix("/services/rest")
        response = requests.request(method, f"{base}/_sandbox{path}", json=body, timeout=30)
        assert response.ok, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    pending = [pid]
    while pending:
        parent = pending.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                found.append(child)
                pending.append(child)
    return found


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.fixture
def sandbox_settings() -> SandboxSettings:
    """A small catalogue with a handful of orders in each store."""
    return SandboxSettings(skus=60, seed=11, locations=3)


@pytest.fixture
def project(sandbox: Sandbox, installed_plugins: Path, tmp_path: Path) -> MeltanoProject:
    """A fresh project folder whose sandbox environment points at the test's sandbox."""
    folder = _project(tmp_path / "project", installed_plugins)
    env_file = folder / ".sandbox" / "sandbox.env"
    write_env_file(sandbox, env_file)
    variables = dict(
        line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line
    )
    return MeltanoProject(folder, sandbox, _environment(variables))


@pytest.fixture
def netsuite(sandbox: Sandbox) -> NetSuite:
    """NetSuite's state in the test's sandbox, read over its API."""
    return NetSuite(sandbox)
