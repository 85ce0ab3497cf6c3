#!/usr/bin/env python3
"""Benchmark `notice build` and `notice check` against the work they cannot avoid.

Prints, from one run (each figure the median of --runs repetitions, every command a fresh process):
  - `notice build` cold (no site, no PDF cache);
  - the unavoidable work: a plain `mkdocs build` of the same content (material, search, no plugin)
    plus a plain WeasyPrint render of the same print HTML; and the ratio (target <= 1.25);
  - `notice build` with nothing changed, and its ratio to the cold build (target <= 0.3);
  - `notice check` against the import floor, a Python that only imports the libraries check
    needs (jinja2, markdown_it, git, yaml, jsonschema), and the ratio (target <= 1.5);
  - for information, a rebuild after a site-only change (the PDF comes from the cache).
The toolkit's bytecode is compiled first and may be written, as an installed toolkit has it.
Exit status 1 when a target is missed. Usage: .venv/bin/python scripts/bench_build.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NOTICE_PARTS = ("notice.yml", "sections", "macros", "mkdocs.yml", "docs")
COLD_TARGET, NO_CHANGE_TARGET, CHECK_TARGET = 1.25, 0.3, 1.5
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["NO_MKDOCS_2_WARNING"] = "1"
IMPORT_FLOOR = "import jinja2, markdown_it, git, yaml, jsonschema"

PLAIN_MKDOCS_YML = """\
site_name: MetTel Privacy
theme:
  name: material
  language: en
  font: false
  features: [navigation.top, search.highlight, toc.follow]
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {icon: material/weather-night, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {icon: material/weather-sunny, name: Switch to light mode}
plugins: [search]
"""

WEASYPRINT_SCRIPT = """\
import sys, weasyprint
html = open(sys.argv[1], encoding="utf-8").read()
weasyprint.HTML(string=html, base_url=sys.argv[2]).write_pdf(sys.argv[3])
"""


def run(*command: str, cwd: Path | None = None) -> None:
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stdout}{result.stderr}")


def timed(action: Callable[[], None], prepare: Callable[[], None], runs: int) -> float:
    """The median wall time of action, each run after prepare (which is not timed)."""
    times = []
    for _ in range(runs):
        prepare()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def copy_notice(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in NOTICE_PARTS:
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


def plain_inputs(root: Path, work: Path) -> tuple[Path, Path, str]:
    """The same content for the baseline: a plain mkdocs project and the print HTML."""
    sys.path.insert(0, str(PROJECT))
    from notice.publish.pdf import ASSETS, print_html
    from notice.render.rendering import render
    from notice.source.load import load_notice

    rendered = render(load_notice(root))
    plain = work / "plain"
    (plain / "docs").mkdir(parents=True)
    (plain / "mkdocs.yml").write_text(PLAIN_MKDOCS_YML, encoding="utf-8")
    page = f"# {rendered.notice.title}\n\n[Download PDF](notice.pdf)\n\n{rendered.markdown}"
    (plain / "docs" / "index.md").write_text(page, encoding="utf-8")
    html = work / "print.html"
    html.write_text(print_html(rendered), encoding="utf-8")
    return plain, html, ASSETS.as_uri() + "/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions per figure (median)")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="bench-build-") as folder:
        work = Path(folder)
        root = copy_notice(work / "notice")
        plain, html, base_url = plain_inputs(root, work)
        notice = str(BIN / "notice")
        run(sys.executable, "-m", "compileall", "-q", str(PROJECT / "notice"))

        def cold_state() -> None:
            shutil.rmtree(root / "site", ignore_errors=True)
            shutil.rmtree(root / ".cache", ignore_errors=True)

        def build() -> None:
            run(notice, "build", "--root", str(root))

        cold = timed(build, cold_state, runs)
        mkdocs = timed(
            lambda: run(str(BIN / "mkdocs"), "build", "-q", cwd=plain),
            lambda: shutil.rmtree(plain / "site", ignore_errors=True),
            runs,
        )
        pdf = work / "plain.pdf"
        weasy = timed(
            lambda: run(sys.executable, "-c", WEASYPRINT_SCRIPT, str(html), base_url, str(pdf)),
            lambda: pdf.unlink(missing_ok=True),
            runs,
        )
        build()  # a site to leave unchanged
        no_change = timed(build, lambda: None, runs)
        mkdocs_yml = root / "mkdocs.yml"
        original = mkdocs_yml.read_text(encoding="utf-8")
        counter = iter(range(1_000_000))

        def site_only_change() -> None:
            mkdocs_yml.write_text(f"{original}\n# change {next(counter)}\n", encoding="utf-8")

        site_only = timed(build, site_only_change, runs)
        mkdocs_yml.write_text(original, encoding="utf-8")
        floor = timed(lambda: run(sys.executable, "-c", IMPORT_FLOOR), lambda: None, runs)
        check = timed(lambda: run(notice, "check", cwd=root), lambda: None, runs)

    unavoidable = mkdocs + weasy
    cold_ratio, no_change_ratio, check_ratio = cold / unavoidable, no_change / cold, check / floor
    rows = [
        ("notice build, cold (no site, no PDF cache)", f"{cold:6.2f} s"),
        ("unavoidable work", f"{unavoidable:6.2f} s"),
        ("  plain mkdocs build of the same content", f"{mkdocs:6.2f} s"),
        ("  plain WeasyPrint render of the same HTML", f"{weasy:6.2f} s"),
        ("ratio cold / unavoidable", verdict(cold_ratio, COLD_TARGET)),
        ("notice build, nothing changed", f"{no_change:6.2f} s"),
        ("ratio nothing changed / cold", verdict(no_change_ratio, NO_CHANGE_TARGET)),
        ("notice build, mkdocs.yml changed (PDF cached)", f"{site_only:6.2f} s"),
        ("notice check", f"{check:6.2f} s"),
        ("import floor (python -c 'import jinja2, ...')", f"{floor:6.2f} s"),
        ("ratio check / import floor", verdict(check_ratio, CHECK_TARGET)),
    ]
    print(f"median of {runs} run(s) each; every command is a fresh process")
    for label, value in rows:
        print(f"{label:<48} {value}")
    met = (
        cold_ratio <= COLD_TARGET,
        no_change_ratio <= NO_CHANGE_TARGET,
        check_ratio <= CHECK_TARGET,
    )
    return 0 if all(met) else 1


def verdict(ratio: float, target: float) -> str:
    return f"{ratio:6.2f}   (target <= {target}: {'ok' if ratio <= target else 'MISSED'})"


if __name__ == "__main__":
    sys.exit(main())
