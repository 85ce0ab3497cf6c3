"""Word-level comparison: tokens, their keys, and the operations that turn one text into another."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

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


def matcher(first: Sequence[str], second: Sequence[str]) -> SequenceMatcher:
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
