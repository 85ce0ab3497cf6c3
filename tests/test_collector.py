"""The build's garbage collector settings: fewer collections while it runs, garbage still freed,
and the settings as they were afterwards (scripts/bench_build.py measures what it saves)."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref
from pathlib import Path

from notice.actions.collector import YOUNG_THRESHOLD, fewer_collections
from tests.conftest import copy_notice


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_the_collector_is_as_it_was_afterwards() -> None:
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with fewer_collections():
        assert gc.get_threshold() == (YOUNG_THRESHOLD, *before[1:])
        assert gc.get_freeze_count() > frozen  # what was alive is out of every collection
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_cyclic_garbage_is_still_collected_inside() -> None:
    with fewer_collections():
        first, second = Node(), Node()
        first.other, second.other = second, first
        gone = weakref.ref(first)
        del first, second
        kept = [[] for _ in range(3 * YOUNG_THRESHOLD)]  # allocations, no explicit collect
        assert gone() is None
    assert len(kept) == 3 * YOUNG_THRESHOLD


# A cold build in its own process, as a user runs it: the full collections that walked every
# object of mkdocs, material and WeasyPrint (a tenth of the build) do not happen, and the
# plugin leaves mkdocs' live-reload server (only `notice serve` runs one) unloaded.
COLD_BUILD = """\
import gc, sys
full = []
gc.callbacks.append(lambda phase, info: info["generation"] == 2 and full.append(phase))
from notice.actions.build import build_site
result = build_site(sys.argv[1])
print(result.index.is_file(), len(full), "mkdocs.livereload" in sys.modules)
"""


def test_a_cold_build_runs_no_full_collection(tmp_path: Path) -> None:
    root = copy_notice(tmp_path / "notice")
    result = subprocess.run(
        [sys.executable, "-c", COLD_BUILD, str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.stdout.split() == ["True", "0", "False"], result.stdout + result.stderr
