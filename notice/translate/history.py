"""The versions of a translation: each version of the notice from git history, rendered in a
language from the translation files of that version's commit, with where they stood then."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notice.errors import Problem, SourceError
from notice.languages.files import read_title, read_translations
from notice.languages.overlay import check_language, render_language
from notice.model import RenderedNotice
from notice.progress import Progress, no_progress
from notice.source.gittree import GitTree, open_repository
from notice.translate.status import LanguageState, State, language_state
from notice.versions.history import Version, at_commit, read_history


@dataclass(frozen=True)
class TranslatedVersion:
    """One version of the notice in one language; rendered and state are None when the language
    is not one of that version's languages (its translation had not begun)."""

    version: Version
    rendered: RenderedNotice | None
    state: LanguageState | None


@dataclass(frozen=True)
class TranslationHistory:
    """The versions of lang, oldest first, and what had to be skipped (as warnings)."""

    lang: str
    versions: tuple[TranslatedVersion, ...]
    skipped: tuple[Problem, ...]


def translation_history(
    root: Path, lang: str, progress: Progress = no_progress
) -> TranslationHistory:
    """Every version of the notice in lang, each from the translations at the version's commit."""
    history = read_history(root, progress=progress)
    # a language that no version lists is a mistake, refused as everywhere else
    if history.versions and all(lang not in v.rendered.notice.languages for v in history.versions):
        check_language(history.versions[-1].rendered.notice, lang)
    notice_repo = open_repository(root, full_history=False)
    skipped = list(history.skipped)
    found = []
    for version in history.versions:
        commit = notice_repo.repo.commit(version.last_commit)
        tree = GitTree(commit, notice_repo.prefix)
        try:
            found.append(_in_language(tree, version, lang))
        except SourceError as exc:
            skipped += at_commit(exc.problems, commit)
    return TranslationHistory(lang, tuple(found), tuple(skipped))


def _in_language(tree: GitTree, version: Version, lang: str) -> TranslatedVersion:
    rendered = version.rendered
    if lang not in rendered.notice.languages:
        return TranslatedVersion(version, None, None)
    in_lang = render_language(tree, rendered, lang)
    translations, _ = read_translations(tree, rendered.notice, lang)
    title, _ = read_title(tree, lang)
    state = language_state(rendered, translations, lang, title)
    return TranslatedVersion(version, in_lang, state)


def counts(state: LanguageState) -> dict[str, int]:
    """How many sections are current, stale and untranslated."""
    return {str(s): len(state.having(s)) for s in State}


def history_lines(history: TranslationHistory) -> list[str]:
    """A line per version: date, commit, the counts, the title in the language."""
    lines = []
    for item in history.versions:
        version = item.version
        head = f"{version.last_updated}  {version.last_commit[:10]}  {history.lang}:"
        if item.state is None or item.rendered is None:
            lines.append(f"{head} not a language of this version")
            continue
        shown = ", ".join(f"{n} {state}" for state, n in counts(item.state).items())
        if item.state.title is not None:
            shown += f"; title {item.state.title.state}"
        lines.append(f"{head} {shown}  {item.rendered.notice.title}")
    return lines


def history_record(history: TranslationHistory) -> list[dict[str, Any]]:
    """The versions of the translation as JSON-ready data."""
    record = []
    for item in history.versions:
        version = item.version
        entry: dict[str, Any] = {
            "last_updated": version.last_updated.isoformat(),
            "commit": version.last_commit,
            "lang": history.lang,
            "translated": item.state is not None,
        }
        if item.state is not None and item.rendered is not None:
            entry["title"] = item.rendered.notice.title
            entry["fingerprint"] = item.rendered.fingerprint
            entry["counts"] = counts(item.state)
            entry["title_state"] = str(item.state.title.state) if item.state.title else None
            entry["complete"] = item.state.complete
            entry["sections"] = {s.section_id: str(s.state) for s in item.state.sections}
        record.append(entry)
    return record
