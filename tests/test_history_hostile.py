"""A commit whose notice no longer loads (issue 14, part 6) is skipped with a warning naming it:
it never breaks a later history, audit, verify or build."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import assert_no_traceback, commit_all, edit, run_notice, undocumented

CASES = {"history-bad-commit": "test_commits_that_no_longer_load_are_skipped_by_every_command"}
BAD_VALUES = ("company: !!int abc", "company: " + "7" * 5000, 'company: "Met\\aTel"')


def test_commits_that_no_longer_load_are_skipped_by_every_command(notice_repo: Path):
    (notice_repo / ".gitignore").write_text("site/\n.cache/\n")
    commit_all(notice_repo, "ignore outputs")
    broken = []
    for bad in BAD_VALUES:  # each committed, then fixed in the next commit
        edit(notice_repo / "notice.yml", "company: MetTel", bad)
        broken.append(commit_all(notice_repo, "a bad value"))
        edit(notice_repo / "notice.yml", bad, "company: MetTel")
    edit(notice_repo / "notice.yml", "summary: The", "summary: Fixed. The")
    commit_all(notice_repo, "fixed")
    for command in ("history", "audit", "verify", "build"):
        result = run_notice(command, "--root", str(notice_repo))
        assert_no_traceback(result)
        assert result.code == 0, (command, result.stderr)
        if command in ("history", "audit"):
            for commit in broken:
                assert f"{commit[:10]}:notice.yml:5: warning: " in result.stderr, result.stderr
    assert "Fixed. The MetTel" in run_notice("history", "--root", str(notice_repo)).stdout
    assert (notice_repo / "site" / "index.html").is_file()


def test_every_case_is_documented():
    assert undocumented(CASES) == []
