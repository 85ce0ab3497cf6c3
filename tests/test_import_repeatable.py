"""A history import is repeatable: the same version files imported three times give the same
repository, commit for commit, and each commit holds its own version's notice.yml (dates of the
same length, files rewritten within the same second: the case git's stat cache misses)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from git import Repo

from notice.importer.history import VersionSource, import_history
from notice.source.yamlio import load_yaml

VERSIONS = 12
TEXT = """# Privacy Notice

Last updated: {day}

## Who we are

Example Widgets Ltd ("we") keeps data about {count} customers. Write to privacy@example.org.

## Your rights

You may ask for a copy of your data at any time, and we answer within {days} days.
"""


def version_files(folder: Path) -> list[VersionSource]:
    """Twelve versions whose texts (and so notice.yml files) differ but keep the same size."""
    folder.mkdir()
    sources = []
    for number in range(1, VERSIONS + 1):
        day = date(2023, 1, 10 + number)
        path = folder / f"{number:02d}-notice.md"
        path.write_text(TEXT.format(day=day, count=100 + number, days=10 + number % 9), "utf-8")
        sources.append(VersionSource(path, path.name, None))
    return sources


def commits(target: Path) -> list[tuple[str, str, str]]:
    """(commit, tree, notice.yml's last_updated) of every commit, oldest first."""
    repo = Repo(target)
    found = []
    for commit in reversed(list(repo.iter_commits("HEAD"))):
        notice = (commit.tree / "notice.yml").data_stream.read().decode()
        found.append(
            (
                commit.hexsha,
                commit.tree.hexsha,
                str(load_yaml(notice, "notice.yml")["last_updated"]),
            )
        )
    return found


@pytest.fixture(scope="module")
def three_imports(tmp_path_factory) -> list[list[tuple[str, str, str]]]:
    work = tmp_path_factory.mktemp("repeatable")
    sources = version_files(work / "versions")
    now = datetime(2024, 1, 1, tzinfo=UTC)
    runs = []
    for run in range(3):
        target = work / f"project-{run}"
        import_history(sources, target, now=now)
        runs.append(commits(target))
    return runs


def test_each_commit_holds_its_own_version(three_imports):
    expected = [str(date(2023, 1, 10 + n)) for n in range(1, VERSIONS + 1)]
    for run in three_imports:
        assert [day for _, _, day in run] == expected


def test_three_imports_give_identical_repositories(three_imports):
    first, *others = three_imports
    for other in others:
        assert [tree for _, tree, _ in other] == [tree for _, tree, _ in first]
        assert [sha for sha, _, _ in other] == [sha for sha, _, _ in first]
