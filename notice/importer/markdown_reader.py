"""Read a Markdown notice with the toolkit's own parser: top-level headings and raw blocks."""

from __future__ import annotations

import re

from markdown_it.token import Token

from notice.render.plaintext import inline_text, tokens_to_text
from notice.render.rendering import markdown_parser, raw_html_problems

from .document import Block, Document, Heading

_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:.|\n)*?(?<!`)\1(?!`)")  # runs of equal length
_IAL = re.compile(r"\s*\{:(?P<attrs>[^}\n]*)\}\s*$")
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>", re.DOTALL)
_BR = re.compile(r"<br\b", re.IGNORECASE)
_INLINE_LINK = re.compile(
    r"<a\s[^<>]*?\bhref\s*=\s*(?:\"(?P<q>[^\"]*)\"|'(?P<s>[^']*)'|(?P<u>[^\s>]+))[^<>]*>"
    r"(?P<text>(?:(?!</?a\b)(?!\n[ \t]*\n).){0,2000}?)</a\s*>",  # bounded: one paragraph
    re.IGNORECASE | re.DOTALL,
)
_INLINE_STYLE = re.compile(
    r"<(?P<tag>strong|b|em|i)>(?P<text>(?:(?!\n[ \t]*\n)[^<]){0,2000}?)</(?P=tag)\s*>",
    re.IGNORECASE,
)
_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*"}
_HTML_START = re.compile(r"<(?=[A-Za-z][\w-]*(?:\s[^<>]*)?/?>|/[A-Za-z][\w-]*\s*>|!--|\?|![A-Z])")


def read_markdown(text: str, path: str) -> Document:
    """Headings at the top level split the notice; every other block is kept as written."""
    md = markdown_parser()
    env: dict = {}
    notes: list[tuple[int, str]] = []
    text, anchors = _without_attribute_lists(text, notes)
    text = _as_a_browser_shows(text, path, notes)
    tokens = md.parse(text, env)
    lines = text.split("\n")
    items: list[Heading | Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = _block_end(tokens, index)
        title = inline_text(tokens[index + 1].children) if token.type == "heading_open" else ""
        if title.strip():
            rank = int(token.tag[1])
            heading = Heading(" ".join(title.split()), _line(token), token.tag, rank)
            heading.anchors = anchors.get(heading.line, ())
            items.append(heading)
        elif token.map:
            start, stop = token.map
            raw = "\n".join(lines[start:stop]).strip("\n")
            if raw_html_problems(path, raw):  # HTML a browser would not show either way: text
                raw = escape_html(raw)
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


def _without_attribute_lists(text: str, notes: list) -> tuple[str, dict[int, tuple[str, ...]]]:
    """kramdown's '{: #id }' lists are never shown: removed; their ids kept for the heading."""
    lines = text.split("\n")
    anchors: dict[int, tuple[str, ...]] = {}
    for index, line in enumerate(lines):
        match = _IAL.search(line)
        if not match:
            continue
        ids = tuple(re.findall(r"#([\w-]+)", match.group("attrs")))
        rest = line[: match.start()].rstrip()
        lines[index] = rest
        if ids:
            heading = index + 1 if rest.lstrip().startswith("#") else _heading_above(lines, index)
            if heading:
                anchors[heading] = anchors.get(heading, ()) + ids
        notes.append((index + 1, f"kramdown attributes {match.group(0).strip()!r} left out"))
    return "\n".join(lines), anchors


def _heading_above(lines: list[str], index: int) -> int:
    """Line (1-based) of the ATX heading right above index (an IAL under its heading), else 0."""
    above = index - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    return above + 1 if above >= 0 and lines[above].lstrip().startswith("#") else 0


def _as_a_browser_shows(text: str, path: str, notes: list) -> str:
    """Raw HTML as a browser shows it: comments and tags gone, their text kept; <br> a space."""
    parts, position = [], 0
    for code in _CODE_SPAN.finditer(text):
        parts.append(_strip_tags(text[position : code.start()], notes, text, position))
        parts.append(code.group())
        position = code.end()
    parts.append(_strip_tags(text[position:], notes, text, position))
    return "".join(parts)


def _inline_html_as_markdown(chunk: str) -> str:
    """Raw inline HTML a browser shows as a link or emphasis, written as Markdown's own."""

    def styled(match: re.Match) -> str:
        text = match.group("text")
        inner = text.strip()
        if not inner:
            return text
        mark = _MARKS[match.group("tag").lower()]
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        return f"{lead}{mark}{inner}{mark}{trail}"

    def link(match: re.Match) -> str:
        href = next(v for v in match.group("q", "s", "u") if v is not None).strip()
        text = match.group("text")
        if not href or not text.strip():
            return text
        return f"[{text}](<{href}>)"

    return _INLINE_LINK.sub(link, _INLINE_STYLE.sub(styled, chunk))


def _strip_tags(chunk: str, notes: list, whole: str, offset: int) -> str:
    def gone(match: re.Match) -> str:
        line = whole.count("\n", 0, offset + match.start()) + 1
        if not any(noted == line for noted, _ in notes):  # one note per line is enough
            notes.append(
                (line, f"HTML {match.group(0)[:30]!r} left out (a browser does not show it)")
            )
        newlines = match.group(0).count("\n")
        return "\n" * newlines if newlines else (" " if _BR.match(match.group(0)) else "")

    return _TAG.sub(gone, _inline_html_as_markdown(chunk))


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
