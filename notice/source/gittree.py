"""Read a notice from a git commit's tree through GitPython: no checkout, working tree untouched."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from git import Repo
from git.exc import BadName, GitCommandError, InvalidGitRepositoryError, NoSuchPathError
from git.objects import Blob, Commit, Tree

from notice.errors import NoticeError, UsageError
from notice.layout import NOTICE_FILE, ROOT_DOCUMENT, ROOT_PATHS, DocumentPaths
from notice.source.documents import split_prefix
from notice.source.sharing import shared_values_key
from notice.source.worktree import MAX_FILE_BYTES, SourceReadError, decode

SYMLINK_MODE = 0o120000


class HistoryUnavailable(NoticeError):
    """The notice's git history cannot be read here (no repository, shallow clone, no commits)."""


class NotAGitRepository(HistoryUnavailable):
    """The notice is not inside a git repository with a working tree."""

    def __init__(self, root: Path, why: str = "is not inside a git repository"):
        super().__init__(
            f"{root}: {why}; history, diff and audit need a git repository "
            "(render, check and build of the working tree still work)"
        )


class ShallowClone(HistoryUnavailable):
    """A shallow clone hides part of the history: reading it would give a silently wrong answer."""

    def __init__(self, working_dir: str):
        super().__init__(
            f"{working_dir}: this is a shallow clone, so its history is incomplete; "
            f"run `git -C {working_dir} fetch --unshallow` and try again"
        )


class EmptyRepository(HistoryUnavailable):
    """The repository has no commit yet."""

    def __init__(self, working_dir: str):
        super().__init__(
            f"{working_dir}: the repository has no commits yet; commit the notice first"
        )


class UnknownRef(UsageError):
    """A ref given on the command line names no commit."""

    def __init__(self, ref: str, working_dir: str):
        super().__init__(f"{ref!r} is not a commit, branch or tag in {working_dir}")


class GitFailed(HistoryUnavailable):
    """git itself refused (an unsafe directory, a corrupt repository): its own words, one line."""

    def __init__(self, exc: GitCommandError):
        said = " ".join(str(exc.stderr or exc).split())
        super().__init__(f"git failed: {said}")


@dataclass(frozen=True)
class NoticeRepo:
    """A git repository and where the notice lives in it (prefix: '' or 'sub/folder')."""

    repo: Repo
    prefix: str

    @property
    def working_dir(self) -> str:
        return str(self.repo.working_tree_dir)

    def path(self, relative: str) -> str:
        """A project path (relative to the project root: archive/, mkdocs.yml, a document's
        files) as a path in the repository's trees."""
        prefix = self.project_prefix
        return f"{prefix}/{relative}" if prefix else relative

    def uncommitted(self) -> list[str]:
        """The notice's paths that differ from HEAD: edited, staged, untracked or ignored files.
        The one git-status question of the toolkit: is the notice on disk the committed one?"""
        try:
            status = self.repo.git.status(
                "--porcelain",
                "-z",
                "--ignored",
                "--untracked-files=all",
                "--",
                *self.notice_paths(),
            )
        except GitCommandError as exc:
            raise GitFailed(exc) from None
        paths, items = set(), iter(status.split("\0"))
        for item in items:
            if len(item) > 3:
                paths.add(item[3:])
                if item[0] in "RC":  # a rename's original path follows its entry
                    next(items, None)
        return sorted(paths)

    @property
    def document_paths(self) -> DocumentPaths:
        """The document's paths, relative to its project (a document folder's prefix is
        '<project>/documents/<id>')."""
        project, document = split_prefix(self.prefix)
        project_notice = Path(self.working_dir, project, NOTICE_FILE)
        if document == ROOT_DOCUMENT or not project_notice.is_file():
            return ROOT_PATHS
        return DocumentPaths(self.prefix.removeprefix(project).lstrip("/"))

    @property
    def project_prefix(self) -> str:
        """Where the document's project is in the repository ('' at its top)."""
        paths = self.document_paths
        return self.prefix.removesuffix(paths.prefix).rstrip("/") if paths.prefix else self.prefix

    def notice_paths(self) -> list[str]:
        """The repository paths whose history is the notice's history (for a document: its
        own files, the root notice.yml and the shared macros/)."""
        return [self.path(part) for part in self.document_paths.notice_paths]


def open_repository(root: Path, full_history: bool = True) -> NoticeRepo:
    """The repository holding the notice at root; refuse a shallow clone when full_history."""
    root = Path(root).resolve()
    try:
        repo = Repo(root, search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError):
        raise NotAGitRepository(root) from None
    if repo.working_tree_dir is None:
        raise NotAGitRepository(root, "is in a bare repository")
    working_dir = Path(repo.working_tree_dir).resolve()
    if not root.is_relative_to(working_dir):
        raise NotAGitRepository(root, f"is not inside the working tree {working_dir}")
    prefix = root.relative_to(working_dir).as_posix()
    notice_repo = NoticeRepo(repo, "" if prefix == "." else prefix)
    if full_history and is_shallow(repo):
        raise ShallowClone(notice_repo.working_dir)
    return notice_repo


def is_shallow(repo: Repo) -> bool:
    """True in a shallow clone, where `iter_commits` silently returns a truncated history."""
    try:
        return repo.git.rev_parse("--is-shallow-repository").strip() == "true"
    except GitCommandError as exc:
        raise GitFailed(exc) from None


