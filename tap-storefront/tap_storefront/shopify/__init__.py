"""Shopify Admin GraphQL: variants as items, inventory levels per location, and orders."""
