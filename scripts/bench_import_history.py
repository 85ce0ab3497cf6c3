#!/usr/bin/env python3
"""Benchmark history import: a 50-version history against 50 single imports of the same files.

The versions replay real edits: Basecamp's privacy policy of 2020-04-08 … 2023-04-20 (fixture
versions 04 to 08) walked forward and back (04, 05, 06, 07, 08, 07, 06, …), so each step is one
real change between consecutive versions, and each version gets a new date (30 days apart). The
baseline is what a user would do by hand: `import_notice` once per file. The ratio shows what the
history layer adds: stable ids and names, git commits, one more render per version.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from notice.importer import import_notice  # noqa: E402
from notice.importer.history import file_versions, import_history  # noqa: E402
from notice.render.rendering import format_date  # noqa: E402

BASECAMP = PROJECT / "tests" / "fixtures" / "real" / "history" / "basecamp"
REAL_EDITS = [
    "04-ea36d524.md",
    "05-ed3389bd.md",
    "06-00189338.md",
    "07-46b36201.md",
    "08-40002bdc.md",
]
_DATE_LINE = re.compile(r"^\*Last updated:.*\*\s*$", re.MULTILINE)
FIRST_DAY = date(2020, 1, 1)


def ping_pong(count: int) -> list[str]:
    """04, 05, 06, 07, 08, 07, 06, 05, 04, 05, …: each step one real edit, forward or back."""
    cycle = REAL_EDITS + REAL_EDITS[-2:0:-1]
    return [cycle[index % len(cycle)] for index in range(count)]


def write_versions(folder: Path, count: int) -> list[Path]:
    """count dated files, oldest first."""
    paths = []
    for index, name in enumerate(ping_pong(count)):
        day = FIRST_DAY + timedelta(days=30 * index)
        text = (BASECAMP / name).read_text(encoding="utf-8")
        text = _DATE_LINE.sub(f"*Last updated: {format_date(day)}*", text, count=1)
        path = folder / f"{index + 1:03d}-{name}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=50)
    count = parser.parse_args().versions
    with tempfile.TemporaryDirectory(prefix="bench-import-history-") as work:
        folder = Path(work)
        (folder / "in").mkdir()
        paths = write_versions(folder / "in", count)
        options = {"title": "Basecamp privacy policy", "company": "Basecamp"}

        def singles() -> None:
            for index, path in enumerate(paths):
                import_notice(path, folder / "single" / f"{index:03d}", **options)

        baseline = timed(singles)
        done = {}

        def history() -> None:
            done["report"] = import_history(file_versions(paths), folder / "history", **options)

        elapsed = timed(history)
    report = done["report"]
    kept = sum(len(v.renamed) for v in report.versions)
    print(f"versions: {count} ({len(report.commits)} commits, {kept} section ids kept by content)")
    print(f"history import: {elapsed:.2f} s ({elapsed / count * 1000:.0f} ms per version)")
    print(f"baseline, {count} single imports: {baseline:.2f} s")
    print(f"ratio history / single imports: {elapsed / baseline:.2f}")


if __name__ == "__main__":
    main()
