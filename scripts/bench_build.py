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
The machine's load average is printed with them. Exit status 1 when a target is missed.
Usage: .venv/bin/python scripts/bench_build.py [--runs N]
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


def once(action: Callable[[], None], prepare: Callable[[], None]) -> float:
    """The wall time of action, after prepare (which is not timed)."""
    prepare()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


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
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as folder:
        work = Path(folder)
        root = copy_notice(work / "notice")
        plain, html, base_url = plain_inputs(root, work)
        notice = str(BIN / "notice")
        run(sys.executable, "-m", "compileall", "-q", str(PROJECT / "notice"))

        mkdocs_yml = root / "mkdocs.yml"
        original = mkdocs_yml.read_text(encoding="utf-8")
        pdf = work / "plain.pdf"

        def cold_state() -> None:
            shutil.rmtree(root / "site", ignore_errors=True)
            shutil.rmtree(root / ".cache", ignore_errors=True)

        def build() -> None:
            run(notice, "build", "--root", str(root))

        def site_only_change() -> None:
            mkdocs_yml.write_text(f"{original}\n# change {time.time_ns()}\n", encoding="utf-8")

        # Round by round, so that each ratio compares figures taken moments apart (the load
        # of a shared machine moves absolute times 3-4x); each figure is the median of runs.
        rounds = [
            {
                "cold": once(build, cold_state),
                "mkdocs": once(
                    lambda: run(str(BIN / "mkdocs"), "build", "-q", cwd=plain),
                    lambda: shutil.rmtree(plain / "site", ignore_errors=True),
                ),
                "weasy": once(
                    lambda: run(
                        sys.executable, "-c", WEASYPRINT_SCRIPT, str(html), base_url, str(pdf)
                    ),
                    lambda: pdf.unlink(missing_ok=True),
                ),
                "no_change": once(build, lambda: None),
                "site_only": once(build, site_only_change),
                "floor": once(lambda: run(sys.executable, "-c", IMPORT_FLOOR), lambda: None),
                "check": once(lambda: run(notice, "check", cwd=root), lambda: None),
            }
            for _ in range(runs)
        ]
        mkdocs_yml.write_text(original, encoding="utf-8")

    def median(name: str) -> float:
        return statistics.median(r[name] for r in rounds)

    cold, mkdocs, weasy, no_change = (median(n) for n in ("cold", "mkdocs", "weasy", "no_change"))
    site_only, floor, check = median("site_only"), median("floor"), median("check")
    unavoidable = mkdocs + weasy
    cold_ratio = statistics.median(r["cold"] / (r["mkdocs"] + r["weasy"]) for r in rounds)
    no_change_ratio = statistics.median(r["no_change"] / r["cold"] for r in rounds)
    check_ratio = statistics.median(r["check"] / r["floor"] for r in rounds)
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
    print(f"median of {runs} round(s); ratios are medians of each round's ratio; fresh processes")
    print(
        f"load average (1 min) before {load_before}, after {load_average()}, {os.cpu_count()} cores"
    )
    for label, value in rows:
        print(f"{label:<48} {value}")
    met = (
        cold_ratio <= COLD_TARGET,
        no_change_ratio <= NO_CHANGE_TARGET,
        check_ratio <= CHECK_TARGET,
    )
    return 0 if all(met) else 1


def load_average() -> str:
    """The machine's load over the last minute: a shared machine's figures move with it."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "unknown"


def verdict(ratio: float, target: float) -> str:
    return f"{ratio:6.3f}  (target <= {target}: {'ok' if ratio <= target else 'MISSED'})"


if __name__ == "__main__":
    sys.exit(main())
