"""How fast target-netsuite imports store orders, at the NetSuite account's concurrency limit.

Prints figures rather than asserting on them:

    .venv/bin/python benchmarks/target_netsuite_bench.py --orders 10000

Starts the sandbox, generates `--orders` Shopify orders from `--seed` (one to four lines each,
SKUs drawn from the items NetSuite sells, a few hundred repeat customers), and runs the
target's console script as its own process twice on the same Singer input:

- the import, with `max_concurrent_requests` equal to the sandbox account's limit;
- a replay of the same stream (the goal: look-ups only, no write).

For each run: sales orders per second, HTTP calls by endpoint (from the sandbox's
`/_sandbox/calls`), and the target process's peak resident memory. The sandbox runs in this
process on one SQLite connection, so orders per second measure the emulator as much as the
target.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import requests
from plugin_process import PluginRun, run_plugin

from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings
from sync_model.streams import ORDERS_SCHEMA

TARGET = Path(sys.executable).with_name("target-netsuite")
SHOPIFY_MAIN = "gid://shopify/Location/70000001"


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--skus", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--concurrency", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=200)
    args = parser.parse_args()

    settings = SandboxSettings(skus=args.skus, seed=args.seed)
    settings.netsuite.concurrency_limit = args.concurrency
    with Sandbox(settings) as sandbox, tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        netsuite = settings.netsuite
        config = {
            "account_id": netsuite.account_id,
            "base_url": sandbox.netsuite_url,
            "consumer_key": netsuite.consumer_key,
            "consumer_secret": netsuite.consumer_secret,
            "token_id": netsuite.token_id,
            "token_secret": netsuite.token_secret,
            "location_mapping": {SHOPIFY_MAIN: "1"},
            "retry_queue_path": str(folder / "retry.sqlite"),
            "violations_path": str(folder / "violations.jsonl"),
            "ownership_path": str(Path(__file__).resolve().parents[1] / "ownership.yml"),
            "max_concurrent_requests": args.concurrency,
            "batch_size": args.batch_size,
        }
        (folder / "config.json").write_text(json.dumps(config))
        singer = folder / "orders.singer"
        write_orders(sandbox, singer, args.orders, args.seed)
        print(
            f"{args.orders} orders generated; NetSuite concurrency limit {args.concurrency}, "
            f"batch size {args.batch_size}"
        )
        admin = sandbox.netsuite_url.removesuffix("/services/rest") + "/_sandbox"
        for label in ("import", "replay (nothing changed)"):
            requests.delete(f"{admin}/calls", timeout=30)
            with singer.open() as stdin:
                run = run_plugin(
                    [str(TARGET), "--config", str(folder / "config.json")],
                    stdin=stdin,
                    stdout=subprocess.DEVNULL,
                    stderr=(folder / f"{label[:6]}.log").open("w"),
                )
            calls = requests.get(f"{admin}/calls", timeout=30).json()["endpoints"]
            report(label, args.orders, run, calls)
            if run.returncode != 0:
                print((folder / f"{label[:6]}.log").read_text()[-3000:])
                return


def write_orders(sandbox: Sandbox, path: Path, count: int, seed: int) -> None:
    """Generate `count` open Shopify orders over SKUs NetSuite sells, as Singer messages."""
    rng = random.Random(seed)
    items = [item for item in sandbox.catalogue.items if item.active]
    customers = [f"buyer{n}@example.com" for n in range(max(count // 20, 1))]
    with path.open("w") as out:
        schema = {"type": "SCHEMA", "stream": "orders", "schema": ORDERS_SCHEMA}
        out.write(json.dumps({**schema, "key_properties": ["order_ref"]}) + "\n")
        for number in range(count):
            lines = []
            for item in rng.sample(items, rng.randint(1, 4)):
                quantity = rng.randint(1, 3)
                lines.append(
                    {
                        "sku": item.sku,
                        "quantity": quantity,
                        "unit_price": str(item.price),
                        "line_total": str(item.price * quantity),
                    }
                )
            record = {
                "order_ref": f"shopify:{8_000_000 + number}",
                "number": f"#{8_000_000 + number}",
                "status": "open",
                "currency": "USD",
                "total": str(sum((Decimal(line["line_total"]) for line in lines), Decimal(0))),
                "created_at": "2026-11-20T10:00:00Z",
                "updated_at": "2026-11-20T10:05:00Z",
                "customer": {"email": rng.choice(customers), "name": "Bench Buyer"},
                "lines": lines,
                "source": "shopify",
                "source_id": str(8_000_000 + number),
            }
            text = json.dumps({"type": "RECORD", "stream": "orders", "record": record})
            # Money goes as JSON numbers, digit for digit, as a tap writes Decimals.
            for line in lines:
                for key in ("unit_price", "line_total"):
                    text = text.replace(f'"{key}": "{line[key]}"', f'"{key}": {line[key]}')
            text = text.replace(f'"total": "{record["total"]}"', f'"total": {record["total"]}')
            out.write(text + "\n")
        out.write(json.dumps({"type": "STATE", "value": {"bookmarks": {"orders": {}}}}) + "\n")


def report(label: str, orders: int, run: PluginRun, calls: dict[str, int]) -> None:
    """Print one run's figures."""
    seconds = run.seconds
    total = sum(calls.values())
    print(f"\n{label}: exit {run.returncode}, {seconds:.1f} s")
    print(f"  sales orders per second: {orders / seconds:.1f}")
    print(f"  HTTP calls: {total} ({total / orders:.3f} per order)")
    for endpoint, count in sorted(calls.items(), key=lambda pair: -pair[1]):
        print(f"    {count:>7}  {endpoint}")
    print(f"  peak memory of the target: {run.peak_mib:.0f} MiB")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"\ntotal time {time.perf_counter() - started:.1f} s")
