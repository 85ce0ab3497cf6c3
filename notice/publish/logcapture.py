"""Keep library log messages and Python warnings (mkdocs, WeasyPrint, Pillow) off the screen,
collected for the CLI in the toolkit's own words."""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator


class CollectedMessages(logging.Handler):
    """The warnings and errors a logger emitted, as plain messages."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


# Python warnings a library may raise, in the toolkit's words (the notice's limits keep images
# far below Pillow's bomb guard, so this one means a limit was bypassed).
_TRANSLATED = {
    "DecompressionBombWarning": "an image is too large to decode safely: scale it down",
}


def translated(caught: warnings.WarningMessage) -> str:
    """A Python warning from a library as one line of the toolkit's."""
    name = caught.category.__name__
    if name in _TRANSLATED:
        return _TRANSLATED[name]
    first = str(caught.message).strip().split("\n")[0][:200]
    return f"a library reported a problem ({name}): {first}"


@contextlib.contextmanager
def captured_warnings(logger: logging.Logger) -> Iterator[CollectedMessages]:
    """Collect logger's warnings and Python's warnings in the block instead of letting them reach
    the root logger or stderr; Python's are translated (translated())."""
    handler = CollectedMessages()
    saved = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            for developers_only in (DeprecationWarning, PendingDeprecationWarning):
                warnings.simplefilter("ignore", developers_only)  # not a reader's concern
            yield handler
        handler.messages.extend(dict.fromkeys(translated(item) for item in caught))
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved
