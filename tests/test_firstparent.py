"""The one first-parent walk: the commits that changed a file set; a merge stands for its PR."""

from __future__ import annotations

from pathlib import Path

import pytest
from git import Repo

from notice.source.firstparent import first_parent_changes, last_change
from tests.conftest import git


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """main: 1 (f, g) -> merge of an orphan branch bringing a new f -> 3 (g only) -> 4 (h only);
    the merge uses `-s ours` plus a checkout, so `git log -- f` alone does not show it."""
    root = tmp_path_factory.mktemp("walk")
    git(root, "init", "-q")
    (root / "f").write_text("first\n")
    (root / "g").write_text("g\n")
    git(root, "add", ".")
    git(root, "commit", "-qm", "one")
    git(root, "checkout", "-q", "--orphan", "side")
    git(root, "rm", "-rfq", ".")
    (root / "f").write_text("from the side\n")
    git(root, "add", "f")
    git(root, "commit", "-qm", "side")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "-s", "ours", "--allow-unrelated-histories", "--no-commit", "side")
    git(root, "checkout", "side", "--", "f")
    git(root, "commit", "-qm", "merge")
    (root / "g").write_text("g again\n")
    git(root, "commit", "-qam", "three")
    (root / "h").write_text("h\n")
    git(root, "add", "h")
    git(root, "commit", "-qm", "four")
    return Repo(root)


def _subjects(changes) -> list[tuple[str, tuple[str, ...]]]:
    return [(c.commit.summary, c.paths) for c in changes]


def test_a_merge_that_brought_a_file_is_where_it_changed(repo: Repo):
    assert _subjects(first_parent_changes(repo, ["f"])) == [("merge", ("f",)), ("one", ("f",))]
    assert "merge" not in git(Path(repo.working_dir), "log", "--format=%s", "--", "f")


def test_each_change_names_the_paths_of_the_set_it_changed_against_its_first_parent(repo: Repo):
    assert _subjects(first_parent_changes(repo, ["f", "g"], oldest_first=True)) == [
        ("one", ("f", "g")),
        ("merge", ("f",)),
        ("three", ("g",)),
    ]
    side = next(c for c in repo.iter_commits("side"))
    assert side.hexsha not in {c.commit.hexsha for c in first_parent_changes(repo, ["f", "g"])}


def test_the_last_change_and_a_set_never_changed(repo: Repo):
    assert last_change(repo, ["g"]).summary == "three"
    assert last_change(repo, ["g"], ref=repo.commit("HEAD~2")).summary == "one"
    assert last_change(repo, ["nothing-here"]) is None
    tree = first_parent_changes(repo, ["h"])[0].commit.tree
    assert (tree / "h").data_stream.read() == b"h\n"
