"""The archive's ledger: released versions as hash-chained entries in archive/ledger.json.

Each entry's hash is the sha256 of its canonical form: its JSON object with keys sorted, no
whitespace, UTF-8, non-ASCII characters as they are (every value is a string, so for entries this
is RFC 8785 JSON canonicalization). An entry's `previous` is the hash of the entry before it
(64 zeros for the first), so changing, removing or reordering any entry breaks every later link.

Format notice-ledger/2 adds `text_recipe` to new entries: how `text_sha256` was taken
(notice.render.canonical). An entry without it was released under "rendered/1" and keeps its bytes
and its hash: the archive is append-only, nothing rewrites an entry.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path

from notice.errors import Problem, SourceError
from notice.layout import LEDGER, ROOT_DOCUMENT
from notice.render.texthash import LEGACY_RECIPE, RECIPES
from notice.source.documents import DOCUMENT_ID, RESERVED_IDS, Document
from notice.source.worktree import NoticeSource

LEGACY_FORMAT = "notice-ledger/1"  # every entry under LEGACY_RECIPE, no text_recipe field
FORMAT = "notice-ledger/2"
GENESIS = "0" * 64
HASH_RULE = (
    "sha256 of each entry's canonical JSON (keys sorted, no whitespace, UTF-8); "
    "previous = the hash of the entry before, 64 zeros for the first"
)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_RELEASED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_PDF_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.pdf$")
_PIPELINE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/+-]{0,99}$")


@dataclass(frozen=True)
class TranslationEntry:
    """A translation archived with a release: its PDF, hashes, and what lagged at release."""

    lang: str
    pdf: str
    pdf_sha256: str
    text_sha256: str
    stale: tuple[str, ...] = ()  # section ids whose translation followed an older source text
    untranslated: tuple[str, ...] = ()  # section ids shown in the source language
    text_recipe: str = LEGACY_RECIPE  # stored only when not the legacy one (as for entries)

    def record(self) -> dict[str, object]:
        return {
            "lang": self.lang,
            "pdf": self.pdf,
            "pdf_sha256": self.pdf_sha256,
            "text_sha256": self.text_sha256,
            "stale": list(self.stale),
            "untranslated": list(self.untranslated),
            **({} if self.text_recipe == LEGACY_RECIPE else {"text_recipe": self.text_recipe}),
        }


@dataclass(frozen=True)
class Entry:
    """One release: which version, from which commit, and the hashes that pin it down."""

    version: date  # the notice's last_updated
    effective: date
    summary: str
    commit: str  # the source commit (full sha)
    pdf: str  # file name inside archive/
    pdf_sha256: str
    text_sha256: str  # the text's hash under text_recipe (notice.render.canonical.text_hash)
    released: str  # when, UTC, YYYY-MM-DDTHH:MM:SSZ
    previous: str  # hash of the entry before, GENESIS for the first
    reconstructed_from: str = ""  # made by `notice import --release` from this file or commit
    text_recipe: str = LEGACY_RECIPE  # stored only when not the legacy one
    line: int = field(default=0, compare=False)  # where the entry starts in the ledger file
    # Optional: an entry without translations is stored, and hashed, exactly as before them.
    translations: tuple[TranslationEntry, ...] = ()
    # Optional: what made the PDF's bytes (notice.publish.pdf.PDF_PIPELINE); none recorded
    # before it existed. `verify --rebuild` compares bytes only under the same pipeline.
    pdf_pipeline: str = ""
    # A language release: version's text in lang, released on its own after the version (its
    # PDF, hashes, commit and released time are the language's); stored only when set.
    lang: str = ""
    # Which document of the project: "" for the root one (every entry before documents existed);
    # stored only when set, so older entries keep their bytes and hashes.
    document: str = ""

    def record(self) -> dict[str, object]:
        """The entry as stored: every field a string, in a readable order; then translations."""
        record: dict[str, object] = {
            "version": self.version.isoformat(),
            "effective": self.effective.isoformat(),
            "summary": self.summary,
            "commit": self.commit,
            "pdf": self.pdf,
            "pdf_sha256": self.pdf_sha256,
            "text_sha256": self.text_sha256,
            "released": self.released,
            "previous": self.previous,
            **({"reconstructed_from": self.reconstructed_from} if self.reconstructed_from else {}),
            **({} if self.text_recipe == LEGACY_RECIPE else {"text_recipe": self.text_recipe}),
            **({"pdf_pipeline": self.pdf_pipeline} if self.pdf_pipeline else {}),
            **({"lang": self.lang} if self.lang else {}),
            **({"document": self.document} if self.document else {}),
        }
        if self.translations:
            record["translations"] = [t.record() for t in self.translations]
        return record

    @property
    def digest(self) -> str:
        """This entry's hash: what the next entry's `previous` must be."""
        return hashlib.sha256(canonical(self.record())).hexdigest()

    @property
    def label(self) -> str:
        shown = f"{self.document} " if self.document else ""
        return f"entry {shown}{self.version.isoformat()}" + (f" ({self.lang})" if self.lang else "")

    @property
    def document_id(self) -> str:
        """The document this entry releases, ROOT_DOCUMENT for the root one."""
        return self.document or ROOT_DOCUMENT

    @property
    def archive_dir(self) -> str:
        """The project-relative folder of its PDFs: archive/, or archive/<id>/ for a document."""
        return Document(self.document_id, Path()).archive_dir

    def pdf_paths(self) -> list[str]:
        """Its PDFs' project-relative paths: its own, then its translations'."""
        names = [self.pdf, *(t.pdf for t in self.translations)]
        return [f"{self.archive_dir}/{name}" for name in names]


# Stored only when set (text_recipe: when not the legacy one): older entries hash the same.
OPTIONAL_FIELDS = ("reconstructed_from", "text_recipe", "pdf_pipeline", "lang", "document")
FIELDS = tuple(
    f.name for f in fields(Entry) if f.name not in ("line", "translations", *OPTIONAL_FIELDS)
)
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
TRANSLATION_FIELDS = tuple(f.name for f in fields(TranslationEntry) if f.name != "text_recipe")


def canonical(record: dict[str, object]) -> bytes:
    """The bytes an entry's hash is taken over."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def head(entries: list[Entry]) -> str:
    """The hash of the last entry (pins the whole ledger), GENESIS when empty."""
    return entries[-1].digest if entries else GENESIS


