"""A JSON-LD description of each version in each language (W3C Data Privacy Vocabulary), so
that a consent record (ISO/IEC TS 27560, Kantara consent receipts) can cite one exact version.

Published as jsonld/<date>.<lang>.jsonld, embedded in the version's page and linked from
versions.json. Identifiers do not depend on where the site is served: `dct:identifier` is
urn:notice:<document>:<version>:<lang>, the same for a version and language forever.
"""

from __future__ import annotations

import json
from datetime import date

from markupsafe import Markup

from notice.archive.ledger import Entry
from notice.render.texthash import RECIPE, text_sha256

from .versions import ARCHIVE_URI, SiteHistory, SiteVersion

CONTEXT = {
    "dpv": "https://w3id.org/dpv#",
    "dct": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "spdx": "http://spdx.org/rdf/terms#",
    "notice": "urn:notice:terms#",  # the toolkit's own: text recipe and ledger entry
}


def jsonld_uri(day: date, lang: str) -> str:
    """Where a version's description lives in the site, e.g. 'jsonld/2022-11-11.en.jsonld'."""
    return f"jsonld/{day.isoformat()}.{lang}.jsonld"


def identifier(version: SiteVersion, lang: str) -> str:
    """Stable per version and language: the document's name, the version date, the language."""
    stem = version.rendered.notice.pdf_name.removesuffix(".pdf")
    document = stem.removesuffix(f"-{version.day.isoformat()}")
    return f"urn:notice:{document}:{version.day.isoformat()}:{lang}"


def _checksum(sha256: str) -> dict[str, str]:
    return {
        "@type": "spdx:Checksum",
        "spdx:algorithm": "spdx:checksumAlgorithm_sha256",
        "spdx:checksumValue": sha256,
    }


def _valid(history: SiteHistory, index: int) -> dict[str, str]:
    """dct:valid: from the effective date, until the next version's (an ISO 8601 interval)."""
    version = history.versions[index]
    later = history.versions[index + 1 :]
    start = version.effective.isoformat()
    if not later:
        return {"@value": start, "@type": "xsd:date"}
    return {"@value": f"{start}/{later[0].effective.isoformat()}"}


def version_documents(history: SiteHistory, base_url: str) -> dict[str, dict]:
    """Every version's description in its source language and each archived translation,
    by site path. base_url: the site's URL ('' gives links from the site's root)."""
    base = base_url.rstrip("/")
    documents = {}
    for index, version in enumerate(history.versions):
        notice = version.rendered.notice
        entry = version.archived.entry if version.archived else None
        languages: list[tuple[str, str, str | None]] = [
            (notice.language, text_sha256(version.rendered), entry.pdf if entry else None)
        ]
        for translation in entry.translations if entry else ():
            languages.append((translation.lang, translation.text_sha256, translation.pdf))
        for lang, text_hash, pdf in languages:
            uri = jsonld_uri(version.day, lang)
            documents[uri] = _document(history, index, lang, text_hash, pdf, entry, base, uri)
    return documents


def _document(
    history: SiteHistory,
    index: int,
    lang: str,
    text_hash: str,
    pdf: str | None,
    entry: Entry | None,
    base: str,
    uri: str,
) -> dict:
    version = history.versions[index]
    notice = version.rendered.notice
    recipe = RECIPE if entry is None or lang != notice.language else entry.text_recipe
    document: dict = {
        "@context": CONTEXT,
        "@id": f"{base}/{uri}",
        "@type": "dpv:PrivacyNotice",
        "dct:identifier": identifier(version, lang),
        "dct:title": {"@value": notice.title, "@language": notice.language},
        "dct:language": lang,
        "dct:publisher": notice.company,
        "dct:issued": {"@value": version.day.isoformat(), "@type": "xsd:date"},
        "dct:valid": _valid(history, index),
        "dct:description": version.summary,
        "notice:textSha256": text_hash,
        "notice:textRecipe": recipe,
    }
    if entry is not None and pdf is not None:
        sha256 = next((t.pdf_sha256 for t in entry.translations if t.pdf == pdf), entry.pdf_sha256)
        document["dct:hasFormat"] = {
            "@id": f"{base}/{ARCHIVE_URI}/{pdf}",
            "dct:format": "application/pdf",
            "spdx:checksum": _checksum(sha256),
        }
        document["notice:ledgerEntry"] = entry.digest
    return document


def jsonld_bytes(document: dict) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def script_element(document: dict) -> Markup:
    """The description embedded in an HTML page; '<' escaped so no text can close the script."""
    text = json.dumps(document, indent=2, ensure_ascii=False).replace("<", "\\u003c")
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')
