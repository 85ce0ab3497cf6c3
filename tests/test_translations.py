"""Translations on the real MetTel notice in real git repositories: files, status, check, site,
PDF (a Greek one with embedded fonts), release and verify."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from notice.archive.ledger import GENESIS, Entry, canonical, ledger_text, parse_ledger
from notice.languages.overlay import render_language
from notice.publish.pdf import write_pdf
from notice.render.rendering import render
from notice.source.load import load_notice
from notice.source.worktree import WorkingTree
from tests.conftest import (
    CliResult,
    assert_no_traceback,
    commit_all,
    edit,
    is_coverage_gap,
    registrar,
    run_notice,
    undocumented,
)
from tests.notice_versions import change_wording, commit_version
from tests.test_pdf import run_tool

FR_CHANGES = "translations/fr/changes-to-this-notice.md"
FR_TITLE = "MODIFICATIONS DE CET AVIS DE CONFIDENTIALITÉ"
FR_BODY = (
    "Nous pouvons modifier cet avis de temps à autre. Consultez cette page régulièrement "
    "pour rester informé de vos droits. Écrivez-nous à {{ contact.email }}.\n"
)


def add_languages(root: Path, *languages: str) -> None:
    """notice.yml lists these languages, the first being the source."""
    edit(
        root / "notice.yml",
        "page_size: letter",
        f"page_size: letter\nlanguages: [{', '.join(languages)}]",
    )


def translate(root: Path, lang: str, section_id: str, title: str, body: str) -> Path:
    """What a translator does: `notice translate`, then the title and text, status removed."""
    result = run_notice("translate", lang, "--root", str(root))
    assert result.code == 0, result.stderr
    path = root / "translations" / lang / f"{section_id}.md"
    front = path.read_text(encoding="utf-8").split("---\n")[1]
    kept = [
        line
        for line in front.splitlines()
        if line.startswith("source_sha256:")  # written by the toolkit, kept as it is
    ]
    path.write_text(f"---\ntitle: {title}\n{kept[0]}\n---\n{body}", encoding="utf-8")
    return path


@pytest.fixture
def french(notice_repo: Path) -> Path:
    """The MetTel notice with a French translation of one section (the rest untranslated)."""
    add_languages(notice_repo, "en", "fr")
    translate(notice_repo, "fr", "changes-to-this-notice", FR_TITLE, FR_BODY)
    commit_all(notice_repo, "French translation of one section")
    return notice_repo


def status(root: Path) -> dict:
    result = run_notice("translations", "--json", "--root", str(root))
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def states(root: Path, lang: str = "fr") -> dict[str, str]:
    return {item["id"]: item["state"] for item in status(root)[lang]["sections"]}


def test_translate_writes_every_missing_file_marked_untranslated(french: Path):
    files = sorted(p.name for p in (french / "translations" / "fr").glob("*.md"))
    assert len(files) == len(load_notice(french).sections)
    title = (french / "translations/fr/notice.yml").read_text(encoding="utf-8")
    assert "title: MetTel Privacy Notice" in title and "status: untranslated" in title
    assert status(french)["fr"]["title"]["state"] == "untranslated"
    untranslated = (french / "translations/fr/introduction.md").read_text(encoding="utf-8")
    assert "status: untranslated" in untranslated
    assert "This MetTel Privacy Notice" in untranslated  # the source text, for the translator
    found = states(french)
    assert found["changes-to-this-notice"] == "current"
    assert set(found.values()) == {"current", "untranslated"}


def test_translate_never_overwrites_a_translated_file(french: Path):
    before = (french / FR_CHANGES).read_bytes()
    change_wording(french)
    result = run_notice("translate", "fr", "--root", str(french))
    assert result.code == 0, result.stderr
    assert (french / FR_CHANGES).read_bytes() == before
    assert FR_CHANGES not in result.stdout


def test_french_page_and_pdf(french: Path, tmp_path: Path):
    result = run_notice("build", "--root", str(french))
    assert_no_traceback(result)
    assert result.code == 0, result.stderr
    page = (french / "site/fr/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in page
    assert f"IV. {FR_TITLE}" in re.sub(r"<[^>]+>", "", page)  # numbering unchanged
    assert "Dernière mise à jour : <time" in page
    assert "11 novembre 2022" in page
    assert "Cette traduction suit la version du 11 novembre 2022 du texte en anglais" in page
    assert "le texte en anglais fait foi" in page
    assert re.search(r'<section class="notice-section level-1" lang="en">\n<h2 id="info', page)
    assert 'hreflang="en"' in page and 'hreflang="fr"' in page  # material's switcher
    english = (french / "site/index.html").read_text(encoding="utf-8")
    assert 'href="fr/" hreflang="fr" lang="fr">français</a>' in english
    pdf = french / "site/mettel-privacy-notice-2022-11-11.fr.pdf"
    assert f'href="../{pdf.name}"' in page
    text = run_tool("pdftotext", "-layout", str(pdf), "-").stdout
    assert FR_TITLE in text and "Dernière mise à jour : 11 novembre 2022" in text
    assert "Page 1 sur" in text
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "fr"
    search = json.loads((french / "site/search/search_index.json").read_text(encoding="utf-8"))
    assert search["config"]["lang"] == ["en", "fr"]


def test_english_change_marks_the_translation_stale(french: Path):
    change_wording(french, "periodically", "regularly")
    commit_all(french, "English wording")
    found = status(french)["fr"]["sections"]
    changes = next(item for item in found if item["id"] == "changes-to-this-notice")
    assert changes["state"] == "stale"
    assert changes["follows"]["last_updated"] == "2022-11-11"
    redline = json.dumps(changes["follows"]["redline"])
    assert "regularly" in redline and "periodically" in redline
    french_diff = run_notice("diff", "HEAD~1", "HEAD", "--lang", "fr", "--root", str(french))
    assert french_diff.code == 0, french_diff.stderr
    assert "Redline" in french_diff.stdout  # the French text (English sections too) redlined
    printed = run_notice("translations", "fr", "--root", str(french)).stdout
    assert "[-periodically-]{+regularly+}" in printed

    check = run_notice("check", "--root", str(french))
    assert check.code == 0, check.stderr
    lines = [line for line in check.stderr.splitlines() if not is_coverage_gap(line)]
    assert any(
        re.match(rf"{FR_CHANGES}:\d+: warning: stale: the English section", line) for line in lines
    ), check.stderr
    assert any("translations/fr/introduction.md: warning: untranslated" in x for x in lines)
    assert run_notice("check", "--strict", "--root", str(french)).code == 1

    assert run_notice("build", "--root", str(french)).code == 0
    page = (french / "site/fr/index.html").read_text(encoding="utf-8")
    assert "suivent un texte en anglais antérieur : IV. " + FR_TITLE in page

    done = run_notice(
        "translate", "fr", "--updated", "changes-to-this-notice", "--root", str(french)
    )
    assert done.code == 0, done.stderr
    assert states(french)["changes-to-this-notice"] == "current"


def test_a_broken_translation_is_reported_with_its_line(french: Path):
    edit(french / FR_CHANGES, "{{ contact.email }}", "{{ contact.fax }}")
    result = run_notice("check", "--root", str(french))
    assert_no_traceback(result)
    assert result.code == 1
    assert f"{FR_CHANGES}:" in result.stderr and "'contact.fax' is undefined" in result.stderr


GREEK_TITLE = "ΑΛΛΑΓΕΣ ΣΕ ΑΥΤΗ ΤΗΝ ΕΙΔΟΠΟΙΗΣΗ"
GREEK_BODY = "Ενδέχεται να τροποποιούμε αυτή την ειδοποίηση απορρήτου κατά καιρούς.\n"


def test_a_greek_translation_renders_in_the_pdf_with_embedded_fonts(notice_dir: Path):
    add_languages(notice_dir, "en", "el")
    translate(notice_dir, "el", "changes-to-this-notice", GREEK_TITLE, GREEK_BODY)
    rendered = render(load_notice(notice_dir))
    greek = render_language(WorkingTree(notice_dir), rendered, "el")
    artifact = write_pdf(greek, notice_dir / greek.notice.pdf_name)
    assert artifact.path.name == "mettel-privacy-notice-2022-11-11.el.pdf"
    text = run_tool("pdftotext", str(artifact.path), "-").stdout
    assert GREEK_TITLE in text and "κατά καιρούς" in text
    assert "Τελευταία ενημέρωση: 11 Νοεμβρίου 2022" in text
    fonts = run_tool("pdffonts", str(artifact.path)).stdout.splitlines()[2:]
    rows = [line.split() for line in fonts if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), fonts  # every font embedded
    assert any("DejaVu" in row[0] for row in rows)
    assert PdfReader(artifact.path).trailer["/Root"]["/Lang"] == "el"


def test_an_unknown_language_is_refused_in_one_line(french: Path):
    result = run_notice("translate", "de", "--root", str(french))
    assert_no_traceback(result)
    assert result.code == 1
    assert re.match(
        r"notice\.yml:\d+: language 'de' is not in languages: \[en, fr\]", result.stderr
    )


def test_release_archives_both_languages_and_verify_checks_them(french: Path):
    result = run_notice("release", "--root", str(french))
    assert result.code == 0, result.stderr
    ledger = json.loads((french / "archive/ledger.json").read_text(encoding="utf-8"))
    (fr,) = ledger["entries"][0]["translations"]
    assert fr["lang"] == "fr" and fr["pdf"] == "mettel-privacy-notice-2022-11-11.fr.pdf"
    assert fr["stale"] == [] and "introduction" in fr["untranslated"]
    pdf = french / "archive" / fr["pdf"]
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == fr["pdf_sha256"]
    assert FR_TITLE in run_tool("pdftotext", str(pdf), "-").stdout
    commit_all(french, "release 2022-11-11")
    verified = run_notice("verify", "--root", str(french))
    assert verified.code == 0, verified.stderr
    as_of = run_notice("as-of", "2023-01-01", "--lang", "fr", "--root", str(french))
    assert as_of.code == 0, as_of.stderr
    assert f"pdf archive/{fr['pdf']}" in as_of.stdout and fr["pdf_sha256"] in as_of.stdout
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    tampered = run_notice("verify", "--root", str(french))
    assert tampered.code == 1
    assert f"archive/{fr['pdf']}: sha256 is" in tampered.stderr
    assert "entry 2022-11-11 (fr) records" in tampered.stderr


def test_an_entry_without_translations_hashes_as_before():
    entry = Entry(
        version=date(2022, 11, 11),
        effective=date(2022, 11, 11),
        summary="s",
        commit="1" * 40,
        pdf="n-2022-11-11.pdf",
        pdf_sha256="2" * 64,
        text_sha256="3" * 64,
        released="2022-11-11T12:00:00Z",
        previous=GENESIS,
    )
    assert "translations" not in entry.record()
    (parsed,) = parse_ledger(ledger_text([entry]))
    assert parsed.digest == entry.digest == hashlib.sha256(canonical(entry.record())).hexdigest()


def test_release_refused_while_a_required_translation_is_incomplete(french: Path):
    edit(
        french / "notice.yml", "languages: [en, fr]", "languages: [en, fr]\nrequire_complete: [fr]"
    )
    commit_all(french, "French required")
    result = run_notice("release", "--root", str(french))
    assert_no_traceback(result)
    assert result.code == 1
    assert "translation 'fr' is required complete" in result.stderr
    assert "translations/fr/" in result.stderr
    assert not (french / "archive/ledger.json").exists()


def test_history_of_a_translation_gives_each_version_with_its_state(french: Path):
    change_wording(french, "periodically", "regularly")
    commit_version(french, "2023-01-10", "Clearer wording.")
    result = run_notice("history", "--lang", "fr", "--json", "--root", str(french))
    assert result.code == 0, result.stderr
    first, second = json.loads(result.stdout)
    assert (first["last_updated"], second["last_updated"]) == ("2022-11-11", "2023-01-10")
    assert first["sections"]["changes-to-this-notice"] == "current"
    assert second["sections"]["changes-to-this-notice"] == "stale"
    assert first["counts"]["current"] == 1 and first["counts"]["stale"] == 0
    assert second["counts"]["current"] == 0 and second["counts"]["stale"] == 1
    assert first["fingerprint"] != second["fingerprint"]  # each version's own rendering
    printed = run_notice("history", "--lang", "fr", "--root", str(french))
    assert printed.code == 0, printed.stderr
    lines = printed.stdout.splitlines()
    assert lines[0].startswith("2022-11-11") and "fr: 1 current, 0 stale" in lines[0]
    assert lines[1].startswith("2023-01-10") and "fr: 0 current, 1 stale" in lines[1]
    unknown = run_notice("history", "--lang", "de", "--root", str(french))
    assert unknown.code == 1 and "language 'de' is not in languages" in unknown.stderr


FR_NOTICE_TITLE = "Avis de confidentialité de MetTel"


def translate_title(root: Path, title: str) -> Path:
    """What a translator does with translations/<lang>/notice.yml: the title, status removed."""
    path = root / "translations/fr/notice.yml"
    kept = [x for x in path.read_text(encoding="utf-8").splitlines() if x.startswith("source_")]
    path.write_text(f"title: {title}\n{kept[0]}\n", encoding="utf-8")
    return path


def test_the_french_page_and_pdf_are_titled_in_french(french: Path):
    translate_title(french, FR_NOTICE_TITLE)
    assert status(french)["fr"]["title"]["state"] == "current"
    result = run_notice("build", "--root", str(french))
    assert result.code == 0, result.stderr
    page = (french / "site/fr/index.html").read_text(encoding="utf-8")
    assert f"<title>{FR_NOTICE_TITLE}" in page
    english = (french / "site/index.html").read_text(encoding="utf-8")
    assert FR_NOTICE_TITLE not in english
    pdf = french / "site/mettel-privacy-notice-2022-11-11.fr.pdf"  # named as the source's
    assert PdfReader(pdf).metadata.title == FR_NOTICE_TITLE
    assert FR_NOTICE_TITLE in run_tool("pdftotext", str(pdf), "-").stdout
    edit(french / "notice.yml", "title: MetTel Privacy Notice", "title: MetTel Notice")
    stale = run_notice("check", "--root", str(french))
    assert re.search(r"translations/fr/notice\.yml:2: warning: stale title", stale.stderr)
    done = run_notice("translate", "fr", "--updated", "notice.yml", "--root", str(french))
    assert done.code == 0, done.stderr
    assert status(french)["fr"]["title"]["state"] == "current"


def test_an_untranslated_title_falls_back_and_a_wrong_key_is_located(french: Path):
    rendered = render(load_notice(french))
    assert (
        render_language(WorkingTree(french), rendered, "fr").notice.title == rendered.notice.title
    )
    check = run_notice("check", "--root", str(french))
    assert re.search(r"translations/fr/notice\.yml:\d+: warning: untranslated title", check.stderr)
    path = french / "translations/fr/notice.yml"
    path.write_text(path.read_text(encoding="utf-8") + "subtitle: x\n", encoding="utf-8")
    wrong = run_notice("check", "--root", str(french))
    assert_no_traceback(wrong)
    assert wrong.code == 1
    assert re.search(
        r"translations/fr/notice\.yml:\d+: unknown front matter key 'subtitle'", wrong.stderr
    )


FR_MACROS = """{% macro representative(verb="emailing", call_verb="calling") -%}
votre représentant dédié au service client à {{ contact.email }}
{%- endmacro %}
{% macro opt_out_of_sharing(residents) -%}
Les résidents de {{ residents }} peuvent refuser ce partage en écrivant à {{ representative() }}
{%- endmacro %}
"""


def test_a_macro_with_a_french_body_renders_french_in_french_only(french: Path):
    (french / "macros/contact.fr.j2").write_text(FR_MACROS, encoding="utf-8")
    translate(french, "fr", "cpni-rights", "DROITS CPNI", "Écrivez à {{ representative() }}.\n")
    rendered = render(load_notice(french))
    cpni = rendered.section("cpni-rights").text
    assert "your dedicated customer service representative" in cpni
    assert "représentant" not in rendered.text
    in_french = render_language(WorkingTree(french), rendered, "fr")
    assert "Écrivez à votre représentant dédié" in in_french.section("cpni-rights").text
    maine = in_french.section("maine-privacy-rights").text  # untranslated: the English body
    assert "your dedicated customer service representative" in maine
    assert "représentant" not in maine
    result = run_notice("build", "--root", str(french))
    assert result.code == 0, result.stderr
    page = (french / "site/fr/index.html").read_text(encoding="utf-8")
    assert "Écrivez à votre représentant dédié" in page
    assert "représentant" not in (french / "site/index.html").read_text(encoding="utf-8")


def test_a_macro_body_in_an_unlisted_language_is_refused(french: Path):
    (french / "macros/contact.de.j2").write_text(FR_MACROS, encoding="utf-8")
    result = run_notice("check", "--root", str(french))
    assert_no_traceback(result)
    assert result.code == 1
    assert re.search(
        r"^macros/contact\.de\.j2: language 'de' is not a translated", result.stderr, re.M
    )


# --- hostile translation files: each case id has a row in SECURITY.md -------------------------

CASES: dict[str, str] = {}
case = registrar(CASES)


def lines_about(result: CliResult, path: str) -> list[str]:
    """The lines of check's output that name path (no traceback, no /etc/passwd)."""
    assert_no_traceback(result)
    assert "root:x:0:0" not in result.stdout + result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith(f"{path}:")]


