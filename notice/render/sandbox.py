"""The Jinja2 sandbox for untrusted section text: no escapes, and bounded work and output."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jinja2 import BaseLoader, StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment, safe_range

MAX_LOOP_ITERATIONS = 100_000  # over the whole rendering, all range() loops together
MAX_SEQUENCE_LENGTH = 1_000_000  # longest string or list a template may build with * or **
RENDER_SECONDS = 30.0


class RenderTimeout(Exception):
    """The rendering ran past its time limit (a loop too large?)."""


class NoticeSandbox(SandboxedEnvironment):
    """SandboxedEnvironment + StrictUndefined, with loops, repetition and powers kept small."""

    intercepted_binops = frozenset(["*", "**"])

    def __init__(self, loader: BaseLoader):
        super().__init__(
            loader=loader, undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
        )
        self.loop_budget = MAX_LOOP_ITERATIONS
        self.globals.clear()  # no cycler, joiner, lipsum, namespace, dict: only what we allow
        self.globals["range"] = self._budgeted_range

    def _budgeted_range(self, *args: int) -> Iterator[int]:
        try:
            numbers = safe_range(*args)  # refuses ranges over jinja2's MAX_RANGE
        except OverflowError:
            raise SecurityError(f"range() is limited to {MAX_LOOP_ITERATIONS:,} numbers") from None
        if len(numbers) > self.loop_budget:
            raise SecurityError(
                f"loops may run at most {MAX_LOOP_ITERATIONS:,} times in a notice in all"
            )
        self.loop_budget -= len(numbers)
        return iter(numbers)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError("powers above 64 are not allowed in a notice")
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                too_long = (
                    isinstance(sequence, (str, list, tuple))
                    and isinstance(count, int)
                    and len(sequence) * count > MAX_SEQUENCE_LENGTH
                )
                if too_long:
                    raise SecurityError("repeating text this many times is not allowed")
        return super().call_binop(context, operator, left, right)


@contextmanager
def time_limit(seconds: float = RENDER_SECONDS) -> Iterator[None]:
    """Raise RenderTimeout inside the block after seconds (main thread only; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise RenderTimeout(f"rendering took longer than {seconds:g} s (a loop too large?)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
