"""What independent validators find in each archived PDF (`notice verify --report`)."""

from __future__ import annotations

from pathlib import Path

from notice.archive.ledger import Entry
from notice.archive.store import Archive
from notice.publish.validators import Verdict, verdicts


def archived_pdfs(archive: Archive, entries: list[Entry]) -> list[Path]:
    """Every PDF the ledger records that is present: each release's and its translations'."""
    names = [name for e in entries for name in (e.pdf, *(t.pdf for t in e.translations))]
    return [archive.folder / name for name in names if (archive.folder / name).is_file()]


def validator_report(root: Path) -> dict[str, list[Verdict]]:
    """Per archived PDF (as 'archive/x.pdf'), each validator's verdict. A report, not a
    verdict of verify: a PDF frozen before the toolkit made conforming files keeps its faults."""
    archive = Archive(root)
    found = verdicts(archived_pdfs(archive, archive.entries()))
    return {archive.relative(path): judged for path, judged in found.items()}


def report_record(report: dict[str, list[Verdict]]) -> list[dict[str, object]]:
    """The report as JSON: one record per PDF and tool."""
    return [
        {
            "pdf": pdf,
            "tool": v.tool,
            "profile": v.profile,
            "available": v.available,
            "ok": v.ok,
            "findings": list(v.findings),
        }
        for pdf, judged in report.items()
        for v in judged
    ]
