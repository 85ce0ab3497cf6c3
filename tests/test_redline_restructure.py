"""Redlines that survive restructuring: content matching, moved text, splits, one-line summaries;
measured on real consecutive versions of Basecamp's privacy policy against a visible word diff."""

from __future__ import annotations

import json
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from notice.model import RenderedNotice
from notice.render.rendering import render
from notice.source.load import load_notice
from notice.versions.redline import PARAGRAPH, Redline, apply_ops, comparable, redline
from notice.versions.redline_format import format_html, format_json, format_markdown, format_text
from tests.conftest import edit

BASECAMP = Path(__file__).parent / "fixtures" / "real" / "history" / "basecamp"
SECTIONS = Path("sections")


def rendered(root: Path) -> RenderedNotice:
    return render(load_notice(root))


def assert_applies(change: Redline) -> None:
    for section in change.sections:
        old = section.old.text if section.old else ""
        new = section.new.text if section.new else ""
        assert apply_ops(old, section.ops) == new


def rename_section(root: Path, old_id: str, new_id: str, new_title: str | None = None) -> None:
    """A section's id (file, front matter, tree) changed, as a re-import would do it."""
    source = root / SECTIONS / f"{old_id}.md"
    text = source.read_text(encoding="utf-8").replace(f"id: {old_id}\n", f"id: {new_id}\n", 1)
    if new_title:
        text = "\n".join(
            f"title: {new_title}" if line.startswith("title:") else line
            for line in text.split("\n")
        )
    source.unlink()
    (root / SECTIONS / f"{new_id}.md").write_text(text, encoding="utf-8")
    edit(root / "notice.yml", f"- {old_id}\n", f"- {new_id}\n")


def test_a_reworded_heading_with_a_new_id_is_a_retitle(notice_dir):
    before = rendered(notice_dir)
    rename_section(notice_dir, "fcra-rights", "credit-reporting-rights", "Credit Reporting Rights")
    change = redline(before, rendered(notice_dir))
    [section] = change.changed_sections
    assert section.status == "kept" and section.retitled and not section.text_changed
    assert section.id == "credit-reporting-rights" and section.old_id == "fcra-rights"
    assert section.describe() == (
        "retitled: 'FCRA Rights' → 'Credit Reporting Rights'; matched by content (was fcra-rights)"
    )
    assert_applies(change)


