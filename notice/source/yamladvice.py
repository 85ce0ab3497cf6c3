"""PyYAML's complaints rewritten as advice an editor can follow, for the line they point at."""

from __future__ import annotations

import re

_KEY = re.compile(r"^(\s*)([A-Za-z0-9_-]+):\s*(#.*)?$")  # a line that opens a group: "variables:"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _group_above(lines: list[str], number: int) -> tuple[str, int] | None:
    """The group key a line at number (1-based) sits under, with that key's indentation."""
    if not 0 < number <= len(lines):
        return None
    below = _indent(lines[number - 1])
    for line in reversed(lines[: number - 1]):
        match = _KEY.match(line)
        if line.strip() and _indent(line) < below and match:
            return match.group(2), len(match.group(1))
    return None


def _indent_advice(lines: list[str], number: int) -> str:
    group = _group_above(lines, number)
    if group is None:
        return "indentation: line the key up with the keys beside it"
    name, indent = group
    siblings = [line.strip() for line in lines[: number - 1] if _indent(line) == indent + 2]
    if siblings and siblings[-1].startswith("- ") and not lines[number - 1].strip().startswith("-"):
        return f"`{name}:` is a list: write this line as `- item` like the ones above it"
    return (
        f"indentation: indent by two spaces under `{name}:` ({indent + 2} spaces), "
        "like the keys beside it"
    )


def unclosed_quote(text: str) -> int | None:
    """The first line (1-based) with an odd number of double quotes: where a quote stays open."""
    for number, line in enumerate(text.split("\n"), 1):
        if line.count('"') - line.count('\\"') & 1:
            return number
    return None


def advice(problem: str, text: str, line: int | None) -> tuple[int | None, str]:
    """The line to report (1-based within text) and 'malformed YAML: ' with what to do about
    PyYAML's problem, or PyYAML's own words when there is no better advice. A quote left open
    is the cause of whatever PyYAML finds after it: that line is reported."""
    opened = unclosed_quote(text)
    if opened is not None and (line is None or opened <= line):
        return opened, "malformed YAML: a quote is opened and never closed: close it on its line"
    return line, f"malformed YAML: {_advice(problem, text, line)}"


def _advice(problem: str, text: str, line: int | None) -> str:
    lines = text.split("\n")
    if problem.startswith("mapping values are not allowed"):
        if line and 0 < line <= len(lines) and lines[line - 1].count(": ") >= 2:
            return 'a value holding a colon must be quoted: write key: "text: more text"'
        return _indent_advice(lines, line or 0)
    if problem.startswith("expected <block end>") or problem.startswith(
        "did not find expected key"
    ):
        return _indent_advice(lines, line or 0)
    if "'\\t'" in problem or "\\t" in problem:
        return "a tab: indent with spaces (two per level), never tabs"
    if problem.startswith("could not find expected ':'"):
        return "a line that is neither `key: value` nor the next line of a quoted value"
    return problem
