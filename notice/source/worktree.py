"""Where notice files are read from: the working tree here; git trees come from history."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Protocol

from notice.errors import NoticeError
from notice.layout import DocumentPaths
from notice.source.documents import place_of

MAX_FILE_BYTES = 2 * 1024 * 1024  # a notice file larger than this is a mistake, not a notice


class SourceReadError(NoticeError):
    """A file of the notice cannot be read (missing, outside the project, too large, not UTF-8)."""

    def __init__(self, path: str, message: str):
        self.path = path
        super().__init__(f"{path}: {message}")


class NoticeSource(Protocol):
    """Read-only access to the files of one notice, by path relative to its root."""

    label: str
    paths: DocumentPaths  # where this document's files are, relative to the project
    document: str  # its id (ROOT_DOCUMENT for the project's root notice)

    def read_text(self, path: str) -> str: ...

    def list_files(self, folder: str, suffix: str) -> list[str]: ...

    def exists(self, path: str) -> bool: ...


def decode(data: bytes, path: str, replaced: list[int] | None = None) -> str:
    """Decode UTF-8 (drop a BOM, CRLF to LF); refuse anything else with a clear message.

    With replaced (a past commit, read as it stands), undecodable bytes become U+FFFD instead,
    never lone surrogates, and the line of the first one is appended to replaced."""
    if len(data) > MAX_FILE_BYTES:
        raise SourceReadError(
            path, f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}: split it"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if replaced is None:
            message = "not valid UTF-8: save the file as UTF-8"
            raise SourceReadError(f"{path}:{line}", message) from None
        replaced.append(line)
        text = data.decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def refused_part(root: Path, relative: str) -> str | None:
    """Why the path at root/relative may not be read as content: a link, or under .git/."""
    parts = Path(relative).parts
    if ".git" in parts or ".." in parts or Path(relative).is_absolute():
        return "is not a file of the notice (nothing under .git/ or outside is read): refused"
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            shown = current.relative_to(root).as_posix()
            where = "" if shown == relative else f" ({shown} is one)"
            return f"is a link{where}: refused, content never goes through links; write the file"
    return None


def read_inside(root: Path, relative: str, limit: int) -> bytes:
    """The bytes of a regular file under root, never through a link, at most limit bytes.

    FileNotFoundError when it is missing; SourceReadError for a link, a device, a pipe or a file
    over the limit (a link to /dev/zero would otherwise be read until memory runs out).
    """
    why = refused_part(root, relative)
    if why is not None:
        raise SourceReadError(relative, why)
    try:  # O_NONBLOCK: opening a named pipe must not wait for a writer
        handle = os.open(root / relative, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise FileNotFoundError(relative) from None
        raise SourceReadError(relative, f"cannot be read: {exc.strerror}") from None
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise SourceReadError(relative, "is not a regular file: refused")
        data = stream.read(limit + 1)
    if len(data) > limit:
        size = max(status.st_size, len(data))
        raise SourceReadError(relative, f"file is {size:,} bytes; the limit is {limit:,}: split it")
    return data


class WorkingTree:
    """The notice as files on disk under root; never follows a link out of root.

    root may be a document's folder (<project>/documents/<id>): files are then read from the
    project with that document's paths, so the shared variables and macros are there too."""

    def __init__(self, root: Path):
        place = place_of(root)
        self.root = place.project  # every path is relative to the project
        self.folder = place.folder
        self.paths = place.paths
        self.document = place.id
        self.label = "working tree"

    def read_text(self, path: str) -> str:
        try:
            data = read_inside(self.root, path, MAX_FILE_BYTES)
        except FileNotFoundError:
            raise SourceReadError(path, "file not found") from None
        return decode(data, path)

    def list_files(self, folder: str, suffix: str) -> list[str]:
        directory = self.root / folder
        if not directory.is_dir():
            return []
        return sorted(
            f"{folder}/{entry.name}"
            for entry in directory.iterdir()
            if entry.name.endswith(suffix) and not entry.name.startswith(".")
        )

    def exists(self, path: str) -> bool:
        return os.path.lexists(self.root / path)


def links_under(root: Path, parts: tuple[str, ...]) -> list[str]:
    """Every link at or under root/part for each part (never followed), relative to root."""
    found = []
    for part in parts:
        top = root / part
        if top.is_symlink():
            found.append(part)
            continue
        for folder, dirs, files in os.walk(top):  # os.walk does not follow links to folders
            for name in dirs + files:
                path = Path(folder) / name
                if path.is_symlink():
                    found.append(path.relative_to(root).as_posix())
    return sorted(found)
