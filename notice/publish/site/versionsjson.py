"""versions.json at the site's root: every version with its hashes, for applications that record
which version a person accepted (version date + text_sha256, checked against the ledger)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from notice.archive.ledger import Entry, entries_of, head, released_languages
from notice.archive.provenance import provenance_record
from notice.render.texthash import RECIPE, text_sha256

from .jsonld import jsonld_uri
from .versions import SiteHistory, SiteVersion

VERSIONS_URI = "versions.json"
FORMAT = "notice-versions/1"


@dataclass(frozen=True)
class Listing:
    """One document's part of versions.json: its id, its versions, where its files are."""

    document: str  # ROOT_DOCUMENT or the id under documents/
    history: SiteHistory
    placed: Callable[[str], str]  # a path its pages use -> its path in the site


def _status(history: SiteHistory, version: SiteVersion) -> str:
    if version is history.current:
        return "current"
    return "pending" if history.is_pending(version) else "superseded"


def _record(
    history: SiteHistory, version: SiteVersion, href: Callable[[str], str], entries: list[Entry]
) -> dict:
    notice = version.rendered.notice
    record: dict = {
        "version": version.day.isoformat(),
        "effective": version.effective.isoformat(),
        "status": _status(history, version),
        "summary": version.summary,
        "material": notice.material,
        "text_sha256": text_sha256(version.rendered),
        "text_recipe": RECIPE,
        "released": version.archived is not None,
        "jsonld": {  # each language's JSON-LD description (W3C DPV) of this version
            lang: href(uri) for uri, lang in _languages(version)
        },
    }
    if version.archived is not None:
        entry = version.archived.entry
        record |= {
            "pdf": href(version.archived.pdf.src_uri),
            "pdf_sha256": entry.pdf_sha256,
            "ledger_entry": entry.digest,
            **provenance_record(entry),
            # the ledger's own number, so a consent log and an auditor compare one hash
            "text_sha256": entry.text_sha256,
            "text_recipe": entry.text_recipe,
        }
        languages = released_languages(entries, version.day)
        if languages:  # one hash per language, as the ledger holds it
            record["languages"] = {
                lang: {"text_sha256": found.text_sha256, "text_recipe": found.text_recipe}
                for lang, found in sorted(languages.items())
            }
    return record


def _languages(version: SiteVersion) -> list[tuple[str, str]]:
    entry = version.archived.entry if version.archived else None
    translations = entry.translations if entry else ()
    langs = [version.rendered.notice.language, *(t.lang for t in translations)]
    return [(jsonld_uri(version.day, lang), lang) for lang in langs]


def versions_json(
    listings: Sequence[Listing], entries: list[Entry], href: Callable[[str], str]
) -> bytes:
    """The file: every document's versions, the root's first, each newest first, each naming
    its document; href(src_uri) is a site file's URL; entries: the whole ledger."""
    today = listings[0].history.today
    document = {
        "format": FORMAT,
        "text_recipe": RECIPE,
        "as_of": today.isoformat() if today else None,
        "ledger_head": head(entries),
        "documents": [_document(listing) for listing in listings],
        "versions": [
            {
                **_record(
                    listing.history,
                    version,
                    _placed_href(href, listing.placed),
                    entries_of(entries, listing.document),
                ),
                "document": listing.document,
            }
            for listing in listings
            for version in reversed(listing.history.versions)
        ],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _document(listing: Listing) -> dict:
    notice = listing.history.current.rendered.notice
    return {
        "document": listing.document,
        "title": notice.title,
        "current": listing.history.current.day.isoformat(),
    }


def _placed_href(href: Callable[[str], str], placed: Callable[[str], str]) -> Callable[[str], str]:
    """href for the paths one document's pages use."""
    return lambda uri: href(placed(uri))
