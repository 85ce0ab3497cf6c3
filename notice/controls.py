"""Control characters: the one rule for what no notice string may hold and no printed line shows."""

from __future__ import annotations

import re

# C0 but tab and newline, DEL, C1, line/paragraph separators, bidi embeddings/overrides/isolates:
# each can hide text, reorder it on screen, or split a line where a reader does not expect it.
CONTROL_CHARACTER = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
# What a printed line may not hold raw: the above, and a newline too (a tab splits nothing).
UNPRINTABLE = re.compile(CONTROL_CHARACTER.pattern[:-1] + r"\n]")


def escaped(text: str) -> str:
    """text on one line: each unprintable character shown as its Python escape (\\n, \\x07)."""
    return UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def control_character(text: str) -> str | None:
    """The first control character of text as U+XXXX, or None."""
    found = CONTROL_CHARACTER.search(text)
    return f"U+{ord(found.group(0)):04X}" if found else None


def control_message(name: str, code: str) -> str:
    """The one message for a control character found in a named value."""
    where = f"{name}: " if name else ""
    return f"{where}contains a control character ({code}); remove it"
