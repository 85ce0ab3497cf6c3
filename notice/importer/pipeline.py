"""notice import: read, find structure and values, write the project, prove it renders the same."""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from urllib.parse import unquote

from notice.check import check_source
from notice.errors import NoticeError, Problem, Severity, SourceError, errors_only
from notice.render.rendering import RESERVED_NAMES, format_date

from .dates import Dates, take_dates
from .document import Block, Document, Link, Piece, block_texts
from .dropped import Dropped, drop_contents, dropped_notes, title_dropped
from .fidelity import differences
from .intake import read_input
from .macros import MacroProposal, apply_macros, find_repeated, macro_file
from .markup import MarkdownWriter, body_markdown
from .naming import SITE_GUESS, Named, company_source, title_source
from .project import Metadata, notice_yml, section_file
from .reader_view import WordCheck, check_words, word_notes
from .scaffold import project_files, write_files
from .structure import SectionDraft, Structure, detect_structure, one_section
from .values import Catalog, Found, find_values, tel_value

PROJECT_PARTS = ("notice.yml", "sections", "macros", "mkdocs.yml")
MACRO_FILE = "imported.j2"
_MARKDOWN_TARGET = re.compile(r"\]\(<?#([^)\s>]*)>?(?:\s[^)]*)?\)")  # [text](#anchor)
_DEFINITION_TARGET = re.compile(r"^\[[^\]]+\]:\s*<?#([^\s>]*)", re.M)  # [label]: #anchor


@dataclass
class ImportReport:
    """What the import found and wrote."""

    source: Path
    target: Path
    format: str
    metadata: Metadata
    structure: Structure
    variables: list[tuple[str, str, int]]  # name, value, uses in the rendering
    dates: Dates
    proposals: list[MacroProposal]
    macros_written: bool
    identical: bool  # measured: the reader's words of the input are the rendering's
    warnings: list[Problem] = field(default_factory=list)
    words: WordCheck | None = None  # the input's words as an independent reader sees them
    title_where: str = ""  # where the title was found ("--title" when given)
    company_where: str = ""  # where the company was found ("--company" when given)
    dropped: list[Dropped] = field(default_factory=list)  # parts left out on purpose

    def sections_by_level(self) -> dict[int, int]:
        """How many sections each level has."""
        counts: dict[int, int] = {}
        for section in self.structure.sections:
            counts[section.level] = counts.get(section.level, 0) + 1
        return dict(sorted(counts.items()))


def import_notice(
    source: Path,
    target: Path,
    *,
    force: bool = False,
    write_macros: bool = False,
    title: str | None = None,
    company: str | None = None,
    input_format: str | None = None,
    last_updated: date | None = None,
    headings: str | None = None,
    fallback_date: tuple[date, str] | None = None,
) -> ImportReport:
    """Turn a notice (text, Markdown or HTML) into a notice project in target; never overwrite.
    fallback_date: (date, its origin) when the notice states none (a history's file dates)."""
    _refuse_occupied(target, force)
    document = read_input(source, input_format, _headings_pattern(headings))
    dates = take_dates(document, last_updated, fallback_date)
    targets = page_targets(document)
    structure = detect_structure(document, targets) if document.has_headings() else None
    if structure is None or not any(s.heading_text for s in structure.sections):
        structure = one_section(document, title)
        document.notes.append(
            (
                0,
                "no headings found (numbered, all-caps, Title Case, [B], Markdown or HTML): the "
                "notice is one section; name its headings with --headings REGEX",
            )
        )
    dropped = [Dropped(*item) for item in document.left_out]
    dropped += title_dropped(structure) + drop_contents(structure)
    catalog = _catalog(document, dates)
    writer = MarkdownWriter(catalog, anchors=structure.anchors(), stated_dates=dates.in_place)
    bodies = [
        body_markdown(s.blocks, writer, document.link_definitions) for s in structure.sections
    ]
    reserved = {v.name.split(".")[0] for v in catalog.variables} | set(RESERVED_NAMES)
    proposals = find_repeated(bodies, reserved)
    if write_macros and proposals:
        bodies = apply_macros(bodies, proposals)
    metadata, found_title, found_company = _metadata(document, structure, dates, title, company)
    files = _project_files(document, metadata, structure, catalog, bodies)
    if write_macros and proposals:
        files[f"macros/{MACRO_FILE}"] = macro_file(proposals)
    verified = _verify_and_place(files, target, document, structure, dropped)
    notes = [*document.notes, *writer.notes, *dates.notes, *_heading_values(structure)]
    notes += dropped_notes(dropped)
    notes += word_notes(verified.words) + verified.differences
    notes += _naming_notes(found_title, found_company)
    return ImportReport(
        source=source,
        target=target,
        format=document.format,
        metadata=metadata,
        structure=structure,
        variables=verified.variables,
        dates=dates,
        proposals=proposals,
        macros_written=write_macros and bool(proposals),
        identical=verified.words.same,
        words=verified.words,
        title_where=found_title.where,
        company_where=found_company.where,
        dropped=dropped,
        warnings=[_warning(source, line, message) for line, message in notes] + verified.problems,
    )


