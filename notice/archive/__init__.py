"""The auditors' archive as data: the hash-chained ledger, its store of PDFs, reading PDFs back."""
