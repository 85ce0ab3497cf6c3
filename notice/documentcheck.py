"""Which documents a check covers, and the project's own rules: each listed document has its
folder, each folder is listed, a shared variable is used when any document uses it."""

from __future__ import annotations

from pathlib import Path

from notice.errors import Problem, Severity, SourceError
from notice.layout import DOCUMENTS_DIR, NOTICE_FILE
from notice.render.rendering import render
from notice.source.documents import Document, documents_of, find_document, place_of
from notice.source.load import load_notice
from notice.source.yamlio import YamlProblem, line_of, load_yaml


def documents_checked(root: Path, document_id: str | None) -> list[Document]:
    """What `check` judges: the named document; a document's folder given as root, that one;
    else every document of the project, the root one first."""
    if document_id is not None:
        return [find_document(root, document_id)]
    place = place_of(root)
    if not place.is_root:
        return [place]
    return documents_of(place.project)


def project_problems(project: Path) -> list[Problem]:
    """documents: in the root notice.yml against the folders under documents/."""
    listed = _listed_with_lines(project)
    problems = [
        Problem(
            NOTICE_FILE,
            line,
            f"documents: {document_id!r} has no {DOCUMENTS_DIR}/{document_id}/{NOTICE_FILE}: "
            f"create it with `notice new-document {document_id} --title TITLE`, or remove the id",
        )
        for document_id, line in listed.items()
        if not (project / DOCUMENTS_DIR / document_id / NOTICE_FILE).is_file()
    ]
    folder = project / DOCUMENTS_DIR
    unlisted = sorted(
        entry.name
        for entry in (folder.iterdir() if folder.is_dir() else ())
        if entry.is_dir() and not entry.name.startswith(".") and entry.name not in listed
    )
    problems += [
        Problem(
            f"{DOCUMENTS_DIR}/{name}",
            None,
            f"is not listed under documents: in {NOTICE_FILE}, so no command sees it: "
            f"add {name} to documents:, or remove the folder",
            Severity.WARNING,
        )
        for name in unlisted
    ]
    return problems


def _listed_with_lines(project: Path) -> dict[str, int | None]:
    try:
        config = load_yaml((project / NOTICE_FILE).read_text(encoding="utf-8"), NOTICE_FILE)
    except (OSError, UnicodeDecodeError, YamlProblem):
        return {}  # the root document's own check reports its notice.yml
    listed = config.get("documents") if isinstance(config, dict) else None
    if not isinstance(listed, list):
        return {}
    top = line_of(config, "documents")
    return {
        item: line_of(listed, index, top)
        for index, item in enumerate(listed)
        if isinstance(item, str)
    }


def whole_project(root: Path, document_id: str | None) -> bool:
    """True when a check covers the project (not one document): its documents: list is judged."""
    return document_id is None and place_of(root).is_root


def uses_elsewhere(documents: list[Document]) -> set[str]:
    """The variables the given documents use (a document that does not render uses none here:
    its own check says why)."""
    used: set[str] = set()
    for document in documents:
        if document.is_root:
            continue
        try:
            used |= set(render(load_notice(document.folder)).variable_uses)
        except SourceError:
            continue
    return used
