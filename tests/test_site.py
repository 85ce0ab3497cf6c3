"""The website: a real mkdocs build through the notice plugin, `notice build`, and its stamp."""

from __future__ import annotations

import hashlib
import html
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from notice.layout import BUILD_RECORD as STAMP_FILE
from notice.publish.site.pages import PageSpec, SiteContext, build_pages, nest, section_toc
from notice.render.rendering import render
from notice.source.load import load_notice
from tests.conftest import assert_no_traceback, copy_notice, edit, run_notice

# material's JavaScript bundle can load these, each only under a condition our site never meets:
# the mermaid library for pages with mermaid diagrams, a polyfill for browsers without
# ResizeObserver, and the repository facts when mkdocs.yml sets repo_url.
CONDITIONAL_LOADS = {
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "mermaid",
    "https://unpkg.com/resize-observer-polyfill": "ResizeObserver",
    "https://${e}/api/v4/projects/${encodeURIComponent(t)}": "repo_url",
    "https://api.github.com/repos/${e}/${t}": "repo_url",
    "https://api.github.com/users/${e}": "repo_url",
}
# Attributes through which a page makes the browser fetch something (an <a href> is only a link).
FETCHING_ATTRIBUTES = {"src", "srcset", "poster", "data", "action", "formaction", "background"}


def build(root: Path, *extra: str):
    """`notice build` for real, in a subprocess."""
    result = run_notice("build", "--root", str(root), *extra)
    assert_no_traceback(result)
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One built site of a copy of the notice, shared by the read-only tests of this module."""
    root = copy_notice(tmp_path_factory.mktemp("built") / "notice")
    result = build(root)
    assert result.code == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def rendered(built: Path):
    return render(load_notice(built))


class _Page(HTMLParser):
    """Collects a page's text, its ids, and every (tag, attribute, value)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.ids: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.styles: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in.append(tag)
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
            if name == "id" and value:
                self.ids.append(value)
            if name == "style" and value:
                self.styles.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            while self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "style":
            self.styles.append(data)
        elif not (self._in and self._in[-1] == "script"):
            self.text.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def squash(text: str) -> str:
    return " ".join(text.split())


def paragraphs(section_text: str) -> list[str]:
    """A section's plain text as paragraphs, without the list markers HTML does not show."""
    blocks = [re.sub(r"^(- |\d+\. )", "", block.strip()) for block in section_text.split("\n\n")]
    return [squash(block) for block in blocks if block.strip()]


