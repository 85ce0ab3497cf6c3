"""What a reader sees of the input and of the rendering, judged by readers the importer does not
use for its own work: markdown-it (CommonMark, raw HTML on) and an HTML5 tree builder."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from markdown_it import MarkdownIt

from notice.model import RenderedNotice

from .document import Document
from .html5_tree import parse_page, visible_words

KRAMDOWN_ATTRIBUTES = re.compile(r"^[ \t]*\{:[^}\n]*\}[ \t]*$|[ \t]*\{:[^}\n]*\}[ \t]*$", re.M)
MAX_LISTED = 12
# A plain text's list markers and forum markup are how it draws a list and bold type, not words.
_TEXT_BULLET = re.compile(r"^[ \t]*- (?=\S)", re.M)  # the text reader's list items
_BBCODE = re.compile(r"\[(/?)(b|i|u)\]", re.I)


@dataclass(frozen=True)
class WordCheck:
    """The words a reader of the input sees that the rendering lacks, and those it adds."""

    reader: str  # who read the input
    words: int  # how many words the reader saw
    missing: tuple[str, ...]
    extra: tuple[str, ...]
    dropped: tuple[str, ...] = ()  # missing, and left out on purpose (title heading, contents)

    @property
    def same(self) -> bool:
        return not self.missing and not self.extra


def input_words(document: Document) -> tuple[str, list[str]]:
    """(reader, words) a reader of the input sees: a browser's view of HTML and of Markdown
    as CommonMark renders it; the words themselves for plain text."""
    text = document.source_text
    if document.format == "html":
        return "an HTML5 parser", visible_words(parse_page(text, document.path))
    if document.format == "markdown":
        html = (
            MarkdownIt("commonmark", {"html": True})
            .enable("table")
            .render(KRAMDOWN_ATTRIBUTES.sub("", text))
        )
        return "CommonMark + an HTML5 parser", visible_words(parse_page(html, document.path))
    text = _TEXT_BULLET.sub("", text)
    if re.search(r"^\[b\].*\[/b\]$", text, re.I | re.M):
        text = _BBCODE.sub("", text)
    return "a plain split into words", text.split()


def rendered_words(rendered: RenderedNotice) -> list[str]:
    """The words a reader of the rendered notice sees (its HTML, read by the HTML5 parser)."""
    return visible_words(parse_page(rendered.html))


def check_words(
    document: Document, rendered: RenderedNotice, left_out: tuple[str, ...] = ()
) -> WordCheck:
    """Compare the two views word for word, as counts (a date line moved to the end is the
    same words in another place; a word dropped or added is not). left_out: the words the
    import dropped on purpose; those found missing are reported as dropped, not as missing."""
    reader, seen = input_words(document)
    shown = Counter(rendered_words(rendered))
    wanted = Counter(seen)
    missing = wanted - shown
    dropped = missing & Counter(left_out)
    extra = tuple((shown - wanted).elements())
    return WordCheck(
        reader, len(seen), tuple((missing - dropped).elements()), extra, tuple(dropped.elements())
    )


def word_notes(check: WordCheck) -> list[tuple[int, str]]:
    """The warning the import gives when the views differ ([] when they agree)."""
    if check.same:
        return []
    parts = []
    if check.missing:
        parts.append(f"{len(check.missing)} missing ({_listed(check.missing)})")
    if check.extra:
        parts.append(f"{len(check.extra)} extra ({_listed(check.extra)})")
    return [
        (
            0,
            f"the rendering and {check.reader}'s view of the input differ: words "
            + "; ".join(parts),
        )
    ]


def _listed(words: tuple[str, ...]) -> str:
    shown = " ".join(words[:MAX_LISTED])
    return shown + (" …" if len(words) > MAX_LISTED else "")
