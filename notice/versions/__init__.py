"""Versions from git history: the last-updated gate, the audit, redlines between versions."""