@case("translation-symlink")
def test_a_linked_translation_is_refused(french: Path):
    target = french / "translations/fr/introduction.md"
    target.unlink()
    target.symlink_to("/etc/passwd")
    result = run_notice("check", "--root", str(french))
    assert result.code == 1
    (line,) = lines_about(result, "translations/fr/introduction.md")
    assert "is a link: refused" in line


@case("translation-title-control-character")
def test_a_control_character_in_a_translated_title_is_refused(french: Path):
    edit(french / FR_CHANGES, f"title: {FR_TITLE}", f"title: {FR_TITLE}\x1b[2J")
    (french / "translations/fr/notice.yml").write_text(
        f"title: Avis\u202e\nsource_sha256: {'0' * 64}\n", encoding="utf-8"
    )
    result = run_notice("check", "--root", str(french))
    assert result.code == 1
    (line,) = lines_about(result, FR_CHANGES)
    assert re.match(rf"{FR_CHANGES}:2: .*control character \(U\+001B\)", line), line
    (line,) = lines_about(result, "translations/fr/notice.yml")
    assert re.match(r"translations/fr/notice\.yml:1: .*control character \(U\+202E\)", line)


@case("translation-unknown-section")
def test_a_translation_of_no_section_is_a_warning(french: Path):
    path = "translations/fr/no-such-section.md"
    (french / path).write_text(f"---\ntitle: X\nsource_sha256: {'0' * 64}\n---\nX\n")
    result = run_notice("check", "--root", str(french))
    assert result.code == 0, result.stderr
    (line,) = lines_about(result, path)
    assert "warning: no section 'no-such-section' in the notice: remove this translation" in line
    assert run_notice("check", "--strict", "--root", str(french)).code == 1


@case("translation-file-name")
def test_a_translation_file_name_outside_the_rule_is_refused(french: Path):
    (french / "translations/fr/introduction.md").rename(french / "translations/fr/Intro Duction.md")
    result = run_notice("check", "--root", str(french))
    assert result.code == 1
    (line,) = lines_about(result, "translations/fr/Intro Duction.md")
    assert "rename it to translations/fr/intro-duction.md" in line


def test_every_translation_case_is_documented():
    assert undocumented(CASES) == []
