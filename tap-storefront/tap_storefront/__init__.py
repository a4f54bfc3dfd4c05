"""tap-storefront: items, inventory levels and orders from a WooCommerce or Shopify store.

Both platforms emit the suite's shared streams (`sync_model.streams.SHARED_STREAMS`), so any
target of the suite, and reconcile, read them alike.
"""
