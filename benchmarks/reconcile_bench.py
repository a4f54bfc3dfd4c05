"""target-reconcile and `reconcile report` over generated records: time and peak memory.

Generates, from a seed, the Singer output of each side (a fifth items, three fifths stock
levels at three locations, a fifth orders; about 1% of the store's figures drift), pipes it
into target-reconcile in its own process, then an incremental next day of NetSuite (1% of the
records), then runs the report, and prints records per second and each process's peak resident
memory:

    .venv/bin/python benchmarks/reconcile_bench.py --records 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

BIN = Path(sys.executable).parent
SCHEMAS = {
    "items": ["sku"],
    "inventory_levels": ["sku", "location"],
    "orders": ["order_ref"],
}


def side(source: str, records: int, seed: int) -> Iterator[str]:
    """The Singer lines of one side: items, then levels, then orders."""
    from sync_model.streams import SHARED_STREAMS

    rng = random.Random(seed)
    drift = source != "netsuite"
    skus = records // 5
    stamp = "2026-11-02T06:00:00Z"
    for stream, (schema, keys) in SHARED_STREAMS.items():
        yield json.dumps(
            {"type": "SCHEMA", "stream": stream, "schema": schema, "key_properties": list(keys)}
        )
    for index in range(skus):
        record = {
            "sku": f"SKU-{index:07d}",
            "name": f"Item {index}",
            "price": 10 + index % 90,
            "active": not (drift and rng.random() < 0.01),
            "source": source,
            "source_id": str(index),
            "updated_at": stamp,
        }
        yield json.dumps({"type": "RECORD", "stream": "items", "record": record})
    for index in range(skus):
        for location in ("main", "east", "west"):
            on_hand = (index * 7 + len(location)) % 120
            if drift and rng.random() < 0.01:
                on_hand += 1
            record = {
                "sku": f"SKU-{index:07d}",
                "location": location,
                "on_hand": on_hand,
                "source": source,
                "updated_at": stamp,
            }
            yield json.dumps({"type": "RECORD", "stream": "inventory_levels", "record": record})
    for index in range(records - 4 * skus):
        if not drift and rng.random() < 0.01:
            continue  # an order NetSuite never imported
        record = {
            "order_ref": f"shopify:{index}",
            "status": "open" if index % 3 else "fulfilled",
            "currency": "USD",
            "total": 0,
            "source": source,
            "updated_at": stamp,
            "lines": [],
        }
        line = json.dumps({"type": "RECORD", "stream": "orders", "record": record})
        # Money travels as an exact JSON number, written digit for digit as the taps write it.
        yield line.replace('"total": 0', f'"total": {10 + index % 500}.{index % 100:02d}')
    yield json.dumps({"type": "STATE", "value": {"bookmarks": {}}})


def measure(command: list[str], lines: Iterator[str] | None, env: dict) -> tuple[float, float, int]:
    """Run a process, feeding it lines; return seconds, peak RSS in MiB and lines fed."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE if lines else None,
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
            env=env,
        )
        fed = 0
        if lines is not None:
            assert process.stdin is not None
            for line in lines:
                process.stdin.write(line + "\n")
                fed += 1
            process.stdin.close()
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            log.seek(0)
            raise SystemExit(f"{command[0]} failed:\n{log.read().decode()[-2000:]}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, fed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000, help="records per side")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "target.json"
        url = f"sqlite:///{folder}/history.db"
        config.write_text(json.dumps({"database_url": url}))
        env = {
            **os.environ,
            "RECONCILE_DATABASE_URL": url,
            "RECONCILE_STORE": "shopify",
            "RECONCILE_VIOLATIONS_PATH": f"{folder}/none.jsonl",
        }
        for source in ("netsuite", "shopify"):
            seconds, peak, fed = measure(
                [str(BIN / "target-reconcile"), "--config", str(config)],
                side(source, args.records, args.seed),
                env,
            )
            records = fed - 4
            print(
                f"target-reconcile {source}: {records:,} records in {seconds:.1f} s "
                f"({records / seconds:,.0f} records/s), peak memory {peak:.0f} MiB"
            )
        # The next day, an incremental run sends 1% of NetSuite's records; the rest of the
        # snapshot is carried over from the previous one inside the database.
        changed = list(side("netsuite", args.records // 100, args.seed + 1))
        seconds, peak, fed = measure(
            [str(BIN / "target-reconcile"), "--config", str(config)], iter(changed), env
        )
        print(
            f"target-reconcile netsuite, next day: {fed - 4:,} changed records and the rest "
            f"carried over in {seconds:.1f} s, peak memory {peak:.0f} MiB"
        )
        seconds, peak, _ = measure(
            [
                str(BIN / "reconcile"),
                "report",
                "--format",
                "json",
                "--output",
                f"{folder}/report.json",
            ],
            None,
            env,
        )
        report = json.loads(Path(f"{folder}/report.json").read_text())
        print(f"reconcile report: {seconds:.1f} s, peak memory {peak:.0f} MiB")
        for number in report["numbers"]:
            print(
                f"  {number['label']}: NetSuite {number['netsuite']}, store {number['store']}, "
                f"difference {number['difference']}"
            )
        print(f"  history database: {Path(folder, 'history.db').stat().st_size / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
