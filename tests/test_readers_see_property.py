"""Property: any visible edit of a released version (each kind the issue lists, drawn at random)
is refused by plain check and by check --base HEAD; a reflow, a renamed file or reordered YAML
keys pass both. A small released fixture with a French translation, checked in process."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notice.check import check_source
from notice.errors import Problem, Severity
from notice.versions.gate import check_against_base
from notice.versions.releasedcheck import released_problems
from tests.conftest import commit_all, edit, git, is_coverage_gap, run_notice
from tests.test_translations import translate, translate_title

TODAY = date(2024, 6, 1)
KEYS = {  # notice.yml, one block per top-level key: written in any order
    "title": "title: Example Notice",
    "company": "company: Example Co",
    "last_updated": "last_updated: 2024-03-01",
    "summary": "summary: The first version.",
    "page_size": "page_size: a4",
    "languages": "languages: [en, fr]",
    "numbering": "numbering: [upper-roman, upper-alpha]",
    "variables": "variables:\n  contact:\n    email: privacy@example.com",
    "sections": "sections:\n  - id: rights\n    sections: [choices]\n  - contact",
}
PARAGRAPH = (
    "You may ask us, by email, to delete your data at any\n"
    "time, only if you do not object to the review."
)
RIGHTS = f"""---
id: rights
title: Your Rights
---
{PARAGRAPH}
Read [our policy](https://a.example/policy "binding") and ![Example logo](https://a.example/logo.png).

1. Ask us.
2. Wait a month.

- Email
- Letter

| Right | Days |
| --- | --- |
| Access | 30 |
| Erasure | 60 |
"""
CHOICES = "---\nid: choices\ntitle: Your Choices\n---\nYou choose: write to {{ write_to() }}.\n"
CONTACT = "---\nid: contact\ntitle: Contact\n---\nWrite to {{ contact.email }}.\n"
MACRO = "{% macro write_to() -%}us at {{ contact.email }}{%- endmacro %}\n"
FR_RIGHTS = "Vous pouvez nous demander, par courriel, d’effacer vos données.\n"
FR_CHOICES = "Vous choisissez : écrivez-nous à {{ write_to() }}.\n"
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10)


def write_notice(root: Path, order: list[str]) -> None:
    (root / "notice.yml").write_text("\n".join(KEYS[key] for key in order) + "\n")


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("property") / "notice"
    (root / "sections").mkdir(parents=True)
    (root / "macros").mkdir()
    write_notice(root, list(KEYS))
    for name, text in (("rights", RIGHTS), ("choices", CHOICES), ("contact", CONTACT)):
        (root / "sections" / f"{name}.md").write_text(text, encoding="utf-8")
    (root / "macros/contact.j2").write_text(MACRO, encoding="utf-8")
    git(root, "init", "-q")
    translate(root, "fr", "rights", "Vos droits", FR_RIGHTS)
    translate(root, "fr", "choices", "Vos choix", FR_CHOICES)
    translate_title(root, "Avis d’exemple")
    commit_all(root, "the notice")
    result = run_notice("release", "--root", str(root), "--today", TODAY.isoformat())
    assert result.code == 0, result.stderr
    commit_all(root, "release 2024-03-01")
    return root


def errors(root: Path) -> tuple[list[Problem], list[Problem]]:
    """Errors of plain check and of check --base HEAD, as the CLI gathers them."""
    rendered, problems = check_source(root, today=TODAY)
    assert rendered is not None, problems
    problems = [p for p in problems if not is_coverage_gap(p.message) and "image" not in p.message]
    plain = problems + released_problems(root, rendered)
    based = problems + check_against_base(root, rendered, "HEAD", TODAY)
    return [[p for p in found if p.severity is Severity.ERROR] for found in (plain, based)]


def rights(root: Path, old: str, new: str) -> None:
    edit(root / "sections/rights.md", old, new)


def notice_yml(root: Path, old: str, new: str) -> None:
    edit(root / "notice.yml", old, new)


def add_key(root: Path, line: str) -> None:
    notice_yml(root, "page_size: a4", f"page_size: a4\n{line}")


def word_of(data: st.DataObject, text: str) -> str:
    return data.draw(st.sampled_from(re.findall(r"(?<= )[a-z]{4,}(?= )", text)))


def different(data: st.DataObject, old: str) -> str:
    return data.draw(WORD.filter(lambda word: word != old))


VISIBLE: dict[str, Callable[[Path, st.DataObject], None]] = {
    "strike": lambda r, d: rights(r, w := f" {word_of(d, PARAGRAPH)} ", f" ~~{w.strip()}~~ "),
    "emphasis": lambda r, d: rights(
        r,
        w := f" {word_of(d, PARAGRAPH)} ",
        f" {(m := d.draw(st.sampled_from('*_')))}{w.strip()}{m} ",
    ),
    "list-marker": lambda r, d: rights(r, "1. Ask", f"{d.draw(st.integers(2, 99))}. Ask"),
    "nesting": lambda r, d: rights(
        r, *d.draw(st.sampled_from([("- Letter", "  - Letter"), ("2. Wait", "   - Wait")]))
    ),
    "table-cell": lambda r, d: rights(
        r,
        *d.draw(
            st.sampled_from(
                [
                    ("| Access | 30 |\n| Erasure | 60 |", "| Access | 60 |\n| Erasure | 30 |"),
                    ("| Access | 30 |\n| Erasure | 60 |", "| Erasure | 30 |\n| Access | 60 |"),
                ]
            )
        ),
    ),
    "link-title": lambda r, d: rights(r, '"binding"', f'"{different(d, "binding")}"'),
    "image-alt": lambda r, d: rights(r, "[Example logo]", f"[{different(d, 'logo')}]"),
    "translation-body": lambda r, d: edit(
        r / "translations/fr/rights.md", "par courriel", f"par {different(d, 'courriel')}"
    ),
    "translation-title": lambda r, d: edit(
        r / "translations/fr/notice.yml", "Avis", different(d, "Avis")
    ),
    "language-macro": lambda r, d: (r / "macros/contact.fr.j2").write_text(
        MACRO.replace("us at", different(d, "us")), encoding="utf-8"
    ),
    "date-line-text": lambda r, d: add_key(
        r, f'date_line: {{text: "{different(d, "Last")} {{date}}"}}'
    ),
    "date-line-position": lambda r, d: add_key(
        r, f"date_line: {{position: {d.draw(st.sampled_from(['top', 'none']))}}}"
    ),
    "date-format": lambda r, d: add_key(
        r, f'date_format: "{d.draw(st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%B %-d, 1999"]))}"'
    ),
    "title": lambda r, d: notice_yml(r, "Example Notice", f"Example {different(d, 'Notice')}"),
    "summary": lambda r, d: notice_yml(r, "The first version.", different(d, "x") + "."),
    "heading-level": lambda r, d: notice_yml(
        r, "sections: [choices]\n  - contact", "sections: [choices, contact]"
    ),
}


def reset(root: Path) -> None:
    git(root, "reset", "-q", "--hard")
    git(root, "clean", "-fdqx")


@pytest.mark.parametrize("kind", sorted(VISIBLE))
@settings(
    max_examples=1, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_visible_edit_of_a_released_version_is_refused(released, kind, data) -> None:
    reset(released)
    VISIBLE[kind](released, data)
    plain, based = errors(released)
    for found in (plain, based):
        assert any("released" in p.message and p.path == "notice.yml" for p in found), (kind, found)


def reflow(root: Path, data: st.DataObject) -> None:
    spaces = [m.start() for m in re.finditer(" ", PARAGRAPH)]
    picked = data.draw(st.sets(st.sampled_from(spaces), max_size=4))
    text = "".join("\n" if i in picked else c for i, c in enumerate(PARAGRAPH.replace("\n", " ")))
    rights(root, PARAGRAPH, text)


def rename(root: Path, data: st.DataObject) -> None:
    name = data.draw(WORD.filter(lambda w: w not in ("rights", "choices")))
    git(root, "mv", "sections/contact.md", f"sections/{name}.md")


def reorder(root: Path, data: st.DataObject) -> None:
    write_notice(root, data.draw(st.permutations(list(KEYS))))


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kinds=st.sets(st.sampled_from(["reflow", "rename", "reorder"]), min_size=1), data=st.data())
def test_reflows_renames_and_key_orders_pass(released, kinds, data) -> None:
    reset(released)
    for kind in sorted(kinds):
        {"reflow": reflow, "rename": rename, "reorder": reorder}[kind](released, data)
    plain, based = errors(released)
    assert plain == [] and based == [], (kinds, plain, based)
