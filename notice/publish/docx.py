"""The notice as a Word document: headings in Heading styles, the body's paragraphs as text."""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document as new_document
from docx.document import Document
from docx.text.paragraph import Paragraph

from notice.errors import NoticeError
from notice.files import write_atomic
from notice.model import RenderedNotice, RenderedSection
from notice.publish.docx_body import add_markdown
from notice.render.rendering import date_line_at, last_updated_line

PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_WRAP = re.compile(r"[^\S\n]*\n[^\S\n]*")
MAX_HEADING_STYLE = 9  # Word's built-in styles stop at Heading 9


def heading_style(level: int) -> str:
    """Word's style for a section heading of this level (1 = top level)."""
    return f"Heading {max(1, min(level, MAX_HEADING_STYLE))}"


# What XML 1.0 cannot hold (lxml refuses it with a ValueError): a past commit, read as it stands,
# may still carry such a control; it is shown as U+FFFD instead.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def unwrap(text: str) -> str:
    """A paragraph's text on one line (line wrapping is not a Word paragraph), fit for XML."""
    return _NOT_XML.sub("\ufffd", _WRAP.sub(" ", text))


def blank_document(title: str, subject: str = "") -> Document:
    """A new document from python-docx's template, its title and subject in the properties."""
    document = new_document()
    document.core_properties.title = title
    document.core_properties.subject = subject
    document.core_properties.author = "notice"
    return document


def add_text_paragraph(document: Document, text: str, style: str | None = None) -> Paragraph:
    """One paragraph of plain text (wrapping removed)."""
    return document.add_paragraph(unwrap(text.strip()), style=style)


def add_section(document: Document, section: RenderedSection) -> None:
    """A section's heading (when shown) and its body: emphasis, links, lists and tables kept."""
    if section.show_heading:
        add_text_paragraph(document, section.heading, heading_style(section.level))
    add_markdown(document, section.markdown, section.level)


def notice_document(rendered: RenderedNotice) -> Document:
    """The clean notice: every section in order, then the last-updated line, as in its text."""
    notice = rendered.notice
    document = blank_document(notice.title, last_updated_line(notice))
    document.add_paragraph(notice.title, style="Title")
    if date_line_at(notice, "top"):
        add_text_paragraph(document, date_line_at(notice, "top"))
    for section in rendered.sections:
        add_section(document, section)
    if date_line_at(notice, "end"):
        add_text_paragraph(document, date_line_at(notice, "end"))
    return document


def save_document(document: Document, target: Path) -> None:
    """Write the .docx atomically: a failed write leaves any previous file whole."""
    buffer = io.BytesIO()
    document.save(buffer)
    try:
        write_atomic(target, buffer.getvalue())
    except OSError as exc:
        raise NoticeError(f"{target}: cannot write there: {exc.strerror}") from None
