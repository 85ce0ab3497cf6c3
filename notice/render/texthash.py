"""Every text hash the toolkit records, each under the name of its recipe (sha256 of UTF-8)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date

from notice.model import RenderedNotice, RenderedSection
from notice.render.canonical import RECIPE, canonical_inputs, canonical_text_of
from notice.render.legacy import CANONICAL_2, RENDERED_1, frozen_text

# A version's text in the ledger, versions.json and the site: RECIPE, the whole rendering
# (canonical.py). Older entries keep the frozen recipe they were written with (legacy.py):
# rendered/1, the rendered plain text of the first entries, and canonical/2, words and links.
LEGACY_RECIPE = RENDERED_1
RECIPES = (RENDERED_1, CANONICAL_2, RECIPE)
# What a translation records as the source it follows: a section's title and canonical text.
SECTION_RECIPE = "section/1"
# What a translated title records: the source title, words joined by single spaces.
TITLE_RECIPE = "title/1"


def sha256_text(text: str) -> str:
    """The one way a text becomes a hash."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Every hash this process has made or learned from the site's build cache, by a digest of its
# inputs: a site asks each version's hash three times (its page, versions.json, JSON-LD), and
# digesting the HTML is a thousandth of the HTML5 parse a hash takes.
_KNOWN: dict[str, str] = {}


def text_sha256(rendered: RenderedNotice) -> str:
    """RECIPE: sha256 of the canonical text, the version's text hash."""
    inputs = canonical_inputs(rendered)
    digest = _inputs_digest(*inputs)
    found = _KNOWN.get(digest)
    if found is None:
        found = _KNOWN[digest] = _canonical_sha256(*inputs)
    return found


def _inputs_digest(
    language: str, title: str, last_updated: date, effective: date, html: str
) -> str:
    shown = "\0".join((language, title, last_updated.isoformat(), effective.isoformat(), html))
    return sha256_text(shown)


def learn_text_hashes(known: Mapping[str, str]) -> None:
    """Hashes a build cache kept (inputs digest -> text_sha256): asked again, not parsed again."""
    _KNOWN.update(known)


def known_text_hashes() -> dict[str, str]:
    """Every hash this process knows, for the build cache to keep."""
    return dict(_KNOWN)


def _canonical_sha256(
    language: str, title: str, last_updated: date, effective: date, html: str
) -> str:
    return sha256_text(canonical_text_of(language, title, last_updated, effective, html))


def rendered_text_sha256(text: str) -> str:
    """LEGACY_RECIPE: sha256 of the rendered plain text (RenderedNotice.fingerprint)."""
    return sha256_text(text)


def text_hash(rendered: RenderedNotice, recipe: str) -> str:
    """The text hash of rendered under a ledger recipe (the old entries keep theirs)."""
    if recipe == RECIPE:
        return text_sha256(rendered)
    if recipe in (RENDERED_1, CANONICAL_2):
        return sha256_text(frozen_text(rendered, recipe))
    raise ValueError(f"unknown text recipe {recipe!r}")


def section_text_sha256(section: RenderedSection) -> str:
    """SECTION_RECIPE: a section's title and canonical text; a reflow changes nothing, a link
    target does."""
    return sha256_text(f"{' '.join(section.title.split())}\n{section.canonical}")


def title_sha256(title: str) -> str:
    """TITLE_RECIPE: the source title a translated title records (what "same title" means)."""
    return sha256_text(" ".join(title.split()))
