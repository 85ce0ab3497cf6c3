"""Load a notice (notice.yml + sections/ + macros/) into a Notice, collecting every problem."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from notice.errors import Problem, Severity, SourceError
from notice.layout import MACROS_DIR, NOTICE_FILE, SECTIONS_DIR
from notice.model import MacroFile, Notice, Section
from notice.source.numbering import (
    DEFAULT_HEADING_FORMAT,
    SCHEMES,
    format_number,
    heading_format_problem,
)
from notice.source.worktree import NoticeSource, SourceReadError, WorkingTree
from notice.source.yamlio import LineDict, LineList, YamlProblem, line_of, load_yaml

SECTION_SUFFIX = ".md"
MACRO_SUFFIX = ".j2"
SECTION_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
PAGE_SIZES = ("letter", "a4")
DEFAULT_DATE_LINE = "Last updated: {date}"
DATE_LINE_POSITIONS = ("top", "end", "none")  # under the title, after the last section, nowhere
DEFAULT_NUMBERING = ("upper-roman", "upper-alpha", "decimal")
MAX_SECTIONS = 5000  # far beyond any real notice; 2,000 still render in seconds
KNOWN_KEYS = {
    "title",
    "company",
    "last_updated",
    "effective",
    "summary",
    "page_size",
    "date_format",
    "date_line",
    "numbering",
    "heading_format",
    "sections",
    "variables",
}


@dataclass
class _Collector:
    """Problems gathered while loading; loading goes on after a problem to find the others."""

    problems: list[Problem] = field(default_factory=list)
    unreadable_sections: set[str] = field(default_factory=set)  # file stems already reported

    def error(self, path: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(path, line, message))

    def warning(self, path: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(path, line, message, Severity.WARNING))


@dataclass(frozen=True)
class _SectionFile:
    path: str
    id: str
    title: str
    body: str
    show_heading: bool
    numbered: bool
    id_line: int


@dataclass(frozen=True)
class _TreeEntry:
    id: str
    level: int
    parent: str | None
    line: int | None


def load_notice(root: Path | NoticeSource) -> Notice:
    """Load the notice at root (a folder or a NoticeSource); raise SourceError with every error."""
    notice, problems = load_with_problems(root)
    if notice is None:
        raise SourceError(problems)
    return notice


def load_with_problems(root: Path | NoticeSource) -> tuple[Notice | None, list[Problem]]:
    """Load the notice and return it with all problems found (None when an error was found)."""
    source = WorkingTree(Path(root)) if isinstance(root, (str, Path)) else root
    found = _Collector()
    config = _read_config(source, found)
    files = _read_section_files(source, found)
    macros = _read_macros(source, found)
    if config is None:
        return None, found.problems
    metadata = {**_read_metadata(config, found), **_read_date_line(config, found)}
    tree = _read_tree(config, found)
    numbering = _read_numbering(config, found)
    heading_formats = _read_heading_formats(config, found)
    variables = _read_variables(config, found)
    sections = _place_sections(tree, files, (numbering, heading_formats), found)
    if any(p.severity is Severity.ERROR for p in found.problems):
        return None, found.problems
    root_path = source.root if isinstance(source, WorkingTree) else Path(".")
    notice = Notice(
        root=root_path,
        sections=sections,
        macros=macros,
        variables=variables,
        metadata_lines=dict(config.lines),
        **metadata,
    )
    return notice, found.problems


def _read_config(source: NoticeSource, found: _Collector) -> LineDict | None:
    try:
        text = source.read_text(NOTICE_FILE)
        config = load_yaml(text, NOTICE_FILE)
    except SourceReadError as exc:
        found.error(exc.path, None, f"{exc.args[0].split(': ', 1)[-1]}; is this a notice folder?")
        return None
    except YamlProblem as exc:
        found.problems.append(exc.problem)
        return None
    if not isinstance(config, LineDict):
        found.error(NOTICE_FILE, 1, "must be a mapping of keys (title:, company:, ...)")
        return None
    for key in config:
        if key not in KNOWN_KEYS:
            found.error(
                NOTICE_FILE,
                line_of(config, key),
                f"unknown key {key!r}; expected one of {', '.join(sorted(KNOWN_KEYS))}",
            )
    return config


def parse_date(value: Any, path: str, line: int | None, key: str, found: _Collector) -> date | None:
    """A YYYY-MM-DD date, or a problem naming the key and what to write."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        found.error(path, line, f"{key}: {value!r} is not a date; write it as YYYY-MM-DD")
        return None
    try:
        parsed = date.fromisoformat(value.strip())
    except ValueError as exc:
        found.error(path, line, f"{key}: {value!r} is not a valid date ({exc})")
        return None
    if not 1900 <= parsed.year <= 2999:
        found.error(path, line, f"{key}: {value!r} is out of range (years 1900 to 2999)")
        return None
    return parsed