def site_files(site: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.suffix in suffixes and p.is_file())


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def is_remote(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://", "//"))


# --- the notice page ---------------------------------------------------------------------------


def test_build_prints_one_line_naming_the_site_and_the_pdf(notice_repo: Path):
    root = notice_repo  # in git, so the site has its version history and nothing to warn about
    result = build(root)
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert "site/index.html" in lines[0]
    assert "site/mettel-privacy-notice-2022-11-11.pdf" in lines[0]


def test_notice_page_is_the_toolkits_rendering_with_every_section(built: Path, rendered):
    index = built / "site" / "index.html"
    source = index.read_text(encoding="utf-8")
    # The body is markdown-it-py's output as is: Python-Markdown never touched it.
    assert rendered.html in source
    page = parse(index)
    text = squash("".join(page.text))
    for section in rendered.sections:
        assert section.id in page.ids, section.id
        if section.show_heading:
            assert squash(section.heading) in text
        for paragraph in paragraphs(section.text):
            assert paragraph in text, (section.id, paragraph[:80])


def test_notice_page_shows_title_last_updated_and_html_lang(built: Path):
    index = built / "site" / "index.html"
    source = index.read_text(encoding="utf-8")
    page = parse(index)
    assert re.search(r"<html[^>]* lang=\"en\"", source)
    assert "<title>MetTel Privacy Notice" in source
    assert '<h1 id="notice-title">MetTel Privacy Notice</h1>' in source
    assert "Last updated: November 11, 2022" in squash("".join(page.text))
    assert '<time datetime="2022-11-11">' in source


def test_table_of_contents_lists_sections_in_order_with_their_nesting(built: Path, rendered):
    source = (built / "site" / "index.html").read_text(encoding="utf-8")
    shown = [s for s in rendered.sections if s.show_heading]
    secondary = source[source.rindex("md-nav--secondary") : source.index('class="md-content"')]
    material_toc = re.findall(r'<a href="#([a-z0-9-]+)" class="md-nav__link">', secondary)
    assert material_toc == [s.id for s in shown]
    # Sub-sections sit in a nested list under their parent.
    cpni = secondary.index('href="#cpni-rights"')
    assert secondary.rfind('href="#your-rights"', 0, cpni) > secondary.rfind("</ul>", 0, cpni)
    # one table of contents: the page repeats none of it in a box of its own
    assert "notice-contents" not in source and ">Contents<" not in source


def test_the_site_is_the_companys_not_the_themes(built: Path):
    source = (built / "site" / "index.html").read_text(encoding="utf-8")
    footer = source[source.index('<footer class="md-footer">') :]
    assert "Copyright © MetTel" in footer  # copyright: in mkdocs.yml
    assert "Made with" not in footer and "squidfunk" not in footer


def test_the_sites_pdf_has_the_sites_copyright_line(built: Path):
    pdf = built / "site" / "mettel-privacy-notice-2022-11-11.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Copyright © MetTel · Last updated November 11, 2022 · Page 1 of" in text


def test_download_pdf_link_points_at_the_pdf_in_the_site(built: Path):
    site = built / "site"
    page = parse(site / "index.html")
    source = (site / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<a class="md-button[^"]*" href="([^"]+)"[^>]*>Download PDF', source)
    assert match, "no Download PDF link"
    target = site / html.unescape(match.group(1))
    assert target.name == "mettel-privacy-notice-2022-11-11.pdf"
    assert target.read_bytes().startswith(b"%PDF-")
    assert ("a", "download", "") in page.attributes


def test_palettes_print_stylesheet_and_search_are_in_the_site(built: Path):
    site = built / "site"
    source = (site / "index.html").read_text(encoding="utf-8")
    assert 'data-md-color-scheme="default"' in source
    assert 'data-md-color-scheme="slate"' in source
    assert 'aria-label="Switch to dark mode"' in source
    assert 'href="assets/notice/notice.css"' in source
    css = (site / "assets" / "notice" / "notice.css").read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]
    assert ".md-header" in print_rules and ".md-search" in print_rules
    assert "display: none" in print_rules
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Customer Proprietary Network Information" in index


def test_no_page_makes_a_third_party_request(built: Path):
    site = built / "site"
    assert site_files(site, ".html")
    assert third_party_references(site) == []
    assert "fonts.googleapis" not in (site / "index.html").read_text(encoding="utf-8")


def third_party_references(site: Path) -> list[str]:
    """Everything in a built site that would make a browser fetch from another host."""
    found = []
    pages = site_files(site, ".html")
    for path in pages:
        page = parse(path)
        for tag, name, value in page.attributes:
            fetched = name in FETCHING_ATTRIBUTES or (name == "href" and tag == "link")
            urls = [part.split()[0] for part in value.split(",") if part.strip()]
            if fetched and any(is_remote(url) for url in urls):
                found.append(f"{path.name}: <{tag} {name}={value}>")
        for style in page.styles:
            found += [f"{path.name}: {u}" for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", style)]
        source = path.read_text(encoding="utf-8")
        if "mermaid" in source or 'data-md-component="source"' in source:
            found.append(f"{path.name}: mermaid or repository facts (loaded from other hosts)")
    for path in site_files(site, ".css"):
        css = path.read_text(encoding="utf-8")
        refs = re.findall(r"url\(\s*['\"]?([^'\")]+)", css) + re.findall(
            r"@import\s+['\"]([^'\"]+)", css
        )
        found += [f"{path.name}: {ref}" for ref in refs if is_remote(ref)]
    for path in site_files(site, ".js"):
        script = path.read_text(encoding="utf-8")
        for url in re.findall(r"[\"'`]((?:https?:)?//[^\"'`\s]+)[\"'`]", script):
            if url not in CONDITIONAL_LOADS:
                found.append(f"{path.name}: {url}")
    return found


# --- failures, stamp and cache ------------------------------------------------------------------


def test_a_notice_error_fails_the_build_and_keeps_the_previous_site(tmp_path: Path):
    root = copy_notice(tmp_path / "notice")
    assert build(root).code == 0
    before = tree_digest(root / "site")
    edit(root / "sections" / "cpni-rights.md", "CPNI Mandate", "{{ contact.fax }} Mandate")
    result = build(root)
    assert result.code == 1
    problem = r"^sections/cpni-rights\.md:\d+: 'contact\.fax' is undefined"
    assert re.search(problem, result.stderr, re.M)
    assert result.stdout == ""
    assert tree_digest(root / "site") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notice"]
    assert not [p for p in root.iterdir() if p.name.startswith(".site.")]


def test_mkdocs_itself_reports_notice_errors_without_a_traceback(tmp_path: Path):
    root = copy_notice(tmp_path / "notice")
    edit(root / "notice.yml", "last_updated: 2022-11-11", "last_updated: 2022-13-11")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    result = subprocess.run(
        [str(mkdocs), "build", "-q"], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert re.search(
        r"notice\.yml:\d+: last_updated: '2022-13-11' is not a valid date: month 13", result.stderr
    )
    assert "Traceback" not in result.stderr


def test_no_change_rebuild_is_skipped_and_a_change_rebuilds(tmp_path: Path):
    root = copy_notice(tmp_path / "notice")
    assert build(root).code == 0
    site = root / "site"
    index_stat = (site / "index.html").stat()
    stamp = (site / STAMP_FILE).read_text(encoding="utf-8")

    again = build(root)
    assert again.code == 0
    assert again.stdout.startswith("up to date")
    assert (site / "index.html").stat().st_mtime_ns == index_stat.st_mtime_ns
    assert (site / "index.html").stat().st_ino == index_stat.st_ino
    assert (site / STAMP_FILE).read_text(encoding="utf-8") == stamp

    edit(root / "sections" / "fcra-rights.md", "certain rights", "certain statutory rights")
    changed = build(root)
    assert changed.code == 0 and changed.stdout.startswith("built")
    assert "certain statutory rights" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / STAMP_FILE).read_text(encoding="utf-8") != stamp


def test_an_unchanged_pdf_is_not_rendered_again(tmp_path: Path):
    root = copy_notice(tmp_path / "notice")
    assert build(root).code == 0
    cached = list((root / ".cache" / "notice").glob("*.pdf"))
    assert len(cached) == 1
    inode = cached[0].stat().st_ino
    # A site-only change (mkdocs.yml) rebuilds the site from the PDF already rendered.
    edit(root / "mkdocs.yml", "site_name: MetTel Privacy", "site_name: MetTel Privacy Center")
    result = build(root)
    assert result.code == 0 and result.stdout.startswith("built")
    assert "MetTel Privacy Center" in (root / "site" / "index.html").read_text(encoding="utf-8")
    assert list((root / ".cache" / "notice").glob("*.pdf")) == cached
    assert cached[0].stat().st_ino == inode
    site_pdf = root / "site" / "mettel-privacy-notice-2022-11-11.pdf"
    assert site_pdf.read_bytes() == cached[0].read_bytes()
    # A change to the text renders a new PDF.
    edit(root / "sections" / "fcra-rights.md", "certain rights", "certain statutory rights")
    assert build(root).code == 0
    assert len(list((root / ".cache" / "notice").glob("*.pdf"))) == 2


def test_the_pdf_cache_renders_once_and_again_when_an_entry_is_damaged(rendered, tmp_path: Path):
    from notice.publish.site.pdfcache import cached_pdf

    first = cached_pdf(rendered, tmp_path)
    assert first.rendered_now and first.pages > 1
    again = cached_pdf(rendered, tmp_path)
    assert not again.rendered_now
    assert (again.path, again.sha256) == (first.path, first.sha256)
    first.path.write_bytes(first.path.read_bytes()[:1000])
    repaired = cached_pdf(rendered, tmp_path)
    assert repaired.rendered_now
    assert hashlib.sha256(repaired.path.read_bytes()).hexdigest() == first.sha256
    other = cached_pdf(rendered, tmp_path, source_commit="0" * 40)
    assert other.rendered_now and other.path != first.path


def test_build_refuses_an_output_folder_that_is_not_a_site(tmp_path: Path):
    root = copy_notice(tmp_path / "notice")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete", encoding="utf-8")
    result = build(root, "--out", str(precious))
    assert result.code == 2
    assert "not empty and not a built site" in result.stderr
    assert (precious / "thesis.txt").read_text(encoding="utf-8") == "do not delete"
    assert build(root, "--out", str(root)).code == 2
    assert (root / "notice.yml").exists()


def test_a_docs_page_that_collides_with_a_generated_page_is_an_error(tmp_path: Path):
    root = copy_notice(tmp_path / "notice")
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    result = build(root)
    assert result.code == 1
    assert "index.md in docs_dir is generated by the notice plugin" in result.stderr


# --- live preview -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch_until(url: str, needle: str, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if needle in response.read().decode("utf-8"):
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_mkdocs_serve_reloads_on_a_section_change(tmp_path: Path):
    root = copy_notice(tmp_path / "notice")
    port = free_port()
    mkdocs = Path(sys.executable).parent / "mkdocs"
    server = subprocess.Popen(
        [str(mkdocs), "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        assert fetch_until(url, "FCRA Rights", time.monotonic() + 30)
        edit(root / "sections" / "fcra-rights.md", "title: FCRA Rights", "title: FCRA Choices")
        assert fetch_until(url, "FCRA Choices", time.monotonic() + 30)
        edit(root / "notice.yml", "(800) 876-9823", "(800) 555-0100")
        assert fetch_until(url, "(800) 555-0100", time.monotonic() + 30)
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- the extension point ------------------------------------------------------------------------


def test_page_builders_add_pages_and_refuse_two_at_one_place(rendered, tmp_path: Path):
    from notice.publish.site.pages import Download, notice_page

    pdf = Download("x.pdf", tmp_path / "x.pdf", 1, 2048)
    context = SiteContext(rendered, pdf)

    def history(context: SiteContext):
        yield PageSpec("versions/index.md", "Versions", lambda link: f"<a href='{link('x.pdf')}'>")

    pages = build_pages(context, (notice_page, history))
    assert [p.src_uri for p in pages] == ["index.md", "versions/index.md"]
    assert pages[0].toc == section_toc(rendered)
    with pytest.raises(ValueError, match=r"two generated pages at index\.md"):
        build_pages(context, (notice_page, notice_page))


def test_nest_builds_the_section_tree(rendered):
    tree = nest(section_toc(rendered))
    top = [entry.id for entry, _ in tree]
    assert top == [s.id for s in rendered.sections if s.level == 1 and s.show_heading]
    rights = dict((entry.id, children) for entry, children in tree)["your-rights"]
    assert [entry.id for entry, _ in rights][:2] == ["cpni-rights", "fcra-rights"]
