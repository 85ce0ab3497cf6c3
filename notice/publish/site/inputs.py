"""What a build depends on: digests of files, installed versions, the notice's source commit."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

from notice.errors import NoticeError
from notice.layout import PACKAGE_DIR
from notice.source.firstparent import last_change
from notice.source.gittree import open_repository, resolve_commit

# The distributions whose versions change an output (rendered text, site pages, feed, PDF bytes):
# the one list every stamp and cache key records, whole (a rarely needed rebuild beats a stale one).
OUTPUT_PACKAGES = (
    "notice-toolkit",
    "jinja2",
    "markupsafe",
    "markdown-it-py",
    "mdurl",
    "pyyaml",
    "babel",
    "mkdocs",
    "mkdocs-material",
    "markdown",  # mkdocs renders docs/ pages with Python-Markdown
    "pymdown-extensions",
    "pygments",
    "feedgen",
    "weasyprint",
    "pydyf",
    "fonttools",
    "tinycss2",
    "cssselect2",
    "pyphen",
    "pillow",
    "pikepdf",  # finishes the PDF's bytes (PDF/UA-1)
    "tinyhtml5",  # the canonical text (rendering/3) reads the rendered HTML with it
)


@cache
def output_versions() -> tuple[str, ...]:
    """name=version of each of OUTPUT_PACKAGES ('' when one is not installed), once per process."""
    return tuple(f"{name}={package_version(name)}" for name in OUTPUT_PACKAGES)


def package_version(name: str) -> str:
    """An installed distribution's version, or '' when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def files_digest(paths: Iterable[Path], base: Path) -> str:
    """sha256 over the names (relative to base) and bytes of files; folders are walked in order."""
    digest = hashlib.sha256()
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
        else:
            files = [path] if path.is_file() else []
            digest.update(f"{path.name}{'' if files else ' (absent)'}\0".encode())
        for file in files:
            if "__pycache__" in file.parts:
                continue
            digest.update(file.relative_to(base).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def source_commit(root: Path) -> str | None:
    """The last commit of the notice's source when the source is committed as is, else None.

    Commits that leave the source alone (README, code) do not change it, so not the PDF either.
    """
    try:
        notice_repo = open_repository(root, full_history=False)
        if notice_repo.uncommitted():
            return None
        head = resolve_commit(notice_repo)
    except NoticeError:  # no git, no commit, git refused: the build records no commit
        return None
    commit = last_change(notice_repo.repo, notice_repo.notice_paths(), head)
    return commit.hexsha if commit is not None else None


def history_state(root: Path) -> str:
    """What the site's version history depends on besides the files: HEAD's commit and whether
    the clone is shallow (a new commit, or `git fetch --unshallow`, changes the history shown)."""
    state = _git(root, "rev-parse", "--is-shallow-repository", "HEAD")
    return " ".join(state.split()) if state else "no git history"


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
    except OSError:  # no git: the build simply records no commit
        return None
    return result.stdout if result.returncode == 0 else None


@cache
def toolkit_digest() -> str:
    """files_digest of every file of the toolkit, once per process: the build's input stamp and
    the build cache's stamp share it. Every file, not only those a site imports: finding those
    by parsing each module took a tenth of a cold build, and a toolkit changes only whole."""
    return files_digest(toolkit_files(), PACKAGE_DIR)


def toolkit_files() -> list[Path]:
    """The toolkit's files: its modules, templates and assets (no compiled bytecode)."""
    return sorted(
        path
        for path in PACKAGE_DIR.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )
