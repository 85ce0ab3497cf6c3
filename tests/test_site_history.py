"""The site's version pages: a real git repository with three versions, two real releases, real
mkdocs builds: the history page, past versions, redlines, the Atom feed, the archived PDF."""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from notice.actions.release import release
from notice.publish.site.feed import atom_feed
from notice.publish.site.pages import SiteContext, build_pages
from notice.publish.site.versions import archived, ledger_entries, site_history
from notice.render.rendering import format_date, render
from notice.source.load import load_notice
from tests.conftest import assert_no_traceback, commit_all, copy_notice, edit, git, run_notice
from tests.test_site import squash, third_party_references

ATOM = "{http://www.w3.org/2005/Atom}"
V1, V2, V3 = date(2022, 11, 11), date(2023, 3, 1), date(2023, 5, 1)
V2_EFFECTIVE = date(2023, 4, 1)
SUMMARIES = {
    V1: "The MetTel Privacy Notice as published on November 11, 2022.",
    V2: "The MetTel Privacy Notice of March 1, 2023.",
    V3: "The MetTel Privacy Notice of May 1, 2023.",
}
# One changed word per version: (file, old, new, the deleted words, the inserted words).
CHANGES = {
    V2: (
        "sections/introduction.md",
        "goal of protecting customer privacy.",
        "goal of protecting your privacy.",
        ["customer"],
        ["your"],
    ),
    V3: (
        "sections/fcra-rights.md",
        "certain rights",
        "certain statutory rights",
        [],
        ["statutory"],
    ),
}


def new_repo(target: Path) -> Path:
    """The MetTel notice of 2022-11-11 as the first commit of a new repository."""
    repo = copy_notice(target)
    git(repo, "init", "-q")
    commit_all(repo, "MetTel notice of 2022-11-11")
    return repo


def next_version(repo: Path, day: date, effective: date | None = None) -> None:
    """Commit the version of day: new date, new summary, one changed word (CHANGES)."""
    notice_yml = repo / "notice.yml"
    text = notice_yml.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^effective: .*\n", "", text)
    dated = f"last_updated: {day}" + (f"\neffective: {effective}" if effective else "")
    text = re.sub(r"(?m)^last_updated: .*$", dated, text)
    text = re.sub(r"(?m)^summary: .*$", f"summary: {SUMMARIES[day]}", text)
    notice_yml.write_text(text, encoding="utf-8")
    path, old, new, _, _ = CHANGES[day]
    edit(repo / path, old, new)
    commit_all(repo, f"Notice of {day}")


def publish(repo: Path, day: date) -> None:
    """Release HEAD's version and commit the archive, as an editor would."""
    release(repo, now=datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC))
    commit_all(repo, f"Release {day}")


def three_versions(repo: Path) -> Path:
    """2022-11-11 (released), 2023-03-01 effective 2023-04-01 (never released), 2023-05-01
    (released, the current version)."""
    publish(repo, V1)
    next_version(repo, V2, V2_EFFECTIVE)
    next_version(repo, V3)
    publish(repo, V3)
    return repo


