"""The build's persistent cache under .cache/notice/: renderings of past versions by git tree ids,
and the redlines of the changes pages by pair of renderings, both keyed by the toolkit's version
and a digest of its files that shape them. A bad or foreign entry is a miss, never an error."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from git.exc import GitCommandError

from notice.errors import NoticeError
from notice.files import write_atomic
from notice.layout import ROOT_PATHS, DocumentPaths
from notice.model import RenderedNotice
from notice.source.gittree import open_repository
from notice.versions.history import Rendering

from .inputs import files_digest, output_versions, toolkit_digest
from .jsoncodec import InvalidEntry, from_json, to_json

log = logging.getLogger("mkdocs.plugins.notice")

FORMAT = 2  # of the entries; a new layout of the files changes it
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a rendering is far smaller; a larger file is not ours
DATES = "last_updated by notice.yml blob"  # the key of the entry of dates
TEXTS = "text_sha256 by notice key"  # the key of the entry of canonical texts' hashes
RENDERED_TEXTS = "text_sha256 by rendering"  # by a digest of the canonical text's inputs
KEYS = "notice key by commit"  # the key of the entry of commits' notice keys
Changed = tuple[tuple[str, str], ...]  # the sections a redline marks as changed: (id, heading)
_DIGEST = re.compile(r"[0-9a-f]{64}")


# A notice key has a part per path: the root document's, or a document's own and shared ones.
_KEY_LENGTHS = {len(ROOT_PATHS.notice_paths), len(DocumentPaths("documents/x").notice_paths)}


@dataclass(frozen=True)
class _StoredRendering:
    """A render entry's value."""

    rendering: RenderedNotice
    digest: str


@cache
def toolkit_stamp() -> str:
    """What shapes renderings, redlines and pages: the toolkit's version, its libraries' versions
    and a digest of the toolkit's files (computed once per build process)."""
    parts = [*output_versions(), toolkit_digest()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass
class Counters:
    """What the cache answered during one build."""

    hits: int = 0
    misses: int = 0
    writes: int = 0


class EntryStore:
    """JSON entries in a folder, one file per key; what reads back is checked against its key."""

    def __init__(self, folder: Path, stamp: str, counters: Counters):
        self.folder, self.stamp, self.counters = folder, stamp, counters

    def _path(self, key: str) -> Path:
        return self.folder / f"{hashlib.sha256(f'{self.stamp}/{key}'.encode()).hexdigest()}.json"

    def load(self, key: str, decode: Callable[[Any], Any]) -> Any | None:
        """The entry stored under key, decoded; None (a miss) when absent or not well formed."""
        try:
            record = json.loads(_read(self._path(key)))
            if not isinstance(record, dict) or (
                record.get("format"),
                record.get("stamp"),
                record.get("key"),
            ) != (FORMAT, self.stamp, key):
                raise InvalidEntry("an entry for another key or toolkit")
            value = decode(record.get("value"))
        except (OSError, ValueError, RecursionError):  # InvalidEntry and JSON errors included
            self.counters.misses += 1
            return None
        self.counters.hits += 1
        return value

    def save(self, key: str, value: Any) -> None:
        """Store value's JSON data under key (best effort: a cache that cannot write is slower)."""
        record = {"format": FORMAT, "stamp": self.stamp, "key": key, "value": value}
        try:
            data = json.dumps(record, allow_nan=False, separators=(",", ":")).encode()
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self._path(key), data)
        except (OSError, ValueError) as exc:
            log.debug("build cache: cannot store %s: %s", key, exc)
            return
        self.counters.writes += 1


def _read(path: Path) -> bytes:
    """A cache file's bytes; never through a symlink, never a file too large to be an entry."""
    handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(handle, "rb") as stream:
        data = stream.read(MAX_ENTRY_BYTES + 1)
    if len(data) > MAX_ENTRY_BYTES:
        raise InvalidEntry(f"{path}: larger than any entry")
    return data


