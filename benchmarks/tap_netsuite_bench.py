"""How fast tap-netsuite-inventory reads a large NetSuite account, and how little a quiet run costs.

Prints figures rather than asserting on them:

    .venv/bin/python benchmarks/tap_netsuite_bench.py --skus 100000

Starts the sandbox with the given catalogue, then runs the tap's console script twice as a
separate process (so its memory is measured alone):

- a full sync of every stream, from no state;
- a run from the state the full sync left, with nothing changed in between (the goal: one
  request per stream).

For each run: records per stream, records per second, HTTP calls by endpoint (from the
sandbox's `/_sandbox/calls`) and the tap process's peak resident memory (Linux: VmHWM,
sampled every 0.2 s). The sandbox runs in this process and answers every request on one
SQLite connection, so records per second measure the emulator as much as the tap.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import requests
from plugin_process import run_plugin

from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings

TAP = Path(sys.executable).with_name("tap-netsuite-inventory")


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--max-concurrent-requests", type=int, default=4)
    args = parser.parse_args()

    started = time.perf_counter()
    settings = SandboxSettings(skus=args.skus, seed=args.seed)
    settings.netsuite.concurrency_limit = max(5, args.max_concurrent_requests)
    with Sandbox(settings) as sandbox, tempfile.TemporaryDirectory() as scratch:
        print(f"sandbox seeded with {args.skus} SKUs in {time.perf_counter() - started:.1f} s")
        netsuite = settings.netsuite
        config = {
            "account_id": netsuite.account_id,
            "base_url": sandbox.netsuite_url,
            "consumer_key": netsuite.consumer_key,
            "consumer_secret": netsuite.consumer_secret,
            "token_id": netsuite.token_id,
            "token_secret": netsuite.token_secret,
            "account_time_zone": netsuite.time_zone,
            "store_price_level": "Online Price",
            "compare_at_price_level": "MSRP",
            "page_size": args.page_size,
            "max_concurrent_requests": args.max_concurrent_requests,
        }
        admin = sandbox.netsuite_url.removesuffix("/services/rest") + "/_sandbox"
        directory = Path(scratch)
        (directory / "config.json").write_text(json.dumps(config))

        state = _run("full sync", directory, admin, with_state=None)
        (directory / "state.json").write_text(json.dumps(state))
        _run("nothing changed", directory, admin, with_state=directory / "state.json")


def _run(label: str, directory: Path, admin: str, with_state: Path | None) -> dict:
    requests.delete(f"{admin}/calls", timeout=30)
    command = [str(TAP), "--config", str(directory / "config.json")]
    if with_state is not None:
        command += ["--state", str(with_state)]
    output = directory / "output.jsonl"
    with output.open("w") as sink:
        tap = run_plugin(command, stdout=sink)
    if tap.returncode:
        raise SystemExit(f"the tap failed with exit code {tap.returncode}")
    elapsed = tap.seconds

    records: Counter[str] = Counter()
    state: dict = {}
    with output.open() as lines:
        for line in lines:
            message = json.loads(line)
            if message["type"] == "RECORD":
                records[message["stream"]] += 1
            elif message["type"] == "STATE":
                state = message["value"]
    calls = requests.get(f"{admin}/calls", timeout=30).json()

    total = sum(records.values())
    print(f"\n{label}: {total} records in {elapsed:.1f} s = {total / elapsed:,.0f} records/s")
    for stream, count in sorted(records.items()):
        print(f"  {stream:<18} {count:>8} records")
    print(f"  HTTP calls: {calls['total']}")
    for endpoint, count in calls["endpoints"].items():
        print(f"    {endpoint:<44} {count:>6}")
    print(f"  peak memory (resident) of the tap process: {tap.peak_mib:.0f} MiB")
    return state


if __name__ == "__main__":
    main()
