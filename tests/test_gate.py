"""`check --base`: the "last updated" rules, judged on rendered text against a real git base."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from notice.check import check_source
from notice.errors import Severity
from notice.versions.gate import check_against_base, year_before
from notice.versions.history import snapshot
from tests.conftest import assert_no_traceback, commit_all, edit, git, is_coverage_gap
from tests.notice_versions import CHANGES, change_wording, line_of, reflow, release, set_date

TODAY = date(2023, 6, 1)


@pytest.fixture
def released_repo(notice_repo: Path) -> Path:
    """The MetTel notice with its 2022-11-11 version recorded in the ledger."""
    release(notice_repo, "2022-11-11")
    commit_all(notice_repo, "release 2022-11-11")
    return notice_repo


def gate(root: Path, base: str = "HEAD", today: date = TODAY) -> list:
    """Every problem of the working tree checked against base, as `notice check --base` does."""
    rendered, problems = check_source(root, today=today)
    assert rendered is not None, problems
    problems = [p for p in problems if not is_coverage_gap(p.message)]  # the notice's, not ours
    return problems + check_against_base(root, rendered, base, today)


def errors(problems: list) -> list:
    return [p for p in problems if p.severity is Severity.ERROR]


def date_line(root: Path) -> int:
    return line_of(root / "notice.yml", "last_updated:")


def test_a_reflowed_paragraph_and_a_renamed_file_need_no_date(released_repo):
    reflow(released_repo)
    git(released_repo, "mv", CHANGES, "sections/99-changes.md")
    assert (released_repo / "sections/99-changes.md").read_text().count("\n") > 8
    before, after = snapshot(released_repo, "HEAD"), snapshot(released_repo, "WORKTREE")
    assert before.rendered.fingerprint != after.rendered.fingerprint  # the line breaks moved
    assert gate(released_repo) == []


def test_a_content_change_without_a_new_date_fails_naming_the_section(released_repo, cli):
    change_wording(released_repo)
    problems = gate(released_repo)
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.path, problem.line) == ("notice.yml", date_line(released_repo))
    assert f"changes-to-this-notice ({CHANGES})" in problem.message
    assert "still 2022-11-11, a released version" in problem.message
    result = cli("check", "--root", str(released_repo), "--base", "HEAD", "--today", "2023-06-01")
    assert_no_traceback(result)
    assert result.code == 1
    assert f"notice.yml:{date_line(released_repo)}: the rendered text changed in" in result.stderr


def test_a_new_date_and_summary_make_the_change_pass(released_repo):
    change_wording(released_repo)
    set_date(released_repo, "2023-05-01", "Says 'regularly'.")
    assert gate(released_repo) == []


def test_a_variable_used_six_times_is_one_change_needing_one_date(released_repo):
    edit(released_repo / "notice.yml", "privacy@mettel.net", "privacy@example.com")
    problems = gate(released_repo)
    assert len(problems) == 1
    message = problems[0].message
    assert "contact.email: privacy@mettel.net → privacy@example.com, 6 places" in message
    for section in ("cpni-rights", "fcra-rights", "california-privacy-rights"):
        assert f"{section} (sections/{section}.md)" in message
    set_date(released_repo, "2023-05-01", "New privacy contact.")
    assert gate(released_repo) == []


def test_an_unreleased_base_may_carry_more_changes_until_the_ledger_lists_it(notice_repo):
    change_wording(notice_repo)
    assert gate(notice_repo) == []  # no ledger: 2022-11-11 is still a draft
    commit_all(notice_repo, "more drafting")
    release(notice_repo, "2021-01-01")  # another version released: this one still a draft
    commit_all(notice_repo, "ledger without this version")
    edit(notice_repo / CHANGES, "From time to time", "Now and then")
    assert gate(notice_repo) == []
    release(notice_repo, "2021-01-01", "2022-11-11")
    commit_all(notice_repo, "release 2022-11-11 with that last edit")
    edit(notice_repo / CHANGES, "Now and then", "Sometimes")
    problems = errors(gate(notice_repo))
    assert len(problems) == 1 and "a released version" in problems[0].message


def test_releasing_in_the_same_change_is_judged_by_the_base_ledger(notice_repo):
    change_wording(notice_repo)
    release(notice_repo, "2022-11-11")  # finishing the draft and releasing it together
    assert gate(notice_repo) == []


def test_a_date_change_alone_is_a_warning_and_strict_fails(released_repo, cli):
    set_date(released_repo, "2023-05-01", "Nothing really changed.")
    problems = gate(released_repo)
    assert [p.severity for p in problems] == [Severity.WARNING]
    assert "the rendered text did not change" in problems[0].message
    args = ("check", "--root", str(released_repo), "--base", "HEAD", "--today", "2023-06-01")
    assert cli(*args).code == 0
    strict = cli(*args, "--strict")
    assert_no_traceback(strict)
    assert strict.code == 1 and "the rendered text did not change" in strict.stderr


def test_a_date_moved_backwards_fails(released_repo):
    change_wording(released_repo)
    set_date(released_repo, "2022-10-01", "Backdated.")
    problems = errors(gate(released_repo))
    assert [p.line for p in problems] == [date_line(released_repo)]
    assert "earlier than the previous 2022-11-11" in problems[0].message


def test_a_future_date_fails(released_repo):
    change_wording(released_repo)
    set_date(released_repo, "2023-06-02", "Tomorrow's version.")
    problems = errors(gate(released_repo, today=date(2023, 6, 1)))
    assert len(problems) == 1 and "in the future (today is 2023-06-01)" in problems[0].message
    assert errors(gate(released_repo, today=date(2023, 6, 2))) == []


def test_a_new_date_with_an_unchanged_summary_fails(released_repo):
    change_wording(released_repo)
    set_date(released_repo, "2023-05-01")
    problems = errors(gate(released_repo))
    assert len(problems) == 1
    assert problems[0].line == line_of(released_repo / "notice.yml", "summary:")
    assert "summary: unchanged although last_updated changed" in problems[0].message


def test_more_than_twelve_months_warns_citing_california_and_strict_fails(released_repo, cli):
    late = gate(released_repo, today=date(2023, 11, 12))
    assert [p.severity for p in late] == [Severity.WARNING]
    assert "Civ. Code §1798.130(a)(5)" in late[0].message
    assert gate(released_repo, today=date(2023, 11, 11)) == []  # exactly 12 months is fine
    args = ("check", "--root", str(released_repo), "--base", "HEAD", "--today", "2024-01-01")
    result = cli(*args)
    assert result.code == 0 and "§1798.130(a)(5)" in result.stderr
    assert cli(*args, "--strict").code == 1


def test_year_before_a_leap_day():
    assert year_before(date(2024, 2, 29)) == date(2023, 2, 28)


def test_moved_and_retitled_sections_are_changes(released_repo):
    notice_yml = released_repo / "notice.yml"
    edit(notice_yml, "      - maine-privacy-rights\n", "")
    edit(notice_yml, "      - cpni-rights\n", "      - maine-privacy-rights\n      - cpni-rights\n")
    problems = gate(released_repo)
    assert "maine-privacy-rights (sections/maine-privacy-rights.md)" in problems[0].message
    git(released_repo, "checkout", "-q", "--", "notice.yml")
    edit(released_repo / CHANGES, "title: CHANGES TO", "title: UPDATES TO")
    assert "changes-to-this-notice" in gate(released_repo)[0].message


def test_a_change_of_numbering_style_is_a_change(released_repo):
    edit(released_repo / "notice.yml", "[upper-roman, upper-alpha, decimal]", "[decimal]")
    problems = gate(released_repo)
    assert len(problems) == 1 and "the heading numbers" in problems[0].message


def test_base_can_be_a_branch_or_tag(released_repo):
    git(released_repo, "tag", "published")
    change_wording(released_repo)
    commit_all(released_repo, "unreleased edit on main")
    problems = gate(released_repo, base="published")
    assert len(problems) == 1 and "changes-to-this-notice" in problems[0].message
    assert gate(released_repo, base="HEAD") == []


def test_an_unknown_base_is_named(released_repo, cli):
    result = cli("check", "--root", str(released_repo), "--base", "origin/nope")
    assert_no_traceback(result)
    assert result.code == 2 and "'origin/nope' is not a commit" in result.stderr


def test_a_broken_working_tree_reports_its_problems_without_comparing(released_repo, cli):
    edit(released_repo / CHANGES, "your rights.", "your rights. {{ contact.fax }}")
    result = cli("check", "--root", str(released_repo), "--base", "HEAD", "--today", "2023-06-01")
    assert_no_traceback(result)
    assert result.code == 1
    assert "'contact.fax' is undefined" in result.stderr
    assert "last_updated" not in result.stderr