class Digests:
    """The content digest of each rendering a build holds, by identity: stored with a rendering's
    entry, so that keying a changes page by the renderings it compares costs no hashing."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[RenderedNotice, str]] = {}  # holds the object: ids stay unique

    def of(self, rendered: RenderedNotice) -> str:
        known = self._known.get(id(rendered))
        if known is None:
            known = self.remember(rendered, rendering_digest(rendered))
        return known[1]

    def remember(self, rendered: RenderedNotice, digest: str) -> tuple[RenderedNotice, str]:
        self._known[id(rendered)] = (rendered, digest)
        return self._known[id(rendered)]


def rendering_digest(rendered: RenderedNotice) -> str:
    """A digest of what a rendering says, wherever its files were."""
    # repr is exact and far faster than JSON
    content = replace(rendered, notice=replace(rendered.notice, root=Path(".")))
    return hashlib.sha256(repr(content).encode()).hexdigest()


class RenderStore:
    """Renderings of git trees (RenderCache's persistent store), keyed by notice_key(); each
    entry holds its rendering's digest too."""

    def __init__(self, folder: Path, counters: Counters, digests: Digests):
        self.entries = EntryStore(folder / "renders", toolkit_stamp(), counters)
        self.digests = digests

    def load(self, key: tuple[str, ...]) -> Rendering | None:
        return self.entries.load(" ".join(key), self._decode)

    def _decode(self, value: Any) -> RenderedNotice:
        stored = from_json(_StoredRendering, value)
        if not _DIGEST.fullmatch(stored.digest):
            raise InvalidEntry("a digest that is not a sha256")
        self.digests.remember(stored.rendering, stored.digest)
        return stored.rendering

    def save(self, key: tuple[str, ...], result: Rendering) -> None:
        # Only renderings: a tree that failed may have failed for want of time (a loaded machine).
        if isinstance(result, tuple):
            return
        try:
            value = to_json(_StoredRendering(result, self.digests.of(result)))
        except InvalidEntry:  # e.g. a variable JSON cannot hold: rendered again next time
            return
        self.entries.save(" ".join(key), value)

    def load_dates(self) -> dict[str, date]:
        """The last_updated of each notice.yml read before, by blob id (empty on a miss)."""
        return self.entries.load(DATES, lambda value: from_json(dict[str, date], value)) or {}

    def save_dates(self, dates: dict[str, date]) -> None:
        self.entries.save(DATES, to_json(dates))

    def load_texts(self) -> dict[str, str]:
        """The text_sha256 of each rendering made before, by notice key (empty on a miss)."""
        texts = self.entries.load(TEXTS, lambda value: from_json(dict[str, str], value)) or {}
        return {key: text for key, text in texts.items() if _DIGEST.fullmatch(text)}

    def save_texts(self, texts: dict[str, str]) -> None:
        self.entries.save(TEXTS, to_json(texts))

    def load_rendered_texts(self) -> dict[str, str]:
        """The text_sha256 of each rendering hashed before, by its inputs' digest."""
        texts = (
            self.entries.load(RENDERED_TEXTS, lambda value: from_json(dict[str, str], value)) or {}
        )
        return {
            key: text
            for key, text in texts.items()
            if _DIGEST.fullmatch(key) and _DIGEST.fullmatch(text)
        }

    def save_rendered_texts(self, texts: dict[str, str]) -> None:
        self.entries.save(RENDERED_TEXTS, to_json(texts))

    def load_keys(self) -> dict[str, tuple[str, ...]]:
        """The notice key of each commit read before, by "prefix:sha" (empty on a miss)."""
        keys = self.entries.load(KEYS, lambda value: from_json(dict[str, tuple[str, ...]], value))
        return {name: key for name, key in (keys or {}).items() if len(key) in _KEY_LENGTHS}

    def save_keys(self, keys: dict[str, tuple[str, ...]]) -> None:
        self.entries.save(KEYS, to_json(keys))


class PageStore:
    """Redlines of changes pages, keyed by the content of the two renderings they compare."""

    def __init__(self, folder: Path, counters: Counters, digests: Digests):
        stamp = toolkit_stamp()
        self.entries = EntryStore(folder / "changes", stamp, counters)
        self.digests = digests

    def key(self, old: RenderedNotice, new: RenderedNotice) -> str:
        return f"{self.digests.of(old)} {self.digests.of(new)}"

    def changed(
        self, old: RenderedNotice, new: RenderedNotice, compute: Callable[[], Changed]
    ) -> Changed:
        """The changed sections of the changes page from old to new: stored, or computed."""
        key = f"{self.key(old, new)} changed"  # apart from the redline: read for every page
        changed = self.entries.load(key, lambda value: from_json(Changed, value))
        if changed is None:
            changed = compute()
            self.entries.save(key, to_json(changed))
        return changed

    def html(self, old: RenderedNotice, new: RenderedNotice, compute: Callable[[], str]) -> str:
        """The redline from old to new as HTML: stored, or computed and stored.
        Read when mkdocs writes the page: one redline in memory at a time."""
        key = self.key(old, new)
        html = self.entries.load(key, lambda value: from_json(str, value))
        if html is None:
            html = compute()
            self.entries.save(key, html)
        return html


class OutputStore:
    """Whole generated pages as mkdocs' theme made them, by everything that shapes them: the
    site (stamp: its configuration, navigation, theme, the toolkit) and the page (its key)."""

    def __init__(self, folder: Path, site_stamp: str, counters: Counters):
        self.entries = EntryStore(folder / "pages", site_stamp, counters)

    def load(self, key: str) -> str | None:
        return self.entries.load(key, lambda value: from_json(str, value))

    def save(self, key: str, output: str) -> None:
        self.entries.save(key, output)


def site_stamp(site_inputs: list[Path], base: Path, settings: list[str]) -> str:
    """What every page of the site shows besides its own content: configuration files and folders,
    the theme's versions, the toolkit's files, and settings (plugins, navigation titles)."""
    inside = [path for path in site_inputs if path.resolve().is_relative_to(base)]
    outside = [path.resolve() for path in site_inputs if path not in inside]  # e.g. docs_dir: /x
    parts = [
        files_digest(inside, base),
        files_digest(outside, Path("/")),
        toolkit_stamp(),  # the versions of OUTPUT_PACKAGES, the theme's among them
        *settings,
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def page_key(*parts: str) -> str:
    """The key of one page's output: a digest of what it shows."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass
class BuildCache:
    """The stores of one build and their counters; None stores when the cache is off."""

    renders: RenderStore | None
    pages: PageStore | None
    counters: Counters
    folder: Path | None = None  # where OutputStore keeps whole pages, once the site is known

    def outputs(self, stamp: str) -> OutputStore | None:
        return OutputStore(self.folder, stamp, self.counters) if self.folder else None


def build_cache(root: Path, folder: Path) -> BuildCache:
    """The cache in folder, unless git tracks files in it: committed entries are not ours."""
    counters, digests = Counters(), Digests()
    if _tracked(root, folder):
        log.warning("%s: git tracks files in the build cache; not using it", folder)
        return BuildCache(None, None, counters)
    renders, pages = RenderStore(folder, counters, digests), PageStore(folder, counters, digests)
    return BuildCache(renders, pages, counters, folder)


def _tracked(root: Path, folder: Path) -> bool:
    try:
        notice_repo = open_repository(root, full_history=False)
        return bool(notice_repo.repo.git.ls_files("--", str(folder)).strip())
    except (NoticeError, GitCommandError):  # no git: nothing a pull request could have committed
        return False
