"""Numbers written in front of headings ("IV.", "B.", "2.1", "(a)"): what they can mean."""

from __future__ import annotations

import re
from dataclasses import dataclass

from notice.numbering import to_roman

_MARKER = re.compile(
    r"^(?P<open>\(?)(?P<num>\d{1,3}(?:\.\d{1,3})*|[IVXLCDM]{1,7}|[ivxlcdm]{1,7}|[A-Za-z])"
    r"(?P<close>[.)]?)\s+(?P<title>\S.*)$"
)
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
MAX_TITLE_LENGTH = 120
MAX_TITLE_WORDS = 16
# What a notice's title says, in the languages notices are written in.
NOTICE_TITLE_WORDS = re.compile(
    r"privacy|privacidad|privacidade|confidentialit|confiden[tț]ialitate|données personnelles"
    r"|datenschutz|prywatno|soukrom|osobních údajů|integritet|privaatsus|isikuandmete"
    r"|gegevensbescherming|protezione dei dati|protección de datos",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Marker:
    """One reading of a heading's number: 'C.' is the third letter, never roman 100 in context."""

    scheme: str  # a notice.yml numbering scheme: upper-roman, upper-alpha, decimal, decimal-nested
    number: str  # as written: "IV", "2.1"
    parts: tuple[int, ...]  # its value(s): (4,), (2, 1)
    opening: str  # "(" or ""
    closing: str  # ".", ")" or ""
    title: str

    @property
    def style(self) -> str:
        """What makes two headings look alike in plain text: scheme, depth and punctuation."""
        kind = f"nested-{len(self.parts)}" if len(self.parts) > 1 else self.scheme
        return f"{kind}:{self.opening}{self.closing}"

    @property
    def heading_format(self) -> str:
        """The notice.yml heading_format that prints this heading again."""
        return f"{self.opening}{{number}}{self.closing} {{title}}"


def roman_value(letters: str) -> int | None:
    """IV -> 4; None unless letters are a roman numeral written the usual way."""
    upper = letters.upper()
    if not upper or any(letter not in _ROMAN_VALUE for letter in upper):
        return None
    total = 0
    for index, letter in enumerate(upper):
        value = _ROMAN_VALUE[letter]
        following = _ROMAN_VALUE[upper[index + 1]] if index + 1 < len(upper) else 0
        total += -value if value < following else value
    return total if total > 0 and to_roman(total) == upper else None


def parse_markers(text: str) -> list[Marker]:
    """Every reading of the number at the start of text; empty when it has none."""
    match = _MARKER.match(text.strip())
    if not match:
        return []
    opening, num, closing, title = match.group("open", "num", "close", "title")
    if (opening == "(") != (closing == ")"):
        return []
    make = _marker_factory(num, opening, closing, title.strip())
    if num[0].isdigit():
        parts = tuple(int(p) for p in num.split("."))
        return [make("decimal-nested" if len(parts) > 1 else "decimal", parts)]
    if not closing:
        return []  # "A Title" is a title, not a numbered one
    readings = []
    case = "upper" if num.isupper() else "lower"
    value = roman_value(num)
    if value:
        readings.append(make(f"{case}-roman", (value,)))
    if len(num) == 1:
        readings.append(make(f"{case}-alpha", (ord(num.upper()) - ord("A") + 1,)))
    return readings


def _marker_factory(num: str, opening: str, closing: str, title: str):
    def make(scheme: str, parts: tuple[int, ...]) -> Marker:
        return Marker(scheme, num, parts, opening, closing, title)

    return make


def is_title_shaped(title: str) -> bool:
    """Short, starts like a title, does not end like a sentence or a list entry."""
    words = title.split()
    return (
        0 < len(title) <= MAX_TITLE_LENGTH
        and len(words) <= MAX_TITLE_WORDS
        and (title[0].isupper() or title[0].isdigit() or title[0] in "“\"'‘")
        and not title.rstrip().endswith((".", ",", ";", ":"))
    )


def is_caps_heading(line: str) -> bool:
    """An all-capitals line such as 'YOUR RIGHTS' (a heading without a number)."""
    text = line.strip()
    letters = [c for c in text if c.isalpha()]
    return (
        len(letters) >= 4
        and all(c.isupper() for c in letters if c.isupper() or c.islower())
        and any(len(re.sub(r"[^A-Za-z]", "", word)) >= 2 for word in text.split())
        and is_title_shaped(text)
    )


_MINOR_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "our",
        "the",
        "to",
        "we",
        "with",
        "you",
        "your",
        "its",
    ]
)
MAX_TITLE_CASE_WORDS = 8


def is_title_case(line: str) -> bool:
    """'Information We Collect': a short line whose every major word starts with a capital."""
    words = [w.strip("“”\"'‘’()&,") for w in line.split()]
    words = [w for w in words if any(c.isalpha() for c in w)]
    return (
        0 < len(words) <= MAX_TITLE_CASE_WORDS
        and is_title_shaped(line.strip())
        and not line.rstrip().endswith(("?", "!"))
        and not any(c.isdigit() or c == ":" for c in line)  # 'Last Revised: 03/01/2024' is text
        and all(w[0].isupper() or w.lower() in _MINOR_WORDS for w in words)
        and words[0][0].isupper()
    )
