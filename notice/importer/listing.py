"""Add a document id to the root notice.yml's documents: list, editing one line, never a dump."""

from __future__ import annotations

import re

import yaml

from notice.errors import NoticeError
from notice.layout import NOTICE_FILE

_KEY = re.compile(r"^documents:(?P<value>[^#\n]*?)(?P<rest>[ \t]*(?:#.*)?)(?P<end>\r?\n?)$")
_ITEM = re.compile(r"^(?P<indent>[ ]*)-(?P<space>[ ]+)\S")
_FLOW = re.compile(r"^\s*\[(?P<items>[^\[\]]*)\]\s*$")


def listed_with(text: str, document_id: str, shown: str = NOTICE_FILE) -> str:
    """notice.yml's text with document_id added at the end of documents: (created when absent);
    every other line, comment and value stays as it was (proved by parsing both); shown: the
    file's name in messages."""
    lines = text.splitlines(keepends=True)
    found = next((i for i, line in enumerate(lines) if _KEY.match(line)), None)
    try:
        edited = (
            _appended(text, document_id)
            if found is None
            else "".join(_inserted(lines, found, document_id))
        )
        _prove(text, edited, document_id)
    except _CannotEdit as exc:
        line = f"{found + 1}:" if found is not None else ""
        raise NoticeError(
            f"{shown}:{line} cannot add {document_id} by a line edit ({exc}); "
            f"add `- {document_id}` under documents: by hand"
        ) from None
    return edited


class _CannotEdit(Exception):
    """Why the documents: list cannot be extended by a line edit."""


def _appended(text: str, document_id: str) -> str:
    ending = "" if not text or text.endswith("\n") else "\n"
    return (
        f"{text}{ending}\n# The project's further documents, in site order: documents/<id>/.\n"
        f"documents:\n  - {document_id}\n"
    )


def _inserted(lines: list[str], found: int, document_id: str) -> list[str]:
    match = _KEY.match(lines[found])
    assert match is not None  # found by the same pattern
    value = match["value"].strip()
    if value.startswith("["):
        return [*lines[:found], _flow_line(match, document_id, found), *lines[found + 1 :]]
    if value not in ("", "null", "~"):
        raise _CannotEdit(f"documents: {value!r} is not a list")
    last, indent, space = found, "  ", " "
    for index in range(found + 1, len(lines)):
        line = lines[index]
        item = _ITEM.match(line)
        if item:
            last, indent, space = index, item["indent"], item["space"]
        elif line.strip() and not line.lstrip().startswith("#"):
            break  # the next key: the list ended
    head = lines[: last + 1]
    if not head[-1].endswith("\n"):
        head[-1] += "\n"
    if value:  # `documents: null` becomes a block list
        head[found] = f"documents:{match['rest']}{match['end'] or chr(10)}"
    return [*head, f"{indent}-{space}{document_id}\n", *lines[last + 1 :]]


def _flow_line(match: re.Match[str], document_id: str, found: int) -> str:
    flow = _FLOW.match(match["value"])
    if flow is None:
        raise _CannotEdit("documents: is a [list] spread over several lines")
    items = flow["items"].strip().rstrip(",").strip()
    joined = f"{items}, {document_id}" if items else document_id
    return f"documents: [{joined}]{match['rest']}{match['end']}"


def _prove(before: str, after: str, document_id: str) -> None:
    """The edit changed exactly one thing: documents: gained document_id at its end."""
    try:
        old = yaml.safe_load(before) or {}
    except yaml.YAMLError:
        raise _CannotEdit("it is not valid YAML; `notice check` shows where") from None
    try:
        new = yaml.safe_load(after)
    except yaml.YAMLError:
        raise _CannotEdit("the edited file would not parse") from None
    if not isinstance(old, dict) or not isinstance(new, dict):
        raise _CannotEdit("it is not a mapping")
    listed = old.pop("documents", None) or []
    if new.pop("documents", None) != [*listed, document_id] or old != new:
        raise _CannotEdit("a line edit would change more than the list")


__all__ = ["listed_with"]
