"""Frozen text recipes rendered/1 and canonical/2: never edit; golden tests pin their hashes.

Ledger entries released under these recipes must hash the same forever, whatever later changes
to rendering (plain text, links, date formatting) do. So this module copies what the recipes
read instead of importing it: its own markdown-it-py parser settings, plain-text and
canonical-block projections and date formatting, all taken from each section's Markdown (the
body after Jinja2) and the notice's metadata.
"""

from __future__ import annotations

import re
from datetime import date

from markdown_it import MarkdownIt
from markdown_it.token import Token

from notice.model import Notice, RenderedNotice
from notice.render.localise import date_line as localised_date_line

RENDERED_1 = "rendered/1"
CANONICAL_2 = "canonical/2"
_SPACE = re.compile(r"\s+")


def frozen_parser() -> MarkdownIt:
    """The Markdown settings these recipes were released with."""
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )


def words(text: str) -> str:
    """Every run of whitespace as one space, none at the ends."""
    return _SPACE.sub(" ", text).strip()


# --- rendered/1: sha256 of the plain text with its date line ---------------------------------


def _plain_inline(children: list[Token] | None) -> str:
    parts: list[str] = []
    for token in children or []:
        if token.type in ("text", "code_inline", "html_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif token.type == "image":
            parts.append(_plain_inline(token.children))
    return "".join(parts)


def _continuation(prefixes: list[str]) -> str:
    if not prefixes:
        return ""
    return "  " if prefixes[-1] == "item" else "> "


def plain_text(tokens: list[Token]) -> str:
    """Blocks separated by blank lines; list items as '- ' or 'N. '; tables as ' | ' rows."""
    blocks: list[str] = []
    prefixes: list[str] = []
    list_kinds: list[list] = []
    row: list[str] | None = None
    pending: list[str | None] = [None]

    def emit(text: str) -> None:
        lines = text.split("\n")
        indent = "".join("  " if p == "item" else "> " for p in prefixes[:-1]) if prefixes else ""
        first = indent + (pending[0] or _continuation(prefixes))
        rest = indent + _continuation(prefixes)
        blocks.append("\n".join([first + lines[0], *(rest + line for line in lines[1:])]))
        pending[0] = None

    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_kinds.append([kind == "ordered_list_open", int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_kinds.pop()
        elif kind == "list_item_open":
            ordered, number = list_kinds[-1]
            pending[0] = f"{number}. " if ordered else "- "
            list_kinds[-1][1] = number + 1
            prefixes.append("item")
        elif kind == "list_item_close":
            prefixes.pop()
            pending[0] = None
        elif kind == "blockquote_open":
            prefixes.append("quote")
        elif kind == "blockquote_close":
            prefixes.pop()
        elif kind == "inline" and row is not None:
            row.append(_plain_inline(token.children))
        elif kind == "inline":
            emit(_plain_inline(token.children))
        elif kind in ("fence", "code_block"):
            emit(token.content.rstrip("\n"))
        elif kind == "hr":
            emit("---")
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            emit(" | ".join(row or []))
            row = None
    return "\n\n".join(block for block in blocks if block.strip())


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _format_date(value: date, pattern: str) -> str:
    pattern = pattern.replace("%o", _ordinal(value.day))
    pattern = re.sub(r"%\^([A-Za-z])", lambda m: value.strftime(f"%{m.group(1)}").upper(), pattern)
    return value.strftime(pattern)


def _date_line(notice: Notice) -> str:
    if notice.lang:  # Babel's wording: locale data is pinned by constraints.txt, not copied here
        return localised_date_line(notice.last_updated, notice.lang)
    return notice.date_line.replace("{date}", _format_date(notice.last_updated, notice.date_format))


def rendered_1_text(rendered: RenderedNotice) -> str:
    """The plain text rendered/1 hashed: headings and bodies, with the date line where placed."""
    md = frozen_parser()
    blocks = []
    for section in rendered.sections:
        if section.show_heading:
            blocks.append(section.heading)
        text = plain_text(md.parse(section.markdown))
        if text:
            blocks.append(text)
    notice = rendered.notice
    line = _date_line(notice)
    if notice.date_line_position == "top":
        blocks = [line, *blocks]
    elif notice.date_line_position == "end":
        blocks = [*blocks, line]
    return "\n\n".join(blocks) + "\n"


# --- canonical/2: blocks one to a line, words and link destinations, then the ISO dates -----


def inline_words(children: list[Token] | None) -> str:
    """An inline run's words, each link followed by ' <destination>' (canonical/2)."""
    parts: list[str] = []
    targets: list[str] = []
    for token in children or []:
        if token.type in ("text", "code_inline", "html_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "link_open":
            targets.append(str(token.attrGet("href") or ""))
        elif token.type == "link_close" and targets:
            parts.append(f" <{targets.pop()}>")
        elif token.type == "image":
            parts.append(f"{inline_words(token.children)} <{token.attrGet('src') or ''}>")
    return words("".join(parts))


def canonical_blocks(tokens: list[Token]) -> str:
    """A section body under canonical/2: each block's words on a line of its own."""
    lines = []
    for token in tokens:
        if token.type == "inline":
            lines.append(inline_words(token.children))
        elif token.type in ("fence", "code_block"):
            lines.append(words(token.content))
        elif token.type == "hr":
            lines.append("---")
    return "\n".join(line for line in lines if line)


def canonical_2_text(rendered: RenderedNotice) -> str:
    """The text canonical/2 hashed: title, headings and bodies, then the two ISO dates."""
    md = frozen_parser()
    notice = rendered.notice
    lines = [words(notice.title)]
    for section in rendered.sections:
        if section.show_heading:
            lines.append(words(section.heading))
        body = canonical_blocks(md.parse(section.markdown))
        if body:
            lines.append(body)
    lines.append(f"Last updated: {notice.last_updated.isoformat()}")
    lines.append(f"Effective: {notice.effective.isoformat()}")
    return "\n".join(lines) + "\n"


FROZEN = {RENDERED_1: rendered_1_text, CANONICAL_2: canonical_2_text}


def frozen_text(rendered: RenderedNotice, recipe: str) -> str:
    """rendered's text under a frozen recipe (texthash.py hashes it)."""
    return FROZEN[recipe](rendered)
