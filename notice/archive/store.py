"""The archive store: released PDFs and their ledger (save, find_latest, find_by_date)."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from notice.archive.ledger import (
    Entry,
    entries_of,
    ledger_text,
    parse_ledger,
    released_languages,
    source_entries,
)
from notice.archive.provenance import archived_after, provenance_record
from notice.errors import NoticeError
from notice.files import move_durably, write_atomic
from notice.layout import ARCHIVE_DIR, LEDGER
from notice.source.documents import place_of
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
        """What `notice as-of --json` prints (the PDF's path relative to the project root)."""
        return {
            "date": self.day.isoformat(),
            **self.entry.record(),
            "pdf": self.shown(root),
            "pdf_sha256": self.pdf_sha256,
            "until": self.until.isoformat() if self.until else None,
            **provenance_record(self.entry),
            "archive_note": archived_after(self.entry, self.day),
        }

    def shown(self, root: Path) -> str:
        """The PDF's path as people see it: relative to the project ('archive/cookies/x.pdf')."""
        return self.pdf.relative_to(place_of(root).project).as_posix()


class Archive:
    """The project's archive/ as one document sees it: the ledger (one for the project, one hash
    chain) is the record; the document's PDFs, in archive/ for the root document and in
    archive/<id>/ for the others, are what it pins down. root: the project or a document's
    folder (place_of)."""

    def __init__(self, root: Path):
        self.document = place_of(root)
        self.root = self.document.project  # every path shown is relative to the project
        self.base = self.root / ARCHIVE_DIR  # the ledger, timestamps/ and tsa/: the project's
        self.folder = self.root / self.document.archive_dir  # this document's PDFs
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

    def document_entries(self) -> list[Entry]:
        """The entries of this document, in ledger order (entries(): every document's)."""
        return entries_of(self.entries(), self.document.id)

    def read(self, path: Path, limit: int = MAX_PDF_BYTES) -> bytes:
        """A file of the archive, never through a link and size-limited (FileNotFoundError)."""
        try:
            return read_inside(self.root, self.relative(path), limit)
        except SourceReadError as exc:
            raise ArchiveError(str(exc)) from None

    def pdf_path(self, entry: Entry) -> Path:
        """Where an entry's PDF is (its own document's folder, whichever document is asked)."""
        return self.folder_of(entry) / entry.pdf

    def folder_of(self, entry: Entry) -> Path:
        """The folder of the PDFs of entry's document: archive/ or archive/<id>/."""
        return self.root / entry.archive_dir

    def relative(self, path: Path) -> str:
        """A path inside the project as shown to people: 'archive/x.pdf'."""
        return path.relative_to(self.root).as_posix()

    def find_latest(self) -> Entry | None:
        """The last release of a version of this document."""
        entries = source_entries(self.document_entries())
        return entries[-1] if entries else None

    def find_version(self, version: date) -> Entry | None:
        """The release of this document's version dated version, if any."""
        entries = source_entries(self.document_entries())
        return next((e for e in entries if e.version == version), None)

    def find_by_date(self, day: date) -> Entry | None:
        """This document's release in effect on day: the newest version whose effective date
        has come."""
        return in_effect(self.document_entries(), day)

    def orphans(self, entries: list[Entry]) -> list[Path]:
        """PDFs in this document's folder that none of its entries records (left by an
        interrupted release). entries: the whole ledger or the document's."""
        entries = entries_of(entries, self.document.id)
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
        """Append entry with its PDF (and its translations' PDFs, by name): see save_all."""
        self.save_all(entries, [(entry, {entry.pdf: pdf, **(translations or {})})], staging)

    def save_all(
        self, entries: list[Entry], new: list[tuple[Entry, dict[str, bytes]]], staging: Path
    ) -> None:
        """Append the new entries (each with its PDFs by name, placed in its document's folder)
        to the whole ledger entries: stage everything, place the PDFs, then the ledger (the one
        commit point: all of them are released, or none).

        The caller holds the release lock. A kill before the ledger is replaced leaves the ledger
        as it was; at worst PDFs no entry records, which `orphans` finds.
        """
        reset(staging)
        staged_ledger = staging / "ledger.json"
        placed: list[tuple[Path, Path]] = []  # (staged, final)
        for index, (entry, files) in enumerate(new):
            for name, data in files.items():
                staged = staging / str(index) / name  # two documents may use one name
                staged.parent.mkdir(exist_ok=True)
                write_atomic(staged, data)
                placed.append((staged, self.folder_of(entry) / name))
        added = [entry for entry, _ in new]
        write_atomic(staged_ledger, ledger_text([*entries, *added]).encode("utf-8"))
        try:
            for staged, final in placed:
                final.parent.mkdir(parents=True, exist_ok=True)
                move_durably(staged, final)
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
    entries = archive.document_entries()
    if not entries:
        raise ArchiveError(
            f"{LEDGER}: nothing is released yet{_of(archive)}, so no archived version for {day}"
        )
    entry = in_effect(entries, day)
    if entry is None:
        first = min(entries, key=lambda e: e.effective)
        raise ArchiveError(
            f"{day} is before the first version in the archive: "
            f"{first.version} took effect on {first.effective}"
        )
    pdf, sha256 = _pdf_of(entries, entry, lang)
    path = archive.folder_of(entry) / pdf
    _check_file(archive, path, sha256)
    later = [e.effective for e in source_entries(entries) if e.version > entry.version]
    return InEffect(day, entry, path, min(later, default=None), sha256)


def _of(archive: Archive) -> str:
    document = archive.document
    return "" if document.is_root else f" of document {document.id!r}"


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
