"""WooCommerce REST API v3: products and variations as items, their stock, and orders."""
