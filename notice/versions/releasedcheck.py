"""Plain `notice check` knows what was released: when last_updated names a version in the ledger,
the working tree's rendering (in each released language) and summary must be what it released."""

from __future__ import annotations

from pathlib import Path

from git.exc import BadName
from gitdb.exc import BadObject

from notice.archive.ledger import (
    Entry,
    LanguageRelease,
    ledger_entries,
    released_languages,
    source_entries,
)
from notice.errors import Problem, SourceError
from notice.languages.overlay import render_language
from notice.layout import LEDGER
from notice.model import RenderedNotice
from notice.render.texthash import text_hash
from notice.source.gittree import GitTree, NotAGitRepository, open_repository
from notice.source.worktree import NoticeSource, WorkingTree
from notice.versions.gate import changed_language, released_summary, undated_change
from notice.versions.history import render_tree

FIX = "restore the released text, or set a new last_updated and summary"


def released_problems(root: Path, rendered: RenderedNotice) -> list[Problem]:
    """The working tree against the ledger's releases of its last_updated (none: nothing)."""
    source = WorkingTree(Path(root))
    day = rendered.notice.last_updated
    try:
        entries = ledger_entries(source)
    except SourceError as exc:
        return list(exc.problems)  # a malformed ledger: its lines, with the rest of the check
    entry = next((e for e in source_entries(entries) if e.version == day), None)
    if entry is None:
        return []
    at_release = _at_commit(Path(root), entry.commit)
    if at_release is None:
        problems = _against_hashes(rendered, entry)
    else:
        before = at_release[1]
        problems = undated_change(before, rendered, {day}) + released_summary(before, rendered)
    for language in released_languages(entries, day).values():
        problems += _language_problems(Path(root), source, rendered, language)
    return problems


def _language_problems(
    root: Path, source: NoticeSource, rendered: RenderedNotice, language: LanguageRelease
) -> list[Problem]:
    """One released language: its rendering at its release commit against the working tree's."""
    try:
        now = render_language(source, rendered, language.lang)
    except SourceError:
        return []  # a translation that does not render is reported by check itself
    at_release = _at_commit(root, language.commit)
    if at_release is not None:
        try:
            before = render_language(*at_release, language.lang)
        except SourceError:
            return []
        return changed_language(before, now, language.lang)
    if text_hash(now, language.text_recipe) == language.text_sha256:
        return []
    message = (
        f"the {language.lang} translation differs from what {LEDGER} released "
        f"({language.text_recipe} {language.text_sha256[:12]}…): {FIX}"
    )
    return [
        Problem(
            rendered.notice.paths.notice_file,
            rendered.notice.metadata_lines.get("last_updated", 1),
            message,
        )
    ]


def _at_commit(root: Path, sha: str) -> tuple[GitTree, RenderedNotice] | None:
    """The notice at a release's commit, rendered; None outside git or when it is not here."""
    try:
        notice_repo = open_repository(root, full_history=False)
        commit = notice_repo.repo.commit(sha)
    except (NotAGitRepository, BadName, BadObject, ValueError):
        return None
    tree = GitTree(commit, notice_repo.prefix, label=f"release commit {sha[:10]}")
    try:
        return tree, render_tree(tree)
    except SourceError:
        return None  # verify reports a release commit that does not render


def _against_hashes(rendered: RenderedNotice, entry: Entry) -> list[Problem]:
    """Without the release commit, the entry's own hash decides (under its recipe)."""
    notice = rendered.notice
    line = notice.metadata_lines.get("last_updated", 1)
    problems = []
    if text_hash(rendered, entry.text_recipe) != entry.text_sha256 or (
        notice.effective != entry.effective
    ):
        message = (
            f"the rendering differs from what {LEDGER} released as version {entry.version} "
            f"({entry.text_recipe} {entry.text_sha256[:12]}…) but last_updated is still "
            f"{entry.version}: {FIX}"
        )
        problems.append(Problem(notice.paths.notice_file, line, message))
    if notice.summary != entry.summary:
        where = notice.metadata_lines.get("summary", line)
        message = f"summary differs from released version {entry.version}'s: {FIX}"
        problems.append(Problem(notice.paths.notice_file, where, message))
    return problems
