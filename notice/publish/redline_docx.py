"""A Redline as a Word document whose changes are real tracked changes (w:ins, w:del, moves)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time
from itertools import count

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

from notice.model import Notice, RenderedSection
from notice.publish.docx import PARAGRAPH_BREAK, blank_document, heading_style, unwrap
from notice.render.rendering import date_line_at, last_updated_line
from notice.versions.redline import Redline, SectionRedline, WordOp, word_ops
from notice.versions.words import CARRIED, comparable

AUTHOR = "notice"
Piece = tuple[str, str]  # ("equal" | "del" | "ins" | "from" | "to", text); from/to: moved


class _Marks:
    """Revision attributes: one author, the new version's date, ids unique in the document."""

    def __init__(self, when: date):
        moment = datetime.combine(when, time(0, 0), tzinfo=UTC)
        self.date = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        self._ids = count(1)
        self._moves: dict[str, str] = {}  # the moved words -> the name both ends share

    def element(self, tag: str) -> BaseOxmlElement:
        mark = OxmlElement(tag)
        mark.set(qn("w:id"), str(next(self._ids)))
        mark.set(qn("w:author"), AUTHOR)
        mark.set(qn("w:date"), self.date)
        return mark

    def move_name(self, text: str) -> str:
        """One name for a move's two ends: its source and its destination hold the same words."""
        key = " ".join(comparable(text))
        return self._moves.setdefault(key, f"move{len(self._moves) + 1}")


def _run(text: str, deleted: bool) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    node = OxmlElement("w:delText" if deleted else "w:t")
    node.set(qn("xml:space"), "preserve")
    node.text = text
    run.append(node)
    return run


def _append(paragraph: Paragraph, kind: str, text: str, marks: _Marks) -> None:
    """One run of text, wrapped in w:ins or w:del unless unchanged."""
    text = unwrap(text)
    if not text:
        return
    if kind == "equal":
        paragraph._p.append(_run(text, deleted=False))
        return
    if kind in MOVE_TAGS:
        _append_move(paragraph, MOVE_TAGS[kind], text, marks)
        return
    wrapper = marks.element("w:ins" if kind == "ins" else "w:del")
    wrapper.append(_run(text, deleted=kind == "del"))
    paragraph._p.append(wrapper)


LIST_MARK = "- "  # how the plain text writes a list item
MOVE_TAGS = {"from": "moveFrom", "to": "moveTo"}  # Word's tracked moves, source and destination


def _append_move(paragraph: Paragraph, tag: str, text: str, marks: _Marks) -> None:
    """Moved text as Word marks it: a named range around a w:moveFrom or w:moveTo run, the same
    name at both ends, so that Word shows (and accepts) it as one move."""
    start = marks.element(f"w:{tag}RangeStart")
    start.set(qn("w:name"), marks.move_name(text))
    end = OxmlElement(f"w:{tag}RangeEnd")
    end.set(qn("w:id"), start.get(qn("w:id")))
    wrapper = marks.element(f"w:{tag}")
    wrapper.append(_run(text, deleted=False))
    paragraph._p.extend([start, wrapper, end])


def _mark_paragraph(paragraph: Paragraph, kind: str, marks: _Marks) -> None:
    """An inserted or deleted paragraph mark: the break itself is a tracked change."""
    if kind == "equal":
        return
    properties = paragraph._p.get_or_add_pPr()
    run_properties = OxmlElement("w:rPr")
    inserted = kind in ("ins", "to")
    run_properties.append(marks.element("w:ins" if inserted else "w:del"))
    properties.append(run_properties)


def _pieces(ops: Sequence[WordOp]) -> Iterator[Piece]:
    for op in ops:
        if op.tag == "equal":
            yield "equal", op.new
        if op.tag in ("delete", "replace"):
            yield "del", op.old
        if op.tag in ("insert", "replace"):
            yield "ins", op.new
        if op.tag == "moved-out":
            yield "from", op.old
        if op.tag == "moved-in":
            yield "to", op.new