def resolve_commit(notice_repo: NoticeRepo, ref: str = "HEAD") -> Commit:
    """The commit ref names; a clear error when it names none or the repository is empty."""
    repo = notice_repo.repo
    try:
        return repo.commit(ref)
    # GitPython's own rev-parse raises these for specs it cannot read (HEAD@{yesterday}, @{-9})
    except (BadName, ValueError, IndexError, NotImplementedError, GitCommandError):
        if not _has_commits(repo):
            raise EmptyRepository(notice_repo.working_dir) from None
        raise UnknownRef(ref, notice_repo.working_dir) from None


def _has_commits(repo: Repo) -> bool:
    try:
        repo.head.commit  # noqa: B018 - raises ValueError when HEAD points at no commit
    except ValueError:
        return False
    return True


class GitTree:
    """The notice as it stands in one commit's tree (a NoticeSource); reads blobs, not files."""

    def __init__(
        self,
        commit: Commit,
        prefix: str = "",
        label: str | None = None,
        key: tuple[str, ...] | None = None,  # notice_key(), when known already
    ):
        self.commit = commit
        self.prefix, self.paths = _document_in(commit, prefix)
        self.document = split_prefix(self.paths.prefix)[1] if self.paths.prefix else ROOT_DOCUMENT
        self.label = label or commit.hexsha[:10]
        self._key = key
        self.undecodable: dict[str, int] = {}  # path -> line of its first undecodable byte
        self._folders: dict[str, Tree | None] = {}

    def _full(self, path: str) -> str:
        return f"{self.prefix}/{path}" if self.prefix else path

    def _entry(self, path: str) -> Blob | Tree | None:
        folder, _, name = self._full(path).rpartition("/")
        parent = self._folder(folder)
        if parent is None:
            return None
        try:
            return parent / name
        except KeyError:
            return None

    def _folder(self, folder: str) -> Tree | None:
        """The tree at folder ('' the commit's), parsed once: a notice loads dozens of files
        from the same folders, and GitPython parses a tree again for each path joined."""
        if folder not in self._folders:
            try:
                found = self.commit.tree / folder if folder else self.commit.tree
            except KeyError:
                found = None
            self._folders[folder] = found if isinstance(found, Tree) else None
        return self._folders[folder]

    def read_text(self, path: str) -> str:
        if not isinstance(self._entry(path), Blob):
            raise SourceReadError(path, f"file not found in {self.label}")
        replaced: list[int] = []
        text = decode(self.read_bytes(path, MAX_FILE_BYTES), path, replaced)
        if replaced:
            self.undecodable[path] = replaced[0]
        return text

    def read_bytes(self, path: str, limit: int) -> bytes:
        """A blob's bytes, never through a link, at most limit bytes (as read_inside on disk);
        FileNotFoundError when the commit has no such file."""
        entry = self._entry(path)
        if not isinstance(entry, Blob):
            raise FileNotFoundError(path)
        if entry.mode == SYMLINK_MODE:
            raise SourceReadError(path, "is a symbolic link in git: refused")
        if entry.size > limit:
            raise SourceReadError(
                path, f"file is {entry.size:,} bytes; the limit is {limit:,}: split it"
            )
        return entry.data_stream.read()

    def decode_warnings(self) -> list[str]:
        """One line for each file of this commit read with U+FFFD for undecodable bytes."""
        return [
            f"{self.label}:{path}:{line}: warning: not valid UTF-8 in this commit; its "
            "undecodable bytes are shown as U+FFFD"
            for path, line in sorted(self.undecodable.items())
        ]

    def list_files(self, folder: str, suffix: str) -> list[str]:
        entry = self._entry(folder)
        if not isinstance(entry, Tree):
            return []
        return sorted(
            f"{folder}/{blob.name}"
            for blob in entry.blobs
            if blob.name.endswith(suffix) and not blob.name.startswith(".")
        )

    def exists(self, path: str) -> bool:
        return self._entry(path) is not None

    def notice_key(self) -> tuple[str, ...]:
        """The object ids of notice.yml, sections/ and macros/ (a document's and the shared
        ones): equal keys, equal notices."""
        if self._key is None:  # a commit's tree never changes; a build asks several times
            self._key = tuple(self._part_key(part) for part in self.paths.notice_paths)
        return self._key

    def _part_key(self, part: str) -> str:
        entry = self._entry(part)
        if entry is None:
            return "-"
        if part == self.paths.shared_notice_file and isinstance(entry, Blob):
            try:  # a document reads only the variables of the root's notice.yml
                return shared_values_key(entry.hexsha, self.read_text(part))
            except SourceReadError:
                return entry.hexsha
        return entry.hexsha


def _document_in(commit: Commit, prefix: str) -> tuple[str, DocumentPaths]:
    """(project prefix, document paths) for a notice at prefix in commit: a prefix ending in
    documents/<id> with a notice.yml beside documents/ is that project's document."""
    project, document = split_prefix(prefix)
    if document == ROOT_DOCUMENT:
        return prefix, ROOT_PATHS
    try:
        commit.tree / (f"{project}/{NOTICE_FILE}" if project else NOTICE_FILE)
    except KeyError:
        return prefix, ROOT_PATHS
    return project, DocumentPaths(prefix.removeprefix(project).lstrip("/"))
