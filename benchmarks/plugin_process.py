"""Running a Singer plugin as its own process and measuring it, for the benchmarks."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

#: How often the plugin's memory high-water mark is read while it runs.
_POLL_SECONDS = 0.2


@dataclass(frozen=True)
class PluginRun:
    """How one run of a plugin process went."""

    returncode: int
    seconds: float
    peak_mib: float


def run_plugin(
    command: list[str],
    stdin: IO[str] | None = None,
    stdout: IO[str] | int | None = None,
    stderr: IO[str] | int | None = subprocess.DEVNULL,
) -> PluginRun:
    """Run a plugin to completion and measure its time and peak resident memory.

    The peak is the process's own VmHWM, read from /proc while it runs. getrusage's
    RUSAGE_CHILDREN would also count the copy of the benchmark process (and the sandbox it
    holds) made when the plugin was forked, before it exec'd.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, stdin=stdin, stdout=stdout, stderr=stderr, text=True)
    peak_kib = 0
    while process.poll() is None:
        peak_kib = max(peak_kib, _peak_rss_kib(process.pid))
        time.sleep(_POLL_SECONDS)
    return PluginRun(process.returncode, time.perf_counter() - started, peak_kib / 1024)


def _peak_rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