def _required_text(config: LineDict, key: str, found: _Collector) -> str:
    value = config.get(key)
    if not isinstance(value, str) or not value.strip():
        found.error(NOTICE_FILE, line_of(config, key, 1), f"{key}: a non-empty text is required")
        return ""
    return value.strip()


def _read_metadata(config: LineDict, found: _Collector) -> dict[str, Any]:
    last_updated = None
    if "last_updated" not in config:
        found.error(NOTICE_FILE, 1, "last_updated: missing; write the date as YYYY-MM-DD")
    else:
        last_updated = parse_date(
            config["last_updated"],
            NOTICE_FILE,
            line_of(config, "last_updated"),
            "last_updated",
            found,
        )
    effective = last_updated
    if "effective" in config:
        effective = parse_date(
            config["effective"], NOTICE_FILE, line_of(config, "effective"), "effective", found
        )
        if effective and last_updated and effective < last_updated:
            found.error(
                NOTICE_FILE,
                line_of(config, "effective"),
                "effective: cannot be earlier than last_updated",
            )
    summary = config.get("summary", "")
    if not isinstance(summary, str):
        found.error(NOTICE_FILE, line_of(config, "summary"), "summary: must be one line of text")
        summary = ""
    page_size = config.get("page_size", "letter")
    if page_size not in PAGE_SIZES:
        found.error(
            NOTICE_FILE,
            line_of(config, "page_size"),
            f"page_size: {page_size!r} is not one of {', '.join(PAGE_SIZES)}",
        )
    date_format = config.get("date_format", "%B %-d, %Y")
    if not isinstance(date_format, str) or "%" not in date_format:
        found.error(
            NOTICE_FILE,
            line_of(config, "date_format"),
            "date_format: must be a strftime pattern such as '%B %-d, %Y'",
        )
        date_format = "%B %-d, %Y"
    return {
        "title": _required_text(config, "title", found),
        "company": _required_text(config, "company", found),
        "last_updated": last_updated or date(1900, 1, 1),
        "effective": effective or last_updated or date(1900, 1, 1),
        "summary": " ".join(summary.split()),
        "page_size": page_size,
        "date_format": date_format,
    }


def _read_date_line(config: LineDict, found: _Collector) -> dict[str, str]:
    """date_line: {text: 'Effective date: {date}', position: top|end|none}; default as MetTel."""
    value = config.get("date_line", {})
    line = line_of(config, "date_line")
    if not isinstance(value, dict) or set(value) - {"text", "position"}:
        found.error(
            NOTICE_FILE, line, "date_line: write {text: 'Last updated: {date}', position: end}"
        )
        return {}
    text = value.get("text", DEFAULT_DATE_LINE)
    position = value.get("position", "end")
    if not isinstance(text, str) or "{date}" not in text or "\n" in text:
        found.error(
            NOTICE_FILE, line, "date_line.text: one line holding {date}, e.g. 'Updated: {date}'"
        )
        text = DEFAULT_DATE_LINE
    if position not in DATE_LINE_POSITIONS:
        found.error(
            NOTICE_FILE,
            line,
            f"date_line.position: {position!r} is not one of {', '.join(DATE_LINE_POSITIONS)}",
        )
        position = "end"
    return {"date_line": text, "date_line_position": position}


def _read_numbering(config: LineDict, found: _Collector) -> tuple[str, ...]:
    numbering = config.get("numbering", list(DEFAULT_NUMBERING))
    if not isinstance(numbering, list) or not numbering:
        found.error(
            NOTICE_FILE,
            line_of(config, "numbering"),
            f"numbering: a list of schemes per level, from {', '.join(SCHEMES)}",
        )
        return DEFAULT_NUMBERING
    for index, scheme in enumerate(numbering):
        if scheme not in SCHEMES:
            found.error(
                NOTICE_FILE,
                line_of(numbering, index),
                f"numbering: {scheme!r} is not one of {', '.join(SCHEMES)}",
            )
    return tuple(str(s) for s in numbering)


