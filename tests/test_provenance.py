"""The record says what it is: when each version was archived, and whether after the fact."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from notice.archive.ledger import parse_ledger
from notice.archive.provenance import archived_after, provenance, provenance_record
from tests.conftest import PROJECT, run_notice

ENTRY = parse_ledger((PROJECT / "archive/ledger.json").read_text(encoding="utf-8"))[0]


def test_as_of_on_this_repository_says_the_archive_was_made_after_the_day_asked():
    text = run_notice("as-of", "2024-03-01", "--root", str(PROJECT))
    assert text.code == 0, text.stderr
    assert text.stdout.splitlines()[-1] == (
        "This version was archived on 2026-11-25, after 2024-03-01: the archive was made after "
        "the fact, so it proves the text, not that this PDF existed on 2024-03-01."
    )
    record = json.loads(run_notice("as-of", "2024-03-01", "--json", "--root", str(PROJECT)).stdout)
    assert (record["archived"], record["reconstructed"]) == ("2026-11-25", True)
    assert record["archive_note"].startswith("This version was archived on 2026-11-25")
    later = run_notice("as-of", "2026-12-01", "--root", str(PROJECT))
    assert "after the fact" not in later.stdout  # archived before that day: nothing to add


def test_an_imported_release_says_where_it_was_reconstructed_from():
    imported = replace(ENTRY, reconstructed_from="notice-2022.md")
    assert provenance(imported) == (
        "Reconstructed: archived on 2026-11-25 by `notice import` from notice-2022.md, "
        "not released at the time."
    )
    assert provenance_record(imported)["reconstructed_from"] == "notice-2022.md"
    on_time = replace(ENTRY, released="2022-11-11T09:00:00Z")
    assert provenance_record(on_time)["reconstructed"] is False
    assert archived_after(on_time, date(2024, 3, 1)) is None
