"""notice import keeps links: raw inline HTML links and emphasis in Markdown, in-page links to
any heading (however long its slug), and e-mail addresses Cloudflare hid from robots."""

from __future__ import annotations

from pathlib import Path

from notice.importer.obfuscation import decode
from notice.importer.pipeline import import_notice
from notice.render.rendering import render
from notice.source.load import load_notice

ADDRESS = "privacy@example.org"
KEY = 0x5A
PROTECTED = f"{KEY:02x}" + "".join(f"{ord(c) ^ KEY:02x}" for c in ADDRESS)  # Cloudflare's way
LONG = "What we do with the information we collect about you when you use our services"


def rendered_html(tmp_path: Path, name: str, text: str) -> tuple[str, list[str]]:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    report = import_notice(source, tmp_path / "out")
    assert report.words.same, (report.words.missing, report.words.extra)
    return render(load_notice(tmp_path / "out")).html, [w.message for w in report.warnings]


def test_inline_html_links_and_emphasis_in_markdown_are_kept(tmp_path):
    html, messages = rendered_html(
        tmp_path,
        "notice.md",
        "# Privacy Notice\n\nLast updated: May 1, 2024\n\n## Contact\n\n"
        '<strong>Post:</strong> write to <a href="https://example.org/contact">our office</a>, '
        "<em>or</em> <a href='mailto:dpo@example.org'>the DPO</a>.\n",
    )
    assert "<strong>Post:</strong>" in html and "<em>or</em>" in html
    assert '<a href="https://example.org/contact">our office</a>' in html
    assert '<a href="mailto:dpo@example.org">the DPO</a>' in html
    assert not [m for m in messages if "left out" in m]


def test_a_link_to_a_heading_with_a_long_slug_reaches_it(tmp_path):
    slug = LONG.lower().replace(" ", "-")
    assert len(slug) > 64  # longer than any section id may be
    html, messages = rendered_html(
        tmp_path,
        "notice.md",
        f"# Privacy Notice\n\nLast updated: May 1, 2024\n\nSee [what we do](#{slug}).\n\n"
        f"## {LONG}\n\nLittle.\n",
    )
    target = html.split('<a href="#', 1)[1].split('"', 1)[0]
    assert f'id="{target}"' in html and target != slug
    assert not [m for m in messages if "kept as text" in m]


def test_cloudflare_protected_addresses_are_decoded(tmp_path):
    assert decode(PROTECTED) == ADDRESS
    html, messages = rendered_html(
        tmp_path,
        "page.html",
        "<h1>Privacy Notice</h1><p>Last updated: May 1, 2024</p><h2>Contact</h2>"
        f'<p>Write to <a href="/cdn-cgi/l/email-protection#{PROTECTED}">'
        f'<span class="__cf_email__" data-cfemail="{PROTECTED}">[email&#160;protected]</span>'
        "</a>.</p>",
    )
    assert f'<a href="mailto:{ADDRESS}">{ADDRESS}</a>' in html
    assert "protected]" not in html
    assert f"protected e-mail address decoded: {ADDRESS}" in messages


def test_cloudflare_protected_addresses_in_saved_markdown_are_decoded(tmp_path):
    html, _ = rendered_html(
        tmp_path,
        "notice.md",
        "# Privacy Notice\n\nLast updated: May 1, 2024\n\n## Contact\n\n"
        f"Write to [[email protected]](https://example.org/cdn-cgi/l/email-protection#{PROTECTED}).\n",
    )
    assert f'<a href="mailto:{ADDRESS}">{ADDRESS}</a>' in html


def test_contact_points_are_readable_variables_and_a_link_used_once_stays(tmp_path):
    once = "https://help.example.org/hc/articles/289-can-i-export-my-data-or-delete-it"
    twice = "https://example.org/settings/privacy"
    rendered_html(
        tmp_path,
        "notice.md",
        "# Privacy Notice\n\nLast updated: May 1, 2024\n\n## Contact\n\n"
        f"Write to privacy@example.org or our DPO at dpo@example.org, call +44 20 7946 0958. "
        f"Export: {once}. Settings: {twice}.\n\n## Choices\n\nAgain: {twice} or "
        "privacy@example.org.\n",
    )
    notice = load_notice(tmp_path / "out")
    assert notice.variables["contact"] == {
        "email": "privacy@example.org",
        "dpo_email": "dpo@example.org",
        "phone": "+44 20 7946 0958",
    }
    assert list(notice.variables["urls"].values()) == [twice]
    assert all(len(name) <= 28 for name in notice.variables["urls"])
    sections = "".join(p.read_text() for p in (tmp_path / "out" / "sections").glob("*.md"))
    assert f"Export: {once}." in sections  # used once: in the text as written
