"""Characters a reader cannot see (zero-width spaces, joiners, bidi controls): never text."""

from __future__ import annotations

import re

# Zero-width space, non-joiner and joiner, word joiner, a BOM inside the text, bidi embeddings,
# overrides and isolates, the soft hyphen: none is shown, each would change the words compared.
# C0 and C1 controls (other than tab and line ends) too: a page saved in one encoding and read in
# another leaves them (Windows-1252 quotes read as Latin-1 give U+0093, U+009D), and check refuses
# them in a project.
INVISIBLE = re.compile(
    "[\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
_NAMES = {
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\ufeff": "zero-width no-break space",
    "\u00ad": "soft hyphen",
}


def _kind(char: str) -> str:
    return "bidi control" if "\u202a" <= char <= "\u2069" else f"control U+{ord(char):04X}"


def remove_invisible(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The text without invisible characters, and one warning per line that held some."""
    notes: dict[int, set[str]] = {}
    for match in INVISIBLE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        notes.setdefault(line, set()).add(_NAMES.get(match.group(), _kind(match.group())))
    warnings = [
        (line, f"invisible characters left out ({', '.join(sorted(kinds))}): a reader sees none")
        for line, kinds in sorted(notes.items())
    ]
    return INVISIBLE.sub("", text), warnings
