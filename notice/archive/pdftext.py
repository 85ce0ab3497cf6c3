"""Read back an archived PDF (text, metadata, attachments) and compare its text with a rendering.

The comparison ignores whitespace, so line and page breaks do not count, and the layout's own
marks: each page's running footer, list bullets and table rules. Every other character counts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from notice.errors import NoticeError
from notice.model import RenderedNotice

_FOOTER = re.compile(r"·\s*Page\s+\d+\s+of\s+\d+\s*$")
_PDF_BULLET = re.compile(r"^\s*[•◦▪‣∙]\s*")
_TEXT_MARKS = re.compile(r"^\s*(?:>\s?)*(?:-\s)?")
_SPACE = re.compile(r"\s+")
CONTEXT = 30  # characters shown either side of the first difference


class UnreadablePdf(NoticeError):
    """The bytes are not a PDF pypdf can read."""


@dataclass(frozen=True)
class PdfFacts:
    """What can be read back from a PDF."""

    text: str  # every page's text, running footers removed
    metadata: dict[str, str]  # document info without the leading slash: Title, NoticeVersion
    attachments: dict[str, bytes]


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    # pypdf logs its repairs of damaged files; the caller reports the damage once, clearly.
    logger = logging.getLogger("pypdf")
    saved = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = saved


def read_pdf(data: bytes) -> PdfFacts:
    """Text, metadata and attachments of a PDF; UnreadablePdf when it cannot be parsed."""
    with _quiet_pypdf():
        try:
            reader = PdfReader(BytesIO(data), strict=False)
            pages = [page.extract_text() for page in reader.pages]
            metadata = {
                key.lstrip("/"): str(value) for key, value in (reader.metadata or {}).items()
            }
            attachments = {name: blobs[0] for name, blobs in reader.attachments.items() if blobs}
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise UnreadablePdf(f"not a readable PDF: {exc}") from None
    return PdfFacts("\n".join(_without_footer(page) for page in pages), metadata, attachments)


def _without_footer(page: str) -> str:
    lines = page.rstrip().split("\n")
    if lines and _FOOTER.search(lines[-1]):
        lines.pop()
    return "\n".join(lines)


def comparable_pdf_text(text: str) -> str:
    """PDF text without whitespace, bullets or table rules."""
    lines = (_PDF_BULLET.sub("", line) for line in text.split("\n"))
    return _SPACE.sub("", "".join(lines)).replace("|", "")


def comparable_rendering(rendered: RenderedNotice) -> str:
    """The title and rendered text without whitespace, list and quote marks or table rules."""
    text = f"{rendered.notice.title}\n{rendered.text}"
    lines = (_TEXT_MARKS.sub("", line, count=1) for line in text.split("\n"))
    return _SPACE.sub("", "".join(lines)).replace("|", "")


def text_difference(pdf_text: str, rendered: RenderedNotice) -> str | None:
    """None when the PDF says what the rendering says; else where they first differ."""
    have, want = comparable_pdf_text(pdf_text), comparable_rendering(rendered)
    if have == want:
        return None
    at = next((i for i, (a, b) in enumerate(zip(have, want, strict=False)) if a != b), None)
    at = min(len(have), len(want)) if at is None else at
    start = max(0, at - CONTEXT)
    return (
        f"the PDF reads {have[start : at + CONTEXT]!r} where the rendering reads "
        f"{want[start : at + CONTEXT]!r} (whitespace ignored)"
    )