def _read_heading_formats(config: LineDict, found: _Collector) -> tuple[str, ...]:
    """heading_format: one pattern for every level, or a list of patterns per level."""
    value = config.get("heading_format", DEFAULT_HEADING_FORMAT)
    patterns = value if isinstance(value, list) and value else [value]
    for index, pattern in enumerate(patterns):
        problem = (
            heading_format_problem(pattern)
            if isinstance(pattern, str)
            else "must be a text such as '{number}. {title}', or a list of them per level"
        )
        if problem:
            line = line_of(patterns, index, line_of(config, "heading_format"))
            found.error(NOTICE_FILE, line, f"heading_format: {pattern!r} {problem}")
            return (DEFAULT_HEADING_FORMAT,)
    return tuple(patterns)


def _read_variables(config: LineDict, found: _Collector) -> dict[str, Any]:
    variables = config.get("variables", {})
    if not isinstance(variables, dict):
        found.error(NOTICE_FILE, line_of(config, "variables"), "variables: must be a mapping")
        return {}
    _check_variable_values(variables, "", found)
    return variables


def _check_variable_values(mapping: dict, prefix: str, found: _Collector) -> None:
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        line = line_of(mapping, key)
        if not isinstance(key, str) or not VARIABLE_NAME.match(key):
            found.error(
                NOTICE_FILE, line, f"variables: {name!r} is not a valid name (letters, digits, _)"
            )
        elif isinstance(value, dict):
            _check_variable_values(value, f"{name}.", found)
        elif isinstance(value, list) or value is None:
            found.error(NOTICE_FILE, line, f"variables: {name} must be a text or a number")


def _read_tree(config: LineDict, found: _Collector) -> list[_TreeEntry]:
    tree = config.get("sections")
    if not isinstance(tree, list) or not tree:
        found.error(
            NOTICE_FILE,
            line_of(config, "sections", 1),
            "sections: a list of section ids (with 'sections:' under an id for sub-sections)",
        )
        return []
    entries: list[_TreeEntry] = []
    _walk_tree(tree, 1, None, entries, found)
    return entries


def _walk_tree(
    items: LineList, level: int, parent: str | None, out: list[_TreeEntry], found: _Collector
) -> None:
    for index, item in enumerate(items):
        line = line_of(items, index)
        children = None
        if isinstance(item, dict):
            section_id = item.get("id")
            children = item.get("sections")
            extra = set(item) - {"id", "sections"}
            if extra:
                found.error(
                    NOTICE_FILE, line, f"sections: unknown key(s) {', '.join(sorted(extra))}"
                )
            if children is not None and not isinstance(children, list):
                found.error(NOTICE_FILE, line, "sections: 'sections' under an id must be a list")
                children = None
        else:
            section_id = item
        if not isinstance(section_id, str) or not SECTION_ID.match(section_id):
            found.error(
                NOTICE_FILE,
                line,
                f"sections: {section_id!r} is not a valid id "
                "(lowercase letters, digits and hyphens, e.g. cpni-rights)",
            )
            continue
        if len(out) >= MAX_SECTIONS:
            found.error(NOTICE_FILE, line, f"sections: more than {MAX_SECTIONS} sections")
            return
        out.append(_TreeEntry(section_id, level, parent, line))
        if children:
            _walk_tree(children, level + 1, section_id, out, found)


