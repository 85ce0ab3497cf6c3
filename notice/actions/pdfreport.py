"""What independent validators find in each archived PDF (`notice verify --report`)."""

from __future__ import annotations

from pathlib import Path

from notice.actions.covered import covered_documents
from notice.archive.ledger import Entry
from notice.archive.store import Archive
from notice.publish.validators import Verdict, verdicts


def archived_pdfs(archive: Archive, entries: list[Entry]) -> list[Path]:
    """Every PDF the ledger records that is present: each release's and its translations'
    (each in its document's folder)."""
    paths = [archive.root / path for entry in entries for path in entry.pdf_paths()]
    return [path for path in paths if path.is_file()]


def validator_report(root: Path, document: str | None = None) -> dict[str, list[Verdict]]:
    """Per archived PDF (as 'archive/x.pdf'), each validator's verdict, for the documents verify
    covers. A report, not a verdict of verify: a PDF frozen before the toolkit made conforming
    files keeps its faults."""
    archive = Archive(root)
    covered = {d.id for d in covered_documents(root, document)}
    entries = [e for e in archive.entries() if e.document_id in covered]
    found = verdicts(archived_pdfs(archive, entries))
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
