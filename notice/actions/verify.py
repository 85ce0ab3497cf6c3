"""Verify the archive: the chain, every PDF against its hash and its commit, history vs releases."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from git.exc import BadName
from gitdb.exc import BadObject

from notice.actions.covered import covered_documents, one_document
from notice.actions.release import archived_pdf_bytes
from notice.archive.ledger import (
    Entry,
    TranslationEntry,
    chain_problems,
    entries_of,
    head,
    source_entries,
)
from notice.archive.pdftext import UnreadablePdf, read_pdf, text_difference
from notice.archive.store import Archive, ArchiveError, InEffect, as_of
from notice.archive.timestamps import Stamp, entry_stamps
from notice.archive.trail import Trail, append_only_problems, archive_trail, ever_released
from notice.errors import Problem, Severity, SourceError, errors_only
from notice.languages.overlay import render_language
from notice.layout import LEDGER
from notice.model import RenderedNotice
from notice.progress import Progress, no_progress
from notice.publish.pdf import PDF_PIPELINE, PIPELINES
from notice.render.texthash import text_hash
from notice.source.documents import Document, place_of
from notice.source.gittree import GitTree, NoticeRepo, open_repository, resolve_commit
from notice.versions.history import RenderCache, Version, read_history


@dataclass(frozen=True)
class Verification:
    """The entries checked, the ledger's head hash, and every problem found."""

    entries: tuple[Entry, ...]
    head: str
    problems: tuple[Problem, ...]
    rebuilt: int  # PDFs rebuilt from their commit and compared byte for byte
    stamps: tuple[tuple[Entry, Stamp], ...] = ()  # entries with a checked RFC 3161 timestamp

    @property
    def ok(self) -> bool:
        return not errors_only(list(self.problems))

    def record(self) -> dict[str, object]:
        """What `notice verify --json` prints."""
        return {
            "ok": self.ok,
            "head": self.head,
            "releases": [entry.record() for entry in self.entries],
            "rebuilt": self.rebuilt,
            "timestamps": [
                {
                    "version": e.version.isoformat(),
                    "entry": e.digest,
                    "time": t.shown,
                    "tsa": t.authority,
                }
                for e, t in self.stamps
            ],
            "problems": [
                {"path": p.path, "line": p.line, "severity": str(p.severity), "message": p.message}
                for p in self.problems
            ],
        }


def verify(
    root: Path,
    rebuild: bool = False,
    progress: Progress = no_progress,
    require_timestamps: bool = False,
    document: str | None = None,
) -> Verification:
    """Check everything an auditor relies on; problems name the file or the ledger entry.
    The ledger's chain, its trail in git and every RFC 3161 token in archive/timestamps/ are the
    project's, always checked whole; each entry against its commit and its PDF, and history
    against the releases, for the documents covered (document: that id; root a document's
    folder: that one; else every document). require_timestamps: every entry must have one."""
    project = place_of(root).project
    notice_repo = open_repository(project)  # refuses outside git and in shallow clones
    resolve_commit(notice_repo, "HEAD")  # a clear error in a repository without commits
    archive = Archive(project)
    documents = covered_documents(root, document)
    try:
        entries = archive.entries()
    except SourceError as exc:
        return Verification((), "", tuple(exc.problems), 0)
    trail = archive_trail(notice_repo)
    problems = ledger_problems(trail, entries)
    every = document is None and place_of(root).is_root
    checked: list[Entry] = []
    rebuilt = 0
    for each in _with_ledger_documents(documents, entries) if every else documents:
        found = _document_problems(notice_repo, each, entries, trail, rebuild, progress)
        problems += found.problems
        checked += found.entries
        rebuilt += found.rebuilt
    stamps, late = entry_stamps(archive, entries, require_timestamps)
    return Verification(
        tuple(checked), head(entries), tuple(problems + late), rebuilt, tuple(stamps)
    )


