"""Every promise per document, for reading and judging: a real git repository holding the MetTel
notice and a cookie policy added by hand under documents/cookies (issue 22's layout)."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pypdf
import pytest
import tinyhtml5

from notice.archive.ledger import Entry, head, ledger_text, parse_ledger
from notice.publish.pdf import pdf_bytes
from notice.render.doclinks import absolute_url, doc_link, relative_url
from notice.render.rendering import render
from notice.render.texthash import RECIPE, text_hash
from notice.source.load import load_notice
from notice.versions.gate import check_against_base
from tests.conftest import PROJECT, commit_all, copy_notice, edit, git, run_notice

COOKIES_YML = """\
title: MetTel Cookie Policy
company: MetTel
last_updated: 2024-02-10
summary: First cookie policy.
variables:
  cookies:
    days: 30
    unused: never printed
  banner: on every page
sections:
  - what-cookies
"""
COOKIES_SECTION = """\
---
id: what-cookies
title: What cookies we use
---
We keep cookies for {{ cookies.days }} days. Ask {{ contact.email }}, or {{ representative() }}.
Read [your rights](doc:root#your-rights) and [the CPNI part](doc:root). A banner {{ banner }}.
"""
TODAY = "2024-06-01"


def _add_cookies(project: Path) -> None:
    """The second document, by hand: documents: in the root notice.yml and its own folder."""
    edit(project / "notice.yml", "\nsections:\n", "\ndocuments: [cookies]\nsections:\n")
    edit(
        project / "notice.yml",
        "  urls:\n",
        "  urls:\n    cookie_settings: https://www.mettel.net/cookies/\n",
    )
    folder = project / "documents" / "cookies"
    (folder / "sections").mkdir(parents=True)
    (folder / "notice.yml").write_text(COOKIES_YML)
    (folder / "sections" / "what-cookies.md").write_text(
        COOKIES_SECTION + "Settings: <{{ urls.cookie_settings }}>.\n"
    )


def _release_cookies(repo: Path, commit: str) -> None:
    """A ledger entry for the cookie policy's first version at commit, after MetTel's (the
    release command's own part is tested with release; here only the ledger's word counts)."""
    ledger = repo / "archive" / "ledger.json"
    entries = parse_ledger(ledger.read_text())
    rendered = render(load_notice(repo / "documents" / "cookies"))
    entry = Entry(
        version=date(2024, 2, 10),
        effective=date(2024, 2, 10),
        summary="First cookie policy.",
        commit=commit,
        pdf="mettel-cookie-policy-2024-02-10.pdf",
        pdf_sha256="0" * 64,
        text_sha256=text_hash(rendered, RECIPE),
        released="2024-02-10T12:00:00Z",
        previous=head(entries),
        text_recipe=RECIPE,
        document="cookies",
    )
    ledger.write_text(ledger_text([*entries, entry]))


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """main: MetTel as released (its archive), the cookie policy released on 2024-02-10, then
    its second version of 2024-03-01."""
    project = copy_notice(tmp_path_factory.mktemp("documents") / "repo")
    shutil.copytree(PROJECT / "archive", project / "archive")
    (project / ".gitignore").write_text("/site/\n/.cache/\n")
    _add_cookies(project)
    git(project, "init", "-q")
    first = commit_all(project, "Cookie policy of 2024-02-10", "2024-02-10T12:00:00")
    _release_cookies(project, first)
    commit_all(project, "Release the cookie policy of 2024-02-10", "2024-02-10T13:00:00")
    cookies = project / "documents" / "cookies" / "notice.yml"
    edit(cookies, "days: 30", "days: 60")
    edit(cookies, "2024-02-10\nsummary: First cookie policy.", "2024-03-01\nsummary: Sixty days.")
    commit_all(project, "Cookie policy of 2024-03-01", "2024-03-01T12:00:00")
    yield project


def _check(repo: Path, *args: str) -> tuple[int, list[str]]:
    result = run_notice("check", "--root", str(repo), "--today", TODAY, *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result.code, result.stderr.splitlines()


def test_check_covers_every_document_with_real_paths(repo: Path) -> None:
    code, lines = _check(repo)
    assert code == 0, lines
    # the cookie policy's own unused variable, in its own file and line; the root's
    # urls.cookie_settings is used by the cookie policy only, so it is no warning for the root
    assert "documents/cookies/notice.yml:8: warning: variable 'cookies.unused' is defined" in (
        "\n".join(lines)
    )
    assert not [line for line in lines if "cookie_settings" in line or "'banner'" in line], lines
    only_root = _check(repo, "--document", "root")[1]
    assert not [line for line in only_root if "cookie_settings" in line or "cookies/" in line]


def test_history_diff_and_audit_per_document(repo: Path) -> None:
    cookies = run_notice("history", "--root", str(repo), "--document", "cookies", "--json")
    assert cookies.code == 0, cookies.stderr
    assert [v["last_updated"] for v in _json(cookies.stdout)] == ["2024-02-10", "2024-03-01"]
    root = run_notice("history", "--root", str(repo), "--json")
    assert [v["last_updated"] for v in _json(root.stdout)] == ["2022-11-11"]
    diff = run_notice(
        "diff", "2024-02-10", "2024-03-01", "--root", str(repo), "--document", "cookies"
    )
    assert diff.code == 0, diff.stderr
    assert "30" in diff.stdout and "60" in diff.stdout and "representative" in diff.stdout
    audit = run_notice("audit", "--root", str(repo), "--document", "cookies", "--json")
    assert audit.code == 0, audit.stdout + audit.stderr
    unknown = run_notice("history", "--root", str(repo), "--document", "california")
    assert unknown.code == 2 and "documents: root, cookies" in unknown.stderr


def _json(text: str) -> list[dict]:
    return json.loads(text)


def test_doc_links_render_as_site_urls(repo: Path) -> None:
    result = run_notice("render", "--root", str(repo), "--document", "cookies", "--format", "html")
    assert result.code == 0, result.stderr
    document = tinyhtml5.parse(f"<!doctype html><title>x</title>{result.stdout}")
    hrefs = [a.get("href") for a in document.iter("{http://www.w3.org/1999/xhtml}a")]
    # the cookie policy is at /cookies/, the root notice at /: one level up
    assert "../#your-rights" in hrefs and "../" in hrefs, hrefs
    assert "privacy@mettel.net" in result.stdout  # the shared variable, and the shared macro:
    assert "dedicated customer service representative" in result.stdout


def test_shared_variable_change_refused_for_each_document(repo: Path) -> None:
    """contact.email is shared: the released versions of both documents change with it."""
    root_yml = repo / "notice.yml"
    cookies_yml = repo / "documents" / "cookies" / "notice.yml"
    saved = root_yml.read_text()
    git(repo, "checkout", "-q", "HEAD~1", "--", "documents/cookies/notice.yml")  # 2024-02-10
    try:
        edit(root_yml, "email: privacy@mettel.net", "email: privacy@example.net")
        code, lines = _check(repo, "--base", "HEAD~1")
        refused = [line for line in lines if "a released version" in line]
        assert code == 1
        assert [line.split(":", 1)[0] for line in refused] == [
            "notice.yml",
            "documents/cookies/notice.yml",
        ], lines
        assert all("contact.email" in line for line in refused), refused
        # a new date and summary for the root alone: the cookie policy is still refused
        edit(root_yml, "last_updated: 2022-11-11", "last_updated: 2024-05-01")
        edit(root_yml, "summary: The MetTel", "summary: New e-mail. The MetTel")
        code, lines = _check(repo, "--base", "HEAD~1")
        refused = [line for line in lines if "a released version" in line]
        assert code == 1 and [line.split(":", 1)[0] for line in refused] == [
            "documents/cookies/notice.yml"
        ], lines
    finally:
        root_yml.write_text(saved)
        git(repo, "checkout", "-q", "HEAD", "--", "documents/cookies/notice.yml")
    assert cookies_yml.read_text().count("2024-03-01") == 1


def test_shared_macro_change_refused_for_each_document(repo: Path) -> None:
    macro = repo / "macros" / "contact.j2"
    saved = macro.read_text()
    git(repo, "checkout", "-q", "HEAD~1", "--", "documents/cookies/notice.yml")  # 2024-02-10
    try:
        edit(macro, "{% endif %}your dedicated", "{% endif %}your")
        code, lines = _check(repo, "--base", "HEAD~1")
        refused = [line for line in lines if "a released version" in line]
        assert code == 1
        assert [line.split(":", 1)[0] for line in refused] == [
            "notice.yml",
            "documents/cookies/notice.yml",
        ], lines
        assert "what-cookies (documents/cookies/sections/what-cookies.md)" in refused[1]
        folder = repo / "documents" / "cookies"  # the gate itself, not only the ledger's word
        gate = check_against_base(folder, render(load_notice(folder)), "HEAD~1", date(2024, 6, 1))
        assert [p.path for p in gate if "a released version" in p.message] == [
            "documents/cookies/notice.yml"
        ]
    finally:
        macro.write_text(saved)
        git(repo, "checkout", "-q", "HEAD", "--", "documents/cookies/notice.yml")


def test_doc_link_to_a_missing_section_refused_with_file_line(repo: Path) -> None:
    section = repo / "documents" / "cookies" / "sections" / "what-cookies.md"
    saved = section.read_text()
    try:
        edit(section, "doc:root#your-rights", "doc:root#no-such-section")
        edit(section, "(doc:root)", "(doc:california#x) [away](doc://evil.example/)")
        code, lines = _check(repo)
        assert code == 1
        where = "documents/cookies/sections/what-cookies.md:6: "
        assert f"{where}link 'doc:root#no-such-section' points to no section" in "\n".join(lines)
        assert f"{where}link 'doc:california#x' points to no document" in "\n".join(lines)
        assert f"{where}link 'doc://evil.example/' points to no document" in "\n".join(lines)
        html = run_notice(
            "render", "--root", str(repo), "--document", "cookies", "--format", "html"
        )
        assert 'href="doc://evil.example/"' in html.stdout  # never '//evil.example/'

    finally:
        section.write_text(saved)


def test_documents_list_held_against_the_folders(tmp_path: Path) -> None:
    project = copy_notice(tmp_path / "project")
    _add_cookies(project)
    edit(project / "notice.yml", "documents: [cookies]", "documents: [cookies, california]")
    (project / "documents" / "stray").mkdir()
    code, lines = _check(project)
    assert code == 1
    text = "\n".join(lines)
    assert "notice.yml:" in text and "'california' has no documents/california/notice.yml" in text
    assert "notice new-document california" in text
    assert "documents/stray: warning: is not listed under documents:" in text


def _link_uris(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [
        str(annotation.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    ]


def test_doc_links_in_the_pdf(repo: Path) -> None:
    """With site_url the PDF's doc: links are absolute; without, plain text (a relative link
    would point into the build machine's folders)."""
    rendered = render(load_notice(repo / "documents" / "cookies"))
    published = _link_uris(pdf_bytes(rendered, site_url="https://example.org/policies/"))
    assert "https://example.org/policies/#your-rights" in published, published
    assert "https://example.org/policies/" in published, published
    local = _link_uris(pdf_bytes(rendered))
    assert not [uri for uri in local if uri.startswith("file:") or "your-rights" in uri], local


@pytest.mark.parametrize(
    ("from_document", "target", "relative", "lang", "absolute"),
    [
        (
            "root",
            "doc:cookies#third-party",
            "cookies/#third-party",
            "",
            "https://x.org/cookies/#third-party",
        ),
        ("cookies", "doc:root#rights", "../#rights", "fr", "https://x.org/fr/#rights"),
        ("cookies", "doc:california", "../california/", "fr", "https://x.org/fr/california/"),
        ("cookies", "doc:cookies#a", "#a", "", "https://x.org/cookies/#a"),
    ],
)
def test_doc_link_urls_stay_in_the_readers_language(
    from_document: str, target: str, relative: str, lang: str, absolute: str
) -> None:
    link = doc_link(target)
    assert link is not None
    assert relative_url(from_document, link) == relative
    assert absolute_url("https://x.org", from_document, relative, lang) == absolute


def test_translations_per_document(repo: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(repo, project, ignore=shutil.ignore_patterns(".git"))
    cookies = project / "documents" / "cookies"
    edit(
        cookies / "notice.yml",
        "summary: Sixty days.\n",
        "summary: Sixty days.\nlanguages: [en, fr]\n",
    )
    written = run_notice("translate", "fr", "--root", str(project), "--document", "cookies")
    assert written.code == 0, written.stderr
    assert written.stdout.split() == [
        "wrote",
        "documents/cookies/translations/fr/what-cookies.md",
        "wrote",
        "documents/cookies/translations/fr/notice.yml",
    ]
    assert not (project / "translations").exists()  # the root document's are untouched
    states = run_notice(
        "translations", "fr", "--root", str(project), "--document", "cookies", "--json"
    )
    assert states.code == 0, states.stderr
    assert "documents/cookies/translations/fr/what-cookies.md" in states.stdout
    code, lines = _check(project, "--document", "cookies")
    assert code == 0, lines
    assert any("run `notice translate fr --document cookies`" in line for line in lines), lines
