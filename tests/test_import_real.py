"""Real published notices (tests/fixtures/real, see SOURCES.tsv) import exactly and build."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from notice.errors import NoticeError
from notice.importer import import_notice
from notice.importer.invisible import INVISIBLE
from notice.importer.values import EMAIL, find_values
from notice.render.rendering import render
from notice.source.load import load_notice
from tests.conftest import FIXTURES
from tests.test_import import _VisibleText

REAL = FIXTURES / "real"
ROWS = list(csv.DictReader((REAL / "SOURCES.tsv").open(encoding="utf-8"), delimiter="\t"))
UNDATED_GIVEN = date(2024, 1, 2)  # what --last-updated says for a notice that states no date
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:.*\n)*?---[ \t]*\n")
BBCODE = re.compile(r"\[(b|i)\](.*?)\[/\1\]", re.IGNORECASE)
KRAMDOWN_ATTRIBUTES = re.compile(r"[ \t]*\{:[^}\n]*\}[ \t]*$", re.MULTILINE)
HREF_ID = re.compile(r'href="#([^"]+)"')
ID = re.compile(r'\bid="([^"]+)"')
# A table of contents: a list of three or more entries, each only a link to a place in the page
# (or three or more paragraphs, each only a link to a place in a page: a Notion export's).
CONTENTS = re.compile(
    r'<(ul|ol)>\s*(?:<li>\s*<a href="#[^"]+">[^<]*</a>\s*</li>\s*){3,}</\1>'
    r'|(?:<p><a href="[^"#]*#[^"]+">[^<]*</a></p>\s*){3,}'
)

# Companies the importer cannot name from the text; the editor passes --company.
COMPANY_MISSES = {
    "iita-akilimo-privacy.html": "names itself only as (“Service Provider”): email domain used",
    "nebulo-privacy-policy.html": "a person's app with no self-naming: email domain used",
    "umich-fulcrum-privacy.html": "'University of Michigan (U-M)' without a we/us clause",
    "letsencrypt-privacy.md": "names its operator only through a link: 'Letsencrypt'",
}

# Notices that state their date where the importer does not look; the test gives the date.
DATE_MISSES: dict[str, str] = {}
COMPANY_MISSES["camaieu-politique-de-confidentialite.fr.md"] = "names itself only as Camaïeu"

# Where a reader's words and the rendering's are allowed to differ, and why (none so far).
EXPLAINED: dict[str, str] = {}


class _PageText(_VisibleText):
    """What a browser shows of a saved page's notice: without menus and forms, nor comments."""

    CHROME = frozenset(("nav", "form", "button"))

    def handle_starttag(self, tag, attrs):
        if tag in self.CHROME:
            self.skipping += 1
            return
        if tag == "blockquote":
            self.parts.append("\n")
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self.CHROME:
            self.skipping -= 1
        else:
            super().handle_endtag(tag)


def html_words(html: str) -> list[str]:
    """The words a reader of the built notice sees."""
    parser = _PageText()
    parser.feed(html)
    return "".join(parser.parts).split()


def visible_words(path: Path) -> list[str]:
    """The words a reader of the input sees, computed without the importer, but for its own
    table of contents (the site and the PDF make theirs)."""
    source = FRONT_MATTER.sub("", path.read_text(encoding="utf-8"))
    source = INVISIBLE.sub("", source)  # zero-width spaces: no reader sees them
    if path.suffix == ".html":
        return html_words(CONTENTS.sub("", source, count=1))
    if path.suffix == ".md" or source.startswith("# "):  # Markdown, also saved as .txt
        source = KRAMDOWN_ATTRIBUTES.sub("", source)  # kramdown never shows '{: #id }'
        html = MarkdownIt("commonmark", {"html": True}).enable("table").render(source)
        return html_words(CONTENTS.sub("", html, count=1))
    if re.search(r"^\[b\].*\[/b\]$", source, re.IGNORECASE | re.MULTILINE):
        source = BBCODE.sub(r"\2", source)  # forum markup: [B]heading[/B], [I]date[/I]
    return source.split()


def _row_id(row: dict) -> str:
    return row["file"].rsplit(".", 1)[0]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Each notice imported once for the module's tests (an import checks and renders it)."""
    done: dict[str, tuple] = {}

    def get(row: dict):
        if row["file"] not in done:
            target = tmp_path_factory.mktemp(_row_id(row)) / "out"
            done[row["file"]] = (_import(row, target), target)
        return done[row["file"]]

    return get


def _import(row: dict, target: Path):
    source = REAL / row["file"]
    given = None
    if row["file"] in DATE_MISSES:
        with pytest.raises(NoticeError, match="--last-updated YYYY-MM-DD"):
            import_notice(source, target)
        return import_notice(source, target, last_updated=date.fromisoformat(row["date"]))
    if row["date"] == "none":
        with pytest.raises(NoticeError, match="--last-updated YYYY-MM-DD"):
            import_notice(source, target)
        given = UNDATED_GIVEN
    return import_notice(source, target, last_updated=given)


