"""notice import of a notice's past: one project whose git history holds one dated commit per
version, section ids and variable names kept stable across versions, optionally each dated
version archived with a ledger entry saying it was reconstructed at import."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import pairwise
from pathlib import Path

from git import GitCommandError, InvalidGitRepositoryError, NoSuchPathError, Repo

from notice.actions.release import release
from notice.errors import NoticeError, Problem
from notice.layout import ARCHIVE_DIR, MACROS_DIR, NOTICE_FILE, SECTIONS_DIR
from notice.model import RenderedNotice
from notice.render.rendering import render
from notice.source.firstparent import first_parent_changes
from notice.source.load import load_notice
from notice.versions.moves import match_by_content

from .gitstart import git_identity
from .pipeline import ImportReport, import_notice
from .scaffold import project_files, write_files

IMPORT_AUTHOR = ("notice import", "notice-import@localhost")
_TREE_ENTRY = re.compile(r"^(\s*-\s+(?:id:\s+)?)([A-Za-z0-9_.-]+)(\s*)$")
_FRONT_ID = re.compile(r"^id:\s*(\S+)\s*$", re.MULTILINE)
_EXPRESSION = re.compile(r"(\{\{|\{%)(.*?)(\}\}|%\})", re.DOTALL)


@dataclass(frozen=True)
class VersionSource:
    """One past version: a file to import, what it was taken from, and its fallback date."""

    path: Path
    origin: str  # the file's name, or "FILE at commit SHA" for a repository's history
    fallback: date | None  # the version's date when its text states none (with a warning)
    fallback_from: str = "its file's modification time"


@dataclass
class ImportedVersion:
    """One version after import, before it is committed."""

    source: VersionSource
    report: ImportReport
    folder: Path
    rendered: RenderedNotice
    renamed: dict[str, str] = field(default_factory=dict)  # section id as imported -> kept id
    variables: dict[str, str] = field(default_factory=dict)  # variable as imported -> kept name

    @property
    def day(self) -> date:
        return self.rendered.notice.last_updated


@dataclass(frozen=True)
class HistoryReport:
    """What a history import wrote: the versions in order, their commits and releases."""

    target: Path
    versions: tuple[ImportedVersion, ...]
    commits: tuple[str, ...]
    released: tuple[date, ...]
    warnings: tuple[Problem, ...]


def file_versions(paths: Sequence[Path]) -> list[VersionSource]:
    """Files given oldest first; an undated one takes its modification date."""
    sources = []
    for path in paths:
        if not path.is_file():
            raise NoticeError(f"{path}: not a file; give each version's file, oldest first")
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).date()
        sources.append(VersionSource(path, path.name, modified))
    return sources


@contextmanager
def repository_versions(repository: Path, path: str) -> Iterator[list[VersionSource]]:
    """Each first-parent commit of repository that changed path, oldest first, as a file in a
    temporary folder; an undated version takes its commit's date."""
    try:
        repo = Repo(repository)
    except (InvalidGitRepositoryError, NoSuchPathError):
        raise NoticeError(
            f"{repository}: not a git repository; with --path, give the repository's folder"
        ) from None
    try:
        commits = [change.commit for change in first_parent_changes(repo, [path])]
    except GitCommandError as exc:
        why = (exc.stderr or "").strip().strip("'").removeprefix("stderr: ").strip("'\n ")
        raise NoticeError(f"{repository}: cannot read the history of {path}: {why}") from None
    except ValueError as exc:  # no commit at all
        raise NoticeError(f"{repository}: cannot read its git history: {exc}") from None
    if not commits:
        raise NoticeError(f"{repository}: no commit changes {path}; give the file's path in it")
    with tempfile.TemporaryDirectory(prefix="notice-history-") as folder:
        sources = []
        for number, commit in enumerate(reversed(commits), start=1):
            try:
                blob = commit.tree / path
            except KeyError:
                continue  # the commit deleted the file
            copy = Path(folder) / f"{number:04d}-{Path(path).name}"
            copy.write_bytes(blob.data_stream.read())
            day = commit.committed_datetime.astimezone(UTC).date()
            origin = f"{path} at commit {commit.hexsha}"
            sources.append(VersionSource(copy, origin, day, f"the date of commit {commit.hexsha}"))
        yield sources


