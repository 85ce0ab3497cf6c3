"""Frozen dataclasses (RenderedNotice) to JSON and back, checking every field's type.

The build cache stores renderings as JSON, never as pickle: a cache file is data that anyone able
to write the folder (a pull request that commits one) may have shaped, so reading it must never
run code, and anything that does not have exactly the expected shape is refused (InvalidEntry).
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum
from functools import cache, partial
from pathlib import Path
from typing import Any, Union, get_args, get_origin

_PLAIN = (str, int, float, bool, type(None))


class InvalidEntry(ValueError):
    """A value that does not have the shape its dataclass declares (or that JSON cannot hold)."""


def to_json(value: Any) -> Any:
    """value (dataclasses, tuples, mappings, dates, paths, enums, plain values) as JSON data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise InvalidEntry("a mapping with keys that are not text")
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidEntry("a number JSON cannot hold")
    if type(value) in _PLAIN:
        return value
    raise InvalidEntry(f"a value of type {type(value).__name__}")


def from_json(kind: Any, data: Any) -> Any:
    """The value of type kind that to_json gave data for; InvalidEntry when data does not fit."""
    return _decoder(kind)(data)


Decoder = Callable[[Any], Any]


@cache
def _decoder(kind: Any) -> Decoder:
    """A function decoding data of type kind, worked out once per type: a build decodes hundreds
    of renderings of the same few dataclasses, and reading their type hints each time is slow."""
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        return _union(tuple(_decoder(option) for option in get_args(kind)), kind)
    if origin is tuple:
        item = _decoder(get_args(kind)[0])
        return lambda data: tuple(item(x) for x in _typed(list, data))
    if origin in (Mapping, dict):
        value = _decoder(get_args(kind)[1])
        return lambda data: {
            _typed(str, key): value(item) for key, item in _typed(dict, data).items()
        }
    if kind is Any:
        return _plain
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _dataclass(kind)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return partial(_enum, kind)
    if kind is date:
        return _date
    if kind is Path:
        return lambda data: Path(_typed(str, data))
    if kind in _PLAIN:
        return partial(_typed, kind)
    raise InvalidEntry(f"no JSON form for {kind}")


def _union(options: tuple[Decoder, ...], kind: Any) -> Decoder:
    def decode(data: Any) -> Any:
        for option in options:
            try:
                return option(data)
            except InvalidEntry:
                continue
        raise InvalidEntry(f"{data!r:.40} fits none of {kind}")

    return decode


def _dataclass(kind: type) -> Decoder:
    hints = typing.get_type_hints(kind)
    names = [f.name for f in dataclasses.fields(kind)]
    expected = set(names)
    fields: dict[str, Decoder] = {}

    def decode(data: Any) -> Any:
        record = _typed(dict, data)
        if record.keys() != expected:
            raise InvalidEntry(f"{kind.__name__}: fields {sorted(record)} instead of {names}")
        if not fields:  # on first use: a dataclass may refer to itself, or to one defined later
            fields.update({name: _decoder(hints[name]) for name in names})
        return kind(**{name: fields[name](record[name]) for name in names})

    return decode


def _enum(kind: type[Enum], data: Any) -> Any:
    try:
        return kind(data)
    except ValueError:
        raise InvalidEntry(f"{data!r:.40} is not a {kind.__name__}") from None


def _date(data: Any) -> date:
    try:
        return date.fromisoformat(_typed(str, data))
    except ValueError:
        raise InvalidEntry(f"{data!r:.40} is not a date") from None


def _typed(kind: type, data: Any) -> Any:
    # exact types: JSON's true is not the integer 1, and 1 is not the float 1.0
    if type(data) is not kind and not (kind is float and type(data) is int):
        raise InvalidEntry(f"{data!r:.40} is not a {kind.__name__}")
    return data


def _plain(data: Any) -> Any:
    """JSON data as is, checked: text keys, finite numbers (what to_json writes for Any)."""
    if isinstance(data, dict):
        return {_typed(str, key): _plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(value) for value in data]
    if isinstance(data, float) and not math.isfinite(data):
        raise InvalidEntry("a number JSON cannot hold")
    if type(data) not in _PLAIN:
        raise InvalidEntry(f"a value of type {type(data).__name__}")
    return data
