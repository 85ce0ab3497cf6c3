"""The archive of a project with two documents: one ledger, one chain, each document's PDFs in
its own folder; release, verify, as-of and evidence per document, on real git repositories."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from notice.archive.ledger import chain_problems, parse_ledger
from notice.archive.store import Archive
from notice.errors import SourceError
from tests.conftest import assert_no_traceback, commit_all, copy_notice, edit, git, run_notice
from tests.processes import kill_9, stopping_at, wait_stopped
from tests.tsa import Authority, make_authority, serving

NOTICE = Path(sys.executable).parent / "notice"

LEDGER = "archive/ledger.json"
ROOT_PDF = "archive/mettel-privacy-notice-2022-11-11.pdf"
COOKIES_PDF = "archive/cookies/mettel-cookie-policy-2023-01-15.pdf"
COOKIES_V2_PDF = "archive/cookies/mettel-cookie-policy-2023-03-01.pdf"
COOKIES_NOTICE = """\
title: MetTel Cookie Policy
company: MetTel
last_updated: 2023-01-15
summary: The first cookie policy.
sections:
  - what-cookies
"""
COOKIES_SECTION = """\
---
id: what-cookies
title: What cookies we use
---
We keep analytics cookies for thirty days. Questions go to {{ contact.email }}.

| Cookie | Kept for |
| --- | --- |
""" + "".join(f"| cookie_{n} | {n} days |\n" for n in range(1, 90))
# 89 one-line rows run over two pages: WeasyPrint repeats the header row atop the second, and
# verify still reads the PDF as the rendering (no row is cut across the page break)


def add_cookies(project: Path) -> None:
    """A second document by hand, in the issue's layout: listed in the root notice.yml, its own
    notice.yml and sections/ under documents/cookies/, using the root's shared variables."""
    edit(project / "notice.yml", "page_size: letter\n", "page_size: letter\ndocuments: [cookies]\n")
    folder = project / "documents/cookies"
    (folder / "sections").mkdir(parents=True)
    (folder / "notice.yml").write_text(COOKIES_NOTICE, encoding="utf-8")
    (folder / "sections/what-cookies.md").write_text(COOKIES_SECTION, encoding="utf-8")


def both_new(project: Path) -> None:
    """A new version of each document on 2023-03-01, committed together."""
    edit(
        project / "notice.yml",
        "last_updated: 2022-11-11\nsummary: The MetTel Privacy Notice as published on "
        "November 11, 2022.",
        "last_updated: 2023-03-01\nsummary: Privacy questions go to a new desk.",
    )
    edit(project / "sections/introduction.md", "customer privacy", "your privacy")
    cookies = project / "documents/cookies"
    edit(cookies / "notice.yml", "last_updated: 2023-01-15", "last_updated: 2023-03-01")
    edit(cookies / "notice.yml", "The first cookie policy.", "Cookies kept for sixty days.")
    edit(cookies / "sections/what-cookies.md", "thirty days", "sixty days")
    commit_all(project, "Both documents of 2023-03-01")


def copy_repo(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, symlinks=True)
    return target


