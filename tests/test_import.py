"""notice import: text, Markdown and HTML notices become projects that render the same text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notice.errors import SourceError
from notice.importer import import_notice
from notice.numbering import format_number
from notice.render.plaintext import tokens_to_text
from notice.render.rendering import markdown_parser, render
from notice.source.load import load_notice
from tests.conftest import FIXTURES, PROJECT, assert_no_traceback

IMPORTS = FIXTURES / "import"
METTEL = FIXTURES / "mettel-privacy-notice-2022-11-11.txt"
NORTHWIND = IMPORTS / "northwind-logistics-privacy-notice.txt"
BRIGHTLEAF = IMPORTS / "brightleaf-health-privacy-policy.md"
HARBOR = IMPORTS / "harbor-community-bank-online-privacy.html"
ALL_INPUTS = [METTEL, NORTHWIND, BRIGHTLEAF, HARBOR]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_LIKE = re.compile(r"[+(]?\d[\d ().-]{8,}\d")


def collapse(text: str) -> str:
    return " ".join(text.split())


class _VisibleText(HTMLParser):
    """What a browser shows, written the way the toolkit writes text: '- ' and 'N. ' list items,
    table cells joined by ' | '. Kept apart from the importer's reader on purpose."""

    BLOCKS = frozenset(("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "header", "table"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.lists: list[list] = []
        self.first_cell = True

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "script", "style"):
            self.skipping += 1
        elif tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 1])
        elif tag == "li":
            ordered, number = self.lists[-1]
            self.parts.append(f"\n{number}. " if ordered else "\n- ")
            self.lists[-1][1] += 1
        elif tag in ("td", "th"):
            self.parts.append(" " if self.first_cell else " | ")
            self.first_cell = False
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n")
            self.first_cell = True

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style"):
            self.skipping -= 1
        elif tag in ("ul", "ol"):
            self.lists.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def input_text(path: Path) -> str:
    """The text a reader of the input sees, computed without the importer."""
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return tokens_to_text(markdown_parser().parse(source))
    if path.suffix == ".html":
        parser = _VisibleText()
        parser.feed(source)
        return "".join(parser.parts)
    return source


def imported(tmp_path: Path, source: Path, *extra: str, cli) -> Path:
    target = tmp_path / "imported"
    result = cli("import", str(source), "--into", str(target), *extra)
    assert result.code == 0, result.stderr
    assert_no_traceback(result)
    return target


@pytest.mark.parametrize("source", ALL_INPUTS, ids=lambda p: p.suffix + ":" + p.stem[:12])
def test_import_renders_the_input_and_passes_check(tmp_path: Path, source: Path, cli):
    target = imported(tmp_path, source, cli=cli)
    rendered = cli("render", "--root", str(target), "--format", "text")
    assert rendered.code == 0, rendered.stderr
    text, title = collapse(input_text(source)), load_notice(target).title
    if text.casefold().startswith(title.casefold() + " "):
        # the title line is notice.yml's title (the site and the PDF print it), not body text
        text = text[len(title) :].strip()
    assert collapse(rendered.stdout) == text
    checked = cli("check", "--root", str(target))
    assert checked.code == 0, checked.stderr
    assert "ok: notice is valid (1 warning)" in checked.stderr  # where it is published:
    assert "mkdocs.yml:1: warning: site_url is not set" in checked.stderr  # only its owner knows
    assert "\nsite_name: " in (target / "mkdocs.yml").read_text()


@pytest.mark.parametrize("source", ALL_INPUTS, ids=lambda p: p.suffix + ":" + p.stem[:12])
def test_every_email_and_phone_number_is_a_variable(tmp_path: Path, source: Path):
    target = tmp_path / "imported"
    import_notice(source, target)
    raw = source.read_text(encoding="utf-8")
    emails = set(EMAIL.findall(raw))
    phones = {
        m.strip()
        for m in PHONE_LIKE.findall(raw)
        if sum(c.isdigit() for c in m) >= 10 and re.search(r"[ ()+-]", m.strip())
    }
    phones |= set(re.findall(r'href="tel:([^"]+)"', raw))
    assert emails and phones
    values = set(_leaves(load_notice(target).variables))
    sections = "".join(p.read_text() for p in sorted((target / "sections").glob("*.md")))
    for literal in emails | phones:
        assert literal in values, literal
        assert literal not in sections, literal


