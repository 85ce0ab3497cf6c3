"""Counted words for readers through Babel's plural rules: '1 word', '18 words'."""

from __future__ import annotations

from babel import Locale

_ENGLISH = Locale.parse("en")


def counted(count: int, one: str, other: str, locale: Locale = _ENGLISH) -> str:
    """'1 word' or '18 words': the noun chosen by the locale's plural rule for count."""
    noun = one if locale.plural_form(count) == "one" else other
    return f"{count} {noun}"


def words_counted(count: int) -> str:
    return counted(count, "word", "words")
