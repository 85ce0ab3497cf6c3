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
from tests.conftest import commit_all, git

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


UNDATED = (
    "# Privacy Notice\n\n## Who we are\n\nExample Widgets Ltd keeps data about {n} customers.\n"
)


def test_a_version_without_a_date_is_a_warning_naming_its_commit(tmp_path, cli):
    repo = tmp_path / "site"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "privacy.md").write_text(TEXT.format(day="2023-01-11", count=1, days=9), "utf-8")
    commit_all(repo, "dated", "2023-01-11T10:00:00+00:00")
    (repo / "privacy.md").write_text(UNDATED.format(n=2), "utf-8")
    undated = commit_all(repo, "undated", "2023-06-30T10:00:00+00:00")
    result = cli("import", str(repo), "--path", "privacy.md", "--into", str(tmp_path / "p"))
    assert result.code == 0, result.stderr
    (warning,) = [line for line in result.stderr.splitlines() if "no date of its own" in line]
    assert warning.startswith(f"privacy.md at commit {undated}: warning:")
    day = git(repo, "log", "-1", "--format=%cs", undated)
    assert f"dated {day} from the date of commit {undated}" in warning
    assert "--dates D1,...,DN" in warning


def test_dates_given_by_hand_date_each_version(tmp_path, cli):
    files = []
    for n in (1, 2):
        files.append(tmp_path / f"v{n}.md")
        files[-1].write_text(UNDATED.format(n=n), "utf-8")
    into = tmp_path / "p"
    result = cli(
        "import", *map(str, files), "--into", str(into), "--dates", "2020-02-01,2021-03-04"
    )
    assert result.code == 0, result.stderr
    assert "no date of its own" not in result.stderr
    log = git(into, "log", "--reverse", "--format=%ad", "--date=short")
    assert log.split() == ["2020-02-01", "2021-03-04"]
    wrong = cli("import", *map(str, files), "--into", str(tmp_path / "q"), "--dates", "2020-02-01")
    assert wrong.code != 0
    assert "--dates gives 1 dates for 2 versions" in wrong.stderr
