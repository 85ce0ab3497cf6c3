"""Every machine-readable output is valid JSON, whatever a past commit holds (issue 26).

On a real multi-year history, `notice diff OLD NEW --format json` printed `"\\x9d"` (invalid JSON:
the terminal-safe printer escaped a C1 control inside the JSON text) with exit 0. JSON is now
ASCII from the encoder (every other character as \\uXXXX), and undecodable bytes of a past commit
are read as U+FFFD with a warning, never as lone surrogates. Each case id has a row in SECURITY.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import (
    assert_no_traceback,
    commit_all,
    copy_notice,
    git,
    registrar,
    run_notice,
    undocumented,
)

CASES: dict[str, str] = {}
case = registrar(CASES)
INTRO = "sections/introduction.md"
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def strict_json(text: str):
    """text parsed by a strict parser, every string of it free of lone surrogates."""
    value = json.loads(text, strict=True)  # strict: no raw control character inside a string
    for string in _strings(value):
        assert not LONE_SURROGATE.search(string), repr(string)
    text.encode("ascii")  # the encoder wrote every other character as \\uXXXX
    return value


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def past_commit_holding(repo: Path, raw: bytes) -> None:
    """Commit the introduction with raw bytes as a paragraph, then the original back on top."""
    intro = repo / INTRO
    original = intro.read_bytes()
    intro.write_bytes(original + b"\n" + raw + b"\n")
    commit_all(repo, "a past commit holding hostile bytes")
    intro.write_bytes(original)
    commit_all(repo, "the introduction as it was")


@case("json-diff-past-commit-c1-invalid-utf8")
def test_diff_json_of_a_past_commit_with_c1_and_invalid_utf8_is_valid(notice_repo: Path):
    past_commit_holding(notice_repo, b"You may opt\xc2\x9d out \xff\xfe of it.")
    result = run_notice(
        "diff", "HEAD~1", "HEAD", "--format", "json", "--root", str(notice_repo), process=True
    )
    assert_no_traceback(result)
    assert result.code == 0, result.stderr
    record = strict_json(result.stdout)
    assert "opt\\u009d out" in result.stdout  # the C1 control, escaped by the encoder
    assert "\ufffd\ufffd" in json.dumps(record, ensure_ascii=False)
    warned = [line for line in result.stderr.splitlines() if "not valid UTF-8" in line]
    assert warned == [
        f"HEAD~1 ({git(notice_repo, 'rev-parse', 'HEAD~1')[:10]}):{INTRO}:9: warning: not valid "
        "UTF-8 in this commit; its undecodable bytes are shown as U+FFFD"
    ]


@case("json-every-command")
def test_every_json_output_parses_strictly(notice_repo: Path):
    past_commit_holding(notice_repo, "C1 \u0085 and \u009d, bidi \u202e, nul \x00".encode())
    root = str(notice_repo)
    commands = [
        ("diff", "HEAD~1", "HEAD", "--json"),
        ("history", "--json"),
        ("audit", "--json"),
        ("coverage", "--json"),
    ]
    for command in commands:
        result = run_notice(*command, "--root", root)
        assert_no_traceback(result)
        assert result.code == 0, (command, result.stderr)
        strict_json(result.stdout)


@case("diff-every-format-past-controls")
def test_diff_in_every_format_survives_controls_a_past_commit_holds(
    notice_repo: Path, tmp_path: Path
):
    """BEL, ESC, NUL, C1 and invalid UTF-8 in a past commit: every format of `notice diff`
    exits 0 without a traceback; Word's XML cannot hold C0 controls, so they show as U+FFFD."""
    past_commit_holding(notice_repo, b"Ring\x07 esc\x1b nul\x00 c1\xc2\x9d bad\xff.")
    root = str(notice_repo)
    for output_format in ("text", "markdown", "html", "json"):
        result = run_notice("diff", "HEAD~1", "HEAD", "--format", output_format, "--root", root)
        assert_no_traceback(result)
        assert result.code == 0, (output_format, result.stderr)
    target = tmp_path / "redline.docx"
    result = run_notice(
        "diff", "HEAD~1", "HEAD", "--format", "docx", "--output", str(target), "--root", root
    )
    assert_no_traceback(result)
    assert result.code == 0, result.stderr
    body = Document(str(target)).element.xml
    assert "Ring\ufffd esc\ufffd nul\ufffd" in body


TEXTS = st.text(st.characters(blacklist_characters="{}<\r%#"), max_size=40).map(
    lambda text: text.encode("utf-8", "surrogatepass")  # lone surrogates: invalid UTF-8 bytes
)
RAW = st.lists(
    st.one_of(
        TEXTS,
        st.binary(max_size=12).filter(lambda data: b"{" not in data and b"<" not in data),
        st.sampled_from([b"\xc2\x9d", b"\xc2\x85", b"\xe2\x80\xae", b"\xff", b"\xed\xa0\x80"]),
    ),
    min_size=1,
    max_size=6,
).map(b" ".join)


@case("json-property-past-blobs")
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(raw=RAW)
def test_diff_json_is_valid_whatever_bytes_a_past_commit_holds(tmp_path: Path, raw: bytes):
    """Property: arbitrary Unicode, C1 controls and invalid UTF-8 in a past commit's blob."""
    repo = tmp_path / "repo"
    if not (repo / ".git").exists():
        copy_notice(repo)
        (repo / ".gitignore").write_text("/site/\n/.cache/\n")
        git(repo, "init", "-q")
        commit_all(repo, "MetTel notice of 2022-11-11")
    past_commit_holding(repo, raw.replace(b"\r", b""))
    result = run_notice("diff", "HEAD~1", "HEAD", "--format", "json", "--root", str(repo))
    assert_no_traceback(result)
    assert result.code == 0, result.stderr
    strict_json(result.stdout)


def test_every_case_is_documented():
    assert undocumented(CASES) == []
