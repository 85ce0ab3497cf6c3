"""Required disclosures: the catalogue of what laws require of a notice, and its coverage."""
