"""What the import leaves out on purpose: the title heading (notice.yml's title) and the
notice's own table of contents (the site and the PDF make their own), with the words they held."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from .document import Block, Link, Text
from .structure import Structure

MIN_ENTRIES = 3  # fewer in-page links than this are a sentence's links, not a table of contents
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+", re.M)
_TOC_LINE = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+\[[^\]\n]+\]\(<?#([^)\s>]+)>?\)\s*$")


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
    """Remove a table of contents (a run of list entries, each one link to a heading of the
    notice) from the opening section; the site and the PDF make their own."""
    if not structure.sections:
        return []
    opening = structure.sections[0]
    known = set(structure.anchors())
    run: list[Block] = []
    found: list[Dropped] = []
    for block in [*opening.blocks, None]:
        targets = _entry_targets(block) if block is not None else None
        if targets is not None and set(targets) <= known:
            run.append(block)  # type: ignore[arg-type]
            continue
        if sum(len(_entry_targets(b) or ()) for b in run) >= MIN_ENTRIES:
            found.append(_dropped(run))
            opening.blocks = [b for b in opening.blocks if b not in run]
        run = []
    return found


def _dropped(run: list[Block]) -> Dropped:
    words = [w for b in run for w in _LIST_MARKER.sub("", b.reference).split()]
    count = sum(len(_entry_targets(b) or ()) for b in run)
    why = f"a table of contents of {count} in-page links is left out (the site and PDF make theirs)"
    return Dropped(run[0].line, why, tuple(words))


def _entry_targets(block: Block) -> list[str] | None:
    """The in-page targets of a list block made only of entries that are one link each."""
    if block.kind == "raw":
        lines = [line for line in block.raw.split("\n") if line.strip()]
        matches = [_TOC_LINE.match(line) for line in lines]
        if lines and all(matches):
            return [unquote(m.group(1)) for m in matches if m]
        return None
    if block.kind != "item":
        return None
    pieces = [p for p in block.pieces if not (isinstance(p, Text) and not p.text.strip())]
    if len(pieces) == 1 and isinstance(pieces[0], Link) and pieces[0].href.startswith("#"):
        return [unquote(pieces[0].href[1:])]
    return None


def dropped_notes(dropped: list[Dropped]) -> list[tuple[int, str]]:
    """One warning per part left out, naming it."""
    return [(item.line, item.why) for item in dropped if item.warn]
