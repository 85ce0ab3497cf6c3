"""The "last updated" rules: compare the rendering at a base with the head's, on rendered text."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from notice.archive.ledger import ledger_entries, released_languages, released_versions
from notice.errors import Problem, Severity, SourceError
from notice.languages.overlay import render_language
from notice.model import RenderedNotice
from notice.render.texthash import text_sha256
from notice.source.documents import place_of
from notice.source.gittree import open_repository, resolve_commit
from notice.source.worktree import NoticeSource, WorkingTree
from notice.versions.history import snapshot
from notice.versions.redline import compare_sections, variable_changes

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
CALIFORNIA_RULE = (
    "California Civ. Code §1798.130(a)(5) requires updating the notice at least once every "
    "12 months"
)


def content_changes(base: RenderedNotice, head: RenderedNotice) -> list[str]:
    """What a reader sees changed, as short names: sections (with their file), title, company."""
    changes = [
        f"{section.id} ({section.path})"
        for section in compare_sections(base, head, with_ops=False)
        if section.changed
    ]
    for name in ("title", "company"):
        if getattr(base.notice, name) != getattr(head.notice, name):
            changes.append(f"the notice's {name}")
    if _date_line(base) != _date_line(head):
        changes.append("the date line (date_line, date_format or its position)")
    if _structure(base) == _structure(head) and _numbers(base) != _numbers(head):
        changes.append("the heading numbers")
    dates = ("last_updated", "effective")
    same_days = all(getattr(base.notice, d) == getattr(head.notice, d) for d in dates)
    if not changes and same_days and text_sha256(base) != text_sha256(head):
        changes.append("the rendering")  # the canonical text decides; the names above explain
    return changes


def _date_line(rendered: RenderedNotice) -> tuple[str, str, str]:
    notice = rendered.notice
    return (notice.date_line, notice.date_format, notice.date_line_position)


def _structure(rendered: RenderedNotice) -> list[tuple[str, str | None]]:
    return [(section.id, section.parent) for section in rendered.notice.sections]


def _numbers(rendered: RenderedNotice) -> list[str]:
    return [section.number for section in rendered.sections]


def year_before(today: date) -> date:
    """The same day one year earlier (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def last_updated_problems(
    base: RenderedNotice, head: RenderedNotice, released: set[date], today: date
) -> list[Problem]:
    """Every "last updated" rule broken going from base to head, judged on the rendered text."""
    old, new = base.notice, head.notice
    line = new.metadata_lines.get("last_updated", 1)
    date_moved = new.last_updated != old.last_updated
    problems = undated_change(base, head, released)
    if date_moved and not content_changes(base, head):
        problems.append(
            Problem(
                new.paths.notice_file,
                line,
                f"last_updated moved from {old.last_updated} to {new.last_updated} but the "
                "rendered text did not change: no new version is needed",
                Severity.WARNING,
            )
        )
    problems += date_backwards(base, head)  # a future date: check_source, with today
    if date_moved:
        problems += _summary(base, head)
    if new.last_updated < year_before(today):
        problems.append(
            Problem(
                new.paths.notice_file,
                line,
                f"last_updated {new.last_updated} is more than 12 months before {today}: "
                f"{CALIFORNIA_RULE}",
                Severity.WARNING,
            )
        )
    return problems


def undated_change(
    base: RenderedNotice, head: RenderedNotice, released: set[date]
) -> list[Problem]:
    """An error when a released version's rendered text changed under the same date.

    A date not yet in the ledger is a draft: it may carry more changes before its release.
    """
    old, new = base.notice, head.notice
    if new.last_updated != old.last_updated or old.last_updated not in released:
        return []
    changes = content_changes(base, head)
    if new.effective != old.effective:
        changes.append("the effective date")
    if not changes:
        return []
    variables = [str(change) for change in variable_changes(base, head) if change.places]
    because = f" (variable {'; '.join(variables)})" if variables else ""
    message = (
        f"the rendered text changed in {', '.join(changes)}{because} but last_updated is still "
        f"{new.last_updated}, a released version: set a new last_updated and summary"
    )
    return [Problem(new.paths.notice_file, new.metadata_lines.get("last_updated", 1), message)]


def date_backwards(base: RenderedNotice, head: RenderedNotice) -> list[Problem]:
    """An error when last_updated went back in time."""
    old, new = base.notice, head.notice
    if new.last_updated >= old.last_updated:
        return []
    message = (
        f"last_updated {new.last_updated} is earlier than the previous {old.last_updated}: "
        "dates only move forward"
    )
    return [Problem(new.paths.notice_file, new.metadata_lines.get("last_updated", 1), message)]


def _summary(base: RenderedNotice, head: RenderedNotice) -> list[Problem]:
    new = head.notice
    line = new.metadata_lines.get("summary", new.metadata_lines.get("last_updated", 1))
    if not new.summary:
        return [Problem(new.paths.notice_file, line, "summary: required when last_updated changes")]
    if new.summary == base.notice.summary:
        return [
            Problem(
                new.paths.notice_file,
                line,
                "summary: unchanged although last_updated changed; "
                "describe what this version changes",
            )
        ]
    return []


def check_against_base(root: Path, head: RenderedNotice, base: str, today: date) -> list[Problem]:
    """The rules for the working tree's rendering against the notice at base (a ref or a date).

    Released means listed in the base's ledger: a release made in this same change finishes a
    draft, it does not edit a released version.
    """
    try:
        if _new_document(root, base):
            return []  # nothing to compare: its first version is judged by check alone
        before = snapshot(root, base)
        released = released_versions(before.source)
    except SourceError as exc:
        return [
            Problem(p.path, p.line, f"cannot compare with base {base}: {p.message}")
            for p in exc.problems
        ]
    problems = last_updated_problems(before.rendered, head, released, today)
    if before.rendered.notice.last_updated in released:
        problems += released_summary(before.rendered, head)
        head_source = WorkingTree(Path(root))
        problems += _language_changes(before.source, before.rendered, head_source, head)
    return problems


def _new_document(root: Path, base: str) -> bool:
    """True when root is a document that base (a git ref) does not hold yet."""
    place = place_of(root)
    if place.is_root or _DATE.match(base):
        return False
    notice_repo = open_repository(root, full_history=False)
    try:
        resolve_commit(notice_repo, base).tree / notice_repo.path(place.paths.notice_file)
    except KeyError:
        return True
    return False


def released_summary(base: RenderedNotice, head: RenderedNotice) -> list[Problem]:
    """The summary of a released version is part of its record: it may not change under its date."""
    old, new = base.notice, head.notice
    if new.last_updated != old.last_updated or new.summary == old.summary:
        return []
    line = new.metadata_lines.get("summary", new.metadata_lines.get("last_updated", 1))
    message = (
        f"summary changed under last_updated {new.last_updated}, a released version (the summary "
        "is part of its record): restore it, or set a new last_updated and summary"
    )
    return [Problem(new.paths.notice_file, line, message)]


def _language_changes(
    base_source: NoticeSource,
    base: RenderedNotice,
    head_source: NoticeSource,
    head: RenderedNotice,
) -> list[Problem]:
    """Each released translation of the version, rendered at base and at head, must be the same."""
    day = base.notice.last_updated
    if head.notice.last_updated != day:
        return []
    problems = []
    for lang in released_languages(ledger_entries(base_source), day):
        try:
            before = render_language(base_source, base, lang)
            after = render_language(head_source, head, lang)
        except SourceError:
            continue  # a translation that does not render is reported by check itself
        problems += changed_language(before, after, lang)
    return problems


def changed_language(before: RenderedNotice, after: RenderedNotice, lang: str) -> list[Problem]:
    """An error when a released language's rendering differs (its sections, title, macros)."""
    if text_sha256(before) == text_sha256(after):
        return []
    changes = content_changes(before, after) or ["its rendering (a macro body?)"]
    notice = after.notice
    message = (
        f"the {lang} translation of released version {notice.last_updated} changed in "
        f"{', '.join(changes)}: a released language's text changes only with a new version; "
        "restore it, or set a new last_updated and summary"
    )
    return [
        Problem(notice.paths.notice_file, notice.metadata_lines.get("last_updated", 1), message)
    ]
