"""Safe YAML reading that keeps line numbers and refuses what a notice never needs."""

from __future__ import annotations

from typing import Any

import yaml

from notice.controls import control_character, control_message
from notice.errors import Problem
from notice.source.yamladvice import advice

PLAIN_TAGS = {None, "!", "tag:yaml.org,2002:str"}  # untagged, or explicitly text
MAX_INT_DIGITS = 100  # far beyond any notice; int() itself refuses 4,300 digits with a traceback


class LineDict(dict):
    """A mapping from YAML that remembers the line (1-based) of each key."""

    lines: dict[Any, int]
    start_line: int


class LineList(list):
    """A sequence from YAML that remembers the line (1-based) of each item."""

    lines: list[int]
    start_line: int


class _NoticeLoader(yaml.SafeLoader):
    """SafeLoader with no anchors/aliases, no tags, no implicit dates, no duplicate keys."""

    line_offset = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (*name) are not allowed in a notice",
                problem_mark=event.start_mark,
            )
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="anchors (&name) are not allowed in a notice",
                problem_mark=event.start_mark,
            )
        tag = getattr(event, "tag", None)
        if tag not in PLAIN_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise yaml.MarkedYAMLError(
                problem=f"the tag {shown} is not allowed in a notice; remove it",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_yaml_int(self, node):
        if len(node.value) > MAX_INT_DIGITS:
            raise yaml.MarkedYAMLError(
                problem=f"a number of more than {MAX_INT_DIGITS} digits; quote it if it is text",
                problem_mark=node.start_mark,
            )
        return super().construct_yaml_int(node)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep)
        result = LineDict()
        result.lines = {}
        result.start_line = node.start_mark.line + 1 + self.line_offset
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise yaml.MarkedYAMLError(
                    problem="a key must be a plain word", problem_mark=key_node.start_mark
                )
            if key in result:
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = key_node.start_mark.line + 1 + self.line_offset
        return result

    def construct_sequence(self, node, deep=False):
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.lines = [child.start_mark.line + 1 + self.line_offset for child in node.value]
        result.start_line = node.start_mark.line + 1 + self.line_offset
        return result


_NoticeLoader.add_constructor("tag:yaml.org,2002:int", _NoticeLoader.construct_yaml_int)
_NoticeLoader.add_constructor(
    "tag:yaml.org,2002:map",
    lambda loader, node: loader.construct_mapping(node),  # type: ignore[arg-type]
)
_NoticeLoader.add_constructor(
    "tag:yaml.org,2002:seq",
    lambda loader, node: loader.construct_sequence(node),  # type: ignore[arg-type]
)
# Dates stay strings so that a bad date is reported with its line instead of crashing the parser.
_NoticeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlProblem(Exception):
    """YAML that cannot be read, with the problem ready to report."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def load_yaml(text: str, path: str, line_offset: int = 0) -> Any:
    """Parse YAML text; raise YamlProblem naming path and line on any mistake."""
    try:
        loader = _NoticeLoader(text)
    except yaml.reader.ReaderError as exc:
        raise YamlProblem(_unreadable(exc, text, path, line_offset)) from None
    loader.line_offset = line_offset
    try:
        data = loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        raise YamlProblem(_unreadable(exc, text, path, line_offset)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        message = exc.problem or exc.context or "malformed YAML"
        at, said = advice(message, text, mark.line + 1 if mark else None)
        line = at + line_offset if at else line
        raise YamlProblem(Problem(path, line, said)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(Problem(path, None, f"malformed YAML: {exc}")) from None
    except RecursionError:
        raise YamlProblem(Problem(path, None, "malformed YAML: nested too deeply")) from None
    except (ValueError, OverflowError) as exc:  # a scalar PyYAML resolved but cannot construct
        raise YamlProblem(Problem(path, None, f"malformed YAML: {exc}")) from None
    finally:
        loader.dispose()
    problem = _control_problem(data, path, "", line_offset + 1)
    if problem:
        raise YamlProblem(problem)
    return data


def _unreadable(exc: yaml.reader.ReaderError, text: str, path: str, offset: int) -> Problem:
    """PyYAML's reader refuses raw control characters: say so with the line, as for escapes."""
    line = text.count("\n", 0, max(exc.position, 0)) + 1 + offset
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return Problem(path, line, control_message("", f"U+{code:04X}"))


def _control_problem(value: Any, path: str, where: str, line: int | None) -> Problem | None:
    """The first string (key or value, at any depth) holding a control character, as a problem."""
    if isinstance(value, str):
        code = control_character(value)
        return Problem(path, line, control_message(where, code)) if code else None
    items: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        items = [(key, key) for key in value]
    elif isinstance(value, list):
        items = [(index, None) for index in range(len(value))]
    for key, name in items:
        inner = where if name is None else (f"{where}.{name}" if where else str(name))
        at = line_of(value, key, line)
        found = _control_problem(key, path, where or "key", at) if name is not None else None
        found = found or _control_problem(value[key], path, inner, at)
        if found:
            return found
    return None


def line_of(container: Any, key: Any, default: int | None = None) -> int | None:
    """The line of key inside a LineDict/LineList, or default."""
    lines = getattr(container, "lines", None)
    if isinstance(lines, dict):
        return lines.get(key, default)
    if isinstance(lines, list) and isinstance(key, int) and 0 <= key < len(lines):
        return lines[key]
    return getattr(container, "start_line", default)