def _lines(ops: Sequence[WordOp]) -> list[tuple[list[Piece], str]]:
    """Paragraphs of pieces, each with the kind of the break that ends it."""
    result: list[tuple[list[Piece], str]] = [([], "equal")]
    for kind, text in _pieces(ops):
        for index, part in enumerate(PARAGRAPH_BREAK.split(text)):
            if index:
                result[-1] = (result[-1][0], kind)
                result.append(([], "equal"))
            if part:
                result[-1][0].append((kind, part))
    return result


def _write(
    document: Document,
    ops: Sequence[WordOp],
    last_mark: str,
    marks: _Marks,
    style: str | None = None,
) -> None:
    """The paragraphs of ops; the last one's mark is last_mark (new or gone with its text)."""
    lines = [line for line in _lines(ops) if "".join(t for _, t in line[0]).strip()]
    for number, (pieces, mark) in enumerate(lines):
        stripped = _strip_ends(pieces)
        item = style is None and stripped and stripped[0][1].startswith(LIST_MARK)
        if item:  # a list item of the plain text: a Word list paragraph, without its "- "
            stripped = [(stripped[0][0], stripped[0][1][len(LIST_MARK) :]), *stripped[1:]]
        paragraph = document.add_paragraph(style="List Bullet" if item else style)
        for kind, text in stripped:
            _append(paragraph, kind, text, marks)
        _mark_paragraph(paragraph, last_mark if number == len(lines) - 1 else mark, marks)


def _strip_ends(pieces: list[Piece]) -> list[Piece]:
    """No leading space at a paragraph's start or trailing space at its end."""
    if not pieces:
        return pieces
    first, last = pieces[0], pieces[-1]
    pieces = [(first[0], first[1].lstrip()), *pieces[1:]]
    return [*pieces[:-1], (pieces[-1][0], pieces[-1][1].rstrip())] if last else pieces


def _shown_heading(section: RenderedSection | None) -> str:
    return section.heading if section and section.show_heading else ""


def _final_mark(old_text: str, new_text: str) -> str:
    if not old_text.strip():
        return "ins"
    return "del" if not new_text.strip() else "equal"


def _add_section(document: Document, change: SectionRedline, marks: _Marks) -> None:
    section = change.new or change.old
    assert section is not None
    old_heading, new_heading = _shown_heading(change.old), _shown_heading(change.new)
    if old_heading or new_heading:
        _write(
            document,
            word_ops(old_heading, new_heading),
            _final_mark(old_heading, new_heading),
            marks,
            heading_style(section.level),
        )
    old_text = change.old.text if change.old else ""
    new_text = change.new.text if change.new else ""
    ops = change.ops or word_ops(old_text, new_text)
    if any(op.tag in CARRIED for op in ops):
        # Word reads one linear text: deletions between carried runs would land in the wrong
        # section on "reject all", so a split or merge is written as the section's own change
        ops = word_ops(old_text, new_text)
    _write(document, ops, _final_mark(old_text, new_text), marks)


def redline_document(change: Redline, first: Notice, last: Notice) -> Document:
    """The new version with every change from the old one (first) as a tracked revision."""
    document = blank_document(
        f"Redline: {change.old_label} → {change.new_label}",
        f"{last_updated_line(first)} → {last_updated_line(last)}",
    )
    marks = _Marks(change.new_date)
    _write(document, word_ops(first.title, last.title), "equal", marks, "Title")
    _add_date_line(document, first, last, "top", marks)
    for section in change.sections:
        _add_section(document, section, marks)
    _add_date_line(document, first, last, "end", marks)
    return document


def _add_date_line(
    document: Document, first: Notice, last: Notice, place: str, marks: _Marks
) -> None:
    """The date line where each version places it (notice.yml date_line.position)."""
    old_line, new_line = date_line_at(first, place), date_line_at(last, place)
    if old_line or new_line:
        _write(document, word_ops(old_line, new_line), _final_mark(old_line, new_line), marks)
