"""Run the tap with `python -m tap_netsuite_inventory`."""

from tap_netsuite_inventory.tap import TapNetSuiteInventory

TapNetSuiteInventory.cli()