def _leaves(mapping) -> list[str]:
    found = []
    for value in mapping.values():
        found += _leaves(value) if isinstance(value, dict) else [str(value)]
    return found


@pytest.mark.parametrize("source", ALL_INPUTS, ids=lambda p: p.suffix + ":" + p.stem[:12])
def test_non_empty_folder_is_refused_unless_forced(tmp_path: Path, source: Path, cli):
    target = tmp_path / "existing"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n")
    refused = cli("import", str(source), "--into", str(target))
    assert refused.code == 1
    assert_no_traceback(refused)
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "not empty" in refused.stderr and "--force" in refused.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    forced = cli("import", str(source), "--into", str(target), "--force")
    assert forced.code == 0, forced.stderr
    assert (target / "notes.txt").read_text() == "mine\n"
    assert (target / "notice.yml").is_file() and (target / "sections").is_dir()


def test_mettel_structure_matches_the_hand_made_project(tmp_path: Path):
    report = import_notice(METTEL, tmp_path / "mettel")
    assert report.identical
    assert report.structure.numbering == ["upper-roman", "upper-alpha", "decimal"]
    assert report.sections_by_level() == {1: 5, 2: 8, 3: 3}
    hand_made = render(load_notice(PROJECT))
    ours = render(load_notice(tmp_path / "mettel"))
    assert [(s.heading, s.level) for s in ours.sections if s.show_heading] == [
        (s.heading, s.level) for s in hand_made.sections if s.show_heading
    ]
    assert ours.notice.variables["contact"] == hand_made.notice.variables["contact"]
    assert ours.notice.last_updated == hand_made.notice.last_updated
    assert (ours.notice.title, ours.notice.company) == ("MetTel Privacy Notice", "MetTel")


def test_nested_decimal_notice_keeps_its_numbers_and_dates(tmp_path: Path):
    report = import_notice(NORTHWIND, tmp_path / "northwind")
    assert report.structure.numbering == ["decimal", "decimal-nested", "decimal-nested"]
    assert report.structure.heading_formats == [
        "{number}. {title}",
        "{number} {title}",
        "{number} {title}",
    ]
    notice = load_notice(tmp_path / "northwind")
    headings = [s.heading for s in notice.sections]
    assert "2.1.2 Shipment information" in headings and "4. Your Rights and Choices" in headings
    assert (notice.last_updated.isoformat(), notice.effective.isoformat()) == (
        "2024-02-12",
        "2024-03-01",
    )
    first = (tmp_path / "northwind" / notice.sections[0].path).read_text()
    assert "Effective date: {{ effective }}" in first
    assert "March 1, 2024" not in first


def test_markdown_and_html_headings(tmp_path: Path):
    markdown = import_notice(BRIGHTLEAF, tmp_path / "md")
    assert markdown.structure.numbering == ["none", "none"]
    assert markdown.sections_by_level() == {1: 7, 2: 5}
    html = import_notice(HARBOR, tmp_path / "html")
    assert html.structure.numbering == ["decimal", "none"]
    assert [s.number for s in html.structure.sections if s.level == 1][1:] == list("123456")
    lines = [str(w) for w in html.warnings]
    assert any(":14: warning: image left out" in w for w in lines)
    assert any(":18: warning: link to '/privacy/glba' kept as text" in w for w in lines)


def test_macros_are_proposed_and_written_on_request(tmp_path: Path, cli):
    proposed = cli("import", str(METTEL), "--into", str(tmp_path / "plain"))
    assert "repeated sentences: 1 (run again with --macros" in proposed.stdout
    assert "your_dedicated_customer_service(): 5 times" in proposed.stdout
    assert not list((tmp_path / "plain" / "macros").iterdir())
    target = imported(tmp_path, METTEL, "--macros", cli=cli)
    macros = (target / "macros" / "imported.j2").read_text()
    assert "{% macro your_dedicated_customer_service() -%}" in macros
    sections = "".join(p.read_text() for p in (target / "sections").glob("*.md"))
    assert sections.count("{{ your_dedicated_customer_service() }}") == 5
    assert "{{ contact.email }}" not in sections.replace("<{{ contact.email }}>", "")
    rendered = cli("render", "--root", str(target))
    assert collapse(rendered.stdout) == collapse(METTEL.read_text())
    assert cli("check", "--root", str(target)).code == 0


