"""`notice init`: a new notice project that checks and builds out of the box."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from notice.errors import UsageError
from notice.layout import PACKAGE_DIR, SCHEMA_FILE
from notice.source.schema import schema_text

SCAFFOLD = PACKAGE_DIR / "scaffold"
PLACEHOLDER = re.compile(
    r"\{\{(title|company|today|email|website|summary)\}\}"
)  # no spaces: not Jinja
FILLED = ("notice.yml", "mkdocs.yml", "README.md")  # sections keep their Jinja expressions
RENAMED = {"gitignore": ".gitignore", "docs/gitkeep": "docs/.gitkeep"}  # dotfiles survive packaging


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


def _fill(text: str, settings: ProjectSettings, quote: bool) -> str:
    def value(match: re.Match) -> str:
        raw = str(getattr(settings, match.group(1)))
        # JSON strings are valid YAML scalars: a title with ': ' or '#' stays one value
        return json.dumps(raw, ensure_ascii=False) if quote and match.group(1) != "today" else raw

    return PLACEHOLDER.sub(value, text)


def init_project(target: Path, settings: ProjectSettings) -> list[Path]:
    """Write a new notice project into target (which must be empty or absent); return its files."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} is not an empty folder: choose a new one")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".notice-init-", dir=target.parent))
    try:
        written = []
        for source in sorted(p for p in SCAFFOLD.rglob("*") if p.is_file()):
            relative = source.relative_to(SCAFFOLD).as_posix()
            if "__pycache__" in relative:
                continue
            name = RENAMED.get(relative, relative)
            text = source.read_text(encoding="utf-8")
            if relative in FILLED:
                text = _fill(text, settings, quote=relative.endswith(".yml"))
            destination = staging / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(text, encoding="utf-8")
            written.append(target / name)
        (staging / SCHEMA_FILE).write_text(schema_text(), encoding="utf-8")
        written.append(target / SCHEMA_FILE)
        if target.exists():
            target.rmdir()
        staging.rename(target)  # all or nothing: a half-written project never appears
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written
