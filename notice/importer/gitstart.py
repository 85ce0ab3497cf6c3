"""A new project's git repository and first commit: `notice release` needs a commit to archive."""

from __future__ import annotations

import os
from pathlib import Path

from git import GitCommandError, InvalidGitRepositoryError, NoSuchPathError, Repo

from notice.errors import NoticeError

# the author when the user has no git identity yet (a fresh machine): the commit still happens
FALLBACK_AUTHOR = ("notice", "notice@localhost")


def inside_repository(folder: Path) -> bool:
    try:
        Repo(folder, search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError):
        return False
    return True


def git_identity(repo: Repo, fallback: tuple[str, str] = FALLBACK_AUTHOR) -> dict[str, str]:
    """The environment that gives commits an author: none when the user's git identity is
    configured, else the toolkit's own (fallback: name, e-mail)."""
    reader = repo.config_reader()
    if reader.has_option("user", "name") and reader.has_option("user", "email"):
        return {}
    name, email = fallback
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }


def start_repository(folder: Path, message: str) -> str | None:
    """git init folder and commit everything in it; None (nothing done) when folder is already
    inside a repository, whose commits are its owner's to make."""
    if inside_repository(folder):
        return None
    repo = Repo.init(folder, initial_branch="main")
    try:
        repo.git.add("-A")
        repo.git.commit("-q", "-m", message, env={**os.environ, **git_identity(repo)})
    except GitCommandError as exc:
        raise NoticeError(f"{folder}: git commit failed: {exc.stderr.strip()}") from None
    return repo.head.commit.hexsha
