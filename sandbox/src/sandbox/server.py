"""Starting and stopping the three emulators on loopback ports."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from werkzeug.serving import BaseWSGIServer, make_server

from sandbox.catalogue import Catalogue, generate_catalogue
from sandbox.clock import Clock
from sandbox.emulator import Emulator
from sandbox.netsuite import NetSuiteEmulator
from sandbox.settings import SandboxSettings
from sandbox.shopify import ShopifyEmulator
from sandbox.state import StateStore
from sandbox.woocommerce import WooCommerceEmulator

logger = logging.getLogger(__name__)

#: How often a server checks whether it was asked to stop; short, so tests stop it quickly.
_POLL_SECONDS = 0.05


@dataclass
class _Running:
    emulator: Emulator
    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://{self.server.host}:{self.server.port}"


class Sandbox:
    """The three emulators, seeded from one catalogue and sharing one clock.

    Use it as a context manager, or call `start` and `stop`:

        with Sandbox(SandboxSettings(skus=500)) as sandbox:
            print(sandbox.netsuite_url)

    Args:
        settings: Size of the demo data, where state lives, ports and vendor settings.
    """

    def __init__(self, settings: SandboxSettings | None = None) -> None:
        self.settings = settings or SandboxSettings()
        self.clock = Clock()
        self.catalogue: Catalogue | None = None
        self._running: dict[str, _Running] = {}

    def start(self) -> Sandbox:
        """Seed (or reopen) each emulator's state and start answering on loopback."""
        settings = self.settings
        self.catalogue = generate_catalogue(
            skus=settings.skus,
            seed=settings.seed,
            locations=settings.locations,
            orders_per_store=settings.orders_per_store,
        )
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        emulators: list[tuple[Emulator, int]] = [
            (
                NetSuiteEmulator(
                    self.catalogue, self.clock, self._state("netsuite"), settings.netsuite
                ),
                settings.netsuite_port,
            ),
            (
                WooCommerceEmulator(
                    self.catalogue, self.clock, self._state("woocommerce"), settings.woocommerce
                ),
                settings.woocommerce_port,
            ),
            (
                ShopifyEmulator(
                    self.catalogue, self.clock, self._state("shopify"), settings.shopify
                ),
                settings.shopify_port,
            ),
        ]
        for emulator, port in emulators:
            server = make_server(settings.host, port, emulator, threaded=True)
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": _POLL_SECONDS},
                name=f"sandbox-{emulator.name}",
                daemon=True,
            )
            thread.start()
            self._running[emulator.name] = _Running(emulator, server, thread)
            logger.info(
                "%s emulator listening on %s", emulator.name, self._running[emulator.name].url
            )
        return self

    def stop(self) -> None:
        """Stop answering and close the state files."""
        for running in self._running.values():
            running.server.shutdown()
            running.server.server_close()
            running.thread.join(timeout=5)
            running.emulator.state.close()
        self._running.clear()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _state(self, name: str) -> StateStore:
        state_dir = self.settings.state_dir
        return StateStore(Path(state_dir) / f"{name}.sqlite" if state_dir else None)

    @property
    def netsuite(self) -> NetSuiteEmulator:
        """The running NetSuite emulator."""
        return self._running["netsuite"].emulator  # type: ignore[return-value]

    @property
    def woocommerce(self) -> WooCommerceEmulator:
        """The running WooCommerce emulator."""
        return self._running["woocommerce"].emulator  # type: ignore[return-value]

    @property
    def shopify(self) -> ShopifyEmulator:
        """The running Shopify emulator."""
        return self._running["shopify"].emulator  # type: ignore[return-value]

    @property
    def netsuite_url(self) -> str:
        """NetSuite's REST base, as `https://{account}.suitetalk.api.netsuite.com/services/rest`."""
        return f"{self._running['netsuite'].url}/services/rest"

    @property
    def woocommerce_url(self) -> str:
        """The store's site URL; the REST API is under `/wp-json/wc/v3`."""
        return self._running["woocommerce"].url

    @property
    def shopify_url(self) -> str:
        """The shop's URL; the Admin API is under `/admin/api/{version}/graphql.json`."""
        return self._running["shopify"].url
