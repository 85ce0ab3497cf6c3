"""The cache and the site output are never reached through a link, nor taken from git (issue 26).

A `.cache` committed as a link to a folder outside the project made `notice build` write its
renderings and PDF there and read planted entries back. Each case id has a row in SECURITY.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import (
    assert_no_traceback,
    commit_all,
    git,
    registrar,
    run_notice,
    undocumented,
)
from tests.test_serve import free_port, page_containing

CASES: dict[str, str] = {}
case = registrar(CASES)
NOTICE = str(Path(sys.executable).parent / "notice")


def listing(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the project holding a planted cache entry."""
    folder = tmp_path / "outside"
    (folder / "notice").mkdir(parents=True)
    (folder / "notice" / "planted.json").write_text('{"sha256": "0", "pages": 1, "warnings": []}')
    return folder


def refused_build(repo: Path) -> str:
    result = run_notice("build", "--root", str(repo), process=True, timeout=120)
    assert_no_traceback(result)
    assert result.code == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert not (repo / "site").exists()
    return lines[0]


@case("cache-committed-link")
def test_a_committed_cache_link_is_refused_and_the_outside_folder_untouched(
    notice_repo: Path, outside: Path
):
    (notice_repo / ".gitignore").write_text("/site/\n")
    os.symlink(outside, notice_repo / ".cache")
    git(notice_repo, "add", "-f", ".cache")
    commit_all(notice_repo, "a cache that points elsewhere")
    assert "120000" in git(notice_repo, "ls-files", "-s", ".cache")
    before = listing(outside)
    line = refused_build(notice_repo)
    assert line == (
        "error: .cache: is a link: the toolkit never writes or reads its cache through one: "
        "remove it"
    )
    assert listing(outside) == before


@case("cache-notice-link")
def test_a_cache_notice_link_made_outside_git_is_refused_too(notice_repo: Path, outside: Path):
    (notice_repo / ".cache").mkdir()
    os.symlink(outside / "notice", notice_repo / ".cache" / "notice")
    before = listing(outside)
    assert refused_build(notice_repo).startswith("error: .cache/notice: is a link:")
    assert listing(outside) == before


@case("cache-tracked")
def test_cache_entries_tracked_by_git_at_any_depth_are_refused(notice_repo: Path):
    planted = notice_repo / ".cache" / "notice" / "renders" / "x.json"
    planted.parent.mkdir(parents=True)
    planted.write_text("{}")
    git(notice_repo, "add", "-f", str(planted))
    commit_all(notice_repo, "a committed cache entry")
    assert refused_build(notice_repo) == (
        "error: .cache: git tracks files in it, and the build cache lives there: "
        "`git rm -r --cached .cache`, and keep .cache/ in .gitignore"
    )


@case("site-output-link")
def test_a_site_folder_that_is_a_link_is_never_written_through(notice_repo: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, notice_repo / "site")
    result = run_notice("build", "--root", str(notice_repo))
    assert result.code == 1
    assert result.stderr.strip().splitlines() == [
        "error: site: is a link: the toolkit never writes the site through links; remove it"
    ]
    assert list(elsewhere.iterdir()) == []


@case("serve-cache-link")
def test_serve_ignores_a_linked_cache_with_one_warning(notice_repo: Path, outside: Path):
    os.symlink(outside, notice_repo / ".cache")
    before = listing(outside)
    port = free_port()
    server = subprocess.Popen(
        [NOTICE, "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=notice_repo, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        page_containing(f"http://127.0.0.1:{port}/", "MetTel")
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors
    warned = [line for line in errors.splitlines() if ".cache: is a link" in line]
    assert len(warned) == 1, errors
    assert listing(outside) == before


def test_every_case_is_documented():
    assert undocumented(CASES) == []
