"""The PDF takes the site's brand (copyright line, logo, primary colour) from the release commit's
mkdocs.yml, stays PDF/A-3a + PDF/UA-1, and `verify --rebuild` repeats it; no brand, no change."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from notice.publish.brand import (
    MATERIAL_PRIMARY,
    MAX_COPYRIGHT_CHARS,
    Brand,
    brand_from_config,
    folder_brand,
    readable,
    tree_brand,
)
from notice.publish.pdf import PDF_PIPELINE, PDFUA_PIPELINE, brand_css, pdf_bytes
from notice.publish.validators import outloud_verdicts, page_verdicts
from notice.render.rendering import render
from notice.source.gittree import GitTree, open_repository
from notice.source.load import load_notice
from tests.conftest import commit_all, copy_notice, edit, git, run_notice, undocumented

COPYRIGHT = "Copyright © 2026 MetTel Inc."
LOGO_SIZE = (240, 60)


def logo_png(size: tuple[int, int] = LOGO_SIZE, mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, "white")
    if mode == "RGB":
        ImageDraw.Draw(image).rectangle((4, 4, size[0] - 4, size[1] - 4), fill=(84, 109, 120))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def branded(root: Path) -> Path:
    """The MetTel project with a logo in docs/, a blue grey palette and its copyright line."""
    (root / "docs" / "assets").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "assets" / "logo.png").write_bytes(logo_png())
    config = root / "mkdocs.yml"
    edit(config, "copyright: Copyright © MetTel", f"copyright: {COPYRIGHT}")
    edit(config, "  name: material\n", "  name: material\n  logo: assets/logo.png\n")
    edit(
        config,
        "      scheme: default\n      primary: indigo",
        "      scheme: default\n      primary: blue grey",
    )
    return root


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A branded project released once: the archived PDF is made from the commit's brand."""
    repo = branded(copy_notice(tmp_path_factory.mktemp("brand") / "repo"))
    (repo / ".gitignore").write_text("/site/\n/.cache/\n")
    git(repo, "init", "-q")
    commit_all(repo, "MetTel notice of 2022-11-11, with the company's brand")
    result = run_notice("release", "--root", str(repo))
    assert result.code == 0, result.stderr
    commit_all(repo, "Release 2022-11-11")
    return repo


@pytest.fixture(scope="module")
def archived(released: Path) -> Path:
    return next((released / "archive").rglob("*.pdf"))


def test_the_archived_pdf_carries_the_copyright_line_and_the_company(archived: Path) -> None:
    text = subprocess.run(
        ["pdftotext", str(archived), "-"], capture_output=True, text=True, check=True
    ).stdout
    footers = [line for line in text.splitlines() if line.startswith(COPYRIGHT)]
    pages = len(PdfReader(archived).pages)
    assert len(footers) == pages > 1  # the copyright line in every page's footer
    assert all("· Last updated November 11, 2022 · Page" in line for line in footers)
    metadata = PdfReader(archived).metadata
    assert metadata is not None and metadata["/Author"] == "MetTel"  # notice.company
    assert "MetTel" in metadata["/Keywords"]


def test_the_archived_pdf_holds_the_logo_as_an_image(archived: Path) -> None:
    with pikepdf.open(archived) as pdf:
        images = [
            xobject
            for page in pdf.pages
            for xobject in page.Resources.get("/XObject", {}).values()
            if xobject.get("/Subtype") == "/Image"
        ]
        assert images, "no image XObject: the logo is missing"
        assert {(int(i.Width), int(i.Height)) for i in images} == {LOGO_SIZE}
        assert all(not bool(i.get("/Interpolate", False)) for i in images)  # PDF/A forbids it


def test_the_branded_pdf_is_still_pdfa_and_pdfua(archived: Path) -> None:
    data = archived.read_bytes()
    verdicts = [*page_verdicts(data), outloud_verdicts([archived])[archived]]
    assert all(v.available for v in verdicts)
    assert [v.line() for v in verdicts if not v.ok] == []


def test_the_entry_records_the_brand_pipeline_and_verify_rebuilds_it(released: Path) -> None:
    ledger = json.loads((released / "archive" / "ledger.json").read_text(encoding="utf-8"))
    entries = ledger["entries"] if isinstance(ledger, dict) else ledger
    assert entries[-1]["pdf_pipeline"] == PDF_PIPELINE
    assert PDF_PIPELINE.endswith("/brand-1/rows-1") and PDF_PIPELINE.startswith(PDFUA_PIPELINE)
    # a later brand does not touch the archived PDF: rebuild reads the release commit's mkdocs.yml
    edit(released / "mkdocs.yml", f"copyright: {COPYRIGHT}", "copyright: Copyright © Other")
    commit_all(released, "A new copyright line for the site")
    result = run_notice("verify", "--rebuild", "--root", str(released))
    assert result.code == 0, result.stderr
    assert "1 rebuilt byte for byte" in result.stderr


