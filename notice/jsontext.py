"""Machine-readable output: JSON made by the encoder from data, ASCII only, no lone surrogates."""

from __future__ import annotations

import json
import re
from typing import Any

_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")  # what surrogateescape leaves of undecodable bytes


def scrubbed(value: Any) -> Any:
    """value with every lone surrogate in its texts (keys included) replaced by U+FFFD: no JSON
    parser, and no UTF-8 encoder, accepts one."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {scrubbed(key): scrubbed(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrubbed(item) for item in value]
    return value


def json_text(value: Any) -> str:
    """value as indented JSON text. ASCII only (every other character as \\uXXXX), so no control
    character, C1 included, is ever written raw and no terminal-safe printing can alter it."""
    return json.dumps(scrubbed(value), indent=2, ensure_ascii=True, allow_nan=False)
