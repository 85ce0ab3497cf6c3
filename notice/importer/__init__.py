"""Import an existing notice (plain text, Markdown, HTML) into a new notice project."""

from .pipeline import ImportReport, import_notice

__all__ = ["ImportReport", "import_notice"]
