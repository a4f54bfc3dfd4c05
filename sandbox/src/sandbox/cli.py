"""The `inventory-sandbox` command: serve the emulators, or take a short tour of what they serve."""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import threading
from pathlib import Path

from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings

logger = logging.getLogger("sandbox")

#: Ports `serve` listens on unless told otherwise, so that project configuration can name them.
DEFAULT_PORTS = {"netsuite": 8701, "woocommerce": 8702, "shopify": 8703}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.command == "serve" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    settings = _settings(args)
    if args.command == "serve":
        return _serve(settings, args.env_file)
    from sandbox.tour import take_tour

    with Sandbox(settings) as sandbox:
        take_tour(sandbox)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inventory-sandbox",
        description="Local emulators of the NetSuite, WooCommerce and Shopify APIs.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the three APIs until interrupted")
    tour = commands.add_parser("tour", help="start the sandbox, show what it serves, and stop")
    for command in (serve, tour):
        data = command.add_argument_group("demo data")
        data.add_argument("--skus", type=int, default=200, help="SKUs to seed (up to 100000)")
        data.add_argument("--seed", type=int, default=7, help="seed of the demo data")
        data.add_argument("--locations", type=int, default=3, help="stock locations (1 to 5)")
        data.add_argument("--orders-per-store", type=int, help="orders placed in each store")
        data.add_argument(
            "--state-dir",
            type=Path,
            help="keep state in SQLite files here and reopen them on the next start",
        )
        limits = command.add_argument_group("vendor limits")
        limits.add_argument(
            "--suiteql-offset-cap", type=int, default=100_000, help="rows reachable by offset"
        )
        limits.add_argument(
            "--netsuite-concurrency", type=int, default=5, help="concurrent NetSuite requests"
        )
        limits.add_argument(
            "--shopify-bucket-size", type=int, default=2000, help="query-cost bucket size"
        )
        limits.add_argument(
            "--shopify-restore-rate", type=float, default=100.0, help="cost points per second"
        )
    network = serve.add_argument_group("network")
    network.add_argument("--host", default="127.0.0.1", help="address to listen on")
    for name, port in DEFAULT_PORTS.items():
        network.add_argument(f"--{name}-port", type=int, default=port, help=f"{name} port")
    serve.add_argument(
        "--env-file",
        type=Path,
        help="write the base URLs and the sandbox's demo credentials to this file",
    )
    return parser


def _settings(args: argparse.Namespace) -> SandboxSettings:
    settings = SandboxSettings(
        skus=args.skus,
        seed=args.seed,
        locations=args.locations,
        orders_per_store=args.orders_per_store,
        state_dir=args.state_dir,
    )
    if args.command == "serve":
        settings.host = args.host
        settings.netsuite_port = args.netsuite_port
        settings.woocommerce_port = args.woocommerce_port
        settings.shopify_port = args.shopify_port
    settings.netsuite.offset_cap = args.suiteql_offset_cap
    settings.netsuite.concurrency_limit = args.netsuite_concurrency
    settings.shopify.bucket_size = args.shopify_bucket_size
    settings.shopify.restore_rate = args.shopify_restore_rate
    return settings


def _serve(settings: SandboxSettings, env_file: Path | None) -> int:
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    with Sandbox(settings) as sandbox:
        logger.info(
            "NetSuite REST:    %s (account %s)", sandbox.netsuite_url, settings.netsuite.account_id
        )
        logger.info("WooCommerce site: %s (REST under /wp-json/wc/v3)", sandbox.woocommerce_url)
        logger.info(
            "Shopify shop:     %s (Admin GraphQL under /admin/api/{version})", sandbox.shopify_url
        )
        logger.info("Admin API of each emulator under /_sandbox/ (calls, faults, clock, actions)")
        if env_file is not None:
            write_env_file(sandbox, env_file)
            logger.info("URLs and demo credentials written to %s", env_file)
        logger.info("Serving %d SKUs; press Ctrl-C to stop", settings.skus)
        with contextlib.suppress(KeyboardInterrupt):
            stopping.wait()
    return 0


def write_env_file(sandbox: Sandbox, path: Path) -> None:
    """Write `SANDBOX_*` variables that point a client at the running sandbox.

    The credentials are the sandbox's own demo credentials, which open nothing else; the file
    lets project configuration reach the sandbox without repeating them.
    """
    netsuite = sandbox.settings.netsuite
    woocommerce = sandbox.settings.woocommerce
    shopify = sandbox.settings.shopify
    variables = {
        "SANDBOX_NETSUITE_URL": sandbox.netsuite_url,
        "SANDBOX_NETSUITE_ACCOUNT_ID": netsuite.account_id,
        "SANDBOX_NETSUITE_CONSUMER_KEY": netsuite.consumer_key,
        "SANDBOX_NETSUITE_CONSUMER_SECRET": netsuite.consumer_secret,
        "SANDBOX_NETSUITE_TOKEN_ID": netsuite.token_id,
        "SANDBOX_NETSUITE_TOKEN_SECRET": netsuite.token_secret,
        "SANDBOX_WOOCOMMERCE_URL": sandbox.woocommerce_url,
        "SANDBOX_WOOCOMMERCE_CONSUMER_KEY": woocommerce.consumer_key,
        "SANDBOX_WOOCOMMERCE_CONSUMER_SECRET": woocommerce.consumer_secret,
        "SANDBOX_SHOPIFY_URL": sandbox.shopify_url,
        "SANDBOX_SHOPIFY_ACCESS_TOKEN": shopify.access_token,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{name}={value}\n" for name, value in variables.items()))
    path.chmod(0o600)


if __name__ == "__main__":
    raise SystemExit(main())