def test_macro_parameters_stand_for_the_variables_that_differ(tmp_path: Path):
    source = tmp_path / "notice.txt"
    source.write_text(
        "1. Sales\n\nFor questions about an order, please write to our team at sales@acme.test"
        " and we will reply within two business days.\n\n2. Support\n\nFor questions about an"
        " order, please write to our team at help@acme.test and we will reply within two"
        " business days.\n\nLast updated: May 2, 2024\n"
    )
    report = import_notice(source, tmp_path / "out", write_macros=True)
    (proposal,) = report.proposals
    assert proposal.parameters == ["email"]
    assert "<{{ email }}>" in proposal.template
    bodies = "".join(p.read_text() for p in (tmp_path / "out" / "sections").glob("*.md"))
    assert f"{proposal.name}(contact.sales_email)" in bodies
    assert f"{proposal.name}(contact.help_email)" in bodies
    assert report.identical


TRICKY = """\
1. Markdown Lookalikes

The list below is not Markdown:
1. a line that starts like an ordered list
2) and one with a parenthesis
- a dash line, * a star, _underscores_ and **double stars**
# not a heading, > not a quote, + not a bullet
[not a link](https://example.test/x) and <b>not a tag</b> and `not code`
A backslash \\ at C:\\Temp\\new, an entity &amp; and &#169;, a pipe a | b, ~~no strike~~
---
2. Template Lookalikes

Jinja stays text: {{ user.name }}, {% if x %}yes{% endif %}, {# comment #} and a brace {
{{{ triple }}} and {%- trimmed -%} and privacy@acme.test{

Last updated: January 5, 2024
"""


def test_markdown_and_jinja_syntax_in_the_input_is_escaped(tmp_path: Path, cli):
    source = tmp_path / "tricky.txt"
    source.write_text(TRICKY, encoding="utf-8")
    target = imported(tmp_path, source, cli=cli)
    rendered = cli("render", "--root", str(target))
    assert rendered.code == 0, rendered.stderr
    assert collapse(rendered.stdout) == collapse(TRICKY)
    html = cli("render", "--root", str(target), "--format", "html").stdout
    assert "<em>" not in html and "<strong>" not in html and "<code>" not in html
    assert ">not a link</a>" not in html and "<b>" not in html
    assert "<h2" in html.split("Jinja stays text")[0].rsplit("<section", 1)[-1]


LOOKALIKES = [
    "1. Item", "2) thing", "- dash", "* star", "+ plus", "# hash", "> quote", "`code`", "**b**",
    "_u_", "[x](y)", "<b>", "&amp;", "&#169;", "\\", "{{ x }}", "{% if %}", "{#", "{", "}}",
    "a@b.co", "(800) 555-0100", "https://x.test/a_(b)", "www.x.test.", "~~s~~", "a | b", "---",
    "===", "    indented", "ALL CAPS LINE", "Sentence ends.", "question?", "|---|", "```",
    "<http://x>", "![i](j)", "[a]: http://z", "A. Sub", "i. roman", "(a) paren", "word",
]  # fmt: skip


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(st.sampled_from(LOOKALIKES), min_size=1, max_size=5).map(" ".join),
        min_size=3,
        max_size=12,
    )
)
def test_any_plain_text_body_renders_back_exactly(tmp_path_factory, body_lines: list[str]):
    text = "I. FIRST PART\n\n" + "\n".join(body_lines[:6]) + "\n\nII. SECOND PART\n\n"
    text += "\n\n".join(body_lines[6:]) + "\n\nLast updated: May 1, 2024\n"
    folder = tmp_path_factory.mktemp("prop")
    source = folder / "notice.txt"
    source.write_text(text, encoding="utf-8")
    import_notice(source, folder / "out")
    assert collapse(render(load_notice(folder / "out")).text) == collapse(text)