def ledger_text(entries: list[Entry]) -> str:
    """The ledger file: indented for people, the same entries always give the same bytes."""
    legacy = all(
        recipe == LEGACY_RECIPE
        for entry in entries
        for recipe in (entry.text_recipe, *(t.text_recipe for t in entry.translations))
    )
    document = {
        "format": LEGACY_FORMAT if legacy else FORMAT,
        "hash": HASH_RULE,
        "entries": [e.record() for e in entries],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def parse_ledger(text: str, path: str = LEDGER) -> list[Entry]:
    """The entries of a ledger file; SourceError naming every malformed entry."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError([Problem(path, exc.lineno, f"not valid JSON: {exc.msg}")]) from None
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise SourceError([Problem(path, 1, 'must be an object with an "entries" list')])
    form = document.get("format")
    if form not in (LEGACY_FORMAT, FORMAT):
        message = f"format is {form!r}, this toolkit reads {LEGACY_FORMAT!r} and {FORMAT!r}"
        raise SourceError([Problem(path, 1, message)])
    starts = _entry_lines(text)
    entries, problems = [], []
    for index, raw in enumerate(document["entries"]):
        line = starts[index] if index < len(starts) else None
        try:
            entries.append(_entry(raw, line or 0, recipes=form == FORMAT))
        except ValueError as exc:
            problems.append(Problem(path, line, f"entry {index + 1}: {exc}"))
    if problems:
        raise SourceError(problems)
    return entries


def _entry_lines(text: str) -> list[int]:
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.lstrip().startswith('"version":')
    ]


def _entry(raw: object, line: int, recipes: bool) -> Entry:
    if not isinstance(raw, dict):
        raise ValueError("must be an object")
    missing = [name for name in FIELDS if name not in raw]
    optional = {"reconstructed_from", "translations", "pdf_pipeline"}
    optional |= {"text_recipe", "lang", "document"} if recipes else set()
    unknown = sorted(set(raw) - set(FIELDS) - optional)
    if missing or unknown:
        raise ValueError(f"missing {missing}, unknown {unknown}".replace("missing [], ", ""))
    if not all(isinstance(raw[name], str) for name in FIELDS):
        raise ValueError("every value must be a string")
    for name in ("pdf_sha256", "text_sha256", "previous"):
        if not _SHA256.match(raw[name]):
            raise ValueError(f"{name} {raw[name]!r} is not a sha256 (64 lowercase hex digits)")
    if not _COMMIT.match(raw["commit"]):
        raise ValueError(f"commit {raw['commit']!r} is not a full git sha")
    if not _RELEASED.match(raw["released"]):
        raise ValueError(f"released {raw['released']!r} is not YYYY-MM-DDTHH:MM:SSZ")
    if not _PDF_NAME.match(raw["pdf"]):
        raise ValueError(f"pdf {raw['pdf']!r} is not a file name ending in .pdf")
    pipeline = raw.get("pdf_pipeline")
    if pipeline is not None and not (isinstance(pipeline, str) and _PIPELINE.match(pipeline)):
        raise ValueError(f"pdf_pipeline {raw['pdf_pipeline']!r} is not a pipeline name")
    if raw.get("text_recipe", LEGACY_RECIPE) not in RECIPES:
        raise ValueError(f"text_recipe {raw['text_recipe']!r} is not one of {list(RECIPES)}")
    if "lang" in raw and not (isinstance(raw["lang"], str) and _LANG.match(raw["lang"])):
        raise ValueError(f"lang {raw['lang']!r} is not a language code such as 'fr'")
    if "document" in raw and (
        not isinstance(raw["document"], str)
        or raw["document"] in RESERVED_IDS  # root, and the archive's own tsa/, timestamps/
        or not DOCUMENT_ID.match(raw["document"])
    ):
        raise ValueError(f"document {raw['document']!r} is not a document id such as 'cookies'")
    if "lang" in raw and "translations" in raw:
        raise ValueError("a language release has no translations of its own")
    return Entry(
        version=_day(raw, "version"),
        effective=_day(raw, "effective"),
        line=line,
        translations=_translations(raw["translations"]) if "translations" in raw else (),
        reconstructed_from=raw.get("reconstructed_from", ""),
        text_recipe=raw.get("text_recipe", LEGACY_RECIPE),
        pdf_pipeline=raw.get("pdf_pipeline", ""),
        lang=raw.get("lang", ""),
        document=raw.get("document", ""),
        **{name: raw[name] for name in FIELDS if name not in ("version", "effective")},
    )


def _translations(raw: object) -> tuple[TranslationEntry, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError("translations must be a non-empty list (or absent)")
    found = []
    for item in raw:
        if not isinstance(item, dict) or set(item) - {"text_recipe"} != set(TRANSLATION_FIELDS):
            raise ValueError(
                f"each translation has exactly {', '.join(TRANSLATION_FIELDS)} (and text_recipe)"
            )
        recipe = item.get("text_recipe", LEGACY_RECIPE)
        if recipe not in RECIPES:
            raise ValueError(f"translation text_recipe {recipe!r} is not one of {list(RECIPES)}")
        lists = (item["stale"], item["untranslated"])
        texts = [item[name] for name in ("lang", "pdf", "pdf_sha256", "text_sha256")]
        if not all(isinstance(v, str) for v in texts) or not all(
            isinstance(ids, list) and all(isinstance(i, str) for i in ids) for ids in lists
        ):
            raise ValueError("a translation's values are texts, stale/untranslated lists of ids")
        for name in ("pdf_sha256", "text_sha256"):
            if not _SHA256.match(item[name]):
                raise ValueError(f"translation {name} {item[name]!r} is not a sha256")
        if not _PDF_NAME.match(item["pdf"]):
            raise ValueError(f"translation pdf {item['pdf']!r} is not a file name ending in .pdf")
        lang, pdf, pdf_sha256, text_sha256 = texts
        stale, untranslated = (tuple(ids) for ids in lists)
        found.append(
            TranslationEntry(lang, pdf, pdf_sha256, text_sha256, stale, untranslated, recipe)
        )
    return tuple(found)


def _day(raw: dict[str, str], name: str) -> date:
    try:
        day = date.fromisoformat(raw[name])
    except ValueError:
        day = None
    if day is None or day.isoformat() != raw[name]:
        raise ValueError(f"{name} {raw[name]!r} is not a date (YYYY-MM-DD)")
    return day


def chain_problems(entries: list[Entry], path: str = LEDGER) -> list[Problem]:
    """Broken links, versions out of order, a PDF file named twice."""
    problems = []
    expected = GENESIS
    befores: dict[str, date] = {}  # each document's versions are in order, apart from others'
    names: set[tuple[str, str]] = set()
    for index, entry in enumerate(entries):
        before = befores.get(entry.document)
        where = f"{entry.label}:"
        if entry.previous != expected:
            problems.append(
                Problem(
                    path,
                    entry.line or None,
                    f"{where} previous is {entry.previous[:12]}…, the entry before hashes to "
                    f"{expected[:12]}…: the chain is broken (an entry was changed or removed)",
                )
            )
        if entry.lang:
            earlier = [e for e in entries[:index] if e.document == entry.document]
            problems += _language_release_problems(earlier, entry, path)
        elif before is not None and entry.version <= before:
            problems.append(
                Problem(path, entry.line or None, f"{where} not after {before} (out of order)")
            )
        if (entry.document, entry.pdf) in names:
            problems.append(Problem(path, entry.line or None, f"{where} pdf {entry.pdf} twice"))
        expected = entry.digest
        if not entry.lang:
            befores[entry.document] = entry.version
        names.add((entry.document, entry.pdf))
    return problems


def _language_release_problems(earlier: list[Entry], entry: Entry, path: str) -> list[Problem]:
    """A language release follows its version's release, once per language (earlier: the
    entries of its document before it)."""
    where = f"{entry.label}:"
    if not any(e.version == entry.version and not e.lang for e in earlier):
        message = f"{where} releases a language of version {entry.version}, which is not released"
        return [Problem(path, entry.line or None, message)]
    if entry.lang in released_languages(earlier, entry.version):
        message = f"{where} {entry.lang} of version {entry.version} is released twice"
        return [Problem(path, entry.line or None, message)]
    return []


@dataclass(frozen=True)
class LanguageRelease:
    """A language's released text of a version: with the version, or on its own later."""

    lang: str
    commit: str  # the commit it was released from
    pdf: str
    pdf_sha256: str
    text_sha256: str
    text_recipe: str


