"""Writing to WooCommerce through its REST API v3."""
