"""The notice in each translated language: a page at <lang>/, its PDF, its banner, and the
language switcher (material's own `extra.alternate`), all from the translations' renderings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import material
from markupsafe import Markup

from notice.archive.store import Archive
from notice.errors import NoticeError
from notice.languages.overlay import render_language, translations_of
from notice.model import RenderedNotice
from notice.render.localise import language_name, phrase
from notice.render.rendering import notice_date
from notice.source.worktree import WorkingTree
from notice.translate.followed import followed_sources
from notice.translate.status import LanguageState, State, translation_states

from .spec import Download, Linker, PageSpec, human_size, section_toc, templates


@dataclass(frozen=True)
class Translation:
    """One translated language as the site shows it."""

    lang: str
    rendered: RenderedNotice
    state: LanguageState
    follows: date | None  # the source version the oldest stale section follows; None if unknown
    released_alone: date | None = None  # the day its text of this version was released on its own


def page_uri(lang: str, source_lang: str) -> str:
    """The notice page of a language: index.md for the source, <lang>/index.md for the others."""
    return "index.md" if lang == source_lang else f"{lang}/index.md"


def read_translations(root: Path, rendered: RenderedNotice) -> list[Translation]:
    """Render every translated language and find where each stands against the source."""
    states, _ = translation_states(WorkingTree(root), rendered)
    alone = _released_alone(root, rendered.notice.last_updated)
    result = []
    for language in states:
        in_lang = render_language(WorkingTree(root), rendered, language.lang)
        follows: date | None = rendered.notice.last_updated
        if language.having(State.STALE):
            found = followed_sources(root, rendered, language)
            days = [f.last_updated for f in found.values()]
            follows = min(days) if len(days) == len(language.having(State.STALE)) else None
        released = alone.get(language.lang)
        result.append(Translation(language.lang, in_lang, language, follows, released))
    return result


def _released_alone(root: Path, version: date) -> dict[str, date]:
    """The languages of version released on their own (`notice release --lang`), by day."""
    try:
        entries = Archive(root).entries()
    except NoticeError:
        return {}  # the ledger's problems are check's and verify's to report
    return {
        e.lang: date.fromisoformat(e.released[:10])
        for e in entries
        if e.lang and e.version == version
    }


def alternates(rendered: RenderedNotice) -> list[dict[str, str]]:
    """material's language switcher: each language by its own name, linking to its page."""
    source = rendered.notice.source_language
    return [
        {"name": language_name(lang), "lang": lang, "link": "./" if lang == source else f"{lang}/"}
        for lang in rendered.notice.languages
    ]


def banner_lines(translation: Translation, source_lang: str) -> list[str]:
    """What the banner of a translation says, in its own language: released on its own, partial,
    stale."""
    lang, state = translation.lang, translation.state
    alone, notice = translation.released_alone, translation.rendered.notice
    lines = [phrase(lang, "released_alone", date=notice_date(notice, alone))] if alone else []
    if state.complete:
        return lines
    source = language_name(source_lang, lang)
    when = translation.follows
    day = notice_date(translation.rendered.notice, when) if when else "?"
    lines.append(phrase(lang, "follows", date=day, source=source))
    if state.having(State.UNTRANSLATED):
        lines.append(phrase(lang, "untranslated", source=source))
    stale = state.having(State.STALE)
    if stale:
        sections = ", ".join(translation.rendered.section(s.section_id).heading for s in stale)
        lines.append(phrase(lang, "stale", source=source, sections=sections))
    return lines


def language_links(rendered: RenderedNotice, here: str, link: Linker) -> dict[str, object]:
    """'Read this notice in: English · français', linking each other language's page."""
    source = rendered.notice.source_language
    others = [
        {"href": link(page_uri(lang, source)), "lang": lang, "name": language_name(lang)}
        for lang in rendered.notice.languages
        if lang != here
    ]
    return {"label": phrase(here, "read_in"), "items": others}


def translation_page(
    source: RenderedNotice, translation: Translation, pdf: Download
) -> Iterable[PageSpec]:
    """The notice page of one translated language, with its banner and PDF."""
    rendered = translation.rendered
    notice = rendered.notice
    toc = section_toc(rendered)
    lines = banner_lines(translation, source.notice.source_language)

    def body(link: Linker) -> str:
        label = phrase(translation.lang, "last_updated", date="").strip()
        return (
            templates()
            .get_template("notice.html")
            .render(
                notice=notice,
                body=Markup(rendered.html),
                last_updated=notice_date(notice, notice.last_updated),
                effective=notice_date(notice, notice.effective),
                date_label=label,
                banner=None,
                translation_banner=lines,
                languages=language_links(source, translation.lang, link),
                pdf={
                    "href": link(pdf.src_uri),
                    "pages": pdf.pages,
                    "size": human_size(pdf.size),
                    "sha256": None,
                },
                links=[],
                preview=None,
                preview_html="",
            )
        )

    yield PageSpec(
        src_uri=page_uri(translation.lang, source.notice.source_language),
        title=notice.title,
        body=body,
        toc=toc,
        description=notice.summary,
        downloads=(pdf,),
        in_nav=False,  # reached through the language switcher and the links on each page
    )


def translated(rendered: RenderedNotice) -> bool:
    """True when the notice has languages besides its source."""
    return bool(translations_of(rendered.notice))


def search_languages(languages: Iterable[str]) -> list[str]:
    """The languages material's search can stem (it ships lunr.<lang>.min.js); others are
    searched without stemming, in the one index the site has."""
    lunr = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "lunr" / "min"
    found = [lang.split("-")[0] for lang in languages]
    return [
        lang
        for lang in dict.fromkeys(found)
        if lang == "en" or (lunr / f"lunr.{lang}.min.js").is_file()
    ]
