"""Generated pages of the site: specs (where, title, TOC, body) built from one RenderedNotice."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..model import RenderedNotice
from ..render import format_date

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class TocEntry:
    """One heading of a generated page, for material's table of contents."""

    id: str
    title: str
    level: int  # 1 for the notice's top-level sections


@dataclass(frozen=True)
class Download:
    """A file the site ships beside its pages (the PDF), with what a reader needs to know."""

    src_uri: str  # path inside the site, e.g. "mettel-privacy-notice-2022-11-11.pdf"
    path: Path  # where the file is on disk now
    pages: int
    size: int


# A body receives `link(src_uri)`, which gives the URL of another site file relative to the page.
Linker = Callable[[str], str]


@dataclass(frozen=True)
class PageSpec:
    """One generated page: its place in the site, title, TOC, and how to render its body."""

    src_uri: str  # e.g. "index.md"; issue-4 pages would be "versions/2022-11-11.md"
    title: str
    body: Callable[[Linker], str]
    toc: tuple[TocEntry, ...] = ()
    description: str = ""
    downloads: tuple[Download, ...] = field(default=())


@dataclass(frozen=True)
class SiteContext:
    """Everything page builders may read: the current rendering and its PDF."""

    rendered: RenderedNotice
    pdf: Download


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


def notice_page(context: SiteContext) -> Iterable[PageSpec]:
    """The current notice, at the root of the site."""
    rendered = context.rendered
    notice = rendered.notice
    toc = section_toc(rendered)

    def body(link: Linker) -> str:
        return (
            templates()
            .get_template("notice.html")
            .render(
                notice=notice,
                body=Markup(rendered.html),  # the toolkit's markdown-it-py rendering, as is
                contents=nest(toc),
                last_updated=format_date(notice.last_updated, notice.date_format),
                effective=format_date(notice.effective, notice.date_format),
                pdf_href=link(context.pdf.src_uri),
                pdf_size=human_size(context.pdf.size),
                pdf_pages=context.pdf.pages,
            )
        )

    yield PageSpec(
        src_uri="index.md",
        title=notice.title,
        body=body,
        toc=toc,
        description=notice.summary,
        downloads=(context.pdf,),
    )


# The extension point: each builder yields pages from the same context. Issue 4 adds the
# version history, one page per past version, and a changes page per version here.
PAGE_BUILDERS: tuple[PageBuilder, ...] = (notice_page,)


def build_pages(
    context: SiteContext, builders: Sequence[PageBuilder] = PAGE_BUILDERS
) -> list[PageSpec]:
    """Every generated page, in order; two pages at the same place is a bug in a builder."""
    pages = [page for builder in builders for page in builder(context)]
    seen: set[str] = set()
    for page in pages:
        if page.src_uri in seen:
            raise ValueError(f"two generated pages at {page.src_uri}")
        seen.add(page.src_uri)
    return pages
