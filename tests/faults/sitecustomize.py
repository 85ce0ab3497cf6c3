"""Fault injection for tests, outside the toolkit: stop a real `notice` process at a real point.

A test starts the command with this folder first on PYTHONPATH and NOTICE_TEST_STOP_AT set to
`module:function[:call|:return][#N]`, e.g. `notice.files:move_durably:call#2`. At start-up
Python imports this file (sitecustomize), which wraps that function so that the process stops
itself (SIGSTOP) when it is called (or returns) for the Nth time; the test then kills it with
SIGKILL, as a power cut would. The toolkit's code has no test hook of its own.
"""

from __future__ import annotations

import functools
import importlib
import os
import signal

POINT = os.environ.get("NOTICE_TEST_STOP_AT", "")


def _stop() -> None:
    os.kill(os.getpid(), signal.SIGSTOP)


def _wrap(function, when: str, nth: int):
    calls = 0

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        nonlocal calls
        calls += 1
        if when == "call" and calls == nth:
            _stop()
        result = function(*args, **kwargs)
        if when == "return" and calls == nth:
            _stop()
        return result

    return wrapper


def _install(point: str) -> None:
    target, _, count = point.partition("#")
    module_name, _, rest = target.partition(":")
    name, _, when = rest.partition(":")
    owner = importlib.import_module(module_name)
    *path, attribute = name.split(".")
    for part in path:
        owner = getattr(owner, part)
    original = getattr(owner, attribute)
    setattr(owner, attribute, _wrap(original, when or "call", int(count or 1)))


if POINT:
    _install(POINT)
