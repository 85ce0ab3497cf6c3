"""An imported document's variables against the root notice.yml's: a value the root already
holds is shared (the document uses the root's name), another value of a root name is the
document's own and listed under overrides:."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notice.errors import NoticeError
from notice.layout import MACROS_DIR, NOTICE_FILE, SCHEMA_FILE, SECTIONS_DIR
from notice.source.schema import editor_comment
from notice.source.sharing import MACRO_OVERRIDE

from .history import renamed_variables
from .project import dump_yaml

_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*:")


@dataclass(frozen=True)
class Sharing:
    """How a document's variables and macro files meet the root's."""

    renamed: dict[str, str]  # the document's name -> the root's name of the same value
    shared: tuple[str, ...]  # the document's names whose value the root holds (renamed or not)
    overrides: tuple[str, ...]  # root names (and macros/<file>) the document gives its own value
    own: dict[str, Any]  # the variables left in the document's notice.yml
    shared_macros: tuple[str, ...]  # macro files the root has with the same text


def leaves(variables: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Every leaf of a variables tree by its dotted name."""
    found: dict[str, Any] = {}
    for key, value in variables.items():
        if isinstance(value, Mapping):
            found |= leaves(value, f"{prefix}{key}.")
        else:
            found[f"{prefix}{key}"] = value
    return found


def share(
    own: Mapping[str, Any],
    root: Mapping[str, Any],
    own_macros: Mapping[str, str] | None = None,
    root_macros: Mapping[str, str] | None = None,
) -> Sharing:
    """What the document keeps, shares and overrides (macros: file name -> text)."""
    mine, theirs = leaves(own), leaves(root)
    by_value: dict[Any, str] = {}
    for name, value in theirs.items():
        by_value.setdefault(_key(value), name)
    renamed, shared, overrides, kept = {}, [], [], {}
    for name, value in mine.items():
        _refuse_other_shape(name, theirs)
        same = theirs.get(name)
        if name in theirs and _key(same) == _key(value):
            shared.append(name)
        elif (other := by_value.get(_key(value))) and other not in mine:
            renamed[name] = other
            shared.append(name)
        else:
            kept[name] = value
            if name in theirs:
                overrides.append(name)
    macros, same_macros = own_macros or {}, []
    for file, text in macros.items():
        if file in (root_macros or {}):
            if root_macros and root_macros[file] == text:
                same_macros.append(file)
            else:
                overrides.append(f"{MACRO_OVERRIDE}{file}")
    return Sharing(renamed, tuple(shared), tuple(overrides), _tree(kept), tuple(same_macros))


def _key(value: Any) -> tuple[str, str]:
    """A value as YAML gave it: 2020 and '2020' are not the same value."""
    return type(value).__name__, str(value)


def _refuse_other_shape(name: str, root: Mapping[str, Any]) -> None:
    for other in root:
        if other.startswith(f"{name}.") or name.startswith(f"{other}."):
            raise NoticeError(
                f"{NOTICE_FILE}: variables: the root's {other} and the imported {name} give one "
                "name two shapes (a value and a group): rename one of them in the root notice.yml"
            )


def _tree(flat: Mapping[str, Any]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for name, value in flat.items():
        *groups, leaf = name.split(".")
        place = tree
        for group in groups:
            place = place.setdefault(group, {})
        place[leaf] = value
    return tree


def apply_sharing(folder: Path, sharing: Sharing, schema: str = f"../../{SCHEMA_FILE}") -> None:
    """Rewrite an imported notice in folder as a document: its notice.yml's variables: block
    (own values only, then overrides:), the uses of renamed variables, shared macro files gone.
    schema: where the editor's schema copy is, seen from the document's folder."""
    notice = folder / NOTICE_FILE
    notice.write_text(_as_document(notice.read_text(encoding="utf-8"), sharing, schema), "utf-8")
    for name in sharing.shared_macros:
        (folder / MACROS_DIR / name).unlink()
    if not sharing.renamed:
        return
    for path in [*(folder / SECTIONS_DIR).glob("*.md"), *(folder / MACROS_DIR).glob("*")]:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            path.write_text(renamed_variables(text, sharing.renamed), encoding="utf-8")


def _as_document(text: str, sharing: Sharing, schema: str) -> str:
    """The importer's notice.yml with its variables: block replaced (it writes that block as one
    top-level key followed by indented lines) and the editor's schema line pointing up."""
    lines = text.split("\n")
    if lines and lines[0] == editor_comment().rstrip("\n"):
        lines[0] = editor_comment(schema).rstrip("\n")
    start = next((i for i, line in enumerate(lines) if line == "variables:"), None)
    block = _variables_block(sharing)
    if start is None:
        end = start = _before_numbering(lines)
        block += [""] if block else []
    else:
        end = start + 1
        while end < len(lines) and not _TOP_KEY.match(lines[end]) and lines[end].strip():
            end += 1
    return "\n".join([*lines[:start], *block, *lines[end:]])


def _before_numbering(lines: list[str]) -> int:
    """Where a variables: block goes when there is none: before numbering: and its comment."""
    at = next(
        (i for i, line in enumerate(lines) if line.startswith(("numbering:", "sections:"))),
        len(lines),
    )
    while at > 0 and lines[at - 1].startswith("#"):
        at -= 1
    return at


def _variables_block(sharing: Sharing) -> list[str]:
    parts = []
    if sharing.shared:
        parts.append(
            "# Shared with the root notice.yml (its variables: hold them): "
            + ", ".join(sorted(set(sharing.renamed.get(n, n) for n in sharing.shared)))
        )
    if sharing.own:
        parts.append(dump_yaml({"variables": sharing.own}).rstrip("\n"))
    if sharing.overrides:
        parts.append("# This document's own values of names the root notice.yml also defines.")
        parts.append(dump_yaml({"overrides": list(sharing.overrides)}).rstrip("\n"))
    return "\n".join(parts).split("\n") if parts else []


__all__ = ["Sharing", "apply_sharing", "leaves", "share"]
