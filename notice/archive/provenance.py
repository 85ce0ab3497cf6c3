"""What a ledger entry says of itself: when it was archived, and whether after the fact."""

from __future__ import annotations

from datetime import date

from notice.archive.ledger import Entry


def archived_on(entry: Entry) -> date:
    """The day (UTC) the release was made."""
    return date.fromisoformat(entry.released[:10])


def reconstructed(entry: Entry) -> bool:
    """Archived after the version's own date, or rebuilt from an imported past."""
    return bool(entry.reconstructed_from) or archived_on(entry) > entry.version


def provenance(entry: Entry) -> str:
    """One plain sentence for people: when the version was archived, and what that means."""
    day = archived_on(entry).isoformat()
    if entry.reconstructed_from:
        return (
            f"Reconstructed: archived on {day} by `notice import` from "
            f"{entry.reconstructed_from}, not released at the time."
        )
    if reconstructed(entry):
        return (
            f"Archived on {day}, after the version's date ({entry.version}): the archive "
            "proves its text, not that this file existed before then."
        )
    return f"Archived on {day}, the version's own date."


def provenance_record(entry: Entry) -> dict[str, object]:
    """The same for machines: archived (a date), reconstructed, reconstructed_from."""
    return {
        "archived": archived_on(entry).isoformat(),
        "reconstructed": reconstructed(entry),
        "reconstructed_from": entry.reconstructed_from or None,
    }


def archived_after(entry: Entry, day: date) -> str | None:
    """The sentence as-of adds when the archive was made after the day asked about."""
    if archived_on(entry) <= day:
        return None
    return (
        f"This version was archived on {archived_on(entry)}, after {day}: the archive was "
        f"made after the fact, so it proves the text, not that this PDF existed on {day}."
    )