def test_the_corpus_is_real_and_varied():
    assert len(ROWS) >= 30
    assert len({row["repository"] for row in ROWS}) >= 12
    assert len({row["company"] for row in ROWS}) >= 24  # organisations
    assert len({row["language"] for row in ROWS}) >= 7
    assert {row["format"] for row in ROWS} == {"txt", "md", "html"}
    assert len([p for p in (REAL / "history").iterdir() if p.is_dir()]) >= 2
    for row in ROWS:
        assert re.fullmatch(r"[0-9a-f]{40}", row["commit"]), row["file"]
        assert (REAL / row["file"]).is_file()


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_a_real_notice_imports_exactly(row: dict, imported):
    report, target = imported(row)
    rendered = render(load_notice(target))
    words, got = visible_words(REAL / row["file"]), html_words(rendered.html)
    if report.structure.title:  # the title heading is notice.yml's title: the page prints it
        title = report.metadata.title.split()
        assert [w.casefold() for w in words[: len(title)]] == [w.casefold() for w in title]
        words = words[len(title) :]
    if row["file"] in EXPLAINED:
        assert words != got and EXPLAINED[row["file"]]
    else:
        first = next((i for i, (a, b) in enumerate(zip(words, got, strict=False)) if a != b), None)
        assert words == got, (first, words[first or 0 : (first or 0) + 8], got[first or 0 :][:8])
        assert report.identical
    errors = [w for w in report.warnings if "error" in str(w)]
    assert not errors
    # the independent reader (CommonMark + an HTML5 parser) sees the same words, none missing;
    # what the import left out on purpose (title heading, table of contents) is named so
    assert report.words is not None
    assert (report.words.missing, report.words.extra) == ((), ())
    said = [w for item in report.dropped for w in item.words]
    assert sorted(report.words.dropped) == sorted(said)


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_title_date_emails_and_phones_of_a_real_notice(row: dict, imported):
    _, target = imported(row)
    notice = load_notice(target)
    sections = "".join(p.read_text() for p in (target / "sections").glob("*.md"))
    expected = UNDATED_GIVEN.isoformat() if row["date"] == "none" else row["date"]
    assert notice.last_updated.isoformat() == expected
    title = re.split(r" \(|;", row["title"])[0].strip()
    if title != "none":
        assert notice.title.casefold() == title.casefold()
    stated_in_text = row["date"] != "none" and not row["date_phrase"].startswith("lastmod")
    if stated_in_text and notice.date_line_position == "none":  # the date stays in its sentence
        named = "{{ last_updated }}" in sections or "{{ effective }}" in sections
        # a date format_date cannot print ('2 Juin 2021', or one the importer missed) stays
        # written as the notice wrote it, and notice.yml records its day
        written = " ".join(row["date_phrase"].strip("_*").split()[-3:]).strip("_*")
        assert named or INVISIBLE.sub("", written) in INVISIBLE.sub("", sections), written
    if row["file"] not in COMPANY_MISSES:
        assert notice.company.casefold() in row["company"].casefold(), notice.company
    text = " ".join(visible_words(REAL / row["file"]))
    values = _leaves(notice.variables)
    for item in find_values(text):
        if item.kind in ("email", "phone"):
            assert item.value in values, item.value
            assert item.value not in sections, item.value
    assert not set(EMAIL.findall(sections))


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_in_page_links_of_a_real_notice_resolve(row: dict, imported):
    _, target = imported(row)
    html = render(load_notice(target)).html
    targets = set(HREF_ID.findall(html))
    assert targets <= set(ID.findall(html)), targets - set(ID.findall(html))


def _leaves(mapping) -> list[str]:
    found: list[str] = []
    for value in mapping.values():
        found += _leaves(value) if isinstance(value, dict) else [str(value)]
    return found


