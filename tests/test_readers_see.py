"""What readers see is what the date guards: each hostile edit of the issue against the released
2022-11-11 version, on a clone of this repository, refused by plain `notice check` (the ledger
knows what was released) and by `check --base HEAD`; reflows and renamed files pass."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from notice.archive.ledger import GENESIS, Entry, chain_problems, ledger_text, parse_ledger
from notice.publish.site.translationpages import banner_lines, read_translations
from notice.render.rendering import render
from notice.source.load import load_notice
from tests.conftest import (
    PROJECT,
    assert_no_traceback,
    commit_all,
    copy_notice,
    edit,
    git,
    registrar,
    run_notice,
    undocumented,
)
from tests.notice_versions import line_of, reflow
from tests.test_translations import FR_MACROS, add_languages, translate, translate_title

TODAY = "2026-12-01"
CPNI = "sections/cpni-rights.md"
OPT_OUT = "only if you do not “opt out”"
LINK = "[Cookie Consent Tool]({{ urls.cookie_consent_tool }})"
FIX = "set a new last_updated and summary"
CASES: dict[str, str] = {}
case = registrar(CASES)


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this repository: its ledger releases 2022-11-11 from a commit in its history."""
    clone = tmp_path_factory.mktemp("copy") / "repo"
    git(PROJECT, "clone", "-q", str(PROJECT), str(clone))
    git(clone, "checkout", "-q", "-B", "main")  # CI may check out a detached HEAD
    git(clone, "branch", "as-cloned")
    return clone


@pytest.fixture
def copy(project_copy: Path) -> Path:
    git(project_copy, "checkout", "-q", "-f", "-B", "main", "as-cloned")  # tests may commit
    git(project_copy, "clean", "-fdqx")
    return project_copy


def checks(root: Path) -> tuple[str, str]:
    """stderr of plain check and of check --base HEAD, asserting that both refuse."""
    said = []
    for extra in ((), ("--base", "HEAD")):
        result = run_notice("check", "--root", str(root), "--today", TODAY, *extra)
        assert_no_traceback(result)
        assert result.code == 1, (extra, result.stderr)
        said.append(result.stderr)
    return said[0], said[1]


def set_yaml(root: Path, line: str) -> None:
    edit(root / "notice.yml", "page_size: letter", f"page_size: letter\n{line}")


EDITS: dict[str, Callable[[Path], None]] = {
    "strike": lambda r: edit(r / CPNI, OPT_OUT, "only if you ~~do not~~ “opt out”"),
    "emphasis": lambda r: edit(r / CPNI, OPT_OUT, "only if you **do not** “opt out”"),
    "nesting": lambda r: edit(
        r / "sections/information-we-collect.md", "\n- Advanced Voice", "\n  - Advanced Voice"
    ),
    "link-title": lambda r: edit(
        r / "sections/cookie-rights.md", LINK, LINK[:-1] + ' "not binding")'
    ),
    "date-line-text": lambda r: set_yaml(
        r,
        'date_line: {text: "This notice was withdrawn on {date}; none of it applies", '
        "position: top}",
    ),
    "date-line-none": lambda r: set_yaml(r, "date_line: {position: none}"),
    "date-format": lambda r: set_yaml(r, 'date_format: "%d/%m/1999"'),
    "title": lambda r: edit(
        r / "notice.yml", "title: MetTel Privacy Notice", "title: MetTel Notice"
    ),
}


@case("released-text-edited")
@pytest.mark.parametrize("kind", EDITS)
def test_a_visible_edit_under_the_released_date_is_refused(copy: Path, kind: str) -> None:
    EDITS[kind](copy)
    plain, based = checks(copy)
    line = line_of(copy / "notice.yml", "last_updated:")
    for said in (plain, based):
        assert f"notice.yml:{line}: the rendered text changed in" in said, said
        assert f"last_updated is still 2022-11-11, a released version: {FIX}" in said


def test_a_new_summary_under_the_released_date_is_refused(copy: Path) -> None:
    edit(copy / "notice.yml", "summary: The MetTel", "summary: Nothing changed. The MetTel")
    plain, based = checks(copy)
    line = line_of(copy / "notice.yml", "summary:")
    for said in (plain, based):
        assert f"notice.yml:{line}: summary changed under last_updated 2022-11-11" in said, said


def test_a_reflow_a_renamed_file_and_reordered_keys_pass_both_checks(copy: Path) -> None:
    reflow(copy)
    git(copy, "mv", CPNI, "sections/rights-cpni.md")
    text = (copy / "notice.yml").read_text(encoding="utf-8")
    keys = "title: MetTel Privacy Notice\ncompany: MetTel\n"
    (copy / "notice.yml").write_text(
        text.replace(keys, "company: MetTel\ntitle: MetTel Privacy Notice\n")
    )
    for extra in ((), ("--base", "HEAD")):
        result = run_notice("check", "--root", str(copy), "--today", TODAY, *extra)
        assert result.code == 0, result.stderr


