"""The site's PDF, rendered once per content: a cache keyed by everything that shapes the PDF."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from notice.files import write_atomic
from notice.layout import PACKAGE_DIR
from notice.model import RenderedNotice
from notice.publish.brand import Brand

from .inputs import files_digest, output_versions

if TYPE_CHECKING:
    from notice.publish.pdf import Attachment

# notice.pdf is imported only to render (for speed, not to dodge a cycle): importing WeasyPrint
# alone takes about half a second.
PDF_MODULE, PRINT_ASSETS = PACKAGE_DIR / "publish" / "pdf.py", PACKAGE_DIR / "publish" / "assets"
KEEP_ENTRIES = 8  # older PDFs in the cache are removed; they are cheap to render again
_STARTED = time.time() - 1  # entries used (touched) since this process started are kept


@dataclass(frozen=True)
class CachedPdf:
    """The PDF of one rendering in the cache, and whether this build had to render it."""

    path: Path
    sha256: str
    pages: int
    warnings: tuple[str, ...]
    rendered_now: bool


def print_assets_digest() -> str:
    """What the PDF looks like besides the notice: the PDF module and its print assets."""
    return files_digest([PDF_MODULE, PRINT_ASSETS], PACKAGE_DIR)


def source_attachment(rendered: RenderedNotice) -> Attachment:
    """The notice as Markdown, embedded in the PDF/A-3 as its source."""
    from notice.publish.pdf import Attachment

    return Attachment(
        name=rendered.notice.pdf_name.removesuffix(".pdf") + ".md",
        data=rendered.markdown.encode("utf-8"),
        description=f"{rendered.notice.title}, as Markdown",
        mime_type="text/markdown",
    )


def cache_key(
    rendered: RenderedNotice,
    source_commit: str | None,
    brand: Brand | None = None,
    site_url: str = "",
) -> str:
    """A key that changes whenever the PDF's bytes could change."""
    notice = rendered.notice
    parts = {
        "fingerprint": rendered.fingerprint,
        # The text alone misses a changed link target or emphasis; the HTML and Markdown do not.
        "html": hashlib.sha256(rendered.html.encode()).hexdigest(),
        "markdown": hashlib.sha256(rendered.markdown.encode()).hexdigest(),
        "metadata": [
            notice.title,
            notice.company,
            notice.summary,
            notice.last_updated.isoformat(),
            notice.effective.isoformat(),
            notice.page_size,
            notice.date_format,
        ],
        "source_commit": source_commit,
        "packages": output_versions(),
        "print_assets": print_assets_digest(),
        "brand": brand.digest() if brand is not None and brand.is_set else None,
        "site_url": site_url,  # where doc: links lead in the PDF
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def cached_pdf(
    rendered: RenderedNotice,
    cache_dir: Path,
    *,
    source_commit: str | None = None,
    brand: Brand | None = None,
    site_url: str = "",
) -> CachedPdf:
    """The PDF from the cache when its key is there; otherwise render it into the cache
    (site_url: mkdocs.yml's, under which links to another document lead)."""
    key = cache_key(rendered, source_commit, brand, site_url)
    target = cache_dir / f"{key}.pdf"
    sidecar = cache_dir / f"{key}.json"
    found = _read_entry(target, sidecar)
    if found is not None:
        os.utime(target)  # recently used entries survive pruning
        return found
    from notice.publish.pdf import write_pdf

    artifact = write_pdf(
        rendered,
        target,
        source_commit=source_commit,
        attachments=[source_attachment(rendered)],
        brand=brand,
        site_url=site_url,
    )
    entry = {"sha256": artifact.sha256, "pages": artifact.pages, "warnings": artifact.warnings}
    write_atomic(sidecar, json.dumps(entry).encode("utf-8"))
    _prune(cache_dir)
    return CachedPdf(target, artifact.sha256, artifact.pages, artifact.warnings, rendered_now=True)


def _read_entry(target: Path, sidecar: Path) -> CachedPdf | None:
    try:
        entry = json.loads(sidecar.read_text(encoding="utf-8"))
        if hashlib.sha256(target.read_bytes()).hexdigest() != entry["sha256"]:
            return None  # damaged or half-written: render it again
        pages, warnings = int(entry["pages"]), tuple(entry["warnings"])
        return CachedPdf(target, entry["sha256"], pages, warnings, rendered_now=False)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _prune(cache_dir: Path) -> None:
    """Remove the older entries, never one this process has used: a build of several documents
    in several languages links more PDFs than KEEP_ENTRIES, and mkdocs copies them at the end."""
    entries = sorted(cache_dir.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
    unused = [path for path in entries if path.stat().st_mtime < _STARTED]
    for old in unused[max(0, KEEP_ENTRIES - (len(entries) - len(unused))) :]:
        for path in (old, old.with_suffix(".json")):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
