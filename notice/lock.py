"""The one lock of a build or a release: one holder at a time, a bounded wait, one line if busy."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from notice.errors import NoticeError


class LockBusy(NoticeError):
    """Another process held the lock for longer than the wait allowed."""


@contextlib.contextmanager
def held_lock(path: Path, timeout: float, holder: str) -> Iterator[None]:
    """Hold the lock file at path (one `holder`, e.g. 'build', at a time) for the with-block."""
    lock = FileLock(path, timeout=timeout)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:  # before OSError: a Timeout is one
        raise LockBusy(
            f"{path}: another {holder} has held it for {timeout:g} s; try again"
        ) from None
    except OSError as exc:
        raise NoticeError(f"{path}: cannot lock the {holder}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()
