"""notice new-document: a further document's folder, listed in the root notice.yml."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

import yaml

from notice.errors import SourceError, UsageError, errors_only
from notice.files import write_atomic
from notice.layout import DOCUMENTS_DIR, NOTICE_FILE
from notice.source.documents import id_problem, listed_ids, place_of
from notice.source.load import load_with_problems

from .listing import listed_with
from .scaffold import document_files, write_files


def project_for_document(project: Path, document_id: str) -> Path:
    """The project's root notice.yml, once document_id is known to be free there; UsageError
    for a bad id, a taken one, or a folder that is not a project's root."""
    place = place_of(project)
    if not place.is_root:
        raise UsageError(
            f"{project}: is the folder of document {place.id!r}; give the project's folder "
            f"(where the root {NOTICE_FILE} is)"
        )
    root_file = Path(project) / NOTICE_FILE
    if not root_file.is_file():
        raise UsageError(
            f"{root_file}: not found; give the project's folder with --into "
            "(`notice init` starts a project)"
        )
    why = id_problem(document_id)
    if why is not None:
        raise UsageError(why)
    folder = Path(project) / DOCUMENTS_DIR / document_id
    if document_id in listed_ids(Path(project)) or folder.exists():
        raise UsageError(
            f"{folder}: document {document_id!r} exists already; choose another id "
            "(or edit that document)"
        )
    return root_file


def root_company(root_file: Path) -> str | None:
    """The company the root notice.yml names (a new document belongs to the same one)."""
    try:
        config = yaml.safe_load(root_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    company = config.get("company") if isinstance(config, dict) else None
    return company if isinstance(company, str) and company.strip() else None


def new_document(project: Path, document_id: str, title: str, today: date) -> list[Path]:
    """Write documents/<id>/ (notice.yml, sections/introduction.md) and list the id at the end
    of the root notice.yml's documents:; return the files written. All or nothing."""
    root_file = project_for_document(project, document_id)
    if not title.strip() or not title.isprintable():
        raise UsageError("--title: give the document's title on one line, e.g. 'Cookie Policy'")
    edited = listed_with(root_file.read_text(encoding="utf-8"), document_id, str(root_file))
    files = document_files(title.strip(), root_company(root_file) or title.strip(), today)
    folder = place_document_files(Path(project), document_id, files)
    write_atomic(root_file, edited.encode("utf-8"))
    return [root_file, *(folder / name for name in sorted(files))]


def place_document_files(project: Path, document_id: str, files: dict[str, str]) -> Path:
    """files written as documents/<id>/, moved into place only once the document loads."""
    parent = project / DOCUMENTS_DIR
    parent.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{document_id}-", dir=parent))
    folder = parent / document_id
    try:
        write_files(staging, files)
        staging.rename(folder)
        _, problems = load_with_problems(folder)
        if errors_only(problems):
            shutil.rmtree(folder)
            raise SourceError(errors_only(problems))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


__all__ = ["new_document", "place_document_files", "project_for_document", "root_company"]
