"""Mistakes an editor makes in the first hour, answered with advice and the line: YAML written
wrong, a date out of range, a misspelt variable or macro, an error inside a macro (said once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_no_traceback, edit


def problems(cli, root: Path) -> list[str]:
    result = cli("check", "--root", str(root))
    assert_no_traceback(result)
    assert result.code == 1, result.stderr
    return [line for line in result.stderr.splitlines() if ": warning: " not in line]


@pytest.mark.parametrize(
    ("old", "new", "line", "said"),
    [
        (
            "summary: The MetTel Privacy Notice as published on November 11, 2022.",
            "summary: The notice: as published on November 11, 2022.",
            7,
            'a value holding a colon must be quoted: write key: "text: more text"',
        ),
        (
            "    phone: (800) 876-9823",
            "   phone: (800) 876-9823",
            18,
            "indentation: indent by two spaces under `contact:` (4 spaces)",
        ),
        ("company: MetTel", 'company: "MetTel', 5, "a quote is opened and never closed"),
    ],
)
def test_broken_yaml_is_advice_with_its_line(cli, notice_dir, old, new, line, said):
    edit(notice_dir / "notice.yml", old, new)
    [message] = problems(cli, notice_dir)
    assert message.startswith(f"notice.yml:{line}: malformed YAML: {said}"), message
    assert "<block" not in message and "mapping values" not in message


@pytest.mark.parametrize(
    ("day", "said"),
    [
        ("2026-13-03", "month 13 does not exist (months are 01 to 12)"),
        ("2022-02-30", "day 30 does not exist: February 2022 has 28 days"),
    ],
)
def test_a_date_out_of_range_names_the_month_or_day(cli, notice_dir, day, said):
    edit(notice_dir / "notice.yml", "last_updated: 2022-11-11", f"last_updated: {day}")
    [message] = problems(cli, notice_dir)
    assert message == f"notice.yml:6: last_updated: '{day}' is not a valid date: {said}"


def test_a_misspelt_variable_or_macro_gets_the_closest_name(cli, notice_dir):
    cpni = notice_dir / "sections" / "cpni-rights.md"
    edit(cpni, "{{ representative() }}", "{{ representativ() }}")
    intro = notice_dir / "sections" / "introduction.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\nWrite to {{ contact.emial }}.\n")
    said = problems(cli, notice_dir)
    assert any("unknown macro 'representativ' (did you mean 'representative'?)" in s for s in said)
    assert any("'contact.emial' is undefined (did you mean 'contact.email'?)" in s for s in said)


def test_an_error_inside_a_macro_is_said_once_with_the_line_that_called_it(cli, notice_dir):
    edit(notice_dir / "macros" / "contact.j2", "{{ contact.phone }}", "{{ contact.phon }}")
    [message] = problems(cli, notice_dir)
    assert message.startswith("macros/contact.j2:6: 'contact.phon' is undefined")
    assert "(did you mean 'contact.phone'?)" in message
    assert message.endswith("(called from sections/cpni-rights.md:14 and 4 other calls)")
