"""For a stale translation, the source version it follows (found in git history by its hash)
and what changed in the source since."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from notice.errors import NoticeError, SourceError
from notice.model import RenderedNotice, RenderedSection
from notice.render.texthash import section_text_sha256
from notice.source.gittree import GitTree, open_repository
from notice.translate.status import LanguageState, State
from notice.versions.history import RenderCache, notice_commits
from notice.versions.redline import Redline, SectionRedline, word_ops


@dataclass(frozen=True)
class Followed:
    """The source text a stale translation follows: its version date, commit, and the change."""

    last_updated: date
    commit: str
    redline: Redline


def followed_sources(
    root: Path, rendered: RenderedNotice, language: LanguageState
) -> dict[str, Followed]:
    """For each stale section, the newest commit whose source section had the recorded hash,
    and the redline of that section from then to now. Sections not found are left out (a
    hash from elsewhere, or no git history here)."""
    wanted = {s.section_id: s.translated_sha256 for s in language.having(State.STALE)}
    if not wanted:
        return {}
    try:
        notice_repo = open_repository(root, full_history=False)
        commits = notice_commits(notice_repo)
    except NoticeError:
        return {}
    cache, found = RenderCache(), {}
    for commit in reversed(commits):
        try:
            old = cache.render(GitTree(commit, notice_repo.prefix))
        except SourceError:
            continue
        for section in old.sections:
            if wanted.get(section.id) == section_text_sha256(section) and section.id not in found:
                found[section.id] = Followed(
                    old.notice.last_updated,
                    commit.hexsha,
                    section_redline(old, rendered, section, commit.hexsha),
                )
        if len(found) == len(wanted):
            break
    return found


def section_redline(
    old: RenderedNotice, new: RenderedNotice, before: RenderedSection, commit: str
) -> Redline:
    """The redline of one source section, from the text a translation follows to now."""
    after = new.section(before.id)
    change = SectionRedline(
        before.id,
        "kept",
        before,
        after,
        retitled=before.title != after.title,
        text_changed=before.canonical != after.canonical,
        ops=word_ops(before.text, after.text),
    )
    return Redline(
        old_label=f"version of {old.notice.last_updated} ({commit[:10]})",
        new_label="now",
        old_date=old.notice.last_updated,
        new_date=new.notice.last_updated,
        metadata=(),
        sections=(change,),
        variables=(),
    )
