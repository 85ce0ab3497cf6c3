"""Progress of long commands: a callback the library calls, shown only on a terminal."""

from __future__ import annotations

import sys
from typing import Protocol, TextIO


class Progress(Protocol):
    """Told how far a long stage is: progress("rendering versions", 3, 500)."""

    def __call__(self, stage: str, done: int, total: int) -> None: ...


def no_progress(stage: str, done: int, total: int) -> None:
    """The library's default: say nothing."""


class TerminalProgress:
    """One self-overwriting line on stderr when it is a terminal; nothing in pipes, logs and CI."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        end = "\n" if done >= total else ""
        self.stream.write(f"\r\x1b[K{stage}: {done}/{total}{end}")
        self.stream.flush()
