"""`notice build`: the site and its PDF through mkdocs, built aside, then swapped into place."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from notice.errors import NoticeError, Problem, SourceError, UsageError
from notice.files import exchange
from notice.layout import (
    ARCHIVE_DIR,
    CACHE_DIR,
    CONFIG_FILE,
    MACROS_DIR,
    NOTICE_FILE,
    PACKAGE_DIR,
    SECTIONS_DIR,
    SITE_PATHS,
)
from notice.publish.logcapture import captured_warnings
from notice.publish.site.inputs import (
    files_digest,
    history_state,
    package_version,
    source_commit,
    toolkit_files,
)
from notice.publish.siteconfig import checked_site_config, materialise

STAMP_FILE = ".notice-build.json"
PLUGIN_MODULE = PACKAGE_DIR / "publish" / "site" / "plugin.py"
VERSIONED = ("notice-toolkit", "mkdocs", "mkdocs-material", "weasyprint", "markdown-it-py")
LOCK_FILE = ".cache/notice/build.lock"  # one build of a project at a time; .cache/ is git-ignored
LOCK_TIMEOUT = 600  # seconds to wait for another build of the same project
# Tests name a step here to have the real process stop itself (SIGSTOP) there, then kill -9 it.
STOP_VARIABLE = "NOTICE_BUILD_STOP_AT"


@dataclass(frozen=True)
class BuildResult:
    """Where the site and its PDF are, whether the build was skipped, what mkdocs warned about."""

    site: Path
    pdf: Path
    skipped: bool
    warnings: tuple[str, ...] = ()

    @property
    def index(self) -> Path:
        return self.site / "index.html"


def build_site(
    root: Path, out: Path | None = None, *, force: bool = False, config_from: str | None = None
) -> BuildResult:
    """Build the site of the notice at root into out (default root/site), unless up to date.

    config_from: a git ref whose mkdocs.yml, docs/ and overrides/ configure the site instead of
    the working tree's (a pull request's site configuration is not trusted)."""
    root = Path(root).resolve()
    out = (Path(out) if out is not None else root / "site").resolve()
    _check_output(root, out)
    with _site_root(root, config_from) as site_root:
        config_file = site_root / CONFIG_FILE
        if not config_file.is_file():
            raise UsageError(f"{config_file}: not found; the site is configured in {CONFIG_FILE}")
        with _locked(root):
            _clear_leftovers(out)
            return _build(config_file, root, out, force)


@contextlib.contextmanager
def _site_root(root: Path, config_from: str | None) -> Iterator[Path]:
    """The folder holding the site's configuration: root, or a copy of it taken from a ref."""
    if config_from is None:
        yield root
        return
    with tempfile.TemporaryDirectory(prefix="notice-site-config-") as folder:
        materialise(root, config_from, Path(folder))
        yield Path(folder)


def _build(config_file: Path, root: Path, out: Path, force: bool) -> BuildResult:
    checked_site_config(config_file)
    stamp = input_stamp(root, config_file.parent)
    previous = _read_stamp(out)
    if not force and previous is not None and previous.get("inputs") == stamp:
        pdf = out / str(previous.get("pdf", ""))
        if pdf.is_file() and (out / "index.html").is_file():
            return BuildResult(out, pdf, skipped=True)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with _staging(out) as staged:
            pdf_uri, warnings = _mkdocs_build(config_file, staged, root)
            stamp_data = {"inputs": stamp, "pdf": pdf_uri}
            (staged / STAMP_FILE).write_text(json.dumps(stamp_data, indent=1), encoding="utf-8")
            stop_if_asked("built")
            _swap(staged, out)
    except OSError as exc:
        raise NoticeError(f"{out}: cannot write the site: {exc.strerror or exc}") from None
    return BuildResult(out, out / pdf_uri, skipped=False, warnings=warnings)


