"""`notice build`: the site and its PDF through mkdocs, built aside, then swapped into place."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from notice.actions.collector import fewer_collections
from notice.actions.oldsites import removing_old_sites, set_aside
from notice.errors import NoticeError, Problem, SourceError, UsageError
from notice.files import swap_folder
from notice.layout import (
    ARCHIVE_DIR,
    BUILD_RECORD,
    CACHE_DIR,
    CONFIG_FILE,
    DOCUMENTS_DIR,
    NOTICE_PATHS,
    SITE_PATHS,
)
from notice.lock import held_lock
from notice.publish.logcapture import captured_warnings
from notice.publish.ownfolders import refuse_linked_outputs
from notice.publish.site.inputs import (
    files_digest,
    history_state,
    output_versions,
    source_commit,
    toolkit_digest,
)
from notice.publish.siteconfig import checked_site_config, materialise

LOCK_FILE = f"{CACHE_DIR}/build.lock"  # one build of a project at a time; .cache/ is git-ignored
LOCK_TIMEOUT = 600  # seconds to wait for another build of the same project


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
    root: Path,
    out: Path | None = None,
    *,
    force: bool = False,
    config_from: str | None = None,
    today: date | None = None,
) -> BuildResult:
    """Build the site of the notice at root into out (default root/site), unless up to date;
    as of today (default: the clock's): the version in effect that day is the current one.

    config_from: a git ref whose mkdocs.yml, docs/ and overrides/ configure the site instead of
    the working tree's (a pull request's site configuration is not trusted)."""
    root = Path(root).resolve()
    out = Path(out) if out is not None else root / "site"
    refuse_linked_outputs(root, out)  # before resolve(), which would follow them
    out = out.resolve()
    _check_output(root, out)
    with _site_root(root, config_from) as site_root:
        config_file = site_root / CONFIG_FILE
        if not config_file.is_file():
            raise UsageError(f"{config_file}: not found; the site is configured in {CONFIG_FILE}")
        with held_lock(root / LOCK_FILE, LOCK_TIMEOUT, "build"), fewer_collections():
            _clear_leftovers(out)
            return _build(config_file, root, out, force, today or date.today())


@contextlib.contextmanager
def _site_root(root: Path, config_from: str | None) -> Iterator[Path]:
    """The folder holding the site's configuration: root, or a copy of it taken from a ref."""
    if config_from is None:
        yield root
        return
    with tempfile.TemporaryDirectory(prefix="notice-site-config-") as folder:
        materialise(root, config_from, Path(folder))
        yield Path(folder)


def _build(config_file: Path, root: Path, out: Path, force: bool, today: date) -> BuildResult:
    checked_site_config(config_file)
    # The day is an input: a pending version becomes current on its day without a commit.
    stamp = input_stamp(root, config_file.parent, today)
    previous = _read_stamp(out)
    if not force and previous is not None and previous.get("inputs") == stamp:
        pdf = out / str(previous.get("pdf", ""))
        if pdf.is_file() and (out / "index.html").is_file():
            return BuildResult(out, pdf, skipped=True)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with removing_old_sites(root), _staging(out, root) as staged:
            warnings = _mkdocs_build(config_file, staged, root, today)
            pdf_uri = _record_inputs(staged, stamp)
            swap_folder(staged, out)
    except OSError as exc:
        raise NoticeError(f"{out}: cannot write the site: {exc.strerror or exc}") from None
    return BuildResult(out, out / pdf_uri, skipped=False, warnings=warnings)


def input_stamp(root: Path, site_root: Path | None = None, today: date | None = None) -> str:
    """A digest of every input of the site: the notice, the site's config, the toolkit, what
    the version pages show (the git history and the archive), and the day it is built as of."""
    site_root = site_root or root
    # every document's files: a further document's edit must not leave the site "up to date"
    notice_files = [root / part for part in (*NOTICE_PATHS, DOCUMENTS_DIR)]
    site_files = [site_root / name for name in SITE_PATHS]
    parts = [
        files_digest(notice_files, root),
        files_digest(site_files, site_root),
        toolkit_digest(),
        *output_versions(),
        f"commit={source_commit(root)}",  # the PDF records it
        f"history={history_state(root)}",
        files_digest([root / ARCHIVE_DIR], root),
        f"today={today}",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _check_output(root: Path, out: Path) -> None:
    if root.is_relative_to(out):
        raise UsageError(f"--out {out}: would replace the notice folder itself; choose site/")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    built = (out / BUILD_RECORD).exists() or (out / "index.html").exists()
    if out.is_dir() and not built and any(out.iterdir()):
        raise UsageError(f"--out {out}: not empty and not a built site; choose another folder")


def _clear_leftovers(out: Path) -> None:
    """Remove what a killed build left beside out; the lock says no build is using it. A swap
    cut between its two renames left the previous site aside: put it back first."""
    prefixes = (f".{out.name}.building-", f".{out.name}.previous-")
    found = [p for p in out.parent.glob(".*") if p.name.startswith(prefixes) and p.is_dir()]
    for path in found:
        if (
            not out.exists()
            and path.name.startswith(prefixes[1])
            and (path / BUILD_RECORD).is_file()
        ):
            os.replace(path, out)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _read_stamp(out: Path) -> dict | None:
    try:
        data = json.loads((out / BUILD_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@contextlib.contextmanager
def _staging(out: Path, root: Path) -> Iterator[Path]:
    """A temporary folder beside out; gone afterwards whether the build worked or not (after a
    swap it holds the previous site, which the next build removes)."""
    staged = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    staged.chmod(0o755)  # mkdtemp's 0o700 would hide the published site from a web server
    try:
        yield staged
    finally:
        set_aside(staged, root)


def _record_inputs(site: Path, stamp: str) -> str:
    """Add the inputs' digest to the build record the plugin wrote; return the PDF's path."""
    record = _read_stamp(site)
    if record is None or not isinstance(record.get("pdf"), str):
        raise UsageError(f"{CONFIG_FILE}: add the notice plugin: plugins: [search, notice]")
    record["inputs"] = stamp
    (site / BUILD_RECORD).write_text(json.dumps(record, indent=1), encoding="utf-8")
    return record["pdf"]


def _mkdocs_build(config_file: Path, site_dir: Path, root: Path, today: date) -> tuple[str, ...]:
    """Run mkdocs as its CLI would, the plugin told the day; return mkdocs' warnings. The notice
    plugin reads the notice at root, wherever the configuration came from."""
    # Imported here for speed, not to dodge a cycle: a build with nothing changed stops before
    # this and never loads mkdocs, its theme or the plugin (half of its time, -X importtime).
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from notice.publish.site.plugin import NoticePluginError, with_plugin_options

    with captured_warnings(logging.getLogger("mkdocs")) as logs:
        try:
            config = load_config(
                config_file=str(config_file),
                site_dir=str(site_dir),
                plugins=with_plugin_options(
                    config_file, **_plugin_settings(config_file, root, today)
                ),
            )
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except NoticePluginError as exc:  # raised before mkdocs' build started (on_config)
            raise exc.error from None
        except MkDocsException as exc:
            # mkdocs' build() turns a plugin's BuildError into Abort, raised while handling it
            if isinstance(exc.__context__, NoticePluginError):
                raise exc.__context__.error from None
            messages = logs.messages or [str(exc)]
            raise SourceError([Problem(CONFIG_FILE, None, m) for m in messages]) from None
    return tuple(logs.messages)


def _plugin_settings(config_file: Path, root: Path, today: date) -> dict[str, str]:
    """The notice plugin's options for this build: the day, and with a configuration taken from
    elsewhere (--config-from), the notice and cache at root."""
    settings = {"today": today.isoformat()}
    if config_file.parent != root:
        settings |= {"root": str(root), "cache_dir": str(root / CACHE_DIR)}
    return settings