def import_history(
    sources: Sequence[VersionSource],
    target: Path,
    *,
    release: bool = False,
    title: str | None = None,
    company: str | None = None,
    input_format: str | None = None,
    now: datetime | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    dates: Sequence[date | None] | None = None,
) -> HistoryReport:
    """Import every version, then write them as dated commits of a new repository in target.
    dates: each version's date given by hand (None: read from its text), oldest first."""
    _refuse_mismatched(sources, dates)
    _refuse_occupied(target)
    with tempfile.TemporaryDirectory(prefix=".notice-history-", dir=_parent(target)) as work:
        versions = imported_versions(
            sources,
            Path(work),
            title=title,
            company=company,
            input_format=input_format,
            progress=progress,
            dates=dates,
        )
        if release:
            _refuse_backwards(versions)
        return _write_history(versions, target, release, now or datetime.now(UTC))


def _refuse_mismatched(sources: Sequence[VersionSource], dates: Sequence | None) -> None:
    if len(sources) < 2:
        raise NoticeError("a history needs at least two versions, oldest first")
    if dates is not None and len(dates) != len(sources):
        raise NoticeError(
            f"--dates gives {len(dates)} dates for {len(sources)} versions: give one per "
            "version, oldest first (an empty one: read from its text)"
        )


def imported_versions(
    sources: Sequence[VersionSource],
    work: Path,
    *,
    title: str | None = None,
    company: str | None = None,
    input_format: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    dates: Sequence[date | None] | None = None,
) -> list[ImportedVersion]:
    """Each version imported into its own folder of work, with the previous version's section
    ids and variable names kept; nothing committed yet."""
    _refuse_mismatched(sources, dates)
    versions: list[ImportedVersion] = []
    for number, source in enumerate(sources, start=1):
        if progress:
            progress("importing versions", number, len(sources))
        folder = work / f"{number:04d}"
        report = import_notice(
            source.path,
            folder,
            title=title,
            company=company,
            input_format=input_format,
            last_updated=dates[number - 1] if dates else None,
            fallback_date=None
            if source.fallback is None
            else (source.fallback, source.fallback_from),
        )
        versions.append(_stabilised(source, report, folder, versions[-1] if versions else None))
    return versions


def _parent(target: Path) -> Path:
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    return parent


