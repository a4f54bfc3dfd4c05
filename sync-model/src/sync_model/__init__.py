"""What every plugin of the inventory sync suite shares.

- `streams`: the schemas and keys of the shared streams (`items`, `inventory_levels`, `orders`).
- `ownership`: which system owns each synced field, read from `ownership.yml`.
- `clocks`: per-field last-write-wins clocks and ownership-violation detection.
- `violations`: the log of ownership violations targets record and reconcile reports.
- `values`: exact money, quantities and UTC timestamps.
"""
