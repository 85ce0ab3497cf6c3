"""notice import reads HTML as an HTML5 parser builds it and leaves out what a reader never sees
(hidden parts, menus, cookie banners, template code); the fidelity report is measured against
that independent reader, word for word."""

from __future__ import annotations

from pathlib import Path

from notice.importer.html5_tree import parse_page, visible_words
from notice.importer.pipeline import import_notice
from notice.render.rendering import render
from notice.source.load import load_notice

PAGE = """<!doctype html>
<html lang="de"><head><title>Datenschutz – Beispiel GmbH</title>
<style>.x{color:red}</style></head>
<body>
<header><nav><a href="/">Start</a> <a href="/shop">Shop</a></nav></header>
<main>
<h1>Datenschutzerklärung</h1>
<p>Stand: 28. April 2021
<h2>Verantwortlicher</h2>
<p>Verantwortlicher ist die Beispiel GmbH, Hauptstraße 1, Berlin.
<p>Wir <b>speichern <i>wenig</b> Daten</i>.
<div hidden>Geheimer Text</div>
<p aria-hidden="true">Nur Deko</p>
<p style="color: red; display: none">Unsichtbar</p>
<h2>Rechte</h2>
<p>Sie haben Rechte.</p>
</main>
<aside>Newsletter abonnieren</aside>
<div id="cookie-banner" class="cookie-consent"><p>Wir nutzen Cookies.</p>
<button>Alle akzeptieren</button></div>
<footer><p>Impressum</p></footer>
</body></html>
"""


def test_the_page_as_a_browser_builds_it_without_what_no_reader_sees():
    page = parse_page(PAGE)
    words = visible_words(page)
    assert page.title == "Datenschutz – Beispiel GmbH"
    assert "wenig Daten." in " ".join(words)  # misnested tags mended as a browser mends them
    for unseen in ("Geheimer", "Deko", "Unsichtbar", "Newsletter", "Cookies.", "akzeptieren"):
        assert unseen not in words
    why = " ".join(message for _, message in page.removed)
    assert "hidden" in why and 'aria-hidden="true"' in why and "display:none" in why
    assert "cookie or consent banner" in why and "<aside>" in why
    assert "<header> outside the page's main content" in why  # its <nav> with it


def test_an_html_page_imports_without_its_chrome_and_the_check_is_measured(tmp_path: Path):
    source = tmp_path / "datenschutz.html"
    source.write_text(PAGE, encoding="utf-8")
    report = import_notice(source, tmp_path / "out")
    text = render(load_notice(tmp_path / "out")).text
    assert "Cookies" not in text and "akzeptieren" not in text and "Geheimer" not in text
    assert "Impressum" not in text  # a footer without the notice's title or date
    assert report.metadata.title == "Datenschutzerklärung"
    assert report.metadata.company == "Beispiel GmbH"
    assert str(report.dates.last_updated) == "2021-04-28"
    assert report.words is not None and report.words.reader == "an HTML5 parser"
    assert report.words.same, (report.words.missing, report.words.extra)
    lines = {w.line for w in report.warnings if "cookie or consent banner" in w.message}
    assert lines == {19}  # the line of the banner's start tag in the page


def test_template_code_is_left_out_with_its_line(tmp_path: Path):
    source = tmp_path / "privacy.html"
    source.write_text(
        '{% extends "withoutnav_template.html" %}\n'
        "{% block per_page_title %}Privacy{% endblock %}\n"
        "{% block content %}\n<h1>Privacy Notice</h1>\n<p>Last updated: May 1, 2024</p>\n"
        "<h2>Who</h2>\n<p>We are Acme Ltd.{# a note #}</p>\n{{#if footer}}x{{/if}}\n"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    report = import_notice(source, tmp_path / "out")
    text = render(load_notice(tmp_path / "out")).text
    assert "{%" not in text and "extends" not in text and "{#" not in text and "{{" not in text
    removed = {w.line for w in report.warnings if "template code" in w.message}
    assert removed == {1, 2, 3, 7, 8, 9}
    assert report.words.same


def test_a_difference_is_measured_never_claimed_equal(tmp_path: Path):
    source = tmp_path / "notice.md"
    source.write_text(
        "# Privacy Notice\n\nLast updated: May 1, 2024\n\n## Who\n\nWe are Acme Ltd.\n", "utf-8"
    )
    report = import_notice(source, tmp_path / "out")
    assert report.words.same and report.words.reader == "CommonMark + an HTML5 parser"
    section = next((tmp_path / "out" / "sections").glob("who*.md"))
    section.write_text(section.read_text().replace("We are", "We were"), "utf-8")
    # the same judge, on the edited project, sees the changed word
    from notice.importer.intake import read_input
    from notice.importer.reader_view import check_words

    title = tuple(word for item in report.dropped for word in item.words)  # notice.yml's title
    check = check_words(read_input(source), render(load_notice(tmp_path / "out")), title)
    assert check.missing == ("are",) and check.extra == ("were",)


def test_a_page_nested_beyond_any_notice_is_refused_in_one_line(tmp_path: Path, cli):
    source = tmp_path / "deep.html"
    source.write_text("<h1>T</h1><p>Last updated: May 1, 2024</p>" + "<div>" * 5000 + "x")
    result = cli("import", str(source), "--into", str(tmp_path / "out"))
    assert result.code == 1
    assert result.stderr.strip() == (
        f"error: {source}: elements nested more than 200 deep: no notice is written so; "
        "give its text, Markdown or saved HTML"
    )
