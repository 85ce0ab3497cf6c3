"""A section's Markdown as Word content, from the toolkit's one markdown-it-py pass: paragraphs
with their emphasis and links, real Word lists (List Bullet / List Number styles) and tables."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph
from markdown_it.token import Token

from notice.render.rendering import markdown_parser

LINKED_SCHEMES = ("http", "https", "mailto")  # what Word may open; others stay plain text
LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)  # Word's own hyperlink blue
MAX_LIST_DEPTH = 3  # the template's List Bullet / List Number styles stop at 3


def _list_style(kinds: list[str]) -> str:
    base = "List Number" if kinds[-1] == "ordered" else "List Bullet"
    depth = min(len(kinds), MAX_LIST_DEPTH)
    return base if depth == 1 else f"{base} {depth}"


def add_markdown(document: Document, markdown: str, heading_level: int = 1) -> None:
    """The blocks of markdown (a section's body after Jinja2) appended to document."""
    tokens = markdown_parser().parse(markdown)
    kinds: list[str] = []  # the open lists, innermost last
    quoted = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type in ("bullet_list_open", "ordered_list_open"):
            kinds.append("ordered" if token.type == "ordered_list_open" else "bullet")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            kinds.pop()
        elif token.type == "blockquote_open":
            quoted += 1
        elif token.type == "blockquote_close":
            quoted -= 1
        elif token.type == "heading_open":
            level = heading_level + int(token.tag[1:])
            paragraph = document.add_paragraph(style=f"Heading {min(level, 9)}")
            add_inline(paragraph, tokens[index + 1].children or [])
        elif token.type == "paragraph_open":
            style = _list_style(kinds) if kinds else "Quote" if quoted else None
            paragraph = document.add_paragraph(style=style)
            add_inline(paragraph, tokens[index + 1].children or [])
        elif token.type in ("fence", "code_block"):
            document.add_paragraph(token.content.rstrip("\n"))
        elif token.type == "table_open":
            index = _add_table(document, tokens, index)
        index += 1


def _add_table(document: Document, tokens: list[Token], start: int) -> int:
    """The table starting at tokens[start] as a Word table (header row bold); the index of its
    closing token."""
    rows: list[list[tuple[list[Token], bool]]] = []
    index = start
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            rows[-1].append((tokens[index + 1].children or [], token.type == "th_open"))
        index += 1
    width = max((len(row) for row in rows), default=0)
    if not width:
        return index
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for cells, row in zip(table.rows, rows, strict=True):
        for cell, (children, header) in zip(cells.cells, row, strict=False):
            add_inline(cell.paragraphs[0], children, bold=header)
    return index


def add_inline(paragraph: Paragraph, children: list[Token], bold: bool = False) -> None:
    """Inline tokens as runs: bold, italic, struck, code; links as Word hyperlinks."""
    marks = {"strong": bold, "em": False, "s": False}
    link: BaseOxmlElement | None = None
    for token in children:
        kind = token.type
        if kind.endswith("_open") and kind[:-5] in marks:
            marks[kind[:-5]] = True
        elif kind.endswith("_close") and kind[:-6] in marks:
            marks[kind[:-6]] = bold if kind == "strong_close" else False
        elif kind == "link_open":
            link = _hyperlink(paragraph, str(token.attrs.get("href", "")))
        elif kind == "link_close":
            link = None
        else:
            for text in _texts(token):
                _run(paragraph, text, marks, link, code=kind == "code_inline")


def _texts(token: Token) -> Iterator[str]:
    if token.type in ("text", "code_inline"):
        yield token.content
    elif token.type == "softbreak":
        yield " "
    elif token.type == "hardbreak":
        yield "\n"
    elif token.type == "image":
        yield token.content or ""


def _run(paragraph, text: str, marks: dict[str, bool], link, code: bool) -> None:
    if not text:
        return
    run = paragraph.add_run(text)
    run.bold = marks["strong"] or None
    run.italic = marks["em"] or None
    run.font.strike = marks["s"] or None
    if code:
        run.font.name = "Courier New"
    if link is not None:
        run.font.underline = True
        run.font.color.rgb = LINK_COLOUR
        link.append(run._r)  # moved out of the paragraph into the hyperlink


def _hyperlink(paragraph: Paragraph, href: str) -> BaseOxmlElement | None:
    """A w:hyperlink in paragraph to an external address, or None to keep the text plain."""
    if urlsplit(href).scheme.lower() not in LINKED_SCHEMES:
        return None
    rel = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    element = OxmlElement("w:hyperlink")
    element.set(qn("r:id"), rel)
    paragraph._p.append(element)
    return element
