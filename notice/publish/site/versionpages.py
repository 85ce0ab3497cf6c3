"""Pages of the versions: the version history, each past version's text, each version's changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from markupsafe import Markup

from notice.archive.provenance import provenance
from notice.render.rendering import format_date
from notice.versions.redline import compare_sections, redline
from notice.versions.redline_format import format_html

from .buildcache import Changed, PageStore
from .jsonld import jsonld_uri, script_element, version_documents
from .spec import (
    FEED_URI,
    Linker,
    PageSpec,
    SiteContext,
    TocEntry,
    human_size,
    section_toc,
    templates,
)
from .versions import SiteHistory, SiteVersion

HISTORY_URI = "history.md"
NOTICE_URI = "index.md"
DateText = Callable[[date], str]  # a date as the notice prints it


def version_uri(day: date) -> str:
    """Where a past version's full text lives, e.g. 'versions/2022-11-11.md'."""
    return f"versions/{day.isoformat()}.md"


def changes_uri(day: date) -> str:
    """Where a version's redline against the one before lives, e.g. 'changes/2023-05-01.md'."""
    return f"changes/{day.isoformat()}.md"


def text_uri(history: SiteHistory, version: SiteVersion) -> str:
    """The current version's text is the notice page; a past one has a page of its own."""
    return NOTICE_URI if version is history.current else version_uri(version.day)


def _dates(context: SiteContext) -> DateText:
    pattern = context.rendered.notice.date_format
    return lambda day: format_date(day, pattern)


def _pdf(version: SiteVersion, link: Linker, built: bool = False) -> dict | None:
    """The archived PDF; with built, else the one built for an unreleased (pending) version."""
    pdf = version.archived.pdf if version.archived else version.built if built else None
    if pdf is None:
        return None
    return {
        "href": link(pdf.src_uri),
        "name": pdf.src_uri.rsplit("/", 1)[-1],
        "pages": pdf.pages,
        "size": human_size(pdf.size),
        "sha256": version.archived.sha256 if version.archived else None,
        "provenance": provenance(version.archived.entry) if version.archived else None,
    }


def _downloads(version: SiteVersion) -> tuple:
    pdf = version.archived.pdf if version.archived else version.built
    return (pdf,) if pdf else ()


def history_page(context: SiteContext) -> Iterable[PageSpec]:
    """Every version, newest first: dates, summary, text, changes, archived PDF and its hash."""
    history = context.history
    if history is None:
        return
    shown = _dates(context)
    notice = context.rendered.notice
    newest_first = list(reversed(history.versions))
    toc = tuple(
        TocEntry(
            f"version-{v.day.isoformat()}",
            shown(v.day)
            + (" (current)" if v is history.current else "")
            + (f" (takes effect on {shown(v.effective)})" if history.is_pending(v) else ""),
            1,
        )
        for v in newest_first
    )

    def body(link: Linker) -> str:
        rows = [
            {
                "version": v,
                "id": f"version-{v.day.isoformat()}",
                "day": shown(v.day),
                "effective": shown(v.effective),
                "current": v is history.current,
                "pending": history.is_pending(v),
                "material": v.rendered.notice.material,
                "first": v is history.versions[0],
                "text_href": link(text_uri(history, v)),
                "changes_href": link(changes_uri(v.day)),
                "pdf": _pdf(v, link),
            }
            for v in newest_first
        ]
        return (
            templates()
            .get_template("history.html")
            .render(notice=notice, rows=rows, feed_href=link(FEED_URI))
        )

    yield PageSpec(
        src_uri=HISTORY_URI,
        title="Version history",
        body=body,
        toc=toc,
        description=f"Every version of the {notice.title}, with its changes and archived PDF.",
    )


def version_pages(context: SiteContext) -> Iterable[PageSpec]:
    """One page per version but the current one: a past one under a 'Superseded on DATE' banner,
    a pending one under 'Takes effect on DATE'; each with its JSON-LD description embedded."""
    history = context.history
    if history is None:
        return
    shown = _dates(context)
    described = version_documents(history, context.site_url)
    for index, version in enumerate(history.versions):
        if version is not history.current:
            uri = jsonld_uri(version.day, version.rendered.notice.language)
            yield _version_page(history, index, version, shown, described.get(uri))


