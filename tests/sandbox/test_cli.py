"""The `inventory-sandbox` command, run as a user runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from sandbox.catalogue import generate_catalogue


def read_env_file(path: Path, timeout: float = 60) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().endswith("\n"):
            return dict(line.split("=", 1) for line in path.read_text().splitlines())
        time.sleep(0.1)
    raise AssertionError(f"the sandbox did not write {path} within {timeout} s")


def test_serve_answers_on_every_emulator_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    env_file = tmp_path / "sandbox.env"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sandbox.cli",
            "serve",
            "--skus",
            "20",
            "--netsuite-port",
            "0",
            "--woocommerce-port",
            "0",
            "--shopify-port",
            "0",
            "--env-file",
            str(env_file),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        variables = read_env_file(env_file)
        for name in ("netsuite", "woocommerce", "shopify"):
            base = variables[f"SANDBOX_{name.upper()}_URL"].removesuffix("/services/rest")
            health = requests.get(f"{base}/_sandbox/health", timeout=5).json()
            assert health == {"emulator": name, "status": "ok"}
        assert oct(env_file.stat().st_mode & 0o777) == "0o600"
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)

    assert process.returncode == 0, output
    assert "Serving 20 SKUs" in output
    assert variables["SANDBOX_NETSUITE_CONSUMER_SECRET"] not in output


def test_tour_reports_what_each_api_serves() -> None:
    catalogue = generate_catalogue(skus=40, seed=3)

    result = subprocess.run(
        [sys.executable, "-m", "sandbox.cli", "tour", "--skus", "40", "--seed", "3"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        check=False,
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"  inventory items: {len(catalogue.items)}" in lines
    woo_products = len(catalogue.products)
    woo_variable = sum(p.has_variants for p in catalogue.products)
    assert f"  products:        {woo_products} ({woo_variable} variable)" in lines
    assert "  locations:       East Coast DC, Flagship Store, Main Warehouse" in lines
