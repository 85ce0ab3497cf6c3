"""Versions of the notice from its git history, read from commit trees; each tree rendered once.

A version is identified by its last_updated date. The commits carrying a date, along the
first-parent chain, hold its revisions: each distinct canonical text (notice.render.canonical)
committed under it. A released version's text is the text at its release's commit (the ledger
entry's `commit`), whatever was committed later under the same date; an unreleased version's text
is its last revision. `first_commit` is the first commit carrying the date: when it appeared.
Broken commits are skipped and reported. `audit` shares the same render cache.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from git.exc import BadName, GitCommandError
from git.objects import Commit
from gitdb.exc import BadObject

from notice.archive.ledger import Entry, entries_of, parse_ledger
from notice.errors import Problem, Severity, SourceError, UsageError
from notice.layout import LEDGER
from notice.model import RenderedNotice
from notice.progress import Progress, no_progress
from notice.render.rendering import render
from notice.render.texthash import text_sha256
from notice.source.firstparent import Change, first_parent_changes
from notice.source.gittree import GitFailed, GitTree, NoticeRepo, open_repository, resolve_commit
from notice.source.load import load_notice
from notice.source.worktree import NoticeSource, SourceReadError, WorkingTree
from notice.source.yamlio import LineDict, YamlProblem, line_of, load_yaml

WORKTREE = "WORKTREE"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Revision:
    """A commit that brought a new canonical text under a version's date."""

    commit: str
    committed: datetime
    text_sha256: str
    released: bool = False  # the text the version was released with


@dataclass(frozen=True)
class Version:
    """One version of the notice, as git history shows it."""

    last_updated: date
    effective: date
    summary: str
    first_commit: str  # sha of the first commit carrying this date
    committed: datetime  # when first_commit was committed
    last_commit: str  # the commit rendered: the release's, else the last renderable one
    rendered: RenderedNotice  # the version's text: the released one, else the last revision
    revisions: tuple[Revision, ...] = ()
    released_commit: str | None = None  # the ledger entry's commit, when released

    @property
    def fingerprint(self) -> str:
        return self.rendered.fingerprint

    @property
    def text_sha256(self) -> str:
        """The canonical text's hash (what versions.json and new ledger entries record)."""
        return text_sha256(self.rendered)


Rendering = RenderedNotice | tuple[Problem, ...]  # a tree's rendering, or why it does not render


class RenderStore(Protocol):
    """Where a RenderCache keeps renderings between runs (the build's cache under .cache/)."""

    def load(self, key: tuple[str, ...]) -> Rendering | None: ...

    def save(self, key: tuple[str, ...], result: Rendering) -> None: ...

    def load_dates(self) -> dict[str, date]: ...  # last_updated by notice.yml's blob id

    def save_dates(self, dates: dict[str, date]) -> None: ...

    def load_texts(self) -> dict[str, str]: ...  # text_sha256 of renderings by notice key

    def save_texts(self, texts: dict[str, str]) -> None: ...

    def load_keys(self) -> dict[str, tuple[str, ...]]: ...  # notice keys by "prefix:commit"

    def save_keys(self, keys: dict[str, tuple[str, ...]]) -> None: ...


