"""The built site in Debian's Chromium (driven by playwright): text, TOC, PDF, search, a11y."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from notice.render.rendering import format_date, render
from notice.source.load import load_notice
from tests.conftest import assert_no_traceback, commit_all, run_notice
from tests.test_site import paragraphs, squash
from tests.test_site_history import new_repo, three_versions
from tests.test_translations import FR_BODY, FR_TITLE, add_languages, translate

playwright_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Every kind of page of the site, relative to its root: the notice, 404, the version history,
# a past version, a changes page with both insertions and deletions, and the coverage table.
PAGES = (
    "",
    "404.html",
    "history/",
    "versions/2022-11-11/",
    "changes/2023-03-01/",
    "coverage/",
    "fr/",
)
PAGE_IDS = ["notice", "404", "history", "version", "changes", "coverage", "french"]
SERIOUS = {"serious", "critical"}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository with three versions, two of them released, built once."""
    root = three_versions(new_repo(tmp_path_factory.mktemp("browser") / "notice"))
    brand(root)
    add_languages(root, "en", "fr")  # a French page, one section translated, for axe
    translate(root, "fr", "changes-to-this-notice", FR_TITLE, FR_BODY)
    commit_all(root, "French translation of one section")
    result = run_notice("build", "--root", str(root))
    assert_no_traceback(result)
    assert result.code == 0, result.stderr
    return root


LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
    '<rect width="24" height="24" rx="4" fill="#ffffff"/></svg>\n'
)
BLUE_GREY = "rgb(84, 109, 120)"  # Material's "blue grey" primary: white on it is legible