def _with_ledger_documents(documents: list[Document], entries: list[Entry]) -> list[Document]:
    """Every document, also those the ledger names that the root notice.yml no longer lists:
    their entries, PDFs and commits still prove what was published."""
    known = {d.id for d in documents}
    named = dict.fromkeys(e.document_id for e in entries if e.document_id not in known)
    return documents + [Document(i, documents[0].project) for i in named]


def _document_problems(
    project_repo: NoticeRepo,
    document: Document,
    entries: list[Entry],
    trail: Trail,
    rebuild: bool,
    progress: Progress,
) -> Verification:
    """One document: each of its entries against its commit and PDF, PDFs no entry records,
    and every version of its history released."""
    prefix = "/".join(p for p in (project_repo.prefix, document.prefix) if p)
    notice_repo = NoticeRepo(project_repo.repo, prefix)  # its folder may be gone: git has it
    archive = Archive(document.folder)
    mine = entries_of(entries, document.id)
    cache, rebuilt, problems = RenderCache(), 0, []
    stage = "verifying and rebuilding releases" if rebuild else "verifying releases"
    stage += "" if document.is_root else f" of {document.id}"
    for done, entry in enumerate(mine, start=1):
        progress(stage, done, len(mine))
        found, was_rebuilt = _entry_problems(archive, notice_repo, entry, cache, rebuild)
        problems += found
        rebuilt += was_rebuilt
    problems += _orphans(archive, notice_repo, mine)
    if document.folder.is_dir():
        ever = ever_released(trail, document.id)
        problems += _unreleased(document.folder, source_entries(mine), cache, ever)
    return Verification(tuple(mine), "", tuple(problems), rebuilt)


def ledger_problems(trail: Trail, entries: list[Entry]) -> list[Problem]:
    """The ledger's own trust: its chain, and agreement with every ledger the first-parent
    chain committed (each commit's archive/ against its first parent's)."""
    return chain_problems(entries) + append_only_problems(trail, entries)


def checked_as_of(
    root: Path, day: date, lang: str | None = None, document: str | None = None
) -> InEffect:
    """as-of of a document (root's, or the one named), answered only when verify passes: the
    ledger's chain and trail, every entry of the document against the commit and PDF it names
    (else ArchiveError with verify's reasons)."""
    chosen = one_document(root, document)
    folder = chosen.folder
    result = verify(folder, document=chosen.id)
    errors = errors_only(list(result.problems))
    if errors:
        lines = "\n".join(str(p) for p in errors)
        raise ArchiveError(f"{LEDGER} cannot be trusted, no answer for {day}:\n{lines}")
    return as_of(folder, day, lang)


def _orphans(archive: Archive, notice_repo: NoticeRepo, entries: list[Entry]) -> list[Problem]:
    """PDFs no entry records: committed ones lost their entry; others were never released."""
    problems = []
    for path in archive.orphans(entries):
        if notice_repo.repo.git.ls_files("--", str(path)):
            why = "it is committed, so its ledger entry was removed"
        else:
            why = "left by an interrupted release? it is not released; run `notice release` again"
        problems.append(Problem(archive.relative(path), None, f"no ledger entry records it: {why}"))
    return problems


def _entry_problems(
    archive: Archive, notice_repo: NoticeRepo, entry: Entry, cache: RenderCache, rebuild: bool
) -> tuple[list[Problem], bool]:
    """The entry's problems, and whether its PDF was rebuilt."""
    problems: list[Problem] = []
    pdf = archive.relative(archive.pdf_path(entry))
    data = _pdf_data(archive, entry, problems)
    tree = _tree(notice_repo, entry, problems)
    check = _rendered_language if entry.lang else _rendered
    rendered = check(tree, entry, cache, problems) if tree is not None else None
    if rendered is None or tree is None:
        return problems, False
    if data is not None and not entry.lang:  # a language's PDF: its hash, as for translations
        problems += _content_problems(pdf, data, entry, rendered)
    problems += _translation_problems(archive, tree, entry, rendered)
    if not rebuild:
        return problems, False
    if entry.pdf_pipeline not in PIPELINES:
        return [*problems, _other_pipeline(pdf, entry)], False
    digest = hashlib.sha256(archived_pdf_bytes(tree, rendered, entry.pdf_pipeline)).hexdigest()
    if digest != entry.pdf_sha256:
        problems.append(
            Problem(
                pdf,
                None,
                f"rebuilt from commit {entry.commit[:10]} it has sha256 {digest}, the ledger "
                f"{entry.pdf_sha256}: its bytes cannot be reproduced here",
            )
        )
    return problems, True


