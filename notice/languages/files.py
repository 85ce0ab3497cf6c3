"""Translation files: translations/<lang>/<section id>.md, and translations/<lang>/notice.yml for
the notice's title; read from any source, written here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import yaml

from notice.controls import hidden_characters
from notice.errors import Problem, Severity, SourceError, UsageError
from notice.files import write_atomic
from notice.layout import ROOT_PATHS, DocumentPaths
from notice.model import Notice, RenderedNotice
from notice.render.texthash import section_text_sha256, title_sha256
from notice.source.load import SECTION_SUFFIX, file_name_problem, split_front_matter
from notice.source.worktree import NoticeSource, SourceReadError, WorkingTree
from notice.source.yamlio import LineDict, YamlProblem, line_of, load_yaml

UNTRANSLATED = "untranslated"
TITLE_FILE = "notice.yml"  # translations/<lang>/notice.yml: the notice's title in lang
KEYS = ("title", "source_sha256", "status")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class TranslationFile:
    """One section's translation as found in translations/<lang>/ (or the title's: no section
    id, no body)."""

    lang: str
    section_id: str  # "" for the notice's title
    path: str
    title: str
    source_sha256: str  # the canonical-text hash of the source section it translates
    translated: bool  # False while front matter says `status: untranslated`
    body: str  # a Jinja2 template, front matter replaced by blank lines
    line: int  # the line of source_sha256, for messages


def translation_path(lang: str, section_id: str, paths: DocumentPaths = ROOT_PATHS) -> str:
    """Where a section's translation lives, relative to the project root."""
    return f"{paths.translations_dir}/{lang}/{section_id}{SECTION_SUFFIX}"


def title_path(lang: str, paths: DocumentPaths = ROOT_PATHS) -> str:
    """Where the notice's translated title lives, relative to the project root."""
    return f"{paths.translations_dir}/{lang}/{TITLE_FILE}"


def read_title(source: NoticeSource, lang: str) -> tuple[TranslationFile | None, list[Problem]]:
    """The notice's title in lang from translations/<lang>/notice.yml (None when there is none
    or it is wrong), and the problems of that file."""
    path = title_path(lang, source.paths)
    if not source.exists(path):
        return None, []
    problems: list[Problem] = []
    try:
        meta = load_yaml(source.read_text(path), path)
    except SourceReadError as exc:
        return None, [Problem(exc.path, None, exc.args[0].split(": ", 1)[-1])]
    except YamlProblem as exc:
        return None, [exc.problem]
    if not isinstance(meta, LineDict):
        return None, [Problem(path, 1, "must be a mapping with title: and source_sha256:")]
    return _translation(meta, path, lang, "", "", problems), problems


def read_translations(
    source: NoticeSource, notice: Notice, lang: str
) -> tuple[dict[str, TranslationFile], list[Problem]]:
    """The translation files of lang, by section id, and the problems of those that are wrong."""
    found: dict[str, TranslationFile] = {}
    problems: list[Problem] = []
    ids = {section.id for section in notice.sections}
    for path in source.list_files(f"{source.paths.translations_dir}/{lang}", SECTION_SUFFIX):
        wrong_name = file_name_problem(path, SECTION_SUFFIX)
        if wrong_name is not None:  # names reach URLs and log lines, as sections' do
            problems.append(wrong_name)
            continue
        section_id = path.rsplit("/", 1)[-1].removesuffix(SECTION_SUFFIX)
        if section_id not in ids:
            message = f"no section {section_id!r} in the notice: remove this translation"
            problems.append(Problem(path, None, message, Severity.WARNING))
            continue
        translation = _read_file(source, path, lang, section_id, problems)
        if translation is not None:
            found[section_id] = translation
    return found, problems


def _read_file(
    source: NoticeSource, path: str, lang: str, section_id: str, problems: list[Problem]
) -> TranslationFile | None:
    try:
        text = source.read_text(path)
    except SourceReadError as exc:
        problems.append(Problem(exc.path, None, exc.args[0].split(": ", 1)[-1]))
        return None
    meta, body, found = split_front_matter(text, path)
    problems += found
    if meta is None:
        return None
    problems += hidden_characters(path, body)  # the front matter is YAML's to check
    return _translation(meta, path, lang, section_id, body, problems)


