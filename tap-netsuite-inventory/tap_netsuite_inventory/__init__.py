"""Singer tap for NetSuite items, inventory levels, sales orders, locations and price levels."""
