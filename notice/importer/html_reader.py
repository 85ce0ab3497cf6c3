"""Read an HTML notice from the page an HTML5 parser builds: headings, paragraphs, lists, tables."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from .document import Block, Break, Document, Heading, Link, Piece, Styled, Text
from .html5_tree import Page, parse_page
from .values import LABELLED_DATE

_SKIPPED = {"script", "style", "template", "noscript", "svg", "iframe", "object", "head", "select"}
_CHROME = {"nav", "form", "button"}  # a page's menus and forms: never the notice
_FRAMES = {"header", "footer"}  # the page's, unless they hold the notice's title or date
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "col", "base"}
_BLOCKS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote",
    "address", "figure", "figcaption", "dl", "dt", "dd", "form", "fieldset", "details",
    "summary", "body", "html", "center",
}  # fmt: skip
_STYLES = {"strong": "strong", "b": "strong", "em": "em", "i": "em", "code": "code", "kbd": "code"}
_HEADINGS = {f"h{rank}" for rank in range(1, 7)}
_SPACE = re.compile(r"[ \t\n\r\f]+")


@dataclass
class _Inline:
    """An open inline element (or the block's root) and what it holds so far."""

    kind: str  # "root" | "strong" | "em" | "code" | "a"
    href: str = ""
    children: list[Piece] = field(default_factory=list)


@dataclass
class _List:
    ordered: bool
    next_number: int
    item_blocks: int = 0  # blocks already emitted for the current <li>


class _NoticeHtmlParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Heading | Block] = []
        self.notes: list[tuple[int, str]] = []
        self.title = ""
        self._skip: list[str] = []
        self._in_title = False
        self._inline: list[_Inline] = [_Inline("root")]
        self._block_line = 0
        self._heading: int = 0  # rank of the open <hN>, 0 when none
        self._ids: list[str] = []  # ids (id=, <a name>) met since the last block: its anchors
        self._lists: list[_List] = []
        self._table: list[list[tuple[Piece, ...]]] | None = None
        self._table_line = 0
        self._in_cell = False
        self._pre: list[str] | None = None
        self._frames: list[tuple[str, int, int]] = []  # open header/footer: tag, item index, line

    def _close_frame(self) -> None:
        """A page header or footer is left out unless it holds a heading or a date statement."""
        self._flush()
        tag, start, line = self._frames.pop()
        inside = self.items[start:]
        if any(isinstance(i, Heading) or LABELLED_DATE.search(i.reference) for i in inside):
            return
        if inside:
            del self.items[start:]
            self.notes.append((line, f"<{tag}> left out (page chrome, not the notice)"))

    # -- the parser's events ---------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        anchor = found.get("id") or (found.get("name") if tag == "a" else None)
        if anchor and not self._skip:
            self._ids.append(anchor)
        if self._skip:
            if tag not in _VOID:
                self._skip.append(tag)
            return
        if tag == "title":
            self._in_title = True
        elif tag in _CHROME:
            self.notes.append((self.getpos()[0], f"<{tag}> left out (page chrome, not the notice)"))
            self._skip.append(tag)
        elif tag in _FRAMES:
            self._flush()
            self._frames.append((tag, len(self.items), self.getpos()[0]))
        elif tag in _SKIPPED:
            self._skip.append(tag)
        elif tag in _HEADINGS:
            self._flush()
            self._heading = int(tag[1])
        elif tag in ("ul", "ol"):
            self._flush()
            start = dict(attrs).get("start") or "1"
            self._lists.append(_List(tag == "ol", int(start) if start.isdigit() else 1))
        elif tag == "li":
            self._flush()
            if self._lists:
                self._lists[-1].item_blocks = 0
        elif tag == "table":
            self._flush()
            self._table, self._table_line = [], self.getpos()[0]
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._flush()
            self._in_cell = True
        elif tag == "pre":
            self._flush()
            self._pre, self._block_line = [], self.getpos()[0]
        elif tag in _BLOCKS or tag == "hr":
            self._flush()
        elif tag == "br":
            self._inline[-1].children.append(Break())
        elif tag == "img":
            self.notes.append((self.getpos()[0], "image left out (a notice's text has none)"))
        elif tag in _STYLES or tag == "a":
            self._open_inline(tag, dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if self._skip[-1] == tag:
                self._skip.pop()
            return
        if tag == "title":
            self._in_title = False
        elif tag in _FRAMES and self._frames and self._frames[-1][0] == tag:
            self._close_frame()
        elif tag in _HEADINGS:
            self._flush()
            self._heading = 0
        elif tag in ("ul", "ol"):
            self._flush()
            if self._lists:
                self._lists.pop()
        elif tag == "li":
            self._flush()
            if self._lists:
                self._lists[-1].next_number += 1
        elif tag in ("td", "th") and self._table is not None:
            self._end_cell()
        elif tag == "table":
            self._flush_table()
        elif tag == "pre" and self._pre is not None:
            code = "".join(self._pre).strip("\n")
            if code.strip():
                self.items.append(Block("code", self._block_line, code, raw=code))
            self._pre = None
        elif tag in _BLOCKS:
            self._flush()
        elif tag in _STYLES or tag == "a":
            self._close_inline(tag)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif self._skip:
            return
        elif self._pre is not None:
            self._pre.append(data)
        else:
            if data.strip() and not self._has_content():
                leading = data[: len(data) - len(data.lstrip())]
                self._block_line = self.getpos()[0] + leading.count("\n")
            self._inline[-1].children.append(Text(data))

    # -- inline elements -----------------------------------------------------------------

    def _open_inline(self, tag: str, href: str) -> None:
        self._inline.append(_Inline("a" if tag == "a" else _STYLES[tag], href))

    def _close_inline(self, tag: str) -> None:
        kind = "a" if tag == "a" else _STYLES[tag]
        if not any(open_.kind == kind for open_ in self._inline[1:]):
            return
        while True:
            element = self._inline.pop()
            self._inline[-1].children.append(_piece(element))
            if element.kind == kind:
                return

    def _has_content(self) -> bool:
        return any(_visible(element.children) for element in self._inline)

    def _take_pieces(self) -> tuple[Piece, ...]:
        """The block's inline content so far; open elements stay open for the next block."""
        for depth in range(len(self._inline) - 1, 0, -1):
            element = self._inline[depth]
            self._inline[depth - 1].children.append(_piece(element))
            element.children = []
        pieces = tuple(self._inline[0].children)
        self._inline[0].children = []
        return normalize(pieces)

    # -- blocks --------------------------------------------------------------------------

    def _flush(self) -> None:
        if self._in_cell:
            return  # a cell's paragraphs make one cell
        pieces = self._take_pieces()
        text = visible_text(pieces)
        if not text:
            return
        line = self._block_line or self.getpos()[0]
        if self._heading:
            heading = Heading(text, line, f"h{self._heading}", self._heading)
            heading.anchors = tuple(self._ids)
            self.items.append(heading)
            self._ids = []
        elif self._lists:
            self.items.append(self._list_block(pieces, text, line))
        else:
            self.items.append(Block("paragraph", line, text, pieces))

    def _end_cell(self) -> None:
        self._in_cell = False
        if self._table is not None:
            if not self._table:
                self._table.append([])
            self._table[-1].append(self._take_pieces())

    def _list_block(self, pieces: tuple[Piece, ...], text: str, line: int) -> Block:
        current = self._lists[-1]
        current.item_blocks += 1
        depth = len(self._lists) - 1
        if current.item_blocks > 1:
            return Block("item-paragraph", line, text, pieces, depth=depth)
        marker = f"{current.next_number}. " if current.ordered else "- "
        return Block("item", line, marker + text, pieces, depth=depth, marker=marker)

    def _flush_table(self) -> None:
        rows = [row for row in self._table or [] if row]
        self._table, self._in_cell = None, False
        if not rows:
            return
        width = max(len(row) for row in rows)
        cells = tuple(tuple(row) + ((),) * (width - len(row)) for row in rows)
        reference = "\n".join(" | ".join(visible_text(cell) for cell in row) for row in cells)
        self.items.append(Block("table", self._table_line, reference, rows=cells))


def _piece(element: _Inline) -> Piece:
    children = tuple(element.children)
    if element.kind == "a":
        return Link(element.href, children)
    return Styled(element.kind, children)


def _visible(pieces) -> bool:
    return any(
        (isinstance(p, Text) and p.text.strip())
        or (isinstance(p, (Styled, Link)) and _visible(p.children))
        for p in pieces
    )


def visible_text(pieces: tuple[Piece, ...]) -> str:
    """The text a reader sees, whitespace as normalized."""
    parts = []
    for piece in pieces:
        if isinstance(piece, Text):
            parts.append(piece.text)
        elif isinstance(piece, Break):
            parts.append("\n")
        else:
            parts.append(visible_text(piece.children))
    return "".join(parts)


def normalize(pieces: tuple[Piece, ...]) -> tuple[Piece, ...]:
    """Collapse HTML whitespace to single spaces and trim the block's ends (as a browser does)."""
    collapsed = _collapse(pieces, [False])
    return _trim(collapsed)


def _collapse(pieces: tuple[Piece, ...], after_space: list[bool]) -> tuple[Piece, ...]:
    result: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, Text):
            text = _SPACE.sub(" ", piece.text)
            if after_space[0]:
                text = text.lstrip(" ")
            if text:
                after_space[0] = text.endswith(" ")
                result.append(Text(text))
        elif isinstance(piece, Break):
            _strip_trailing(result)
            after_space[0] = True
            result.append(piece)
        else:
            children = _collapse(piece.children, after_space)
            if _visible(children):
                result.append(replace(piece, children=children))
    return tuple(result)


