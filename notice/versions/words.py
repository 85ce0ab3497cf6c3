"""The word level of a redline: tokens, their keys, word operations and one section's redline."""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from notice.model import RenderedSection
from notice.wording import words_counted

_SPACES = re.compile(r"(\s+)")
_BREAK = re.compile(r"\n[^\S\n]*\n")
PARAGRAPH = "\u00b6"  # the key of a paragraph break: breaks count, their exact spacing does not
MOVED = ("moved-out", "moved-in")
# text that kept its place in the document but now belongs to another section (a split, a merge)
CARRIED = ("carried-out", "carried-in")


def tokenize(text: str) -> list[str]:
    """Words with their trailing spaces; paragraph breaks (and leading space) are tokens alone."""
    tokens: list[str] = []
    for index, part in enumerate(_SPACES.split(text)):
        if not part:
            continue
        if index % 2 == 0 or not tokens or _BREAK.search(part):
            tokens.append(part)
        else:
            tokens[-1] += part
    return tokens


def token_key(token: str) -> str:
    """What is compared: the word, or a paragraph break; a reflow changes no key."""
    word = token.strip()
    if word:
        return word
    return PARAGRAPH if _BREAK.search(token) else ""


def comparable(text: str) -> tuple[str, ...]:
    """The text as the reader sees it: words and paragraph breaks, line wrapping ignored."""
    return tuple(key for key in map(token_key, tokenize(text)) if key)


def word_count(text: str) -> int:
    return sum(1 for key in comparable(text) if key != PARAGRAPH)


@dataclass(frozen=True)
class WordOp:
    """One step from the old text to the new: old tokens [start:end] become new."""

    tag: str  # "equal", "delete", "insert", "replace", "moved-…" or "carried-…" ("-out"/"-in")
    start: int
    end: int
    old: str
    new: str
    peer: str = ""  # moved or carried text: the heading of the section it went to or came from


def matcher(first: Sequence[Hashable], second: Sequence[Hashable]) -> SequenceMatcher:
    """difflib without its junk heuristic, which must be switched off in the constructor: above
    200 items it drops every frequent word, and one changed word reads as half a section."""
    return SequenceMatcher(None, first, second, autojunk=False)


def word_ops(old_text: str, new_text: str) -> tuple[WordOp, ...]:
    """Word-level operations turning old_text into new_text (equal runs carry the new spacing)."""
    old, new = tokenize(old_text), tokenize(new_text)
    compared = matcher([token_key(t) for t in old], [token_key(t) for t in new])
    return tuple(
        WordOp(tag, i1, i2, "".join(old[i1:i2]), "".join(new[j1:j2]))
        for tag, i1, i2, j1, j2 in compared.get_opcodes()
    )


def apply_ops(old_text: str, ops: Sequence[WordOp]) -> str:
    """Apply word operations to old_text; ValueError when they were made from another text."""
    old = tokenize(old_text)
    position, parts = 0, []
    for op in ops:
        if op.start != position or "".join(old[op.start : op.end]) != op.old:
            raise ValueError(f"redline does not apply at token {op.start}: text differs")
        parts.append(op.new)
        position = op.end
    if position != len(old):
        raise ValueError(f"redline stops at token {position} of {len(old)}")
    return "".join(parts)


