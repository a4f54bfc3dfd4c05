"""Daily reconciliation of NetSuite and a WooCommerce or Shopify store.

- `target`: target-reconcile, which keeps a dated snapshot of each system in the history.
- `history`: the snapshots and report runs, in SQLite or any SQLAlchemy database.
- `compare`: the three numbers, their differences and the drill-down lists.
- `report`, `render`, `cli`: the `reconcile report` command and its four output formats.
"""
