"""Fuzz (issue 14, part 8): any notice.yml value or section body a pull request can write makes
`check` end in the toolkit's own terms within the budget; the worst cases run under prlimit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notice.check import CHECK_SECONDS, check_source
from notice.errors import NoticeError
from tests.conftest import PROJECT, copy_notice, undocumented

LIMITS = ["prlimit", "--as=2147483648", "--cpu=60"]  # util-linux: 2 GB of memory, 60 s of CPU
INTRO = "sections/introduction.md"
CASES = {"fuzz-source": "test_check_ends_in_the_toolkits_terms_within_the_budget"}
YAML_PIECES = [
    *"aZ09 :-#'\"{}[],&*!|>%@`\t\n",
    *["!!int ", "!!float ", "!!bool ", "!!timestamp ", "!!binary ", "!!python/name:os.system "],
    *["&a ", "*a", "? ", "- ", "\\a", "\\x1b", "\\u202e", "\\u2028", "\\n::warning::x", "9" * 5000],
    *["2023-02-29", "1e999", "0x_", "<<: ", ".inf", "~", "yes", "\u202e", "\x85"],
]
BODY_PIECES = [
    *"abc 019\n\t-*_#>`[]()!<>/\\&;:='\"{}%|~.,@",
    *["<script>", "{{", "}}", "{%", "%}", "javascript:", "[" * 3000, "::error::x", "cc @team"],
    *["{{ 'a'|center(99999999) }}", "{{ 'a' * 10**8 }}", "{{ range(10**7)|list|length }}"],
    *["{{ '%0999999d' % 1 }}", "{% for i in range(9999) %}{{ i ** 99 }}{% endfor %}"],
    *["![x](data:image/svg+xml;base64,PHN2Zy8+)", "<https://evil.example>", "\u202e"],
]
VALUES = st.lists(st.sampled_from(YAML_PIECES), max_size=8).map("".join)
BODIES = st.lists(st.sampled_from(BODY_PIECES), max_size=12).map("".join)
KEYS = st.sampled_from(["title", "company", "summary", "last_updated", "coverage_page", "regimes"])
SLOWEST: list[tuple[float, str, str, str]] = []  # (seconds, key, value, body), worst first


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_notice(tmp_path_factory.mktemp("fuzz") / "notice")


def write_case(root: Path, key: str, value: str, body: str) -> None:
    """notice.yml's line `key: ...` given value, the introduction given body, as a PR would."""
    lines = (PROJECT / "notice.yml").read_text().splitlines()
    replaced = [f"{key}: {value}" if line.startswith(f"{key}:") else line for line in lines]
    (root / "notice.yml").write_text("\n".join(replaced) + "\n", encoding="utf-8")
    intro = (PROJECT / INTRO).read_text()
    (root / INTRO).write_text(intro + "\n" + body + "\n", encoding="utf-8")


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=timedelta(seconds=CHECK_SECONDS),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(key=KEYS, value=VALUES, body=BODIES)
def test_check_ends_in_the_toolkits_terms_within_the_budget(
    project: Path, key: str, value: str, body: str
):
    write_case(project, key, value, body)
    started = time.monotonic()
    try:
        _, problems = check_source(project)
    except NoticeError as error:  # the only exceptions allowed: the toolkit's typed errors
        problems = [error]
    seconds = time.monotonic() - started
    assert seconds < CHECK_SECONDS
    assert all(str(problem).strip() for problem in problems)
    SLOWEST.append((seconds, key, value, body))
    SLOWEST.sort(reverse=True)
    del SLOWEST[2:]


@pytest.mark.skipif(shutil.which("prlimit") is None, reason="needs util-linux prlimit")
def test_the_slowest_fuzz_cases_end_under_prlimit(project: Path):
    alone = (0.0, "company", "!!int abc", "{{ 'a'|center(99999999) }}" + "[" * 3000)
    worst = SLOWEST or [alone]  # when this test runs without the fuzz test before it
    exe = str(Path(sys.executable).parent / "notice")
    for _, key, value, body in worst[:2]:
        write_case(project, key, value, body)
        started = time.monotonic()
        result = subprocess.run(
            [*LIMITS, exe, "check", "--root", str(project)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert time.monotonic() - started < 60
        assert result.returncode in (0, 1), result.stderr
        assert "Traceback" not in result.stderr + result.stdout


def test_every_case_is_documented():
    assert undocumented(CASES) == []
