"""The canonical text: the one definition of "the same text" (check, gate, history, audit, archive).

Recipe rendering/3, for one rendering (a version in one language): the notice's title, language
and ISO dates, then the rendered notice body HTML (headings with their numbers, the date line as
configured, lists, tables, emphasis, strike, links with destinations and titles, image alt text)
parsed by an HTML5 parser and written back with every run of whitespace outside <pre> as one
space and attributes sorted; only `class` (the toolkit's styling hooks, never the content's) is
left out. So a reflow, a renamed file or a reordering of YAML keys is no change, and anything a
reader sees that changes is a change by construction. Older ledger entries keep their frozen
recipes (notice.render.legacy).
"""

from __future__ import annotations

from datetime import date
from html import escape
from xml.etree.ElementTree import Element

import tinyhtml5
from markdown_it.token import Token

from notice.model import Link, RenderedNotice
from notice.render.legacy import (
    canonical_blocks,
    inline_words,
    words,
)

RECIPE = "rendering/3"  # its name is part of its text; texthash.py hashes it
_VERBATIM = frozenset({"pre", "textarea"})  # whitespace a reader sees as it is
_UNSEEN = frozenset({"class"})

__all__ = ["RECIPE", "canonical_blocks", "canonical_html", "links", "words"]


def canonical_html(fragment: str) -> str:
    """An HTML fragment as an HTML5 parser reads it, written back in one normal form."""
    body = tinyhtml5.parse(f"<body>{fragment}</body>", namespace_html_elements=False).find("body")
    out: list[str] = []
    _children(body, out, verbatim=False)
    return "".join(out).strip()


def _children(element: Element, out: list[str], verbatim: bool) -> None:
    out.append(_text(element.text, verbatim))
    for child in element:
        if isinstance(child.tag, str):  # comments and processing instructions are not shown
            _element(child, out, verbatim or child.tag in _VERBATIM)
        out.append(_text(child.tail, verbatim))


def _element(element: Element, out: list[str], verbatim: bool) -> None:
    attributes = sorted((k, v) for k, v in element.attrib.items() if k not in _UNSEEN)
    shown = "".join(f' {k}="{escape(words(v))}"' for k, v in attributes)
    out.append(f"<{element.tag}{shown}>")
    _children(element, out, verbatim)
    out.append(f"</{element.tag}>")


def _text(text: str | None, verbatim: bool) -> str:
    if not text:
        return ""
    if verbatim:
        return escape(text, quote=False)
    collapsed = " ".join(text.split())
    edges = (" " if text[:1].isspace() else "", " " if text[-1:].isspace() else "")
    return escape(f"{edges[0]}{collapsed}{edges[1]}" if collapsed else " ", quote=False)


def canonical_text(rendered: RenderedNotice) -> str:
    """The whole rendering's canonical text under rendering/3 (what text_sha256 hashes)."""
    return canonical_text_of(*canonical_inputs(rendered))


def canonical_inputs(rendered: RenderedNotice) -> tuple[str, str, date, date, str]:
    """All the canonical text is made of: language, title, dates and body HTML."""
    notice = rendered.notice
    return notice.language, notice.title, notice.last_updated, notice.effective, rendered.html


def canonical_text_of(
    language: str, title: str, last_updated: date, effective: date, html: str
) -> str:
    """canonical_text from canonical_inputs."""
    return (
        f"{RECIPE}\n"
        f"lang: {language}\n"
        f"title: {words(title)}\n"
        f"last_updated: {last_updated.isoformat()}\n"
        f"effective: {effective.isoformat()}\n"
        f"{canonical_html(html)}\n"
    )


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
                text = inline_words(children[index + 1 : end])
                found.append(Link(text, str(child.attrGet("href") or "")))
    return tuple(found)
