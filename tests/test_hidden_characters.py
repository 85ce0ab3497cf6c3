"""Characters that change what a reader sees without showing themselves (issue 26).

`You may \u202eton\u202c opt out` showed "not" on the site and in the PDF; BEL, ESC and NUL passed
too. They are refused in every text (section bodies, macros, translations; notice.yml and front
matter already were) at file:line:column with the code point; zero-width characters and soft
hyphens are warned about, never refused. Each case id has a row in SECURITY.md.
"""

from __future__ import annotations

from pathlib import Path

from notice.check import check_source
from notice.errors import Severity
from notice.source.gittree import GitTree, open_repository
from tests.conftest import (
    assert_no_traceback,
    commit_all,
    is_coverage_gap,
    registrar,
    run_notice,
    undocumented,
)
from tests.test_translations import FR_CHANGES, french  # noqa: F401 - the fixture

CASES: dict[str, str] = {}
case = registrar(CASES)
INTRO = "sections/introduction.md"


def append(root: Path, relative: str, text: str) -> int:
    """Append a paragraph to a file; return the line it is on."""
    path = root / relative
    before = path.read_text(encoding="utf-8")
    path.write_text(before + "\n" + text + "\n", encoding="utf-8")
    return before.count("\n") + 2


def lines(result) -> list[str]:
    assert_no_traceback(result)
    return [line for line in result.stderr.splitlines() if not is_coverage_gap(line)]


@case("hidden-bidi-override-body")
def test_a_right_to_left_override_is_refused_at_its_line_and_column(notice_dir: Path):
    line = append(notice_dir, INTRO, "You may \u202eton\u202c opt out of marketing.")
    result = run_notice("check", "--root", str(notice_dir))
    assert result.code == 1
    assert lines(result)[:2] == [
        f"{INTRO}:{line}:9: U+202E RIGHT-TO-LEFT OVERRIDE changes what a reader sees without "
        "showing itself; remove it",
        f"{INTRO}:{line}:13: U+202C POP DIRECTIONAL FORMATTING changes what a reader sees "
        "without showing itself; remove it",
    ]
    built = run_notice("build", "--root", str(notice_dir))
    assert built.code == 1 and f"{INTRO}:{line}:9: U+202E" in built.stderr
    assert not (notice_dir / "site").exists()


@case("hidden-control-body")
def test_bel_esc_and_nul_in_a_body_are_refused_each_with_its_code_point(notice_dir: Path):
    line = append(notice_dir, INTRO, "Ring\x07 the \x1b[2J bell\x00.")
    result = run_notice("check", "--root", str(notice_dir))
    assert result.code == 1
    found = [entry for entry in lines(result) if entry.startswith(f"{INTRO}:{line}:")]
    assert [entry.split(" changes")[0] for entry in found] == [
        f"{INTRO}:{line}:5: U+0007 CONTROL CHARACTER",
        f"{INTRO}:{line}:11: U+001B CONTROL CHARACTER",
        f"{INTRO}:{line}:20: U+0000 CONTROL CHARACTER",
    ]


@case("hidden-isolate-and-c1")
def test_bidi_isolates_and_c1_controls_are_refused(notice_dir: Path):
    line = append(notice_dir, INTRO, "a\u2067b\u2069 c\x9dd")
    result = run_notice("check", "--root", str(notice_dir))
    codes = [entry.split(": ", 1)[1][:6] for entry in lines(result) if f":{line}:" in entry]
    assert result.code == 1 and codes == ["U+2067", "U+2069", "U+009D"]


@case("hidden-control-macro")
def test_a_control_character_in_a_macro_is_refused(notice_dir: Path):
    macro = next(p for p in sorted((notice_dir / "macros").glob("*.j2")))
    relative = f"macros/{macro.name}"
    line = append(notice_dir, relative, "{# a comment with \x1b[31m inside #}")
    result = run_notice("check", "--root", str(notice_dir))
    assert result.code == 1
    assert f"{relative}:{line}:19: U+001B CONTROL CHARACTER changes what" in result.stderr


@case("hidden-control-translation")
def test_a_right_to_left_override_in_a_translation_is_refused(french: Path):  # noqa: F811
    line = append(french, FR_CHANGES, "Vous pouvez \u202enon\u202c refuser.")
    result = run_notice("check", "--root", str(french))
    assert result.code == 1
    assert f"{FR_CHANGES}:{line}:13: U+202E RIGHT-TO-LEFT OVERRIDE" in result.stderr


@case("hidden-crlf")
def test_a_file_with_windows_line_ends_is_fine(notice_dir: Path):
    path = notice_dir / INTRO
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    result = run_notice("check", "--root", str(notice_dir))
    assert result.code == 0, result.stderr
    assert "U+000D" not in result.stderr


@case("hidden-zero-width-warned")
def test_zero_width_joiners_and_soft_hyphens_are_warned_about_never_refused(notice_dir: Path):
    line = append(
        notice_dir,
        INTRO,
        "Persian: \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645; pri\u00advacy.",
    )
    result = run_notice("check", "--root", str(notice_dir))
    assert result.code == 0, result.stderr
    warned = [entry for entry in lines(result) if entry.startswith(f"{INTRO}:{line}:")]
    assert [entry.split(" is invisible")[0] for entry in warned] == [
        f"{INTRO}:{line}:12: warning: U+200C ZERO WIDTH NON-JOINER",
        f"{INTRO}:{line}:23: warning: U+00AD SOFT HYPHEN",
    ]
    assert run_notice("build", "--root", str(notice_dir)).code == 0
    assert "\u200c" in (notice_dir / "site" / "index.html").read_text(encoding="utf-8")


@case("hidden-commit-tree")
def test_a_commit_holding_an_override_is_read_as_it_stands_but_checked_like_the_tree(
    notice_repo: Path,
):
    """history and diff read a past commit as it was; check of a commit's tree (what release
    and `check --base` run) holds it to the same rule as the working tree."""
    line = append(notice_repo, INTRO, "You may \u202eton\u202c opt out.")
    commit_all(notice_repo, "an override slipped in")
    tree = GitTree(open_repository(notice_repo).repo.head.commit)
    _, problems = check_source(tree)
    refused = [p for p in problems if p.severity is Severity.ERROR]
    assert [str(p).split(" changes")[0] for p in refused] == [
        f"{INTRO}:{line}:9: U+202E RIGHT-TO-LEFT OVERRIDE",
        f"{INTRO}:{line}:13: U+202C POP DIRECTIONAL FORMATTING",
    ]
    result = run_notice("diff", "HEAD~1", "HEAD", "--root", str(notice_repo))
    assert result.code == 0, result.stderr


def test_every_case_is_documented():
    assert undocumented(CASES) == []
