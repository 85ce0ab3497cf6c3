"""The previous site after a swap: set aside in one rename, removed while the next build works.

Removing a site is an rmdir or unlink per file (about a millisecond a folder on these disks: a
second of a 500-version rebuild). A separate `rm` process removes the sites set aside by earlier
builds on the other core while mkdocs builds the new one (a thread was no faster: it waits for
the GIL between its calls).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from notice.layout import CACHE_DIR

OLD_SITES = f"{CACHE_DIR}/old-sites"


def set_aside(folder: Path, root: Path) -> None:
    """Move folder (the previous site, or a failed build's staging) into root's cache, to be
    removed by the next build; remove it now when it cannot go there."""
    if not folder.exists():  # the first build: nothing was there to swap out
        return
    trash = _trash(root)
    try:
        if trash is None:
            raise OSError("no safe place to set it aside")
        trash.mkdir(parents=True, exist_ok=True)
        os.replace(folder, Path(tempfile.mkdtemp(dir=trash)) / "site")
    except OSError:  # another file system, a read-only cache: remove it the slow way
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def removing_old_sites(root: Path) -> Iterator[None]:
    """Remove the sites earlier builds set aside while the with-block runs (the block's own
    set_aside is not among them); the block ends once they are gone."""
    trash = _trash(root)
    earlier = sorted(trash.iterdir()) if trash is not None and trash.is_dir() else []
    remover = _start_rm(earlier)
    try:
        yield
    finally:
        if remover is not None:
            remover.wait()
        for folder in earlier:  # without rm, or what it could not remove
            shutil.rmtree(folder, ignore_errors=True)


def _start_rm(folders: list[Path]) -> subprocess.Popen | None:
    if not folders:
        return None
    try:
        return subprocess.Popen(
            ["rm", "-rf", "--", *map(str, folders)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:  # no rm here: removed after the block instead
        return None


def _trash(root: Path) -> Path | None:
    """root's old-sites folder, or None when a link on the way would lead it elsewhere (a cache
    folder committed as a symlink must not make a build remove what it points at)."""
    trash = root / OLD_SITES
    if Path(os.path.realpath(trash)) != Path(os.path.abspath(trash)):
        return None
    return trash
