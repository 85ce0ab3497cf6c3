"""The site's configuration is checked before mkdocs reads it: nothing in it may run code.

mkdocs reads mkdocs.yml with PyYAML's full loader and imports `hooks:`; Material's templates
(`theme.custom_dir`) are unsandboxed Jinja; `docs_dir` may point anywhere and links under it are
followed. Even the base branch's own configuration passes through here (defence in depth).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from git.objects import Blob, Tree

from notice.errors import Problem, SourceError
from notice.layout import CONFIG_FILE, SITE_PATHS
from notice.source.gittree import SYMLINK_MODE, open_repository, resolve_commit
from notice.source.yamlio import YamlProblem, line_of, load_yaml

ALLOWED_PLUGINS = frozenset({"search", "notice", "tags", "offline"})
# Keys mkdocs would honour that run code or read files from elsewhere.
REFUSED_KEYS = {
    "hooks": "hooks run Python during the build",
    "INHERIT": "an inherited configuration is read from another file",
    "watch": "watched folders are read from outside the project",
}
PAGE_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".svg", ".xml")
_SCRIPT = re.compile(rb"<\s*script", re.IGNORECASE)
_URL = re.compile(r"^\s*([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
MAX_CONFIG_BYTES = 256 * 1024
MAX_SITE_FILE_BYTES = 16 * 1024 * 1024


def checked_site_config(config_file: Path) -> None:
    """Refuse a mkdocs.yml (and its docs folder) that could run code or read outside files."""
    project = config_file.parent.resolve()
    config = _read(config_file)
    problems = _config_problems(config, project)
    docs = project / str(config.get("docs_dir", "docs"))
    if not problems and docs.is_dir():
        problems = docs_problems(docs, project)
    if problems:
        raise SourceError(problems)


def _read(config_file: Path) -> dict[str, Any]:
    if config_file.is_symlink():
        raise SourceError([Problem(CONFIG_FILE, None, "is a link: refused, write the file")])
    with config_file.open("rb") as handle:
        data = handle.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise SourceError([Problem(CONFIG_FILE, None, "too large for a site configuration")])
    try:
        config = load_yaml(data.decode("utf-8", errors="replace"), CONFIG_FILE)
    except YamlProblem as exc:  # also every !tag: mkdocs would construct Python objects
        raise SourceError([exc.problem]) from None
    if not isinstance(config, dict):
        raise SourceError([Problem(CONFIG_FILE, 1, "must be a mapping of settings")])
    return config


def _config_problems(config: dict[str, Any], project: Path) -> list[Problem]:
    problems = [
        _problem(config, key, f"{key}: not allowed ({why}); remove it")
        for key, why in REFUSED_KEYS.items()
        if key in config
    ]
    problems += _theme_problems(config)
    problems += _folder_problems(config, project)
    problems += _asset_problems(config)
    problems += _plugin_problems(config)
    return problems


def _problem(container: Any, key: Any, message: str) -> Problem:
    return Problem(CONFIG_FILE, line_of(container, key), message)


def _theme_problems(config: dict[str, Any]) -> list[Problem]:
    theme = config.get("theme")
    if isinstance(theme, dict) and "custom_dir" in theme:
        message = "theme.custom_dir: not allowed (theme templates are not sandboxed); remove it"
        return [_problem(theme, "custom_dir", message)]
    return []


def _folder_problems(config: dict[str, Any], project: Path) -> list[Problem]:
    problems = []
    for key in ("docs_dir",):
        if key not in config:
            continue
        folder = (project / str(config[key])).resolve()
        if not folder.is_relative_to(project) or folder == project:
            problems.append(_problem(config, key, f"{key}: must be a folder inside the project"))
    return problems


def _asset_problems(config: dict[str, Any]) -> list[Problem]:
    problems = []
    for key in ("extra_javascript", "extra_css"):
        for index, item in enumerate(config.get(key) or []):
            path = item.get("path", "") if isinstance(item, dict) else item
            if not isinstance(path, str) or _URL.match(path) or ".." in path.split("/"):
                where = config[key]
                problems.append(
                    _problem(where, index, f"{key}: {path!r} is not a file of the site; refused")
                )
    return problems


def _plugin_problems(config: dict[str, Any]) -> list[Problem]:
    plugins = config.get("plugins") or []
    names = list(plugins) if isinstance(plugins, dict) else plugins
    problems = []
    for index, entry in enumerate(names):
        name = next(iter(entry), None) if isinstance(entry, dict) else entry
        if name not in ALLOWED_PLUGINS:
            allowed = ", ".join(sorted(ALLOWED_PLUGINS))
            message = f"plugins: {name!r} is not allowed (allowed: {allowed})"
            key = name if isinstance(plugins, dict) else index
            problems.append(_problem(plugins, key, message))
    return problems


def docs_problems(docs: Path, project: Path) -> list[Problem]:
    """Links anywhere under docs/ (never followed), and pages holding a raw <script>."""
    if docs.is_symlink():
        return [Problem(docs.relative_to(project).as_posix(), None, "is a link: refused")]
    problems = []
    for folder, dirs, files in os.walk(docs):  # os.walk does not follow links to folders
        for name in sorted(dirs + files):
            path = Path(folder) / name
            shown = path.relative_to(project).as_posix()
            if path.is_symlink():
                problems.append(Problem(shown, None, "is a link: refused (docs/ holds files only)"))
            elif name in files and path.suffix.lower() in PAGE_SUFFIXES and _has_script(path):
                problems.append(Problem(shown, None, "raw <script> is not allowed on the site"))
    return problems


def _has_script(path: Path) -> bool:
    with path.open("rb") as handle:
        return bool(_SCRIPT.search(handle.read(4 * 1024 * 1024)))


def materialise(root: Path, ref: str, target: Path) -> None:
    """Write mkdocs.yml, docs/ and overrides/ as they are at ref into target (links refused)."""
    notice_repo = open_repository(root, full_history=False)
    commit = resolve_commit(notice_repo, ref)
    for part in SITE_PATHS:
        try:
            entry = commit.tree / notice_repo.path(part)
        except KeyError:
            continue
        blobs = [entry] if isinstance(entry, Blob) else []
        if isinstance(entry, Tree):
            blobs = [item for item in entry.traverse() if isinstance(item, Blob)]
        for blob in blobs:
            shown = f"{ref}:{blob.path}"
            if blob.mode == SYMLINK_MODE:
                raise SourceError([Problem(shown, None, "is a link: refused")])
            if blob.size > MAX_SITE_FILE_BYTES:
                raise SourceError([Problem(shown, None, "too large for a site file")])
            path = str(blob.path)
            relative = path[len(notice_repo.path("")) :] if notice_repo.prefix else path
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(blob.data_stream.read())
