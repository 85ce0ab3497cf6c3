"""`notice check`: every mistake is one line naming the file and the line, and exit code 1."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import (
    PROJECT,
    assert_no_traceback,
    copy_notice,
    edit,
    is_coverage_gap,
    run_notice,
)


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first occurrence of needle in path."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def check(cli, root: Path, *extra: str):
    result = cli("check", "--root", str(root), *extra)
    assert_no_traceback(result)
    return result


def append_to_section(root: Path, section: str, text: str) -> tuple[Path, int]:
    """Append text as a new paragraph; return the file and the line where text starts."""
    path = root / "sections" / f"{section}.md"
    body = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = body.count("\n") + 1
    path.write_text(body + text + "\n", encoding="utf-8")
    return path, line


def test_the_real_notice_is_clean(cli):
    result = check(cli, PROJECT)
    assert result.code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning:" in line]
    # The only warnings are the coverage gaps of the 2022-11-11 text (README: coverage) and the
    # site_url that only the publisher can set.
    assert all(is_coverage_gap(line) for line in warnings)


def test_the_console_script_checks_the_notice(notice_dir):
    # every other test runs the command in process; this one runs the installed `notice` script
    result = run_notice("check", "--root", str(notice_dir), process=True)
    assert result.code == 0, result.stderr
    assert_no_traceback(result)
    assert "ok: notice is valid" in result.stderr, result.stderr


def test_undefined_variable_names_file_and_line(cli, notice_dir):
    _, line = append_to_section(notice_dir, "cpni-rights", "Fax us at {{ contact.fax }}.")
    result = check(cli, notice_dir)
    assert result.code == 1
    assert f"sections/cpni-rights.md:{line}: 'contact.fax' is undefined" in result.stderr


def test_undefined_top_level_variable(cli, notice_dir):
    _, line = append_to_section(notice_dir, "fcra-rights", "Write to {{ postal_address }}.")
    result = check(cli, notice_dir)
    assert result.code == 1
    assert f"sections/fcra-rights.md:{line}: 'postal_address' is undefined" in result.stderr


def test_jinja_syntax_error_names_file_and_line(cli, notice_dir):
    _, line = append_to_section(notice_dir, "cookie-rights", "Broken {{ contact.email }")
    result = check(cli, notice_dir)
    assert result.code == 1
    assert re.search(rf"sections/cookie-rights\.md:{line}: template syntax error", result.stderr)


def test_unknown_macro_names_file_and_line(cli, notice_dir):
    _, line = append_to_section(notice_dir, "nevada-privacy-rights", "{{ opt_out_by_fax() }}")
    result = check(cli, notice_dir)
    assert result.code == 1
    assert (
        f"sections/nevada-privacy-rights.md:{line}: unknown macro 'opt_out_by_fax'" in result.stderr
    )


def test_error_inside_a_macro_names_the_macro_file(cli, notice_dir):
    macros = notice_dir / "macros" / "contact.j2"
    edit(macros, "{{ contact.phone }}", "{{ contact.telephone }}")
    result = check(cli, notice_dir)
    assert result.code == 1
    line = line_of(macros, "contact.telephone")
    assert f"macros/contact.j2:{line}: 'contact.telephone' is undefined" in result.stderr


def test_malformed_yaml_in_notice_yml(cli, notice_dir):
    edit(notice_dir / "notice.yml", "company: MetTel", "company: [MetTel")
    result = check(cli, notice_dir)
    assert result.code == 1
    assert re.search(r"^notice\.yml:\d+: malformed YAML", result.stderr, re.M)
    assert len(result.stderr.strip().splitlines()) == 1


def test_malformed_yaml_in_front_matter(cli, notice_dir):
    path = notice_dir / "sections" / "fcra-rights.md"
    edit(path, "title: FCRA Rights", "title: [FCRA Rights")
    result = check(cli, notice_dir)
    assert result.code == 1
    assert re.search(r"sections/fcra-rights\.md:[34]: malformed YAML", result.stderr)


def test_section_in_tree_without_file(cli, notice_dir):
    (notice_dir / "sections" / "maine-privacy-rights.md").unlink()
    result = check(cli, notice_dir)
    assert result.code == 1
    line = line_of(notice_dir / "notice.yml", "- maine-privacy-rights")
    assert f"notice.yml:{line}: sections: no file in sections/ has id 'maine-privacy-rights'" in (
        result.stderr
    )


def test_file_not_in_tree(cli, notice_dir):
    (notice_dir / "sections" / "orphan.md").write_text(
        "---\nid: orphan\ntitle: Orphan\n---\nText.\n", encoding="utf-8"
    )
    result = check(cli, notice_dir)
    assert result.code == 1
    assert "sections/orphan.md:2: section 'orphan' is not in the sections tree" in result.stderr


def test_duplicate_section_ids(cli, notice_dir):
    (notice_dir / "sections" / "copy.md").write_text(
        "---\ntitle: Copy\nid: cpni-rights\n---\nText.\n", encoding="utf-8"
    )
    result = check(cli, notice_dir)
    assert result.code == 1
    assert "sections/cpni-rights.md" in result.stderr or "sections/copy.md" in result.stderr
    assert re.search(
        r"sections/(copy|cpni-rights)\.md:[23]: duplicate section id 'cpni-rights'", (result.stderr)
    )


@pytest.mark.parametrize(
    "bad_date", ["2022-13-45", "2022-02-30", "November 11", "2022-11-11T10:00Z"]
)
def test_invalid_date(cli, notice_dir, bad_date):
    edit(notice_dir / "notice.yml", "last_updated: 2022-11-11", f"last_updated: {bad_date}")
    result = check(cli, notice_dir)
    assert result.code == 1
    line = line_of(notice_dir / "notice.yml", "last_updated:")
    assert f"notice.yml:{line}: last_updated:" in result.stderr


def test_unused_variable_is_a_warning(cli, notice_dir):
    edit(notice_dir / "notice.yml", "    phone: (800)", "    fax: (800) 555-0199\n    phone: (800)")
    result = check(cli, notice_dir)
    assert result.code == 0
    line = line_of(notice_dir / "notice.yml", "fax:")
    assert f"notice.yml:{line}: warning: variable 'contact.fax' is defined but never used" in (
        result.stderr
    )
    assert check(cli, notice_dir, "--strict").code == 1


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ representative.__globals__ }}",
        "{{ contact.__class__.__init__.__globals__['os'].system('touch PWNED') }}",
        "{{ ''.format.__self__ }}",
        "{{ range.__call__.__globals__ }}",
    ],
)
def test_sandbox_violation_is_reported_and_not_executed(cli, notice_dir, attack):
    _, line = append_to_section(notice_dir, "introduction", attack)
    result = check(cli, notice_dir)
    assert result.code == 1
    assert re.search(rf"sections/introduction\.md:{line}: ", result.stderr), result.stderr
    assert not (notice_dir / "PWNED").exists()
    assert not Path("PWNED").exists()


def test_every_problem_is_reported_at_once(cli, notice_dir):
    append_to_section(notice_dir, "cpni-rights", "{{ contact.fax }}")
    append_to_section(notice_dir, "fcra-rights", "{{ nothing_here }}")
    result = check(cli, notice_dir)
    assert result.code == 1
    assert "cpni-rights.md" in result.stderr and "fcra-rights.md" in result.stderr


def test_missing_notice_yml(cli, tmp_path):
    result = check(cli, tmp_path)
    assert result.code == 1
    assert result.stderr.startswith("notice.yml: file not found")


def test_render_reports_the_same_problems(cli, notice_dir):
    _, line = append_to_section(notice_dir, "cpni-rights", "{{ contact.fax }}")
    result = cli("render", "--root", str(notice_dir))
    assert_no_traceback(result)
    assert result.code == 1
    assert f"sections/cpni-rights.md:{line}:" in result.stderr
    assert result.stdout == ""


def test_usage_error_exits_2(cli):
    result = cli("render", "--format", "pdf", "--root", str(PROJECT))
    assert result.code == 2


def test_an_in_page_link_to_no_section_is_refused(notice_dir: Path, cli):
    section = notice_dir / "sections" / "cookie-rights.md"
    text = section.read_text(encoding="utf-8")
    section.write_text(text + "\nSee [your rights](#cookie-rights) and [more](#nowhere).\n")
    result = cli("check", "--root", str(notice_dir))
    assert result.code == 1
    lines = [line for line in result.stderr.splitlines() if "#nowhere" in line]
    assert len(lines) == 1 and lines[0].startswith("sections/cookie-rights.md:")
    assert "points to no section or anchor" in lines[0]
    assert "#cookie-rights" not in result.stderr


# What `notice check` of a version not yet released may leave unloaded: the PDF writer, the site
# builder, urllib's HTTP stack and git (the release comparison loads it when the ledger names the
# version). Each was a tenth or more of the check's import floor (scripts/bench_build.py).
UNLOADED = ("weasyprint", "pikepdf", "mkdocs", "urllib.request", "git")
LOADED_AFTER_CHECK = """\
import sys
from notice.cli import main
root, names = sys.argv[1], sys.argv[2:]
sys.argv = ["notice", "check", "--root", root]
try:
    main()
except SystemExit:
    pass
print(" ".join(name for name in names if name in sys.modules))
"""


def test_check_of_an_unreleased_version_loads_no_pdf_site_http_or_git(tmp_path: Path) -> None:
    root = copy_notice(tmp_path / "notice")
    result = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER_CHECK, str(root), *UNLOADED],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "ok: notice is valid" in result.stderr, result.stderr
    assert result.stdout.split() == [], result.stdout