def entries(project: Path) -> list:
    return parse_ledger((project / LEDGER).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    return make_authority(tmp_path_factory.mktemp("tsa"), "Trusted")


@pytest.fixture(scope="module")
def tsa_url(authority: Authority) -> Iterator[str]:
    with serving(authority) as url:
        yield url


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """MetTel released alone (as this repository's archive was), then a cookie policy added by
    hand and `notice release` run at the project's root; everything committed."""
    project = copy_notice(tmp_path_factory.mktemp("documents") / "project")
    git(project, "init", "-q")
    commit_all(project, "MetTel notice of 2022-11-11")
    alone = run_notice("release", "--root", str(project), "--today", "2022-11-11")
    assert alone.code == 0, alone.stderr
    commit_all(project, "Release 2022-11-11")
    before = {p: (project / p).read_bytes() for p in (LEDGER, ROOT_PDF)}
    add_cookies(project)
    commit_all(project, "A cookie policy")
    checked = run_notice("check", "--root", str(project / "documents/cookies"))
    released = run_notice("release", "--root", str(project), "--today", "2023-02-01")
    commit_all(project, "Release the cookie policy")
    return {"project": project, "before": before, "checked": checked, "released": released}


@pytest.fixture(scope="module")
def both(first: dict, tmp_path_factory: pytest.TempPathFactory, authority: Authority, tsa_url):
    """Then a new version of both documents released at once with --tsa; committed."""
    project = copy_repo(first["project"], tmp_path_factory.mktemp("both") / "project")
    (project / "archive/tsa").mkdir()
    (project / "archive/tsa/chain.pem").write_bytes(authority.ca.read_bytes())
    commit_all(project, "The TSA's chain")
    both_new(project)
    released = run_notice("release", "--root", str(project), "--tsa", tsa_url)
    commit_all(project, "Release both")
    return {"project": project, "released": released}


def test_a_second_document_checks_and_releases_beside_the_root_one(first: dict) -> None:
    project, released = first["project"], first["released"]
    assert first["checked"].code == 0, first["checked"].stderr
    assert released.code == 0, released.stderr
    assert "already released: 2022-11-11" in released.stdout
    assert "released cookies 2023-01-15" in released.stdout
    # the root document's entry and PDF stay byte for byte where they were
    assert (project / ROOT_PDF).read_bytes() == first["before"][ROOT_PDF]
    old = json.loads(first["before"][LEDGER])["entries"]
    now = json.loads((project / LEDGER).read_text())["entries"]
    assert now[:1] == old and "document" not in now[0]
    assert now[1]["document"] == "cookies" and now[1]["pdf"] == Path(COOKIES_PDF).name
    root, cookies = entries(project)
    assert cookies.previous == root.digest and not chain_problems([root, cookies])
    data = (project / COOKIES_PDF).read_bytes()
    assert hashlib.sha256(data).hexdigest() == cookies.pdf_sha256
    assert not list((project / "archive").glob("mettel-cookie*.pdf"))  # not in the root's folder
    # Archive of a document's folder: the project's one ledger, that document's PDFs
    archive = Archive(project / "documents/cookies")
    assert archive.ledger_path == project / LEDGER
    assert [e.document for e in archive.document_entries()] == ["cookies"]
    assert archive.pdf_path(cookies) == project / COOKIES_PDF
    ledger = (project / LEDGER).read_bytes()
    again = run_notice("release", "--root", str(project), "--today", "2023-02-01")
    assert again.code == 0 and again.stdout.count("already released") == 2, again.stdout
    assert (project / LEDGER).read_bytes() == ledger


def test_verify_covers_every_document_and_each_alone(first: dict) -> None:
    project = first["project"]
    whole = run_notice("verify", "--root", str(project), "--json")
    assert whole.code == 0, whole.stdout + whole.stderr
    record = json.loads(whole.stdout)
    assert [r.get("document", "") for r in record["releases"]] == ["", "cookies"]
    alone = run_notice("verify", "--root", str(project), "--document", "cookies", "--rebuild")
    assert alone.code == 0, alone.stderr
    assert "ok: 1 release(s) verified, 1 rebuilt byte for byte" in alone.stderr
    folder = run_notice("verify", "--root", str(project / "documents/cookies"))
    assert folder.code == 0 and "ok: 1 release(s) verified" in folder.stderr, folder.stderr
    unknown = run_notice("verify", "--root", str(project), "--document", "terms")
    assert unknown.code == 2 and "no document 'terms'" in unknown.stderr
    assert_no_traceback(unknown)


def test_releasing_both_documents_keeps_one_chain(both: dict) -> None:
    project, released = both["project"], both["released"]
    assert released.code == 0, released.stderr
    assert "released 2023-03-01" in released.stdout
    assert "released cookies 2023-03-01" in released.stdout
    found = entries(project)
    assert [(e.document, str(e.version)) for e in found] == [
        ("", "2022-11-11"),
        ("cookies", "2023-01-15"),
        ("", "2023-03-01"),
        ("cookies", "2023-03-01"),
    ]
    assert not chain_problems(found)
    assert (project / COOKIES_V2_PDF).is_file()
    stamped = sorted(p.stem for p in (project / "archive/timestamps").glob("*.tsr"))
    assert stamped == sorted(e.digest for e in found[2:])  # one token per new entry
    verified = run_notice("verify", "--root", str(project), "--require-timestamps")
    assert verified.code == 1  # the first two were released without a token
    assert "entry cookies 2023-01-15 has no RFC 3161 timestamp" in verified.stderr
    plain = run_notice("verify", "--root", str(project))
    assert plain.code == 0, plain.stderr
    assert "ok: 4 release(s) verified, 2 timestamped" in plain.stderr


def test_as_of_answers_per_document(both: dict) -> None:
    project = str(both["project"])
    cookies = run_notice("as-of", "2023-02-01", "--root", project, "--document", "cookies")
    assert cookies.code == 0, cookies.stderr
    assert "version 2023-01-15" in cookies.stdout and "until 2023-03-01" in cookies.stdout
    assert f"pdf {COOKIES_PDF}" in cookies.stdout
    root = run_notice("as-of", "2023-02-01", "--root", project, "--json")
    assert root.code == 0, root.stderr
    assert json.loads(root.stdout)["pdf"] == ROOT_PDF
    folder = run_notice("as-of", "2023-03-02", "--root", f"{project}/documents/cookies", "--json")
    assert folder.code == 0, folder.stderr
    answer = json.loads(folder.stdout)
    assert answer["pdf"] == COOKIES_V2_PDF and answer["document"] == "cookies"
    early = run_notice("as-of", "2022-12-01", "--root", project, "--document", "cookies")
    assert early.code == 1
    assert "before the first version in the archive: 2023-01-15" in early.stderr
    assert_no_traceback(early)


def test_evidence_of_a_document(both: dict, tmp_path: Path) -> None:
    project = both["project"]
    out = tmp_path / "cookies.zip"
    made = run_notice(
        "evidence", "2023-02-01", "--root", str(project), "--document", "cookies", "--out", str(out)
    )
    assert made.code == 0, made.stdout + made.stderr
    assert "all passed" in made.stdout
    names = set(zipfile.ZipFile(out).namelist())
    assert f"pdf/{Path(COOKIES_PDF).name}" in names
    assert {"source/documents/cookies/notice.yml", "source/notice.yml", "ledger.json"} <= names
    assert not any(name.startswith("pdf/mettel-privacy") for name in names)
    report = zipfile.ZipFile(out).read("report.html").decode()
    assert "notice verify --document cookies" in report


def test_a_changed_pdf_of_a_document_is_caught(first: dict, tmp_path: Path) -> None:
    project = copy_repo(first["project"], tmp_path / "project")
    pdf = project / COOKIES_PDF
    pdf.write_bytes(pdf.read_bytes() + b"%")
    result = run_notice("verify", "--root", str(project))
    assert result.code == 1
    assert f"{COOKIES_PDF}: sha256 is" in result.stderr and "the file was changed" in result.stderr
    root_only = run_notice("verify", "--root", str(project), "--document", "root")
    assert root_only.code == 0, root_only.stderr  # the root document's releases are intact
    commit_all(project, "An edited cookie policy PDF")
    committed = run_notice("verify", "--root", str(project), "--document", "root")
    assert committed.code == 1  # the trail is the project's: any document's PDF is caught
    assert f"{COOKIES_PDF}: changed or removed by commit" in committed.stderr
    answer = run_notice("as-of", "2023-02-01", "--root", str(project), "--document", "cookies")
    assert answer.code == 1 and "cannot be trusted" in answer.stderr


def test_a_failing_document_leaves_the_archive_untouched(first: dict, tmp_path: Path) -> None:
    project = copy_repo(first["project"], tmp_path / "project")
    both_new(project)
    edit(project / "documents/cookies/sections/what-cookies.md", "contact.email", "contact.fax")
    commit_all(project, "A broken cookie policy")
    archive = sorted((p, p.read_bytes()) for p in (project / "archive").rglob("*") if p.is_file())
    result = run_notice("release", "--root", str(project))
    assert result.code == 1
    assert "documents/cookies/sections/what-cookies.md" in result.stderr
    assert "'contact.fax' is undefined" in result.stderr
    assert_no_traceback(result)
    after = sorted((p, p.read_bytes()) for p in (project / "archive").rglob("*") if p.is_file())
    assert after == archive  # the root document's new version was not released either
    alone = run_notice("release", "--root", str(project), "--document", "root")
    assert alone.code == 0 and "released 2023-03-01" in alone.stdout, alone.stderr


@pytest.mark.parametrize("document", ["tsa", "timestamps", "root", "../cookies", "Cookies"])
def test_a_ledger_entry_naming_no_document_folder_is_refused(first: dict, document: str) -> None:
    """A doctored entry may not point its PDF at archive/tsa/, archive/timestamps/ or out of
    archive/: the document id is checked when the ledger is read, with its line."""
    text = (first["project"] / LEDGER).read_text(encoding="utf-8")
    doctored = text.replace('"document": "cookies"', f'"document": {json.dumps(document)}')
    with pytest.raises(SourceError) as raised:
        parse_ledger(doctored)
    [problem] = raised.value.problems
    line = 1 + doctored[: doctored.index('"version": "2023-01-15"')].count("\n")
    assert (problem.path, problem.line) == (LEDGER, line)
    assert "is not a document id such as 'cookies'" in problem.message


def test_a_release_of_two_documents_killed_between_their_pdfs(first: dict, tmp_path: Path) -> None:
    """kill -9 once the root's new PDF is placed, before the cookie policy's and the ledger:
    the ledger is as it was; the next release reuses the placed PDF and releases both."""
    project = copy_repo(first["project"], tmp_path / "project")
    both_new(project)
    ledger = (project / LEDGER).read_bytes()
    process = subprocess.Popen(
        [str(NOTICE), "release", "--root", str(project)],
        env=stopping_at("notice.files:move_durably:call#2"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert wait_stopped(process, 120), process.stderr.read() if process.stderr else ""
    kill_9(process)
    assert (project / LEDGER).read_bytes() == ledger
    placed = project / "archive/mettel-privacy-notice-2023-03-01.pdf"
    assert placed.is_file() and not (project / COOKIES_V2_PDF).exists()
    again = run_notice("release", "--root", str(project))
    assert again.code == 0, again.stderr
    assert f"note: {placed.relative_to(project)} was left by an interrupted release" in again.stderr
    assert [(e.document, str(e.version)) for e in entries(project)[2:]] == [
        ("", "2023-03-01"),
        ("cookies", "2023-03-01"),
    ]


def test_a_listed_document_without_its_folder_is_refused(first: dict, tmp_path: Path) -> None:
    project = copy_repo(first["project"], tmp_path / "project")
    edit(project / "notice.yml", "documents: [cookies]", "documents: [cookies, terms]")
    commit_all(project, "A document listed, never written")
    result = run_notice("release", "--root", str(project))
    assert result.code == 1 and not (project / "archive/terms").exists()
    assert "documents/terms/: notice.yml lists document 'terms'" in result.stderr
    assert_no_traceback(result)


def test_a_document_removed_later_still_verifies_from_git(first: dict, tmp_path: Path) -> None:
    """The ledger keeps a withdrawn document's entries: verify still checks them against their
    commits and PDFs, so withdrawing a document cannot hide a changed PDF."""
    project = copy_repo(first["project"], tmp_path / "project")
    edit(project / "notice.yml", "documents: [cookies]\n", "")
    shutil.rmtree(project / "documents")
    commit_all(project, "The cookie policy withdrawn")
    kept = run_notice("verify", "--root", str(project))
    assert kept.code == 0 and "ok: 2 release(s) verified" in kept.stderr, kept.stderr
    pdf = project / COOKIES_PDF
    pdf.write_bytes(pdf.read_bytes()[:-1])
    changed = run_notice("verify", "--root", str(project))
    assert changed.code == 1 and f"{COOKIES_PDF}: sha256 is" in changed.stderr
