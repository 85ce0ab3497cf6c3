"""The PDF: real WeasyPrint renders checked with pypdf, qpdf and poppler's tools."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
import weasyprint
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from notice.check import check_source
from notice.errors import Severity
from notice.model import RenderedNotice
from notice.publish.autolink import linked_addresses
from notice.publish.pdf import (
    ASSETS,
    AssetsOnlyFetcher,
    Attachment,
    PdfError,
    css_string,
    pdf_bytes,
    print_html,
    write_pdf,
)
from notice.render.rendering import format_date, render
from notice.source.load import load_notice
from tests.conftest import copy_notice, edit

COMMIT = "0123456789abcdef0123456789abcdef01234567"
SOURCE = Attachment("notice-source.txt", b"title: MetTel Privacy Notice\n", "the source")
PASSWD_LINE = "root:x:0:0"
BULLETS = ("•", "◦", "▪")  # disc, circle, square: what the PDF prints for "- " in the text
XMP_PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
HOSTILE = """

![x](file:///etc/passwd) and ![y](../../../../../../../../etc/hostname)

![z](../../../../../../../../etc/passwd) and ![w](http://127.0.0.1:9/w.png)

\\<link rel=attachment href=file:///etc/passwd>
"""  # raw HTML is refused by render; escaped, the tag is text that must stay text


def rendered_copy(root: Path) -> RenderedNotice:
    return render(load_notice(root))


@pytest.fixture(scope="module")
def mettel(tmp_path_factory: pytest.TempPathFactory) -> RenderedNotice:
    return rendered_copy(copy_notice(tmp_path_factory.mktemp("mettel") / "notice"))


@pytest.fixture(scope="module")
def built(mettel: RenderedNotice, tmp_path_factory: pytest.TempPathFactory):
    """The real notice written once, with a source commit and the source attached."""
    target = tmp_path_factory.mktemp("pdf") / "notice.pdf"
    artifact = write_pdf(mettel, target, source_commit=COMMIT, attachments=[SOURCE])
    return artifact, PdfReader(target)


def collapse(text: str) -> str:
    return " ".join(text.split())


def footer(rendered: RenderedNotice, page: int, pages: int) -> str:
    updated = format_date(rendered.notice.last_updated, rendered.notice.date_format)
    return f"Last updated {updated} · Page {page} of {pages}"


def body_lines(reader: PdfReader, rendered: RenderedNotice) -> list[str]:
    """Every page's text lines without the running footer and the title, which must be there."""
    lines: list[str] = []
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        page_lines = [line for line in page.extract_text().splitlines() if line.strip()]
        assert page_lines[-1] == footer(rendered, number, pages)
        if number == 1:
            assert page_lines[0] == rendered.notice.title
            page_lines = page_lines[1:]
        lines.extend(page_lines[:-1])
    return lines


def join_like(expected: str, lines: list[str]) -> str:
    """Join PDF lines; a line break reads as a space only where the rendered text has one."""
    joined = ""
    for line in lines:
        line = collapse(line)
        if line.startswith(BULLETS):
            line = "-" + line[1:]
        if joined:
            joined += " " if expected[len(joined) : len(joined) + 1] == " " else ""
        joined += line
    return joined


def all_stream_data(reader: PdfReader) -> bytes:
    """Every stream of the PDF, decompressed: what a fetched file would be hidden in."""
    chunks = []
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(IndirectObject(number, 0, reader))
        if isinstance(obj, StreamObject):
            chunks.append(obj.get_data())
    return b"\n".join(chunks)


def outline_entries(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) for every bookmark, depth 1 at the top."""
    entries = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                entries.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    return entries


def run_tool(*args: str) -> subprocess.CompletedProcess:
    if shutil.which(args[0]) is None:
        pytest.skip(f"{args[0]} is not installed (Debian package: qpdf or poppler-utils)")
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


# --- one rendering -----------------------------------------------------------------------


def test_print_html_embeds_the_one_rendering(mettel: RenderedNotice) -> None:
    html = print_html(mettel, source_commit=COMMIT)
    body = linked_addresses(mettel.html)  # the rendering, its printed addresses made links
    assert (
        body in html and re.sub(r'<a href="mailto:[^"]*">([^<]*)</a>', r"\1", body) == mettel.html
    )
    assert f'<h1 class="notice-title">{mettel.notice.title}</h1>' in html
    assert html.index("notice-title") < html.index(body)
    assert '<link rel="stylesheet" href="print.css">' in html
    assert f'<meta name="SourceCommit" content="{COMMIT}">' in html


def test_print_html_escapes_metadata(notice_dir: Path) -> None:
    edit(notice_dir / "notice.yml", "title: MetTel Privacy Notice", 'title: "A <b>&</b> Notice"')
    html = print_html(rendered_copy(notice_dir))
    assert "<title>A &lt;b&gt;&amp;&lt;/b&gt; Notice</title>" in html
    assert "<b>" not in html


def test_css_string_cannot_close_the_style_element() -> None:
    value = css_string('November "11" </style><script>\\')
    assert value.startswith('"') and value.endswith('"')
    inner = value[1:-1]
    assert '"' not in inner and "<" not in inner and ">" not in inner
    assert inner.count("\\") == 8  # " " < / > < > \ escaped; letters and digits kept
    assert "November" in inner and "11" in inner


# --- the real notice ---------------------------------------------------------------------


def test_extracted_text_is_the_rendered_text(built, mettel: RenderedNotice) -> None:
    artifact, reader = built
    assert artifact.pages == len(reader.pages) > 1
    expected = collapse(mettel.text)
    assert join_like(expected, body_lines(reader, mettel)) == expected


def test_outline_has_every_section_nested_by_level(built, mettel: RenderedNotice) -> None:
    _, reader = built
    entries = outline_entries(reader)
    expected = [(s.level, s.heading) for s in mettel.sections if s.show_heading]
    assert [(depth, title) for depth, title, _ in entries] == expected
    assert max(depth for depth, _, _ in entries) >= 3
    for _, title, page in entries:
        assert title in collapse(reader.pages[page].extract_text())


def test_metadata(built, mettel: RenderedNotice) -> None:
    _, reader = built
    notice = mettel.notice
    info = reader.metadata
    midnight = datetime(2022, 11, 11, tzinfo=UTC)
    assert notice.last_updated.isoformat() == "2022-11-11"
    assert info.title == notice.title == "MetTel Privacy Notice"
    assert info.author == notice.company == "MetTel"
    assert info.subject == notice.summary
    assert info["/Keywords"] == "privacy notice, MetTel, last updated 2022-11-11"
    assert info.creation_date == midnight
    assert info.modification_date == midnight
    assert info["/NoticeVersion"] == "2022-11-11"
    assert info["/SourceCommit"] == COMMIT


def test_pdfa_identification_tags_and_output_intent(built) -> None:
    _, reader = built
    catalog = reader.trailer["/Root"]
    xmp = ET.fromstring(
        catalog["/Metadata"].get_object().get_data().split(b"?>", 1)[1].rsplit(b"<?", 1)[0]
    )
    pdfaid = [element.attrib for element in xmp.iter() if f"{XMP_PDFAID}part" in element.attrib]
    assert pdfaid == [{**pdfaid[0], f"{XMP_PDFAID}part": "3", f"{XMP_PDFAID}conformance": "A"}]
    intent = catalog["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert "sRGB" in intent["/OutputConditionIdentifier"]
    assert intent["/DestOutputProfile"].get_object().get_data()[36:40] == b"acsp"  # ICC magic
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"


def test_without_a_commit_there_is_no_commit_key(mettel: RenderedNotice) -> None:
    reader = PdfReader(BytesIO(pdf_bytes(mettel)))
    assert "/SourceCommit" not in reader.metadata
    assert reader.metadata["/NoticeVersion"] == "2022-11-11"
    assert "/AF" not in reader.trailer["/Root"]


def test_pdfinfo_says_tagged_letter(built) -> None:
    artifact, _ = built
    result = run_tool("pdfinfo", str(artifact.path))
    assert result.returncode == 0, result.stderr
    fields = dict(line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)
    assert fields["Tagged"].strip() == "yes"
    assert fields["Pages"].strip() == str(artifact.pages)
    assert fields["Page size"].strip() == "612 x 792 pts (letter)"


def test_every_font_is_embedded(built) -> None:
    artifact, _ = built
    result = run_tool("pdffonts", str(artifact.path))
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[2:] if line.strip()]
    assert rows, result.stdout
    for row in rows:
        embedded, _subset, unicode_map = row[-5:-2]
        assert (embedded, unicode_map) == ("yes", "yes"), row
    assert any("DejaVu" in row[0] for row in rows)


def test_qpdf_check_passes(built) -> None:
    artifact, _ = built
    result = run_tool("qpdf", "--check", str(artifact.path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_source_is_attached_with_relationship_source(built) -> None:
    _, reader = built
    assert dict(reader.attachments) == {SOURCE.name: [SOURCE.data]}
    catalog = reader.trailer["/Root"]
    names = catalog["/Names"]["/EmbeddedFiles"]["/Names"]
    spec = names[1].get_object()
    assert spec["/AFRelationship"] == "/Source"
    assert spec["/Desc"] == SOURCE.description
    assert spec["/EF"]["/F"].get_object()["/Subtype"] == "/text/plain"
    assert [ref.get_object() for ref in catalog["/AF"]] == [spec]


# --- configuration, reproducibility, output ----------------------------------------------


@pytest.mark.parametrize(
    ("page_size", "width", "height"), [("letter", 612, 792), ("a4", 595.28, 841.89)]
)
def test_page_size_from_notice_yml(notice_dir: Path, page_size, width, height) -> None:
    edit(notice_dir / "notice.yml", "page_size: letter", f"page_size: {page_size}")
    reader = PdfReader(BytesIO(pdf_bytes(rendered_copy(notice_dir))))
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == (width, height)


def test_two_builds_are_byte_identical(built, notice_dir: Path) -> None:
    artifact, _ = built
    again = write_pdf(
        rendered_copy(notice_dir),
        notice_dir / "out" / "notice.pdf",
        source_commit=COMMIT,
        attachments=[SOURCE],
    )
    assert again.sha256 == artifact.sha256
    assert hashlib.sha256(again.path.read_bytes()).hexdigest() == again.sha256
    assert artifact.path.read_bytes() == again.path.read_bytes()


def test_bytes_do_not_depend_on_clock_zone_or_environment(built, notice_dir: Path) -> None:
    artifact, _ = built
    script = (
        "import sys; from pathlib import Path; from notice.source.load import load_notice;"
        "from notice.render.rendering import render;"
        "from notice.publish.pdf import write_pdf, Attachment;"
        f"write_pdf(render(load_notice(Path(sys.argv[1]))), Path(sys.argv[2]), "
        f"source_commit={COMMIT!r}, attachments=[Attachment({SOURCE.name!r}, "
        f"{SOURCE.data!r}, {SOURCE.description!r})])"
    )
    env = {**os.environ, "TZ": "Pacific/Kiritimati", "SOURCE_DATE_EPOCH": "0", "LANG": "C"}
    target = notice_dir / "other.pdf"
    result = subprocess.run(
        [sys.executable, "-c", script, str(notice_dir), str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""
    assert hashlib.sha256(target.read_bytes()).hexdigest() == artifact.sha256


def test_write_replaces_the_target_and_leaves_no_temporary_file(
    mettel: RenderedNotice, tmp_path: Path
) -> None:
    target = tmp_path / "notice.pdf"
    target.write_bytes(b"old")
    artifact = write_pdf(mettel, target)
    assert target.read_bytes()[:8] == b"%PDF-1.7"
    assert artifact.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    assert artifact.sha256 == hashlib.sha256(pdf_bytes(mettel)).hexdigest()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notice.pdf"]


def test_failed_write_raises_a_typed_error_and_cleans_up(
    mettel: RenderedNotice, tmp_path: Path
) -> None:
    target = tmp_path / "notice.pdf"
    target.mkdir()
    (target / "keep").write_text("previous output")
    with pytest.raises(PdfError, match=r"notice\.pdf: cannot write the PDF"):
        write_pdf(mettel, target)
    assert (target / "keep").read_text() == "previous output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notice.pdf"]


# --- locked-down fetching ----------------------------------------------------------------


@pytest.fixture
def hostile(notice_dir: Path) -> Path:
    """The notice with images and an attachment link aimed at files outside the project."""
    path = notice_dir / "sections" / "changes-to-this-notice.md"
    path.write_text(path.read_text(encoding="utf-8") + HOSTILE, encoding="utf-8")
    return notice_dir


def test_raw_html_link_is_escaped_not_parsed(hostile: Path) -> None:
    rendered = rendered_copy(hostile)
    assert "&lt;link rel=attachment href=file:///etc/passwd&gt;" in rendered.html
    assert "<link" not in rendered.html
    assert "<link" not in print_html(rendered).split("</head>", 1)[1]


def test_outside_files_never_reach_the_pdf(
    hostile: Path, capfd: pytest.CaptureFixture, caplog: pytest.LogCaptureFixture
) -> None:
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace")
    assert PASSWD_LINE in passwd  # the marker the test looks for is really in the file
    caplog.set_level(logging.DEBUG)
    artifact = write_pdf(rendered_copy(hostile), hostile / "notice.pdf", attachments=[SOURCE])
    raw = artifact.path.read_bytes()
    reader = PdfReader(BytesIO(raw))
    text = "\n".join(page.extract_text() for page in reader.pages)
    streams = all_stream_data(reader)
    assert "<link rel=attachment href=file:///etc/passwd>" in text  # shown, as text only
    for blob in (raw, streams, text.encode()):
        assert PASSWD_LINE.encode() not in blob
    assert list(reader.attachments) == [SOURCE.name]
    assert b"/Image" not in streams and b"/Image" not in raw  # no image was fetched at all
    refused = "\n".join(artifact.warnings)
    for url in ("file:///etc/hostname", "file:///etc/passwd"):
        assert f"refused (only the toolkit's assets and data: URIs): {url}" in refused
    assert "127.0.0.1" not in refused  # a remote image is its description: never asked for
    out, err = capfd.readouterr()
    assert out == err == ""
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]


def test_fetcher_serves_only_assets_and_data(tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "style.css").write_text("p { color: red }")
    (tmp_path / "secret.txt").write_text("secret")
    (assets / "link.css").symlink_to(tmp_path / "secret.txt")
    fetcher = AssetsOnlyFetcher(assets)
    response = fetcher.fetch((assets / "style.css").as_uri())
    assert (response.read(), response.content_type) == (b"p { color: red }", "text/css")
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    refused = [
        (tmp_path / "secret.txt").as_uri(),
        (assets / "link.css").as_uri(),
        assets.as_uri() + "/../secret.txt",
        assets.as_uri() + "/%2e%2e/secret.txt",
        assets.as_uri() + "/",
        f"file://example.com{assets / 'style.css'}",
        "http://127.0.0.1:9/style.css",
        "https://example.com/style.css",
        "ftp://example.com/style.css",
    ]
    for url in refused:
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_fetcher_stops_an_attachment_link_that_got_into_the_html() -> None:
    # Defence in depth: markdown-it escapes raw HTML, but if a <link> ever got through,
    # the fetcher still keeps /etc/passwd out (WeasyPrint's default fetcher embeds it).
    html = '<html><head><link rel="attachment" href="file:///etc/passwd"></head><p>x</p></html>'
    data = weasyprint.HTML(string=html, url_fetcher=AssetsOnlyFetcher()).write_pdf()
    reader = PdfReader(BytesIO(data))
    assert dict(reader.attachments) == {}
    assert PASSWD_LINE.encode() not in all_stream_data(reader)


def test_the_print_stylesheet_comes_through_the_fetcher() -> None:
    fetcher = AssetsOnlyFetcher()
    assert fetcher.fetch((ASSETS / "print.css").as_uri()).read().startswith(b"/*")


# --- check warns about what the PDF will refuse ------------------------------------------


def test_check_warns_about_images_outside_the_project(hostile: Path) -> None:
    _, problems = check_source(hostile)
    warnings = [str(p) for p in problems if p.severity is Severity.WARNING]
    lines = (hostile / "sections" / "changes-to-this-notice.md").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "![z]" in text)
    where = f"sections/changes-to-this-notice.md:{line}: warning: image"
    assert f"{where} '../../../../../../../../etc/passwd' points outside the project" in "\n".join(
        warnings
    )
    assert f"{where} 'http://127.0.0.1:9/w.png' points to another site" in "\n".join(warnings)


def test_check_warns_about_a_file_url_image(hostile: Path) -> None:
    _, problems = check_source(hostile)
    assert any("file:///etc/passwd" in p.message for p in problems)
