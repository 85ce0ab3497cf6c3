"""Heading numbers generated from a section's position: I., A., 1., a., i., 1.1, or none."""

from __future__ import annotations

SCHEMES = (
    "upper-roman",
    "lower-roman",
    "upper-alpha",
    "lower-alpha",
    "decimal",
    "decimal-nested",  # the parent's number, a dot, then this one: 2.1, 2.1.3
    "none",  # headings of this level carry no number
)
DEFAULT_HEADING_FORMAT = "{number}. {title}"

_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def to_roman(value: int) -> str:
    """1 -> I, 4 -> IV, 1990 -> MCMXC."""
    digits = []
    for amount, letters in _ROMAN:
        count, value = divmod(value, amount)
        digits.append(letters * count)
    return "".join(digits)


def to_alpha(value: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA (like spreadsheet columns)."""
    letters = ""
    while value > 0:
        value, remainder = divmod(value - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def format_number(value: int, scheme: str, parent_number: str = "") -> str:
    """The number of the value-th section under one parent, in the given scheme."""
    if scheme == "none":
        return ""
    if scheme == "decimal-nested":
        return f"{parent_number}.{value}" if parent_number else str(value)
    if scheme == "upper-roman":
        return to_roman(value)
    if scheme == "lower-roman":
        return to_roman(value).lower()
    if scheme == "upper-alpha":
        return to_alpha(value)
    if scheme == "lower-alpha":
        return to_alpha(value).lower()
    return str(value)


def heading_format_problem(pattern: str) -> str | None:
    """Why a heading format such as '{number}. {title}' cannot be used, or None when it can."""
    if not pattern.endswith("{title}"):
        return "must end with {title}"
    prefix = pattern.removesuffix("{title}")
    if prefix.count("{number}") != 1:
        return "must contain {number} once, before {title}"
    if "{" in prefix.replace("{number}", "") or "}" in prefix.replace("{number}", ""):
        return "may contain only the placeholders {number} and {title}"
    return None


def format_heading(pattern: str, number: str, title: str) -> str:
    """'I. Title' from '{number}. {title}'; the bare title when the section has no number."""
    if not number:
        return title
    return pattern.removesuffix("{title}").replace("{number}", number) + title
