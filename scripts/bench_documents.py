#!/usr/bin/env python3
"""Benchmark several documents: a project of --documents documents x --versions versions x two
languages built cold, against one such document built cold, and a rebuild after one new version.

Generates (one git fast-import each) a project whose root document and every documents/<id>/ is
the MetTel notice in English and French (translation files from `notice translate fr`), each with
--versions versions committed one document at a time, and a project of the root document alone.
Times whole `notice build` processes, start-up included, from one run:
  - single: a cold build of the one-document project (the baseline);
  - several: a cold build of the several-document project (target <= 10x single);
  - rebuild: one new version of one document committed, then `notice build` (target <= 0.1x the
    several-document cold build);
  - peak memory of any build process (target < 1 GiB).
Exit status 1 when a target is missed. Usage: .venv/bin/python scripts/bench_documents.py
[--documents 10] [--versions 50].
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "scripts"))

from bench_history import (  # noqa: E402
    CHANGES,
    FIRST_DAY,
    _commit,
    add_site_config,
    notice_files,
    with_date,
)
from bench_incremental import ENV, NOTICE, compile_toolkit, notice_build  # noqa: E402

from notice.layout import CACHE_DIR  # noqa: E402

GIB = 1024**3
IDENTITY = ["-c", "user.name=Bench", "-c", "user.email=b@example.com"]


def french_files() -> dict[str, str]:
    """The notice's files with `languages: [en, fr]` and its French translation files, as
    `notice translate fr` writes them (path -> text, relative to a document's folder)."""
    files = notice_files()
    files["notice.yml"] = re.sub(
        r"(?m)^title: ", "languages: [en, fr]\ntitle: ", files["notice.yml"]
    )
    with tempfile.TemporaryDirectory(prefix="bench-fr-") as scratch:
        for path, text in files.items():
            (Path(scratch) / path).parent.mkdir(parents=True, exist_ok=True)
            (Path(scratch) / path).write_text(text, encoding="utf-8")
        subprocess.run(
            [str(NOTICE), "translate", "fr", "--root", scratch],
            env=ENV,
            check=True,
            capture_output=True,
        )
        for path in sorted((Path(scratch) / "translations").rglob("*")):
            if path.is_file():
                files[path.relative_to(scratch).as_posix()] = path.read_text(encoding="utf-8")
    return files


def document_ids(count: int) -> list[str]:
    return [f"policy-{number}" for number in range(1, count)]


def generate(repo: Path, documents: int, versions: int) -> None:
    """The project: the root document and documents - 1 more, versions each, in one import."""
    base = french_files()
    ids = document_ids(documents)
    root_files = dict(base)
    if ids:
        listing = "documents: [" + ", ".join(ids) + "]\n"
        root_files["notice.yml"] = base["notice.yml"] + listing
    folders = {"": root_files} | {f"documents/{i}/": _own(base, i) for i in ids}
    stream: list[bytes] = []
    number = 0
    for index in range(versions):
        day = FIRST_DAY + timedelta(days=index)
        for folder, files in folders.items():
            changed = {
                f"{folder}notice.yml": with_date(files["notice.yml"], day, f"Revision {index}."),
                f"{folder}{CHANGES}": files[CHANGES].replace(
                    "From time to time", f"In revision {index}, from time to time"
                ),
            }
            if index == 0:
                changed = {f"{folder}{path}": text for path, text in files.items()} | changed
            number += 1
            _commit(stream, number, f"{folder or 'root'} version {day}", changed)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
    add_site_config(repo)
    (repo / ".gitignore").write_text("/site/\n/.cache/\n/mkdocs.yml\n/docs/\n")


def _own(base: dict[str, str], document_id: str) -> dict[str, str]:
    """A document's files: the notice under its own title, its shared variables left out."""
    files = {path: text for path, text in base.items() if not path.startswith("macros/")}
    text = re.sub(r"(?m)^title: .*$", f"title: Policy {document_id}", base["notice.yml"])
    files["notice.yml"] = re.sub(r"(?m)^variables:\n(?:  .*\n)+", "", text)
    return files


def add_version(repo: Path, folder: str, index: int) -> None:
    """Commit one more version of the document in folder ('documents/<id>/')."""
    day = FIRST_DAY + timedelta(days=index)
    notice_yml = repo / folder / "notice.yml"
    notice_yml.write_text(
        with_date(notice_yml.read_text(encoding="utf-8"), day, f"Revision {index}."),
        encoding="utf-8",
    )
    changes = repo / folder / CHANGES
    text = changes.read_text(encoding="utf-8")
    changes.write_text(text.replace("In revision", "In the new revision", 1), encoding="utf-8")
    subprocess.run(
        ["git", *IDENTITY, "commit", "-q", "-am", f"version {day}"], cwd=repo, check=True
    )


def cold(repo: Path) -> float:
    shutil.rmtree(repo / CACHE_DIR, ignore_errors=True)
    return notice_build(repo, "--force")


def peak_memory() -> int:
    """The largest resident set of any build process waited for so far, in bytes (Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--versions", type=int, default=50)
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    try:
        compile_toolkit()
        single_repo, several_repo = workdir / "single", workdir / "several"
        generate(single_repo, 1, options.versions)
        generate(several_repo, options.documents, options.versions)
        single = cold(single_repo)
        several = cold(several_repo)
        folder = f"documents/{document_ids(options.documents)[-1]}/"
        add_version(several_repo, folder, options.versions)  # untimed: sets the cold site aside
        notice_build(several_repo)
        add_version(several_repo, folder, options.versions + 1)
        rebuild = notice_build(several_repo)
        memory = peak_memory()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    scale, incremental = several / single, rebuild / several
    checks = [scale <= 10, incremental <= 0.1, memory < GIB]
    shape = f"{options.documents} documents x {options.versions} versions x 2 languages"
    print(f"{shape}; each figure one whole `notice build` process")
    rows = [
        ("baseline: one document, cold", f"{single:8.2f} s"),
        (f"{options.documents} documents, cold", f"{several:8.2f} s"),
        ("after one new version of one document", f"{rebuild:8.2f} s"),
        ("ratio documents cold / one cold", f"{scale:8.3f}   (target <= 10: {_v(checks[0])})"),
        (
            "ratio rebuild / documents cold",
            f"{incremental:8.3f}   (target <= 0.1: {_v(checks[1])})",
        ),
        ("peak memory of a build", f"{memory / 2**20:8.0f} MiB (target < 1024: {_v(checks[2])})"),
    ]
    for label, figure in rows:
        print(f"{label:<40}{figure}")
    return 0 if all(checks) else 1


def _v(ok: bool) -> str:
    return "ok" if ok else "MISSED"


if __name__ == "__main__":
    sys.exit(main())
