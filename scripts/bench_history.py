#!/usr/bin/env python3
"""Benchmark history: 500 versions (1,000 commits) made with git fast-import, against one render.

Each version is two commits: a new date with a changed sentence, then a reflow of a paragraph
(same rendered text, different tree). `notice history` renders one commit per version; `audit`
renders every distinct tree once. The ratios to one render show that nothing renders twice.
A full `notice build` of the same repository (the notice, one page per past version, one changes
page per version, the feed, one PDF) is timed too: its history part renders each past version
once and takes the current one from the working tree.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from notice.actions.build import build_site  # noqa: E402
from notice.publish.site.versions import site_history  # noqa: E402
from notice.render.rendering import render  # noqa: E402
from notice.source.gittree import GitTree, open_repository, resolve_commit  # noqa: E402
from notice.source.load import load_notice  # noqa: E402
from notice.versions.audit import audit  # noqa: E402
from notice.versions.history import RenderCache, read_history  # noqa: E402

CHANGES = "sections/changes-to-this-notice.md"
REFLOWED = "sections/social-media-features.md"
FIRST_DAY = date(2020, 1, 1)


def notice_files() -> dict[str, str]:
    """The project's notice source, path -> text."""
    files = {"notice.yml": (PROJECT / "notice.yml").read_text(encoding="utf-8")}
    for folder in ("sections", "macros"):
        for path in sorted((PROJECT / folder).iterdir()):
            if path.is_file():
                files[f"{folder}/{path.name}"] = path.read_text(encoding="utf-8")
    return files


def with_date(notice_yml: str, day: date, summary: str) -> str:
    text = re.sub(r"(?m)^last_updated: .*$", f"last_updated: {day.isoformat()}", notice_yml)
    return re.sub(r"(?m)^summary: .*$", f"summary: {summary}", text)


def wrapped(text: str, width: int) -> str:
    """The longest line of text re-wrapped every `width` words: same words, new bytes."""
    lines = text.split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i].split(" ")))
    words = lines[longest].split(" ")
    lines[longest] = "\n".join(" ".join(words[i : i + width]) for i in range(0, len(words), width))
    return "\n".join(lines)


def _commit(stream: list[bytes], number: int, message: str, changed: dict[str, str]) -> None:
    timestamp = 1_577_836_800 + number * 3600
    body = message.encode()
    stream.append(b"commit refs/heads/main\n")
    stream.append(f"mark :{number}\n".encode())
    stream.append(f"committer Bench <bench@example.com> {timestamp} +0000\n".encode())
    stream.append(f"data {len(body)}\n".encode() + body + b"\n")
    if number > 1:
        stream.append(f"from :{number - 1}\n".encode())
    for path, text in changed.items():
        data = text.encode("utf-8")
        stream.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")


def generate(repo: Path, versions: int) -> int:
    """A repository with `versions` versions, two commits each, through one git fast-import."""
    files = notice_files()
    original = files[CHANGES]
    reflow_source = files[REFLOWED]
    stream: list[bytes] = []
    number = 0
    for index in range(versions):
        day = FIRST_DAY + timedelta(days=index)
        changed = {
            "notice.yml": with_date(files["notice.yml"], day, f"Revision {index}."),
            CHANGES: original.replace(
                "From time to time", f"In revision {index}, from time to time"
            ),
        }
        if index == 0:
            changed = {**files, **changed}
        number += 1
        _commit(stream, number, f"version {day}", changed)
        number += 1
        _commit(stream, number, f"reflow {day}", {REFLOWED: wrapped(reflow_source, 6 + index % 7)})
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
    return number


def add_site_config(repo: Path) -> None:
    """The project's mkdocs.yml beside the generated notice (untracked: not part of history)."""
    shutil.copy2(PROJECT / "mkdocs.yml", repo / "mkdocs.yml")
    (repo / "docs").mkdir(exist_ok=True)


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def one_render(repo: Path, runs: int = 15) -> float:
    """Median time to load and render one version from a commit's tree."""
    notice_repo = open_repository(repo)
    commit = resolve_commit(notice_repo)
    return statistics.median(
        timed(lambda: render(load_notice(GitTree(commit))))[0] for _ in range(runs)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="Keep the generated repository.")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-history-"))
    repo = workdir / "repo"
    try:
        seconds, commits = timed(generate, repo, args.versions)
        print(f"generated {args.versions} versions, {commits} commits in {seconds:.2f} s")
        single = one_render(repo)
        history_time, history = timed(read_history, repo)
        cache = RenderCache()
        audit_time, audited = timed(audit, repo, "HEAD", cache)
        warm_time, warm = timed(read_history, repo, "HEAD", cache)
        cli_time, cli = timed(
            subprocess.run,
            [str(Path(sys.executable).parent / "notice"), "history", "--root", str(repo)],
            capture_output=True,
        )
        assert cli.returncode == 0 and len(history.versions) == args.versions
        print(f"baseline: render one version from a commit:   {single * 1000:8.1f} ms")
        rows = [
            ("notice history (in process)", history_time, history.renders),
            ("notice history (CLI, one run)", cli_time, None),
            ("full history read + render (audit)", audit_time, audited.renders),
            ("history again, renderings cached", warm_time, warm.renders),
        ]
        for label, elapsed, renders in rows:
            done = f"{renders:5d} renders" if renders is not None else " " * 13
            print(
                f"{label:38s} {elapsed:8.2f} s  {done}  ratio to one render {elapsed / single:7.1f}"
            )
        print(
            f"versions {len(history.versions)}, commits {history.commits}, distinct trees "
            f"{audited.renders}: history renders each version once "
            f"({history.renders} renders), audit each distinct tree once"
        )
        print(f"audit findings: {len(audited.findings)}")
        measure_build(repo, single, args.versions)
    finally:
        if args.keep:
            print(f"repository kept in {repo}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def measure_build(repo: Path, single: float, versions: int) -> None:
    """A full `notice build` (forced, PDF cache cold) against one render; the site's history."""
    add_site_config(repo)
    rendered = render(load_notice(repo))
    site_time, (history, warnings) = timed(site_history, repo, rendered, {}, None)
    assert history is not None and not warnings, warnings
    cli_time, cli = timed(
        subprocess.run,
        [str(Path(sys.executable).parent / "notice"), "build", "--root", str(repo), "--force"],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0, cli.stderr
    again_time, again = timed(build_site, repo)
    assert again.skipped
    site = repo / "site"
    past = len(list((site / "versions").iterdir()))
    changes = len(list((site / "changes").iterdir()))
    assert past == versions - 1 and changes == versions
    rows = [
        ("site history read (in process)", site_time, history.renders),
        ("notice build (CLI, full site)", cli_time, None),
        ("notice build again (nothing changed)", again_time, None),
    ]
    for label, elapsed, renders in rows:
        done = f"{renders:5d} renders" if renders is not None else " " * 13
        print(f"{label:38s} {elapsed:8.2f} s  {done}  ratio to one render {elapsed / single:7.1f}")
    print(
        f"site: {past} past-version pages, {changes} changes pages, {versions} feed entries; "
        f"history renders {history.renders} of {versions} versions (the current one is the "
        "working tree's rendering)"
    )


if __name__ == "__main__":
    main()
