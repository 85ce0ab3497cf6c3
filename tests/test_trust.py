"""The trust boundary (issue 14): only the notice's content comes from a pull request."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import assert_no_traceback, commit_all, edit, git, run_notice, undocumented

REVIEW = "changed outside the notice's content: needs a maintainer's review"
CASES: dict[str, str] = {}  # case id (a row of SECURITY.md) -> the test holding it


def case(*case_ids: str) -> Callable[[Callable], Callable]:
    """Register a test as the one holding these catalogue cases."""

    def register(test: Callable) -> Callable:
        CASES.update(dict.fromkeys(case_ids, test.__name__))
        return test

    return register


@pytest.fixture
def pr_repo(notice_repo: Path) -> Path:
    """The notice on main, then a branch `pr` checked out: the pull request's working tree."""
    (notice_repo / ".gitignore").write_text("site/\n.cache/\n")
    commit_all(notice_repo, "ignore outputs")
    git(notice_repo, "checkout", "-q", "-b", "pr")
    return notice_repo


def check_base(repo: Path, *extra: str):
    result = run_notice("check", "--root", str(repo), "--base", "main", *extra)
    assert_no_traceback(result)
    return result


def test_a_content_change_passes_the_boundary(pr_repo: Path):
    edit(pr_repo / "sections" / "introduction.md", "MetTel", "MetTel Inc.")
    (pr_repo / "macros" / "extra.j2").write_text("{% macro x() %}x{% endmacro %}\n")
    commit_all(pr_repo, "content only")
    assert REVIEW not in check_base(pr_repo).stderr


@case("trust-config-change")
@pytest.mark.parametrize(
    "path",
    [
        "mkdocs.yml",
        "docs/extra.md",
        "overrides/main.html",
        "hooks/evil_hook.py",
        "notice/cli.py",
        ".github/workflows/pull-request.yml",
        "Makefile",
        "scripts/bootstrap",
        "pyproject.toml",
        "README.md",
    ],
)
def test_every_path_outside_the_content_needs_review(pr_repo: Path, path: str):
    target = pr_repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((target.read_text() if target.exists() else "") + "\n# changed\n")
    commit_all(pr_repo, f"touch {path}")
    result = check_base(pr_repo)
    assert result.code == 1
    assert f"{path}: {REVIEW}" in result.stderr.splitlines()
    assert check_base(pr_repo, "--allow-config").stderr.count(REVIEW) == 0


def test_uncommitted_untracked_and_deleted_paths_count(pr_repo: Path):
    (pr_repo / "evil.py").write_text("print('x')\n")  # untracked
    edit(pr_repo / "mkdocs.yml", "site_name", "# edited\nsite_name")  # uncommitted
    (pr_repo / "docs" / ".gitkeep").unlink()  # deleted
    lines = check_base(pr_repo).stderr.splitlines()
    for path in ("evil.py", "mkdocs.yml", "docs/.gitkeep"):
        assert f"{path}: {REVIEW}" in lines


@case("trust-archive-change")
def test_the_archive_is_refused_even_for_a_maintainer(pr_repo: Path):
    (pr_repo / "archive").mkdir()
    (pr_repo / "archive" / "ledger.json").write_text("[]\n")
    commit_all(pr_repo, "doctored archive")
    for extra in ((), ("--allow-config",)):
        result = check_base(pr_repo, *extra)
        assert result.code == 1
        assert "archive/ledger.json: the archive is written only by `notice release`" in (
            result.stderr
        )


@case("trust-config-from-base")
def test_build_config_from_the_base_ignores_the_pull_requests_site_config(pr_repo: Path):
    marker = pr_repo.parent / "hook-ran"
    (pr_repo / "evil_hook.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    edit(
        pr_repo / "mkdocs.yml",
        "site_name: MetTel Privacy",
        "site_name: Hacked\nhooks: [evil_hook.py]",
    )
    (pr_repo / "docs" / "passwd.txt").symlink_to("/etc/passwd")
    edit(pr_repo / "sections" / "introduction.md", "MetTel", "MetTel Inc.")
    commit_all(pr_repo, "hostile site config")
    out = pr_repo.parent / "out"
    result = run_notice("build", "--root", str(pr_repo), "--out", str(out), "--config-from", "main")
    assert_no_traceback(result)
    assert result.code == 0, result.stderr
    assert not marker.exists()
    index = (out / "index.html").read_text()
    assert "MetTel Privacy" in index and "Hacked" not in index
    assert "MetTel Inc." in index  # the working tree's notice
    assert not (out / "passwd.txt").exists()
    # without --config-from, the pull request's configuration is refused before mkdocs reads it
    refused = run_notice("build", "--root", str(pr_repo), "--out", str(out))
    assert refused.code == 1 and not marker.exists()
    assert "hooks: not allowed" in refused.stderr


def test_config_from_an_unknown_ref_is_one_line(pr_repo: Path):
    result = run_notice("build", "--root", str(pr_repo), "--config-from", "nope")
    assert_no_traceback(result)
    assert result.code == 2 and "'nope' is not a commit" in result.stderr


def test_config_from_refuses_a_link_in_the_bases_docs(pr_repo: Path):
    git(pr_repo, "checkout", "-q", "main")
    os.symlink("/etc/passwd", pr_repo / "docs" / "passwd.txt")
    commit_all(pr_repo, "a link in docs")
    result = run_notice("build", "--root", str(pr_repo), "--config-from", "main")
    assert_no_traceback(result)
    assert result.code == 1 and "main:docs/passwd.txt: is a link: refused" in result.stderr


@case("archive-ledger-dev-zero")
def test_a_ledger_linked_to_dev_zero_is_refused_at_once(notice_repo: Path):
    (notice_repo / "archive").mkdir()
    os.symlink("/dev/zero", notice_repo / "archive" / "ledger.json")
    for args in (("verify",), ("as-of", "2023-01-01"), ("check",)):
        started = time.monotonic()
        result = run_notice(*args, "--root", str(notice_repo), timeout=60)
        assert_no_traceback(result)
        assert time.monotonic() - started < 30
        assert result.code == 1, (args, result.stderr)
        assert "archive/ledger.json: is a link: refused" in result.stderr, result.stderr


@case("git-committed-link")
def test_a_link_committed_in_git_is_never_followed(notice_repo: Path):
    intro = notice_repo / "sections" / "introduction.md"
    intro.rename(notice_repo / "intro.md")
    os.symlink("../intro.md", intro)
    commit_all(notice_repo, "a section as a link")
    intro.unlink()  # the working tree is whole again: only the commit holds the link
    (notice_repo / "intro.md").rename(intro)
    for args in (("diff", "HEAD"), ("check", "--base", "HEAD")):
        result = run_notice(*args, "--root", str(notice_repo))
        assert_no_traceback(result)
        assert result.code == 1
        assert re.search(
            r"sections/introduction\.md: (cannot compare .*: )?is a symbolic link in git: refused",
            result.stderr,
        ), result.stderr


@case("check-workflow-command")
def test_no_printed_line_can_start_a_workflow_command(notice_dir: Path):
    name = "x\n::warning title=pwned::owned.md"
    (notice_dir / "sections" / name).write_text("---\nid: x\ntitle: X\n---\nText.\n")
    edit(notice_dir / "notice.yml", "company: MetTel", 'company: "MetTel\\n::error::boom"')
    result = run_notice("check", "--root", str(notice_dir))
    assert_no_traceback(result)
    for line in (result.stdout + result.stderr).splitlines():
        assert not line.lstrip().startswith("::"), line


def test_every_case_is_documented():
    assert undocumented(CASES) == []
