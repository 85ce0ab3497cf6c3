"""Read a plain-text notice: lines that may be headings, paragraphs and '- ' list items."""

from __future__ import annotations

import re
from itertools import pairwise

from .document import Block, Document, Heading, Text
from .markers import is_caps_heading, is_title_case, is_title_shaped, parse_markers
from .pages import page_chrome

_BULLET = re.compile(r"^\s*- (?P<text>\S.*)$")
_LIST_LIKE = re.compile(r"^(?:\(?[0-9A-Za-z]{1,4}[.)]|[•*+–—])\s")
_BBCODE_PAIR = re.compile(r"\[(?P<tag>b|i|u|s)\](?P<body>[^\n]*?)\[/(?P=tag)\]", re.IGNORECASE)
_BBCODE_HEADING = re.compile(r"^\s*\[b\][^\n]*\S[^\n]*\[/b\]\s*$", re.IGNORECASE)
WRAPPED_TITLE_WORDS = 6  # the end of a heading wrapped onto the next line is short
_SENTENCE_END = (".", "!", "?", ":", ";", "”", '"', ")", "’", "'")


def read_text(text: str, path: str, headings: re.Pattern[str] | None = None) -> Document:
    """Split plain text into heading candidates and blocks; the text itself is the reference.

    headings (--headings): lines it matches in full are headings, whatever they look like."""
    text, bold, notes = _without_bbcode(text)
    if headings is not None:
        bold |= {i for i, line in enumerate(text.split("\n")) if headings.fullmatch(line.strip())}
    lines = text.split("\n")
    chrome, dropped = page_chrome(lines)
    lines = ["" if index in chrome else line for index, line in enumerate(lines)]
    blank_separated = _uses_blank_lines(lines)
    width = wrap_width(lines)
    items: list[Heading | Block] = []
    pending: list[tuple[int, str]] = []  # lines of the paragraph or list item being read
    pending_kind = "paragraph"
    page_break = False

    def flush() -> None:
        if pending:
            items.append(_block(pending_kind, pending))
            pending.clear()

    for index, raw in enumerate(lines):
        line = raw.strip()
        if index in chrome:
            page_break = True  # a sentence goes on across a page break; a paragraph ends there
            continue
        if not line:
            flush()
            continue
        if page_break and pending and pending[-1][1].endswith(_SENTENCE_END):
            flush()
        page_break = False
        if index in bold:
            flush()
            items.append(Heading(line, index + 1, "stated", candidate=True))
            continue
        if _wraps_heading(items, lines, index, pending, width):
            heading = items[-1]
            assert isinstance(heading, Heading)
            heading.text = f"{heading.text} {line}"  # a capitals heading wrapped onto two lines
            continue
        if _is_heading_candidate(lines, index, items, bool(pending), width):
            flush()
            items.append(Heading(line, index + 1, "text", candidate=True))
            continue
        bullet = _BULLET.match(raw)
        if bullet:
            flush()
            pending_kind = "item"
            pending.append((index + 1, bullet.group("text").strip()))
            continue
        if pending and pending_kind == "item" and raw[:1].isspace():
            pending.append((index + 1, line))
            continue
        if pending and (pending_kind == "item" or not _continues(pending, line, blank_separated)):
            flush()
        if not pending:
            pending_kind = "paragraph"
        pending.append((index + 1, line))
    flush()
    document = Document(path, "text", items, text, notes=notes)
    document.left_out = dropped
    return document


def _without_bbcode(text: str) -> tuple[str, set[int], list[tuple[int, str]]]:
    """Forum markup read as a reader sees it: '[B]Title[/B]' alone on a line is a heading.

    Only a notice with such a heading is read as BBCode; then only paired tags are markup."""
    lines = text.split("\n")
    bold = {index for index, line in enumerate(lines) if _BBCODE_HEADING.match(line)}
    if not bold:
        return text, set(), []
    note = (min(bold) + 1, "BBCode tags ([B], [I], …) read as markup: a [B] line is a heading")
    previous = None
    while previous != text:
        previous, text = text, _BBCODE_PAIR.sub(r"\g<body>", text)
    return text, bold, [note]