def test_a_real_notice_builds_with_the_readme_commands(tmp_path: Path, cli):
    """One full build (the slow part), of the notice with an in-page table of contents."""
    target = tmp_path / "basecamp"
    source = REAL / "basecamp-37signals-privacy.md"
    assert cli("import", str(source), "--into", str(target)).code == 0
    notice = Path(sys.executable).parent / "notice"
    built = subprocess.run(  # the imported project's README: `make build`
        ["make", "build", f"NOTICE={notice}"], cwd=target, capture_output=True, text=True
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert (target / ".notice.schema.json").is_file()
    page = (target / "site" / "index.html").read_text(encoding="utf-8")
    assert "April 20, 2023" in page
    # the input's '# Privacy policy', its date line and its table of contents, once each
    text = page.split('<div class="notice-text">', 1)[1]
    assert page.count('<h1 id="notice-title">Privacy policy</h1>') == 1
    assert not re.search(r"<h\d[^>]*>Privacy policy</h\d>", text)
    assert text.count("Last updated:") == 1
    assert not CONTENTS.search(text), "the input's table of contents is the site's now"
    links = set(HREF_ID.findall(page)) - {"__skip", "__consent"}
    assert links and links <= set(ID.findall(page)), links - set(ID.findall(page))


def test_the_readme_table_lists_every_notice_of_the_corpus():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    listed = {line.split(" | ")[0].removeprefix("| ") for line in readme.splitlines()}
    assert {row["file"] for row in ROWS} <= listed


TITLED = {  # a title heading, then the date line under it (and a table of contents)
    "basecamp-37signals-privacy.md": ("Privacy policy", "Last updated: April 20, 2023", 10),
    "mozilla-firefox-privacy-notice.md": (
        "Firefox Privacy Notice",
        "Effective September 28, 2017",
        0,
    ),
    "kodi-privacy-policy.txt": ("Kodi Privacy Policy", "2016 Oct 23", 0),
    "pony-politique-de-confidentialite.fr.md": (None, "Version à la date du : 28.11.2023", 14),
}


@pytest.mark.parametrize("name", sorted(TITLED))
def test_a_title_and_date_line_in_the_input_are_printed_once(name: str, imported):
    """Title -> notice.yml's title, date line -> the toolkit's date line, table of contents
    left out; the fidelity report names what it left out (measured, never assumed)."""
    title, line, entries = TITLED[name]
    report, target = imported(next(row for row in ROWS if row["file"] == name))
    notice = load_notice(target)
    rendered = render(notice)
    if title is not None:  # (Pony's title is a link of its table of contents)
        assert notice.title == title and notice.date_line_position == "top"
        assert title not in [s.heading for s in rendered.sections if s.show_heading]
        assert rendered.text.lstrip().startswith(line)
    assert " ".join(rendered.text.split()).count(line) == 1
    assert not CONTENTS.search(rendered.html)
    assert report.words is not None and report.words.same
    contents = [item for item in report.dropped if "table of contents" in item.why]
    assert len(contents) == (1 if entries else 0)
    dropped = (title or "").split() + [w for item in contents for w in item.words]
    assert sorted(report.words.dropped) == sorted(dropped)
    if entries:
        assert f"{entries} in-page links is left out" in contents[0].why
        assert any(w.line == contents[0].line and "table of contents" in w.message
                   for w in report.warnings)  # fmt: skip


ADDRESSES = {  # the postal address each notice gives, as written on one line
    "basecamp-37signals-privacy.md": "2045 W Grand Ave Ste B, PMB 53289, Chicago, IL 60612 USA",
    "sidenote-privacy.md": "Av. da República, 50, 2º, 1050-196 Lisboa, Portugal",
    "reacher-privacy.md": "15 Avenue Sainte Foy, 92200 Neuilly-sur-Seine, FRANCE",
    "brice-politique-de-confidentialite.fr.md": "152 Avenue Alfred Motte, 59100 Roubaix",
    "autoscout24-privacidad.es.md": "Calle de Josefa Valcárcel 40 bis, 28027 Madrid",
}
# Addresses spread over lines (a <br> block, 'Address:' without a postcode) stay text.
LEFT_AS_TEXT = {
    "umich-fulcrum-privacy.html": "500 S State St",
    "chatterbox-privacy-policy.txt": "1441 North Statepark Way, Chicago, IL",
}


@pytest.mark.parametrize("name", sorted(ADDRESSES) + sorted(LEFT_AS_TEXT))
def test_a_postal_address_is_the_variable_contact_address(name: str, imported):
    report, target = imported(next(row for row in ROWS if row["file"] == name))
    notice = load_notice(target)
    sections = "".join(p.read_text() for p in (target / "sections").glob("*.md"))
    rendered = " ".join(render(notice).text.split())
    if name in LEFT_AS_TEXT:
        assert "address" not in notice.variables.get("contact", {})
        assert LEFT_AS_TEXT[name] in sections
        return
    address = ADDRESSES[name]
    assert notice.variables["contact"]["address"] == address
    assert address not in sections and "{{ contact.address }}" in sections
    uses = dict((n, count) for n, _, count in report.variables)
    assert uses["contact.address"] == rendered.count(address) >= 1
    assert report.words is not None and report.words.same


def test_several_postal_addresses_are_named_after_whose_they_are(imported):
    """Finya names two processors' addresses (its own is a block over lines: left as text)."""
    _, target = imported(next(row for row in ROWS if row["file"] == "finya-datenschutz.de.md"))
    contact = load_notice(target).variables["contact"]
    assert contact["full_circle_studies_address"] == "11950 Democracy Drive, Reston, VA 20190, USA"
    assert "address" not in contact  # never the bare name for someone else's address
    sections = "".join(p.read_text() for p in (target / "sections").glob("*.md"))
    assert "Kehrwieder 11" in sections
