"""The previous site after a swap: set aside in the cache at once, removed by the next build."""

from __future__ import annotations

from pathlib import Path

from notice.actions.oldsites import OLD_SITES, removing_old_sites, set_aside


def _site(folder: Path, pages: int = 30) -> Path:
    for number in range(pages):
        page = folder / f"changes/2020-01-{number + 1:02d}"
        page.mkdir(parents=True)
        (page / "index.html").write_text("<p>old</p>", encoding="utf-8")
    return folder


def test_a_set_aside_site_leaves_nothing_beside_and_the_next_build_removes_it(tmp_path: Path):
    root = tmp_path / "project"
    previous = _site(root / ".site.building-1")
    set_aside(previous, root)
    assert not previous.exists()
    assert [p.name for p in root.iterdir()] == [".cache"]
    (kept,) = (root / OLD_SITES).iterdir()
    with removing_old_sites(root):
        set_aside(_site(root / ".site.building-2"), root)  # this build's: left for the next
    assert not kept.exists()
    (newer,) = (root / OLD_SITES).iterdir()
    assert (newer / "site" / "changes" / "2020-01-01" / "index.html").is_file()


def test_a_cache_that_links_elsewhere_is_never_used(tmp_path: Path):
    root, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    (elsewhere / "notice" / "old-sites" / "precious").mkdir(parents=True)
    root.mkdir()
    (root / ".cache").symlink_to(elsewhere)
    previous = _site(root / ".site.building-1", pages=2)
    with removing_old_sites(root):
        set_aside(previous, root)
    assert not previous.exists()  # removed at once instead
    assert [p.name for p in (elsewhere / "notice" / "old-sites").iterdir()] == ["precious"]
