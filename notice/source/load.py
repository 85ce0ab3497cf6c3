"""Load a notice (notice.yml + sections/ + macros/) into a Notice, collecting every problem."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any, cast

from notice.controls import hidden_characters
from notice.errors import Problem, Severity, SourceError
from notice.layout import ROOT_PATHS, DocumentPaths
from notice.model import MacroFile, Mention, Notice, Section
from notice.numbering import DEFAULT_HEADING_FORMAT, format_number, heading_format_problem
from notice.source.datewords import date_mistake
from notice.source.frontmatter import split_fenced
from notice.source.schema import SECTION_ID, defaults, schema_problems
from notice.source.sharing import documents_list_problems, merge_macros, merge_variables
from notice.source.worktree import NoticeSource, SourceReadError, WorkingTree
from notice.source.yamlio import LineDict, LineList, YamlProblem, line_of, load_yaml

SECTION_SUFFIX = ".md"
MACRO_SUFFIX = ".j2"
# File names reach URLs, the redline comment and log lines: nothing there may need escaping.
FILE_NAMES = {
    SECTION_SUFFIX: re.compile(r"^[a-z0-9-]+\.md\Z"),
    # macros/<name>.j2, or macros/<name>.<lang>.j2: its body in that language
    MACRO_SUFFIX: re.compile(
        r"^(?P<stem>[a-z0-9-]+)(?:\.(?P<lang>[a-z]{2,3}(?:-[a-z]{2})?))?\.j2\Z"
    ),
}
MAX_SECTIONS = 5000  # far beyond any real notice; 2,000 still render in seconds
# A notice.yml key that names a Notice field fills it: a new key is one schema entry + one field.
NOTICE_KEYS = {f.name for f in fields(Notice)} - {"root", "sections", "macros", "metadata_lines"}
NOTICE_KEYS -= {
    "lang",
    "source_title",
    "document",
}  # set by a translation's overlay, never by notice.yml


@dataclass
class _Collector:
    """Problems gathered while loading; loading goes on after a problem to find the others."""

    problems: list[Problem] = field(default_factory=list)
    unreadable_sections: set[str] = field(default_factory=set)  # file stems already reported
    paths: DocumentPaths = ROOT_PATHS  # the document being loaded: every path names its file

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
    covers: tuple[Mention, ...] = ()


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
    found = _Collector(paths=source.paths)
    config = _read_config(source, found)
    files = _read_section_files(source, found)
    macros = _read_macros(source, found.paths.macros_dir, found)
    shared = _read_shared(source, found)
    if shared is not None:
        macros = _share_macros(source, macros, config or LineDict(), found)
    if isinstance(source, WorkingTree):  # what is edited now: check and release hold a commit's
        found.problems += hidden_in_texts(  # tree to the same rule (notice.check)
            [(f.path, f.body) for f in files.values()] + [(m.path, m.source) for m in macros]
        )
    if config is None:
        return None, found.problems
    values = {**defaults(), **config}
    metadata = _read_metadata(config, values, found)
    if shared is not None:
        metadata["variables"], problems = merge_variables(
            shared.get("variables") or {}, values["variables"], config, found.paths
        )
        found.problems += problems
    _check_macro_languages(macros, metadata["languages"], found)
    metadata.update(_date_line(values))
    tree = _read_tree(config, found)
    styles = (tuple(values["numbering"]), _read_heading_formats(config, values, found))
    sections = _place_sections(tree, files, styles, found)
    metadata["regimes"] = _read_ids(config, "regimes", found.paths.notice_file, found)
    if any(p.severity is Severity.ERROR for p in found.problems):
        return None, found.problems
    notice = Notice(
        root=source.folder if isinstance(source, WorkingTree) else Path("."),
        document=source.document,
        sections=sections,
        macros=macros,
        metadata_lines=dict(config.lines),
        **metadata,
    )
    return notice, found.problems


def hidden_in_texts(texts: Iterable[tuple[str, str]]) -> list[Problem]:
    """Hidden characters in (path, text) pairs: bodies and macros, in their files' lines."""
    return [problem for path, text in texts for problem in hidden_characters(path, text)]


