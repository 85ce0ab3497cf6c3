"""Shared fixtures: a copy of the real notice in a temporary folder, git helpers, the CLI."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
OWN_FOLDERS = tuple(f":(exclude,glob)**/{p}" for p in (".cache", ".cache/**", "site", "site/**"))
NOTICE_PARTS = ("notice.yml", "sections", "macros", "mkdocs.yml", "docs")


def copy_notice(target: Path) -> Path:
    """Copy the project's notice source (not its archive or build output) into target."""
    target.mkdir(parents=True, exist_ok=True)
    for part in NOTICE_PARTS:
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


@pytest.fixture
def notice_dir(tmp_path: Path) -> Path:
    """A writable copy of the MetTel notice, outside any git repository."""
    return copy_notice(tmp_path / "notice")


def git(repo: Path, *args: str) -> str:
    """Run a real git command in repo and return its stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.com",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.com",
    }
    result = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def commit_all(repo: Path, message: str, when: str | None = None) -> str:
    """Stage everything and commit; return the commit sha. when: an ISO date for the commit.
    The build's own folders stay out, as a real project's .gitignore keeps them (a build refuses
    a cache git tracks); a test that means to commit them stages them itself."""
    git(repo, "add", "-A", "--", ".", *OWN_FOLDERS)
    extra = ["--date", when] if when else []
    git(repo, "commit", "-q", "--allow-empty", "-m", message, *extra)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def notice_repo(tmp_path: Path) -> Path:
    """A git repository holding the MetTel notice as its first commit."""
    repo = copy_notice(tmp_path / "repo")
    (repo / ".gitignore").write_text("/site/\n/.cache/\n")  # as init and import write it
    git(repo, "init", "-q")
    commit_all(repo, "MetTel notice of 2022-11-11")
    return repo


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def run_notice(
    *args: str, cwd: Path | None = None, timeout: float = 300, process: bool = False
) -> CliResult:
    """Run `notice` in this process (click's runner: fast), or with process=True the real console
    script in a subprocess, for tests about processes (signals, serve, the script itself)."""
    if process:
        return run_script(*args, cwd=cwd, timeout=timeout)
    from click.testing import CliRunner

    from notice.cli import main

    with contextlib.chdir(cwd or Path.cwd()):
        result = CliRunner().invoke(main, list(args), prog_name="notice")
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # what the console script would have printed: tests assert that users never see one
        stderr += "".join(traceback.format_exception(result.exception))
    return CliResult(result.exit_code, result.stdout, stderr)


def run_script(*args: str, cwd: Path | None = None, timeout: float = 300) -> CliResult:
    """Run the real `notice` console script in a subprocess."""
    exe = Path(sys.executable).parent / "notice"
    result = subprocess.run(
        [str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    return CliResult(result.returncode, result.stdout, result.stderr)


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    """The `notice` command, run in this process: cli("check", "--root", str(path))."""
    return run_notice


def edit(path: Path, old: str, new: str) -> None:
    """Replace old by new in a file; fail the test if old is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def is_coverage_gap(message: str) -> bool:
    """A warning every check of the MetTel project gives: its coverage gaps, and its mkdocs.yml
    without site_url (where the site is published is not known here)."""
    return "not covered by any section" in message or "site_url is not set" in message


def assert_no_traceback(result: CliResult) -> None:
    """A user must never see a Python traceback."""
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout


def registrar(cases: dict[str, str]) -> Callable[..., Callable[[Callable], Callable]]:
    """A `case(*ids)` decorator that records a test as the one holding those catalogue cases."""

    def case(*case_ids: str) -> Callable[[Callable], Callable]:
        def register(test: Callable) -> Callable:
            for case_id in case_ids:
                cases[case_id] = test.__name__
            return test

        return register

    return case


def undocumented(case_ids: Iterable[str]) -> list[str]:
    """Case ids of a catalogue without a row (| `case-id` | input | behaviour |) in SECURITY.md."""
    security = (PROJECT / "SECURITY.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", security, re.M))
    return sorted(set(case_ids) - documented)
