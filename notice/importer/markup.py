"""Write section bodies as Markdown that renders back to the imported text, values as variables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from .document import Block, Break, Link, Piece, Styled, Text
from .values import Catalog, Found, find_values, tel_value

_INLINE_SPECIAL = re.compile(r"[\\`*_\[\]<~|]|&(?=#?\w+;)")
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_JINJA_OPEN = re.compile(r"\{[{%#]|\{$")
_LINKABLE = ("http://", "https://", "mailto:", "tel:")
_PAGE_LINK = re.compile(
    r"(?<!!)\[(?P<text>(?:\\.|[^\]\n\\])*)\]\(<?#(?P<target>[^)\s>]*)>?\)"
)  # link text may hold escaped brackets: '[\[1\]](#_ftn1)'


def escape_jinja(text: str) -> str:
    """Literal text that Jinja2 prints as it is: '{{' becomes {{ '{{' }}."""
    return _JINJA_OPEN.sub(lambda m: "{{ '" + m.group() + "' }}", text)


def escape_markdown(text: str, line_start: bool) -> str:
    """Plain text that markdown-it prints as it is (no emphasis, links, lists or headings)."""
    escaped = _INLINE_SPECIAL.sub(lambda m: "\\" + m.group(), text)
    if not line_start:
        return escaped
    ordered = _ORDERED_START.match(escaped)
    if ordered:
        return f"{ordered.group(1)}\\{escaped[ordered.end(1) :]}"
    if escaped[:1] in ("#", ">", "+", "-", "="):
        return "\\" + escaped
    return escaped


def reference(name: str) -> str:
    """How a section refers to a variable."""
    return "{{ " + name + " }}"


@dataclass
class MarkdownWriter:
    """Turns blocks into Markdown; notes what could not be kept (with the input's line)."""

    catalog: Catalog
    notes: list[tuple[int, str]] = field(default_factory=list)
    anchors: dict[str, str] = field(default_factory=dict)  # link target -> section id it reaches
    stated_dates: dict[int, str] = field(default_factory=dict)  # block line -> the notice's date
    _line_start: bool = True
    _line: int = 0

    # -- text and values -----------------------------------------------------------------

    def substitute(self, text: str, found: list[Found] | None = None) -> str:
        """Markdown (or code, or a link target) with every known value as its variable."""
        parts, position = [], 0
        for item in self._values(text) if found is None else found:
            name = self.catalog.name_of(item)
            if name is None:
                continue
            parts.append(escape_jinja(text[position : item.start]))
            parts.append(reference(name))
            position = item.end
        parts.append(escape_jinja(text[position:]))
        return "".join(parts)

    def text(self, text: str, in_link: bool) -> str:
        """Plain text as Markdown: escaped, values as variables (e-mails and URLs as links)."""
        out, position = [], 0
        for item in self._values(text):
            name = self.catalog.name_of(item)
            if name is None and (item.kind != "url" or in_link):
                continue
            out.append(self._literal(text[position : item.start]))
            out.append(self._value(item, name, in_link) if name else _link_as_written(item.value))
            self._line_start = False
            position = item.end
        out.append(self._literal(text[position:]))
        return "".join(out)

    def _values(self, text: str) -> list[Found]:
        """The values of text; in the block stating the notice's date, that date too
        (a bare '2016 Oct 23' or a date inside a link has no label beside it)."""
        found = find_values(text)
        stated = self.stated_dates.get(self._line, "")
        start = text.find(stated) if stated else -1
        if start >= 0 and not any(f.start <= start < f.end for f in found):
            found.append(Found(start, start + len(stated), "updated", stated))
            found.sort(key=lambda f: f.start)
        return found

    def _literal(self, text: str) -> str:
        if not text:
            return ""
        escaped = escape_jinja(escape_markdown(text, self._line_start))
        self._line_start = False
        return escaped

    def _value(self, item: Found, name: str, in_link: bool) -> str:
        ref = reference(name)
        if (
            in_link
            or item.kind not in ("email", "url")
            or ("@" not in item.value and item.kind == "email")
        ):
            return ref  # an address written 'name[at]example.org' was never a link
        if item.kind == "url" and not item.value.lower().startswith(("http://", "https://")):
            return f"[{ref}](https://{ref})"  # www.example.com
        return f"<{ref}>"

    # -- inline pieces ---------------------------------------------------------------------

    def inline(self, pieces: tuple[Piece, ...], in_link: bool = False, in_table: bool = False):
        out = []
        for piece in pieces:
            if isinstance(piece, Text):
                out.append(self.text(piece.text, in_link))
            elif isinstance(piece, Break):
                out.append(" " if in_table else "\\\n")
                self._line_start = not in_table
            elif isinstance(piece, Styled) and piece.kind == "code":
                out.append(self._code(piece))
            elif isinstance(piece, Styled):
                out.append(self._emphasis(piece, in_link, in_table))
            elif isinstance(piece, Link):
                out.append(self._link(piece, in_link, in_table))
        return "".join(out)

    def _emphasis(self, piece: Styled, in_link: bool, in_table: bool) -> str:
        inner = self.inline(piece.children, in_link, in_table)
        core = inner.strip(" ")
        if not core:
            return inner
        lead, trail = inner[: len(inner) - len(inner.lstrip(" "))], inner[len(inner.rstrip(" ")) :]
        delimiter = "**" if piece.kind == "strong" else "*"
        return f"{lead}{delimiter}{core}{delimiter}{trail}"

    def _code(self, piece: Styled) -> str:
        content = "".join(p.text for p in piece.children if isinstance(p, Text))
        ticks = "`" * (max((len(r) for r in re.findall(r"`+", content)), default=0) + 1)
        pad = " " if content.startswith("`") or content.endswith("`") else ""
        self._line_start = False
        return f"{ticks}{pad}{self.substitute(content)}{pad}{ticks}"

    def _link(self, piece: Link, in_link: bool, in_table: bool) -> str:
        href = piece.href.strip()
        if href.startswith("#") and not in_link:
            return self._page_link(piece, href, in_table)
        if in_link or not href.lower().startswith(_LINKABLE):
            if href and not in_link:
                self.notes.append((self._line, f"link to {href!r} kept as text (not a web link)"))
            return self.inline(piece.children, in_link, in_table)
        self._line_start = False  # the text starts after '['
        inner = self.inline(piece.children, True, in_table)
        tel = tel_value(href)
        destination = self.substitute(href, found=[tel] if tel else None)
        if not inner.strip():
            return inner
        plain = destination.removeprefix("mailto:")
        if inner == plain and plain.startswith("{{ ") and plain.endswith(" }}"):
            return f"<{plain}>"  # the link shows its own address
        if re.search(r"[\s<>]", href) or href.count("(") != href.count(")"):
            destination = f"<{destination}>"  # what the address itself needs, not the template
        return f"[{inner}]({destination})"

    def _page_link(self, piece: Link, href: str, in_table: bool) -> str:
        """An in-page link stays a link when its anchor is a section of the notice."""
        section = self.anchors.get(unquote(href[1:]))
        if section is None:
            self.notes.append((self._line, f"link to {href!r} kept as text (no such anchor)"))
            return self.inline(piece.children, False, in_table)
        self._line_start = False
        return f"[{self.inline(piece.children, True, in_table)}](#{section})"

    def page_links(self, raw: str) -> str:
        """Markdown '[text](#anchor)' whose anchor the notice lacks: the text alone, noted."""

        def keep(match: re.Match) -> str:
            section = self.anchors.get(unquote(match.group("target")))
            if section is not None:
                return f"[{match.group('text')}](#{section})"
            self.notes.append((self._line, f"link to '#{match.group('target')}' kept as text"))
            return match.group("text")

        return _PAGE_LINK.sub(keep, raw)

    # -- blocks ---------------------------------------------------------------------------

    def block(self, block: Block, indent: str = "") -> str:
        """The Markdown of one block (list items get their marker and indent from the caller)."""
        self._line_start, self._line = True, block.line
        if block.kind == "raw":
            return self.substitute(self.page_links(block.raw))
        if block.kind == "code":
            ticks = "`" * max(3, max((len(r) for r in re.findall(r"`+", block.raw)), default=0) + 1)
            return f"{ticks}\n{self.substitute(block.raw)}\n{ticks}"
        if block.kind == "table":
            return self._table(block)
        text = self.inline(block.pieces)
        return text.replace("\n", "\n" + indent) if indent else text

    def _table(self, block: Block) -> str:
        lines = []
        for index, row in enumerate(block.rows):
            cells = []
            for cell in row:
                self._line_start = False
                cells.append(self.inline(cell, in_table=True).strip() or " ")
            lines.append("| " + " | ".join(cells) + " |")
            if index == 0:
                lines.append("|" + "|".join(" --- " for _ in row) + "|")
        return "\n".join(lines)


def _link_as_written(url: str) -> str:
    """A link used once stays in the text, still a link."""
    if url.lower().startswith(("http://", "https://")):
        return f"<{escape_jinja(url)}>"
    return f"[{escape_jinja(url)}](https://{escape_jinja(url)})"  # www.example.com


def body_markdown(blocks: list[Block], writer: MarkdownWriter, definitions: str = "") -> str:
    """A section body: blocks separated by blank lines, list items kept together."""
    chunks: list[str] = []
    widths: list[int] = []  # content offset of the open list levels
    previous = ""
    for block in blocks:
        if block.kind == "item":
            widths = widths[: block.depth]
            indent = " " * sum(widths)
            text = writer.block(block, indent + " " * len(block.marker))
            widths.append(len(block.marker))
            separator = "\n" if previous in ("item", "item-paragraph") else "\n\n"
            chunks.append(separator + indent + block.marker + text)
        elif block.kind == "item-paragraph":
            widths = widths[: block.depth + 1]
            content = " " * (sum(widths) or 2)
            chunks.append("\n\n" + content + writer.block(block, content))
        else:
            widths = []
            chunks.append("\n\n" + writer.block(block))
        previous = block.kind
    body = "".join(chunks).strip("\n")
    cited = [line for line in definitions.splitlines() if _label(line).lower() in body.lower()]
    if cited:
        body += "\n\n" + writer.substitute("\n".join(cited))
    return body


def _label(definition: str) -> str:
    """'[label]' of a reference-link definition line '[LABEL]: <url>'."""
    return definition[: definition.index("]:") + 1]
