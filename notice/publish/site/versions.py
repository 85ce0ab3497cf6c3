"""The versions the site shows: git history read once, the working tree as the current version,
and the archived PDF of each version that the ledger records with the same text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from io import BytesIO
from pathlib import Path

from notice.archive.ledger import Entry
from notice.archive.store import Archive, ArchiveError
from notice.layout import LEDGER
from notice.model import Notice, RenderedNotice
from notice.source.gittree import (
    GitTree,
    HistoryUnavailable,
    NoticeRepo,
    open_repository,
    resolve_commit,
)
from notice.versions.history import RenderCache, RenderStore, read_history
from notice.versions.released import same_text

from .spec import Download

ARCHIVE_URI = "archive"  # archived PDFs keep their file name under this folder of the site


@dataclass(frozen=True)
class Archived:
    """A released version's frozen PDF as the site ships it, checked against the ledger."""

    entry: Entry
    pdf: Download

    @property
    def sha256(self) -> str:
        return self.entry.pdf_sha256


@dataclass(frozen=True)
class SiteVersion:
    """One version as the site shows it."""

    rendered: RenderedNotice
    first_commit: str | None  # None: the working tree's version, not committed yet
    archived: Archived | None  # None: not released (or released with another text)
    built: Download | None = None  # a PDF built for this unreleased version (a pending one)

    @property
    def day(self) -> date:
        return self.rendered.notice.last_updated

    @property
    def effective(self) -> date:
        return self.rendered.notice.effective

    @property
    def summary(self) -> str:
        return self.rendered.notice.summary


@dataclass(frozen=True)
class SiteHistory:
    """Every version, oldest first (the last is the working tree's), as of a day: the current
    version is the newest one in effect that day; later ones are pending (announced)."""

    versions: tuple[SiteVersion, ...]
    renders: int = 0  # notices rendered to read the history (the current one never is)
    today: date | None = None  # None: the last version is current, whatever its effective date

    @cached_property  # read for every page: once per history, not once per version per page
    def current_index(self) -> int:
        """The newest version in effect on today (the first one when none is in effect yet)."""
        if self.today is None:
            return len(self.versions) - 1
        started = [i for i, v in enumerate(self.versions) if v.effective <= self.today]
        return max(started, default=0)

    @property
    def current(self) -> SiteVersion:
        return self.versions[self.current_index]

    @property
    def pending(self) -> tuple[SiteVersion, ...]:
        """Published versions that take effect after today, oldest first."""
        return self.versions[self.current_index + 1 :]

    def is_pending(self, version: SiteVersion) -> bool:
        """Whether version is one of the pending ones (by identity: comparing texts is slow)."""
        return any(version is v for v in self.pending)

    def previous(self, index: int) -> SiteVersion | None:
        return self.versions[index - 1] if index > 0 else None

    def superseded_on(self, index: int) -> date | None:
        """When the version at index stopped applying: the effective date of the next one, once
        that day has come (a version is never called superseded before)."""
        later = self.versions[index + 1 :]
        if not later or index >= self.current_index:
            return None
        return later[0].effective


class _WorkingTreeFirst(RenderCache):
    """A RenderCache that answers HEAD's notice tree with the working tree's rendering (and keeps
    it in the store as that tree's: the next build, after a new commit, need not render it)."""

    def __init__(self, key: tuple[str, ...], rendered: RenderedNotice, store: RenderStore | None):
        super().__init__(store)
        self._key, self._rendered = key, rendered
        self._kept = False

    def render(self, source: GitTree) -> RenderedNotice:
        if source.notice_key() != self._key:
            return super().render(source)
        if not self._kept and self._store is not None and self._store.load(self._key) is None:
            # as loaded from the tree: a git tree's notice has no folder on disk
            self._store.save(self._key, replace(self._rendered, notice=self._as_tree()))
        self._kept = True  # once is enough
        return self._rendered

    def _as_tree(self) -> Notice:
        return replace(self._rendered.notice, root=Path("."))


def whole_ledger(root: Path) -> list[Entry]:
    """Every entry, language releases too (the ledger head is the last of them)."""
    return Archive(root).entries()


