"""The site of a project with two documents, built by real mkdocs from a real git repository:
the root's pages where they always were, the other document under /<id>/ (its French under
/fr/<id>/), the policies page, one versions.json and one feed; links judged by an HTML5 parser."""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest
import tinyhtml5
from pypdf import PdfReader

from notice.actions.build import input_stamp
from notice.publish.site import pdfcache
from tests.conftest import commit_all, copy_notice, edit, git, run_notice
from tests.test_archive_documents import COOKIES_PDF, ROOT_PDF, add_cookies

ATOM = "{http://www.w3.org/2005/Atom}"


def build(project: Path) -> Path:
    built = run_notice("build", "--root", str(project))
    assert built.code == 0, built.stderr
    return project / "site"


def files_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """MetTel released and built alone; then a cookie policy in English and French added by
    hand in the issue's layout, released, and the whole site built again."""
    project = copy_notice(tmp_path_factory.mktemp("site-documents") / "project")
    (project / ".gitignore").write_text("/site/\n/.cache/\n")
    git(project, "init", "-q")
    commit_all(project, "MetTel notice of 2022-11-11")
    assert run_notice("release", "--root", str(project), "--today", "2022-11-11").code == 0
    commit_all(project, "Release 2022-11-11")
    alone = tmp_path_factory.mktemp("alone") / "site"
    shutil.copytree(build(project), alone)
    add_cookies(project)
    edit(
        project / "documents/cookies/notice.yml",
        "company: MetTel\n",
        "company: MetTel\nlanguages: [en, fr]\n",
    )
    section = project / "documents/cookies/sections/what-cookies.md"
    section.write_text(
        section.read_text(encoding="utf-8") + "\nSee [your rights](doc:root#your-rights).\n",
        encoding="utf-8",
    )
    translated = run_notice("translate", "fr", "--document", "cookies", "--root", str(project))
    assert translated.code == 0, translated.stderr
    commit_all(project, "A cookie policy, in French too")
    released = run_notice("release", "--root", str(project), "--today", "2023-02-01")
    assert released.code == 0, released.stderr
    commit_all(project, "Release the cookie policy")
    return {"project": project, "alone": alone, "site": build(project)}


def hrefs(page: Path) -> list[str]:
    """Every <a href> of a built page, as a real HTML5 parser reads it."""
    tree = tinyhtml5.parse(page.read_text(encoding="utf-8"))
    return [a.get("href") for a in tree.iter("{http://www.w3.org/1999/xhtml}a") if a.get("href")]


def target(site: Path, page: Path, href: str) -> Path:
    """The file a relative link of page leads to (a folder's index.html)."""
    path = urlsplit(href).path
    folder = page.parent.relative_to(site).as_posix()
    joined = PurePosixPath(folder, path) if path else PurePosixPath(folder, page.name)
    parts: list[str] = []
    for part in joined.parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    found = site.joinpath(*parts)
    return found / "index.html" if found.is_dir() or href.endswith("/") else found


def test_the_root_document_keeps_every_path_and_its_archived_pdf(sites: dict) -> None:
    site, alone = sites["site"], sites["alone"]
    moved = files_of(alone) - files_of(site)
    assert moved == set(), moved
    pdf = Path(ROOT_PDF).name
    assert (site / "archive" / pdf).read_bytes() == (sites["project"] / ROOT_PDF).read_bytes()
    assert (site / "index.html").read_text(encoding="utf-8").count("MetTel Privacy Notice") > 0