def _read_config(source: NoticeSource, found: _Collector) -> LineDict | None:
    """notice.yml when it is readable and fits the schema; else None, its problems reported."""
    path = found.paths.notice_file
    config = _read_yaml(source, path, found)
    if config is None:
        return None
    problems = schema_problems(config, path)
    if not problems:
        problems = _placed_keys(config, found.paths)
    found.problems.extend(problems)
    return None if problems else config


def _read_yaml(source: NoticeSource, path: str, found: _Collector) -> LineDict | None:
    try:
        return load_yaml(source.read_text(path), path)
    except SourceReadError as exc:
        found.error(exc.path, None, f"{exc.args[0].split(': ', 1)[-1]}; is this a notice folder?")
    except YamlProblem as exc:
        found.problems.append(exc.problem)
    return None


def _placed_keys(config: LineDict, paths: DocumentPaths) -> list[Problem]:
    """documents: belongs to the root notice.yml, overrides: to a document's."""
    if paths.shared_notice_file is None:
        problems = documents_list_problems(config, paths.notice_file)
        misplaced = "overrides"
        advice = "only a document under documents/ overrides the root's variables"
    else:
        problems, misplaced = [], "documents"
        advice = "documents are listed in the root notice.yml only"
    if misplaced in config:
        line = line_of(config, misplaced)
        problems.append(Problem(paths.notice_file, line, f"{misplaced}: {advice}: remove it"))
    return problems


def _read_shared(source: NoticeSource, found: _Collector) -> LineDict | None:
    """A document's shared settings: the root notice.yml (its variables); None for the root."""
    path = found.paths.shared_notice_file
    if path is None:
        return None
    shared = _read_yaml(source, path, found)
    if not isinstance(shared, LineDict):
        return LineDict()
    variables = shared.get("variables")
    if variables is not None and not isinstance(variables, dict):
        found.error(path, line_of(shared, "variables"), "variables: must be a mapping")
        return LineDict()
    return shared


def _share_macros(
    source: NoticeSource, own: tuple[MacroFile, ...], config: LineDict, found: _Collector
) -> tuple[MacroFile, ...]:
    """The shared macros/ of the root with the document's own (config: its notice.yml)."""
    shared_dir = cast(str, found.paths.shared_macros_dir)
    macros, problems = merge_macros(
        _read_macros(source, shared_dir, found), own, config, found.paths
    )
    found.problems += problems
    return macros


def _read_metadata(config: LineDict, values: dict[str, Any], found: _Collector) -> dict[str, Any]:
    """Notice fields from notice.yml's keys of the same name; dates checked against each other."""
    metadata = {
        key: tuple(values[key]) if isinstance(values[key], list) else values[key]
        for key in NOTICE_KEYS
        if key in values
    }
    last_updated = _parse_date(config, "last_updated", found)
    effective = _parse_date(config, "effective", found) if "effective" in config else last_updated
    if effective and last_updated and effective < last_updated:
        found.error(
            found.paths.notice_file,
            line_of(config, "effective"),
            "effective: cannot be earlier than last_updated",
        )
    metadata.update(
        title=values["title"].strip(),
        company=values["company"].strip(),
        summary=" ".join(values["summary"].split()),
        last_updated=last_updated or date(1900, 1, 1),
        effective=effective or last_updated or date(1900, 1, 1),
    )
    return metadata


def _parse_date(config: LineDict, key: str, found: _Collector) -> date | None:
    """The date under key (the schema has checked its YYYY-MM-DD form), or a problem."""
    value, line = config[key], line_of(config, key)
    try:
        parsed = date.fromisoformat(value)
    except ValueError as exc:
        reason = date_mistake(value) or str(exc)
        found.error(
            found.paths.notice_file, line, f"{key}: {value!r} is not a valid date: {reason}"
        )
        return None
    if not 1900 <= parsed.year <= 2999:
        found.error(
            found.paths.notice_file, line, f"{key}: {value!r} is out of range (years 1900 to 2999)"
        )
        return None
    return parsed


