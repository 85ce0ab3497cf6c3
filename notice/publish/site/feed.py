"""The Atom feed of versions (feed.xml), made with feedgen: one entry per version, newest first.

Atom wants absolute links and ids. With mkdocs' `site_url` set, links are absolute and ids are
the URLs of the changes pages. Without it, links stay relative to feed.xml (RFC 4287 resolves
them against the feed's own address, which is the site's root) and ids are stable UUIDs derived
from the site name and the version date, so a reader never sees a version twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
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
) -> bytes:
    """The feed's bytes; url_of(src_uri) is a site file's URL relative to the site's root."""
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
    feed.updated(_moment(max(v.day for v in history.versions)))
    for version in reversed(history.versions):
        day = format_date(version.day, notice.date_format)
        effective = format_date(version.effective, notice.date_format)
        entry = feed.add_entry(order="append")
        entry.id(ident(version.day.isoformat(), changes_uri(version.day)))
        material = " (material change)" if version.rendered.notice.material else ""
        ahead = f", takes effect on {effective}" if history.is_pending(version) else ""
        entry.title(f"{notice.title}, version of {day}{material}{ahead}")
        entry.link(href=href(changes_uri(version.day)), rel="alternate", type="text/html")
        entry.summary(f"{version.summary} Effective {effective}.")
        entry.published(_moment(version.day))
        entry.updated(_moment(version.day))
    return feed.atom_str(pretty=True)
