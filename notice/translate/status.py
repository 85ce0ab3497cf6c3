"""Where each translation stands, section by section: current, stale or untranslated (what a
stale one follows, from git history, is followed.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from notice.errors import Problem, Severity, SourceError, errors_only
from notice.languages.files import (
    TranslationFile,
    read_title,
    read_translations,
    title_path,
    title_sha256,
    translation_path,
)
from notice.languages.overlay import render_language, translations_of
from notice.layout import ROOT_DOCUMENT
from notice.model import RenderedNotice
from notice.render.localise import language_name
from notice.render.texthash import section_text_sha256
from notice.source.worktree import NoticeSource


class State(StrEnum):
    CURRENT = "current"
    STALE = "stale"
    UNTRANSLATED = "untranslated"


@dataclass(frozen=True)
class SectionState:
    """One section in one language (or the notice's title: no section id)."""

    section_id: str
    heading: str  # the source's heading, e.g. 'I. Introduction'
    path: str  # translations/<lang>/<id>.md
    state: State
    line: int | None  # the line of source_sha256 in the translation file
    source_sha256: str  # the source section's hash now
    translated_sha256: str  # the hash the translation records ("" when there is no file)


@dataclass(frozen=True)
class LanguageState:
    """One language's sections, in the notice's order, and its title."""

    lang: str
    sections: tuple[SectionState, ...]
    title: SectionState | None = None  # the notice's title (translations/<lang>/notice.yml)

    def having(self, state: State) -> tuple[SectionState, ...]:
        """The sections in this state (the title is not a section)."""
        return tuple(s for s in self.sections if s.state is state)

    @property
    def complete(self) -> bool:
        """Every section and the title translated from the source text as it is now."""
        parts = (*self.sections, *((self.title,) if self.title else ()))
        return all(s.state is State.CURRENT for s in parts)


def language_state(
    rendered: RenderedNotice,
    translations: dict[str, TranslationFile],
    lang: str,
    title: TranslationFile | None = None,
) -> LanguageState:
    """Compare each translation's recorded hash with the source section's (or title's) now."""
    sections = tuple(
        _state(
            translations.get(section.id),
            section.id,
            section.heading,
            translation_path(lang, section.id, rendered.notice.paths),
            section_text_sha256(section),
        )
        for section in rendered.sections
    )
    source_title = rendered.notice.title
    heading = f"title: {source_title}"
    named = _state(
        title, "", heading, title_path(lang, rendered.notice.paths), title_sha256(source_title)
    )
    return LanguageState(lang, sections, named)


def _state(
    found: TranslationFile | None, section_id: str, heading: str, path: str, sha: str
) -> SectionState:
    if found is None or not found.translated:
        state = State.UNTRANSLATED
    else:
        state = State.CURRENT if found.source_sha256 == sha else State.STALE
    return SectionState(
        section_id=section_id,
        heading=heading,
        path=path,
        state=state,
        line=found.line if found else None,
        source_sha256=sha,
        translated_sha256=found.source_sha256 if found else "",
    )


def translation_states(
    source: NoticeSource, rendered: RenderedNotice
) -> tuple[list[LanguageState], list[Problem]]:
    """Every translated language's state, and the problems of its files."""
    states, problems = [], []
    for lang in translations_of(rendered.notice):
        translations, found = read_translations(source, rendered.notice, lang)
        title, wrong = read_title(source, lang)
        problems += found + wrong
        states.append(language_state(rendered, translations, lang, title))
    return states, problems + _unlisted_requirements(rendered)


def _unlisted_requirements(rendered: RenderedNotice) -> list[Problem]:
    notice = rendered.notice
    line = notice.metadata_lines.get("require_complete")
    return [
        Problem(notice.paths.notice_file, line, f"require_complete: {lang!r} is not in languages:")
        for lang in notice.require_complete
        if lang not in translations_of(notice)
    ]


def check_translations(source: NoticeSource, rendered: RenderedNotice) -> list[Problem]:
    """What `notice check` says about translations: broken files and templates (errors),
    stale and untranslated sections (warnings)."""
    if not translations_of(rendered.notice):
        return []
    states, problems = translation_states(source, rendered)
    if errors_only(problems):
        return problems
    for lang in translations_of(rendered.notice):
        try:
            render_language(source, rendered, lang)
        except SourceError as exc:
            problems += exc.problems
    notice = rendered.notice
    return problems + translation_problems(states, notice.source_language, notice.document)


def translation_problems(
    states: list[LanguageState], source_lang: str, document: str = ROOT_DOCUMENT
) -> list[Problem]:
    """Warnings for `notice check`: each stale or untranslated section, naming its file."""
    source = language_name(source_lang, "en")
    which = "" if document == ROOT_DOCUMENT else f" --document {document}"
    problems = []
    for language in states:
        for section in language.having(State.STALE):
            message = (
                f"stale: the {source} section {section.section_id!r} changed since this "
                f"translation; see `notice translations{which}` for what to redo"
            )
            problems.append(Problem(section.path, section.line, message, Severity.WARNING))
        for section in language.having(State.UNTRANSLATED):
            message = (
                f"untranslated: run `notice translate {language.lang}{which}` and translate it"
            )
            problems.append(Problem(section.path, None, message, Severity.WARNING))
        problems += _title_problems(language, source, which)
    return problems


def _title_problems(language: LanguageState, source: str, which: str) -> list[Problem]:
    title = language.title
    if title is None or title.state is State.CURRENT:
        return []
    message = (
        f"untranslated title: the {source} title is shown; run `notice translate "
        f"{language.lang}{which}` and translate it"
        if title.state is State.UNTRANSLATED
        else f"stale title: the {source} title changed since; translate it, then "
        f"`notice translate {language.lang}{which} --updated notice.yml`"
    )
    return [Problem(title.path, title.line, message, Severity.WARNING)]


def incomplete_required(states: list[LanguageState], required: tuple[str, ...]) -> list[str]:
    """Lines saying which required language is incomplete or stale, and where."""
    lines = []
    for language in states:
        if language.lang in required and not language.complete:
            stale, missing = language.having(State.STALE), language.having(State.UNTRANSLATED)
            example = (stale or missing or (language.title,))[0]
            lines.append(
                f"translation {language.lang!r} is required complete (require_complete) but has "
                f"{len(stale)} stale and {len(missing)} untranslated section(s), e.g. "
                + (example.path if example else "its title")
            )
    return lines
