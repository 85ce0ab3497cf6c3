"""What a generated page is (PageSpec), what builders read (SiteContext), the site's templates."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from notice.model import RenderedNotice

if TYPE_CHECKING:
    from .buildcache import PageStore
    from .versions import SiteHistory

TEMPLATES = Path(__file__).resolve().parent / "templates"
FEED_URI = "feed.xml"  # the Atom feed of versions, at the root of the site


@dataclass(frozen=True)
class TocEntry:
    """One heading of a generated page, for material's table of contents."""

    id: str
    title: str
    level: int  # 1 for the notice's top-level sections


@dataclass(frozen=True)
class Download:
    """A file the site ships beside its pages (a PDF), with what a reader needs to know."""

    src_uri: str  # path inside the site, e.g. "mettel-privacy-notice-2022-11-11.pdf"
    path: Path  # where the file is on disk now
    pages: int
    size: int


# A body receives `link(src_uri)`, which gives the URL of another site file relative to the page.
Linker = Callable[[str], str]


@dataclass(frozen=True)
class PageSpec:
    """One generated page: its place in the site, title, TOC, and how to render its body."""

    src_uri: str  # e.g. "index.md", "versions/2022-11-11.md"
    title: str
    body: Callable[[Linker], str]
    toc: tuple[TocEntry, ...] = ()
    description: str = ""
    downloads: tuple[Download, ...] = field(default=())
    in_nav: bool = True  # False: reachable by links only (one page per version would swamp it)
    searchable: bool = True  # False: kept out of the search index (old texts, redlines)


@dataclass(frozen=True)
class SiteContext:
    """Everything page builders may read: the current rendering, its PDF, the versions."""

    rendered: RenderedNotice
    pdf: Download
    history: SiteHistory | None = None  # None when git history cannot be read here
    preview: Preview | None = None  # `notice serve --base REF` only: the redline an editor sees
    cache: PageStore | None = None  # the parts of pages kept between builds (changes pages)
    site_url: str = ""  # mkdocs' site_url ('' when unset): absolute identifiers in JSON-LD


@dataclass(frozen=True)
class Preview:
    """The redline of the working tree against a base, shown above the notice while editing."""

    base: str  # what the editor asked for, e.g. "main"
    html: str  # notice.diffformat.format_html(..., full=True): escaped fragment


PageBuilder = Callable[[SiteContext], Iterable[PageSpec]]


@cache
def templates() -> Environment:
    """The Jinja2 environment of the site's own templates (autoescaped, strict)."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def section_toc(rendered: RenderedNotice) -> tuple[TocEntry, ...]:
    """The TOC entries of a rendering: every section that shows a heading, at its level."""
    return tuple(
        TocEntry(section.id, section.heading, section.level)
        for section in rendered.sections
        if section.show_heading
    )


def nest(entries: Sequence[TocEntry]) -> list[tuple[TocEntry, list]]:
    """Entries as a tree: [(entry, children)], a child being any deeper entry that follows."""
    root: list[tuple[TocEntry, list]] = []
    stack: list[tuple[int, list]] = [(0, root)]
    for entry in entries:
        while stack[-1][0] >= entry.level:
            stack.pop()
        node: tuple[TocEntry, list] = (entry, [])
        stack[-1][1].append(node)
        stack.append((entry.level, node[1]))
    return root


def human_size(size: int) -> str:
    """A file size as readers expect it, e.g. '84 KB'."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
