"""Property-based tests (hypothesis): redlines apply, rendering fails only in the toolkit's own
terms, and no raw HTML from a section ever reaches the text or the HTML."""

from __future__ import annotations

import dataclasses
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from notice.errors import NoticeError
from notice.render.rendering import render
from notice.source.load import load_notice
from notice.versions.redline import apply_ops, redline, word_ops
from tests.conftest import PROJECT

BASE_NOTICE = load_notice(PROJECT)
SECTION_ID = "fcra-rights"
MARKDOWN_ALPHABET = st.sampled_from(
    [
        *"abc XYZ 019\n\t-*_#>`[]()!<>/\\&;:='\"{}%|~.,",
        *["<script>", "</b>", "<img src=x onerror=y>", "{{", "}}", "{%", "%}", "javascript:"],
        *["é", "–"],
    ]
)
ARBITRARY_MARKDOWN = st.lists(MARKDOWN_ALPHABET, max_size=60).map("".join)
WORDS = st.lists(
    st.sampled_from(["one", "two", "three", "deux", "ünï", " ", "  ", "\n", "\n\n", ".", "-"]),
    max_size=40,
).map("".join)
MARKDOWN_TAGS = {
    "p", "em", "strong", "a", "code", "pre", "ul", "ol", "li", "blockquote", "hr", "br", "img",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "s",
    "section", "span", "time",
}  # fmt: skip


def with_body(body: str):
    """The real notice with one section's body replaced (in memory, as a pull request would)."""
    sections = tuple(
        dataclasses.replace(section, body=body) if section.id == SECTION_ID else section
        for section in BASE_NOTICE.sections
    )
    return dataclasses.replace(BASE_NOTICE, sections=sections)


@settings(max_examples=150, deadline=None)
@given(old=WORDS, new=WORDS)
def test_word_redline_applied_to_old_gives_new(old: str, new: str):
    assert apply_ops(old, word_ops(old, new)) == new


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=WORDS, new=WORDS)
def test_section_redline_applied_to_old_section_gives_new(old: str, new: str):
    before, after = render(with_body(old + " end.")), render(with_body(new + " end."))
    change = next(s for s in redline(before, after).sections if s.id == SECTION_ID)
    old_text = before.section(SECTION_ID).text
    new_text = after.section(SECTION_ID).text
    if change.ops:
        assert apply_ops(old_text, change.ops) == new_text
    else:
        assert old_text.split() == new_text.split()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=ARBITRARY_MARKDOWN)
def test_rendering_arbitrary_text_raises_only_toolkit_errors(body: str):
    try:
        render(with_body(body))
    except NoticeError as error:
        assert str(error).strip(), "a toolkit error always says what is wrong"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=ARBITRARY_MARKDOWN)
def test_no_raw_html_from_the_input_reaches_text_or_html(body: str):
    try:
        rendered = render(with_body(body))
    except NoticeError:
        return  # refused, with a message: nothing was published
    section = rendered.section(SECTION_ID)
    raw_html = [
        child.content
        for token in MarkdownIt("commonmark", {"html": True}).parse(section.markdown)
        for child in [token, *(token.children or [])]
        if child.type in ("html_inline", "html_block")
    ]
    assert not raw_html, f"rendered although it holds raw HTML: {raw_html}"
    tags = {tag.lower() for tag in re.findall(r"<\s*/?\s*([A-Za-z][A-Za-z0-9]*)", rendered.html)}
    assert tags <= MARKDOWN_TAGS, tags - MARKDOWN_TAGS