def _headings_pattern(headings: str | None) -> re.Pattern[str] | None:
    if headings is None:
        return None
    try:
        return re.compile(headings)
    except re.error as exc:
        raise NoticeError(f"--headings {headings!r}: not a regular expression ({exc})") from None


def _refuse_occupied(target: Path, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise NoticeError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise NoticeError(
            f"{target}: folder is not empty; import into a new folder, or use --force to replace "
            "its notice.yml, sections/, macros/ and mkdocs.yml"
        )


def _all_found(document: Document) -> list[Found]:
    """Every value of the notice's body, in reading order (tel: links included)."""
    found: list[Found] = []
    for block in (item for item in document.items if isinstance(item, Block)):
        for text in block_texts(block):
            found += find_values(text)
        found += [tel for link in _links(block) if (tel := tel_value(link.href))]
    return found + find_values(document.link_definitions)


def page_targets(document: Document) -> list[str]:
    """The anchors the notice's own in-page links point to ('#changes--questions')."""
    found: list[str] = []
    for block in (item for item in document.items if isinstance(item, Block)):
        found += [link.href[1:] for link in _links(block) if link.href.startswith("#")]
        found += _MARKDOWN_TARGET.findall(block.raw)
    found += _DEFINITION_TARGET.findall(document.link_definitions)
    return [unquote(target) for target in dict.fromkeys(found) if target]


def _links(block: Block) -> list[Link]:
    pending: list[Piece] = list(block.pieces) + [p for row in block.rows for c in row for p in c]
    links = []
    while pending:
        piece = pending.pop(0)
        if isinstance(piece, Link):
            links.append(piece)
        pending += list(getattr(piece, "children", ()))
    return links


def _repeated_urls(document: Document) -> set[str]:
    """Links used in more than one block (or in reference definitions): worth a variable."""
    blocks: dict[str, set[int]] = {}
    for index, block in enumerate(item for item in document.items if isinstance(item, Block)):
        for text in block_texts(block):
            for item in find_values(text):
                if item.kind == "url":
                    blocks.setdefault(item.value, set()).add(index)
    return {url for url, where in blocks.items() if len(where) > 1}


def _catalog(document: Document, dates: Dates) -> Catalog:
    catalog = Catalog(_all_found(document), dates.names, _repeated_urls(document))
    for name, value in dates.extra.items():
        catalog.add_date(f"dates.{name}", value)
    return catalog


def _metadata(
    document: Document,
    structure: Structure,
    dates: Dates,
    title: str | None,
    company: str | None,
) -> tuple[Metadata, Named, Named]:
    """notice.yml's metadata, with where the title and the company were found."""
    found_title = Named(title, "--title") if title else title_source(document, structure)
    found_company = (
        Named(company, "--company") if company else company_source(document, found_title.value)
    )
    formatted = format_date(dates.last_updated, dates.date_format)
    metadata = Metadata(
        title=found_title.value,
        company=found_company.value,
        last_updated=dates.last_updated,
        effective=dates.effective,
        date_format=dates.date_format,
        date_line=dates.date_line,
        date_position=dates.position,
        summary=f"{found_title.value}, last updated {formatted}.",
    )
    return metadata, found_title, found_company


def _naming_notes(title: Named, company: Named) -> list[tuple[int, str]]:
    """Say so when the document names no title or no company: never the file's name silently."""
    notes = []
    if not title.where:
        notes.append(
            (0, f"no title found (no heading, <title> or 'Privacy Policy' phrase): titled "
             f"{title.value!r}; give it with --title")
        )  # fmt: skip
    if company.where == SITE_GUESS:
        notes.append(
            (0, f"company {company.value!r} guessed from {company.where}; --company sets it")
        )
    if not company.where:
        notes.append(
            (0, f"no company found (no controller statement, legal name or copyright line): "
             f"company set to {company.value!r}; give it with --company")
        )  # fmt: skip
    return notes


def _project_files(
    document: Document,
    metadata: Metadata,
    structure: Structure,
    catalog: Catalog,
    bodies: list[str],
) -> dict[str, str]:
    files = project_files(metadata.title)
    files["notice.yml"] = notice_yml(metadata, catalog.tree(), structure, Path(document.path).name)
    for section, body in zip(structure.sections, bodies, strict=True):
        files[f"sections/{section.id}.md"] = section_file(section, body)
    return files


@dataclass
class _Verified:
    words: WordCheck
    variables: list[tuple[str, str, int]]
    differences: list[tuple[int, str]]  # (input line, explanation)
    problems: list[Problem]  # warnings of `notice check` on the imported project


def _verify_and_place(
    files: dict[str, str],
    target: Path,
    document: Document,
    structure: Structure,
    dropped: list[Dropped],
) -> _Verified:
    """Write into a temporary folder, check and render it there, then move the files into target."""
    try:
        parent = target.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".notice-import-", dir=parent))
    except OSError as exc:
        raise NoticeError(f"{target}: cannot write there: {exc.strerror}") from None
    try:
        write_files(staging, files)
        (staging / "macros").mkdir(exist_ok=True)
        rendered, problems = check_source(staging)
        problems = [replace(p, path=str(target / p.path)) for p in problems]
        if rendered is None:
            raise SourceError(errors_only(problems) or problems)
        words = check_words(document, rendered, tuple(w for d in dropped for w in d.words))
        uses = rendered.variable_uses
        verified = _Verified(
            words,
            [
                (name, value, uses.get(name, 0))
                for name, value in _leaves(rendered.notice.variables)
            ],
            [] if words.same else differences(rendered, structure.sections),
            [p for p in problems if p.severity is Severity.WARNING],
        )
        _move_into_place(staging, target)
        return verified
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _leaves(mapping, prefix: str = "") -> list[tuple[str, str]]:
    leaves = []
    for key, value in mapping.items():
        if isinstance(value, dict):
            leaves += _leaves(value, f"{prefix}{key}.")
        else:
            leaves.append((f"{prefix}{key}", str(value)))
    return leaves