def test_the_brand_is_read_from_the_commit_not_the_working_tree(released: Path) -> None:
    notice_repo = open_repository(released)
    first = notice_repo.repo.commit("HEAD~2")  # the release's commit, before the new copyright
    assert tree_brand(GitTree(first)).copyright == COPYRIGHT
    assert tree_brand(GitTree(notice_repo.repo.commit("HEAD"))).copyright == "Copyright © Other"
    assert tree_brand(GitTree(first)).logo == logo_png()


def test_a_notice_without_a_brand_renders_as_before(tmp_path: Path) -> None:
    root = copy_notice(tmp_path / "plain")
    (root / "mkdocs.yml").unlink()
    brand = folder_brand(root)
    assert brand == Brand() and not brand.is_set and brand_css(brand) == ""
    rendered = render(load_notice(root))
    assert pdf_bytes(rendered, brand=brand) == pdf_bytes(rendered, pipeline=PDFUA_PIPELINE)


def read_from(files: dict[str, bytes]):
    def read(path: str, limit: int) -> bytes:
        if path not in files:
            raise FileNotFoundError(path)
        return files[path][: limit + 1]

    return read


def brand_of(config: str, **files: bytes) -> Brand:
    return brand_from_config(read_from({"mkdocs.yml": config.encode(), **files}))


@pytest.mark.parametrize(
    ("logo", "data", "why"),
    [
        ("assets/logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "the PDF takes no SVG"),
        ("assets/huge.png", logo_png((4097, 4097), "1"), "4097 x 4097 pixels, over the budget"),
        ("assets/gone.png", None, "is not in docs/"),
        ("../secret.png", logo_png(), "is not a file in the docs folder"),
        ("https://example.com/logo.png", None, "is not a file in the docs folder"),
    ],
)
def test_a_logo_the_pdf_cannot_take_is_left_out_with_one_line(logo, data, why) -> None:
    files = {f"docs/{logo}": data} if data is not None else {}
    brand = brand_of(f"copyright: ACME\ntheme:\n  name: material\n  logo: {logo}\n", **files)
    assert brand.logo == b"" and brand.copyright == "ACME"
    assert len(brand.warnings) == 1
    assert brand.warnings[0].startswith("mkdocs.yml:4: warning: theme.logo")
    assert why in brand.warnings[0] and "\n" not in brand.warnings[0]


def test_a_logo_through_a_link_in_git_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "mkdocs.yml").write_text("theme:\n  logo: logo.png\n")
    os.symlink("/etc/passwd", repo / "docs" / "logo.png")
    git(repo, "init", "-q")
    commit_all(repo, "a linked logo")
    brand = tree_brand(GitTree(open_repository(repo).repo.commit("HEAD")))
    assert brand.logo == b""
    assert "symbolic link in git: refused" in brand.warnings[0]


def test_the_palette_gives_a_readable_heading_colour() -> None:
    light_and_dark = (
        "theme:\n  palette:\n    - scheme: slate\n      primary: red\n"
        "    - scheme: default\n      primary: Blue Grey\n"
    )
    assert brand_of(light_and_dark).colour == MATERIAL_PRIMARY["blue-grey"]
    assert brand_of("theme:\n  palette:\n    primary: deep-purple\n").colour == "#7e56c2"
    # yellow on white is unreadable: darkened until WCAG AA (4.5:1) holds
    yellow = brand_of("theme:\n  palette:\n    primary: yellow\n").colour
    assert yellow != MATERIAL_PRIMARY["yellow"] and yellow == readable(yellow)
    unknown = brand_of("theme:\n  palette:\n    primary: custom\n")
    assert unknown.colour == "" and "is not one of Material's colour names" in unknown.warnings[0]
    assert ".notice-heading { color: #546d78; }" in brand_css(Brand(colour="#546d78"))


def test_the_copyright_line_is_text_on_one_footer_line() -> None:
    html = brand_of("copyright: 'Copyright &copy; <a href=\"https://x\">ACME</a> 2026'\n")
    assert html.copyright == "Copyright © ACME 2026"  # Material prints HTML: the PDF its text
    hidden = brand_of("copyright: 'ACME\u202e 2026'\n")
    assert hidden == Brand(warnings=(hidden.warnings[0],)) and hidden.warnings[0].startswith(
        "mkdocs.yml:1: warning: copyright: contains a control character (U+202E)"
    )
    long = brand_of(f"copyright: {'x' * (MAX_COPYRIGHT_CHARS + 1)}\n")
    assert long.copyright == "" and "shorten it" in long.warnings[0]


def test_the_logo_cases_are_documented() -> None:
    assert undocumented(["brand-logo"]) == []
