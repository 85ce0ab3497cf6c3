"""notice import --document ID: an existing notice, or its history, added to a project as
documents/ID/ and listed in the root notice.yml; values the root holds are shared."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from git import GitCommandError, InvalidGitRepositoryError, NoSuchPathError, Repo

from notice.errors import NoticeError, Problem
from notice.files import write_atomic
from notice.layout import DOCUMENTS_DIR, MACROS_DIR, NOTICE_FILE, SECTIONS_DIR
from notice.render.rendering import render
from notice.source.load import load_notice

from .history import HistoryReport, ImportedVersion, VersionSource, dated_environment
from .history import imported_versions as import_each
from .listing import listed_with
from .newdocument import place_document_files, project_for_document
from .pipeline import ImportReport, import_notice
from .sharedvalues import Sharing, apply_sharing, share

_DOCUMENT_PARTS = (NOTICE_FILE, SECTIONS_DIR, MACROS_DIR)


@dataclass(frozen=True)
class DocumentImport:
    """One notice imported as a document: the import's report, what it shares with the root."""

    report: ImportReport  # its target and warnings name the document's folder and files
    sharing: Sharing
    folder: Path


def import_document(
    source: Path, project: Path, document_id: str, **options: Any
) -> DocumentImport:
    """Import source (options: those of import_notice) as documents/<id>/ of project and list
    it; the root notice.yml and the rest of the project are otherwise untouched."""
    root_file = project_for_document(project, document_id)
    listed = listed_with(root_file.read_text(encoding="utf-8"), document_id, str(root_file))
    with tempfile.TemporaryDirectory(prefix="notice-document-") as work:
        staged = Path(work) / "notice"
        report = import_notice(source, staged, **options)
        expected = render(load_notice(staged)).text
        sharing = _place(staged, Path(project), document_id, expected)
        warnings = _located(report.warnings, staged, Path(project), document_id)
    write_atomic(root_file, listed.encode("utf-8"))
    folder = Path(project) / DOCUMENTS_DIR / document_id
    return DocumentImport(replace(report, target=folder, warnings=warnings), sharing, folder)


def import_document_history(
    sources: Sequence[VersionSource],
    project: Path,
    document_id: str,
    *,
    title: str | None = None,
    company: str | None = None,
    input_format: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    dates: Sequence[date | None] | None = None,
) -> HistoryReport:
    """Each version, oldest first, as documents/<id>/ of project, one commit per version dated
    with its day on the project's current branch; the first commit also lists the id."""
    shown = project_for_document(project, document_id)
    root_file = shown.resolve()
    absolute = root_file.parent  # git runs in the repository's folder: paths must be absolute
    repo = _clean_repository(absolute, root_file)
    listed = listed_with(root_file.read_text(encoding="utf-8"), document_id, str(shown))
    folder = absolute / DOCUMENTS_DIR / document_id
    start = repo.head.commit.hexsha
    with tempfile.TemporaryDirectory(prefix="notice-document-history-") as work:
        versions = import_each(
            sources,
            Path(work),
            title=title,
            company=company,
            input_format=input_format,
            progress=progress,
            dates=dates,
        )
        try:
            commits = [
                _commit_version(repo, version, absolute, document_id, listed, first=not n)
                for n, version in enumerate(versions)
            ]
        except BaseException:
            _undo(repo, start, folder, root_file)
            raise
        warnings = [
            problem
            for version in versions
            for problem in _located(
                version.report.warnings, version.folder, Path(project), document_id, version
            )
        ]
    target = Path(project) / DOCUMENTS_DIR / document_id
    return HistoryReport(target, tuple(versions), tuple(commits), (), tuple(warnings))


def _commit_version(
    repo: Repo, version: ImportedVersion, project: Path, document_id: str, listed: str, first: bool
) -> str:
    _place(version.folder, project, document_id, version.rendered.text)
    root_file = project / NOTICE_FILE
    if first:
        write_atomic(root_file, listed.encode("utf-8"))
    notice = version.rendered.notice
    message = (
        f"{notice.title}, version of {notice.last_updated}: {notice.summary}\n\n"
        f"Imported by `notice import --document {document_id}` from {version.source.origin}."
    )
    if first:
        message += f"\n\nLists {document_id} under documents: in {NOTICE_FILE}."
    paths = [str(root_file), str(project / DOCUMENTS_DIR / document_id)]
    try:
        # the index forgets these paths first: git's stat cache could take a file rewritten
        # within the same second with the same size as unchanged (see history._commit)
        repo.git.rm("--cached", "-r", "-q", "--ignore-unmatch", "--", *paths)
        repo.git.add("-A", "--", *paths)
        repo.git.commit(
            "-q", "--allow-empty", "-m", message, env=dated_environment(repo, notice.last_updated)
        )
    except GitCommandError as exc:
        raise NoticeError(f"{repo.working_dir}: git commit failed: {exc.stderr.strip()}") from None
    return repo.head.commit.hexsha


