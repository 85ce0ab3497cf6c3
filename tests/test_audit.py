"""`notice audit`: each commit judged by the ledger of its time; dates never go back."""

from __future__ import annotations

import json

from notice.versions.audit import audit
from notice.versions.history import RenderCache, read_history
from tests.conftest import assert_no_traceback, commit_all, edit, git
from tests.notice_versions import CHANGES, change_wording, commit_version, reflow, release


def test_a_clean_history_passes(notice_repo, cli):
    change_wording(notice_repo)
    commit_version(notice_repo, "2023-01-01", "Regularly.")
    reflow(notice_repo)
    commit_all(notice_repo, "reflow only")
    result = audit(notice_repo)
    assert result.ok and result.commits == 3
    cli_result = cli("audit", "--root", str(notice_repo))
    assert cli_result.code == 0 and "3 commit(s) audited, no findings" in cli_result.stderr


def test_drafting_before_a_release_is_not_a_violation(notice_repo):
    change_wording(notice_repo)
    commit_all(notice_repo, "draft edit 1")
    edit(notice_repo / CHANGES, "From time to time", "Now and then")
    commit_all(notice_repo, "draft edit 2")
    assert audit(notice_repo).ok


def test_an_edit_after_the_release_without_a_new_date_is_found(notice_repo, cli):
    release(notice_repo, "2022-11-11")
    commit_all(notice_repo, "release 2022-11-11")
    change_wording(notice_repo)
    culprit = commit_all(notice_repo, "sneaky edit")
    commit_version(notice_repo, "2023-01-01", "Dated at last.")
    result = audit(notice_repo)
    assert [(f.commit, f.kind) for f in result.findings] == [(culprit, "undated-change")]
    assert f"changes-to-this-notice ({CHANGES})" in result.findings[0].message
    cli_result = cli("audit", "--root", str(notice_repo))
    assert_no_traceback(cli_result)
    assert cli_result.code == 1
    assert cli_result.stderr.startswith(f"{culprit[:10]} (")
    data = json.loads(cli("audit", "--root", str(notice_repo), "--json").stdout)
    assert data["ok"] is False and data["findings"][0]["commit"] == culprit


def test_releasing_with_the_final_edit_in_one_commit_is_not_a_violation(notice_repo):
    change_wording(notice_repo)
    release(notice_repo, "2022-11-11")
    commit_all(notice_repo, "final edit and release")
    assert audit(notice_repo).ok


def test_a_date_that_went_backwards_is_found(notice_repo):
    change_wording(notice_repo)
    commit_version(notice_repo, "2023-03-01", "March.")
    edit(notice_repo / CHANGES, "From time to time", "Now and then")
    backwards = commit_version(notice_repo, "2023-02-01", "Backdated.")
    result = audit(notice_repo)
    assert [(f.commit, f.kind) for f in result.findings] == [(backwards, "date-backwards")]
    assert "2023-02-01 is earlier than the previous 2023-03-01" in result.findings[0].message


def test_a_broken_commit_is_skipped_and_the_next_compared_with_the_last_good(notice_repo):
    release(notice_repo, "2022-11-11")
    commit_all(notice_repo, "release")
    edit(notice_repo / CHANGES, "your rights.", "your rights. {{ nope }}")
    broken = commit_all(notice_repo, "broken")
    edit(notice_repo / CHANGES, " {{ nope }}", "")
    change_wording(notice_repo)
    culprit = commit_all(notice_repo, "fixed, but edited without a date")
    result = audit(notice_repo)
    assert [p.path for p in result.skipped] == [f"{broken[:10]}:{CHANGES}"]
    assert [f.commit for f in result.findings] == [culprit]


def test_every_distinct_tree_is_rendered_once(notice_repo):
    for _ in range(2):
        change_wording(notice_repo)
        commit_all(notice_repo, "regularly")
        change_wording(notice_repo, "regularly", "periodically")
        commit_all(notice_repo, "periodically again")
    assert len(git(notice_repo, "rev-list", "HEAD").split()) == 5
    cache = RenderCache()
    result = audit(notice_repo, cache=cache)
    assert result.commits == 5 and result.renders == cache.renders == 2
    assert read_history(notice_repo, cache=cache).renders == 0  # history reuses the renderings