def _strip_trailing(result: list[Piece]) -> None:
    if result and isinstance(result[-1], Text):
        result[-1] = Text(result[-1].text.rstrip(" "))


def _trim(pieces: tuple[Piece, ...]) -> tuple[Piece, ...]:
    items = list(pieces)
    while items and isinstance(items[0], Break):
        items.pop(0)
    while items and isinstance(items[-1], Break):
        items.pop()
    if items:
        items[0] = _trim_edge(items[0], start=True)
        items[-1] = _trim_edge(items[-1], start=False)
    return tuple(item for item in items if not (isinstance(item, Text) and not item.text))


def _trim_edge(piece: Piece, start: bool) -> Piece:
    if isinstance(piece, Text):
        return Text(piece.text.lstrip(" ") if start else piece.text.rstrip(" "))
    if isinstance(piece, (Styled, Link)) and piece.children:
        children = list(piece.children)
        index = 0 if start else -1
        children[index] = _trim_edge(children[index], start)
        return replace(piece, children=tuple(children))
    return piece


def read_html(text: str, path: str) -> Document:
    """Headings h1-h6 split the notice; paragraphs, lists and tables become blocks. The page is
    the tree an HTML5 parser builds (unclosed <p>, misnested tags as a browser mends them)."""
    page = parse_page(text, path)
    parser = _NoticeHtmlParser()
    _feed(parser, page.body, page)
    parser._flush()
    reference = "\n\n".join(
        item.text if isinstance(item, Heading) else item.reference for item in parser.items
    )
    document = Document(path, "html", parser.items, reference, page.title)
    document.notes.extend(page.removed + parser.notes)
    document.notes.sort(key=lambda note: note[0])
    return document


def _feed(parser: _NoticeHtmlParser, element: ET.Element, page: Page) -> None:
    """The tree's elements and texts to the reader, in document order, each at its line."""
    parser.lineno = page.lines.get(id(element), parser.lineno)
    parser.handle_starttag(str(element.tag), [(k, v) for k, v in element.attrib.items()])
    _data(parser, element.text)
    for child in element:
        if isinstance(child.tag, str):
            _feed(parser, child, page)
        _data(parser, child.tail)
    if element.tag not in _VOID:
        parser.handle_endtag(str(element.tag))


def _data(parser: _NoticeHtmlParser, text: str | None) -> None:
    if text:
        parser.handle_data(text)
        parser.lineno += text.count("\n")
