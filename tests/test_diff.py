"""Redlines: sections by id, word-level changes, variables once; text, Markdown and HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from notice.model import RenderedNotice
from notice.render.rendering import render
from notice.source.load import load_notice
from notice.versions.redline import apply_ops, comparable, redline, tokenize, word_ops
from notice.versions.redline_format import format_html, format_markdown, format_text
from tests.conftest import assert_no_traceback, commit_all, edit
from tests.notice_versions import CHANGES, change_wording, reflow, set_date


def rendered(root: Path) -> RenderedNotice:
    return render(load_notice(root))


def changed_ops(section) -> list:
    return [op for op in section.ops if op.tag != "equal"]


def assert_applies(change) -> None:
    for section in change.sections:
        old = section.old.text if section.old else ""
        new = section.new.text if section.new else ""
        assert apply_ops(old, section.ops) == new


def test_a_one_word_change_marks_exactly_that_word(notice_dir):
    before = rendered(notice_dir)
    change_wording(notice_dir)
    change = redline(before, rendered(notice_dir))
    [section] = change.changed_sections
    assert section.id == "changes-to-this-notice"
    [op] = changed_ops(section)
    assert (op.tag, op.old.strip(), op.new.strip()) == ("replace", "periodically", "regularly")
    assert (section.words("insert"), section.words("delete")) == (1, 1)
    text = format_text(change)
    assert re.findall(r"\[-.*?-\]|\{\+.*?\+\}", text) == ["[-periodically-]", "{+regularly+}"]
    assert "page [-periodically-]{+regularly+} to remain" in text
    markdown = format_markdown(change)
    assert re.findall(r"<(?:ins|del)>.*?</(?:ins|del)>", markdown) == [
        "<del>periodically</del>",
        "<ins>regularly</ins>",
    ]
    assert "<del>periodically</del><ins>regularly</ins>" in format_html(change)
    assert_applies(change)


def test_a_reflowed_paragraph_is_no_change(notice_dir):
    before = rendered(notice_dir)
    reflow(notice_dir)
    after = rendered(notice_dir)
    assert (
        before.section("changes-to-this-notice").text
        != after.section("changes-to-this-notice").text
    )
    change = redline(before, after)
    assert change.changed_sections == ()
    assert "No change to the rendered text." in format_text(change)
    assert_applies(change)  # the new line breaks still come out exactly


def test_a_moved_section_is_reported_as_moved(notice_dir):
    before = rendered(notice_dir)
    notice_yml = notice_dir / "notice.yml"
    edit(notice_yml, "      - maine-privacy-rights\n", "")
    edit(notice_yml, "      - cpni-rights\n", "      - maine-privacy-rights\n      - cpni-rights\n")
    change = redline(before, rendered(notice_dir))
    [moved] = change.changed_sections
    assert moved.id == "maine-privacy-rights" and moved.moved
    assert not moved.text_changed and not moved.retitled
    assert moved.describe() == "moved (new position under your-rights)"
    assert "| F. Maine Privacy Rights" not in format_markdown(change)
    assert "| A. Maine Privacy Rights | `sections/maine-privacy-rights.md` | moved" in (
        format_markdown(change)
    )


def test_a_section_moved_to_another_parent(notice_dir):
    before = rendered(notice_dir)
    notice_yml = notice_dir / "notice.yml"
    edit(notice_yml, "      - cookie-rights\n", "")
    edit(
        notice_yml,
        "  - changes-to-this-notice\n",
        "  - cookie-rights\n  - changes-to-this-notice\n",
    )
    change = redline(before, rendered(notice_dir))
    [moved] = change.changed_sections
    assert moved.id == "cookie-rights"
    assert moved.describe() == "moved (under your-rights → at the top level)"


def test_added_removed_and_retitled_sections(notice_dir):
    before = rendered(notice_dir)
    notice_yml = notice_dir / "notice.yml"
    edit(notice_yml, "  - changes-to-this-notice\n", "  - children\n  - changes-to-this-notice\n")
    (notice_dir / "sections" / "children.md").write_text(
        "---\nid: children\ntitle: Children\n---\nWe do not knowingly collect data of children.\n"
    )
    edit(notice_yml, "      - maine-privacy-rights\n", "")
    (notice_dir / "sections" / "maine-privacy-rights.md").unlink()
    edit(notice_dir / CHANGES, "title: CHANGES TO THIS", "title: UPDATES TO THIS")
    change = redline(before, rendered(notice_dir))
    kinds = {s.id: s.describe() for s in change.changed_sections}
    assert kinds == {
        "maine-privacy-rights": "removed",
        "children": "added",
        "changes-to-this-notice": (
            "retitled: 'CHANGES TO THIS PRIVACY NOTICE' → 'UPDATES TO THIS PRIVACY NOTICE'"
        ),
    }
    order = [s.id for s in change.sections]
    assert order.index("nevada-privacy-rights") + 1 == order.index("maine-privacy-rights")
    assert order[-2:] == ["children", "changes-to-this-notice"]
    added = next(s for s in change.sections if s.id == "children")
    assert changed_ops(added)[0].new.startswith("We do not knowingly")
    text = format_text(change)
    assert "{+We do not knowingly collect data of children.+}" in text
    assert "[-Maine residents may" in text
    assert_applies(change)


def test_a_variable_change_is_reported_once(notice_dir):
    before = rendered(notice_dir)
    edit(notice_dir / "notice.yml", "privacy@mettel.net", "privacy@example.com")
    change = redline(before, rendered(notice_dir))
    assert [str(v) for v in change.variables] == [
        "contact.email: privacy@mettel.net → privacy@example.com, 6 places"
    ]
    markdown = format_markdown(change)
    assert markdown.count("6 places") == 1
    assert markdown.count("<ins>privacy@\u2060example.com</ins>") == 6  # no e-mail autolink
    assert_applies(change)


def test_metadata_changes_head_the_redline(notice_dir):
    before = rendered(notice_dir)
    set_date(notice_dir, "2023-01-01", "New | summary")
    change = redline(before, rendered(notice_dir))
    assert [m.name for m in change.metadata] == ["last_updated", "effective", "summary"]
    markdown = format_markdown(change)
    assert "| Last updated | 2022-11-11 | 2023-01-01 |" in markdown
    assert r"New \| summary" in markdown  # a pipe cannot break the table


def test_html_and_markdown_are_escaped(notice_dir):
    before = rendered(notice_dir)
    edit(notice_dir / CHANGES, "periodically", r"\<script>alert(1)\</script> \*now\* \[x\](y)")
    after = rendered(notice_dir)
    assert "<script>alert(1)</script> *now* [x](y)" in after.text
    change = redline(before, after)
    html = format_html(change)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    shown = MarkdownIt("commonmark").render(format_markdown(change))
    assert "<script>" not in shown and "<em>now" not in shown and "<a " not in shown
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt; *now* [x](y)</ins>" in shown


def test_apply_refuses_a_redline_made_from_another_text():
    ops = word_ops("one two three", "one 2 three")
    assert apply_ops("one two three", ops) == "one 2 three"
    with pytest.raises(ValueError, match="does not apply"):
        apply_ops("one too three", ops)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("", "fresh words"),
        ("gone words", ""),
        ("a b\n\nc d", "a b c d"),
        ("  lead\nwrapped line", "lead wrapped\nline"),
        ("- item one\n\n- item two", "- item one\n\n- item 1.5\n\n- item two"),
    ],
)
def test_word_ops_round_trip(old, new):
    assert apply_ops(old, word_ops(old, new)) == new


def test_tokens_keep_paragraph_breaks_and_ignore_wrapping():
    assert tokenize("a b\n\nc") == ["a ", "b", "\n\n", "c"]
    assert comparable("a\nb\n\nc") == comparable("a b\n\n  c") == ("a", "b", "\u00b6", "c")


def test_diff_cli_defaults_to_head_against_the_working_tree(notice_repo, cli):
    change_wording(notice_repo)
    result = cli("diff", "--root", str(notice_repo))
    assert_no_traceback(result)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("Redline: HEAD (")
    assert "[-periodically-]{+regularly+}" in result.stdout


def test_diff_cli_by_version_dates(notice_repo, cli):
    change_wording(notice_repo)
    set_date(notice_repo, "2023-01-01", "Regularly.")
    commit_all(notice_repo, "2023-01-01")
    result = cli("diff", "2022-11-11", "2023-01-01", "--root", str(notice_repo), "--format", "html")
    assert result.code == 0, result.stderr
    assert "<del>periodically</del><ins>regularly</ins>" in result.stdout
    result = cli("diff", "1999-01-01", "--root", str(notice_repo))
    assert_no_traceback(result)
    assert result.code == 2
    assert (
        "no version dated 1999-01-01 in the history (versions: 2022-11-11, 2023-01-01)"
        in result.stderr
    )


def test_diff_cli_json_for_scripts(notice_repo, cli):
    change_wording(notice_repo)
    edit(notice_repo / "notice.yml", "email: privacy@mettel.net", "email: optout@mettel.net")
    result = cli("diff", "--root", str(notice_repo), "--json")
    assert result.code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["content_changed"] is True
    assert record["variables"] == [
        {
            "name": "contact.email",
            "old": "privacy@mettel.net",
            "new": "optout@mettel.net",
            "places": 6,
        }
    ]
    changes = next(s for s in record["sections"] if s["path"] == CHANGES)["changes"]
    assert {"tag": "replace", "old": "periodically ", "new": "regularly "} in changes


def test_one_changed_word_in_a_repetitive_section_is_one_word():
    # difflib's autojunk took the repeated words for junk (it was switched off after the matcher
    # was built, which has no effect): 585 words were shown replaced for this one.
    old = " ".join(f"the clause {i % 7} applies" for i in range(150))
    new = old.replace("clause 3 applies", "clause 3 governs", 1)
    changed = [op for op in word_ops(old, new) if op.tag != "equal"]
    assert [(op.tag, op.old.strip(), op.new.strip()) for op in changed] == [
        ("replace", "applies", "governs")
    ]
