"""The Jinja2 sandbox for untrusted section text: no escapes, and bounded work and output."""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from jinja2 import BaseLoader, StrictUndefined
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.nodes import Concat
from jinja2.sandbox import SandboxedEnvironment, safe_range

from notice.errors import NoticeError

MAX_LOOP_ITERATIONS = 100_000  # over the whole rendering, all range() loops together
MAX_SEQUENCE_LENGTH = 1_000_000  # longest string or list a template may build with * or **
# Characters all templates of a rendering may produce in all (output, macro results, filters,
# `~`, `*`, `%`): the real notice produces about 0.2 million.
MAX_PRODUCED_CHARS = 20_000_000
MAX_INT_BITS = 4096  # integers beyond this come from a bomb, not a notice
MAX_FORMAT_WIDTH = 1000  # width or precision in a format: `'%0999999999d' % 1`, `{:>999999999}`
RENDER_SECONDS = 30.0
_FORMAT_FIELD = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?|\{[^{}]*:([^{}]*)\}|\{[^{}]*\{")
_NUMBER = re.compile(r"\d+")


class RenderTimeout(NoticeError):
    """The rendering or checking ran past its time limit (a loop too large?)."""


class _BoundedGenerator(CodeGenerator):
    """Compiles `a ~ b` to the sandbox's bounded join instead of an unbounded str join."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.bounded_join((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class NoticeSandbox(SandboxedEnvironment):
    """SandboxedEnvironment + StrictUndefined, with loops, repetition and powers kept small."""

    intercepted_binops = frozenset(["*", "**", "%"])
    code_generator_class = _BoundedGenerator

    def __init__(self, loader: BaseLoader):
        super().__init__(
            loader=loader, undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
        )
        self.loop_budget = MAX_LOOP_ITERATIONS
        self.produced_budget = MAX_PRODUCED_CHARS
        self.globals.clear()  # no cycler, joiner, lipsum, namespace, dict: only what we allow
        self.globals["range"] = self._budgeted_range
        self.filters = {name: self._charged(f) for name, f in self.filters.items()}
        for name, check in _FILTER_CHECKS.items():
            self.filters[name] = self._charged(self.filters[name], check)
        self.concat = self.bounded_join  # type: ignore[method-assign]  # template and macro output

    def charge(self, value: Any) -> Any:
        """Count a produced text against the rendering's budget; refuse once it is spent."""
        if isinstance(value, str):
            self.produced_budget -= len(value)
            if self.produced_budget < 0:
                raise SecurityError(
                    f"the templates of a notice may produce at most {MAX_PRODUCED_CHARS:,} "
                    "characters in all"
                )
        elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            raise SecurityError(f"numbers beyond {MAX_INT_BITS} bits are not allowed in a notice")
        return value

    def bounded_join(self, parts: Iterable[Any]) -> str:
        """str join that charges every part as it comes (output streams through it)."""
        return "".join(self.charge(str(part)) for part in parts)

    def _charged(self, function: Callable, check: Callable | None = None) -> Callable:
        passes = hasattr(function, "jinja_pass_arg")  # jinja passes a context or environment first

        def filtered(*args: Any, **kwargs: Any) -> Any:
            if check is not None:
                check(*(args[1:] if passes else args), **kwargs)
            return self.charge(function(*args, **kwargs))

        if passes:
            filtered.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]
        return filtered

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            check_format(value.__self__)  # before any text is built
        return wrapped

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        return __self.charge(super().call(__context, __obj, *args, **kwargs))

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
        if operator == "%" and isinstance(left, str):
            check_format(left)
        if isinstance(left, int) and isinstance(right, int) and operator in ("*", "**"):
            bits = left.bit_length() * (abs(right) if operator == "**" else 1)
            if bits + (right.bit_length() if operator == "*" else 0) > MAX_INT_BITS:
                raise SecurityError(f"numbers beyond {MAX_INT_BITS} bits are not allowed")
        return self.charge(super().call_binop(context, operator, left, right))


def check_format(pattern: str) -> None:
    """Refuse wide or computed widths and precisions in a format string (`%` or str.format)."""
    for field in _FORMAT_FIELD.finditer(pattern):
        spec = field.group(0)
        if "*" in (field.group(1) or "", field.group(2) or "") or spec.count("{") > 1:
            raise SecurityError("computed widths in a format are not allowed in a notice")
        if any(int(number) > MAX_FORMAT_WIDTH for number in _NUMBER.findall(spec)):
            raise SecurityError(f"format widths above {MAX_FORMAT_WIDTH} are not allowed")


def _width(value: Any) -> int:
    return len(value) if isinstance(value, str) else value if isinstance(value, int) else 0


def _limit(size: int) -> None:
    if size > MAX_SEQUENCE_LENGTH:
        raise SecurityError(f"a filter may build at most {MAX_SEQUENCE_LENGTH:,} characters")


def _check_width(value: Any, width: Any = 80, *args: Any, **kwargs: Any) -> None:
    _limit(max(len(str(value)), _width(width)))


def _check_indent(value: Any, width: Any = 4, *args: Any, **kwargs: Any) -> None:
    text = str(value)
    _limit(len(text) + _width(kwargs.get("width", width)) * (text.count("\n") + 1))


def _check_wordwrap(value: Any, width: int = 79, *args: Any, **kwargs: Any) -> None:
    text, wrap = str(value), kwargs.get("wrapstring") or (args[1] if len(args) > 1 else "\n")
    width = kwargs.get("width", width)
    lines = len(text) // max(width if isinstance(width, int) else 1, 1) + text.count("\n") + 1
    _limit(len(text) + len(str(wrap)) * lines)


def _check_replace(value: Any, old: Any = "", new: Any = "", *args: Any, **kwargs: Any) -> None:
    text, old, new = str(value), str(old), str(new)
    count = text.count(old) if old else len(text) + 1
    _limit(len(text) + max(len(new) - len(old), 0) * count)


def _check_join(value: Any, d: Any = "", *args: Any, **kwargs: Any) -> None:
    separator = kwargs.get("d", d)
    items = list(value) if isinstance(value, (list, tuple, str)) else []
    _limit(sum(len(str(item)) for item in items) + len(str(separator)) * len(items))


def _check_format(value: Any, *args: Any, **kwargs: Any) -> None:
    check_format(str(value))


_FILTER_CHECKS: dict[str, Callable[..., None]] = {
    "center": _check_width,
    "truncate": _check_width,
    "indent": _check_indent,
    "wordwrap": _check_wordwrap,
    "replace": _check_replace,
    "join": _check_join,
    "format": _check_format,
}


_deadline_set = False  # a time_limit is active: inner ones share it instead of resetting it


@contextmanager
def time_limit(seconds: float = RENDER_SECONDS, what: str = "rendering") -> Iterator[None]:
    """Raise RenderTimeout inside the block after seconds (main thread only; elsewhere no limit).

    Nested blocks share the outermost deadline: check's lint and render's parse count together.
    """
    global _deadline_set
    if _deadline_set or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise RenderTimeout(f"{what} took longer than {seconds:g} s (a loop or a text too large?)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    _deadline_set = True
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _deadline_set = False
