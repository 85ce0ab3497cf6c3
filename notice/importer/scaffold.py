"""The files of a notice project around its content, shared by `notice init` and `notice import`."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

from notice.errors import UsageError
from notice.layout import PACKAGE_DIR, SCHEMA_FILE
from notice.source.schema import schema_text

SCAFFOLD = PACKAGE_DIR / "scaffold"
PROJECT = SCAFFOLD / "project"  # site config, Makefile, README, git and CI files: every project
STARTER = SCAFFOLD / "starter"  # an example notice.yml, sections/ and macros/: init only
DOCUMENT = SCAFFOLD / "document"  # a further document's notice.yml and first section
PLACEHOLDER = re.compile(
    r"\{\{(title|company|today|email|website|summary|version)\}\}"
)  # no spaces: not Jinja
FILLED = ("notice.yml", "mkdocs.yml", "README.md")  # sections keep their Jinja expressions
# the workflows install the toolkit at the exact version that wrote them
PINNED = ("workflows/publish.yml", "workflows/pull-request.yml")
QUOTED = ("notice.yml", "mkdocs.yml")  # values become YAML strings (a title with ': ' or '#')
# Dotfiles and .github/ survive packaging under plain names.
RENAMED = {
    "gitignore": ".gitignore",
    "docs/gitkeep": "docs/.gitkeep",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "workflows/publish.yml": ".github/workflows/publish.yml",
    "workflows/pull-request.yml": ".github/workflows/pull-request.yml",
}


@dataclass(frozen=True)
class ProjectSettings:
    """What a new notice says about its company."""

    title: str
    company: str
    email: str
    website: str
    today: date

    @property
    def summary(self) -> str:
        return f"First version of the {self.title}."


def _fill(text: str, values: dict[str, str], quote: bool) -> str:
    def value(match: re.Match) -> str:
        raw = values[match.group(1)]
        # JSON strings are valid YAML scalars: a title with ': ' or '#' stays one value
        return json.dumps(raw, ensure_ascii=False) if quote and match.group(1) != "today" else raw

    return PLACEHOLDER.sub(value, text)


def _files_of(folder: Path, values: dict[str, str]) -> dict[str, str]:
    files = {}
    for source in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = source.relative_to(folder).as_posix()
        if "__pycache__" in relative:
            continue
        text = source.read_text(encoding="utf-8")
        if relative in FILLED:
            text = _fill(text, values, quote=relative in QUOTED)
        if relative in PINNED:
            text = _fill(text, {"version": toolkit_version()}, quote=False)
        files[RENAMED.get(relative, relative)] = text
    return files


def toolkit_version() -> str:
    """The installed toolkit's version: the one a new project's workflows install."""
    try:
        return metadata.version("notice-toolkit")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0.0.0"


def project_files(title: str) -> dict[str, str]:
    """Everything but the notice's content: mkdocs.yml, docs/, Makefile, README, CI, git files,
    and the copy of notice.yml's schema that editors' YAML servers read (git-ignored)."""
    return {**_files_of(PROJECT, {"title": title}), SCHEMA_FILE: schema_text()}


def starter_files(settings: ProjectSettings) -> dict[str, str]:
    """An example notice (notice.yml, sections/, macros/) for `notice init`."""
    values = {
        "title": settings.title,
        "company": settings.company,
        "email": settings.email,
        "website": settings.website,
        "today": settings.today.isoformat(),
        "summary": settings.summary,
    }
    return _files_of(STARTER, values)


def document_files(title: str, company: str, today: date) -> dict[str, str]:
    """A new document's notice.yml and first section (for `notice new-document`)."""
    values = {
        "title": title,
        "company": company,
        "today": today.isoformat(),
        "summary": f"First version of the {title}.",
    }
    return _files_of(DOCUMENT, values)


def write_files(folder: Path, files: dict[str, str]) -> None:
    """Write relative path -> text into folder, creating sub-folders."""
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def init_project(target: Path, settings: ProjectSettings) -> list[Path]:
    """Write a new notice project into target (which must be empty or absent); return its files."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} is not an empty folder: choose a new one")
    target.parent.mkdir(parents=True, exist_ok=True)
    files = {**project_files(settings.title), **starter_files(settings)}
    staging = Path(tempfile.mkdtemp(prefix=".notice-init-", dir=target.parent))
    try:
        write_files(staging, files)
        if target.exists():
            target.rmdir()
        staging.rename(target)  # all or nothing: a half-written project never appears
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target / name for name in sorted(files)]
