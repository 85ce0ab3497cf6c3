"""Keep library log messages (mkdocs, WeasyPrint) off the screen, collected for the CLI."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator


class CollectedMessages(logging.Handler):
    """The warnings and errors a logger emitted, as plain messages."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def captured_warnings(logger: logging.Logger) -> Iterator[CollectedMessages]:
    """Collect logger's warnings in the block instead of letting them reach the root logger."""
    handler = CollectedMessages()
    saved = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved
