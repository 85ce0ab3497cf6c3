"""Incremental builds: a real repository with three versions, real builds, the cache under
.cache/notice/: after a new version only that version is rendered, and the site is the one a
cold build gives, byte for byte; a damaged or planted cache entry is a miss, never a crash."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from notice.actions.build import build_site
from notice.layout import BUILD_RECORD, CACHE_DIR
from notice.model import RenderedNotice
from notice.publish.site.buildcache import (
    DATES,
    KEYS,
    RENDERED_TEXTS,
    TEXTS,
    RenderStore,
    build_cache,
)
from notice.publish.site.jsoncodec import InvalidEntry, from_json, to_json
from notice.publish.site.versions import site_history
from notice.render.rendering import render
from notice.source.load import load_notice
from tests.conftest import commit_all, git, undocumented
from tests.test_site_history import V2, V3, new_repo, next_version


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site but the build record, by path."""
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.name != BUILD_RECORD
    }


def cache_work(site: Path) -> dict[str, int]:
    """What the build record says the build cache did."""
    return json.loads((site / BUILD_RECORD).read_text(encoding="utf-8"))["cache"]


def cold_build(repo: Path, target: Path) -> dict[str, bytes]:
    """A build of a copy of repo with no cache and no previous site."""
    copy = target / "cold"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".cache", "site"))
    result = build_site(copy)
    assert cache_work(result.site)["hits"] == 0
    return site_files(result.site)


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository with versions of 2022-11-11 and 2023-03-01, built once (the cache filled)."""
    repo = new_repo(tmp_path_factory.mktemp("incremental") / "repo")
    (repo / ".gitignore").write_text("/site/\n/.cache/\n")
    next_version(repo, V2)
    first = build_site(repo)
    assert cache_work(first.site)["renders"] == 1  # the current version is the working tree's
    return repo


def test_a_build_after_a_new_version_renders_only_that_version(two_versions: Path, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(two_versions, repo, symlinks=True)
    next_version(repo, V3)
    result = build_site(repo)
    work = cache_work(result.site)
    # no past version rendered again (the new one is the working tree's, rendered once)
    assert work["renders"] == 0
    # read: the dates, the text hashes (by notice key and by rendering), the commits' keys, two
    # past versions, the old redline
    # (for its TOC, then its page), the pages of the first version and of its changes, as the
    # theme made them; missed and written: the new version's rendering, its redline and its TOC;
    # the pages of the version before (now superseded), of its changes (which link to it) and of
    # the new changes; written: the dates, the text hashes and the keys, with the new version's
    assert work == {"renders": 0, "hits": 10, "misses": 6, "writes": 9}
    assert site_files(result.site) == cold_build(repo, tmp_path)


def test_a_rebuild_reads_every_past_version_from_the_cache(two_versions: Path, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(two_versions, repo, symlinks=True)
    result = build_site(repo, force=True)
    assert cache_work(result.site) == {"renders": 0, "hits": 11, "misses": 0, "writes": 0}


def damage(folder: Path) -> int:
    """Spoil every cache entry in its own way; return how many."""
    spoilers = [
        lambda path: path.write_bytes(b"\x80garbage"),
        lambda path: path.write_bytes(path.read_bytes()[:-40]),
        lambda path: path.write_text('{"format": 1, "stamp": "x", "key": "y", "value": {}}'),
        lambda path: path.write_text("[" * 100_000 + "]" * 100_000),
        lambda path: (path.unlink(), os.symlink("/etc/passwd", path)),
    ]
    parts = ("renders", "changes", "pages")
    entries = sorted(path for part in parts for path in (folder / part).iterdir())
    for index, path in enumerate(entries):
        spoilers[index % len(spoilers)](path)
    return len(entries)


def test_a_damaged_cache_is_a_miss_and_the_site_is_right(two_versions: Path, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(two_versions, repo, symlinks=True)
    next_version(repo, V3)
    # dates, texts (by notice key and by rendering), keys, 2 renderings, a redline, its TOC,
    # 3 pages
    assert damage(repo / CACHE_DIR) == 11
    result = build_site(repo)
    work = cache_work(result.site)
    assert work["hits"] == 0 and work["renders"] == 2  # both past versions rendered again
    assert site_files(result.site) == cold_build(repo, tmp_path)


def test_an_entry_moved_to_another_keys_file_is_a_miss(two_versions: Path, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(two_versions, repo, symlinks=True)
    records = {p: json.loads(p.read_text()) for p in (repo / CACHE_DIR / "renders").iterdir()}
    by_day = {
        r["value"]["rendering"]["notice"]["last_updated"]: p
        for p, r in records.items()
        if r["key"] not in (DATES, TEXTS, RENDERED_TEXTS, KEYS)
    }
    # the second version's text under the first's name (the second, HEAD's, is the working tree's)
    by_day["2022-11-11"].write_bytes(by_day["2023-03-01"].read_bytes())
    rendered = render(load_notice(repo))
    history, _ = site_history(repo, rendered, {}, None, _store(repo))
    fresh, _ = site_history(repo, rendered, {}, None)
    assert history is not None and fresh is not None
    assert history.renders == 1
    assert [v.rendered for v in history.versions] == [v.rendered for v in fresh.versions]


def test_a_cache_that_git_tracks_is_not_used(two_versions: Path, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(two_versions, repo, symlinks=True)
    git(repo, "add", "-f", CACHE_DIR)
    commit_all(repo, "a pull request that commits cache entries")
    cache = build_cache(repo, repo / CACHE_DIR)
    assert cache.renders is None and cache.pages is None


def _store(repo: Path) -> RenderStore:
    store = build_cache(repo, repo / CACHE_DIR).renders
    assert store is not None
    return store


def test_a_rendering_survives_json_unchanged(notice_dir: Path):
    rendered = render(load_notice(notice_dir))
    assert from_json(RenderedNotice, json.loads(json.dumps(to_json(rendered)))) == rendered


@pytest.mark.parametrize(
    "spoil",
    [
        lambda data: {**data, "fingerprint": 7},  # a number where text belongs
        lambda data: {**data, "sections": [{"id": "x"}]},  # a section without its fields
        lambda data: {**data, "extra": "field"},
        lambda data: {**data, "notice": {**data["notice"], "last_updated": "2022-13-01"}},
        lambda data: {**data, "notice": {**data["notice"], "coverage_page": 1}},
        lambda data: {**data, "variable_uses": {"a": True}},  # true is not a count
    ],
)
def test_a_rendering_of_the_wrong_shape_is_refused(notice_dir: Path, spoil):
    data = to_json(render(load_notice(notice_dir)))
    with pytest.raises(InvalidEntry):
        from_json(RenderedNotice, spoil(data))


def test_the_cache_cases_are_in_security_md():
    assert undocumented(["build-cache-damaged", "build-cache-moved", "build-cache-committed"]) == []
