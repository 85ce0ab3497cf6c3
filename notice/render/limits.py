"""What one rendering may ask of WeasyPrint and mkdocs: blocks, table cells, images, pixels, size.

The figures are measured (`notice build` of the MetTel notice plus the case, /usr/bin/time -v, a
2-core machine under load; SECURITY.md "Budgets"): 10,000 table cells 11 s / 283 MB, 40,000 cells
39 s / 932 MB; 10,000 one-line paragraphs 28-43 s / 354 MB, 20,000 74 s / 558 MB; an image costs
about 8 bytes per decoded pixel while the PDF is written (4096 x 4096: 134 MB; 13,000 x 13,000:
1.41 GB); 1 MB of rendered text 12 s / 243 MB, 2 MB 24 s / 359 MB.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from urllib.parse import unquote_to_bytes

from markdown_it.token import Token

from notice.errors import Problem
from notice.layout import NOTICE_FILE
from notice.render.imageheader import ImageHeaderError, image_size

MAX_SECTION_CELLS = 5_000  # table cells in one section
# Blocks in the whole notice: each paragraph, list item, heading, quote, code block and table
# cell is a box WeasyPrint lays out (10,000 one-line paragraphs: 28-43 s, 324-354 MB under load).
MAX_NOTICE_BLOCKS = 10_000
# Inline elements in the whole notice (emphasis, code spans, links, images, line breaks): each is
# a box too (20,000 emphasised words in one paragraph: 15 s, 442 MB; 80,000: 70 s, 1.49 GB).
MAX_NOTICE_INLINE = 10_000
MAX_IMAGES = 100  # images in the whole notice
MAX_IMAGE_PIXELS = 4096 * 4096  # decoded pixels of one image
MAX_NOTICE_PIXELS = 4 * MAX_IMAGE_PIXELS  # decoded pixels of every image together
MAX_HTML_CHARS = 1_000_000  # the rendered notice: what every page, PDF and redline is made of
# A table cell costs at most two '|' (escaped ones aside): more than this many is a table over the
# limit, refused before markdown-it builds its tokens (a 200,000-cell table's take 350 MB).
MAX_SECTION_PIPES = 3 * MAX_SECTION_CELLS
_CELLS = frozenset(["td_open", "th_open"])
_BLOCKS = _CELLS | {"paragraph_open", "list_item_open", "heading_open", "blockquote_open"}
_BLOCKS |= {"code_block", "fence", "hr"}
_INLINE = frozenset(["em_open", "strong_open", "s_open", "code_inline", "link_open", "image"])
_INLINE |= {"hardbreak"}


class Tally:
    """What the sections of one rendering have asked for so far; each limit reported once."""

    def __init__(self) -> None:
        self.blocks = 0
        self.inline = 0
        self.images = 0
        self.pixels = 0
        self.reported: set[str] = set()

    def section(self, path: str, tokens: Sequence[Token]) -> list[Problem]:
        """Count a section's table cells and images (tokens of its body, whose lines are the
        file's); the problems of what goes over a limit."""
        problems = self._blocks(path, tokens) + self._inline(path, tokens)
        for token, line in _images(tokens):
            problems += self._image(path, line, str(token.attrGet("src") or ""))
        return problems

    def _once(self, key: str, problem: Problem) -> list[Problem]:
        if key in self.reported:
            return []
        self.reported.add(key)
        return [problem]

    def _blocks(self, path: str, tokens: Sequence[Token]) -> list[Problem]:
        cells, line = 0, None
        self.blocks += 1  # the section itself and its generated heading
        for token in tokens:
            if token.map and token.type in ("table_open", "paragraph_open", "list_item_open"):
                line = token.map[0] + 1  # the block being counted, for the message
            if token.type not in _BLOCKS:
                continue
            self.blocks += 1
            cells += token.type in _CELLS
            if cells == MAX_SECTION_CELLS + 1:
                message = (
                    f"more than {MAX_SECTION_CELLS:,} table cells in one section: split the "
                    "table over several sections, or publish it as a separate file"
                )
                return [Problem(path, line, message)]
            if self.blocks > MAX_NOTICE_BLOCKS:
                message = (
                    f"more than {MAX_NOTICE_BLOCKS:,} blocks (paragraphs, list items, headings, "
                    "table cells) in the notice: shorten it or move some to another document"
                )
                return self._once("blocks", Problem(path, line, message))
        return []

    def _inline(self, path: str, tokens: Sequence[Token]) -> list[Problem]:
        for token in tokens:
            self.inline += sum(1 for child in _walk(token.children or []) if child.type in _INLINE)
            if self.inline > MAX_NOTICE_INLINE:
                message = (
                    f"more than {MAX_NOTICE_INLINE:,} emphases, code spans, links, images and "
                    "line breaks in the notice: use fewer"
                )
                line = token.map[0] + 1 if token.map else None
                return self._once("inline", Problem(path, line, message))
        return []

    def _image(self, path: str, line: int | None, src: str) -> list[Problem]:
        self.images += 1
        if self.images > MAX_IMAGES:
            message = f"more than {MAX_IMAGES} images in the notice: remove some"
            return self._once("images", Problem(path, line, message))
        data = data_uri_bytes(src)
        if data is None:
            return []  # not embedded: the site and the PDF never fetch it (check warns)
        try:
            size = image_size(data)
        except ImageHeaderError as exc:
            return [Problem(path, line, f"image: {exc}: embed a PNG, GIF, JPEG or WebP")]
        if size.pixels > MAX_IMAGE_PIXELS:
            message = (
                f"image of {size.width:,} x {size.height:,} pixels ({size.format}); the limit is "
                f"{MAX_IMAGE_PIXELS:,} pixels (4096 x 4096): scale it down"
            )
            return [Problem(path, line, message)]
        self.pixels += size.pixels
        if self.pixels > MAX_NOTICE_PIXELS:
            message = (
                f"the notice's images hold {self.pixels:,} pixels with this one; the limit is "
                f"{MAX_NOTICE_PIXELS:,}: scale them down or use fewer"
            )
            return self._once("pixels", Problem(path, line, message))
        return []


