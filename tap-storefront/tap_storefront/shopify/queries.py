"""The Admin GraphQL queries the streams run, with their cost per node under Shopify's rules.

An object costs 1, a connection 2 plus its page size times the cost of one node; scalars are
free. The estimates seed the page size of the first query; the answers' `requestedQueryCost`
then replaces them.
"""

from __future__ import annotations

_VARIANT_FIELDS = """
  id sku price compareAtPrice barcode updatedAt
  selectedOptions { name value }
  inventoryItem { tracked }
  product {
    id title descriptionHtml productType tags status updatedAt
    featuredImage { url }
  }
"""

#: Variants with their product's content; `$query` is a search such as "updated_at:>=...".
VARIANTS = f"""
query Variants($first: Int!, $after: String, $query: String) {{
  productVariants(first: $first, after: $after, query: $query, sortKey: ID) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ {_VARIANT_FIELDS} }}
  }}
}}
"""
#: variant 1 + selectedOptions 1 + inventoryItem 1 + product 1 + featuredImage 1.
VARIANT_COST = 5

#: Products changed since a time, by id only: their variants are then read with VARIANTS.
CHANGED_PRODUCTS = """
query ChangedProducts($first: Int!, $after: String, $query: String) {
  products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { id }
  }
}
"""
PRODUCT_ID_COST = 1

LOCATIONS = """
query Locations($first: Int!, $after: String) {
  locations(first: $first, after: $after, includeInactive: true) {
    pageInfo { hasNextPage endCursor }
    nodes { id name isActive }
  }
}
"""
LOCATION_COST = 1

#: The levels of one location; `$query` filters on `updated_at`.
LOCATION_LEVELS = """
query LocationLevels($location: ID!, $first: Int!, $after: String, $query: String) {
  location(id: $location) {
    inventoryLevels(first: $first, after: $after, query: $query) {
      pageInfo { hasNextPage endCursor }
      nodes {
        updatedAt
        quantities(names: ["available", "on_hand", "committed"]) { name quantity }
        item { sku tracked }
      }
    }
  }
}
"""
#: level 1 + quantities 1 + item 1.
LEVEL_COST = 3

#: Lines read with each order; an order with more is completed with ORDER_LINES.
LINES_PER_ORDER = 10
_LINE_FIELDS = """
  sku quantity
  originalUnitPriceSet { shopMoney { amount } }
  originalTotalSet { shopMoney { amount } }
"""
ORDERS = f"""
query Orders($first: Int!, $after: String, $query: String) {{
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{
      id name email createdAt updatedAt cancelledAt closed
      displayFinancialStatus displayFulfillmentStatus currencyCode
      totalPriceSet {{ shopMoney {{ amount currencyCode }} }}
      customer {{ email firstName lastName }}
      lineItems(first: {LINES_PER_ORDER}) {{
        pageInfo {{ hasNextPage endCursor }}
        nodes {{ {_LINE_FIELDS} }}
      }}
    }}
  }}
}}
"""
#: line 1 + unit price set 2 + total set 2.
_LINE_COST = 5
#: order 1 + totalPriceSet 2 + customer 1 + lineItems (2 + lines x line cost).
ORDER_COST = 1 + 2 + 1 + 2 + LINES_PER_ORDER * _LINE_COST

ORDER_LINES = f"""
query OrderLines($order: ID!, $first: Int!, $after: String) {{
  order(id: $order) {{
    lineItems(first: $first, after: $after) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{ {_LINE_FIELDS} }}
    }}
  }}
}}
"""
LINE_COST = _LINE_COST
