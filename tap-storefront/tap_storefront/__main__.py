"""Run the tap as `python -m tap_storefront`."""

from tap_storefront.tap import TapStorefront

TapStorefront.cli()