def pipe_problem(path: str, markdown: str) -> Problem | None:
    """Far too many '|' in one section for a table check would accept: refused unparsed."""
    count = markdown.count("|")
    if count <= MAX_SECTION_PIPES:
        return None
    line = markdown[: markdown.index("|")].count("\n") + 1
    message = (
        f"{count:,} '|' in one section, a table of more than {MAX_SECTION_CELLS:,} cells: split "
        "the table over several sections, or publish it as a separate file"
    )
    return Problem(path, line, message)


def size_problems(html: str) -> list[Problem]:
    """The whole rendering's size: every page, PDF and redline is made of it."""
    if len(html) <= MAX_HTML_CHARS:
        return []
    message = (
        f"the notice renders to {len(html):,} characters of HTML; the limit is "
        f"{MAX_HTML_CHARS:,} (about 500 pages): shorten it or split it into documents"
    )
    return [Problem(NOTICE_FILE, None, message)]


def data_uri_bytes(src: str) -> bytes | None:
    """The bytes a data: URI holds (None for any other URL or a malformed data: URI)."""
    if src[:5].lower() != "data:":
        return None
    # RFC 2397 read as urllib.request's DataHandler reads it; importing urllib.request for it
    # (http.client, ssl, email) cost `notice check` a tenth of its import floor.
    try:
        mediatype, data = src[5:].split(",", 1)
        raw = unquote_to_bytes(data)
        return base64.decodebytes(raw) if mediatype.endswith(";base64") else raw
    except ValueError:  # no comma, or not base64 (binascii.Error is a ValueError)
        return None


def _images(tokens: Sequence[Token]) -> Iterator[tuple[Token, int | None]]:
    for token in tokens:
        line = token.map[0] + 1 if token.map else None
        for child in _walk(token.children or []):
            if child.type == "image":
                yield child, line


def _walk(tokens: Sequence[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from _walk(token.children or [])
