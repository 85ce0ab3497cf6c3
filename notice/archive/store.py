"""The archive store: released PDFs and their ledger (save, find_latest, find_by_date)."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from notice.archive.ledger import (
    Entry,
    ledger_text,
    parse_ledger,
    released_languages,
    source_entries,
)
from notice.archive.provenance import archived_after, provenance_record
from notice.errors import NoticeError
from notice.files import move_durably, write_atomic
from notice.layout import ARCHIVE_DIR, LEDGER
from notice.source.worktree import SourceReadError, read_inside

MAX_LEDGER_BYTES = 16 * 1024 * 1024
MAX_PDF_BYTES = 64 * 1024 * 1024


class ArchiveError(NoticeError):
    """The archive cannot answer or be written as asked."""


@dataclass(frozen=True)
class InEffect:
    """The version that applied on a day, and until when (None: it still applies)."""

    day: date
    entry: Entry
    pdf: Path
    until: date | None
    pdf_sha256: str = ""  # the ledger's hash of pdf (the entry's, or a translation's)

    def record(self, root: Path) -> dict[str, object]:
        """What `notice as-of --json` prints (the PDF's path relative to the notice root)."""
        return {
            "date": self.day.isoformat(),
            **self.entry.record(),
            "pdf": self.pdf.relative_to(Path(root).resolve()).as_posix(),
            "pdf_sha256": self.pdf_sha256,
            "until": self.until.isoformat() if self.until else None,
            **provenance_record(self.entry),
            "archive_note": archived_after(self.entry, self.day),
        }


class Archive:
    """archive/ under a notice root: the ledger is the record, the PDFs are what it pins down."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.folder = self.root / ARCHIVE_DIR
        self.ledger_path = self.root / LEDGER

    def entries(self) -> list[Entry]:
        """The ledger's entries, oldest first; none when there is no ledger yet."""
        try:
            text = self.read(self.ledger_path, MAX_LEDGER_BYTES).decode("utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            raise ArchiveError(f"{LEDGER}: cannot be read: {exc}") from None
        return parse_ledger(text)

    def read(self, path: Path, limit: int = MAX_PDF_BYTES) -> bytes:
        """A file of the archive, never through a link and size-limited (FileNotFoundError)."""
        try:
            return read_inside(self.root, self.relative(path), limit)
        except SourceReadError as exc:
            raise ArchiveError(str(exc)) from None

    def pdf_path(self, entry: Entry) -> Path:
        return self.folder / entry.pdf

    def relative(self, path: Path) -> str:
        """A path inside the notice root as shown to people: 'archive/x.pdf'."""
        return path.relative_to(self.root).as_posix()

    def find_latest(self) -> Entry | None:
        """The last release of a version."""
        entries = source_entries(self.entries())
        return entries[-1] if entries else None

    def find_version(self, version: date) -> Entry | None:
        """The release of the version dated version, if any."""
        return next((e for e in source_entries(self.entries()) if e.version == version), None)

    def find_by_date(self, day: date) -> Entry | None:
        """The release in effect on day: the newest version whose effective date has come."""
        return in_effect(self.entries(), day)

    def orphans(self, entries: list[Entry]) -> list[Path]:
        """PDFs in archive/ that no entry records (left by an interrupted release)."""
        recorded = {entry.pdf for entry in entries}
        recorded |= {t.pdf for entry in entries for t in entry.translations}
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.glob("*.pdf") if p.name not in recorded)

    def save(
        self,
        entries: list[Entry],
        entry: Entry,
        pdf: bytes,
        staging: Path,
        translations: dict[str, bytes] | None = None,
    ) -> None:
        """Append entry with its PDF: stage both, place the PDF, then the ledger (commit point).

        The caller holds the release lock. A kill before the ledger is replaced leaves the ledger
        as it was; at worst a PDF no entry records, which `orphans` finds.
        """
        reset(staging)
        staged_ledger = staging / "ledger.json"
        files = {entry.pdf: pdf, **(translations or {})}  # the translations' PDFs, by name
        for name, data in files.items():
            write_atomic(staging / name, data)
        write_atomic(staged_ledger, ledger_text([*entries, entry]).encode("utf-8"))
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            for name in files:
                move_durably(staging / name, self.folder / name)
            move_durably(staged_ledger, self.ledger_path)
        except OSError as exc:
            raise ArchiveError(f"{exc.filename}: cannot be written: {exc.strerror}") from None
        shutil.rmtree(staging, ignore_errors=True)


def in_effect(entries: list[Entry], day: date) -> Entry | None:
    """Among releases whose effective date is on or before day, the newest version."""
    started = [entry for entry in source_entries(entries) if entry.effective <= day]
    return max(started, key=lambda entry: entry.version, default=None)


def as_of(root: Path, day: date, lang: str | None = None) -> InEffect:
    """The archived version that applied on day, its PDF (lang's when given) checked against
    the ledger."""
    archive = Archive(root)
    entries = archive.entries()
    if not entries:
        raise ArchiveError(f"{LEDGER}: nothing is released yet, so no archived version for {day}")
    entry = in_effect(entries, day)
    if entry is None:
        first = min(entries, key=lambda e: e.effective)
        raise ArchiveError(
            f"{day} is before the first version in the archive: "
            f"{first.version} took effect on {first.effective}"
        )
    pdf, sha256 = _pdf_of(entries, entry, lang)
    path = archive.folder / pdf
    _check_file(archive, path, sha256)
    later = [e.effective for e in source_entries(entries) if e.version > entry.version]
    return InEffect(day, entry, path, min(later, default=None), sha256)


def _pdf_of(entries: list[Entry], entry: Entry, lang: str | None) -> tuple[str, str]:
    """The PDF name and sha256 of the entry in lang (None: the source language), archived with
    it or released on its own later."""
    if lang is None:
        return entry.pdf, entry.pdf_sha256
    languages = released_languages(entries, entry.version)
    found = languages.get(lang)
    if found is None:
        archived = ", ".join(sorted(languages)) or "none"
        raise ArchiveError(
            f"version {entry.version} has no archived {lang!r} translation (archived: {archived})"
        )
    return found.pdf, found.pdf_sha256


def _check_file(archive: Archive, path: Path, sha256: str) -> None:
    try:
        digest = hashlib.sha256(archive.read(path)).hexdigest()
    except OSError:
        raise ArchiveError(f"{archive.relative(path)}: missing (run `notice verify`)") from None
    if digest != sha256:
        raise ArchiveError(
            f"{archive.relative(path)}: sha256 {digest} is not the ledger's {sha256} "
            "(run `notice verify`)"
        )


def reset(folder: Path) -> None:
    """An empty folder (the staging place of a release)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
