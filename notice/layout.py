"""The project's layout, declared once: which paths are the notice, the site, the archive."""

from __future__ import annotations

from pathlib import Path

NOTICE_FILE = "notice.yml"
SECTIONS_DIR = "sections"
MACROS_DIR = "macros"
TRANSLATIONS_DIR = "translations"  # translations/<lang>/<section id>.md
# The notice's content: the only paths a pull request may change without a maintainer's review.
NOTICE_PATHS = (NOTICE_FILE, SECTIONS_DIR, MACROS_DIR, TRANSLATIONS_DIR)

CONFIG_FILE = "mkdocs.yml"
DOCS_DIR = "docs"
OVERRIDES_DIR = "overrides"  # material's customisation folder, by convention
# The site's configuration: taken from the base branch when building a pull request.
SITE_PATHS = (CONFIG_FILE, DOCS_DIR, OVERRIDES_DIR)
ARCHIVE_DIR = "archive"
LEDGER = f"{ARCHIVE_DIR}/ledger.json"
BUILD_RECORD = ".notice-build.json"  # in the built site: its PDF and the inputs it was built from
# git-ignored copy of notice.yml's JSON Schema for editors, written by init and import
SCHEMA_FILE = ".notice.schema.json"
CACHE_DIR = ".cache/notice"  # git-ignored: build lock, rendered PDFs, incremental caches

PACKAGE_DIR = Path(__file__).resolve().parent  # the toolkit itself (notice/)
