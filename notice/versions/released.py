"""A release's text as the canonical hash, whatever recipe its ledger entry was written with."""

from __future__ import annotations

from git.exc import BadName
from gitdb.exc import BadObject

from notice.archive.ledger import Entry
from notice.errors import SourceError
from notice.model import RenderedNotice
from notice.render.texthash import RECIPE, text_sha256
from notice.source.gittree import GitTree, NoticeRepo
from notice.versions.history import RenderCache


def released_text_sha256(
    notice_repo: NoticeRepo | None, entry: Entry, cache: RenderCache | None = None
) -> str | None:
    """The canonical text hash of what entry released; for an entry of an older recipe, taken
    from the notice at its commit (None when that commit is not here or does not render)."""
    if entry.text_recipe == RECIPE:
        return entry.text_sha256
    if notice_repo is None:  # outside git an older entry's text cannot be read
        return None
    try:
        commit = notice_repo.repo.commit(entry.commit)
        return text_sha256((cache or RenderCache()).render(GitTree(commit, notice_repo.prefix)))
    except (BadName, BadObject, ValueError, SourceError):
        return None


def same_text(
    notice_repo: NoticeRepo | None,
    entry: Entry,
    rendered: RenderedNotice,
    cache: RenderCache | None = None,
) -> bool:
    """True when rendered says what entry released: same canonical text (a reflow is the same)."""
    return released_text_sha256(notice_repo, entry, cache) == text_sha256(rendered)
