"""`notice serve --base`: live preview whose notice page shows the editor's redline."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import assert_no_traceback, edit, run_notice
from tests.notice_versions import CHANGES

NOTICE = str(Path(sys.executable).parent / "notice")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def page_containing(url: str, needle: str, seconds: float = 60) -> str:
    """Poll url until its HTML contains needle (the server builds, then rebuilds on edits)."""
    deadline, page = time.monotonic() + seconds, ""
    while time.monotonic() < deadline:
        try:
            page = urllib.request.urlopen(url, timeout=5).read().decode()
            if needle in page:
                return page
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{needle!r} never appeared at {url}")


@pytest.fixture
def served(notice_repo: Path):
    edit(notice_repo / CHANGES, "periodically", "regularly")
    port = free_port()
    server = subprocess.Popen(
        [NOTICE, "serve", "--base", "HEAD", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=notice_repo, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    yield notice_repo, f"http://127.0.0.1:{port}/"
    server.terminate()
    _, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors


def test_serve_shows_the_redline_and_follows_edits(served):
    repo, url = served
    page = page_containing(url, "<del>periodically</del><ins>regularly</ins>")
    assert "Preview: your changes against HEAD" in page
    edit(repo / CHANGES, "regularly", "often")  # live reload rebuilds with the new redline
    page_containing(url, "<ins>often</ins>")


def test_serve_refuses_a_base_that_does_not_exist(notice_repo: Path):
    # the real console script: a server that failed to stop would hang the test, not time out
    args = ("serve", "--base", "no-such-branch", "--root", str(notice_repo))
    result = run_notice(*args, timeout=60, process=True)
    assert_no_traceback(result)
    assert result.code == 2
    assert "no-such-branch" in result.stderr
    assert "serving" not in result.stderr


def test_the_public_build_never_shows_the_preview(notice_repo: Path, cli):
    edit(notice_repo / CHANGES, "periodically", "regularly")
    assert cli("build", "--root", str(notice_repo)).code == 0
    assert "notice-preview" not in (notice_repo / "site" / "index.html").read_text()