def test_raw_html_in_markdown_shows_as_a_browser_shows_it(tmp_path: Path, cli):
    source = tmp_path / "notice.md"
    source.write_text(
        "## Scope\n\nWe use <b>no</b> tags,<br>not even <!-- this -->, but `<i>` is code.\n\n"
        "## Contact\n\n<div>Mail a@b.test</div>\n\nLast updated: May 1, 2024\n"
    )
    result = cli("import", str(source), "--into", str(tmp_path / "out"))
    assert result.code == 0, result.stderr
    assert (
        f"{source}:3: warning: HTML '<br>' left out (a browser does not show it)" in result.stderr
    )
    assert "'<b>'" not in result.stderr  # bold, as a browser shows it: **no**
    assert cli("check", "--root", str(tmp_path / "out")).code == 0
    rendered = cli("render", "--root", str(tmp_path / "out"))
    assert collapse(rendered.stdout) == (
        "Scope We use no tags, not even , but <i> is code. Contact Mail a@b.test "
        "Last updated: May 1, 2024"
    )
    assert "`<i>`" in (tmp_path / "out" / "sections" / "scope.md").read_text()


def test_html_markup_inside_text_is_kept_as_text(tmp_path: Path):
    source = tmp_path / "notice.html"
    source.write_text(
        "<h1>Acme Notice</h1><h2>I. Scope</h2><p>Use *stars*, _lines_ and {{ braces }}"
        " &lt;here&gt;.</p><p><strong> Bold </strong>then<em>tight</em>.</p>"
        "<h2>II. Contact</h2><p>Write to <a href='mailto:a@acme.test'>a@acme.test</a>.</p>"
        "<p>Last updated: March 3, 2024</p>",
        encoding="utf-8",
    )
    report = import_notice(source, tmp_path / "out")
    assert report.identical, [str(w) for w in report.warnings]
    assert report.structure.numbering == ["upper-roman"]
    text = render(load_notice(tmp_path / "out")).text
    assert "Use *stars*, _lines_ and {{ braces }} <here>." in text


def test_a_numbering_gap_keeps_the_written_number(tmp_path: Path):
    source = tmp_path / "gap.txt"
    source.write_text(
        "1. First\n\nText one.\n\n2. Second\n\nText two.\n\n4. Fourth\n\nText four.\n\n"
        "Last updated: May 2, 2024\n"
    )
    report = import_notice(source, tmp_path / "out")
    assert report.identical
    fourth = report.structure.sections[-1]
    assert (fourth.numbered, fourth.title) == (False, "4. Fourth")
    assert "numbered: false" in (tmp_path / "out" / "sections" / f"{fourth.id}.md").read_text()


def test_the_notices_own_date_line_is_kept_with_its_wording_and_place(tmp_path: Path, cli):
    source = tmp_path / "revised.txt"
    source.write_text("A. Scope\n\nThis notice covers the shop.\n\nLast Revised: 03/01/2024\n")
    result = cli("import", str(source), "--into", str(tmp_path / "out"))
    assert result.code == 0, result.stderr
    assert "fidelity: the rendering shows the same" in result.stdout
    config = (tmp_path / "out" / "notice.yml").read_text()
    assert "date_format: '%m/%d/%Y'" in config
    assert "date_line:\n  text: 'Last Revised: {date}'\n  position: end" in config


@pytest.mark.parametrize(
    ("text", "line", "position", "written"),
    [
        ("Effective date: April 1st 2026\n\n1. Scope\n\nWe sell tea.\n", "Effective date: {date}",
         "top", "2026-04-01"),
        ("1. Scope\n\nWe sell tea.\n\nVersion 1.0, dated 2019-08-19\n", "Version 1.0, dated {date}",
         "end", "2019-08-19"),
        ("1. Scope\n\nWe sell tea.\n\nLast revised APRIL-2024\n", "Last revised {date}", "end",
         "2024-04-01"),
        ("1. Scope\n\nWe sell tea.\n\nLast updated: 2016 Oct 23\n", "Last updated: {date}", "end",
         "2016-10-23"),
    ],
)  # fmt: skip
def test_real_date_lines_render_back_exactly(tmp_path: Path, text, line, position, written):
    source = tmp_path / "dated.txt"
    source.write_text(text)
    report = import_notice(source, tmp_path / "out")
    assert report.identical, report.warnings
    notice = load_notice(tmp_path / "out")
    assert (notice.date_line, notice.date_line_position) == (line, position)
    assert notice.last_updated.isoformat() == written