def _translation(
    meta: LineDict, path: str, lang: str, section_id: str, body: str, problems: list[Problem]
) -> TranslationFile | None:
    """The translation the keys of meta describe, or None after recording what is wrong."""
    wrong = len(problems)
    title, sha, status = (meta.get(key) for key in KEYS)
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(path, line_of(meta, "title", 2), "title: the translated title"))
    if not isinstance(sha, str) or not _SHA256.match(sha):
        message = f"source_sha256: written by `notice translate {lang}`; restore it from git"
        problems.append(Problem(path, line_of(meta, "source_sha256", 2), message))
    if status not in (None, UNTRANSLATED):
        message = f"status: only '{UNTRANSLATED}' (remove the line once translated)"
        problems.append(Problem(path, line_of(meta, "status"), message))
    for key in sorted(set(meta) - set(KEYS), key=str):
        problems.append(Problem(path, line_of(meta, key), f"unknown front matter key {key!r}"))
    if len(problems) > wrong:
        return None
    return TranslationFile(
        lang=lang,
        section_id=section_id,
        path=path,
        title=" ".join(cast(str, title).split()),  # both checked above
        source_sha256=cast(str, sha),
        translated=status is None,
        body=body,
        line=line_of(meta, "source_sha256", 2) or 2,
    )


def translation_text(title: str, source_sha256: str, body: str, translated: bool) -> str:
    """A translation file's text: front matter written by the toolkit, then the body."""
    return f"---\n{_keys_text(title, source_sha256, translated)}---\n{body.lstrip(chr(10))}"


def title_text(title: str, source_sha256: str, translated: bool) -> str:
    """translations/<lang>/notice.yml's text: the title's keys alone."""
    return _keys_text(title, source_sha256, translated)


def _keys_text(title: str, source_sha256: str, translated: bool) -> str:
    meta = {"title": title, "source_sha256": source_sha256}
    if not translated:
        meta["status"] = UNTRANSLATED
    keys = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    note = (
        f"# Translate the title (and the text below), keep {{{{ variables }}}} and macros as they"
        f" are, then remove the line 'status: {UNTRANSLATED}'. source_sha256 is the toolkit's.\n"
    )
    return f"{note if not translated else ''}{keys}"


def write_missing(root: Path, rendered: RenderedNotice, lang: str) -> list[str]:
    """Write a file for each section lang lacks, the source text as its body, marked
    untranslated; an untranslated file whose source changed is refreshed; a translated file is
    never touched. Returns the paths written."""
    source = WorkingTree(root)
    existing, _ = read_translations(source, rendered.notice, lang)
    project = source.root  # paths are the project's
    written = []
    for section, shown in zip(rendered.notice.sections, rendered.sections, strict=True):
        path = translation_path(lang, section.id, source.paths)
        sha = section_text_sha256(shown)
        current = existing.get(section.id)
        if (project / path).exists() and (current is None or current.translated):
            continue  # translated, or broken: a person's work, never overwritten
        if current is not None and current.source_sha256 == sha:
            continue
        target = project / path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, translation_text(section.title, sha, section.body, False).encode())
        written.append(path)
    return written + _write_title(root, rendered, lang)


def _write_title(root: Path, rendered: RenderedNotice, lang: str) -> list[str]:
    """translations/<lang>/notice.yml with the source title, as for a section's file."""
    source = WorkingTree(root)
    path, title = title_path(lang, source.paths), rendered.notice.title
    current, _ = read_title(source, lang)
    root = source.root
    if (root / path).exists() and (current is None or current.translated):
        return []
    if current is not None and current.source_sha256 == title_sha256(title):
        return []
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, title_text(title, title_sha256(title), False).encode())
    return [path]


def mark_current(root: Path, rendered: RenderedNotice, lang: str, section_id: str) -> str:
    """Record that a translation now follows the source text as it is: its source_sha256 set
    to the section's hash now (the title's, for section_id 'notice.yml'), the rest of the file
    as the translator left it."""
    paths = rendered.notice.paths
    if section_id == TITLE_FILE:
        path, sha = title_path(lang, paths), title_sha256(rendered.notice.title)
    elif section_id in {s.id for s in rendered.sections}:
        path, sha = (
            translation_path(lang, section_id, paths),
            section_text_sha256(rendered.section(section_id)),
        )
    else:
        raise UsageError(f"no section {section_id!r} in the notice")
    target = WorkingTree(root).root / path
    if not target.is_file():
        raise UsageError(f"{path} does not exist: run `notice translate {lang}` first")
    text = target.read_text(encoding="utf-8")
    updated, count = re.subn(r"(?m)^source_sha256:.*$", f"source_sha256: {sha}", text, count=1)
    if count != 1:
        raise SourceError([Problem(path, None, "source_sha256: missing from the front matter")])
    write_atomic(target, updated.encode("utf-8"))
    return path
