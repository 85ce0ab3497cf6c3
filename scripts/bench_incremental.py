#!/usr/bin/env python3
"""Benchmark incremental builds: after one new version, a build against a cold one, same run.

Generates a repository of --versions versions (scripts/bench_history.py's generator), then times:
  - a cold `notice build` (no site, no cache under .cache/notice/), the baseline;
  - one new version committed, then `notice build` again: it reads past versions' renderings and
    redlines from the cache, renders the new version and makes its PDF.
Prints both, the ratio and the target (<= 0.3 on 80 versions, <= 0.1 on 500 and more); exit
status 1 when the target is missed. Usage: .venv/bin/python scripts/bench_incremental.py
[--versions N]. Each build is a whole `notice build` process, start-up included, as a user pays
it (timing builds inside one Python process left start-up out: 0.118 then was 0.33 as processes).
The toolkit's bytecode is compiled first, as an installed toolkit has it: the cold build is cold
for the cache, not for Python.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "scripts"))

from bench_history import (  # noqa: E402
    CHANGES,
    FIRST_DAY,
    add_site_config,
    generate,
    with_date,
)

from notice.layout import BUILD_RECORD, CACHE_DIR  # noqa: E402

NOTICE = Path(sys.executable).parent / "notice"
# Bytecode is written as an installed toolkit has it; mkdocs' end-of-life banner stays quiet.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["NO_MKDOCS_2_WARNING"] = "1"


def target(versions: int) -> float:
    return 0.3 if versions < 500 else 0.1


def compile_toolkit() -> None:
    """The toolkit's bytecode, as an installed one has it (an editable install compiles lazily)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(PROJECT / "notice")], check=True)


def notice_build(repo: Path, *options: str) -> float:
    """Wall time of one whole `notice build` process."""
    start = time.perf_counter()
    result = subprocess.run(
        [str(NOTICE), "build", "--root", str(repo), *options], env=ENV, capture_output=True
    )
    took = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"notice build failed:\n{result.stdout.decode()}{result.stderr.decode()}")
    return took


def add_version(repo: Path, index: int) -> None:
    """Commit one more version: a new date and a changed sentence, like the generated ones."""
    day = FIRST_DAY + timedelta(days=index)
    notice_yml = repo / "notice.yml"
    notice_yml.write_text(
        with_date(notice_yml.read_text(encoding="utf-8"), day, f"Revision {index}."),
        encoding="utf-8",
    )
    changes = repo / CHANGES
    text = changes.read_text(encoding="utf-8")
    changes.write_text(text.replace("In revision", "In the new revision", 1), encoding="utf-8")
    for command in (["add", "notice.yml", CHANGES], ["commit", "-q", "-m", f"version {day}"]):
        subprocess.run(
            ["git", "-c", "user.name=Bench", "-c", "user.email=b@example.com", *command],
            cwd=repo,
            check=True,
        )


def cache_work(site: Path) -> dict:
    return json.loads((site / BUILD_RECORD).read_text(encoding="utf-8"))["cache"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=80)
    versions = parser.parse_args().versions
    workdir = Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    try:
        repo = workdir / "repo"
        generate(repo, versions)
        add_site_config(repo)
        (repo / ".gitignore").write_text("/site/\n/.cache/\n/mkdocs.yml\n/docs/\n")
        compile_toolkit()
        shutil.rmtree(repo / CACHE_DIR, ignore_errors=True)
        cold_time = notice_build(repo, "--force")
        cold_work = cache_work(repo / "site")
        # One rebuild first, untimed: it sets the cold site aside, so that the timed one also
        # removes a set-aside site (in a thread, while mkdocs works), as every later build does.
        add_version(repo, versions)
        notice_build(repo)
        add_version(repo, versions + 1)
        warm_time = notice_build(repo)
        warm_work = cache_work(repo / "site")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    ratio, goal = warm_time / cold_time, target(versions)
    print(f"versions: {versions} (+1, then +1 new); each figure one whole `notice build` process")
    print(f"baseline: cold notice build            {cold_time:8.2f} s  {cold_work}")
    print(f"notice build after one new version     {warm_time:8.2f} s  {warm_work}")
    verdict = "ok" if ratio <= goal else "MISSED"
    print(f"ratio after one new version / cold     {ratio:8.3f}   (target <= {goal}: {verdict})")
    return 0 if ratio <= goal else 1


if __name__ == "__main__":
    sys.exit(main())
