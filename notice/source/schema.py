"""notice.yml's JSON Schema (notice.schema.json): structural rules, checked with file and line."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from notice.errors import Problem
from notice.layout import NOTICE_FILE, SCHEMA_FILE
from notice.source.datewords import date_mistake
from notice.source.yamlio import line_of

PACKAGED = Path(__file__).with_name("notice.schema.json")
TYPE_WORDS = {
    "string": "a text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "a mapping of keys",
    "array": "a list",
    "null": "empty",
}


@cache
def notice_schema() -> dict[str, Any]:
    """The schema as shipped with the package."""
    return json.loads(PACKAGED.read_text(encoding="utf-8"))


def schema_text() -> str:
    """The schema file's text, as `notice schema` prints it."""
    return PACKAGED.read_text(encoding="utf-8")


def editor_comment(location: str = SCHEMA_FILE) -> str:
    """notice.yml's first line: tells editors (yaml-language-server) where the schema is."""
    return f"# yaml-language-server: $schema={location}\n"


def definition(name: str) -> dict[str, Any]:
    """One of the schema's $defs, e.g. 'sectionId'."""
    return notice_schema()["$defs"][name]


def defaults() -> dict[str, Any]:
    """The default of each top-level key that has one."""
    properties = notice_schema()["properties"]
    return {
        key: copy.deepcopy(rule["default"]) for key, rule in properties.items() if "default" in rule
    }


@cache
def schema_pattern(pattern: str) -> re.Pattern[str]:
    """A schema pattern as JSON Schema means it: its final `$` is the end of the text (Python's
    `$` also matches before a final newline, which let `id: "fcra-rights\\n"` through)."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


# Section files' front matter holds the same ids as the tree: one pattern for both.
SECTION_ID = schema_pattern(definition("sectionId")["pattern"])


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator:
    if validator.is_type(instance, "string") and not schema_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_NoticeValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@cache
def _validator() -> Draft202012Validator:
    return _NoticeValidator(notice_schema())


def schema_problems(config: Any, path: str = NOTICE_FILE) -> list[Problem]:
    """Every place where config breaks the schema, one problem each, in line order."""
    found: dict[tuple[int | None, str], Problem] = {}
    for error in _validator().iter_errors(config):
        for leaf in _explaining(error):
            for line, message in _describe(leaf, config):
                found.setdefault((line, message), Problem(path, line, message))
    return sorted(found.values(), key=lambda p: (p.line or 0, p.message))


def _explaining(error: ValidationError) -> Iterator[ValidationError]:
    """For anyOf, the errors of the branches whose type fits the value; else the error itself."""
    if error.validator != "anyOf" or not error.context:
        yield error
        return
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.schema_path[0], []).append(sub)
    for errors in branches.values():
        if not any(e.validator == "type" and e.instance is error.instance for e in errors):
            for sub in errors:
                yield from _explaining(sub)
            return
    yield error


def _describe(error: ValidationError, config: Any) -> list[tuple[int | None, str]]:
    """(line, plain-words message) for one error; several for several unknown keys."""
    keys = list(error.absolute_path)
    container, key = _locate(config, keys)
    where = _where(keys)
    value: Any = error.instance  # the stubs add Unset; a validation error always has one
    schema: Any = error.schema  # always a dict here: the stubs also allow bool and Unset
    hint = schema.get("description", "") if isinstance(schema, dict) else ""
    if "propertyNames" in error.absolute_schema_path:
        message = f"{where}: {value!r} is not a valid name. {hint}".rstrip()
        return [(line_of(value_at(config, keys), value), message)]
    if error.validator == "additionalProperties":
        allowed = ", ".join(schema.get("properties", {}))
        return [
            (
                line_of(value, extra),
                f"{_prefix(where)}unknown key {extra!r}; expected one of {allowed}",
            )
            for extra in value
            if extra not in schema.get("properties", {})
        ]
    if error.validator == "required":
        properties = schema.get("properties", {})
        return [
            (
                getattr(value, "start_line", 1),
                f"{_join(where, name)}: missing. {_hint(properties, name)}",
            )
            for name in cast(list[str], error.validator_value)
            if name not in value
        ]
    line = line_of(container, key, 1) if keys else line_of(config, None, 1)
    return [(line, _message(error, where, hint))]


def _message(error: ValidationError, where: str, hint: str) -> str:
    value = error.instance
    expected: Any = error.validator_value  # its type follows the validator
    if error.validator == "type":
        types = expected if isinstance(expected, list) else [expected]
        return f"{_prefix(where)}must be {' or '.join(TYPE_WORDS[t] for t in types)}"
    if error.validator == "enum":
        return f"{where}: {value!r} is not one of {', '.join(map(repr, expected))}"
    if error.validator in ("pattern", "anyOf"):
        mistake = date_mistake(value)
        if mistake:
            return f"{where}: {_shown(value)} is not a valid date: {mistake}"
        return f"{where}: {_shown(value)} is not valid. {hint}".rstrip()
    if error.validator == "minItems":
        return f"{where}: must not be empty. {hint}".rstrip()
    return f"{_prefix(where)}{error.message}"


def _shown(value: Any) -> str:
    return "an empty value" if value is None else repr(value)


def _hint(properties: dict[str, Any], name: str) -> str:
    return properties.get(name, {}).get("description", "")


def _locate(config: Any, keys: list[Any]) -> tuple[Any, Any]:
    """The container holding the value at keys, and the value's key in it."""
    if not keys:
        return None, None
    return value_at(config, keys[:-1]), keys[-1]


def value_at(config: Any, keys: list[Any]) -> Any:
    """The value at a path of keys and list indexes."""
    for key in keys:
        config = config[key]
    return config


def _where(keys: list[Any]) -> str:
    """A path as an editor reads it: 'variables.contact.fax', 'sections.id' (no list indexes)."""
    names: list[str] = []
    for key in keys:
        if isinstance(key, str) and (not names or names[-1] != key):
            names.append(key)
    return ".".join(names)


def _join(where: str, name: Any) -> str:
    return f"{where}.{name}" if where else str(name)


def _prefix(where: str) -> str:
    return f"{where}: " if where else ""
