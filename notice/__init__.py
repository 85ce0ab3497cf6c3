"""Publish and version privacy notices: structured source, website, PDF/A, redlines, archive."""