def _clean_repository(project: Path, root_file: Path) -> Repo:
    """The project's repository, with nothing staged and the root notice.yml committed: the
    import commits each version and must not take an editor's work along."""
    try:
        repo = Repo(project, search_parent_directories=True)
        head = repo.head.commit
    except (InvalidGitRepositoryError, NoSuchPathError):
        raise NoticeError(
            f"{project}: not in a git repository; a history is imported as commits: "
            "`git init` and commit the project first"
        ) from None
    except ValueError:
        raise NoticeError(f"{project}: its repository has no commit yet: commit it first") from None
    if repo.index.diff(head):
        raise NoticeError(f"{repo.working_dir}: changes are staged; commit or unstage them first")
    if repo.is_dirty(index=False, path=str(root_file)):
        raise NoticeError(f"{root_file}: has uncommitted changes; commit them first")
    return repo


def _undo(repo: Repo, start: str, folder: Path, root_file: Path) -> None:
    """Back to where the import started: its commits dropped, the document's folder gone, the
    root notice.yml as committed. The index is reset whole: nothing was staged at the start, and
    the rest of the working tree is never touched."""
    with suppress(GitCommandError):  # the error being raised says what went wrong
        repo.git.reset("-q", "--mixed", start)
    shutil.rmtree(folder, ignore_errors=True)
    with suppress(GitCommandError):
        repo.git.checkout(start, "--", str(root_file))


def _place(staged: Path, project: Path, document_id: str, expected: str) -> Sharing:
    """The imported notice in staged rewritten as a document and put in place; it must render
    exactly the text it rendered alone."""
    sharing = share(
        _variables(staged / NOTICE_FILE),
        _variables(project / NOTICE_FILE),
        _macro_texts(staged / MACROS_DIR),
        _macro_texts(project / MACROS_DIR),
    )
    apply_sharing(staged, sharing)
    folder = project / DOCUMENTS_DIR / document_id
    if folder.exists():
        shutil.rmtree(folder)  # a history's previous version
    place_document_files(project, document_id, _document_files(staged))
    if render(load_notice(folder)).text != expected:
        shutil.rmtree(folder)
        raise NoticeError(
            f"{folder}: as a document of {project} the imported notice renders another text "
            "than on its own (a shared variable or macro differs): import it into a new folder"
        )
    return sharing


def _variables(notice_file: Path) -> dict[str, Any]:
    try:
        config = yaml.safe_load(notice_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise NoticeError(f"{notice_file}: cannot be read ({exc}); fix it first") from None
    variables = config.get("variables") if isinstance(config, dict) else None
    return variables if isinstance(variables, dict) else {}


def _macro_texts(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.is_file()}


def _document_files(staged: Path) -> dict[str, str]:
    files = {NOTICE_FILE: (staged / NOTICE_FILE).read_text(encoding="utf-8")}
    for part in (SECTIONS_DIR, MACROS_DIR):
        for path in sorted((staged / part).glob("*")):
            if path.is_file():
                files[f"{part}/{path.name}"] = path.read_text(encoding="utf-8")
    return files


def _located(
    warnings: Sequence[Problem],
    staged: Path,
    project: Path,
    document_id: str,
    version: ImportedVersion | None = None,
) -> list[Problem]:
    """The import's warnings naming the document's files (those about the project files a
    standalone import writes, mkdocs.yml and the like, do not apply and are left out)."""
    located = []
    for problem in warnings:
        path = Path(problem.path)
        if path.is_relative_to(staged):
            relative = path.relative_to(staged)
            if relative.parts[0] not in _DOCUMENT_PARTS:
                continue
            shown = (project / DOCUMENTS_DIR / document_id / relative).as_posix()
        elif version is not None:
            shown = version.source.origin
        else:
            shown = problem.path
        if version is not None and shown != version.source.origin:
            shown = f"{version.source.origin}: {shown}"
        located.append(replace(problem, path=shown))
    return located


__all__ = ["DocumentImport", "import_document", "import_document_history"]
