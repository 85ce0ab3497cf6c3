"""Versions from real git histories: read from commit trees, never a checkout, each tree once."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from notice.source.gittree import (
    EmptyRepository,
    GitTree,
    NotAGitRepository,
    ShallowClone,
    UnknownRef,
    open_repository,
    resolve_commit,
)
from notice.versions.history import RenderCache, load_history, read_history, snapshot, version_on
from tests.conftest import assert_no_traceback, commit_all, copy_notice, edit, git
from tests.notice_versions import CHANGES, change_wording, commit_version, set_date


@pytest.fixture
def three_versions(notice_repo: Path) -> tuple[Path, dict[str, str]]:
    """2022-11-11; 2023-01-10 drafted over two commits; 2023-06-01."""
    shas = {"v1": git(notice_repo, "rev-parse", "HEAD")}
    shas["draft1"] = commit_version(notice_repo, "2023-01-10", "Clearer opt-out wording.")
    change_wording(notice_repo)
    shas["draft2"] = commit_all(notice_repo, "finish the 2023-01-10 draft")
    (notice_repo / "README.md").write_text("not part of the notice\n")
    commit_all(notice_repo, "readme only")
    edit(notice_repo / CHANGES, "From time to time", "Now and then")
    shas["v3"] = commit_version(notice_repo, "2023-06-01", "Plainer words.")
    return notice_repo, shas


def test_versions_with_dates_first_commit_and_last_rendering(three_versions):
    repo, shas = three_versions
    history = read_history(repo)
    assert [v.last_updated for v in history.versions] == [
        date(2022, 11, 11),
        date(2023, 1, 10),
        date(2023, 6, 1),
    ]
    drafted = history.versions[1]
    assert drafted.first_commit == shas["draft1"]
    assert drafted.last_commit == shas["draft2"]
    assert drafted.summary == "Clearer opt-out wording."
    assert drafted.effective == date(2023, 1, 10)
    assert "regularly" in drafted.rendered.text  # the last commit of the date is the version
    assert "periodically" in history.versions[0].rendered.text
    assert "Now and then" in history.versions[2].rendered.text
    assert history.commits == 4  # the readme-only commit does not touch the notice
    assert history.skipped == ()


def test_each_commit_tree_is_rendered_once_and_its_revisions_listed(three_versions):
    repo, shas = three_versions
    cache = RenderCache()
    history = read_history(repo, cache=cache)
    assert history.commits == 4
    assert history.renders == 4  # every commit is a possible revision of its date
    assert read_history(repo, cache=cache).renders == 0
    drafted = history.versions[1]
    assert [r.commit for r in drafted.revisions] == [shas["draft1"], shas["draft2"]]
    assert not any(r.released for v in history.versions for r in v.revisions)  # no ledger


def test_identical_trees_are_rendered_once(notice_repo):
    first = resolve_commit(open_repository(notice_repo))
    change_wording(notice_repo)
    changed = commit_all(notice_repo, "change")
    change_wording(notice_repo, "regularly", "periodically")
    reverted = commit_all(notice_repo, "revert the change")
    (notice_repo / "README.md").write_text("hello\n")
    readme = commit_all(notice_repo, "readme")
    repo = open_repository(notice_repo)
    cache = RenderCache()
    renderings = [
        cache.render(GitTree(repo.repo.commit(sha)))
        for sha in (first.hexsha, changed, reverted, readme)
    ]
    assert cache.renders == 2
    assert renderings[0] is renderings[2] is renderings[3]
    assert renderings[1].fingerprint != renderings[0].fingerprint


def test_effective_date_and_version_on(notice_repo):
    edit(notice_repo / "notice.yml", "last_updated: 2022-11-11", "last_updated: 2023-03-01")
    edit(notice_repo / "notice.yml", "page_size:", "effective: 2023-04-01\npage_size:")
    change_wording(notice_repo)
    set_date(notice_repo, "2023-03-01", "Applies from April.")
    commit_all(notice_repo, "announce")
    versions = load_history(notice_repo)
    assert versions[1].effective == date(2023, 4, 1)
    assert version_on(versions, date(2023, 3, 15)) is versions[0]
    assert version_on(versions, date(2023, 4, 1)) is versions[1]
    assert version_on(versions, date(2020, 1, 1)) is None


def test_history_follows_first_parents_only(notice_repo):
    git(notice_repo, "checkout", "-q", "-b", "draft")
    change_wording(notice_repo)
    branch_commit = commit_version(notice_repo, "2023-02-01", "Drafted on a branch.")
    git(notice_repo, "checkout", "-q", "main")
    git(notice_repo, "merge", "-q", "--no-ff", "-m", "merge the draft", "draft")
    merge = git(notice_repo, "rev-parse", "HEAD")
    versions = load_history(notice_repo)
    assert [v.last_updated for v in versions] == [date(2022, 11, 11), date(2023, 2, 1)]
    assert versions[1].first_commit == merge != branch_commit


def test_reading_history_never_touches_the_working_tree(three_versions):
    repo, _ = three_versions
    edit(repo / CHANGES, "Now and then", "Uncommitted wording")
    status = git(repo, "status", "--porcelain")
    versions = load_history(repo)
    assert "Uncommitted wording" not in versions[-1].rendered.text
    assert "Uncommitted wording" in (repo / CHANGES).read_text()
    assert git(repo, "status", "--porcelain") == status


def test_notice_in_a_subfolder_of_the_repository(tmp_path):
    repo = tmp_path / "company"
    notice = copy_notice(repo / "legal" / "privacy")
    (repo / "app.py").write_text("print('unrelated')\n")
    git(repo, "init", "-q")
    commit_all(repo, "first")
    commit_version(notice, "2023-05-05", "From a subfolder.")
    (repo / "app.py").write_text("print('still unrelated')\n")
    commit_all(repo, "app only")
    history = read_history(notice)
    assert [v.summary for v in history.versions][-1] == "From a subfolder."
    assert history.commits == 2
    assert open_repository(notice).prefix == "legal/privacy"


def test_git_tree_reads_blobs_of_a_commit(notice_repo):
    repo = open_repository(notice_repo)
    tree = GitTree(resolve_commit(repo))
    change_wording(notice_repo)  # the working tree differs; the commit does not
    assert "periodically" in tree.read_text(CHANGES)
    assert CHANGES in tree.list_files("sections", ".md")
    assert tree.list_files("nowhere", ".md") == []
    assert tree.exists("notice.yml") and not tree.exists("archive/ledger.json")
    with pytest.raises(Exception, match="file not found"):
        tree.read_text("sections/missing.md")


def test_a_symbolic_link_in_git_is_refused(notice_repo):
    os.symlink("/etc/passwd", notice_repo / "sections" / "passwd.md")
    commit_all(notice_repo, "a link")
    tree = GitTree(resolve_commit(open_repository(notice_repo)))
    with pytest.raises(Exception, match="symbolic link"):
        tree.read_text("sections/passwd.md")
    history = read_history(notice_repo)
    first = git(notice_repo, "rev-list", "--max-parents=0", "HEAD")
    assert [v.last_commit for v in history.versions] == [first]  # the linked commit is skipped
    assert any("symbolic link" in str(p) for p in history.skipped)


def test_a_broken_commit_is_skipped_and_reported(notice_repo, cli):
    edit(notice_repo / CHANGES, "your rights.", "your rights. Fax {{ contact.fax }}.")
    broken = commit_version(notice_repo, "2023-02-02", "Broken.")
    edit(notice_repo / CHANGES, " Fax {{ contact.fax }}.", "")
    commit_version(notice_repo, "2023-03-03", "Fixed.")
    history = read_history(notice_repo)
    assert [v.summary for v in history.versions][-1] == "Fixed."
    assert date(2023, 2, 2) not in [v.last_updated for v in history.versions]
    assert [p.path for p in history.skipped] == [f"{broken[:10]}:{CHANGES}"]
    assert "'contact.fax' is undefined" in history.skipped[0].message
    result = cli("history", "--root", str(notice_repo))
    assert_no_traceback(result)
    assert result.code == 0
    assert f"{broken[:10]}:{CHANGES}:" in result.stderr
    assert len(result.stdout.splitlines()) == 2


def test_a_broken_last_commit_falls_back_to_the_last_good_one_of_its_date(notice_repo):
    first = git(notice_repo, "rev-parse", "HEAD")
    edit(notice_repo / CHANGES, "your rights.", "your rights. {{ nope }}")
    commit_all(notice_repo, "broken draft")
    history = read_history(notice_repo)
    assert len(history.versions) == 1
    assert history.versions[0].last_commit == first
    assert "'nope' is undefined" in history.skipped[0].message


def test_history_cli_text_and_json(three_versions, cli):
    repo, shas = three_versions
    result = cli("history", "--root", str(repo))
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].split()[:4] == ["2023-01-10", "effective", "2023-01-10", shas["draft1"][:10]]
    assert lines[1].endswith("Clearer opt-out wording.")
    assert [line.split()[:2] for line in lines[2:4]] == [
        ["revision", shas["draft1"][:10]],
        ["revision", shas["draft2"][:10]],
    ]  # the two texts committed under 2023-01-10
    result = cli("history", "--root", str(repo), "--json")
    data = json.loads(result.stdout)
    expected = load_history(repo)
    assert [d["fingerprint"] for d in data] == [v.fingerprint for v in expected]
    assert data[1]["first_commit"] == shas["draft1"]
    assert data[1]["last_commit"] == shas["draft2"]


@pytest.fixture
def shallow_clone(notice_repo: Path, tmp_path: Path) -> Path:
    commit_version(notice_repo, "2023-01-10", "Second.")
    change_wording(notice_repo)
    commit_version(notice_repo, "2023-02-10", "Third.")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{notice_repo}", str(clone))
    return clone


def test_history_in_a_shallow_clone_is_refused_with_the_fix(shallow_clone, cli):
    with pytest.raises(ShallowClone, match=r"git .*fetch --unshallow"):
        read_history(shallow_clone)
    for command in ("history", "audit"):
        result = cli(command, "--root", str(shallow_clone))
        assert_no_traceback(result)
        assert result.code == 1
        assert "shallow clone" in result.stderr and "fetch --unshallow" in result.stderr
    git(shallow_clone, "fetch", "-q", "--unshallow")
    assert len(load_history(shallow_clone)) == 3


def test_one_commit_can_still_be_read_in_a_shallow_clone(shallow_clone, cli):
    assert snapshot(shallow_clone, "HEAD").rendered.notice.last_updated == date(2023, 2, 10)
    result = cli("diff", "HEAD", "WORKTREE", "--root", str(shallow_clone))
    assert result.code == 0, result.stderr
    assert "No change to the rendered text." in result.stdout
    result = cli("diff", "2023-01-10", "--root", str(shallow_clone))
    assert result.code == 1 and "fetch --unshallow" in result.stderr


def test_outside_a_git_repository_history_says_why_and_the_rest_works(notice_dir, cli):
    with pytest.raises(NotAGitRepository):
        read_history(notice_dir)
    for args in (("history",), ("audit",), ("diff",), ("check", "--base", "HEAD")):
        result = cli(*args, "--root", str(notice_dir))
        assert_no_traceback(result)
        assert result.code == 1, args
        assert "need a git repository" in result.stderr
    assert cli("render", "--root", str(notice_dir)).code == 0
    assert cli("check", "--root", str(notice_dir)).code == 0
    result = cli("diff", "WORKTREE", "WORKTREE", "--root", str(notice_dir))
    assert result.code == 0 and "No change" in result.stdout


def test_an_unknown_ref_is_named(notice_repo, cli):
    with pytest.raises(UnknownRef, match="no-such-branch"):
        snapshot(notice_repo, "no-such-branch")
    result = cli("diff", "no-such-branch", "--root", str(notice_repo))
    assert_no_traceback(result)
    assert result.code == 2
    assert "'no-such-branch' is not a commit, branch or tag" in result.stderr


def test_a_repository_without_commits(notice_dir, cli):
    git(notice_dir, "init", "-q")
    with pytest.raises(EmptyRepository, match="no commits yet"):
        read_history(notice_dir)
    result = cli("history", "--root", str(notice_dir))
    assert result.code == 1 and "no commits yet" in result.stderr
    assert_no_traceback(result)


def test_a_commit_without_the_notice_folder(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README.md").write_text("before the notice\n")
    git(repo, "init", "-q")
    before = commit_all(repo, "no notice yet")
    copy_notice(repo)
    commit_all(repo, "add the notice")
    assert len(load_history(repo)) == 1
    with pytest.raises(Exception, match=r"notice\.yml"):
        snapshot(repo, before)
    shutil.rmtree(repo / "sections")
    assert len(load_history(repo)) == 1  # the working tree does not matter to history
