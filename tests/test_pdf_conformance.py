"""New PDFs are PDF/A-3a and PDF/UA-1 as independent validators judge them (page-validation,
outloud): the MetTel notice, a translation and an imported real notice; no stream ends in CR."""

from __future__ import annotations

import hashlib
import itertools
import re
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import page
import pikepdf
import pytest

from notice.archive.ledger import ledger_text, parse_ledger
from notice.errors import SourceError
from notice.languages.overlay import render_language
from notice.publish.pdf import (
    BRAND_PIPELINE,
    LEGACY_PIPELINE,
    PDF_PIPELINE,
    PDFUA_PIPELINE,
    PIPELINES,
    Attachment,
    PdfError,
    pdf_bytes,
    weasyprint_pdf,
    write_pdf,
)
from notice.publish.pdfconform import conform, finish, streams_ending_in_cr
from notice.publish.validators import declared, outloud_verdicts, page_verdicts
from notice.render.rendering import render
from notice.source.load import load_notice
from notice.source.worktree import WorkingTree
from tests.conftest import FIXTURES, PROJECT, copy_notice, run_notice
from tests.test_translations import FR_BODY, FR_TITLE, add_languages, translate

COMMIT = "459ecfa7ceb04969e0ab1c55d184711582edcb65"
REAL = FIXTURES / "real" / "letsencrypt-privacy.md"  # source: tests/fixtures/real/SOURCES.tsv


def source(rendered) -> list[Attachment]:
    """What release attaches: the rendered Markdown."""
    return [
        Attachment("notice.md", rendered.markdown.encode(), f"commit {COMMIT}", "text/markdown")
    ]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One PDF of each kind, written by the toolkit as release writes them."""
    base = tmp_path_factory.mktemp("conformance")
    mettel = copy_notice(base / "mettel")
    add_languages(mettel, "en", "fr")
    translate(mettel, "fr", "changes-to-this-notice", FR_TITLE, FR_BODY)
    english = render(load_notice(mettel))
    french = render_language(WorkingTree(mettel), english, "fr")
    imported = base / "imported"
    result = run_notice("import", str(REAL), "--into", str(imported))
    assert result.code == 0, result.stderr
    real = render(load_notice(imported))
    found = {}
    for name, rendered in (("mettel", english), ("french", french), ("imported", real)):
        target = base / f"{name}.pdf"
        write_pdf(rendered, target, source_commit=COMMIT, attachments=source(rendered))
        found[name] = target
    return found


@pytest.fixture(scope="module")
def outloud(pdfs: dict[str, Path]):
    """outloud's verdict on the three PDFs, from one run of its command."""
    return outloud_verdicts(list(pdfs.values()))


@pytest.mark.parametrize("name", ["mettel", "french", "imported"])
def test_validators_find_no_failure(pdfs: dict[str, Path], outloud, name: str) -> None:
    data = pdfs[name].read_bytes()
    assert declared(data) == ("3A", "1")  # what it claims: PDF/A-3a and PDF/UA-1
    verdicts = [*page_verdicts(data), outloud[pdfs[name]]]
    assert [v.profile for v in verdicts] == ["PDF_A_3A", "PDF_UA_1", "PDF/UA-1+WCAG"]
    assert all(v.available for v in verdicts)
    assert [v.line() for v in verdicts if not v.ok] == []


def test_the_translation_is_in_french(pdfs: dict[str, Path]) -> None:
    with pikepdf.open(pdfs["french"]) as pdf:
        assert str(pdf.Root.Lang) == "fr"


def test_the_frozen_2022_pdf_is_what_the_validators_judged_in_the_issue() -> None:
    # The archive is never rewritten: the validators still find in it what the issue reported.
    data = (PROJECT / "archive/mettel-privacy-notice-2022-11-11.pdf").read_bytes()
    assert hashlib.sha256(data).hexdigest().startswith("2b90cd5da553")
    pdfa, pdfua = page_verdicts(data)
    assert [f.split()[0] for f in pdfa.findings] == ["PDFA3A-METADATA-FILTER-001"]
    assert "PDFUA1-LI-KIDS-001" in " ".join(pdfua.findings)


def adler_ends_in_cr() -> bytes:
    """Some text whose zlib stream ends in CR: the last byte of Adler-32 depends on the data."""
    for number in range(1, 1000):
        data = b"notice " * number + b"\n"
        if zlib.adler32(data) & 0xFF == 0x0D:
            return data
    raise AssertionError("no such text")


def test_a_stream_ending_in_cr_is_written_so_that_validators_accept_it(pdfs) -> None:
    rendered = render(load_notice(PROJECT))
    attachment = Attachment("notice.md", adler_ends_in_cr(), "", "text/markdown")
    raw = weasyprint_pdf(rendered, COMMIT, [attachment])[0]
    assert streams_ending_in_cr(raw)  # WeasyPrint wrote one
    rule = "PDFA3A-STREAM-LENGTH-001"
    assert rule in " ".join(page_verdicts(raw)[0].findings)  # and the validator sees it
    finished = conform(raw)
    assert streams_ending_in_cr(finished) == []
    assert [v.line() for v in page_verdicts(finished) if not v.ok] == []
    with pikepdf.open(BytesIO(finished)) as pdf:  # the attachment is still the same bytes
        assert pdf.attachments["notice.md"].get_file().read_bytes() == adler_ends_in_cr()


