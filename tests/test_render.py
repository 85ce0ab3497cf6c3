"""The structured source renders, exactly, to the text MetTel published."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from notice.errors import SourceError
from notice.render.rendering import render
from notice.source.load import load_notice
from tests.conftest import FIXTURES, PROJECT, edit

PUBLISHED = FIXTURES / "mettel-privacy-notice-2022-11-11.txt"
SECTION_FILES = sorted(p.name for p in (PROJECT / "sections").glob("*.md"))


def collapse(text: str) -> str:
    """Every run of whitespace as one space, as the fidelity rule compares."""
    return " ".join(text.split())


def published_text() -> str:
    return collapse(PUBLISHED.read_text(encoding="utf-8"))


def test_rendered_text_equals_published_text(cli):
    result = cli("render", "--format", "text", "--root", str(PROJECT))
    assert result.code == 0, result.stderr
    assert collapse(result.stdout) == published_text()


def test_rendered_text_keeps_the_published_typos_and_typography():
    text = render(load_notice(PROJECT)).text
    for published_quirk in (
        "(“Websites“)",  # the closing quote that opens
        "exercise your opt out in rights",
        "enable us conduct analytics",
        "rights by your dedicated customer service representative",
        "Some Internet browsers – like",
    ):
        assert published_quirk in text


@pytest.mark.parametrize("section_file", SECTION_FILES)
def test_fidelity_fails_on_a_one_character_change(notice_dir: Path, section_file: str):
    path = notice_dir / "sections" / section_file
    text = path.read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    if body.strip():
        # change one letter of the body's first word-character outside any {{ }} expression
        match = re.search(r"[A-Za-z](?![^{]*}})", body)
        assert match, section_file
        index = match.start()
        changed = body[:index] + ("x" if body[index] != "x" else "y") + body[index + 1 :]
        path.write_text(f"{front}\n---\n{changed}", encoding="utf-8")
    else:
        edit(path, "title: ", "title: X")
    assert collapse(render(load_notice(notice_dir)).text) != published_text()


def test_email_changed_once_changes_all_six_places(notice_dir: Path):
    before = render(load_notice(notice_dir)).text
    assert before.count("privacy@mettel.net") == 6
    edit(notice_dir / "notice.yml", "email: privacy@mettel.net", "email: optout@example.com")
    after = render(load_notice(notice_dir)).text
    assert after.count("privacy@mettel.net") == 0
    assert after.count("optout@example.com") == 6


def test_phone_changed_once_changes_all_six_places(notice_dir: Path):
    assert render(load_notice(notice_dir)).text.count("(800) 876-9823") == 6
    edit(notice_dir / "notice.yml", "phone: (800) 876-9823", "phone: (212) 555-0100")
    after = render(load_notice(notice_dir)).text
    assert "(800) 876-9823" not in after
    assert after.count("(212) 555-0100") == 6


@pytest.mark.parametrize("literal", ["privacy@mettel.net", "876-9823"])
def test_no_section_or_macro_types_a_contact_point(literal: str):
    found = subprocess.run(
        ["grep", "-r", literal, "sections", "macros"], cwd=PROJECT, capture_output=True, text=True
    )
    assert found.returncode == 1, found.stdout  # grep: 1 means nothing found


def test_every_url_comes_from_notice_yml():
    for path in (PROJECT / "sections").glob("*.md"):
        assert not re.search(r"https?://", path.read_text(encoding="utf-8")), path.name
    rendered = render(load_notice(PROJECT))
    for name, value in rendered.notice.variables["urls"].items():
        assert rendered.variable_uses.get(f"urls.{name}", 0) >= 1, name
        assert value in rendered.html


def test_last_updated_is_rendered_from_notice_yml(notice_dir: Path):
    for path in (notice_dir / "sections").glob("*.md"):
        assert "Last updated" not in path.read_text(encoding="utf-8")
    edit(notice_dir / "notice.yml", "last_updated: 2022-11-11", "last_updated: 2023-02-01")
    text = render(load_notice(notice_dir)).text
    assert text.rstrip().endswith("Last updated: February 1, 2023")


def test_inserting_a_section_renumbers_those_after_it(notice_dir: Path):
    (notice_dir / "sections" / "new-rights.md").write_text(
        "---\nid: new-rights\ntitle: New Rights\n---\nA new paragraph.\n", encoding="utf-8"
    )
    edit(
        notice_dir / "notice.yml",
        "      - cpni-rights\n",
        "      - new-rights\n      - cpni-rights\n",
    )
    rendered = render(load_notice(notice_dir))
    assert rendered.section("new-rights").heading == "A. New Rights"
    assert rendered.section("cpni-rights").heading == "B. CPNI Rights"
    assert rendered.section("maine-privacy-rights").heading == "G. Maine Privacy Rights"
    assert rendered.section("changes-to-this-notice").heading.startswith("IV. ")
    assert 'id="cpni-rights"' in rendered.html  # the anchor does not move with the number


def test_formats_come_from_one_rendering(cli):
    markdown = cli("render", "--format", "markdown", "--root", str(PROJECT))
    html = cli("render", "--format", "html", "--root", str(PROJECT))
    assert markdown.code == 0 and html.code == 0
    assert "#### 1. Our Use of Cookies" in markdown.stdout
    assert "{{" not in markdown.stdout
    assert '<h3 id="cpni-rights" class="notice-heading">' in html.stdout
    assert "<li>Traditional Solutions" in html.stdout


def test_raw_html_in_a_section_is_refused_with_its_line(notice_dir: Path):
    path = notice_dir / "sections" / "introduction.md"
    before = path.read_text(encoding="utf-8")
    line = before.count("\n") + 2
    path.write_text(before + '\n<img src=x onerror="alert(2)">\n', encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        render(load_notice(notice_dir))
    message = "raw HTML is not allowed in a notice: write it in Markdown"
    assert str(raised.value) == f"sections/introduction.md:{line}: {message}"


def test_angle_brackets_written_as_text_are_escaped(notice_dir: Path):
    path = notice_dir / "sections" / "introduction.md"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\n\\<script>alert(1)\\</script> and a < b\n\n[a](javascript:alert(3))\n",
        encoding="utf-8",
    )
    rendered = render(load_notice(notice_dir))
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and a &lt; b" in rendered.html
    assert 'href="javascript:' not in rendered.html
    assert "<script>alert(1)</script> and a < b" in rendered.text


@pytest.mark.parametrize(
    ("pattern", "printed"),
    [
        ("%B %o %Y", "April 1st 2026"),
        ("%Y-%m-%d", "2026-04-01"),
        ("%^B-%Y", "APRIL-2026"),
        ("%B %Y", "April 2026"),
        ("%Y %b %-d", "2026 Apr 1"),
        ("%^B %-d, %Y", "APRIL 1, 2026"),
    ],
)
def test_date_formats_of_real_notices(pattern: str, printed: str):
    from datetime import date

    from notice.render.rendering import format_date

    assert format_date(date(2026, 4, 1), pattern) == printed
    assert format_date(date(2026, 4, 22), "%B %o") == "April 22nd"
    assert format_date(date(2026, 4, 13), "%o") == "13th"


def test_the_date_line_has_the_notices_own_wording_and_place(notice_dir: Path):
    edit(
        notice_dir / "notice.yml",
        "page_size:",
        "date_line: {text: 'Effective date: {date}.', position: top}\npage_size:",
    )
    rendered = render(load_notice(notice_dir))
    assert rendered.text.startswith("Effective date: November 11, 2022.\n\n")
    assert "Last updated" not in rendered.text
    assert rendered.html.startswith(
        '<p class="notice-last-updated">Effective date: '
        '<time datetime="2022-11-11">November 11, 2022</time>.</p>'
    )
    edit(notice_dir / "notice.yml", "position: top", "position: none")
    assert "November 11, 2022" not in render(load_notice(notice_dir)).text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{text: 'Updated'}", "date_line.text: 'Updated' is not valid. One line holding {date}"),
        ("{position: middle}", "date_line.position: 'middle' is not one of 'top', 'end', 'none'"),
        ("'Updated {date}'", "date_line: must be a mapping of keys"),
    ],
)
def test_a_bad_date_line_is_reported_with_its_line(notice_dir: Path, value: str, message: str):
    edit(notice_dir / "notice.yml", "page_size:", f"date_line: {value}\npage_size:")
    with pytest.raises(SourceError) as raised:
        load_notice(notice_dir)
    problem = raised.value.problems[0]
    assert problem.path == "notice.yml" and problem.line and message in problem.message
