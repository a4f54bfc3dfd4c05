"""tap-storefront: a full sync and a sync with nothing changed, on each platform.

Prints records per second, the HTTP calls the sandbox counted, the Shopify cost spent and the
tap's peak memory (resident set of the tap process):

    .venv/bin/python benchmarks/tap_storefront_bench.py --skus 100000

The Shopify shop's restore rate defaults to 1000 points per second (a Plus plan); at the
Standard plan's 100 a full sync of 100,000 SKUs is bound by the bucket, not by the tap.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from plugin_process import run_plugin

from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings, ShopifySettings

TAP = str(Path(sys.executable).with_name("tap-storefront"))
_COST = re.compile(r"Shopify cost so far: (\d+) points spent \((\d+) requested\) in (\d+) queries")


def run(config: dict[str, Any], state: dict[str, Any] | None, workdir: Path) -> dict[str, Any]:
    """Run the tap in its own process; count records, keep the last state, measure memory."""
    config_path, state_path = workdir / "config.json", workdir / "state.json"
    config_path.write_text(json.dumps(config))
    command = [TAP, "--config", str(config_path)]
    if state:
        state_path.write_text(json.dumps(state))
        command += ["--state", str(state_path)]
    output, log_path = workdir / "output.jsonl", workdir / "tap.log"
    with output.open("w") as sink, log_path.open("w") as log:
        tap = run_plugin(command, stdout=sink, stderr=log)
    if tap.returncode != 0:
        raise SystemExit(f"tap-storefront failed with exit code {tap.returncode}")

    records, last_state = 0, state
    with output.open() as lines:
        for line in lines:
            if line.startswith('{"type":"RECORD"'):
                records += 1
            elif line.startswith('{"type":"STATE"'):
                last_state = json.loads(line)["value"]
    costs = _COST.findall(log_path.read_text())
    return {
        "seconds": tap.seconds,
        "records": records,
        "state": last_state,
        "peak_mb": tap.peak_mib,
        "cost": costs[-1] if costs else None,
    }


def calls(url: str, reset: bool = False) -> dict[str, Any]:
    """The sandbox's call counts for one emulator (reset first when asked)."""
    method = "DELETE" if reset else "GET"
    return requests.request(method, f"{url}/_sandbox/calls", timeout=30).json()


def report(platform: str, label: str, result: dict[str, Any], counted: dict[str, Any]) -> None:
    """One line of figures."""
    rate = result["records"] / result["seconds"] if result["seconds"] else 0.0
    cost = ""
    if result["cost"]:
        spent, requested, queries = result["cost"]
        cost = f", GraphQL cost {spent} spent / {requested} requested in {queries} queries"
    print(
        f"{platform:12} {label:15} {result['records']:>8} records in {result['seconds']:7.1f} s"
        f" = {rate:8.0f} records/s, {counted['total']:>6} HTTP calls{cost},"
        f" peak memory {result['peak_mb']:.0f} MB",
        flush=True,
    )


def main() -> None:
    """Seed a sandbox, then sync each platform twice."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=100_000)
    parser.add_argument("--restore-rate", type=float, default=1000.0)
    parser.add_argument("--platforms", default="woocommerce,shopify")
    args = parser.parse_args()

    settings = SandboxSettings(
        skus=args.skus,
        shopify=ShopifySettings(bucket_size=2000, restore_rate=args.restore_rate),
    )
    seeding = time.perf_counter()
    with Sandbox(settings) as sandbox, tempfile.TemporaryDirectory() as scratch:
        print(f"sandbox with {args.skus} SKUs seeded in {time.perf_counter() - seeding:.1f} s")
        secrets = sandbox.settings
        configs = {
            "woocommerce": (
                sandbox.woocommerce_url,
                {
                    "platform": "woocommerce",
                    "base_url": sandbox.woocommerce_url,
                    "consumer_key": secrets.woocommerce.consumer_key,
                    "consumer_secret": secrets.woocommerce.consumer_secret,
                    "stock_location": "main",
                },
            ),
            "shopify": (
                sandbox.shopify_url,
                {
                    "platform": "shopify",
                    "base_url": sandbox.shopify_url,
                    "access_token": secrets.shopify.access_token,
                },
            ),
        }
        for platform in args.platforms.split(","):
            url, config = configs[platform]
            calls(url, reset=True)
            full = run(config, None, Path(scratch))
            report(platform, "full sync", full, calls(url))
            calls(url, reset=True)
            again = run(config, full["state"], Path(scratch))
            report(platform, "nothing changed", again, calls(url))


if __name__ == "__main__":
    main()