def _paragraph(root: Path, section_id: str, starts: str) -> str:
    body = (root / SECTIONS / f"{section_id}.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    return next(p for p in body.split("\n\n") if p.startswith(starts))


def prepend_body(path: Path, paragraph: str) -> None:
    """paragraph as the first of the body, right after the front matter."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    path.write_text(f"---\n{front}---\n{paragraph}\n\n{body.lstrip()}", encoding="utf-8")


def test_text_moved_to_another_section_is_shown_as_moved(notice_dir):
    before = rendered(notice_dir)
    moved = _paragraph(notice_dir, "cpni-rights", "The Customer Proprietary")
    edit(notice_dir / SECTIONS / "cpni-rights.md", moved + "\n\n", "")
    prepend_body(notice_dir / SECTIONS / "fcra-rights.md", moved)
    change = redline(before, rendered(notice_dir))
    by_id = {s.id: s for s in change.changed_sections}
    words = len([k for k in comparable(moved) if k != PARAGRAPH])
    assert by_id["cpni-rights"].words("moved-out") == words
    assert by_id["fcra-rights"].words("moved-in") == words
    assert sum(s.words("insert") + s.words("delete") for s in change.sections) == 0
    assert by_id["fcra-rights"].describe() == f"{words} words moved from 'A. CPNI Rights'"
    assert "[>The Customer Proprietary" in format_text(change)
    assert '<ins class="moved">The Customer Proprietary' in format_html(change)
    assert '<del class="moved">The Customer Proprietary' in format_markdown(change)
    record = json.loads(format_json(change))
    tags = {c["tag"] for s in record["sections"] for c in s["changes"]}
    assert tags == {"moved-out", "moved-in"}
    assert_applies(change)


def test_a_paragraph_made_its_own_section_is_a_split(notice_dir):
    before = rendered(notice_dir)
    moved = _paragraph(notice_dir, "cpni-rights", "The Customer Proprietary")
    edit(notice_dir / SECTIONS / "cpni-rights.md", moved + "\n\n", "")
    (notice_dir / SECTIONS / "cpni-mandate.md").write_text(
        f"---\nid: cpni-mandate\ntitle: The CPNI Mandate\n---\n{moved}\n", encoding="utf-8"
    )
    edit(
        notice_dir / "notice.yml",
        "      - cpni-rights\n",
        "      - cpni-mandate\n      - cpni-rights\n",
    )
    change = redline(before, rendered(notice_dir))
    added = next(s for s in change.changed_sections if s.id == "cpni-mandate")
    assert added.status == "added" and added.split_from == "B. CPNI Rights"
    assert added.describe() == "added; split from 'B. CPNI Rights'"
    assert added.words("insert") == 0
    assert change.structure == (
        "6 headings renumbered: A. → B., B. → C., C. → D., D. → E., E. → F., F. → G.",
    )
    assert_applies(change)


def test_heading_levels_and_numbers_are_summarised_in_one_line_each(notice_dir):
    before = rendered(notice_dir)
    yml = notice_dir / "notice.yml"
    edit(yml, "  - id: your-rights\n    sections:\n", "  - your-rights\n")
    for child in ("cpni-rights", "fcra-rights", "cookie-rights", "california-privacy-rights",
                  "nevada-privacy-rights", "maine-privacy-rights"):  # fmt: skip
        edit(yml, f"      - {child}\n", f"  - {child}\n")
    change = redline(before, rendered(notice_dir))
    assert change.structure == (
        "7 headings renumbered: A. → IV., B. → V., C. → VI., D. → VII., E. → VIII., F. → IX."
        " and 1 more",
        "6 headings moved one level up",
    )
    assert change.changed_sections == ()
    text = format_text(change)
    assert "Structure: 6 headings moved one level up" in text
    assert "No change to the rendered text." not in text
    assert change.content_changed


# --- real pairs: Basecamp's consecutive versions, each imported on its own ----------------------


def visible_word_diff(old: RenderedNotice, new: RenderedNotice) -> int:
    """Words a plain diff of the visible text marks (inserted + deleted)."""
    first = [k for k in comparable(old.text) if k != PARAGRAPH]
    second = [k for k in comparable(new.text) if k != PARAGRAPH]
    matcher = SequenceMatcher(None, first, second, autojunk=False)
    return sum(
        (i2 - i1) + (j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def marked_words(change: Redline) -> int:
    """Words the redline marks as inserted or deleted (moved text is marked as moved)."""
    return sum(s.words("insert") + s.words("delete") for s in change.changed_sections)


@pytest.fixture(scope="module")
def basecamp_versions(tmp_path_factory) -> list[RenderedNotice]:
    from notice.importer import import_notice

    versions = []
    for path in sorted(BASECAMP.glob("0*.md")):
        target = tmp_path_factory.mktemp("basecamp") / path.stem
        # the first version states no date: its commit's year stands in, as a history import does
        import_notice(path, target, fallback_date=(date(2018, 1, 1), "commit"))
        versions.append(rendered(target))
    return versions


# (pair, words the redline marks, words a visible word diff marks), as measured on the fixture
# when written; the figures follow the importer, the bound (ratio <= 1.5) is the rule.
REAL_PAIRS = [
    (0, 546, 569),
    (1, 117, 121),
    (2, 2103, 2139),
    (3, 440, 453),
    (4, 224, 368),
    (5, 3163, 3267),
    (6, 647, 658),
]


@pytest.mark.slow
@pytest.mark.parametrize(("index", "words", "plain"), REAL_PAIRS)
def test_real_redlines_mark_about_what_a_word_diff_marks(basecamp_versions, index, words, plain):
    old, new = basecamp_versions[index], basecamp_versions[index + 1]
    change = redline(old, new)
    marked, diffed = marked_words(change), visible_word_diff(old, new)
    figures = f"redline {marked} vs word diff {diffed} (measured {words} vs {plain})"
    assert 0.5 * diffed <= marked <= 1.5 * diffed, figures
    assert_applies(change)
