"""target-storefront: write calls against the minimum possible, records per second, peak memory.

For each platform: a sandbox seeded with `--skus` SKUs (seeded data, nothing stored), the
NetSuite tap's full stream written to a temporary file, then the target run as its own process
on it twice: the first sync, and a no-change sync (the tap's next incremental run). A third run
replays the whole stream again, which must also write nothing. Prints figures; asserts nothing
about time.

    .venv/bin/python benchmarks/target_storefront_bench.py --skus 100000

The Shopify emulator's cost bucket is raised (`--restore-rate`) so that the benchmark measures
the target rather than the waiting a real shop's bucket imposes; the target still paces itself
on the bucket the emulator reports.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import requests
from plugin_process import run_plugin

from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings, ShopifySettings
from tap_netsuite_inventory.tap import TapNetSuiteInventory

ROOT = Path(__file__).resolve().parents[1]
MUTATIONS = (
    "productCreate",
    "productUpdate",
    "productVariantsBulkUpdate",
    "metafieldsSet",
    "inventorySetQuantities",
    "inventoryActivate",
)


def tap_stream(sandbox: Sandbox, mapping: dict[str, str], state: Any, path: Path) -> Any:
    netsuite = sandbox.settings.netsuite
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
        "location_mapping": mapping,
        "max_concurrent_requests": 4,
    }
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        TapNetSuiteInventory(config=config, state=state).sync_all()
    path.write_text(output.getvalue())
    states = [json.loads(line) for line in output.getvalue().splitlines() if '"STATE"' in line]
    return states[-1]["value"]


def records_in(path: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    with path.open() as stream:
        for line in stream:
            if line.startswith('{"type":"RECORD"') or '"type": "RECORD"' in line[:30]:
                counts[json.loads(line)["stream"]] += 1
    return counts


TARGET = str(Path(sys.executable).with_name("target-storefront"))


def run_target(config_path: Path, stream: Path) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of one target process."""
    with stream.open() as stdin, (config_path.parent / "target.log").open("w") as log:
        run = run_plugin(
            [TARGET, "--config", str(config_path)],
            stdin=stdin,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    if run.returncode != 0:
        sys.stderr.write((config_path.parent / "target.log").read_text()[-3000:])
        raise SystemExit(f"target failed with exit code {run.returncode}")
    return run.seconds, run.peak_mib


def write_calls(url: str, platform: str) -> int:
    calls = requests.get(f"{url}/_sandbox/calls", timeout=60).json()
    if platform == "woocommerce":
        return sum(n for name, n in calls["endpoints"].items() if not name.startswith("GET"))
    return sum(calls["operations"].get(name, 0) for name in MUTATIONS)


def minimum_first_sync(sandbox: Sandbox, platform: str) -> int:
    """Each SKU's clocks must be stored once (prices and stock already agree in the seed)."""
    assert sandbox.catalogue is not None
    skus = [item for item in sandbox.catalogue.items]
    if platform == "shopify":
        return math.ceil(len(skus) / 25)
    simple = sum(1 for p in sandbox.catalogue.products if not p.has_variants)
    variable = sum(1 for p in sandbox.catalogue.products if p.has_variants)
    return math.ceil(simple / 100) + variable


def bench(platform: str, skus: int, restore_rate: float) -> None:
    settings = SandboxSettings(
        skus=skus,
        seed=7,
        locations=3,
        shopify=ShopifySettings(bucket_size=20_000, restore_rate=restore_rate),
    )
    if platform == "woocommerce":
        mapping = {"1": "main"}
    else:
        mapping = {str(n): f"gid://shopify/Location/{70_000_000 + n}" for n in (1, 2, 3)}
    with tempfile.TemporaryDirectory() as work_dir, Sandbox(settings) as sandbox:
        work = Path(work_dir)
        url = sandbox.woocommerce_url if platform == "woocommerce" else sandbox.shopify_url
        config: dict[str, Any] = {
            "platform": platform,
            "ownership_path": str(ROOT / "ownership.yml"),
            "violations_path": str(work / "violations.jsonl"),
            "ledger_path": str(work / "ledger.sqlite"),
            "open_orders_lookback_days": 3650,
        }
        if platform == "woocommerce":
            woo = sandbox.settings.woocommerce
            config.update(
                base_url=url, consumer_key=woo.consumer_key, consumer_secret=woo.consumer_secret
            )
        else:
            config.update(
                base_url=url,
                access_token=sandbox.settings.shopify.access_token,
                order_locations=[mapping["1"]],
            )
        config_path = work / "config.json"
        config_path.write_text(json.dumps(config))

        started = time.perf_counter()
        first_stream = work / "first.singer"
        state = tap_stream(sandbox, mapping, None, first_stream)
        print(
            f"{platform}: tap read {skus} SKUs in {time.perf_counter() - started:.1f} s", flush=True
        )
        counts = records_in(first_stream)
        total = sum(counts.values())

        rows = []
        requests.delete(f"{url}/_sandbox/calls", timeout=60)
        elapsed, peak = run_target(config_path, first_stream)
        minimum = minimum_first_sync(sandbox, platform)
        rows.append(("first sync", total, elapsed, write_calls(url, platform), minimum, peak))

        second_stream = work / "second.singer"
        tap_stream(sandbox, mapping, state, second_stream)
        second_total = sum(records_in(second_stream).values())
        requests.delete(f"{url}/_sandbox/calls", timeout=60)
        elapsed, peak = run_target(config_path, second_stream)
        rows.append(("no-change sync", second_total, elapsed, write_calls(url, platform), 0, peak))

        requests.delete(f"{url}/_sandbox/calls", timeout=60)
        elapsed, peak = run_target(config_path, first_stream)
        rows.append(("full replay", total, elapsed, write_calls(url, platform), 0, peak))

        print(f"{platform}: stream of {dict(counts)}")
        print(
            f"{'run':<16}{'records':>9}{'seconds':>9}{'rec/s':>9}"
            f"{'writes':>8}{'minimum':>9}{'peak MiB':>10}"
        )
        for name, records, seconds, writes, least, mib in rows:
            rate = records / seconds if seconds else 0.0
            print(
                f"{name:<16}{records:>9}{seconds:>9.1f}{rate:>9.0f}"
                f"{writes:>8}{least:>9}{mib:>10.0f}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=100_000)
    parser.add_argument("--platform", choices=("woocommerce", "shopify", "both"), default="both")
    parser.add_argument("--restore-rate", type=float, default=100_000.0)
    args = parser.parse_args()
    platforms = ("woocommerce", "shopify") if args.platform == "both" else (args.platform,)
    for platform in platforms:
        bench(platform, args.skus, args.restore_rate)


if __name__ == "__main__":
    main()
