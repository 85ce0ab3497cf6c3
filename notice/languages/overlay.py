"""A translation as another rendering of the notice: the source notice, translated sections laid
over it (title and body), numbering and order unchanged, untranslated sections kept in the source
language and marked so; then the one render() of the toolkit."""

from __future__ import annotations

from dataclasses import replace

from notice.errors import Problem, SourceError, errors_only
from notice.languages.files import TranslationFile, read_title, read_translations
from notice.model import Notice, RenderedNotice
from notice.render.rendering import render
from notice.source.worktree import NoticeSource


class UnknownLanguage(SourceError):
    """A language asked for is not one of notice.yml's languages."""


def translated_notice(
    notice: Notice,
    translations: dict[str, TranslationFile],
    lang: str,
    title: TranslationFile | None = None,
) -> Notice:
    """The notice in lang: each translated section's title and body in place of the source's,
    and the translated title of the notice when there is one (else the source's)."""
    sections = []
    for section in notice.sections:
        found = translations.get(section.id)
        if found is not None and found.translated:
            sections.append(replace(section, title=found.title, body=found.body, path=found.path))
        else:
            sections.append(replace(section, lang=notice.source_language))
    if title is not None and title.translated:
        notice = replace(notice, title=title.title, source_title=notice.title)
    return replace(notice, lang=lang, sections=tuple(sections))


def check_language(notice: Notice, lang: str) -> None:
    """Refuse a language that notice.yml does not list."""
    if lang not in notice.languages:
        listed = ", ".join(notice.languages)
        message = f"language {lang!r} is not in languages: [{listed}]: add it there first"
        line = notice.metadata_lines.get("languages")
        raise UnknownLanguage([Problem(notice.paths.notice_file, line, message)])


def render_language(source: NoticeSource, rendered: RenderedNotice, lang: str) -> RenderedNotice:
    """The notice rendered in lang (the source rendering itself for the source language)."""
    notice = rendered.notice
    check_language(notice, lang)
    if lang == notice.source_language:
        return rendered
    translations, problems = read_translations(source, notice, lang)
    title, found = read_title(source, lang)
    errors = errors_only(problems + found)
    if errors:
        raise SourceError(errors)
    return render(translated_notice(notice, translations, lang, title))


def translations_of(notice: Notice) -> tuple[str, ...]:
    """The languages translated from the source (every language but the first)."""
    return tuple(notice.languages[1:])