def _move_into_place(staging: Path, target: Path) -> None:
    try:
        _move_parts(staging, target)
    except OSError as exc:
        raise NoticeError(f"{target}: cannot write there: {exc.strerror}") from None


def _move_parts(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        return
    for part in PROJECT_PARTS:
        existing = target / part
        if existing.is_dir() and not existing.is_symlink():
            shutil.rmtree(existing)
        elif existing.exists() or existing.is_symlink():
            existing.unlink()
    for part in PROJECT_PARTS:
        (staging / part).rename(target / part)
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        kept = target / path.relative_to(staging)  # the rest of the project: added, never replaced
        if not kept.exists():
            kept.parent.mkdir(parents=True, exist_ok=True)
            path.rename(kept)


def _heading_values(structure: Structure) -> list[tuple[int, str]]:
    notes = []
    for section in structure.sections:
        for item in find_values(section.title):
            if item.kind in ("email", "phone", "url"):
                notes.append(
                    (
                        section.line,
                        f"{item.value!r} stays written out in a heading (titles are not templates)",
                    )
                )
    return notes


def _warning(source: Path, line: int, message: str) -> Problem:
    return Problem(str(source), line or None, message, Severity.WARNING)


__all__ = ["ImportReport", "SectionDraft", "import_notice"]
