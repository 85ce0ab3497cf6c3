"""Template code left in a published page (Jinja, Liquid, Nunjucks, Handlebars): never text."""

from __future__ import annotations

import re

# Tags that print nothing where they stand: {% tag %} / {%- tag -%} (Jinja, Liquid, Nunjucks),
# {# comment #}, and Handlebars' {{# block }}, {{/ block }}, {{! comment }}, {{> partial }}.
# Bounded and on one line: prose with a stray brace is left alone.
_TAG = re.compile(r"\{%-?[^%\n]{0,300}?-?%\}|\{#[^#\n]{0,300}?#\}|\{\{~?[#/!>^][^{}\n]{0,300}?\}\}")
# {{ value }}: a value the template never filled in; it stays as written (escaped), with a word.
_VALUE = re.compile(r"\{\{\{?[^{}\n]{1,300}?\}\}\}?")
MAX_SHOWN = 60


def remove_template_syntax(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The text without template tags (lines kept in place), and (line, warning) for each tag
    removed and each {{ value }} left as written."""
    notes: list[tuple[int, str]] = []

    def removed(match: re.Match[str]) -> str:
        notes.append(
            (
                _line(text, match.start()),
                f"template code {match.group(0)[:MAX_SHOWN]!r} left out (a page's template, not "
                "the notice's text); import the page as published to keep what it printed",
            )
        )
        return ""

    cleaned = _TAG.sub(removed, text)
    for match in _VALUE.finditer(cleaned):
        notes.append(
            (
                _line(cleaned, match.start()),
                f"{match.group(0)[:MAX_SHOWN]!r} looks like a template value never filled in; "
                "kept as written: check it against the published page",
            )
        )
    return cleaned, sorted(notes)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
