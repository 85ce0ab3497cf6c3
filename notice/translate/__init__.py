"""Translations: files per language and section, their status against the source, localisation."""
