"""The one front-matter splitter: a '---' fenced YAML block opening a file, lines kept in place."""

from __future__ import annotations

from dataclasses import dataclass

FENCE = "---"
CLOSERS = ("---", "...")  # YAML's end-of-document marker closes it too


@dataclass(frozen=True)
class Fenced:
    """What a file's opening fence holds: its YAML (None when no block opens the file, or it is
    never closed) and the body, the fenced lines blanked so that line numbers stay the file's."""

    opened: bool
    yaml: str | None
    body: str
    end_line: int = 0  # the closing fence's line (1-based), 0 when there is none


def split_fenced(text: str) -> Fenced:
    """The front matter block of text, if a line '---' opens it and a '---' (or '...') closes it."""
    lines = text.split("\n")
    if lines[0].strip() != FENCE:
        return Fenced(False, None, text)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in CLOSERS), None)
    if end is None:
        return Fenced(True, None, text)
    body = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    return Fenced(True, "\n".join(lines[1:end]), body, end + 1)
