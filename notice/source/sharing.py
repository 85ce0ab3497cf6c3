"""What a document shares with the project's root notice: its variables (merged) and macros."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from notice.errors import Problem, Severity
from notice.layout import DocumentPaths
from notice.model import MacroFile
from notice.source.documents import id_problem
from notice.source.yamlio import LineDict, YamlProblem, line_of, load_yaml

MACRO_OVERRIDE = "macros/"  # overrides: [macros/contact.j2] lets a document replace a shared file


def merge_variables(
    shared: Mapping[str, Any],
    own: Mapping[str, Any],
    config: LineDict,
    paths: DocumentPaths,
) -> tuple[dict[str, Any], list[Problem]]:
    """The root's variables with the document's merged over them; a dotted key both define is
    an error unless the document's overrides: lists it."""
    overrides = _overrides(config)
    problems: list[Problem] = []
    merged = _merged(dict(shared), own, "", overrides, problems, paths, config)
    defined = set(_dotted(shared)) | set(_dotted_mappings(shared))
    for name, line in overrides.items():
        if not name.startswith(MACRO_OVERRIDE) and name not in defined:
            problems.append(
                Problem(
                    paths.notice_file,
                    line,
                    f"overrides: {name!r} is not a variable of the root notice.yml: remove it "
                    "(a document's own new variables need no override)",
                    Severity.WARNING,
                )
            )
    return merged, problems


def _merged(
    base: dict[str, Any],
    own: Mapping[str, Any],
    where: str,
    overrides: Mapping[str, int | None],
    problems: list[Problem],
    paths: DocumentPaths,
    config: LineDict,
) -> dict[str, Any]:
    for key, value in own.items():
        dotted = f"{where}{key}"
        if key not in base:
            base[key] = value
        elif isinstance(base[key], Mapping) and isinstance(value, Mapping):
            base[key] = _merged(
                dict(base[key]), value, f"{dotted}.", overrides, problems, paths, config
            )
        elif dotted in overrides:
            base[key] = value
        else:
            problems.append(
                Problem(
                    paths.notice_file,
                    line_of(own, key, line_of(config, "variables")),
                    f"variables: {dotted} is also defined in the root notice.yml, whose value "
                    f"every document shares: remove it here, or add {dotted} to overrides: "
                    "to give this document its own value",
                )
            )
    return base


def _overrides(config: LineDict) -> dict[str, int | None]:
    value = config.get("overrides") or []
    return {
        item: line_of(value, index, line_of(config, "overrides"))
        for index, item in enumerate(value)
        if isinstance(item, str)
    }


def _dotted(values: Mapping[str, Any], where: str = "") -> list[str]:
    """Every leaf of values as a dotted name."""
    names = []
    for key, value in values.items():
        if isinstance(value, Mapping):
            names += _dotted(value, f"{where}{key}.")
        else:
            names.append(f"{where}{key}")
    return names


def _dotted_mappings(values: Mapping[str, Any], where: str = "") -> list[str]:
    return [
        name
        for key, value in values.items()
        if isinstance(value, Mapping)
        for name in [f"{where}{key}", *_dotted_mappings(value, f"{where}{key}.")]
    ]


def merge_macros(
    shared: tuple[MacroFile, ...],
    own: tuple[MacroFile, ...],
    config: LineDict,
    paths: DocumentPaths,
) -> tuple[tuple[MacroFile, ...], list[Problem]]:
    """The root's macro files with the document's own; a file name both have is an error unless
    overrides: lists macros/<name> (then the document's replaces the shared one)."""
    overrides = _overrides(config)
    own_keys = {(macro.name, macro.lang) for macro in own}
    problems = []
    kept = []
    for macro in shared:
        if (macro.name, macro.lang) not in own_keys:
            kept.append(macro)
            continue
        shown = macro.path.rsplit("/", 1)[-1]
        if f"{MACRO_OVERRIDE}{shown}" not in overrides:
            problems.append(
                Problem(
                    f"{paths.macros_dir}/{shown}",
                    None,
                    f"macros/{shown} is also a shared macro file of the root: rename this one, "
                    f"or add macros/{shown} to overrides: in {paths.notice_file} to replace it "
                    "for this document",
                )
            )
    return tuple(kept) + own, problems


def documents_list_problems(config: LineDict, path: str) -> list[Problem]:
    """The root notice.yml's documents: list: valid, unreserved, listed once."""
    listed = config.get("documents") or []
    problems, seen = [], set()
    for index, item in enumerate(listed):
        line = line_of(listed, index, line_of(config, "documents"))
        why = id_problem(item)
        if why is None and item in seen:
            why = f"{item!r} is listed twice"
        if why is not None:
            problems.append(Problem(path, line, f"documents: {why}"))
        seen.add(item)
    return problems


@lru_cache(maxsize=1024)
def shared_values_key(blob_id: str, text: str) -> str:
    """What a document takes from the root notice.yml (its variables), as one digest: the root's
    own new versions then leave every other document's renderings cached. A file that does not
    parse keys as itself (the loader reports it)."""
    try:
        config = load_yaml(text, "notice.yml")
    except YamlProblem:
        return blob_id
    variables = config.get("variables") if isinstance(config, dict) else None
    shown = json.dumps(variables, sort_keys=True, default=str, ensure_ascii=False)
    return "variables:" + hashlib.sha256(shown.encode("utf-8")).hexdigest()
