"""The toolkit's own folders in a project (the cache, the site): never a link, never git's."""

from __future__ import annotations

import os
from pathlib import Path

from git.exc import GitCommandError

from notice.errors import NoticeError
from notice.layout import CACHE_DIR
from notice.source.gittree import open_repository


class OwnFolderRefused(NoticeError):
    """A folder the toolkit writes and reads back is a link, or holds files git tracks."""


def link_in(root: Path, folder: Path) -> str | None:
    """The first part of folder (from root down, folder itself included) that is a link, as a
    path relative to root; a folder outside root is judged by itself alone."""
    folder = Path(os.path.abspath(folder))  # '..' folded, no link followed
    if not folder.is_relative_to(root):
        return folder.as_posix() if folder.is_symlink() else None
    current = root
    for part in folder.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            return current.relative_to(root).as_posix()
    return None


def tracked_under(root: Path, relative: str) -> bool:
    """True when git tracks anything at relative or under it (a committed link included)."""
    try:
        notice_repo = open_repository(root, full_history=False)
        return bool(notice_repo.repo.git.ls_files("--", relative).strip())
    except (NoticeError, GitCommandError):  # no git: nothing a pull request could have committed
        return False


def cache_refusal(root: Path, cache: Path | None = None) -> str | None:
    """Why the build cache (default root/.cache/notice) may not be used, or None.

    Both .cache and .cache/notice count: a link at either would send the cache's writes and reads
    elsewhere, and files git tracks there come from whoever made the commit, not from a build."""
    cache = cache if cache is not None else root / CACHE_DIR
    link = link_in(root, cache)
    if link is not None:  # one line, as every refusal
        return (
            f"{link}: is a link: the toolkit never writes or reads its cache through one: remove it"
        )
    inside = Path(os.path.abspath(cache))
    if inside.is_relative_to(root):
        top = inside.relative_to(root).parts[:1]
        if top and tracked_under(root, top[0]):
            return (
                f"{top[0]}: git tracks files in it, and the build cache lives there: "
                f"`git rm -r --cached {top[0]}`, and keep {top[0]}/ in .gitignore"
            )
    return None


def refuse_linked_outputs(root: Path, site: Path) -> None:
    """Raise OwnFolderRefused when the cache or the site output go through a link (build)."""
    why = cache_refusal(root)
    if why is not None:
        raise OwnFolderRefused(why)
    link = link_in(root, site)
    if link is not None:
        raise OwnFolderRefused(
            f"{link}: is a link: the toolkit never writes the site through links; remove it"
        )
