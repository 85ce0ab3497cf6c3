"""The Atom feed of versions (feed.xml), made with feedgen: one entry per version, newest first.

Atom wants absolute links and ids. With mkdocs' `site_url` set, links are absolute and ids are
the URLs of the changes pages. Without it, links stay relative to feed.xml (RFC 4287 resolves
them against the feed's own address, which is the site's root) and ids are stable UUIDs derived
from the site name and the version date, so a reader never sees a version twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from notice.render.rendering import format_date

from .spec import FEED_URI
from .versionpages import changes_uri
from .versions import SiteHistory


def _moment(day: date) -> datetime:
    """A version's date as Atom's timestamp: the start of that day, UTC (repeatable builds)."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def atom_feed(
    history: SiteHistory,
    *,
    site_name: str,
    site_url: str | None,
    url_of: Callable[[str], str],
    language: str = "en",
    others: Sequence[tuple[str, SiteHistory, Callable[[str], str]]] = (),
) -> bytes:
    """The feed's bytes; url_of(src_uri) is a site file's URL relative to the site's root.
    others: the project's other documents (id, versions, placing their paths in the site),
    announced in the same feed."""
    notice = history.current.rendered.notice
    base = (site_url.rstrip("/") + "/") if site_url else None

    def href(src_uri: str) -> str:
        url = url_of(src_uri) or "./"
        return urljoin(base, url) if base else url

    def ident(what: str, src_uri: str) -> str:
        if base:
            return href(src_uri)
        return uuid.uuid5(uuid.NAMESPACE_URL, f"notice-feed:{site_name}:{what}").urn

    feed = FeedGenerator()
    feed.id(ident("feed", FEED_URI))
    feed.title(f"{notice.title}: versions")
    feed.subtitle(f"Each new version of the {notice.title}, with what changed.")
    feed.author({"name": notice.company})
    feed.link(href=href(FEED_URI), rel="self", type="application/atom+xml")
    feed.link(href=href("index.md"), rel="alternate", type="text/html")
    feed.language(language)
    feed.generator("notice-toolkit")
    documents = [("", history, lambda uri: uri), *others]
    versions = [
        (version, document, versions_of, placed)
        for document, versions_of, placed in documents
        for version in versions_of.versions
    ]
    updated = max(version.day for version, *_ in versions)
    feed.updated(_moment(updated))
    # newest first across documents; the root's entries keep the ids they always had
    for version, document, versions_of, placed in sorted(
        versions, key=lambda item: item[0].day, reverse=True
    ):
        shown = versions_of.current.rendered.notice  # each document's entries in today's title
        day = format_date(version.day, shown.date_format)
        effective = format_date(version.effective, shown.date_format)
        entry = feed.add_entry(order="append")
        what = f"{document}:{version.day.isoformat()}" if document else version.day.isoformat()
        entry.id(ident(what, placed(changes_uri(version.day))))
        material = " (material change)" if version.rendered.notice.material else ""
        ahead = f", takes effect on {effective}" if versions_of.is_pending(version) else ""
        entry.title(f"{shown.title}, version of {day}{material}{ahead}")
        entry.link(href=href(placed(changes_uri(version.day))), rel="alternate", type="text/html")
        entry.summary(f"{version.summary} Effective {effective}.")
        entry.published(_moment(version.day))
        entry.updated(_moment(version.day))
    return feed.atom_str(pretty=True)