def _date_line(values: dict[str, Any]) -> dict[str, str]:
    """date_line: {text: 'Effective date: {date}', position: top|end|none} (the schema checked
    its shape); as Notice fields date_line (the wording) and date_line_position."""
    line = {**defaults()["date_line"], **values["date_line"]}
    return {"date_line": line["text"], "date_line_position": line["position"]}


def _read_heading_formats(
    config: LineDict, values: dict[str, Any], found: _Collector
) -> tuple[str, ...]:
    """heading_format: one pattern for every level, or a list of patterns per level."""
    value = values["heading_format"]
    patterns = value if isinstance(value, list) else [value]
    for index, pattern in enumerate(patterns):
        problem = heading_format_problem(pattern)
        if problem:
            line = line_of(patterns, index, line_of(config, "heading_format"))
            found.error(found.paths.notice_file, line, f"heading_format: {pattern!r} {problem}")
            return (DEFAULT_HEADING_FORMAT,)
    return tuple(patterns)


def _read_ids(mapping: LineDict, key: str, path: str, found: _Collector) -> tuple[Mention, ...]:
    """regimes: / covers: a list of ids, each kept with its line (the catalogue judges them)."""
    value = mapping.get(key)
    if value is None:  # absent, or an empty `covers:`
        return ()
    if not isinstance(value, list):
        found.error(path, line_of(mapping, key), f"{key}: must be a list of ids, e.g. [us-cpni]")
        return ()
    mentions = []
    for index, item in enumerate(value):
        line = line_of(value, index, line_of(mapping, key))
        if isinstance(item, str) and item.strip():
            mentions.append(Mention(item.strip(), line))
        else:
            found.error(path, line, f"{key}: {item!r} is not an id")
    return tuple(mentions)


def _read_tree(config: LineDict, found: _Collector) -> list[_TreeEntry]:
    entries: list[_TreeEntry] = []
    _walk_tree(config["sections"], 1, None, entries, found)
    return entries


def _walk_tree(
    items: LineList, level: int, parent: str | None, out: list[_TreeEntry], found: _Collector
) -> None:
    for index, item in enumerate(items):
        line = line_of(items, index)
        section_id, children = (
            (item["id"], item.get("sections")) if isinstance(item, dict) else (item, None)
        )
        if len(out) >= MAX_SECTIONS:
            found.error(
                found.paths.notice_file, line, f"sections: more than {MAX_SECTIONS} sections"
            )
            return
        out.append(_TreeEntry(section_id, level, parent, line))
        if children:
            _walk_tree(children, level + 1, section_id, out, found)


def split_front_matter(text: str, path: str) -> tuple[LineDict | None, str, list[Problem]]:
    """The front matter, the body (keeping its file line numbers) and any problem: the one
    front-matter reader, for sections and translations."""
    found = _Collector()
    meta, body = _split_front_matter(text, path, found)
    return meta, body, found.problems


def _split_front_matter(text: str, path: str, found: _Collector) -> tuple[LineDict | None, str]:
    """Split '---' YAML front matter from the body; the body keeps its file line numbers."""
    fenced = split_fenced(text)
    if not fenced.opened:
        found.error(path, 1, "missing front matter: start the file with '---', id:, title:, '---'")
        return None, text
    if fenced.yaml is None:
        found.error(path, 1, "front matter is not closed: add a line '---' after title:")
        return None, text
    try:
        meta = load_yaml(fenced.yaml, path, line_offset=1)
    except YamlProblem as exc:
        found.problems.append(exc.problem)
        return None, text
    body = fenced.body
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
    covers = _read_ids(meta, "covers", path, found)
    unknown = set(meta) - {"id", "title", "heading", "numbered", "covers"}
    for key in sorted(unknown, key=str):
        found.error(path, line_of(meta, key), f"unknown front matter key {key!r}")
        ok = False
    if not ok:
        return None
    return _SectionFile(
        path=path,
        id=cast(str, section_id),  # both checked above
        title=" ".join(cast(str, title).split()),
        body=body,
        show_heading=flags["heading"],
        numbered=flags["numbered"],
        id_line=line_of(meta, "id", 2) or 2,
        covers=covers,
    )


