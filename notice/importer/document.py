"""What a reader makes of a notice: headings and blocks of inline pieces, with their lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Text:
    """Plain text as the reader sees it (not yet escaped for Markdown)."""

    text: str


@dataclass(frozen=True)
class Styled:
    """Strong, emphasised or code text."""

    kind: str  # "strong" | "em" | "code"
    children: tuple[Piece, ...]


@dataclass(frozen=True)
class Link:
    """A link with its target as written in the input."""

    href: str
    children: tuple[Piece, ...]


@dataclass(frozen=True)
class Break:
    """A hard line break (<br>)."""


Piece = Text | Styled | Link | Break


@dataclass
class Block:
    """One block of body text: a paragraph, a list item, a table, a code block, or raw Markdown."""

    kind: str  # "paragraph" | "item" | "item-paragraph" | "table" | "code" | "raw"
    line: int
    reference: str  # the text this block must render to (visible text of the input)
    pieces: tuple[Piece, ...] = ()
    raw: str = ""  # Markdown source (kind "raw") or code text (kind "code")
    depth: int = 0  # list nesting, 0 for a top-level list item
    marker: str = "- "  # "- " or "3. " for list items
    rows: tuple[tuple[tuple[Piece, ...], ...], ...] = ()  # table cells, first row is the header


@dataclass
class Heading:
    """A heading (or, for plain text, a line that may be one); its number is still in its text."""

    text: str
    line: int
    style: str  # structural style: "h2" for Markdown/HTML, "caps" or a numbering style for text
    tag_rank: int = 0  # 1..6 for Markdown/HTML headings; 0 for plain text
    candidate: bool = False  # plain text: structure detection may turn it back into a paragraph
    anchors: tuple[str, ...] = ()  # the input's own ids for this heading (id=, {: #id })

    def as_block(self) -> Block:
        """The line as an ordinary paragraph, when it turns out not to be a heading."""
        return Block("paragraph", self.line, self.text, (Text(self.text),))


@dataclass
class Document:
    """An input notice as read: headings and blocks in order, and the text it must render to."""

    path: str
    format: str  # "text" | "markdown" | "html"
    items: list[Heading | Block]
    reference: str  # the whole visible text of the input
    title_hint: str = ""  # e.g. the HTML <title>
    link_definitions: str = ""  # Markdown reference-link definitions, repeated where used
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, message) from the reader
    front_matter: dict[str, Any] = field(default_factory=dict)  # YAML metadata, never text
    source_text: str = ""  # the input as read (front matter and template tags removed)
    left_out: list[tuple[int, str, tuple[str, ...]]] = field(default_factory=list)  # (line, why,
    # words): what the reader passes over on purpose (a PDF's running page footer)

    def has_headings(self) -> bool:
        """True when the reader found at least one heading (or a line that may be one)."""
        return any(isinstance(item, Heading) for item in self.items)


def piece_texts(pieces: tuple[Piece, ...]):
    """Every text and link target inside pieces, in reading order."""
    for piece in pieces:
        if isinstance(piece, Text):
            yield piece.text
        elif isinstance(piece, Link):
            yield piece.href
            yield from piece_texts(piece.children)
        elif isinstance(piece, Styled):
            yield from piece_texts(piece.children)


def block_texts(block: Block):
    """Every text of a block where values (emails, links, dates) may be found."""
    if block.kind in ("raw", "code"):
        yield block.raw
    yield from piece_texts(block.pieces)
    for row in block.rows:
        for cell in row:
            yield from piece_texts(cell)
