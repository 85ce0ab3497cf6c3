"""Plain `notice check` knows what was released: when last_updated names a version in the ledger,
the working tree's rendering (in each released language) and summary must be what it released."""

from __future__ import annotations

from pathlib import Path

from git.exc import BadName
from gitdb.exc import BadObject

from notice.archive.ledger import Entry, ledger_entries
from notice.errors import Problem, SourceError
from notice.layout import LEDGER, NOTICE_FILE
from notice.model import RenderedNotice
from notice.render.canonical import text_hash
from notice.source.gittree import GitTree, NotAGitRepository, open_repository
from notice.source.worktree import NoticeSource, WorkingTree
from notice.translate.overlay import render_language
from notice.versions.gate import changed_language, released_summary, undated_change
from notice.versions.history import render_tree


def released_problems(root: Path, rendered: RenderedNotice) -> list[Problem]:
    """The working tree against the ledger entry of its last_updated (none: nothing to say)."""
    source = WorkingTree(Path(root))
    try:
        entry = _entry_of(source, rendered)
    except SourceError as exc:
        return list(exc.problems)  # a malformed ledger: its lines, with the rest of the check
    if entry is None:
        return []
    at_release = _release_commit(Path(root), entry)
    if at_release is None:
        return _against_hashes(source, rendered, entry)
    tree, before = at_release
    day = {entry.version}
    problems = undated_change(before, rendered, day) + released_summary(before, rendered)
    for translation in entry.translations:
        try:
            old = render_language(tree, before, translation.lang)
            new = render_language(source, rendered, translation.lang)
        except SourceError:
            continue  # a translation that does not render is reported by check itself
        problems += changed_language(old, new, translation.lang)
    return problems


def _entry_of(source: NoticeSource, rendered: RenderedNotice) -> Entry | None:
    day = rendered.notice.last_updated
    return next((e for e in ledger_entries(source) if e.version == day), None)


def _release_commit(root: Path, entry: Entry) -> tuple[GitTree, RenderedNotice] | None:
    """The notice at the entry's commit, rendered; None outside git or when it is not here."""
    try:
        notice_repo = open_repository(root, full_history=False)
        commit = notice_repo.repo.commit(entry.commit)
    except (NotAGitRepository, BadName, BadObject, ValueError):
        return None
    tree = GitTree(commit, notice_repo.prefix, label=f"release {entry.version}")
    try:
        return tree, render_tree(tree)
    except SourceError:
        return None  # verify reports a release commit that does not render


def _against_hashes(source: NoticeSource, rendered: RenderedNotice, entry: Entry) -> list[Problem]:
    """Without the release commit, the entry's own hashes decide (under their recipes)."""
    notice = rendered.notice
    line = notice.metadata_lines.get("last_updated", 1)
    fix = "restore the released text, or set a new last_updated and summary"
    problems = []
    if text_hash(rendered, entry.text_recipe) != entry.text_sha256 or (
        notice.effective != entry.effective
    ):
        message = (
            f"the rendering differs from what {LEDGER} released as version {entry.version} "
            f"({entry.text_recipe} {entry.text_sha256[:12]}…) but last_updated is still "
            f"{entry.version}: {fix}"
        )
        problems.append(Problem(NOTICE_FILE, line, message))
    if notice.summary != entry.summary:
        where = notice.metadata_lines.get("summary", line)
        message = f"summary differs from released version {entry.version}'s: {fix}"
        problems.append(Problem(NOTICE_FILE, where, message))
    for translation in entry.translations:
        try:
            in_lang = render_language(source, rendered, translation.lang)
        except SourceError:
            continue
        if text_hash(in_lang, translation.text_recipe) != translation.text_sha256:
            message = (
                f"the {translation.lang} translation differs from what {LEDGER} released "
                f"with version {entry.version}: {fix}"
            )
            problems.append(Problem(NOTICE_FILE, line, message))
    return problems
