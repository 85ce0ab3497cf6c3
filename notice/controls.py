"""Control characters: the one rule for what no notice string may hold and no printed line shows."""

from __future__ import annotations

import re
import unicodedata

from notice.errors import Problem, Severity

# C0 but tab and newline, DEL, C1, line/paragraph separators, bidi embeddings/overrides/isolates:
# each can hide text, reorder it on screen, or split a line where a reader does not expect it.
CONTROL_CHARACTER = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
# In a text a reader sees as typed, the invisible characters that are legitimate: zero-width
# (non-)joiners are needed in Persian and Indic scripts, marks and soft hyphens in others.
# Warned about, never refused.
INVISIBLE = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u2060-\u2064\ufeff]")
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


def hidden_characters(path: str, text: str) -> list[Problem]:
    """Each distinct hidden character of text, at its first line and column: the controls above
    are errors (a right-to-left override shows 'ton' as 'not'), invisible ones warnings.

    text is a file's text after decoding (line ends are newlines), or a body that keeps its
    file's line numbers."""
    problems, seen = [], set()
    for number, line in enumerate(text.split("\n"), start=1):
        for pattern, severity in (
            (CONTROL_CHARACTER, Severity.ERROR),
            (INVISIBLE, Severity.WARNING),
        ):
            for found in pattern.finditer(line):
                char = found.group(0)
                if char in seen:
                    continue
                seen.add(char)
                message = _hidden_message(char, severity)
                problems.append(Problem(path, number, message, severity, found.start() + 1))
    return problems


def _hidden_message(char: str, severity: Severity) -> str:
    name = unicodedata.name(char, "") or "CONTROL CHARACTER"
    code = f"U+{ord(char):04X} {name}"
    if severity is Severity.ERROR:
        return f"{code} changes what a reader sees without showing itself; remove it"
    return (
        f"{code} is invisible: keep it only where the script needs it (Persian and Indic "
        "joiners), else remove it"
    )
