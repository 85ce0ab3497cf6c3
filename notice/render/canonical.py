"""The canonical text: the one definition of "the same text" (gate, history, diff, audit, archive).

Blocks (headings, paragraphs, list items, table cells) one to a line, words joined by single
spaces, every link followed by its destination (`text <https://dest>`): a reflow is no change, a
changed link target is. Its hash and the recipe names of every text hash: texthash.py.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from notice.model import Link, RenderedNotice

_SPACE = re.compile(r"\s+")


def words(text: str) -> str:
    """Every run of whitespace as one space, none at the ends."""
    return _SPACE.sub(" ", text).strip()


def _inline(children: list[Token] | None) -> str:
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
            parts.append(f"{_inline(token.children)} <{token.attrGet('src') or ''}>")
    return words("".join(parts))


def canonical_blocks(tokens: list[Token]) -> str:
    """A section body's canonical text: each block's words on a line of its own."""
    lines = []
    for token in tokens:
        if token.type == "inline":
            lines.append(_inline(token.children))
        elif token.type in ("fence", "code_block"):
            lines.append(words(token.content))
        elif token.type == "hr":
            lines.append("---")
    return "\n".join(line for line in lines if line)


def links(tokens: list[Token]) -> tuple[Link, ...]:
    """Every link of a body, in order (what diff shows when only a destination changed)."""
    found = []
    for token in tokens:
        children = token.children or []
        for index, child in enumerate(children):
            if child.type == "link_open":
                end = next(
                    (i for i in range(index, len(children)) if children[i].type == "link_close"),
                    len(children),
                )
                found.append(
                    Link(_inline(children[index + 1 : end]), str(child.attrGet("href") or ""))
                )
    return tuple(found)


def canonical_text(rendered: RenderedNotice) -> str:
    """The whole notice's canonical text: title, headings and bodies, then its dates."""
    notice = rendered.notice
    lines = [words(notice.title)]
    for section in rendered.sections:
        if section.show_heading:
            lines.append(words(section.heading))
        if section.canonical:
            lines.append(section.canonical)
    lines.append(f"Last updated: {notice.last_updated.isoformat()}")
    lines.append(f"Effective: {notice.effective.isoformat()}")
    return "\n".join(lines) + "\n"
