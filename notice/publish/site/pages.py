"""Generated pages of the site: the notice page, and PAGE_BUILDERS, the table of page builders."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from markupsafe import Markup

from notice.render.rendering import format_date

from .coveragepage import coverage_page
from .spec import (
    FEED_URI,
    Download,
    Linker,
    PageBuilder,
    PageSpec,
    SiteContext,
    TocEntry,
    human_size,
    nest,
    section_toc,
    templates,
)
from .translationpages import language_links, translated
from .versionpages import (
    HISTORY_URI,
    changes_pages,
    changes_uri,
    history_page,
    version_pages,
    version_uri,
)

__all__ = [
    "PAGE_BUILDERS",
    "Download",
    "Linker",
    "PageBuilder",
    "PageSpec",
    "SiteContext",
    "TocEntry",
    "build_pages",
    "human_size",
    "nest",
    "notice_page",
    "section_toc",
    "templates",
]


def notice_page(context: SiteContext) -> Iterable[PageSpec]:
    """The notice in effect on the build's day, at the site's root; it announces a pending one."""
    history = context.history
    rendered = history.current.rendered if history is not None else context.rendered
    notice = rendered.notice
    toc = section_toc(rendered)

    def body(link: Linker) -> str:
        links = []
        if context.history is not None:  # no history here: no links that would lead nowhere
            links = [
                (link(HISTORY_URI), "Version history", None),
                (link(changes_uri(notice.last_updated)), "What changed in this version", None),
                (link(FEED_URI), "Atom feed of new versions", "application/atom+xml"),
            ]
        return (
            templates()
            .get_template("notice.html")
            .render(
                notice=notice,
                body=Markup(rendered.html),  # the toolkit's markdown-it-py rendering, as is
                last_updated=format_date(notice.last_updated, notice.date_format),
                effective=format_date(notice.effective, notice.date_format),
                banner=None,
                pending=_pending(context, link),
                pdf={
                    "href": link(context.pdf.src_uri),
                    "pages": context.pdf.pages,
                    "size": human_size(context.pdf.size),
                    "sha256": None,  # the history page shows it; readers here want the file
                },
                links=links,
                preview=context.preview,
                preview_html=Markup(context.preview.html) if context.preview else "",
                languages=language_links(rendered, notice.language, link)
                if translated(rendered)
                else None,
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


def _pending(context: SiteContext, link: Linker) -> dict | None:
    """The next version published ahead of its effective date, if any."""
    if context.history is None or not context.history.pending:
        return None
    version = context.history.pending[0]
    notice = version.rendered.notice
    return {
        "effective": version.effective,
        "effective_text": format_date(version.effective, notice.date_format),
        "material": notice.material,
        "text_href": link(version_uri(version.day)),
        "changes_href": link(changes_uri(version.day)),
    }


# The extension point: each builder yields pages from the same context. Builders that need the
# version history yield nothing when it cannot be read (outside git, in a shallow clone).
PAGE_BUILDERS: tuple[PageBuilder, ...] = (
    notice_page,
    coverage_page,
    history_page,
    version_pages,
    changes_pages,
)


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
