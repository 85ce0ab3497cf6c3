"""The trust boundary: a change may touch only the notice's content; all else needs a maintainer.

Changed paths are everything between merge-base(base, HEAD) and the working tree: commits,
uncommitted edits and untracked files alike, read through GitPython.
"""

from __future__ import annotations

import re
from pathlib import Path

from git.exc import GitCommandError
from git.objects import Commit

from notice.errors import Problem
from notice.layout import ARCHIVE_DIR, DOCUMENTS_DIR, ROOT_DOCUMENT, DocumentPaths
from notice.source.documents import split_prefix
from notice.source.gittree import GitFailed, NoticeRepo, open_repository, resolve_commit
from notice.versions.history import snapshot

REVIEW = "changed outside the notice's content: needs a maintainer's review"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
ARCHIVE = (
    "the archive is written only by `notice release` on the main branch: "
    "a pull request never changes it (not even a maintainer's)"
)


def changed_paths(notice_repo: NoticeRepo, base: str) -> list[str]:
    """Repository paths that differ between merge-base(base, HEAD) and the working tree."""
    repo = notice_repo.repo
    base_commit = _base_commit(notice_repo, base)
    head = resolve_commit(notice_repo, "HEAD")
    try:
        forks = repo.merge_base(base_commit, head)
        start = forks[0] if forks else base_commit
        diffs = start.diff(None)  # the commit against the working tree: committed and not
        untracked = repo.untracked_files
    except GitCommandError as exc:
        raise GitFailed(exc) from None
    paths = {path for d in diffs for path in (d.a_path, d.b_path) if path}
    return sorted(paths | set(untracked))


def _base_commit(notice_repo: NoticeRepo, base: str) -> Commit:
    """The commit base names; a version date names its version's last commit."""
    if _DATE.match(base):
        tree = snapshot(Path(notice_repo.working_dir) / notice_repo.prefix, base).source
        return tree.commit  # type: ignore[attr-defined]
    return resolve_commit(notice_repo, base)


def is_content(notice_repo: NoticeRepo, path: str) -> bool:
    """True for notice.yml and anything under sections/ or macros/ (at the notice's folder), and
    the same parts of any document under documents/ (a new one too)."""
    parts = list(notice_repo.notice_paths())
    inside = path.removeprefix(notice_repo.path(""))
    _, document_id = split_prefix("/".join(inside.split("/")[:2]))
    if document_id != ROOT_DOCUMENT:
        parts += [
            notice_repo.path(p)
            for p in DocumentPaths(f"{DOCUMENTS_DIR}/{document_id}").notice_paths
        ]
    return any(path == part or path.startswith(part + "/") for part in parts)


def boundary_problems(root: Path, base: str, allow_config: bool = False) -> list[Problem]:
    """One error per path changed outside the notice's content (archive/ always refused)."""
    notice_repo = open_repository(root, full_history=False)
    archive = notice_repo.path(ARCHIVE_DIR) + "/"
    problems = []
    for path in changed_paths(notice_repo, base):
        if path.startswith(archive):
            problems.append(Problem(path, None, ARCHIVE))
        elif not allow_config and not is_content(notice_repo, path):
            problems.append(Problem(path, None, REVIEW))
    return problems
