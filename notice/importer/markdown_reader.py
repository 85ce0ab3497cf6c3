"""Read a Markdown notice with the toolkit's own parser: top-level headings and raw blocks."""

from __future__ import annotations

import re

from markdown_it.token import Token

from notice.render.plaintext import inline_text, tokens_to_text
from notice.render.rendering import markdown_parser, raw_html_problems

from .document import Block, Document, Heading

_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:.|\n)*?(?<!`)\1(?!`)")  # runs of equal length
_HTML_START = re.compile(r"<(?=[A-Za-z][\w-]*(?:\s[^<>]*)?/?>|/[A-Za-z][\w-]*\s*>|!--|\?|![A-Z])")


def read_markdown(text: str, path: str) -> Document:
    """Headings at the top level split the notice; every other block is kept as written."""
    md = markdown_parser()
    env: dict = {}
    tokens = md.parse(text, env)
    lines = text.split("\n")
    items: list[Heading | Block] = []
    notes: list[tuple[int, str]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = _block_end(tokens, index)
        title = inline_text(tokens[index + 1].children) if token.type == "heading_open" else ""
        if title.strip():
            rank = int(token.tag[1])
            items.append(Heading(" ".join(title.split()), _line(token), token.tag, rank))
        elif token.map:
            start, stop = token.map
            raw = "\n".join(lines[start:stop]).strip("\n")
            if raw_html_problems(path, raw):
                raw = escape_html(raw)
                notes.append((start + 1, "raw HTML kept as the text it showed (escaped '<')"))
            reference = tokens_to_text(tokens[index : end + 1])
            items.append(Block("raw", start + 1, reference, raw=raw))
        index = end + 1
    return Document(
        path,
        "markdown",
        items,
        tokens_to_text(tokens),
        link_definitions=_definitions(env.get("references", {})),
        notes=notes,
    )


def escape_html(markdown: str) -> str:
    """Tags written as text: the toolkit's parser showed them literally, and must go on doing so."""
    parts, position = [], 0
    for code in _CODE_SPAN.finditer(markdown):
        parts.append(_HTML_START.sub(r"\\<", markdown[position : code.start()]))
        parts.append(code.group())
        position = code.end()
    parts.append(_HTML_START.sub(r"\\<", markdown[position:]))
    return "".join(parts)


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 1


def _block_end(tokens: list[Token], index: int) -> int:
    """Index of the token that closes the top-level block opened at index."""
    if tokens[index].nesting != 1:
        return index
    depth = 0
    for position in range(index, len(tokens)):
        depth += tokens[position].nesting
        if depth == 0:
            return position
    return len(tokens) - 1


def _definitions(references: dict) -> str:
    """Reference-link definitions ([label]: url), to repeat in each section that uses them."""
    lines = []
    for label, target in references.items():
        title = target.get("title") or ""
        suffix = f' "{title}"' if title and '"' not in title else ""
        lines.append(f"[{label}]: <{target['href']}>{suffix}")
    return "\n".join(lines)
