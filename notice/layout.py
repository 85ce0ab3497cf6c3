"""The project's layout, declared once: which paths are the notice, the site, the archive."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

NOTICE_FILE = "notice.yml"
SECTIONS_DIR = "sections"
MACROS_DIR = "macros"
TRANSLATIONS_DIR = "translations"  # translations/<lang>/<section id>.md
# The notice's content: the only paths a pull request may change without a maintainer's review.
NOTICE_PATHS = (NOTICE_FILE, SECTIONS_DIR, MACROS_DIR, TRANSLATIONS_DIR)

DOCUMENTS_DIR = "documents"  # documents/<id>/: every document after the root one
ROOT_DOCUMENT = "root"  # the id of the document at the project's root (notice.yml, sections/)


@dataclass(frozen=True)
class DocumentPaths:
    """Where one document's files are, relative to the project root ('' prefix: the root one).

    A document other than the root reads the root's notice.yml (its variables) and macros/ too."""

    prefix: str = ""  # "" or "documents/<id>"

    def _own(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    @property
    def notice_file(self) -> str:
        return self._own(NOTICE_FILE)

    @property
    def sections_dir(self) -> str:
        return self._own(SECTIONS_DIR)

    @property
    def macros_dir(self) -> str:
        return self._own(MACROS_DIR)

    @property
    def translations_dir(self) -> str:
        return self._own(TRANSLATIONS_DIR)

    @property
    def shared_notice_file(self) -> str | None:
        """The root notice.yml whose variables a document shares; None for the root itself."""
        return NOTICE_FILE if self.prefix else None

    @property
    def shared_macros_dir(self) -> str | None:
        return MACROS_DIR if self.prefix else None

    @property
    def notice_paths(self) -> tuple[str, ...]:
        """The project paths whose history is this document's history: its own, then shared."""
        own = tuple(self._own(part) for part in NOTICE_PATHS)
        return own + ((NOTICE_FILE, MACROS_DIR) if self.prefix else ())

    def shown(self, relative: str) -> str:
        """A path relative to the document's folder as a project path (for messages)."""
        return self._own(relative)


ROOT_PATHS = DocumentPaths()

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
