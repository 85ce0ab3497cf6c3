"""The site's other documents: each one's pages moved under /<id>/ (its translations under
/<lang>/<id>/), and the policies page that lists every document."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup, escape

from notice.model import RenderedNotice
from notice.render.rendering import format_date
from notice.source.documents import Document

from .spec import FEED_URI, Download, Linker, PageSpec
from .versionpages import HISTORY_URI, changes_uri
from .versions import SiteHistory

POLICIES_URI = "policies/index.md"
# Site-wide files every document's pages link to where they are: never moved under /<id>/.
SITE_WIDE = frozenset({FEED_URI, "versions.json", POLICIES_URI})


@dataclass(frozen=True)
class Published:
    """One document as the site publishes it: its pages, its PDF and its versions."""

    document: Document
    rendered: RenderedNotice
    specs: tuple[PageSpec, ...]
    pdf: Download
    history: SiteHistory | None


def placer(document: Document, languages: Iterable[str]) -> Callable[[str], str]:
    """A document's site path for a path its page builders give: under <id>/, and a
    translation's <lang>/... under <lang>/<id>/ (the reader stays in their language)."""
    if document.is_root:
        return lambda uri: uri
    translated = {f"{lang}/" for lang in languages}

    def placed(uri: str) -> str:
        if uri in SITE_WIDE:
            return uri
        lang = next((prefix for prefix in translated if uri.startswith(prefix)), None)
        if lang is not None:
            return f"{lang}{document.site_dir}{uri.removeprefix(lang)}"
        return f"{document.site_dir}{uri}"

    return placed


def placed_specs(specs: Sequence[PageSpec], placed: Callable[[str], str]) -> tuple[PageSpec, ...]:
    """The pages with their paths, their downloads and every link they make placed."""
    return tuple(_placed(spec, placed) for spec in specs)


def _placed(spec: PageSpec, placed: Callable[[str], str]) -> PageSpec:
    body = spec.body

    def placed_body(link: Linker) -> str:
        return body(lambda uri: link(placed(uri)))

    return replace(
        spec,
        src_uri=placed(spec.src_uri),
        body=placed_body,
        downloads=tuple(placed_download(d, placed) for d in spec.downloads),
    )


def placed_download(download: Download, placed: Callable[[str], str]) -> Download:
    return replace(download, src_uri=placed(download.src_uri))


def policies_page(published: Sequence[Published]) -> PageSpec:
    """Every document of the project: its title, the date of the version in force, what changed."""
    rows = [_row(item) for item in published]

    def body(link: Linker) -> str:
        lines = [
            '<p class="notice-policies">Every policy of this site, with the date of the '
            "version in force and what changed in it.</p>",
            "<table>",
            '<thead><tr><th scope="col">Policy</th><th scope="col">Last updated</th>'
            '<th scope="col">Changes</th></tr></thead>',
            "<tbody>",
        ]
        for title, day, home, changes, history in rows:
            changed = (
                f'<a href="{escape(link(changes))}">What changed</a> · '
                f'<a href="{escape(link(history))}">All versions</a>'
                if changes
                else "Version history needs the project's git history"
            )
            lines.append(
                f'<tr><td><a href="{escape(link(home))}">{escape(title)}</a></td>'
                f"<td>{escape(day)}</td><td>{changed}</td></tr>"
            )
        lines += ["</tbody>", "</table>"]
        return str(Markup("\n".join(lines)))

    return PageSpec(
        src_uri=POLICIES_URI,
        title="All policies",
        body=body,
        description="Every policy of this site and the date of its version in force.",
    )


def _row(item: Published) -> tuple[str, str, str, str, str]:
    """(title, date in force, its page, its changes page, its history page) for one document."""
    place = placer(item.document, item.rendered.notice.languages[1:])
    history = item.history
    rendered = history.current.rendered if history is not None else item.rendered
    notice = rendered.notice
    day = format_date(notice.last_updated, notice.date_format)
    if history is None:
        return notice.title, day, place("index.md"), "", ""
    return (
        notice.title,
        day,
        place("index.md"),
        place(changes_uri(notice.last_updated)),
        place(HISTORY_URI),
    )
