"""The documents of a project: the root one and those its notice.yml lists under documents/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from notice.errors import UsageError
from notice.layout import DOCUMENTS_DIR, NOTICE_FILE, ROOT_DOCUMENT, ROOT_PATHS, DocumentPaths
from notice.source.yamlio import YamlProblem, load_yaml

DOCUMENT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_ID_LENGTH = 64
# Names the site or the archive already uses at its top level: a document there would shadow them.
RESERVED_IDS = frozenset(
    {
        ROOT_DOCUMENT,
        DOCUMENTS_DIR,
        "archive",
        "assets",
        "changes",
        "coverage",
        "drafts",
        "evidence",
        "feed",
        "history",
        "index",
        "javascripts",
        "ledger",
        "macros",
        "policies",
        "search",
        "sections",
        "sitemap",
        "static",
        "stylesheets",
        "timestamps",
        "translations",
        "tsa",
        "versions",
    }
)


@dataclass(frozen=True)
class Document:
    """One document of a project: where its files are, its archive folder and its site folder."""

    id: str  # ROOT_DOCUMENT for the notice at the project's root
    project: Path

    @property
    def is_root(self) -> bool:
        return self.id == ROOT_DOCUMENT

    @property
    def prefix(self) -> str:
        """Its folder relative to the project: '' or 'documents/<id>'."""
        return "" if self.is_root else f"{DOCUMENTS_DIR}/{self.id}"

    @property
    def folder(self) -> Path:
        """The folder commands take as the document's root."""
        return self.project / self.prefix if self.prefix else self.project

    @property
    def paths(self) -> DocumentPaths:
        return DocumentPaths(self.prefix) if self.prefix else ROOT_PATHS

    @property
    def archive_dir(self) -> str:
        """Where its released PDFs are kept (project-relative); the root's stay in archive/."""
        return "archive" if self.is_root else f"archive/{self.id}"

    @property
    def site_dir(self) -> str:
        """Where its pages go in the site: '' (the site's root) or '<id>/'."""
        return "" if self.is_root else f"{self.id}/"


def id_problem(document_id: object) -> str | None:
    """Why document_id cannot name a document (None when it can)."""
    if not isinstance(document_id, str) or not DOCUMENT_ID.match(document_id):
        return (
            f"{document_id!r} is not a document id: lowercase letters, digits and hyphens, "
            "e.g. cookies or california-supplement"
        )
    if len(document_id) > MAX_ID_LENGTH:
        return f"{document_id!r} is longer than {MAX_ID_LENGTH} characters: shorten it"
    if document_id in RESERVED_IDS:
        return f"{document_id!r} is a name the site or the archive already uses: choose another id"
    if _is_language(document_id):
        return (
            f"{document_id!r} is a language code (translations live at /{document_id}/): "
            "choose another id"
        )
    return None


def _is_language(document_id: str) -> bool:
    if len(document_id) > 3 and "-" not in document_id:
        return False
    # Babel's locale data costs a tenth of a second to import: only ids that look like one pay it
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(document_id.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def place_of(root: Path | str) -> Document:
    """The document whose folder root is: <project>/documents/<id> beside the project's
    notice.yml, or else a project root (its root document)."""
    folder = Path(root).resolve()
    parent = folder.parent
    if (
        parent.name == DOCUMENTS_DIR
        and DOCUMENT_ID.match(folder.name)
        and (parent.parent / NOTICE_FILE).is_file()
    ):
        return Document(folder.name, parent.parent)
    return Document(ROOT_DOCUMENT, folder)


def split_prefix(prefix: str) -> tuple[str, str]:
    """A repository prefix of a notice as (project prefix, document id): 'x/documents/cookies'
    -> ('x', 'cookies'); a project root's -> (prefix, ROOT_DOCUMENT)."""
    parts = prefix.split("/") if prefix else []
    if len(parts) >= 2 and parts[-2] == DOCUMENTS_DIR and DOCUMENT_ID.match(parts[-1]):
        return "/".join(parts[:-2]), parts[-1]
    return prefix, ROOT_DOCUMENT


def listed_ids(project: Path) -> list[str]:
    """The ids the project's notice.yml lists under documents: ([] when it lists none or cannot
    be read: check reports that file's problems on its own)."""
    path = Path(project) / NOTICE_FILE
    try:
        stat = path.stat()
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return list(_listed(text, stat.st_mtime_ns))


@lru_cache(maxsize=64)
def _listed(text: str, _mtime: int) -> tuple[str, ...]:
    try:
        config = load_yaml(text, NOTICE_FILE)  # the notice's own loader: hostile YAML refused
    except YamlProblem:
        return ()
    listed = config.get("documents") if isinstance(config, dict) else None
    if not isinstance(listed, list):
        return ()
    return tuple(item for item in listed if isinstance(item, str) and id_problem(item) is None)


def documents_of(project: Path) -> list[Document]:
    """Every document of the project in site order: the root one, then those listed."""
    project = Path(project).resolve()
    return [Document(ROOT_DOCUMENT, project)] + [Document(i, project) for i in listed_ids(project)]


def find_document(project: Path, document_id: str | None) -> Document:
    """The document of the project named document_id (None: the root one); UsageError else."""
    project = place_of(project).project
    if document_id in (None, ROOT_DOCUMENT):
        return Document(ROOT_DOCUMENT, project)
    listed = listed_ids(project)
    if document_id in listed:
        return Document(document_id, project)
    known = ", ".join([ROOT_DOCUMENT, *listed])
    raise UsageError(
        f"no document {document_id!r} in {project / NOTICE_FILE} (documents: {known}); "
        f"list it under documents: or run `notice new-document {document_id}`"
    )