def brand(root: Path) -> None:
    """The company's brand where Material users set it: a logo in docs/, a palette colour (one
    that keeps every page's contrast, which the accessibility tests judge)."""
    (root / "docs" / "assets").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "assets" / "logo.svg").write_text(LOGO, encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("primary: indigo", "primary: blue grey")
    config.write_text(
        text.replace("  name: material\n", "  name: material\n  logo: assets/logo.svg\n")
    )
    commit_all(root, "The company's logo and colour")


@pytest.fixture(scope="module")
def rendered(site: Path):
    return render(load_notice(site))


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    """The built site over http on 127.0.0.1, as a web server would publish it."""
    handler = functools.partial(_QuietHandler, directory=str(site / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/bootstrap installs it)")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Visit:
    """A browser page plus everything it asked for and complained about."""

    page: object
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


@pytest.fixture
def visit(browser) -> Iterator[Visit]:
    """A fresh browser context that records every request and every console error."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    record = Visit(page)
    page.on("request", lambda request: record.requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            record.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: record.console_errors.append(str(error)))
    # Recorded above first; a request that would leave the machine is then cut off here.
    context.route(
        "**/*",
        lambda route: route.continue_() if is_local(route.request.url) else route.abort(),
    )
    try:
        yield record
    finally:
        context.close()


def open_page(visit: Visit, base_url: str, path: str = "", scheme: str = "light") -> object:
    page = visit.page
    page.emulate_media(color_scheme=scheme)
    response = page.goto(urljoin(base_url, path), wait_until="networkidle")
    assert response is not None
    return page


def test_the_page_shows_the_notice_text(visit: Visit, base_url: str, rendered):
    page = open_page(visit, base_url)
    expect = playwright_api.expect
    expect(page.locator("h1")).to_have_text("MetTel Privacy Notice")
    last_updated = format_date(rendered.notice.last_updated)
    expect(page.locator(".notice-dates")).to_contain_text(f"Last updated: {last_updated}")
    shown = squash(page.locator(".notice-text").inner_text())
    for section in rendered.sections:
        if section.show_heading:
            assert squash(section.heading) in shown
        for paragraph in paragraphs(section.text):
            assert paragraph in shown, (section.id, paragraph[:80])
    assert visit.outside() == []
    assert visit.console_errors == []


def test_the_table_of_contents_navigates_to_each_section(visit: Visit, base_url: str, rendered):
    toc = ".md-sidebar--secondary .md-nav--secondary"
    page = open_page(visit, base_url)
    expect = playwright_api.expect
    shown = [s for s in rendered.sections if s.show_heading]
    assert page.locator(f"{toc} a").count() == len(shown)
    for section in shown:
        page.locator(f'{toc} a[href="#{section.id}"]').click()
        page.wait_for_function(f"location.hash === '#{section.id}'")
        heading = page.locator(f"#{section.id}")
        expect(heading).to_be_in_viewport()
        expect(heading).to_contain_text(section.title)
    assert visit.outside() == []
    assert visit.console_errors == []


def test_the_pdf_link_resolves(visit: Visit, base_url: str, rendered):
    page = open_page(visit, base_url)
    link = page.get_by_role("link", name="Download PDF")
    href = link.get_attribute("href")
    assert href and href.endswith(f"-{rendered.notice.last_updated}.pdf")
    response = page.request.get(urljoin(page.url, href))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    assert visit.console_errors == []


def test_search_finds_a_word_of_the_notice(visit: Visit, base_url: str):
    page = open_page(visit, base_url)
    expect = playwright_api.expect
    search = page.get_by_role("textbox", name="Search")
    search.click()
    search.press_sequentially("Nevada")
    result = page.locator(".md-search-result__item").first
    expect(result).to_contain_text("Nevada", timeout=10_000)
    assert visit.outside() == []
    assert visit.console_errors == []


def test_the_palette_toggle_switches_light_and_dark(visit: Visit, base_url: str):
    page = open_page(visit, base_url)
    body = page.locator("body")
    playwright_api.expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.locator('label[title="Switch to dark mode"]').click()
    playwright_api.expect(body).to_have_attribute("data-md-color-scheme", "slate")
    assert visit.console_errors == []


def test_printing_shows_only_the_notice(visit: Visit, base_url: str):
    page = open_page(visit, base_url)
    page.emulate_media(media="print")
    expect = playwright_api.expect
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator(".md-search")).to_be_hidden()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator(".notice-download")).to_be_hidden()
    expect(page.locator("#cpni-rights")).to_be_visible()


def test_the_history_leads_to_a_past_version_whose_banner_leads_back(visit: Visit, base_url: str):
    page = open_page(visit, base_url)
    expect = playwright_api.expect
    page.locator(".notice-versions").get_by_role("link", name="Version history").click()
    expect(page.locator("h1")).to_have_text("Version history")
    page.get_by_role("link", name="Full text of the version of November 11, 2022").click()
    banner = page.get_by_role("note")
    expect(banner).to_contain_text("Superseded on April 1, 2023")
    banner.get_by_role("link", name="Read the current notice").click()
    expect(page.locator(".notice-dates")).to_contain_text("Last updated: May 1, 2023")
    assert visit.outside() == []
    assert visit.console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_redline_marks_do_not_rely_on_colour(visit: Visit, base_url: str, scheme: str):
    page = open_page(visit, base_url, "changes/2023-03-01/", scheme)
    cues = page.evaluate(
        """() => ["ins", "del"].map(tag => {
            const mark = document.querySelector(`.redline ${tag}`);
            const style = getComputedStyle(mark);
            return [tag, mark.textContent, style.textDecorationLine,
                    getComputedStyle(mark, "::before").content];
        })"""
    )
    assert cues == [
        ["ins", "your", "underline", '" [inserted: "'],
        ["del", "customer", "line-through", '" [deleted: "'],
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES, ids=PAGE_IDS)
def test_no_serious_accessibility_violation_and_no_outside_request(
    visit: Visit, base_url: str, path: str, scheme: str
):
    page = open_page(visit, base_url, path, scheme)
    results = axe_module.Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]
    assert serious == []
    assert visit.requests, "the recorder saw no request at all"
    assert visit.outside() == []
    assert visit.console_errors == []


# --- what a reader sees: screenshots at desktop and phone width --------------------------------

SHOWN = {"notice": "", "history": "history/", "changes": "changes/2023-03-01/",
         "version": "versions/2022-11-11/"}  # fmt: skip
WIDTHS = {"desktop": (1400, 900), "phone": (390, 844)}


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_show_one_table_of_contents_the_brand_and_no_variable_name(
    browser, base_url: str, rendered, width: str, tmp_path_factory
):
    from notice.render.rendering import leaf_variable_names

    folder = tmp_path_factory.mktemp(f"screenshots-{width}")
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h})
    context.route("**/*", lambda r: r.continue_() if is_local(r.request.url) else r.abort())
    names = leaf_variable_names(rendered.notice.variables)
    try:
        page = context.new_page()
        for name, path in SHOWN.items():
            page.goto(urljoin(base_url, path), wait_until="networkidle")
            shot = folder / f"{name}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000
            # one table of contents: Material's, visible on a wide screen; never a second one
            assert page.locator(".notice-contents").count() == 0
            sidebar = page.locator(".md-sidebar--secondary .md-nav--secondary")
            assert sidebar.count() <= 1
            if width == "desktop" and name == "notice":
                assert sidebar.is_visible()
            # the brand: the company's logo, colour and copyright line; no "Made with"
            logo = page.locator(".md-header .md-logo img")
            assert logo.get_attribute("src").endswith("assets/logo.svg")
            header = page.locator(".md-header").evaluate("e => getComputedStyle(e).backgroundColor")
            assert header == BLUE_GREY, (name, width, header)
            footer = page.locator(".md-footer").inner_text()
            assert "Copyright © MetTel" in footer and "Made with" not in footer
            text = page.locator("body").inner_text()
            assert not [n for n in names if n in text], (name, width)
    finally:
        context.close()