def _other_pipeline(pdf: str, entry: Entry) -> Problem:
    """An entry made by another PDF pipeline: its bytes are not expected to come out again."""
    made_by = entry.pdf_pipeline
    message = (
        f"not rebuilt: {entry.label} was made by {made_by}, the toolkit now makes PDFs with "
        f"{PDF_PIPELINE}; the toolkit has changed since, so its text and hashes were checked "
        "instead of its bytes"
    )
    return Problem(pdf, None, message, Severity.WARNING)


def _rendered_language(
    tree: GitTree, entry: Entry, cache: RenderCache, problems: list[Problem]
) -> RenderedNotice | None:
    """A language release: its commit is still its version, and renders the released text."""
    line = entry.line or None
    try:
        source = cache.render(tree)
        rendered = render_language(tree, source, entry.lang)
    except SourceError as exc:
        first = exc.problems[0] if exc.problems else "?"
        message = f"{entry.label}: commit {tree.label} does not render in {entry.lang}: {first}"
        problems.append(Problem(LEDGER, line, message))
        return None
    found = {
        "version": (entry.version, source.notice.last_updated),
        "effective": (entry.effective, source.notice.effective),
        "text_sha256": (entry.text_sha256, text_hash(rendered, entry.text_recipe)),
    }
    problems += _edited_fields(entry, tree, found)
    return rendered


def _edited_fields(
    entry: Entry, tree: GitTree, found: dict[str, tuple[object, object]]
) -> list[Problem]:
    """Each field whose recorded value differs from what the commit gives. A commit cannot
    change: when they disagree, the ledger entry is what was edited."""
    return [
        Problem(
            LEDGER,
            entry.line or None,
            f"{entry.label}: its {name} is {recorded} but commit {tree.label} gives {actual}: "
            f"the ledger entry was edited (restore it from git history: `git log -p {LEDGER}`)",
        )
        for name, (recorded, actual) in found.items()
        if recorded != actual
    ]


def _translation_problems(
    archive: Archive, tree: GitTree, entry: Entry, rendered: RenderedNotice
) -> list[Problem]:
    """Each archived translation: its PDF's hash, and its text as the commit renders it."""
    problems: list[Problem] = []
    for translation in entry.translations:
        _pdf_data(archive, translation, problems, f"{entry.label} ({translation.lang})")
        try:
            in_lang = render_language(tree, rendered, translation.lang)
            text_sha256 = text_hash(in_lang, translation.text_recipe)
        except SourceError as exc:
            text_sha256 = f"nothing: {exc.problems[0] if exc.problems else '?'}"
        if text_sha256 != translation.text_sha256:
            message = (
                f"{entry.label}: translation {translation.lang} text_sha256 is "
                f"{translation.text_sha256}, commit {tree.label} gives {text_sha256}"
            )
            problems.append(Problem(LEDGER, entry.line or None, message))
    return problems


def _pdf_data(
    archive: Archive,
    entry: Entry | TranslationEntry,
    problems: list[Problem],
    label: str | None = None,
) -> bytes | None:
    path = archive.folder / entry.pdf  # an entry of archive's document, or its translation
    label = label or entry.label  # type: ignore[union-attr]
    shown = archive.relative(path)
    try:
        data = archive.read(path)
    except FileNotFoundError:
        problems.append(Problem(shown, None, f"missing: {LEDGER} {label} records it"))
        return None
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.pdf_sha256:
        problems.append(
            Problem(
                shown,
                None,
                f"sha256 is {digest}, {LEDGER} {label} records {entry.pdf_sha256}: "
                "the file was changed",
            )
        )
        return None
    return data