def _check_file_name(path: str, suffix: str, found: _Collector) -> None:
    problem = file_name_problem(path, suffix)
    if problem is not None:
        found.problems.append(problem)


def file_name_problem(path: str, suffix: str) -> Problem | None:
    """A file name other than lowercase letters, digits and hyphens, refused naming the rename."""
    folder, name = path.rsplit("/", 1)
    if FILE_NAMES[suffix].match(name):
        return None
    stem = re.sub(r"[^a-z0-9]+", "-", name.removesuffix(suffix).lower()).strip("-") or "renamed"
    return Problem(
        path,
        None,
        "a file name may hold only lowercase letters, digits and hyphens: "
        f"rename it to {folder}/{stem}{suffix}",
    )


def _read_section_files(source: NoticeSource, found: _Collector) -> dict[str, _SectionFile]:
    paths = source.list_files(found.paths.sections_dir, SECTION_SUFFIX)
    if not paths:
        found.error(found.paths.sections_dir, None, "no section files (*.md) found")
    by_id: dict[str, _SectionFile] = {}
    for path in paths:
        _check_file_name(path, SECTION_SUFFIX, found)
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


def _read_macros(source: NoticeSource, folder: str, found: _Collector) -> tuple[MacroFile, ...]:
    macros = []
    for path in source.list_files(folder, MACRO_SUFFIX):
        _check_file_name(path, MACRO_SUFFIX, found)
        named = FILE_NAMES[MACRO_SUFFIX].match(path.rsplit("/", 1)[-1])
        name, lang = (f"{named['stem']}{MACRO_SUFFIX}", named["lang"] or "") if named else ("", "")
        try:
            text = source.read_text(path)
        except SourceReadError as exc:
            found.error(exc.path, None, exc.args[0].split(": ", 1)[-1])
            continue
        macros.append(MacroFile(name or path.rsplit("/", 1)[-1], path, text, lang))
    return tuple(macros)


def _check_macro_languages(
    macros: tuple[MacroFile, ...], languages: tuple[str, ...], found: _Collector
) -> None:
    """A macro body in a language (macros/<name>.<lang>.j2) is for a translated language."""
    translated = [lang.lower() for lang in languages[1:]]
    for macro in macros:
        if macro.lang and macro.lang not in translated:
            listed = ", ".join(languages)
            found.error(
                macro.path,
                None,
                f"language {macro.lang!r} is not a translated language (languages: [{listed}]):"
                f" add it to {found.paths.notice_file} or rename the file",
            )


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
            found.error(
                found.paths.notice_file, entry.line, f"sections: {entry.id!r} is listed twice"
            )
            continue
        seen.add(entry.id)
        source = files.get(entry.id)
        if source is None and entry.id in found.unreadable_sections:
            continue  # its file was found but could not be read: already reported
        if source is None:
            found.error(
                found.paths.notice_file,
                entry.line,
                f"sections: no file in {found.paths.sections_dir}/ has id {entry.id!r}; "
                f"create {found.paths.sections_dir}/{entry.id}{SECTION_SUFFIX}"
                " or remove it from the tree",
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
                covers=source.covers,
            )
        )
    for section_id, source in sorted(files.items()):
        if section_id not in seen:
            found.error(
                source.path,
                source.id_line,
                f"section {section_id!r} is not in the sections tree of "
                f"{found.paths.notice_file}: add it",
            )
    return tuple(sections)
