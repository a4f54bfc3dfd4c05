"""Run the target as `python -m target_storefront`."""

from target_storefront.target import TargetStorefront

TargetStorefront.cli()