def entries_of(entries: list[Entry], document: str) -> list[Entry]:
    """The entries of one document (ROOT_DOCUMENT or an id), in ledger order."""
    wanted = "" if document == ROOT_DOCUMENT else document
    return [entry for entry in entries if entry.document == wanted]


def source_entries(entries: list[Entry]) -> list[Entry]:
    """The releases of versions (one per version), without the language releases."""
    return [entry for entry in entries if not entry.lang]


def released_languages(entries: list[Entry], version: date) -> dict[str, LanguageRelease]:
    """Each language released of version: archived with it, or released on its own."""
    found: dict[str, LanguageRelease] = {}
    for entry in entries:
        if entry.version != version:
            continue
        if entry.lang:
            found[entry.lang] = LanguageRelease(
                entry.lang,
                entry.commit,
                entry.pdf,
                entry.pdf_sha256,
                entry.text_sha256,
                entry.text_recipe,
            )
        for t in entry.translations:
            found[t.lang] = LanguageRelease(
                t.lang, entry.commit, t.pdf, t.pdf_sha256, t.text_sha256, t.text_recipe
            )
    return found


def ledger_entries(source: NoticeSource) -> list[Entry]:
    """The entries of the ledger of a source (working tree or commit) for the source's document;
    none without a ledger. The whole ledger (every document): whole_ledger_entries."""
    return entries_of(whole_ledger_entries(source), source.document)


def whole_ledger_entries(source: NoticeSource) -> list[Entry]:
    """Every entry of the project's ledger, all documents, in order (the hash chain's order)."""
    if not source.exists(LEDGER):
        return []
    return parse_ledger(source.read_text(LEDGER))


def names_release(source: NoticeSource, version: date) -> bool:
    """Whether the ledger of source records a release of version, or cannot be read: then the
    working tree is compared with what was released (and a malformed ledger named)."""
    try:
        entries = ledger_entries(source)
    except SourceError:
        return True
    return any(entry.version == version for entry in source_entries(entries))


def released_versions(source: NoticeSource) -> set[date]:
    """The version dates the ledger of a source (working tree or commit) records; no ledger means
    nothing is released yet. Read with the one strict parser: a malformed ledger is an error."""
    return {entry.version for entry in ledger_entries(source)}