class RenderCache:
    """Renderings keyed by the ids of notice.yml, sections/ and macros/: a tree renders once
    (once ever, with a store that keeps renderings between runs)."""

    def __init__(self, store: RenderStore | None = None) -> None:
        self._done: dict[tuple[str, ...], Rendering] = {}
        self._store = store
        self.renders = 0  # how many times a notice was actually loaded and rendered
        # last_updated (or why it cannot be read) by notice.yml's blob id
        self.dates: dict[str, date | tuple[Problem, ...]] = {}
        self.dates.update(store.load_dates() if store else {})
        self._stored_dates = len(self.dates)
        # the canonical text's hash by " ".join(notice key): a revision needs no more
        self._texts: dict[str, str] = store.load_texts() if store else {}
        self._stored_texts = len(self._texts)
        # a commit's notice key (its tree ids), by "prefix:sha": a commit never changes
        self._keys: dict[str, tuple[str, ...]] = store.load_keys() if store else {}
        self._stored_keys = len(self._keys)

    def tree(self, commit: Commit, prefix: str) -> GitTree:
        """The notice in commit's tree, its key known when read before (no tree is walked)."""
        name = f"{prefix}:{commit.hexsha}"
        tree = GitTree(commit, prefix, key=self._keys.get(name))
        self._keys[name] = tree.notice_key()
        return tree

    def keep_dates(self) -> None:
        """Hand the dates, text hashes and keys read so far to the store (when there are new)."""
        if self._store is not None and len(self.dates) > self._stored_dates:
            known = {k: v for k, v in self.dates.items() if isinstance(v, date)}
            self._store.save_dates(known)
            self._stored_dates = len(self.dates)
        if self._store is not None and len(self._texts) > self._stored_texts:
            self._store.save_texts(self._texts)
            self._stored_texts = len(self._texts)
        if self._store is not None and len(self._keys) > self._stored_keys:
            self._store.save_keys(self._keys)
            self._stored_keys = len(self._keys)

    def text_sha256(self, source: GitTree) -> str:
        """The hash of source's canonical text (SourceError when it is broken): from the store
        when known there, so that a past revision's rendering need not be read."""
        key = " ".join(source.notice_key())
        if key not in self._texts:
            self._texts[key] = text_sha256(self.render(source))
        return self._texts[key]

    def render(self, source: GitTree) -> RenderedNotice:
        """The rendering of source's notice; SourceError (remembered too) when it is broken."""
        key = source.notice_key()
        if key not in self._done:
            stored = self._store.load(key) if self._store is not None else None
            self._done[key] = self._render(key, source) if stored is None else stored
        result = self._done[key]
        if isinstance(result, tuple):
            raise SourceError(list(result))
        return result

    def _render(self, key: tuple[str, ...], source: GitTree) -> Rendering:
        self.renders += 1
        result: Rendering
        try:
            result = render(load_notice(source))
        except SourceError as exc:
            result = tuple(exc.problems)
        if self._store is not None:
            self._store.save(key, result)
        return result


@dataclass(frozen=True)
class History:
    """The versions, oldest first, and the commits that had to be skipped (as warnings)."""

    versions: tuple[Version, ...]
    skipped: tuple[Problem, ...]
    commits: int  # commits that touched the notice
    renders: int  # notices rendered to build this history


def notice_commits(notice_repo: NoticeRepo, ref: str = "HEAD") -> list[Commit]:
    """Commits touching notice.yml, sections/ or macros/, oldest first, along first parents."""
    tip = resolve_commit(notice_repo, ref)
    try:
        changes = first_parent_changes(
            notice_repo.repo, notice_repo.notice_paths(), tip, oldest_first=True
        )
    except GitCommandError as exc:
        raise GitFailed(exc) from None
    return [change.commit for change in since_document(notice_repo, changes)]


def since_document(notice_repo: NoticeRepo, changes: list[Change]) -> list[Change]:
    """A document's changes (oldest first) from the commit that brought its own files on: the
    root's notice.yml and macros/ it shares changed long before the document existed."""
    own = notice_repo.document_paths
    if not own.prefix:
        return changes
    folder = f"{notice_repo.path(own.prefix)}/"
    for index, change in enumerate(changes):
        if any(path.startswith(folder) for path in change.paths):
            return changes[index:]
    return []


def at_commit(problems: Iterable[Problem], commit: Commit) -> list[Problem]:
    """Problems found in a commit's tree, as warnings located 'SHA:path:line'."""
    return [
        Problem(f"{commit.hexsha[:10]}:{p.path}", p.line, p.message, Severity.WARNING)
        for p in problems
    ]


