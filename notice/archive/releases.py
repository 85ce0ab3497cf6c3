"""Which versions are released: the dates the archive's ledger records, from any NoticeSource."""

from __future__ import annotations

import json
from datetime import date

from notice.errors import Problem, SourceError
from notice.layout import LEDGER
from notice.source.worktree import NoticeSource


def released_versions(source: NoticeSource) -> set[date]:
    """The version dates in archive/ledger.json; no ledger means nothing is released yet."""
    if not source.exists(LEDGER):
        return set()
    text = source.read_text(LEDGER)
    try:
        ledger = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError([Problem(LEDGER, exc.lineno, f"not valid JSON: {exc.msg}")]) from None
    entries = ledger.get("entries") if isinstance(ledger, dict) else None
    if not isinstance(entries, list):
        raise SourceError([Problem(LEDGER, 1, 'must be an object with an "entries" list')])
    released = set()
    for index, entry in enumerate(entries):
        version = entry.get("version") if isinstance(entry, dict) else None
        try:
            released.add(date.fromisoformat(version))
        except (TypeError, ValueError):
            raise SourceError(
                [Problem(LEDGER, None, f"entry {index}: version {version!r} is not YYYY-MM-DD")]
            ) from None
    return released
