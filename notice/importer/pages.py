"""A PDF's page chrome in extracted text: the running header or footer that repeats on every page
with its page number ('Last updated January 4, 2026 · Page 2 of 11'), and the blank lines of
the page break before it. Never the notice's text: a paragraph goes on across the break."""

from __future__ import annotations

import re
from collections import Counter

MIN_PAGES = 2  # a line repeated on this many pages with its number changing is the page's own
_PAGE_NUMBER = re.compile(
    r"(?:\b(?:page|seite|página|pagina|strona|strana|sida|sivu|side|p\.)\s*\d+"
    r"(?:\s*(?:of|/|de|von|di|z|ze|av|sur|van|af)\s*\d+)?\b"
    r"|^[-–—\s]*\d{1,4}\s*(?:/\s*\d{1,4})?[-–—\s]*$)",
    re.IGNORECASE,
)


def page_chrome(lines: list[str]) -> tuple[set[int], list[tuple[int, str, tuple[str, ...]]]]:
    """(indexes of the lines to pass over, [(line, why, words left out)]): lines that carry a
    page number and repeat, but for their numbers, on several pages; and the blank lines and
    form feeds of the page break around them."""
    shapes = Counter(_shape(line) for line in lines if _PAGE_NUMBER.search(line.strip()))
    running = {shape for shape, count in shapes.items() if count >= MIN_PAGES and shape}
    skipped: set[int] = set()
    found: dict[str, list[int]] = {}  # shape -> the lines that have it
    for index, line in enumerate(lines):
        if _shape(line) not in running or not _PAGE_NUMBER.search(line.strip()):
            continue
        skipped.add(index)
        before = index - 1
        while before >= 0 and not lines[before].strip(" \t\f"):
            skipped.add(before)
            before -= 1
        after = index + 1
        while after < len(lines) and not lines[after].strip(" \t\f"):
            skipped.add(after)
            after += 1
        found.setdefault(_shape(line), []).append(index)
    return skipped, [_dropped(lines, where) for where in found.values()]


def _dropped(lines: list[str], where: list[int]) -> tuple[int, str, tuple[str, ...]]:
    first = " ".join(lines[where[0]].split())
    why = f"a page's running header or footer is left out ({len(where)} pages): “{first}”"
    return where[0] + 1, why, tuple(w for index in where for w in lines[index].split())


def _shape(line: str) -> str:
    """The line with its numbers blanked: what repeats from page to page."""
    return re.sub(r"\d+", "#", " ".join(line.replace("\f", " ").split()))