def ledger_entries(root: Path) -> dict[date, Entry]:
    """The releases of root's document by version date; SourceError when the ledger is
    malformed."""
    return {entry.version: entry for entry in Archive(root).document_entries() if not entry.lang}


def archived(
    root: Path, entry: Entry | None, rendered: RenderedNotice, cache: RenderCache | None = None
) -> tuple[Archived | None, str | None]:
    """The archived PDF of rendered's version, if released with the same canonical text (a
    reflow is the same text); or a warning."""
    if entry is None:
        return None, None
    try:
        notice_repo: NoticeRepo | None = open_repository(root)
    except HistoryUnavailable:
        notice_repo = None
    archive = Archive(root)
    path = archive.pdf_path(entry)
    shown = archive.relative(path)
    notice = rendered.notice
    same = same_text(notice_repo, entry, rendered, cache)
    if entry.effective != notice.effective or not same:
        return None, (
            f"version {entry.version}: {shown} was released with another text or effective date "
            "than the one shown; the site does not link it (run `notice verify`)"
        )
    try:
        data = archive.read(path)
    except (OSError, ArchiveError):
        return None, f"{shown}: missing, though {LEDGER} records it (run `notice verify`)"
    if hashlib.sha256(data).hexdigest() != entry.pdf_sha256:
        return None, f"{shown}: its sha256 is not the one {LEDGER} records (run `notice verify`)"
    pages = page_count(data)
    if pages is None:
        return None, f"{shown}: not a readable PDF (run `notice verify`)"
    return Archived(entry, Download(f"{ARCHIVE_URI}/{entry.pdf}", path, pages, len(data))), None


def page_count(data: bytes) -> int | None:
    """The number of pages of a PDF, None when it is not a readable one."""
    # pikepdf is imported here for speed, not to dodge a cycle: only archived PDFs need it (it
    # loads in half the time pypdf took, and the PDF writer uses it too)
    import pikepdf

    try:
        with pikepdf.open(BytesIO(data)) as pdf:
            return len(pdf.pages)
    except (pikepdf.PdfError, ValueError):
        return None


def site_history(
    root: Path,
    rendered: RenderedNotice,
    entries: dict[date, Entry],
    current: Archived | None,
    today: date | None = None,
    store: RenderStore | None = None,
) -> tuple[SiteHistory | None, list[str]]:
    """The versions for the site and the build's warnings; None (and why) when git cannot tell.

    rendered is the working tree's notice: it is the current version and is not rendered again.
    store keeps renderings of past versions between builds.
    """
    try:
        history = read_history(root, cache=_cache(root, rendered, store))
    except HistoryUnavailable as exc:
        return None, [f"the site has no version history: {exc}"]
    day = rendered.notice.last_updated
    warnings = []
    if history.skipped:
        warnings.append(
            f"{len(history.skipped)} commit(s) whose notice does not render are left out of "
            "the version history (`notice history` names them)"
        )
    later = [v.last_updated.isoformat() for v in history.versions if v.last_updated > day]
    if later:
        warnings.append(
            f"git history has version(s) {', '.join(later)}, after the working tree's "
            f"last_updated {day}: left out of the site"
        )
    versions = []
    for version in history.versions:
        if version.last_updated >= day:
            continue
        found, warning = archived(root, entries.get(version.last_updated), version.rendered)
        warnings += [warning] if warning else []
        versions.append(SiteVersion(version.rendered, version.first_commit, found))
    same = next((v for v in history.versions if v.last_updated == day), None)
    versions.append(SiteVersion(rendered, same.first_commit if same else None, current))
    return SiteHistory(tuple(versions), history.renders, today), warnings


def _cache(root: Path, rendered: RenderedNotice, store: RenderStore | None) -> RenderCache:
    """A cache that already holds the working tree's rendering when HEAD has the same notice."""
    notice_repo = open_repository(root)
    commit = resolve_commit(notice_repo)
    if notice_repo.uncommitted():  # the working tree's notice is not HEAD's
        return RenderCache(store)
    return _WorkingTreeFirst(GitTree(commit, notice_repo.prefix).notice_key(), rendered, store)