@dataclass(frozen=True)
class SectionRedline:
    """One section compared by id, else by content: added, removed or kept; moved, retitled,
    text changed, text moved in from or out to other sections, split from or merged into one."""

    id: str
    status: str  # "added", "removed" or "kept"
    old: RenderedSection | None
    new: RenderedSection | None
    old_parent: str | None = None
    new_parent: str | None = None
    moved: bool = False
    retitled: bool = False
    text_changed: bool = False
    ops: tuple[WordOp, ...] = ()
    old_id: str | None = None  # matched by content: the id it had before
    level_changed: bool = False  # summarised once for the whole redline, not per section
    link_changes: tuple[str, ...] = ()  # "'text': <old> → <new>" for each link retargeted
    markup_changed: bool = False  # same words, but not what a reader sees (strike, a list marker)

    @property
    def changed(self) -> bool:
        return self.reported or self.level_changed

    @property
    def reported(self) -> bool:
        """Shown section by section: anything but a heading level change alone."""
        return (
            self.status != "kept"
            or self.moved
            or self.retitled
            or self.text_changed
            or self.markup_changed
        )

    @property
    def heading(self) -> str:
        section = self.new or self.old
        assert section is not None
        return section.heading

    @property
    def path(self) -> str:
        section = self.new or self.old
        assert section is not None
        return section.path

    def words(self, tag: str) -> int:
        """How many words were inserted ("insert"), deleted ("delete") or moved in ("moved-in")
        or out ("moved-out"); moved words are not counted as inserted or deleted."""
        side = "old" if tag in ("delete", "moved-out") else "new"
        tags = (tag,) if tag in MOVED else (tag, "replace")
        return sum(word_count(getattr(op, side)) for op in self.ops if op.tag in tags)

    def peers(self, tag: str) -> tuple[str, ...]:
        """Headings of the sections text moved or was carried to ("moved-out", "carried-out") or
        came from ("moved-in", "carried-in")."""
        return tuple(dict.fromkeys(op.peer for op in self.ops if op.tag == tag))

    def carried(self, tag: str) -> int:
        """Words that kept their place in the document but changed section ("carried-in" from
        another section, "carried-out" to one): no change a reader sees in the text."""
        side = "new" if tag == "carried-in" else "old"
        return sum(word_count(getattr(op, side)) for op in self.ops if op.tag == tag)

    @property
    def split_from(self) -> str | None:
        """An added section whose text mostly came from one other section."""
        if self.status != "added":
            return None
        return self._mostly("moved-in", "new") or self._mostly("carried-in", "new")

    @property
    def merged_into(self) -> str | None:
        """A removed section whose text mostly went to one other section."""
        if self.status != "removed":
            return None
        return self._mostly("moved-out", "old") or self._mostly("carried-out", "old")

    def _mostly(self, tag: str, side: str) -> str | None:
        section = getattr(self, side)
        peers = self.peers(tag)
        total = word_count(section.text) if section else 0
        words = self.carried(tag) if tag in CARRIED else self.words(tag)
        if len(peers) == 1 and total and words * 2 >= total:
            return peers[0]
        return None

    def describe(self) -> str:
        """The change in a few words, e.g. 'moved (from under a to the top level); retitled'."""
        if self.status in ("added", "removed"):
            return "; ".join([self.status, *self._moves()])
        parts = []
        if self.moved and self.old_parent == self.new_parent:
            parts.append(f"moved (new position {_where(self.new_parent)})")
        elif self.moved:
            parts.append(f"moved ({_where(self.old_parent)} → {_where(self.new_parent)})")
        if self.retitled and self.old and self.new:
            parts.append(f"retitled: {self.old.title!r} → {self.new.title!r}")
        if self.old_id and self.old_id != self.id:
            parts.append(f"matched by content (was {self.old_id})")
        parts += [f"link {change}" for change in self.link_changes]
        if self.text_changed:
            inserted, deleted = self.words("insert"), self.words("delete")
            if self.ops and (inserted or deleted):
                parts.append(f"text changed: {words_counted(inserted)} inserted, {deleted} deleted")
            elif not self.link_changes and not self._moves():
                parts.append("text changed")
        if self.markup_changed and not self.text_changed:
            parts.append("formatting changed (emphasis, strike, lists, tables, link titles or alt)")
        parts += self._moves()
        return "; ".join(parts) or "unchanged"

    def _moves(self) -> list[str]:
        if self.split_from:
            return [f"split from {self.split_from!r}"]
        if self.merged_into:
            return [f"merged into {self.merged_into!r}"]
        parts = []
        for tag, way in (("moved-in", "from"), ("moved-out", "to")):
            if self.peers(tag):
                where = ", ".join(repr(p) for p in self.peers(tag))
                parts.append(f"{words_counted(self.words(tag))} moved {way} {where}")
        for tag, way in (("carried-out", "split into"), ("carried-in", "merged with")):
            if self.peers(tag):
                parts.append(f"{way} {', '.join(repr(p) for p in self.peers(tag))}")
        return parts


def _where(parent: str | None) -> str:
    return f"under {parent}" if parent else "at the top level"