def test_the_second_document_has_its_own_pages_pdf_and_translation(sites: dict) -> None:
    site, project = sites["site"], sites["project"]
    for page in ("cookies/index.html", "cookies/history/index.html", "fr/cookies/index.html"):
        assert (site / page).is_file(), page
    assert (site / "cookies/changes/2023-01-15/index.html").is_file()
    released = Path(COOKIES_PDF).name
    assert (site / "cookies/archive" / released).read_bytes() == (
        project / COOKIES_PDF
    ).read_bytes()
    french = (site / "fr/cookies/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in french
    home = site / "cookies/index.html"
    broken = [
        h for h in hrefs(home) if not urlsplit(h).scheme and not target(site, home, h).exists()
    ]
    assert broken == [], broken


def test_the_policies_page_lists_both_with_working_links(sites: dict) -> None:
    site = sites["site"]
    page = site / "policies/index.html"
    text = page.read_text(encoding="utf-8")
    assert "MetTel Privacy Notice" in text and "MetTel Cookie Policy" in text
    assert "January 15, 2023" in text and "November 11, 2022" in text
    links = [h for h in hrefs(page) if "changes/" in h]
    assert len(links) == 2, links
    assert all(target(site, page, h).exists() for h in links), links
    assert any("policies/" in h for h in hrefs(site / "index.html")), "policies page not in nav"
    assert any("cookies/" in h for h in hrefs(site / "index.html")), "document not in nav"


def test_one_versions_json_and_one_feed_name_every_document(sites: dict) -> None:
    site = sites["site"]
    listing = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    assert [d["document"] for d in listing["documents"]] == ["root", "cookies"]
    found = [(v["document"], v["version"]) for v in listing["versions"]]
    assert found == [("root", "2022-11-11"), ("cookies", "2023-01-15")], found
    for version in listing["versions"]:
        assert (site / version["pdf"]).is_file(), version["pdf"]
    ledger = json.loads((sites["project"] / "archive/ledger.json").read_text(encoding="utf-8"))
    assert ledger["entries"][-1].get("document") == "cookies"
    feed = ElementTree.parse(site / "feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert any("Cookie Policy" in t for t in titles) and any("Privacy Notice" in t for t in titles)
    ids = [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]
    assert len(set(ids)) == len(ids) == 2


def test_the_pdf_cache_never_prunes_a_pdf_this_build_uses(tmp_path: Path) -> None:
    """Ten documents in two languages link twenty PDFs: more than the cache keeps of old ones."""
    used = [tmp_path / f"used-{n}.pdf" for n in range(pdfcache.KEEP_ENTRIES + 4)]
    old = [tmp_path / f"old-{n}.pdf" for n in range(6)]
    for path in used + old:
        path.write_bytes(b"%PDF")
    for path in old:
        os.utime(path, (946684800, 946684800))  # 2000-01-01: used by an earlier build
    pdfcache._prune(tmp_path)
    assert all(path.exists() for path in used)
    assert not any(path.exists() for path in old)
    for path in used[2:]:
        path.unlink()
    fresh = [tmp_path / f"again-{n}.pdf" for n in range(6)]
    for path in fresh:
        path.write_bytes(b"%PDF")
        os.utime(path, (946684800, 946684800))
    pdfcache._prune(tmp_path)  # two used now: six of the older ones stay
    assert sum(path.exists() for path in fresh) == pdfcache.KEEP_ENTRIES - 2


def test_an_edit_of_a_further_document_makes_the_site_out_of_date(
    sites: dict, tmp_path: Path
) -> None:
    """`notice build` skips a build whose input stamp is unchanged: a further document's files
    are inputs too (an edited cookie policy was reported "up to date")."""
    project = shutil.copytree(sites["project"], tmp_path / "project", symlinks=True)
    before = input_stamp(project)
    edit(project / "documents/cookies/notice.yml", "company: MetTel\n", "company: MetTel Inc\n")
    assert input_stamp(project) != before


@pytest.fixture(scope="module")
def second_cookies(sites: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with a second version of the cookie policy committed, built: the first one
    now has its own version page."""
    project = tmp_path_factory.mktemp("second-cookies") / "project"
    shutil.copytree(sites["project"], project, symlinks=True)
    cookies = project / "documents/cookies"
    edit(cookies / "notice.yml", "last_updated: 2023-01-15", "last_updated: 2023-03-01")
    edit(cookies / "sections/what-cookies.md", "thirty days", "sixty days")
    commit_all(project, "Cookies kept for sixty days")
    return build(project)


def test_links_to_another_document_lead_there_from_every_page_that_shows_them(
    second_cookies: Path,
) -> None:
    """A doc: link is written for its document's main page; a version page, three folders
    down, must lead to the same place (judged by an HTML5 parser and the built files)."""
    site = second_cookies
    pages = [site / "cookies/index.html", *sorted((site / "cookies/versions").rglob("index.html"))]
    assert len(pages) >= 2, pages
    for page in pages:
        tree = tinyhtml5.parse(page.read_text(encoding="utf-8"))
        links = [
            a.get("href")
            for a in tree.iter("{http://www.w3.org/1999/xhtml}a")
            if "doc-link" in (a.get("class") or "")
        ]
        assert links, page
        for href in links:
            assert urlsplit(href).fragment == "your-rights"
            assert target(site, page, href) == site / "index.html", (page, href)


def test_an_archived_pdf_links_another_document_under_site_url_and_rebuilds(
    sites: dict, tmp_path: Path
) -> None:
    """The release commit's mkdocs.yml site_url makes a doc: link absolute in the archived PDF
    (read back by pypdf), and `verify --rebuild` repeats its bytes from that commit."""
    project = Path(shutil.copytree(sites["project"], tmp_path / "project", symlinks=True))
    config = project / "mkdocs.yml"
    config.write_text("site_url: https://privacy.example.com/\n" + config.read_text("utf-8"))
    cookies = project / "documents/cookies"
    edit(cookies / "notice.yml", "last_updated: 2023-01-15", "last_updated: 2023-03-01")
    edit(cookies / "notice.yml", "The first cookie policy.", "Cookies kept for sixty days.")
    edit(cookies / "sections/what-cookies.md", "thirty days", "sixty days")
    commit_all(project, "Cookies kept for sixty days, the site's address set")
    released = run_notice("release", "--root", str(project), "--document", "cookies")
    assert released.code == 0, released.stderr
    commit_all(project, "Release the cookie policy of 2023-03-01")
    pdf = project / "archive/cookies/mettel-cookie-policy-2023-03-01.pdf"
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(pdf).pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object() and "/URI" in annotation.get_object()["/A"]
    ]
    assert "https://privacy.example.com/#your-rights" in uris, uris
    rebuilt = run_notice("verify", "--rebuild", "--document", "cookies", "--root", str(project))
    assert rebuilt.code == 0, rebuilt.stderr
    assert "rebuilt byte for byte" in rebuilt.stderr
