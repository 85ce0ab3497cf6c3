"""Redlines in document order: a split whose text keeps its order shows only its new headings
(measured on GitHub's real privacy statement), and difflib's junk heuristic is really off."""

from __future__ import annotations

from pathlib import Path

import pytest

from notice.importer import import_notice
from notice.model import RenderedNotice
from notice.render.rendering import render
from notice.source.load import load_notice
from notice.versions.redline import redline, word_ops
from notice.versions.redline_format import format_html, format_text
from notice.versions.variable_words import describe
from tests.conftest import edit
from tests.test_redline_restructure import assert_applies, visible_word_diff

GITHUB = Path(__file__).parent / "fixtures" / "github-privacy"
SHARE = "How we share the information we collect"
NEW_HEADINGS = [
    "With your consent",
    "With service providers",
    "For security purposes",
    "For legal disclosure",
    "Change in control or sale",
    "Aggregate, non-personally identifying information",
]


@pytest.fixture(scope="module")
def github_pair(tmp_path_factory) -> list[RenderedNotice]:
    versions = []
    for day in ("2019-11-13", "2019-12-20"):
        target = tmp_path_factory.mktemp("github") / day
        import_notice(GITHUB / f"github-privacy-statement-{day}.md", target)
        versions.append(render(load_notice(target)))
    return versions


def test_githubs_split_into_subsections_shows_the_new_headings_not_moved_text(github_pair):
    old, new = github_pair
    change = redline(old, new)
    sections = change.changed_sections
    marked = sum(s.words("insert") + s.words("delete") + s.words("moved-in") for s in sections)
    visible = visible_word_diff(old, new)
    assert marked <= 1.5 * visible, f"redline marks {marked} words, the visible change {visible}"
    assert not any(s.words("moved-in") or s.words("moved-out") for s in sections)
    added = {s.heading: s for s in sections if s.status == "added"}
    for heading in NEW_HEADINGS:
        assert added[heading].split_from == SHARE
        assert added[heading].words("insert") == 0  # its text kept its place
    share = next(s for s in sections if s.heading == SHARE)
    assert "split into 'With your consent'" in share.describe()
    assert share.words("insert") == 0 and share.words("delete") <= 21  # the bold lead-ins
    assert_applies(change)
    # the page shows the split sections' text as plain text, only the lead-ins struck through
    page = format_html(change, full=True)
    consent = page.split('id="changes-with-your-consent"')[1].split("</section>")[0]
    assert "We share your User Personal Information, if you consent" in consent
    assert "<ins" not in consent and "<del" not in consent
    assert "[>" not in format_text(change)  # nothing is called moved


def test_a_section_moved_elsewhere_is_moved_not_rewritten(notice_dir):
    before = render(load_notice(notice_dir))
    notice_yml = notice_dir / "notice.yml"
    text = notice_yml.read_text(encoding="utf-8")
    edit(notice_yml, "  - changes-to-this-notice\n", "")
    edit(notice_yml, "sections:\n", "sections:\n  - changes-to-this-notice\n")
    assert notice_yml.read_text(encoding="utf-8") != text
    change = redline(before, render(load_notice(notice_dir)))
    [moved] = change.changed_sections
    assert moved.id == "changes-to-this-notice" and moved.moved and not moved.text_changed
    assert moved.words("insert") == moved.words("delete") == 0


def _long_repetitive_text() -> str:
    clause = "We may share the data with the service providers we use for the service. "
    return "".join(f"{clause}Clause {n} applies to the data. " for n in range(40))


def test_one_changed_word_in_a_long_section_is_one_word():
    old = _long_repetitive_text()
    assert len(old.split()) > 200
    new = old.replace("Clause 17 applies", "Clause 17 governs", 1)
    ops = [op for op in word_ops(old, new) if op.tag != "equal"]
    assert [(op.old.strip(), op.new.strip()) for op in ops] == [("applies", "governs")]


def test_one_changed_word_in_a_long_section_of_a_notice_is_one_word(notice_dir):
    intro = notice_dir / "sections" / "introduction.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\n" + _long_repetitive_text() + "\n")
    before = render(load_notice(notice_dir))
    edit(intro, "Clause 17 applies", "Clause 17 governs")
    [section] = redline(before, render(load_notice(notice_dir))).changed_sections
    assert (section.words("insert"), section.words("delete")) == (1, 1)


def test_the_public_page_says_a_variable_change_in_words_editors_keep_the_name(notice_dir):
    before = render(load_notice(notice_dir))
    edit(notice_dir / "notice.yml", "privacy@mettel.net", "privacy@example.com")
    edit(notice_dir / "notice.yml", "http://www.aboutads.info/choices/", "https://aboutads.info/")
    change = redline(before, render(load_notice(notice_dir)))
    page = format_html(change, full=True)
    assert "The e-mail address changed from privacy@mettel.net to privacy@example.com" in page
    assert "(6 places in the notice)" in page
    assert "contact.email" not in page and "urls.aboutads" not in page
    assert "changed from http://www.aboutads.info/choices/ to https://aboutads.info/" in page
    assert "contact.email: privacy@mettel.net → privacy@example.com, 6 places" in format_text(
        change
    )


def test_machine_made_variable_names_never_reach_the_reader():
    sentence = describe(
        "urls.backpack_help_289_can_i_export_my_data_o", "https://a", "https://b", 1
    )
    assert sentence == "A web address changed from https://a to https://b."
    assert describe("contact.privacy_email", "a@x", "b@x", 2) == (
        "The privacy e-mail address changed from a@x to b@x (2 places in the notice)."
    )


def test_two_sections_merged_in_order_mark_no_word(notice_dir):
    before = render(load_notice(notice_dir))
    sections = notice_dir / "sections"
    maine = (sections / "maine-privacy-rights.md").read_text(encoding="utf-8")
    body = maine.split("\n---\n", 1)[1]
    nevada = sections / "nevada-privacy-rights.md"
    nevada.write_text(nevada.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + body)
    (sections / "maine-privacy-rights.md").unlink()
    edit(notice_dir / "notice.yml", "      - maine-privacy-rights\n", "")
    change = redline(before, render(load_notice(notice_dir)))
    by_id = {s.id: s for s in change.changed_sections}
    assert by_id["maine-privacy-rights"].merged_into == by_id["nevada-privacy-rights"].heading
    assert by_id["nevada-privacy-rights"].carried("carried-in") > 20
    assert sum(s.words("insert") + s.words("delete") for s in change.sections) == 0
    assert "[-" not in format_text(change) and "{+" not in format_text(change)
    assert_applies(change)