def _tree(notice_repo: NoticeRepo, entry: Entry, problems: list[Problem]) -> GitTree | None:
    try:
        commit = notice_repo.repo.commit(entry.commit)
    except (BadName, BadObject, ValueError):
        message = f"{entry.label}: commit {entry.commit} is not in this repository"
        problems.append(Problem(LEDGER, entry.line or None, message))
        return None
    return GitTree(commit, notice_repo.prefix, label=entry.commit[:10])


def _rendered(
    tree: GitTree, entry: Entry, cache: RenderCache, problems: list[Problem]
) -> RenderedNotice | None:
    line = entry.line or None
    try:
        rendered = cache.render(tree)
    except SourceError as exc:
        first = exc.problems[0] if exc.problems else "?"
        message = f"{entry.label}: the notice of commit {tree.label} does not render: {first}"
        problems.append(Problem(LEDGER, line, message))
        return None
    notice = rendered.notice
    found = {
        "version": (entry.version, notice.last_updated),
        "effective": (entry.effective, notice.effective),
        "summary": (entry.summary, notice.summary),
        "text_sha256": (entry.text_sha256, text_hash(rendered, entry.text_recipe)),
    }
    problems += _edited_fields(entry, tree, found)
    return rendered


def _content_problems(
    pdf: str, data: bytes, entry: Entry, rendered: RenderedNotice
) -> list[Problem]:
    try:
        facts = read_pdf(data)
    except UnreadablePdf as exc:
        return [Problem(pdf, None, str(exc))]
    problems = []
    for key, expected in (
        ("NoticeVersion", entry.version.isoformat()),
        ("SourceCommit", entry.commit),
    ):
        if facts.metadata.get(key) != expected:
            message = f"metadata {key} is {facts.metadata.get(key)!r}, the ledger says {expected}"
            problems.append(Problem(pdf, None, message))
    difference = text_difference(facts.text, rendered, facts.pages)
    if difference:
        problems.append(
            Problem(pdf, None, f"text differs from commit {entry.commit[:10]}: {difference}")
        )
    if facts.attachments.get("notice.md") != rendered.markdown.encode("utf-8"):
        message = f"its attached notice.md is not the rendered Markdown of {entry.commit[:10]}"
        problems.append(Problem(pdf, None, message))
    return problems


def _unreleased(
    root: Path, entries: list[Entry], cache: RenderCache, ever: set[date]
) -> list[Problem]:
    """Every version in git history must be released; the current one may wait. A released
    version's text is its release commit's: a later revision under its date is an error."""
    history = read_history(root, cache=cache, entries=entries)
    released = {entry.version: entry for entry in entries}
    problems = []
    for version in history.versions:
        day = version.last_updated
        entry = released.get(day)
        if entry is None and day in ever:
            continue  # its entry was deleted: _append_only says so; a new release would hide it
        if entry is None and version is history.versions[-1]:
            message = f"version {day} (the current one) is not released yet: run `notice release`"
            problems.append(Problem(LEDGER, None, message, Severity.WARNING))
        elif entry is None:
            message = f"version {day} (commit {version.first_commit[:10]}) was never released"
            problems.append(Problem(LEDGER, None, message))
        else:
            problems += _revised_after_release(version, entry)
    return problems


def _revised_after_release(version: Version, entry: Entry) -> list[Problem]:
    """The commits that changed a released version's canonical text under its date."""
    marks = [index for index, r in enumerate(version.revisions) if r.released]
    after = version.revisions[marks[-1] + 1 :] if marks else ()
    return [
        Problem(
            LEDGER,
            entry.line or None,
            f"{entry.label}: commit {revision.commit[:10]} changed the text of version "
            f"{entry.version} after its release (commit {entry.commit[:10]}) without a new "
            "last_updated",
        )
        for revision in after
    ]