def build(root: Path, *extra: str):
    result = run_notice("build", "--root", str(root), *extra)
    assert_no_traceback(result)
    return result


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three-version repository, built once for the read-only tests of this module."""
    root = three_versions(new_repo(tmp_path_factory.mktemp("history") / "repo"))
    result = build(root)
    assert result.code == 0, result.stderr
    assert result.stderr == ""  # history readable, everything released matches: no warning
    return root


@pytest.fixture(scope="module")
def site(repo: Path) -> Path:
    return repo / "site"


def body(path: Path) -> str:
    """The generated part of a page (material's frame left out)."""
    source = path.read_text(encoding="utf-8")
    start = source.index('<div class="notice-page')
    return source[start : source.index("</article>", start)]


def target(site: Path, page: Path, href: str) -> Path:
    """The file a relative link of page leads to, in the built site."""
    url = urljoin(f"http://site/{page.relative_to(site).as_posix()}", html.unescape(href))
    path = urlsplit(url).path.lstrip("/")
    found = site / path
    return found / "index.html" if not path or path.endswith("/") or found.is_dir() else found


def links(fragment: str) -> dict[str, str]:
    """Link text (squashed, hidden parts included) -> href, for <a> in a fragment."""
    found = {}
    for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', fragment, re.S):
        found[squash(re.sub(r"<[^>]+>", "", text))] = href
    return found


def marked(fragment: str, tag: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(rf"<{tag}>(.*?)</{tag}>", fragment, re.S)]


# --- the version history page --------------------------------------------------------------------


def test_history_page_lists_every_version_with_dates_summary_and_links(site: Path):
    page = site / "history" / "index.html"
    fragment = body(page)
    blocks = re.split(r'(?=<section class="notice-version)', fragment)[1:]
    assert [re.search(r'id="version-([\d-]+)"', b).group(1) for b in blocks] == [
        "2023-05-01",
        "2023-03-01",
        "2022-11-11",
    ]
    effective = {V1: V1, V2: V2_EFFECTIVE, V3: V3}
    for block, day in zip(blocks, (V3, V2, V1), strict=True):
        text = squash(re.sub(r"<[^>]+>", " ", block))
        assert f'<time datetime="{effective[day]}">{format_date(effective[day])}</time>' in block
        assert SUMMARIES[day] in text
        found = links(block)
        full_text = found[f"Full text of the version of {format_date(day)}"]
        expected_text = "index.html" if day == V3 else f"versions/{day}/index.html"
        assert target(site, page, full_text) == site / expected_text
        name = (
            "First version of the notice"
            if day == V1
            else f"Changes in the version of {format_date(day)}"
        )
        assert target(site, page, found[name]) == site / "changes" / str(day) / "index.html"
        assert ("Current version" in text) is (day == V3)


def test_history_page_shows_each_released_pdf_and_its_sha256(repo: Path, site: Path):
    page = site / "history" / "index.html"
    blocks = dict(
        (re.search(r'id="version-([\d-]+)"', b).group(1), b)
        for b in re.split(r'(?=<section class="notice-version)', body(page))[1:]
    )
    for day in (V1, V3):
        archived_pdf = repo / "archive" / f"mettel-privacy-notice-{day}.pdf"
        digest = hashlib.sha256(archived_pdf.read_bytes()).hexdigest()
        block = blocks[str(day)]
        assert f'<code class="notice-hash">{digest}</code>' in block
        href = re.search(r'<a href="([^"]+\.pdf)"', block).group(1)
        assert target(site, page, href).read_bytes() == archived_pdf.read_bytes()
    assert "Not in the archive" in blocks[str(V2)]
    assert ".pdf" not in blocks[str(V2)]


def test_a_released_pdf_still_answers_at_its_draft_address(repo: Path, site: Path):
    """Before its release a version's PDF is served at the site's root; a link shared then keeps
    working once the release moves it under archive/: the same bytes answer at both."""
    for day in (V1, V3):
        name = f"mettel-privacy-notice-{day}.pdf"
        archived_pdf = (repo / "archive" / name).read_bytes()
        assert (site / "archive" / name).read_bytes() == archived_pdf
        assert (site / name).read_bytes() == archived_pdf
    assert not (site / f"mettel-privacy-notice-{V2}.pdf").exists()  # never served as a PDF


# --- past versions -----------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "superseded"), [(V1, V2_EFFECTIVE), (V2, V3)])
def test_each_past_version_has_its_text_under_a_superseded_banner(
    repo: Path, site: Path, day: date, superseded: date
):
    page = site / "versions" / str(day) / "index.html"
    fragment = body(page)
    banner = fragment[fragment.index('<div class="notice-banner"') :]
    banner = banner[: banner.index("</div>")]
    assert f"Superseded on {format_date(superseded)}" in squash(re.sub(r"<[^>]+>", "", banner))
    assert f'<time datetime="{superseded}">' in banner
    successor = {V1: f"by the version of {format_date(V2)}.", V2: "by the version of that day."}
    assert successor[day] in squash(re.sub(r"<[^>]+>", "", banner))  # never the same date twice
    assert target(site, page, links(banner)["Read the current notice"]) == site / "index.html"
    # The version's own text, as committed under its date: later changes are not in it.
    text = squash(html.unescape(fragment[fragment.index('<div class="notice-text">') :]))
    wording = {V1: "protecting customer privacy.", V2: "protecting your privacy."}
    assert wording[day] in text
    assert wording[V2 if day == V1 else V1] not in text
    assert "certain rights" in text and "certain statutory rights" not in text
    assert f"Last updated: {format_date(day)}" in squash(re.sub(r"<[^>]+>", "", fragment))


def test_no_page_for_the_current_version_and_no_history_page_in_search(site: Path):
    assert sorted(p.name for p in (site / "versions").iterdir()) == [str(V1), str(V2)]
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"location":"history/' in index.replace(" ", "")
    assert "versions/" not in index and "changes/" not in index


def test_a_released_past_version_links_its_archived_pdf(repo: Path, site: Path):
    page = site / "versions" / str(V1) / "index.html"
    fragment = body(page)
    href = re.search(r'<a class="md-button[^"]*" href="([^"]+)"[^>]*>Download PDF', fragment)
    archived_pdf = repo / "archive" / f"mettel-privacy-notice-{V1}.pdf"
    assert target(site, page, href.group(1)).read_bytes() == archived_pdf.read_bytes()
    assert hashlib.sha256(archived_pdf.read_bytes()).hexdigest() in fragment
    assert "Download PDF" not in body(site / "versions" / str(V2) / "index.html")


# --- changes pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [V2, V3])
def test_the_changes_page_marks_exactly_the_changed_words(site: Path, day: date):
    page = site / "changes" / str(day) / "index.html"
    fragment = body(page)
    redline = fragment[fragment.index('<div class="redline">') :]
    _, _, _, deleted, inserted = CHANGES[day]
    previous_day = {V2: V1, V3: V2}[day]
    assert f"<td>{format_date(previous_day)}</td>" in redline  # the page's one date style
    assert f"<td>{previous_day.isoformat()}</td>" not in redline
    assert marked(redline, "del") == deleted
    assert marked(redline, "ins") == inserted
    section = CHANGES[day][0].removeprefix("sections/").removesuffix(".md")
    assert re.findall(r'<section id="changes-([^"]+)"', redline) == [section]
    previous = {V2: V1, V3: V2}[day]
    compared = links(fragment)[f"version of {format_date(previous)}"]
    assert target(site, page, compared) == site / "versions" / str(previous) / "index.html"


def test_the_first_versions_changes_page_says_it_is_the_first(site: Path):
    fragment = body(site / "changes" / str(V1) / "index.html")
    assert "This is the first version of the notice" in squash(fragment)
    assert "<ins>" not in fragment and "<del>" not in fragment


# --- the feed and the links from the notice page ------------------------------------------------


def test_the_atom_feed_has_one_entry_per_version(site: Path):
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == 3
    for entry, day in zip(entries, (V3, V2, V1), strict=True):
        assert format_date(day) in entry.findtext(f"{ATOM}title")
        assert entry.findtext(f"{ATOM}updated").startswith(str(day))
        assert SUMMARIES[day] in entry.findtext(f"{ATOM}summary")
        href = entry.find(f"{ATOM}link").get("href")
        # No site_url in mkdocs.yml: links are relative to feed.xml, at the site's root.
        assert target(site, site / "feed.xml", href) == site / "changes" / str(day) / "index.html"


def test_with_site_url_the_feed_links_and_ids_are_absolute(repo: Path):
    rendered = render(load_notice(repo))
    history, _ = site_history(repo, rendered, {}, None)

    def url_of(src_uri: str) -> str:  # mkdocs' directory URLs
        return re.sub(r"(^|/)index/$", r"\1", src_uri.replace(".md", "/"))

    base = "https://privacy.example.com/notice/"
    feed = ET.fromstring(atom_feed(history, site_name="S", site_url=base, url_of=url_of))
    assert feed.findtext(f"{ATOM}id") == base + "feed.xml"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == base
    entries = feed.findall(f"{ATOM}entry")
    hrefs = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert hrefs == [f"{base}changes/{day}/" for day in (V3, V2, V1)]
    assert [e.findtext(f"{ATOM}id") for e in entries] == hrefs


def test_every_page_names_the_feed_and_the_notice_page_links_history_and_feed(site: Path):
    for page in (site / "index.html", site / "versions" / str(V1) / "index.html"):
        source = page.read_text(encoding="utf-8")
        head = source[: source.index("</head>")]
        alternate = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', head)
        assert alternate, page
        href = re.search(r'href="([^"]+)"', alternate.group(0)).group(1)
        assert target(site, page, href) == site / "feed.xml"
    found = links(body(site / "index.html"))
    assert target(site, site / "index.html", found["Version history"]) == (
        site / "history" / "index.html"
    )
    assert target(site, site / "index.html", found["Atom feed of new versions"]) == (
        site / "feed.xml"
    )
    changes = found["What changed in this version"]
    assert target(site, site / "index.html", changes) == site / "changes" / str(V3) / "index.html"


def test_the_served_pdf_is_the_archived_file_not_a_rebuild(repo: Path, site: Path):
    page = site / "index.html"
    source = page.read_text(encoding="utf-8")
    href = re.search(r'<a class="md-button[^"]*" href="([^"]+)"[^>]*>Download PDF', source)
    served = target(site, page, href.group(1))
    archived_pdf = repo / "archive" / f"mettel-privacy-notice-{V3}.pdf"
    assert served.read_bytes() == archived_pdf.read_bytes()
    assert not list((repo / ".cache").rglob("*.pdf"))  # the build rendered no PDF at all


def test_version_pages_make_no_third_party_reference(site: Path):
    assert (site / "history" / "index.html").is_file()
    assert third_party_references(site) == []


# --- reading history once, without rendering twice ----------------------------------------------


def test_history_renders_each_past_version_once_and_never_the_current_one(repo: Path):
    rendered = render(load_notice(repo))
    entries = ledger_entries(repo)
    current, warning = archived(repo, entries.get(V3), rendered)
    assert warning is None and current is not None
    history, warnings = site_history(repo, rendered, entries, current)
    assert warnings == []
    assert [v.day for v in history.versions] == [V1, V2, V3]
    assert history.current.rendered is rendered
    assert history.renders == 2


def test_a_draft_in_the_working_tree_is_the_current_version(tmp_path: Path, repo: Path):
    draft = tmp_path / "draft"
    shutil.copytree(repo, draft, symlinks=True, ignore=shutil.ignore_patterns("site", ".cache"))
    edit(draft / "notice.yml", f"last_updated: {V3}", "last_updated: 2023-06-01")
    edit(draft / "notice.yml", SUMMARIES[V3], "A draft of June 1, 2023.")
    edit(draft / "sections" / "fcra-rights.md", "opt out", "choose to opt out")
    rendered = render(load_notice(draft))
    history, warnings = site_history(draft, rendered, ledger_entries(draft), None)
    assert warnings == []
    assert [v.day for v in history.versions] == [V1, V2, V3, date(2023, 6, 1)]
    assert history.current.first_commit is None and history.current.archived is None
    assert history.renders == 3  # HEAD's notice is no longer the working tree's: rendered once
    pdf = archived(draft, ledger_entries(draft)[V3], history.versions[2].rendered)[0]
    pages = [p.src_uri for p in build_pages(SiteContext(rendered, pdf.pdf, history))]
    assert "versions/2023-05-01.md" in pages and "changes/2023-06-01.md" in pages


def test_an_archived_pdf_that_does_not_match_the_ledger_is_not_served(tmp_path: Path, repo: Path):
    copy = tmp_path / "copy"
    shutil.copytree(repo, copy, symlinks=True, ignore=shutil.ignore_patterns("site", ".cache"))
    pdf = copy / "archive" / f"mettel-privacy-notice-{V3}.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    found, warning = archived(copy, ledger_entries(copy)[V3], render(load_notice(copy)))
    assert found is None
    assert warning == (
        f"archive/{pdf.name}: its sha256 is not the one archive/ledger.json records "
        "(run `notice verify`)"
    )


# --- where history cannot be read, and the build stamp ------------------------------------------


def test_outside_git_the_site_builds_without_history_and_says_why(notice_dir: Path):
    result = build(notice_dir)
    assert result.code == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("warning: the site has no version history: ")
    assert "is not inside a git repository" in lines[0]
    site = notice_dir / "site"
    assert not (site / "history").exists() and not (site / "feed.xml").exists()
    source = (site / "index.html").read_text(encoding="utf-8")
    assert "history/" not in source and "application/atom+xml" not in source


def test_in_a_shallow_clone_the_site_builds_without_history(tmp_path: Path, repo: Path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository") == "true"
    result = build(clone)
    assert result.code == 0, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "shallow clone" in line and "fetch --unshallow" in line
    assert not (clone / "site" / "versions").exists()
    # The archive needs no git history: the released current version is still the served PDF.
    served = clone / "site" / "archive" / f"mettel-privacy-notice-{V3}.pdf"
    assert served.read_bytes() == (repo / "archive" / served.name).read_bytes()


def test_a_new_commit_or_a_release_rebuilds_the_site(tmp_path: Path):
    root = new_repo(tmp_path / "repo")
    assert build(root).stdout.startswith("built")
    assert build(root).stdout.startswith("up to date")
    commit_all(root, "An empty commit: a new HEAD")
    assert build(root).stdout.startswith("built")
    built_pdf = root / "site" / f"mettel-privacy-notice-{V1}.pdf"
    assert built_pdf.is_file()
    history = body(root / "site" / "history" / "index.html")
    assert "Current version" in history and "Not released yet" in history
    release(root, now=datetime(2022, 11, 11, 9, 0, tzinfo=UTC))  # the archive changes, HEAD not
    result = build(root)
    assert result.stdout.startswith("built"), result.stdout
    assert f"site/archive/mettel-privacy-notice-{V1}.pdf" in result.stdout
    # the draft's address answers with the archived bytes now, not the draft's
    assert built_pdf.read_bytes() == (root / "archive" / built_pdf.name).read_bytes()
    history = body(root / "site" / "history" / "index.html")
    assert "Not released yet" not in history
    digest = hashlib.sha256((root / "archive" / built_pdf.name).read_bytes()).hexdigest()
    assert digest in history


def test_a_malformed_ledger_fails_the_build_naming_it(notice_dir: Path):
    assert build(notice_dir).code == 0
    index = (notice_dir / "site" / "index.html").read_bytes()
    (notice_dir / "archive").mkdir()
    (notice_dir / "archive" / "ledger.json").write_text('{"entries": [\n', encoding="utf-8")
    result = build(notice_dir)
    assert result.code == 1
    assert re.search(r"^archive/ledger\.json:2: not valid JSON", result.stderr, re.M)
    assert (notice_dir / "site" / "index.html").read_bytes() == index
