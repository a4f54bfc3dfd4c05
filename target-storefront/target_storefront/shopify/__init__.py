"""Writing to Shopify through its Admin GraphQL API."""
