"""Every text hash the toolkit records, each under the name of its recipe (sha256 of UTF-8)."""

from __future__ import annotations

import hashlib

from notice.model import RenderedNotice, RenderedSection
from notice.render.canonical import canonical_text

# A version's text in the ledger, versions.json and the site: the canonical text (canonical.py).
RECIPE = "canonical/2"
# What the first ledger entries were released with: the rendered plain text (RenderedNotice.text).
LEGACY_RECIPE = "rendered/1"
RECIPES = (LEGACY_RECIPE, RECIPE)
# What a translation records as the source it follows: a section's title and canonical text.
SECTION_RECIPE = "section/1"
# What a translated title records: the source title, words joined by single spaces.
TITLE_RECIPE = "title/1"


def sha256_text(text: str) -> str:
    """The one way a text becomes a hash."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_sha256(rendered: RenderedNotice) -> str:
    """RECIPE: sha256 of the canonical text, the version's text hash."""
    return sha256_text(canonical_text(rendered))


def rendered_text_sha256(text: str) -> str:
    """LEGACY_RECIPE: sha256 of the rendered plain text (RenderedNotice.fingerprint)."""
    return sha256_text(text)


def text_hash(rendered: RenderedNotice, recipe: str) -> str:
    """The text hash of rendered under a ledger recipe (the old entries keep theirs)."""
    if recipe == LEGACY_RECIPE:
        return rendered.fingerprint
    if recipe == RECIPE:
        return text_sha256(rendered)
    raise ValueError(f"unknown text recipe {recipe!r}")


def section_text_sha256(section: RenderedSection) -> str:
    """SECTION_RECIPE: a section's title and canonical text; a reflow changes nothing, a link
    target does."""
    return sha256_text(f"{' '.join(section.title.split())}\n{section.canonical}")


def title_sha256(title: str) -> str:
    """TITLE_RECIPE: the source title a translated title records (what "same title" means)."""
    return sha256_text(" ".join(title.split()))
