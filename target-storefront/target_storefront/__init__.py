"""target-storefront: NetSuite's items, prices and stock written to a WooCommerce or Shopify store.

Only the fields NetSuite owns are written, each only when its source time is newer than the one
last applied (field clocks kept on the store record), and stock never exceeds what NetSuite can
still promise once the store's not-yet-imported orders are taken off.
"""
