"""target-netsuite: a Singer target writing store orders and store-owned content to NetSuite."""
