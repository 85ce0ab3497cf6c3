"""Helpers for tests on notice history: new dates, releases, reflowed paragraphs, real commits."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from notice.archive.ledger import Entry, head, ledger_text
from notice.render.rendering import render
from notice.render.texthash import RECIPE, text_sha256
from notice.source.load import load_notice
from tests.conftest import commit_all, edit

CHANGES = "sections/changes-to-this-notice.md"
CHANGES_SENTENCE = "Please revisit this web page periodically to remain informed about your rights."


def set_date(root: Path, day: str, summary: str | None = None) -> None:
    """Set last_updated (and the summary, unless None) in notice.yml."""
    path = root / "notice.yml"
    text = re.sub(r"(?m)^last_updated: .*$", f"last_updated: {day}", path.read_text())
    if summary is not None:
        text = re.sub(r"(?m)^summary: .*$", f"summary: {summary}", text)
    path.write_text(text)


def release(root: Path, *days: str) -> None:
    """Write archive/ledger.json listing these versions as released: a well-formed, chained
    ledger written by the toolkit's own writer (the PDFs and commits are stand-ins; the working
    tree's own version records its real summary and text hash, as a release would)."""
    ledger = root / "archive" / "ledger.json"
    ledger.parent.mkdir(exist_ok=True)
    current = render(load_notice(root))
    entries: list[Entry] = []
    for day in days:
        version = date.fromisoformat(day)
        own = version == current.notice.last_updated
        entries.append(
            Entry(
                version=version,
                effective=current.notice.effective if own else version,
                summary=current.notice.summary if own else f"version {day}",
                commit="1" * 40,
                pdf=f"notice-{day}.pdf",
                pdf_sha256="2" * 64,
                text_sha256=text_sha256(current) if own else "3" * 64,
                released=f"{day}T12:00:00Z",
                previous=head(entries),
                text_recipe=RECIPE,
            )
        )
    ledger.write_text(ledger_text(entries), encoding="utf-8")


def change_wording(root: Path, old: str = "periodically", new: str = "regularly") -> None:
    """A one-word change in the last section."""
    edit(root / CHANGES, old, new)


def reflow(root: Path, path: str = CHANGES) -> None:
    """Re-wrap a long paragraph over several lines: same rendered words, different bytes."""
    file = root / path
    lines = file.read_text().split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    words = lines[longest].split(" ")
    lines[longest] = "\n".join(" ".join(words[i : i + 8]) for i in range(0, len(words), 8))
    file.write_text("\n".join(lines))


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line containing needle."""
    for number, line in enumerate(path.read_text().split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def commit_version(root: Path, day: str, summary: str, message: str | None = None) -> str:
    """Set a new date and summary and commit everything; return the commit sha."""
    set_date(root, day, summary)
    return commit_all(root, message or f"version {day}")