def _version_page(
    history: SiteHistory,
    index: int,
    version: SiteVersion,
    shown: DateText,
    described: dict | None = None,
) -> PageSpec:
    rendered = version.rendered
    notice = rendered.notice
    toc = section_toc(rendered)
    superseded = history.superseded_on(index)
    pending = history.is_pending(version)
    assert superseded is not None or pending, "the current version has no page of its own"
    successor = history.versions[index + 1] if not pending else history.current
    until = version.effective if pending else superseded
    assert until is not None

    def body(link: Linker) -> str:
        return (
            templates()
            .get_template("notice.html")
            .render(
                notice=notice,
                body=Markup(rendered.html),  # the toolkit's markdown-it-py rendering, as is
                last_updated=shown(notice.last_updated),
                effective=shown(notice.effective),
                banner={
                    "pending": pending,
                    "superseded": until,
                    "superseded_text": shown(until),
                    "day": shown(version.day),
                    "successor": shown(successor.day),
                    "successor_same_day": successor.day == until,
                    "current_href": link(NOTICE_URI),
                },
                pdf=_pdf(version, link, built=True),
                jsonld=script_element(described) if described else None,
                links=[
                    (link(changes_uri(version.day)), "What changed in this version", None),
                    (link(HISTORY_URI), "Version history", None),
                ],
            )
        )

    state = f"takes effect on {shown(until)}" if pending else "superseded"
    return PageSpec(
        src_uri=version_uri(version.day),
        title=f"{notice.title}, version of {shown(version.day)} ({state})",
        body=body,
        toc=toc,
        description=f"The {notice.title} as it applies from {shown(version.effective)}."
        if pending
        else f"The {notice.title} as it stood from {shown(version.effective)} "
        f"until {shown(until)}.",
        downloads=_downloads(version),
        in_nav=False,
        searchable=False,
    )


def changes_pages(context: SiteContext) -> Iterable[PageSpec]:
    """One page per version: the redline from the version before (the first one says so)."""
    history = context.history
    if history is None:
        return
    shown = _dates(context)
    for index, version in enumerate(history.versions):
        yield _changes_page(history, index, version, shown, context.cache)


def _changes_page(
    history: SiteHistory,
    index: int,
    version: SiteVersion,
    shown: DateText,
    cache: PageStore | None,
) -> PageSpec:
    previous = history.previous(index)
    notice = version.rendered.notice
    toc: tuple[TocEntry, ...] = ()
    changed: Changed = ()
    if previous is not None:
        old, new = previous.rendered, version.rendered

        def compute_changed() -> Changed:
            compared = compare_sections(old, new, with_ops=False)
            return tuple((s.id, s.heading) for s in compared if s.changed)

        changed = cache.changed(old, new, compute_changed) if cache else compute_changed()
        toc = (
            TocEntry("redline", "Redline", 1),
            *(TocEntry(f"changes-{sid}", heading, 2) for sid, heading in changed),
        )

    def body(link: Linker) -> str:
        marked = None
        if previous is not None:
            old, new = previous.rendered, version.rendered

            def compute_html() -> str:
                return format_html(redline(old, new), full=True, date_text=shown)

            # Computed (or read) here, when mkdocs writes this page: one redline in memory.
            html = cache.html(old, new, compute_html) if cache else compute_html()
            marked = Markup(html)
        return (
            templates()
            .get_template("changes.html")
            .render(
                notice=notice,
                day=shown(version.day),
                effective=shown(version.effective),
                current=version is history.current,
                text_href=link(text_uri(history, version)),
                history_href=link(HISTORY_URI),
                previous=previous,
                previous_day=shown(previous.day) if previous else "",
                previous_href=link(text_uri(history, previous)) if previous else "",
                redline=marked,
            )
        )

    return PageSpec(
        src_uri=changes_uri(version.day),
        title=f"Changes in the version of {shown(version.day)}",
        body=body,
        toc=toc,
        description=f"What changed in the {notice.title} on {shown(version.day)}: "
        f"{version.summary}",
        in_nav=False,
        searchable=False,
    )
