"""Audit the first-parent chain (a merge commit stands for its pull request): a change of the
canonical text under a released date is an error, under an unreleased date a revision (reported,
allowed); a date that went backwards is an error. Each commit is judged by the ledger as it
stood just before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from git.objects import Commit

from notice.archive.ledger import ledger_entries, released_languages, released_versions
from notice.errors import Problem, SourceError
from notice.languages.overlay import render_language
from notice.model import RenderedNotice
from notice.progress import Progress, no_progress
from notice.render.texthash import text_sha256
from notice.source.gittree import GitTree, open_repository
from notice.versions.gate import changed_language, date_backwards, undated_change
from notice.versions.history import RenderCache, at_commit, notice_commits


@dataclass(frozen=True)
class Finding:
    """A commit that broke a "last updated" rule."""

    commit: str
    committed: datetime
    kind: str  # "undated-change" or "date-backwards" (errors), "revision" (a draft changed)
    message: str

    @property
    def error(self) -> bool:
        return self.kind != "revision"

    def __str__(self) -> str:
        return f"{self.commit[:10]} ({self.committed.date()}): {self.message}"


@dataclass(frozen=True)
class Audit:
    """The findings over the history, and the commits whose notice could not be rendered."""

    findings: tuple[Finding, ...]
    skipped: tuple[Problem, ...]
    commits: int
    renders: int

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.error)

    @property
    def revisions(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.error)


def audit(
    root: Path,
    ref: str = "HEAD",
    cache: RenderCache | None = None,
    progress: Progress = no_progress,
) -> Audit:
    """Walk every commit touching the notice, oldest first, comparing renderings pairwise."""
    notice_repo = open_repository(root)
    cache = cache or RenderCache()
    renders_before = cache.renders
    commits = notice_commits(notice_repo, ref)
    findings: list[Finding] = []
    skipped: list[Problem] = []
    previous: tuple[GitTree, RenderedNotice] | None = None
    for done, commit in enumerate(commits, start=1):
        progress("auditing commits", done, len(commits))
        tree = GitTree(commit, notice_repo.prefix)
        try:
            rendered = cache.render(tree)
        except SourceError as exc:
            skipped += at_commit(exc.problems, commit)
            continue
        if previous is not None:
            released = _released_before(commit, notice_repo.prefix, skipped)
            findings += _judge(previous[1], rendered, released, commit)
            findings += _languages(previous, (tree, rendered), commit)
        previous = (tree, rendered)
    return Audit(tuple(findings), tuple(skipped), len(commits), cache.renders - renders_before)


def _released_before(commit: Commit, prefix: str, skipped: list[Problem]) -> set[date]:
    """The ledger in the commit's first parent: what was released when the change was made."""
    if not commit.parents:
        return set()
    parent = commit.parents[0]
    try:
        return released_versions(GitTree(parent, prefix))
    except SourceError as exc:
        skipped += at_commit(exc.problems, parent)
        return set()


def _judge(
    before: RenderedNotice, after: RenderedNotice, released: set[date], commit: Commit
) -> list[Finding]:
    found = []
    for kind, problems in (
        ("undated-change", undated_change(before, after, released)),
        ("date-backwards", date_backwards(before, after)),
    ):
        found += [
            Finding(commit.hexsha, commit.committed_datetime, kind, problem.message)
            for problem in problems
        ]
    day = after.notice.last_updated
    same_day = before.notice.last_updated == day and day not in released
    if same_day and text_sha256(before) != text_sha256(after):
        message = f"revision of version {day}, not released yet (allowed until its release)"
        found.append(Finding(commit.hexsha, commit.committed_datetime, "revision", message))
    return found


def _languages(
    before: tuple[GitTree, RenderedNotice], after: tuple[GitTree, RenderedNotice], commit: Commit
) -> list[Finding]:
    """A released translation changed under its version's date (the ledger before the commit)."""
    day = after[1].notice.last_updated
    if before[1].notice.last_updated != day or not commit.parents:
        return []
    try:
        entries = ledger_entries(GitTree(commit.parents[0], before[0].prefix))
    except SourceError:
        return []
    found = []
    for lang in released_languages(entries, day):
        try:
            old = render_language(before[0], before[1], lang)
            new = render_language(after[0], after[1], lang)
        except SourceError:
            continue
        found += [
            Finding(commit.hexsha, commit.committed_datetime, "undated-change", p.message)
            for p in changed_language(old, new, lang)
        ]
    return found


def audit_record(result: Audit) -> dict:
    """The audit as JSON-ready fields."""
    return {
        "ok": result.ok,
        "commits": result.commits,
        "findings": [  # errors, then revisions (kind "revision": allowed)
            {
                "commit": f.commit,
                "committed": f.committed.isoformat(),
                "kind": f.kind,
                "message": f.message,
            }
            for f in result.findings
        ],
        "skipped": [str(problem) for problem in result.skipped],
    }