def _refuse_occupied(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NoticeError(f"{target}: exists and is not an empty folder; import into a new one")


def _refuse_backwards(versions: Sequence[ImportedVersion]) -> None:
    for before, after in pairwise(versions):
        if after.day < before.day:
            raise NoticeError(
                f"{after.source.origin}: dated {after.day}, before the previous version "
                f"({before.day}, {before.source.origin}); --release archives dates in order: "
                "fix the order of the versions or import without --release"
            )


# --- stable ids and names ---------------------------------------------------------------------


def _stabilised(
    source: VersionSource, report: ImportReport, folder: Path, previous: ImportedVersion | None
) -> ImportedVersion:
    """The imported project with the previous version's section ids and variable names."""
    rendered = render(load_notice(folder))
    version = ImportedVersion(source, report, folder, rendered)
    if previous is None:
        return version
    version.renamed = _kept_ids(previous.rendered, rendered)
    version.variables = _kept_names(previous.rendered, rendered)
    if version.renamed or version.variables:
        _rename_in_project(folder, version.renamed, version.variables)
        version.rendered = render(load_notice(folder))
    return version


def _kept_ids(before: RenderedNotice, after: RenderedNotice) -> dict[str, str]:
    """New id -> the previous version's id of the same section (matched by content)."""
    pairs = match_by_content(before.sections, after.sections)
    return {new_id: old_id for old_id, new_id in pairs.items()}


def _leaves(variables: Mapping, prefix: str = "") -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in variables.items():
        if isinstance(value, Mapping):
            values |= _leaves(value, f"{prefix}{key}.")
        else:
            values[f"{prefix}{key}"] = str(value)
    return values


def _kept_names(before: RenderedNotice, after: RenderedNotice) -> dict[str, str]:
    """New variable name -> the previous version's name for the same value, when that name
    is free in the new version and its last part can take the place of the new one."""
    old = _leaves(before.notice.variables)
    new = _leaves(after.notice.variables)
    by_value = {value: name for name, value in old.items()}
    renames = {}
    for name, value in new.items():
        kept = by_value.get(value)
        if kept and kept != name and kept not in new and _same_group(kept, name):
            renames[name] = kept
    return renames


def _same_group(first: str, second: str) -> bool:
    """Only a leaf is renamed within its group: the tree in notice.yml keeps its shape."""
    return first.rpartition(".")[0] == second.rpartition(".")[0]


_IN_PAGE_LINK = re.compile(r"\]\(#([a-z0-9-]+)(?=[)\s])")


def _rename_in_project(folder: Path, ids: dict[str, str], names: dict[str, str]) -> None:
    sections = folder / SECTIONS_DIR
    texts = {path: path.read_text(encoding="utf-8") for path in sections.glob("*.md")}
    for path in texts:
        path.unlink()
    for path, text in texts.items():
        text = _FRONT_ID.sub(lambda m: f"id: {ids.get(m.group(1), m.group(1))}", text, count=1)
        # the notice's own in-page links follow their section to its kept id
        text = _IN_PAGE_LINK.sub(lambda m: f"](#{ids.get(m.group(1), m.group(1))}", text)
        new_id = ids.get(path.stem, path.stem)
        (sections / f"{new_id}.md").write_text(renamed_variables(text, names), encoding="utf-8")
    for macro in (folder / "macros").glob("*"):
        if macro.is_file():
            macro.write_text(
                renamed_variables(macro.read_text(encoding="utf-8"), names), encoding="utf-8"
            )
    notice = folder / NOTICE_FILE
    notice.write_text(_renamed_notice(notice.read_text(encoding="utf-8"), ids, names), "utf-8")


def renamed_variables(text: str, names: dict[str, str]) -> str:
    """Every use of a renamed variable inside {{ }} and {% %}, and nothing outside them."""
    if not names:
        return text
    longest_first = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, longest_first)) + r")(?!\w)")

    def expression(match: re.Match[str]) -> str:
        inner = pattern.sub(lambda m: names[m.group(1)], match.group(2))
        return f"{match.group(1)}{inner}{match.group(3)}"

    return _EXPRESSION.sub(expression, text)


def _renamed_notice(text: str, ids: dict[str, str], names: dict[str, str]) -> str:
    """notice.yml with the sections tree's ids and the variables' leaf names replaced."""
    lines: list[str] = []
    group: list[tuple[int, str]] = []
    in_tree = False
    for line in text.split("\n"):
        if line and not line[0].isspace() and not line.startswith("#"):
            in_tree = line.startswith("sections:")
        if in_tree and (match := _TREE_ENTRY.match(line)):
            lines.append(match.group(1) + ids.get(match.group(2), match.group(2)) + match.group(3))
            continue
        lines.append(_renamed_leaf(line, names, group))
    return "\n".join(lines)


_KEY = re.compile(r"^( *)([A-Za-z_][\w-]*):(.*)$")


def _renamed_leaf(line: str, names: dict[str, str], group: list[tuple[int, str]]) -> str:
    """A variables line with its key renamed; group tracks the keys above it by indentation."""
    match = _KEY.match(line)
    if not names or not match:
        return line
    indent, key, rest = len(match.group(1)), match.group(2), match.group(3)
    while group and group[-1][0] >= indent:
        group.pop()
    if indent == 0:
        group.clear()
    group.append((indent, key))
    path = [k for _, k in group]
    if not path or path[0] != "variables" or not rest.strip():
        return line
    name = ".".join(path[1:])
    if name not in names:
        return line
    return f"{match.group(1)}{names[name].rpartition('.')[2]}:{rest}"


