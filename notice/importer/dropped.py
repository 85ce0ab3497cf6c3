"""What the import leaves out on purpose: the title heading (notice.yml's title) and the
notice's own table of contents (the site and the PDF make their own), with the words they held."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from .document import Block, Link, Text, piece_texts
from .structure import Structure

MIN_ENTRIES = 3  # fewer in-page links than this are a sentence's links, not a table of contents
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+", re.M)
_LINK = r"\[(?P<text>[^\]\n]+)\]\(<?(?P<target>[^)\s>]+)>?\)"
_TOC_LINE = re.compile(rf"^\s*(?:[-*+]|\d{{1,3}}[.)])\s+{_LINK}\s*$")
_LINK_ALONE = re.compile(rf"^\s*{_LINK}\s*$")


@dataclass(frozen=True)
class Dropped:
    """A part of the input the rendering leaves out, and why."""

    line: int
    why: str
    words: tuple[str, ...]
    warn: bool = True  # the title is said in the summary's title line, not as a warning


def title_dropped(structure: Structure) -> list[Dropped]:
    """The title heading is notice.yml's title now: printed by the site and the PDF, once."""
    if not structure.title:
        return []
    why = "the title heading (notice.yml's title: the site and the PDF print it)"
    return [Dropped(structure.title_line, why, tuple(structure.title.split()), warn=False)]


def drop_contents(structure: Structure) -> list[Dropped]:
    """Remove a table of contents (a run of entries, each only a link to a heading of the
    notice: '#anchor', or the page's own address with the heading's text) from the opening
    section; the site and the PDF make their own."""
    if not structure.sections:
        return []
    opening = structure.sections[0]
    known = set(structure.anchors())
    titles = {_folded(s.heading_text) for s in structure.sections if s.heading_text}
    run: list[Block] = []
    found: list[Dropped] = []
    for block in [*opening.blocks, None]:
        entries = _entries(block) if block is not None else None
        if entries and all(_reaches(e, known, titles) for e in entries):
            run.append(block)  # type: ignore[arg-type]
            continue
        if sum(len(_entries(b) or ()) for b in run) >= MIN_ENTRIES:
            found.append(_dropped(run))
            opening.blocks = [b for b in opening.blocks if b not in run]
        run = []
    return found


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _reaches(entry: tuple[str, str], known: set[str], titles: set[str]) -> bool:
    """An in-page link to an anchor of the notice, or a link to a place in a page (its own)
    named as one of the notice's headings."""
    target, text = entry
    if target.startswith("#"):
        return unquote(target[1:]) in known
    return "#" in target and _folded(text) in titles


def _dropped(run: list[Block]) -> Dropped:
    words = [w for b in run for w in _LIST_MARKER.sub("", b.reference).split()]
    count = sum(len(_entries(b) or ()) for b in run)
    why = f"a table of contents of {count} in-page links is left out (the site and PDF make theirs)"
    return Dropped(run[0].line, why, tuple(words))


def _entries(block: Block) -> list[tuple[str, str]] | None:
    """(target, text) of each entry of a block made only of entries that are one link each:
    list items, or a paragraph that is a single link."""
    if block.kind == "raw":
        lines = [line for line in block.raw.split("\n") if line.strip()]
        matches = [_TOC_LINE.match(line) or _LINK_ALONE.match(line) for line in lines]
        if lines and all(matches):
            return [(m.group("target"), m.group("text")) for m in matches if m]
        return None
    if block.kind not in ("item", "paragraph"):
        return None
    pieces = [p for p in block.pieces if not (isinstance(p, Text) and not p.text.strip())]
    if len(pieces) == 1 and isinstance(pieces[0], Link):
        text = " ".join(t for t in piece_texts(pieces[0].children))
        return [(pieces[0].href, text)]
    return None


def dropped_notes(dropped: list[Dropped]) -> list[tuple[int, str]]:
    """One warning per part left out, naming it."""
    return [(item.line, item.why) for item in dropped if item.warn]