def with_commit(data: bytes, commit: str, descriptions: bool = True) -> bytes:
    """The finished PDF as it would be for another commit: what a commit hash changes is the
    SourceCommit key and the attachments' descriptions, objects that qpdf packs into compressed
    object streams while writing."""
    with pikepdf.open(BytesIO(data)) as pdf:
        pdf.docinfo[pikepdf.Name("/SourceCommit")] = commit
        for spec in pdf.Root.AF if descriptions else ():
            spec.Desc = pikepdf.String(str(spec.Desc).replace(COMMIT, commit))
        return finish(pdf)


def commits(start: int = 0) -> Iterator[str]:
    return (hashlib.sha1(f"commit {n}".encode()).hexdigest() for n in itertools.count(start))


def test_no_stream_ends_in_cr_over_200_commit_hashes(pdfs: dict[str, Path]) -> None:
    """Rendered once, finished again for 200 commit hashes: no stream ends in CR, and the
    validator judges the case that needed care (an object stream of qpdf's ending in CR, met
    about once in 256 renderings; here the commit appears once, as in a PDF without source)."""
    data = pdfs["imported"].read_bytes()
    for commit in itertools.islice(commits(), 200):
        output = with_commit(data, commit)
        assert streams_ending_in_cr(output) == [], commit
    # A zlib stream's last byte is the low byte of a sum over its data: with the commit written
    # twice that sum keeps its parity and never reaches CR here; written once, it does.
    rewritten = (with_commit(data, commit, descriptions=False) for commit in commits(200))
    fell_back = next((x for x in itertools.islice(rewritten, 2000) if b"/ObjStm" not in x), None)
    assert fell_back is not None, "an object stream ends in CR about once in 256 renderings"
    assert streams_ending_in_cr(fell_back) == []  # written again without object streams
    for written in (fell_back, output):
        report = page.validate_pdf_bytes(written, profile=page.ValidationProfile.PDF_A_3A)
        assert report.is_compliant, [f.rule_id for f in report.failures]


def test_verify_rebuild_repeats_an_older_pipeline_byte_for_byte():
    """The 2022-11-11 entry records no pipeline: it was WeasyPrint's PDF/A-3a as it came, and the
    toolkit keeps that pipeline, so `verify --rebuild` still repeats its bytes."""
    result = run_notice("verify", "--rebuild", "--root", str(PROJECT))
    assert result.code == 0, result.stderr
    assert "1 rebuilt byte for byte" in result.stderr
    assert "not rebuilt" not in result.stderr


def test_an_unknown_pipeline_is_refused_by_the_writer() -> None:
    assert set(PIPELINES) == {LEGACY_PIPELINE, PDFUA_PIPELINE, BRAND_PIPELINE, PDF_PIPELINE}
    with pytest.raises(PdfError, match=re.escape("unknown PDF pipeline 'weasyprint-69.0/pdfua-1'")):
        pdf_bytes(render(load_notice(PROJECT)), pipeline="weasyprint-69.0/pdfua-1")


def test_the_pipeline_is_recorded_in_the_entry_and_read_back_strictly():
    entry = parse_ledger((PROJECT / "archive/ledger.json").read_text(encoding="utf-8"))[0]
    assert entry.pdf_pipeline == "" and "pdf_pipeline" not in entry.record()  # hashed as before
    made = replace(entry, pdf_pipeline=PDF_PIPELINE)
    assert made.record()["pdf_pipeline"] == PDF_PIPELINE == "weasyprint-70.0/pdfua-1/brand-1/rows-1"
    assert parse_ledger(ledger_text([made]))[0] == made
    bad = ledger_text([made]).replace(PDF_PIPELINE, "../../etc")
    with pytest.raises(SourceError, match=re.escape("pdf_pipeline '../../etc' is not a")):
        parse_ledger(bad)


def rows_cut_by_a_page_break(data: bytes, rows: int, folder: Path) -> list[int]:
    """The rows whose first and last words poppler's pdftotext finds on different pages."""
    path = folder / "rows.pdf"
    path.write_bytes(data)
    with pikepdf.open(BytesIO(data)) as pdf:
        pages = len(pdf.pages)
    texts = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]
    where = {
        word: i for i, text in enumerate(texts) for word in re.findall(r"row\d+(?:start|end)", text)
    }
    return [n for n in range(rows) if where.get(f"row{n}start") != where.get(f"row{n}end")]


def test_a_table_row_is_never_cut_by_a_page_break(notice_dir: Path, tmp_path: Path) -> None:
    """rows-1: a row split over two pages reads back interleaved; the brand-1 PDF of the same
    table cuts rows, the current pipeline none (judged by poppler's pdftotext)."""
    rows = 40
    filler = " ".join(["a long cell that wraps over several lines"] * 30)
    table = "| Cookie | Purpose |\n| --- | --- |\n" + "".join(
        f"| row{n}start | {filler} row{n}end |\n" for n in range(rows)
    )
    (notice_dir / "sections/introduction.md").write_text(
        "---\nid: introduction\ntitle: Introduction\nheading: false\n---\n" + table,
        encoding="utf-8",
    )
    rendered = render(load_notice(notice_dir))
    assert rows_cut_by_a_page_break(pdf_bytes(rendered, pipeline=BRAND_PIPELINE), rows, tmp_path)
    assert rows_cut_by_a_page_break(pdf_bytes(rendered), rows, tmp_path) == []
