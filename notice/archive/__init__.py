"""The auditors' archive: the hash-chained ledger, release, verify and as-of."""