def test_a_statute_date_in_the_body_never_becomes_the_notices_date(tmp_path: Path):
    source = tmp_path / "statute.txt"
    body = "\n\n".join(f"Paragraph {n} about tea." for n in range(8))
    source.write_text(
        "Last updated: May 2, 2024\n\n1. Scope\n\n" + body + "\n\n2. California\n\n"
        "The CCPA became effective on July 1, 2020 for every business.\n\n" + body + "\n"
    )
    report = import_notice(source, tmp_path / "out")
    assert report.identical
    assert report.metadata.last_updated.isoformat() == "2024-05-02"
    sections = "".join(p.read_text() for p in (tmp_path / "out" / "sections").glob("*.md"))
    assert "effective on July 1, 2020" in sections  # legal text stays as written


def test_a_notice_without_a_date_is_refused_unless_given(tmp_path: Path, cli):
    source = tmp_path / "undated.md"
    source.write_text("# Shop Privacy\n\nIntro.\n\n## Data\n\nWe keep orders.\n")
    refused = cli("import", str(source), "--into", str(tmp_path / "out"))
    assert refused.code == 1 and not (tmp_path / "out").exists()
    assert "no date found" in refused.stderr and "--last-updated YYYY-MM-DD" in refused.stderr
    given = cli(
        "import", str(source), "--into", str(tmp_path / "out"), "--last-updated", "2024-05-02"
    )
    assert given.code == 0, given.stderr
    assert "fidelity: the rendering shows the same" in given.stdout
    notice = load_notice(tmp_path / "out")
    assert (notice.last_updated.isoformat(), notice.date_line_position) == ("2024-05-02", "none")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "file not found"),
        (b"", "the file is empty"),
        (b"1. Scope\n\nCaf\xe9 au lait\n", ":3: not valid UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text file"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(tmp_path: Path, cli, content, message):
    source = tmp_path / "input.txt"
    if content is not None:
        source.write_bytes(content)
    result = cli("import", str(source), "--into", str(tmp_path / "out"))
    assert result.code == 1
    assert_no_traceback(result)
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_file_as_target_is_refused(tmp_path: Path, cli):
    (tmp_path / "taken").write_text("x")
    result = cli("import", str(METTEL), "--into", str(tmp_path / "taken"))
    assert result.code == 1 and "is not a folder" in result.stderr


# -- the core extensions the importer needs ---------------------------------------------------


def test_nested_decimal_and_none_schemes():
    assert format_number(3, "decimal-nested", "2.1") == "2.1.3"
    assert format_number(3, "decimal-nested", "") == "3"
    assert format_number(3, "none") == ""


def test_heading_format_per_level_reaches_text_and_html(tmp_path: Path):
    root = import_notice(NORTHWIND, tmp_path / "n").target
    rendered = render(load_notice(root))
    section = next(s for s in rendered.sections if s.number == "2.1.1")
    assert section.heading == "2.1.1 Account information"
    assert '<span class="notice-number">2.1.1</span> Account information' in rendered.html
    assert '<span class="notice-number">2.</span> Information We Collect' in rendered.html


def test_a_bad_heading_format_is_reported_with_its_line(tmp_path: Path):
    root = import_notice(NORTHWIND, tmp_path / "n").target
    config = root / "notice.yml"
    text = config.read_text()
    config.write_text(text.replace("- '{number} {title}'", "- '{title} ({number})'", 1))
    with pytest.raises(SourceError) as caught:
        load_notice(root)
    line = text.splitlines().index("  - '{number} {title}'") + 1
    assert str(caught.value) == (
        f"notice.yml:{line}: heading_format: '{{title}} ({{number}})' must end with {{title}}"
    )


def test_the_inputs_own_anchors_become_section_ids_so_its_links_resolve(tmp_path: Path, cli):
    source = tmp_path / "notice.html"
    source.write_text(
        "<h1>Acme Notice</h1><p>See <a href='#rights'>your rights</a>, <a href='#Q_A'>Q&amp;A</a>"
        " and <a href='#gone'>nothing</a>.</p><h2 id='rights'>Your Choices</h2><p>Opt out.</p>"
        "<h2 id='Q_A'>Questions</h2><p>Ask.</p><p>Last updated: March 3, 2024</p>",
        encoding="utf-8",
    )
    report = import_notice(source, tmp_path / "out")
    assert report.identical
    ids = [s.id for s in report.structure.sections]
    assert "rights" in ids and "questions" in ids
    messages = [w.message for w in report.warnings]
    assert "link to '#gone' kept as text (no such anchor)" in messages
    html = render(load_notice(tmp_path / "out")).html
    assert '<a href="#rights">your rights</a>' in html and 'id="rights"' in html
    # 'Q_A' is no valid section id: the section keeps its own, and the link follows it there
    assert '<a href="#questions">Q&amp;A</a>' in html and 'id="questions"' in html
    assert cli("check", "--root", str(tmp_path / "out")).code == 0


def test_obfuscated_emails_vanity_numbers_and_tel_targets_are_variables(tmp_path: Path):
    source = tmp_path / "notice.html"
    source.write_text(
        "<h1>Acme Notice</h1><h2>Contact</h2><p>Write to privacy[at]acme.example or "
        "dpo (at) acme [dot] example; call <a href='tel:+18003569377'>1-800-FLOWERS</a> or "
        "(888) 555-HELP.</p><p>Again: privacy[at]acme.example, 1-800-FLOWERS.</p>"
        "<p>Last updated: March 3, 2024</p>",
        encoding="utf-8",
    )
    report = import_notice(source, tmp_path / "out")
    assert report.identical
    values = {value: (name, uses) for name, value, uses in report.variables}
    assert values["privacy[at]acme.example"][1] == 2  # same value, same variable
    assert "dpo (at) acme [dot] example" in values
    assert values["1-800-FLOWERS"][1] == 2 and "(888) 555-HELP" in values
    assert "+18003569377" in values  # the tel: target, not hard-coded beside the number
    body = (tmp_path / "out" / "sections" / "contact.md").read_text()
    assert "[at]" not in body and "FLOWERS" not in body and "18003569377" not in body


def test_headings_of_any_shape_are_named_with_a_regex(tmp_path: Path, cli):
    source = tmp_path / "paragraphs.txt"
    source.write_text(
        "Last updated: May 2, 2024\n\n§ 1 – scope of this text\n\nWe sell tea.\n\n"
        "§ 2 – what we keep\n\nOrders only.\n"
    )
    whole = cli("import", str(source), "--into", str(tmp_path / "a"))
    assert whole.code == 0 and "the notice is one section" in whole.stderr  # never refused
    assert "name its headings with --headings REGEX" in whole.stderr
    assert [s.id for s in load_notice(tmp_path / "a").sections] == ["notice"]
    result = cli("import", str(source), "--into", str(tmp_path / "b"), "--headings", "§ \\d+ – .*")
    assert result.code == 0, result.stderr
    assert "fidelity: the rendering shows the same" in result.stdout
    headings = [s.heading for s in load_notice(tmp_path / "b").sections]
    assert headings == ["§ 1 – scope of this text", "§ 2 – what we keep"]
    bad = cli("import", str(source), "--into", str(tmp_path / "c"), "--headings", "(")
    assert bad.code == 1 and "--headings '(': not a regular expression" in bad.stderr


def test_every_difference_is_reported_with_its_input_line(tmp_path: Path, cli):
    source = tmp_path / "notice.txt"
    source.write_text(
        "1. Scope\n\nThis notice was last updated on May 2, 2024 and covers tea.\n\n2. Data\n\n"
        "Orders.\n"
    )
    result = cli(
        "import", str(source), "--into", str(tmp_path / "o"), "--last-updated", "2024-06-01"
    )
    assert result.code == 0, result.stderr
    assert "fidelity: the rendering differs from the input read by" in result.stdout
    assert (
        f"{source}:3: warning: the rendering differs: the input shows “May 2,”, "
        "it shows “June 1,”" in result.stderr
    )


def test_a_front_matter_alias_bomb_is_left_out_unread(tmp_path: Path):
    """SECURITY.md `import-front-matter-alias-bomb`."""
    bomb = "".join(
        f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9) if n else 'lol'}]\n" for n in range(9)
    )
    source = tmp_path / "notice.md"
    source.write_text(f"---\n{bomb}---\n# Acme\n\n## Scope\n\nTea.\n\nLast updated: May 2, 2024\n")
    report = import_notice(source, tmp_path / "out")
    assert report.identical
    assert any("front matter left out, unread" in w.message for w in report.warnings)
    assert "lol" not in render(load_notice(tmp_path / "out")).text
