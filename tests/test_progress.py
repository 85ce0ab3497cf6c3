"""Long commands show progress on a terminal and stay quiet when not on one."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.conftest import commit_all
from tests.notice_versions import change_wording, set_date

NOTICE = str(Path(sys.executable).parent / "notice")


def run_on_terminal(*args: str, cwd: Path) -> str:
    """Run the real command with stderr on a pseudo-terminal; return what the terminal showed."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [NOTICE, *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=terminal,
    )  # fmt: skip
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=120)
    os.close(controller)
    return shown.decode("utf-8", "replace")


def two_versions(repo: Path) -> Path:
    change_wording(repo)
    set_date(repo, "2023-01-01", "Regularly.")
    commit_all(repo, "second version")
    return repo


def test_history_shows_progress_on_a_terminal(notice_repo: Path):
    shown = run_on_terminal("history", cwd=two_versions(notice_repo))
    assert "rendering versions: 1/2" in shown and "rendering versions: 2/2" in shown


def test_audit_shows_progress_on_a_terminal(notice_repo: Path):
    shown = run_on_terminal("audit", cwd=two_versions(notice_repo))
    assert "auditing commits: 2/2" in shown


def test_no_progress_when_not_on_a_terminal(notice_repo: Path):
    two_versions(notice_repo)
    for command in ("history", "audit"):
        result = subprocess.run(
            [NOTICE, command], cwd=notice_repo, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        assert "rendering versions" not in result.stderr + result.stdout
        assert "auditing commits" not in result.stderr + result.stdout
        assert "\r" not in result.stderr


def test_verify_rebuild_shows_progress_on_a_terminal(notice_repo: Path):
    released = subprocess.run(
        [NOTICE, "release"], cwd=notice_repo, capture_output=True, text=True, timeout=120
    )
    assert released.returncode == 0, released.stderr
    shown = run_on_terminal("verify", "--rebuild", cwd=notice_repo)
    assert "verifying and rebuilding releases: 1/1" in shown
    assert "ok: 1 release(s) verified, 1 rebuilt byte for byte" in shown
