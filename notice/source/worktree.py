"""Where notice files are read from: the working tree here; git trees come from history."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from notice.errors import NoticeError

MAX_FILE_BYTES = 2 * 1024 * 1024  # a notice file larger than this is a mistake, not a notice


class SourceReadError(NoticeError):
    """A file of the notice cannot be read (missing, outside the project, too large, not UTF-8)."""

    def __init__(self, path: str, message: str):
        self.path = path
        super().__init__(f"{path}: {message}")


class NoticeSource(Protocol):
    """Read-only access to the files of one notice, by path relative to its root."""

    label: str

    def read_text(self, path: str) -> str: ...

    def list_files(self, folder: str, suffix: str) -> list[str]: ...

    def exists(self, path: str) -> bool: ...


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (drop a BOM, CRLF to LF); refuse anything else with a clear message."""
    if len(data) > MAX_FILE_BYTES:
        raise SourceReadError(
            path, f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}: split it"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceReadError(f"{path}:{line}", "not valid UTF-8: save the file as UTF-8") from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


class WorkingTree:
    """The notice as files on disk under root; never follows a link out of root."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.label = "working tree"

    def _inside(self, path: str) -> Path:
        full = (self.root / path).resolve()
        if not full.is_relative_to(self.root):
            raise SourceReadError(path, "points outside the notice project (a link?): refused")
        return full

    def read_text(self, path: str) -> str:
        full = self._inside(path)
        try:
            data = full.read_bytes()
        except FileNotFoundError:
            raise SourceReadError(path, "file not found") from None
        except OSError as exc:
            raise SourceReadError(path, f"cannot be read: {exc.strerror}") from None
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
        return (self.root / path).exists()