def _block(kind: str, lines: list[tuple[int, str]]) -> Block:
    joined = " ".join(text for _, text in lines)
    reference = "\n".join(text for _, text in lines)
    if kind == "item":
        reference = "- " + reference
    return Block(kind, lines[0][0], reference, (Text(joined),))


def _uses_blank_lines(lines: list[str]) -> bool:
    """True when paragraphs are separated by blank lines (so a single newline is a wrap)."""
    filled = sum(1 for line in lines if line.strip())
    blank = sum(1 for before, line in pairwise(lines) if not line.strip() and before.strip())
    return blank >= max(2, filled // 10)


def _continues(pending: list[tuple[int, str]], line: str, blank_separated: bool) -> bool:
    """Does line continue the paragraph being read (a wrapped line) rather than start one?"""
    if _LIST_LIKE.match(line):
        return False  # "1) ...", "(b) ...", "• ..." lines are entries of their own
    if blank_separated:
        return True
    previous = pending[-1][1]
    return not previous.endswith(_SENTENCE_END) and line[:1].islower()


def wrap_width(lines: list[str]) -> int:
    """How wide the text was wrapped: its longest lines (one in fifty may stick out)."""
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    return lengths[len(lengths) * 49 // 50] if lengths else 0


def _wrapped_below(above: str, line: str, width: int) -> bool:
    """line's first word did not fit on the line above: it was wrapped onto its own line."""
    words = line.split()
    return bool(above.strip() and words) and len(above.rstrip()) + 1 + len(words[0]) > width


def _wraps_heading(
    items: list[Heading | Block], lines: list[str], index: int, pending: list, width: int
) -> bool:
    """The line right under a heading with no number of its own is the rest of that heading
    when it is in capitals under a capitals heading ('2. HOW WE USE YOUR' / 'PERSONAL
    INFORMATION'), or when its first word did not fit on the numbered heading's line and it
    reads as a title's end ('2.1 Information You Provide' / 'Directly')."""
    if pending or not items or not isinstance(items[-1], Heading) or index == 0:
        return False
    heading, line = items[-1], lines[index].strip()
    if heading.line != index or heading.style != "text":  # heading.line is 1-based: the line above
        return False
    if parse_markers(line) or _BULLET.match(lines[index]) or _LIST_LIKE.match(line):
        return False
    letters = [c for c in line if c.isalpha()]
    capitals = bool(letters) and all(c.isupper() for c in letters)
    if capitals and is_caps_heading(heading.text):
        return True
    return _title_goes_on(heading.text, line, width)


def _title_goes_on(heading: str, line: str, width: int) -> bool:
    """A numbered heading's line, and under it a short line whose first word did not fit on it,
    that makes one title with it: '3.1 To Provide and Maintain' / 'the Services'."""
    if not parse_markers(heading) or not _wrapped_below(heading, line, width):
        return False
    if len(line.split()) > WRAPPED_TITLE_WORDS or line.rstrip().endswith((".", ";", ":", ",")):
        return False
    joined = parse_markers(f"{heading} {line}")
    return heading.endswith("-") or any(is_title_case(m.title) for m in joined)


def _is_heading_candidate(
    lines: list[str], index: int, items: list[Heading | Block], in_paragraph: bool, width: int
) -> bool:
    line = lines[index].strip()
    if _BULLET.match(lines[index]):
        return False
    above = lines[index - 1] if index else ""
    if len(line.split()) == 1 and not parse_markers(line) and _wrapped_below(above, line, width):
        return False  # one word wrapped from the line above: inside a paragraph, never a heading
    shaped = any(is_title_shaped(m.title) for m in parse_markers(line)) or is_caps_heading(line)
    alone = lines[index + 1 : index + 2] == [""]  # a Title Case heading stands on its own line
    shaped = shaped or (alone and is_title_case(line))
    if not shaped:
        return False
    previous = lines[index - 1].strip() if index else ""
    if previous.endswith(":"):
        return False  # the first entry of a list the previous line introduces
    after_heading = bool(items) and isinstance(items[-1], Heading) and not in_paragraph
    ends_sentence = previous.endswith(_SENTENCE_END) or not any(c.isalnum() for c in previous)
    if previous and not ends_sentence and not after_heading:
        return False  # the middle of a wrapped sentence
    following = lines[index + 1].strip() if index + 1 < len(lines) else ""
    return not following[:1].islower() or _title_goes_on(line, following, width)