def test_structure_typed_by_hand_is_an_error(copy: Path) -> None:
    nevada = copy / "sections/nevada-privacy-rights.md"
    edit(nevada, "title: Nevada Privacy Rights", "title: E. Nevada Privacy Rights")
    cpni = copy / CPNI
    lines = cpni.read_text(encoding="utf-8").split("\n")
    body = lines.index("---", 1) + 1
    lines.insert(body, "## A. CPNI Rights\n")
    cpni.write_text("\n".join(lines), encoding="utf-8")
    result = run_notice("check", "--root", str(copy), "--today", TODAY)
    assert result.code == 1
    assert "sections/nevada-privacy-rights.md:3: title 'E. Nevada Privacy Rights' starts with" in (
        result.stderr
    )
    assert f"{CPNI}:{body + 1}: the body starts with its own heading ('## A. CPNI Rights')" in (
        result.stderr
    )


@case("git-merge-ours-orphan-ledger")
def test_the_released_entry_verifies_and_a_merged_orphan_ledger_is_refused(copy: Path) -> None:
    ledger = copy / "archive/ledger.json"
    released = ledger.read_bytes()
    assert released == (PROJECT / "archive/ledger.json").read_bytes()
    clean = run_notice("verify", "--rebuild", "--root", str(copy))
    assert clean.code == 0, clean.stderr
    assert "1 rebuilt byte for byte" in clean.stderr  # the PDF of 2022-11-11, from its commit
    assert ledger.read_bytes() == released  # the ledger byte for byte, recipe rendered/1 kept
    # a doctored ledger (effective moved, chain recomputed) on an orphan branch, merged with
    # `-s ours` and then taken over: `git log -- archive/ledger.json` no longer shows main's
    git(copy, "checkout", "-q", "--orphan", "side")
    doctored = released.decode().replace('"effective": "2022-11-11"', '"effective": "2022-10-01"')
    ledger.write_text(doctored, encoding="utf-8")
    git(copy, "add", "-A")
    git(copy, "commit", "-qm", "side")
    git(copy, "checkout", "-q", "main")
    git(copy, "merge", "-q", "-s", "ours", "--allow-unrelated-histories", "-m", "merge", "side")
    git(copy, "checkout", "side", "--", "archive/ledger.json")
    git(copy, "commit", "-q", "--amend", "--no-edit")
    logged = git(copy, "log", "--format=%H", "--", "archive/ledger.json").split()
    assert git(copy, "rev-parse", "HEAD") not in logged  # history simplification hides it
    as_of = run_notice("as-of", "2022-10-15", "--root", str(copy))
    verified = run_notice("verify", "--root", str(copy))
    for result in (as_of, verified):
        assert_no_traceback(result)
        assert result.code == 1, result.stderr
        assert "entry 2022-11-11 as committed in" in result.stderr
        assert "is changed: the ledger is append-only" in result.stderr
        assert "its effective is 2022-10-01 but commit 459ecfa7ce gives 2022-11-11" in (
            result.stderr
        )
    assert "cannot be trusted, no answer for 2022-10-15" in as_of.stderr


FR_BODY = "Nous pouvons modifier cet avis. Écrivez à {{ representative() }}.\n"
FR_EDITS: dict[str, Callable[[Path], None]] = {
    "body": lambda r: edit(
        r / "translations/fr/changes-to-this-notice.md", "Nous pouvons", "Nous ne pouvons pas"
    ),
    "title": lambda r: edit(r / "translations/fr/notice.yml", "Avis de", "Projet d’avis de"),
    "macro": lambda r: (r / "macros/contact.fr.j2").write_text(FR_MACROS, encoding="utf-8"),
}


