"""Text extracted from a PDF or hard-wrapped: wrapped lines are joined into their paragraphs,
numbered and capitals headings are found across a wrap, a page's running footer is left out
(and said), and no word wrapped onto a line of its own becomes a heading."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from notice.importer import import_notice
from tests.conftest import FIXTURES

REAL = FIXTURES / "real"
SOURCE = REAL / "chatterbox-privacy-policy.txt"
PDF_TEXT = REAL / "derived" / "chatterbox-privacy-policy.pdftotext.txt"  # see derived/SOURCES


def headings(report) -> list[str]:
    return [s.heading_text for s in report.structure.sections if s.heading_text]


def blocks(report) -> int:
    return sum(len(s.blocks) for s in report.structure.sections)


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return import_notice(SOURCE, tmp_path_factory.mktemp("source") / "out")


def hard_wrapped(text: str, width: int) -> str:
    """Every paragraph and list entry wrapped at width, entries indented under their text."""
    lines: list[str] = []
    for line in text.split("\n"):
        indent = "  " if line.startswith("- ") else ""
        lines += textwrap.wrap(line, width, subsequent_indent=indent) or [""]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("width", [80, 40])
def test_a_hard_wrapped_notice_has_the_headings_and_paragraphs_of_its_source(
    tmp_path: Path, source, width: int
):
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text(hard_wrapped(SOURCE.read_text(encoding="utf-8"), width), "utf-8")
    lines = wrapped.read_text().splitlines()
    assert max(map(len, lines)) <= width
    split = [h for h in headings(source) if h not in lines]  # headings wrapped in two
    assert bool(split) == (width < 60), split
    report = import_notice(wrapped, tmp_path / "out")
    assert headings(report) == headings(source)  # 67, none split, none made of a wrapped word
    assert blocks(report) == blocks(source)  # every wrapped paragraph joined again
    assert report.words is not None and report.words.same


def test_text_from_a_real_pdf_has_the_headings_of_its_source(tmp_path: Path, source):
    """The best judge of 'the way a PDF's text wraps': WeasyPrint's PDF read by pdftotext."""
    report = import_notice(PDF_TEXT, tmp_path / "out")
    found = headings(report)
    assert len(found) == len(headings(source)) == 67
    assert not [h for h in found if len(h.split()) == 1]
    # the same headings, but the title: the PDF prints notice.yml's 'Privacy Policy'
    assert found[1:] == headings(source)[1:]
    assert blocks(report) == blocks(source)
    footer = [item for item in report.dropped if "running header or footer" in item.why]
    assert len(footer) == 1 and "(11 pages)" in footer[0].why
    assert report.words is not None
    assert (report.words.missing, report.words.extra) == ((), ())
    assert "Page" in report.words.dropped and report.words.dropped.count("Page") == 11
