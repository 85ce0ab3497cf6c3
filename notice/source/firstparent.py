"""The one walk of a file set through git history: each first-parent commit that changed it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from git import Repo
from git.objects import Commit
from gitdb.util import hex_to_bin

_RECORD = "\x01"  # starts each commit in the log below; paths are NUL-separated (-z)


@dataclass(frozen=True)
class Change:
    """A commit on the first-parent chain and the paths of the set it changed against its first
    parent (a merge commit stands for its pull request; a root commit against nothing)."""

    commit: Commit
    paths: tuple[str, ...]


def first_parent_changes(
    repo: Repo,
    paths: Sequence[str],
    ref: str | Commit = "HEAD",
    *,
    oldest_first: bool = False,
    max_count: int | None = None,
) -> list[Change]:
    """Every first-parent commit from ref whose tree differs from its first parent's under paths,
    newest first unless oldest_first (max_count counts from the newest). One git process.

    `git log --first-parent` decides "changed" against the first parent alone, so a file brought
    in by a merge shows at the merge; a plain `git log -- PATH` would hide it, and
    `--full-history` would wander into the merged branch. Raises GitCommandError."""
    args = ["--first-parent", "-m", "--name-only", "-z", f"--format={_RECORD}%H"]
    if max_count is not None:
        args.append(f"--max-count={max_count}")
    if oldest_first:
        args.append("--reverse")
    tip = ref.hexsha if isinstance(ref, Commit) else ref
    output = repo.git.log(*args, tip, "--", *paths, strip_newline_in_stdout=False)
    return [_change(repo, record) for record in output.split(_RECORD) if record.strip()]


def last_change(repo: Repo, paths: Sequence[str], ref: str | Commit = "HEAD") -> Commit | None:
    """The newest first-parent commit that changed paths, or None when none did."""
    found = first_parent_changes(repo, paths, ref, max_count=1)
    return found[0].commit if found else None


def _change(repo: Repo, record: str) -> Change:
    sha, *names = (part.strip("\n") for part in record.split("\x00"))
    return Change(Commit(repo, hex_to_bin(sha)), tuple(name for name in names if name))