@pytest.fixture(scope="module")
def french_released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The notice with a French translation (a section, the title), released with both."""
    repo = copy_notice(tmp_path_factory.mktemp("french") / "repo")
    git(repo, "init", "-q")
    add_languages(repo, "en", "fr")
    translate(repo, "fr", "changes-to-this-notice", "MODIFICATIONS", FR_BODY)
    translate_title(repo, "Avis de confidentialité de MetTel")
    commit_all(repo, "French translation")
    released = run_notice("release", "--root", str(repo))
    assert released.code == 0, released.stderr
    commit_all(repo, "release 2022-11-11 in English and French")
    untouched = run_notice("check", "--root", str(repo), "--today", TODAY)
    assert untouched.code == 0, untouched.stderr
    return repo


@pytest.mark.parametrize("kind", FR_EDITS)
def test_a_released_translation_may_not_change_under_its_date(
    french_released: Path, kind: str
) -> None:
    git(french_released, "reset", "-q", "--hard")
    git(french_released, "clean", "-fdqx")
    FR_EDITS[kind](french_released)
    for said in checks(french_released):
        assert "the fr translation of released version 2022-11-11 changed in" in said, said
        assert "the rendered text changed" not in said  # the English text is as released


def test_audit_names_the_commit_that_changed_a_released_translation(french_released: Path):
    git(french_released, "reset", "-q", "--hard")
    FR_EDITS["body"](french_released)
    commit = commit_all(french_released, "French edited under the released date")
    try:
        result = run_notice("audit", "--root", str(french_released))
        assert_no_traceback(result)
        assert result.code == 1, result.stdout + result.stderr
        said = result.stdout + result.stderr
        assert commit[:10] in said and "the fr translation of released version 2022-11-11" in said
    finally:
        git(french_released, "reset", "-q", "--hard", "HEAD~1")


def test_a_translation_completed_after_its_release_is_released_on_its_own(tmp_path: Path):
    repo = copy_notice(tmp_path / "repo")
    git(repo, "init", "-q")
    commit_all(repo, "the notice")
    assert run_notice("release", "--root", str(repo)).code == 0
    commit_all(repo, "release 2022-11-11 in English")
    add_languages(repo, "en", "fr")
    translate(repo, "fr", "changes-to-this-notice", "MODIFICATIONS", FR_BODY)
    commit_all(repo, "French catches up, the English date unchanged")
    plain = run_notice("check", "--root", str(repo), "--today", TODAY)
    assert plain.code == 0, plain.stderr  # an unreleased language may catch up
    ledger = (repo / "archive/ledger.json").read_text(encoding="utf-8")
    again = run_notice("release", "--root", str(repo))
    assert again.code == 0 and "already released" in again.stdout
    released = run_notice("release", "--lang", "fr", "--root", str(repo))
    assert released.code == 0, released.stderr
    entries = parse_ledger((repo / "archive/ledger.json").read_text(encoding="utf-8"))
    assert ledger_text(entries[:1]) == ledger  # appended, the English entry untouched
    assert (entries[1].lang, entries[1].version, entries[1].text_recipe) == (
        "fr",
        entries[0].version,
        "rendering/3",
    )
    commit_all(repo, "release 2022-11-11 in French")
    as_of = run_notice("as-of", "2023-01-01", "--lang", "fr", "--root", str(repo))  # verifies
    assert as_of.code == 0 and f"pdf archive/{entries[1].pdf}" in as_of.stdout, as_of.stderr
    [french] = read_translations(repo, render(load_notice(repo)))  # what the site shows
    day = entries[1].released[:10]
    assert banner_lines(french, "en")[0].startswith("Cette traduction a été publiée à part le")
    assert french.released_alone == date.fromisoformat(day)
    FR_EDITS["body"](repo)
    for said in checks(repo):
        assert "the fr translation of released version 2022-11-11 changed in" in said
    commit_all(repo, "French edited under the released date")
    refused = run_notice("release", "--lang", "fr", "--root", str(repo))
    assert refused.code == 1 and "already released" in refused.stderr, refused.stderr
    assert "a correction needs a new last_updated" in refused.stderr


def test_a_language_release_follows_its_version_once_and_round_trips() -> None:
    day = date(2022, 11, 11)
    source = Entry(
        version=day,
        effective=day,
        summary="s",
        commit="1" * 40,
        pdf="n-2022-11-11.pdf",
        pdf_sha256="2" * 64,
        text_sha256="3" * 64,
        released="2022-11-11T12:00:00Z",
        previous=GENESIS,
        text_recipe="rendering/3",
    )
    french = replace(source, pdf="n-2022-11-11.fr.pdf", lang="fr", previous=source.digest)
    assert chain_problems([source, french]) == []
    assert parse_ledger(ledger_text([source, french])) == [source, french]
    assert '"lang"' not in ledger_text([source])  # stored only when set: older entries hash alike
    twice = replace(french, pdf="again.fr.pdf", previous=french.digest)
    assert "fr of version 2022-11-11 is released twice" in str(
        chain_problems([source, french, twice])
    )
    early = replace(french, version=date(2023, 1, 1))
    assert "which is not released" in str(chain_problems([source, early]))


def test_every_case_is_documented() -> None:
    assert undocumented(CASES) == []


def test_diff_names_a_change_in_the_same_words(copy: Path) -> None:
    EDITS["strike"](copy)
    shown = run_notice("diff", "--root", str(copy))
    assert shown.code == 0, shown.stderr
    assert "[sections/cpni-rights.md]: formatting changed" in shown.stdout
    assert "No change to the rendered text" not in shown.stdout


def test_an_archived_pdf_changed_in_history_is_named_even_once_restored(copy: Path) -> None:
    pdf = copy / "archive/mettel-privacy-notice-2022-11-11.pdf"
    data = pdf.read_bytes()
    pdf.write_bytes(data + b"\n")
    changed = commit_all(copy, "a changed archived PDF")
    pdf.write_bytes(data)
    commit_all(copy, "restored")
    result = run_notice("verify", "--root", str(copy))
    assert result.code == 1, result.stderr
    assert f"archive/{pdf.name}: changed or removed by commit {changed[:10]}" in result.stderr
