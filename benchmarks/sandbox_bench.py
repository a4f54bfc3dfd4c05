"""How fast the sandbox seeds a catalogue and answers the largest pages of each API.

Prints figures rather than asserting on them:

    .venv/bin/python benchmarks/sandbox_bench.py --skus 100000

- seeding: generating the catalogue and seeding each emulator's state;
- a 1000-row SuiteQL page of items, at the first offset and deep into the catalogue;
- a 250-node Shopify productVariants page;
- a 100-product WooCommerce page;
- the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable

import requests
from requests_oauthlib import OAuth1

from sandbox.catalogue import generate_catalogue
from sandbox.clock import Clock
from sandbox.netsuite import NetSuiteEmulator
from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings
from sandbox.shopify import ShopifyEmulator
from sandbox.state import StateStore
from sandbox.woocommerce import WooCommerceEmulator

SUITEQL_PAGE = (
    "SELECT i.id, i.itemid, i.displayname, i.isinactive, i.upccode, "
    "TO_CHAR(i.lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lastmodified "
    "FROM item i WHERE i.itemtype = 'InvtPart' ORDER BY i.id"
)
VARIANTS_PAGE = """
query Variants($after: String) {
  productVariants(first: 250, after: $after) {
    nodes {
      id sku price compareAtPrice barcode updatedAt
      product { id }
      inventoryItem { id tracked }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page kind")
    args = parser.parse_args()

    print(f"Seeding {args.skus:,} SKUs (seed {args.seed})")
    _time_seeding(args.skus, args.seed)

    settings = SandboxSettings(skus=args.skus, seed=args.seed)
    settings.shopify.bucket_size = 1_000_000
    settings.shopify.restore_rate = 1_000_000
    with Sandbox(settings) as sandbox:
        print(f"\nAnswering one page (median of {args.repeat} requests)")
        _time_pages(sandbox, args.repeat)

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak resident memory of this process: {peak_mib:,.0f} MiB")


def _time_seeding(skus: int, seed: int) -> None:
    started = time.perf_counter()
    catalogue = generate_catalogue(skus=skus, seed=seed)
    _report("catalogue generated", time.perf_counter() - started)

    settings = SandboxSettings()
    for emulator_class, vendor_settings in (
        (NetSuiteEmulator, settings.netsuite),
        (WooCommerceEmulator, settings.woocommerce),
        (ShopifyEmulator, settings.shopify),
    ):
        state = StateStore()
        started = time.perf_counter()
        emulator_class(catalogue, Clock(), state, vendor_settings)
        _report(f"{emulator_class.name} seeded", time.perf_counter() - started)
        state.close()


def _time_pages(sandbox: Sandbox, repeat: int) -> None:
    netsuite = sandbox.settings.netsuite
    auth = OAuth1(
        netsuite.consumer_key,
        netsuite.consumer_secret,
        netsuite.token_id,
        netsuite.token_secret,
        signature_method="HMAC-SHA256",
        realm=netsuite.account_id,
    )
    deep_offset = max(0, min(sandbox.settings.skus, netsuite.offset_cap) - 1000) // 1000 * 1000

    def suiteql(offset: int) -> Callable[[], int]:
        def page() -> int:
            answer = requests.post(
                f"{sandbox.netsuite_url}/query/v1/suiteql",
                params={"limit": 1000, "offset": offset},
                json={"q": SUITEQL_PAGE},
                headers={"Prefer": "transient"},
                auth=auth,
                timeout=60,
            )
            answer.raise_for_status()
            return answer.json()["count"]

        return page

    def variants() -> int:
        answer = requests.post(
            f"{sandbox.shopify_url}/admin/api/2026-10/graphql.json",
            json={"query": VARIANTS_PAGE},
            headers={"X-Shopify-Access-Token": sandbox.settings.shopify.access_token},
            timeout=60,
        )
        answer.raise_for_status()
        return len(answer.json()["data"]["productVariants"]["nodes"])

    def products() -> int:
        woocommerce = sandbox.settings.woocommerce
        answer = requests.get(
            f"{sandbox.woocommerce_url}/wp-json/wc/v3/products",
            params={"per_page": 100, "page": 2},
            auth=(woocommerce.consumer_key, woocommerce.consumer_secret),
            timeout=60,
        )
        answer.raise_for_status()
        return len(answer.json())

    _time_requests("SuiteQL page at offset 0", suiteql(0), repeat)
    _time_requests(f"SuiteQL page at offset {deep_offset:,}", suiteql(deep_offset), repeat)
    _time_requests("Shopify productVariants page", variants, repeat)
    _time_requests("WooCommerce products page", products, repeat)


def _time_requests(label: str, request: Callable[[], int], repeat: int) -> None:
    seconds = []
    rows = 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = request()
        seconds.append(time.perf_counter() - started)
    _report(f"{label} ({rows} rows)", statistics.median(seconds))


def _report(label: str, seconds: float) -> None:
    print(f"  {label:<44} {seconds * 1000:>9,.0f} ms")


if __name__ == "__main__":
    main()