def read_history(
    root: Path,
    ref: str = "HEAD",
    cache: RenderCache | None = None,
    progress: Progress = no_progress,
    entries: Iterable[Entry] | None = None,
) -> History:
    """Every version in the history of ref (refuses shallow clones and non-repositories).

    entries are the releases (default: the working tree's ledger for HEAD, else ref's)."""
    notice_repo = open_repository(root)
    cache = cache or RenderCache()
    renders_before = cache.renders
    commits = notice_commits(notice_repo, ref)
    skipped: list[Problem] = []
    if entries is None:
        entries = _ledger(root, notice_repo, ref, skipped)
    released = {entry.version: entry.commit for entry in entries if not entry.lang}
    by_date: dict[date, list[GitTree]] = {}
    dates_of = cache.dates
    for commit in commits:
        tree = cache.tree(commit, notice_repo.prefix)
        try:
            day = _last_updated(tree, dates_of)
        except SourceError as exc:
            skipped += at_commit(exc.problems, commit)
            continue
        by_date.setdefault(day, []).append(tree)
    versions = []
    for done, day in enumerate(sorted(by_date), start=1):
        progress("rendering versions", done, len(by_date))
        version = _version(day, by_date[day], cache, skipped, released.get(day), notice_repo)
        if version is not None:
            versions.append(version)
    cache.keep_dates()
    return History(tuple(versions), tuple(skipped), len(commits), cache.renders - renders_before)


def load_history(root: Path) -> list[Version]:
    """The versions of the notice at root, oldest first (see read_history for what was skipped)."""
    return list(read_history(root).versions)


def _ledger(root: Path, notice_repo: NoticeRepo, ref: str, skipped: list[Problem]) -> list[Entry]:
    """The releases: the working tree's ledger for HEAD (a release not yet committed counts),
    the committed one at ref otherwise; a malformed ledger is reported and counts as none."""
    source: NoticeSource = (
        WorkingTree(Path(root))
        if ref == "HEAD"
        else GitTree(resolve_commit(notice_repo, ref), notice_repo.prefix)
    )
    try:
        entries = parse_ledger(source.read_text(LEDGER)) if source.exists(LEDGER) else []
        return entries_of(entries, source.document)  # the other documents' releases are theirs
    except (SourceError, SourceReadError) as exc:
        problems = (
            exc.problems if isinstance(exc, SourceError) else [Problem(LEDGER, None, str(exc))]
        )
        skipped += [Problem(p.path, p.line, p.message, Severity.WARNING) for p in problems]
        return []


def _version(
    day: date,
    trees: list[GitTree],
    cache: RenderCache,
    skipped: list[Problem],
    release_commit: str | None,
    notice_repo: NoticeRepo,
) -> Version | None:
    """The version of day: its revisions, and its text (the released one, else the last)."""
    revisions: list[Revision] = []
    last: GitTree | None = None
    for tree in trees:
        try:
            digest = cache.text_sha256(tree)
        except SourceError as exc:
            skipped += at_commit(exc.problems, tree.commit)
            continue
        last = tree
        if not revisions or revisions[-1].text_sha256 != digest:
            commit = tree.commit
            revisions.append(Revision(commit.hexsha, commit.committed_datetime, digest))
    if last is None:
        return None
    chosen = (last, cache.render(last))  # renders: text_sha256 found it renders
    if release_commit is not None:
        released = _released_text(release_commit, notice_repo, cache, skipped, day)
        if released is not None:
            chosen = released
            revisions = _mark_released(revisions, text_sha256(released[1]))
    tree, rendered = chosen
    first = trees[0].commit
    return Version(
        last_updated=day,
        effective=rendered.notice.effective,
        summary=rendered.notice.summary,
        first_commit=first.hexsha,
        committed=first.committed_datetime,
        last_commit=tree.commit.hexsha,
        rendered=rendered,
        revisions=tuple(revisions),
        released_commit=release_commit,
    )


def _released_text(
    sha: str, notice_repo: NoticeRepo, cache: RenderCache, skipped: list[Problem], day: date
) -> tuple[GitTree, RenderedNotice] | None:
    """The notice at a release's commit; None (reported) when the commit is not here or broken."""
    try:
        tree = GitTree(notice_repo.repo.commit(sha), notice_repo.prefix)
        return tree, cache.render(tree)
    except (GitCommandError, ValueError, BadName, BadObject):
        message = f"the release of {day} names commit {sha[:10]}, which is not in this repository"
        skipped.append(Problem(LEDGER, None, message, Severity.WARNING))
    except SourceError as exc:
        skipped += at_commit(exc.problems, tree.commit)
    return None