def input_stamp(root: Path, site_root: Path | None = None) -> str:
    """A digest of every input of the site: the notice, the site's config, the toolkit, and what
    the version pages show: the git history (HEAD) and the archive (its ledger and PDFs)."""
    site_root = site_root or root
    notice_files = [root / NOTICE_FILE, root / SECTIONS_DIR, root / MACROS_DIR]
    site_files = [site_root / name for name in SITE_PATHS]
    parts = [
        files_digest(notice_files, root),
        files_digest(site_files, site_root),
        files_digest(toolkit_files(PLUGIN_MODULE, Path(__file__)), PACKAGE_DIR),
        *(f"{name}={package_version(name)}" for name in VERSIONED),
        f"commit={source_commit(root)}",  # the PDF records it
        f"history={history_state(root)}",
        files_digest([root / ARCHIVE_DIR], root),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _check_output(root: Path, out: Path) -> None:
    if root.is_relative_to(out):
        raise UsageError(f"--out {out}: would replace the notice folder itself; choose site/")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    built = (out / STAMP_FILE).exists() or (out / "index.html").exists()
    if out.is_dir() and not built and any(out.iterdir()):
        raise UsageError(f"--out {out}: not empty and not a built site; choose another folder")


def stop_if_asked(step: str) -> None:
    """Stop this process at step when the test hook names it, so a test can kill -9 it there."""
    if os.environ.get(STOP_VARIABLE) == step:
        os.kill(os.getpid(), signal.SIGSTOP)


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    path = root / LOCK_FILE
    lock = FileLock(path, timeout=LOCK_TIMEOUT)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:  # before OSError: a Timeout is one
        raise NoticeError(f"{path}: another build has held it for {LOCK_TIMEOUT} s") from None
    except OSError as exc:
        raise NoticeError(f"{path}: cannot lock the build: {exc.strerror or exc}") from None
    try:
        stop_if_asked("locked")
        yield
    finally:
        lock.release()


def _clear_leftovers(out: Path) -> None:
    """Remove what a killed build left beside out; the lock says no build is using it. A swap
    cut between its two renames left the previous site aside: put it back first."""
    prefixes = (f".{out.name}.building-", f".{out.name}.previous-")
    found = [p for p in out.parent.glob(".*") if p.name.startswith(prefixes) and p.is_dir()]
    for path in found:
        if not out.exists() and path.name.startswith(prefixes[1]) and (path / STAMP_FILE).is_file():
            os.replace(path, out)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _read_stamp(out: Path) -> dict | None:
    try:
        data = json.loads((out / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@contextlib.contextmanager
def _staging(out: Path) -> Iterator[Path]:
    """A temporary folder beside out; gone afterwards whether the build worked or not."""
    staged = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    staged.chmod(0o755)  # mkdtemp's 0o700 would hide the published site from a web server
    try:
        yield staged
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def _swap(staged: Path, out: Path) -> None:
    """Move the new site into place in one step where the system can (the previous one lands in
    staged, removed with it); else in two renames, restoring the previous one if the move fails."""
    if out.exists() and exchange(staged, out):
        stop_if_asked("swapped")
        return
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.previous-", dir=out.parent))
        os.replace(out, old)
    try:
        os.replace(staged, out)
    except OSError:
        if old is not None:
            os.replace(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _mkdocs_build(config_file: Path, site_dir: Path, root: Path) -> tuple[str, tuple[str, ...]]:
    """Run mkdocs as its CLI would; return the PDF's path in the site and mkdocs' warnings.
    The notice plugin reads the notice at root, wherever the configuration came from."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with captured_warnings(logging.getLogger("mkdocs")) as logs:
        try:
            config = load_config(config_file=str(config_file), site_dir=str(site_dir))
            _point_plugin_at(config, config_file.parent, root)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except MkDocsException as exc:
            cause = _notice_error(exc)
            if cause is not None:
                raise cause from None
            messages = logs.messages or [str(exc)]
            raise SourceError([Problem(CONFIG_FILE, None, m) for m in messages]) from None
    plugin = config.plugins.get("notice")
    if plugin is None or getattr(plugin, "pdf", None) is None:
        raise UsageError(f"{config_file}: add the notice plugin: plugins: [search, notice]")
    return plugin.pdf.src_uri, tuple(logs.messages)


def _point_plugin_at(config: Any, site_root: Path, root: Path) -> None:
    """With a configuration taken from elsewhere, the plugin still renders root's notice."""
    plugin = config.plugins.get("notice")
    if plugin is not None and site_root != root:
        plugin.config.root = str(root)
        plugin.config.cache_dir = str(root / CACHE_DIR)


def _notice_error(exc: BaseException) -> NoticeError | None:
    """The toolkit's own error behind mkdocs' PluginError and Abort, if that is what failed."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, NoticeError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
