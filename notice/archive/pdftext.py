"""Read back an archived PDF (text, metadata, attachments) and compare its text with a rendering.

The comparison ignores whitespace, so line and page breaks do not count, and the layout's own
marks: each page's running footer, list bullets, table rules, and a table's header row where
WeasyPrint repeats it atop a page the table continues on. Every other character counts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

import tinyhtml5
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
    pages: tuple[str, ...] = ()  # each page's text, its running footer removed


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
    kept = tuple(_without_footer(page) for page in pages)
    return PdfFacts("\n".join(kept), metadata, attachments, kept)


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


def table_headers(rendered: RenderedNotice) -> tuple[str, ...]:
    """Each table's header row as comparable text, longest first."""
    found = set()
    for section in rendered.sections:
        if "<thead" not in section.html:
            continue
        body = tinyhtml5.parse(f"<body>{section.html}</body>", namespace_html_elements=False)
        for head in body.iter("thead"):
            found.add(_SPACE.sub("", "".join(head.itertext())).replace("|", ""))
    return tuple(sorted(found - {""}, key=len, reverse=True))


def _comparable_pages(pages: tuple[str, ...], want: str, headers: tuple[str, ...]) -> str:
    """The pages' comparable text, without a header row that opens a page where the rendering
    does not have it (WeasyPrint repeats a table's header on each page it continues on)."""
    out, at = [], 0
    for index, page in enumerate(pages):
        text = comparable_pdf_text(page)
        for header in headers if index else ():
            if text.startswith(header) and not want.startswith(header, at):
                text = text[len(header) :]
                break
        out.append(text)
        at += len(text)
    return "".join(out)


def text_difference(
    pdf_text: str, rendered: RenderedNotice, pages: tuple[str, ...] = ()
) -> str | None:
    """None when the PDF says what the rendering says; else where they first differ. pages:
    the PDF's text page by page (PdfFacts.pages), for the headers of tables across pages."""
    want = comparable_rendering(rendered)
    headers = table_headers(rendered) if pages else ()
    have = _comparable_pages(pages, want, headers) if headers else comparable_pdf_text(pdf_text)
    if have == want:
        return None
    at = next((i for i, (a, b) in enumerate(zip(have, want, strict=False)) if a != b), None)
    at = min(len(have), len(want)) if at is None else at
    start = max(0, at - CONTEXT)
    return (
        f"the PDF reads {have[start : at + CONTEXT]!r} where the rendering reads "
        f"{want[start : at + CONTEXT]!r} (whitespace ignored)"
    )