def _mark_released(revisions: list[Revision], digest: str) -> list[Revision]:
    """The last revision with the released text is the released one."""
    index = next(
        (i for i in reversed(range(len(revisions))) if revisions[i].text_sha256 == digest), None
    )
    if index is None:
        return revisions
    marked = revisions[index]
    return [
        *revisions[:index],
        Revision(marked.commit, marked.committed, marked.text_sha256, released=True),
        *revisions[index + 1 :],
    ]


def _last_updated(tree: GitTree, seen: dict[str, date | tuple[Problem, ...]]) -> date:
    """The last_updated of a commit's notice.yml, read without loading the whole notice."""
    key = tree.notice_key()[0]
    if key not in seen:
        try:
            seen[key] = _read_last_updated(tree)
        except SourceError as exc:
            seen[key] = tuple(exc.problems)
    result = seen[key]
    if isinstance(result, tuple):
        raise SourceError(list(result))
    return result


def _read_last_updated(source: NoticeSource) -> date:
    path = source.paths.notice_file
    try:
        config = load_yaml(source.read_text(path), path)
    except YamlProblem as exc:
        raise SourceError([exc.problem]) from None
    except SourceReadError as exc:
        message = str(exc).removeprefix(f"{exc.path}: ")
        raise SourceError([Problem(exc.path, None, message)]) from None
    value = config.get("last_updated") if isinstance(config, LineDict) else None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        line = line_of(config, "last_updated") if isinstance(config, LineDict) else None
        message = f"last_updated: {value!r} is not a date (YYYY-MM-DD)"
        raise SourceError([Problem(path, line, message)]) from None


def version_record(version: Version) -> dict:
    """A version as JSON-ready fields."""
    return {
        "last_updated": version.last_updated.isoformat(),
        "effective": version.effective.isoformat(),
        "summary": version.summary,
        "first_commit": version.first_commit,
        "committed": version.committed.isoformat(),
        "last_commit": version.last_commit,
        "fingerprint": version.fingerprint,
        "text_sha256": version.text_sha256,
        "released_commit": version.released_commit,
        "revisions": [
            {
                "commit": r.commit,
                "committed": r.committed.isoformat(),
                "text_sha256": r.text_sha256,
                "released": r.released,
            }
            for r in version.revisions
        ],
    }


def version_on(versions: Iterable[Version], day: date) -> Version | None:
    """The version that applied on day: the latest one in effect by then (None before the first)."""
    in_effect = [v for v in versions if v.effective <= day]
    return max(in_effect, key=lambda v: v.effective, default=None)


@dataclass(frozen=True)
class Snapshot:
    """A rendering and where it came from: a version, a commit, or the working tree."""

    label: str
    source: NoticeSource
    rendered: RenderedNotice


def snapshot(root: Path, spec: str) -> Snapshot:
    """The notice at spec: WORKTREE, a version date (YYYY-MM-DD) or a git ref."""
    if spec == WORKTREE:
        source: NoticeSource = WorkingTree(Path(root))
        return Snapshot("working tree", source, render(load_notice(source)))
    if _DATE.match(spec):
        return _version_snapshot(root, spec)
    notice_repo = open_repository(root, full_history=False)
    commit = resolve_commit(notice_repo, spec)
    tree = GitTree(commit, notice_repo.prefix, label=f"{spec} ({commit.hexsha[:10]})")
    return Snapshot(tree.label, tree, render_tree(tree))


def render_tree(tree: GitTree) -> RenderedNotice:
    """Load and render the notice in a commit's tree; its problems are located 'LABEL:path'."""
    try:
        return render(load_notice(tree))
    except SourceError as exc:
        raise SourceError(
            [Problem(f"{tree.label}:{p.path}", p.line, p.message, p.severity) for p in exc.problems]
        ) from None


def _version_snapshot(root: Path, spec: str) -> Snapshot:
    history = read_history(root)
    for version in history.versions:
        if version.last_updated.isoformat() == spec:
            notice_repo = open_repository(root, full_history=False)
            commit = notice_repo.repo.commit(version.last_commit)
            tree = GitTree(commit, notice_repo.prefix, label=f"version of {spec}")
            return Snapshot(tree.label, tree, version.rendered)
    known = ", ".join(v.last_updated.isoformat() for v in history.versions) or "none"
    raise UsageError(f"no version dated {spec} in the history (versions: {known})")