def _split_front_matter(text: str, path: str, found: _Collector) -> tuple[LineDict | None, str]:
    """Split '---' YAML front matter from the body; the body keeps its file line numbers."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        found.error(path, 1, "missing front matter: start the file with '---', id:, title:, '---'")
        return None, text
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        found.error(path, 1, "front matter is not closed: add a line '---' after title:")
        return None, text
    try:
        meta = load_yaml("\n".join(lines[1:end]), path, line_offset=1)
    except YamlProblem as exc:
        found.problems.append(exc.problem)
        return None, text
    body = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    if not isinstance(meta, LineDict):
        found.error(path, 2, "front matter must be a mapping with id: and title:")
        return None, body
    return meta, body


def _read_section_file(source: NoticeSource, path: str, found: _Collector) -> _SectionFile | None:
    try:
        text = source.read_text(path)
    except SourceReadError as exc:
        found.error(exc.path, None, exc.args[0].split(": ", 1)[-1])
        return None
    meta, body = _split_front_matter(text, path, found)
    if meta is None:
        return None
    ok = True
    section_id = meta.get("id")
    if not isinstance(section_id, str) or not SECTION_ID.match(section_id):
        found.error(
            path,
            line_of(meta, "id", 2),
            f"id: {section_id!r} is not a valid id (lowercase letters, digits and hyphens)",
        )
        ok = False
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        found.error(path, line_of(meta, "title", 2), "title: a non-empty title is required")
        ok = False
    flags = {}
    for flag in ("heading", "numbered"):
        value = meta.get(flag, True)
        if not isinstance(value, bool):
            found.error(path, line_of(meta, flag), f"{flag}: must be true or false")
            ok = False
        flags[flag] = value is not False
    unknown = set(meta) - {"id", "title", "heading", "numbered"}
    for key in sorted(unknown, key=str):
        found.error(path, line_of(meta, key), f"unknown front matter key {key!r}")
        ok = False
    if not ok:
        return None
    return _SectionFile(
        path=path,
        id=section_id,
        title=" ".join(title.split()),
        body=body,
        show_heading=flags["heading"],
        numbered=flags["numbered"],
        id_line=line_of(meta, "id", 2) or 2,
    )


def _read_section_files(source: NoticeSource, found: _Collector) -> dict[str, _SectionFile]:
    paths = source.list_files(SECTIONS_DIR, SECTION_SUFFIX)
    if not paths:
        found.error(SECTIONS_DIR, None, "no section files (*.md) found")
    by_id: dict[str, _SectionFile] = {}
    for path in paths:
        section = _read_section_file(source, path, found)
        if section is None:
            found.unreadable_sections.add(path.rsplit("/", 1)[-1].removesuffix(SECTION_SUFFIX))
            continue
        if section.id in by_id:
            first = by_id[section.id].path
            found.error(
                path, section.id_line, f"duplicate section id {section.id!r} (also in {first})"
            )
            continue
        by_id[section.id] = section
    return by_id


def _read_macros(source: NoticeSource, found: _Collector) -> tuple[MacroFile, ...]:
    macros = []
    for path in source.list_files(MACROS_DIR, MACRO_SUFFIX):
        try:
            macros.append(MacroFile(path.split("/", 1)[1], path, source.read_text(path)))
        except SourceReadError as exc:
            found.error(exc.path, None, exc.args[0].split(": ", 1)[-1])
    return tuple(macros)


def _place_sections(
    tree: list[_TreeEntry],
    files: dict[str, _SectionFile],
    styles: tuple[tuple[str, ...], tuple[str, ...]],
    found: _Collector,
) -> tuple[Section, ...]:
    """Order sections as the tree says and number them; report ids without files and vice versa."""
    numbering, heading_formats = styles
    sections: list[Section] = []
    seen: set[str] = set()
    counters: dict[str | None, int] = {}
    numbers: dict[str, str] = {}
    for entry in tree:
        if entry.id in seen:
            found.error(NOTICE_FILE, entry.line, f"sections: {entry.id!r} is listed twice")
            continue
        seen.add(entry.id)
        source = files.get(entry.id)
        if source is None and entry.id in found.unreadable_sections:
            continue  # its file was found but could not be read: already reported
        if source is None:
            found.error(
                NOTICE_FILE,
                entry.line,
                f"sections: no file in {SECTIONS_DIR}/ has id {entry.id!r}; "
                f"create {SECTIONS_DIR}/{entry.id}{SECTION_SUFFIX} or remove it from the tree",
            )
            continue
        number = ""
        if source.numbered:
            counters[entry.parent] = counters.get(entry.parent, 0) + 1
            scheme = numbering[min(entry.level, len(numbering)) - 1]
            parent_number = numbers.get(entry.parent, "") if entry.parent else ""
            number = format_number(counters[entry.parent], scheme, parent_number)
        numbers[entry.id] = number
        sections.append(
            Section(
                id=entry.id,
                title=source.title,
                level=entry.level,
                number=number,
                path=source.path,
                body=source.body,
                show_heading=source.show_heading,
                parent=entry.parent,
                heading_format=heading_formats[min(entry.level, len(heading_formats)) - 1],
            )
        )
    for section_id, source in sorted(files.items()):
        if section_id not in seen:
            found.error(
                source.path,
                source.id_line,
                f"section {section_id!r} is not in the sections tree of {NOTICE_FILE}: add it",
            )
    return tuple(sections)
