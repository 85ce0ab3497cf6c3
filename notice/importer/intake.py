"""Read the input file: decode it, tell text from Markdown from HTML, hand it to its reader."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from notice.errors import NoticeError
from notice.source.frontmatter import split_fenced
from notice.source.worktree import SourceReadError, decode
from notice.source.yamlio import YamlProblem, load_yaml

from .document import Document
from .html_reader import read_html
from .invisible import remove_invisible
from .markdown_reader import read_markdown
from .obfuscation import decode_markdown
from .template_syntax import remove_template_syntax
from .text_reader import read_text

_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
_HTML_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body)", re.IGNORECASE)


def read_input(
    path: Path, input_format: str | None = None, headings: re.Pattern[str] | None = None
) -> Document:
    """The input notice as a Document; NoticeError (one line) when it cannot be read."""
    label = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NoticeError(f"{label}: file not found") from None
    except IsADirectoryError:
        raise NoticeError(f"{label}: is a folder; give the notice's file") from None
    except OSError as exc:
        raise NoticeError(f"{label}: cannot be read: {exc.strerror}") from None
    if b"\0" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NoticeError(f"{label}: not a text file (binary content); give text, Markdown or HTML")
    try:
        text = decode(data, label)
    except SourceReadError as exc:
        raise NoticeError(str(exc)) from None
    if not text.strip():
        raise NoticeError(f"{label}: the file is empty")
    kind = input_format or detect_format(path, text)
    text, hidden = remove_invisible(text.removeprefix("\ufeff"))
    front_matter, text, problem = split_front_matter(text, label)
    # a page's or site's source (HTML, Markdown) may hold its template's tags; a text file
    # shows what a reader saw, tags included
    text, template_notes = remove_template_syntax(text) if kind != "text" else (text, [])
    if kind == "markdown":
        text, decoded = decode_markdown(text)
        template_notes += decoded
    if kind == "text":
        document = read_text(text, label, headings)
    else:
        document = read_markdown(text, label) if kind == "markdown" else read_html(text, label)
    document.front_matter = front_matter
    document.source_text = text
    document.notes += [(1, problem)] if problem else []
    document.notes += hidden + template_notes
    return document


def split_front_matter(text: str, label: str) -> tuple[dict[str, Any], str, str]:
    """YAML front matter (Jekyll, Hugo) is metadata, never text: blanked, lines kept in place.

    Read with the toolkit's YAML loader (no anchors, so no alias bombs); unreadable, it is still
    no text, and the problem is returned to report."""
    fenced = split_fenced(text)  # the source's own splitter: one rule for what front matter is
    if fenced.yaml is None:
        return {}, text, ""
    blanked = fenced.body
    try:
        data = load_yaml(fenced.yaml, label, 1)
    except YamlProblem as exc:
        return {}, blanked, f"front matter left out, unread: {exc.problem.message}"
    if not isinstance(data, dict):
        return {}, text, ""
    return {str(k): v for k, v in data.items()}, blanked, ""


def _markdown_saved_as_text(text: str) -> bool:
    """A .txt that opens with a '# Title' and has more '#' headings is Markdown."""
    opening = text.lstrip().split("\n", 1)[0]
    headings = re.findall(r"^#{1,6} \S", text, re.MULTILINE)
    return bool(re.match(r"#{1,6} \S", opening)) and len(headings) >= 2


def detect_format(path: Path, text: str) -> str:
    """By the file's suffix, else by its first characters; plain text otherwise."""
    by_suffix = _SUFFIXES.get(path.suffix.lower())
    if by_suffix == "text" and _markdown_saved_as_text(text):
        return "markdown"  # its '#' headings are structure, not words
    if by_suffix:
        return by_suffix
    if _HTML_START.match(text):
        return "html"
    if len(re.findall(r"^#{1,6} \S", text, re.MULTILINE)) >= 2:
        return "markdown"
    return "text"