def _named_for(version: ImportedVersion) -> list[Problem]:
    """A version's import warnings, located in the project (not the temporary folder it was
    imported into) and naming the version they come from."""
    named = []
    for problem in version.report.warnings:
        path = Path(problem.path)
        if path.is_relative_to(version.folder):
            path = path.relative_to(version.folder)
        located = f"{version.source.origin}: {path.as_posix()}"
        if path == version.source.path:  # the version's own text (a temporary copy's name)
            located = version.source.origin
        named.append(Problem(located, problem.line, problem.message, problem.severity))
    return named


# --- writing the history ----------------------------------------------------------------------


def _write_history(
    versions: Sequence[ImportedVersion], target: Path, release: bool, now: datetime
) -> HistoryReport:
    target.mkdir(parents=True, exist_ok=True)
    repo = Repo.init(target)
    # the project around the notice (site config, Makefile, CI, .gitignore), as one import writes
    write_files(target, project_files(versions[-1].rendered.notice.title))
    commits, released, warnings = [], [], []
    for index, version in enumerate(versions):
        _replace_project(version.folder, target)
        commits.append(_commit(repo, version.day, _message(version)))
        warnings += _named_for(version)
        last_of_date = index + 1 == len(versions) or versions[index + 1].day != version.day
        if release and last_of_date:
            released.append(_release(repo, target, version, now))
    return HistoryReport(target, tuple(versions), tuple(commits), tuple(released), tuple(warnings))


_PROJECT_PARTS = (NOTICE_FILE, SECTIONS_DIR, MACROS_DIR)


def _replace_project(source: Path, target: Path) -> None:
    """The version's files in place of the previous version's (the archive stays)."""
    for part in _PROJECT_PARTS:
        existing = target / part
        if existing.is_dir():
            shutil.rmtree(existing)
        elif existing.exists():
            existing.unlink()
    for path in source.iterdir():
        destination = target / path.name
        if path.is_dir():
            shutil.copytree(path, destination, dirs_exist_ok=True, copy_function=shutil.copyfile)
        else:
            shutil.copyfile(path, destination)


def _message(version: ImportedVersion) -> str:
    notice = version.rendered.notice
    renamed = ""
    if version.renamed:
        kept = ", ".join(f"{new} → {old}" for new, old in sorted(version.renamed.items()))
        renamed = f"\n\nSection ids kept from the previous version (matched by content): {kept}"
    return (
        f"Version of {notice.last_updated}: {notice.summary}\n\n"
        f"Imported by `notice import` from {version.source.origin}.{renamed}"
    )


def _commit(repo: Repo, day: date, message: str) -> str:
    """Stage every file from its content and commit, author and committer dated with the
    version's date.

    The index is emptied first: git's stat cache takes a file rewritten within the same second
    with the same size (a date of the same length) as unchanged, and a commit would keep the
    previous version's notice.yml. An empty index makes `git add` hash every file's content."""
    env = dated_environment(repo, day)
    try:
        repo.git.read_tree("--empty")
        repo.git.add("-A")
        repo.git.commit("-q", "--allow-empty", "-m", message, env=env)
    except GitCommandError as exc:
        raise NoticeError(f"{repo.working_dir}: git commit failed: {exc.stderr.strip()}") from None
    return repo.head.commit.hexsha


def dated_environment(repo: Repo, day: date) -> dict[str, str]:
    """git's environment for a commit of a version: author and committer dated with its day
    (noon UTC), the import's identity when the user has none."""
    stamp = f"{day.isoformat()}T12:00:00+00:00"
    return {
        **os.environ,
        **git_identity(repo, IMPORT_AUTHOR),
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
    }


def _release(repo: Repo, target: Path, version: ImportedVersion, now: datetime) -> date:
    """Archive HEAD's version with a ledger entry that says it was reconstructed, and commit it."""
    done = release(target, now=now, reconstructed_from=version.source.origin)
    _commit(
        repo,
        version.day,
        f"Archive version {version.day} (reconstructed at import from {version.source.origin})\n\n"
        f"{ARCHIVE_DIR}/ written by `notice import --release`; ledger head {done.entry.digest}.",
    )
    return done.entry.version


__all__ = [
    "HistoryReport",
    "ImportedVersion",
    "VersionSource",
    "dated_environment",
    "file_versions",
    "import_history",
    "imported_versions",
    "renamed_variables",
    "repository_versions",
]
