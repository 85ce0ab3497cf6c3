"""Budgets (issue 14): hostile content ends check within 60 s and 2 GB, or stops with one line."""

from __future__ import annotations

import base64
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import undocumented

LIMITS = ["prlimit", "--as=2147483648", "--cpu=60"]  # util-linux: 2 GB of memory, 60 s of CPU
SVG_BOMB = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<g id="a"><rect width="1" height="1"/></g>'
    + "".join(
        f'<g id="{chr(98 + i)}"><use xlink:href="#{chr(97 + i)}"/>'
        f'<use xlink:href="#{chr(97 + i)}"/></g>'
        for i in range(20)
    )
    + "</svg>"
)
CASES = {
    "budget-center": "{{ 'a'|center(200000000) }}",
    "budget-join": "{{ ((['a'*1000000]*4000)|join)|length }}",
    "budget-indent": "{{ 'x'|indent(100000000, true) }}",
    "budget-format-width": "{{ '%0999999999d' % 1 }} {{ '{:>999999999}'.format('a') }}",
    "budget-concat-doubling": (
        "{% macro f(s, n) %}{{ f(s ~ s, n - 1) if n else s|length }}{% endmacro %}{{ f('a', 40) }}"
    ),
    "budget-loop-output": (
        "{% set a = 'a'*1000000 %}{% for i in range(100000) %}{{ a }}{% endfor %}"
    ),
    "budget-brackets": "[" * 100_000,
    "budget-big-integer": "{{ ((9**64)**64)**64 }}",
}


def run_limited(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    exe = str(Path(sys.executable).parent / "notice")
    started = time.monotonic()
    result = subprocess.run([*LIMITS, exe, *args], capture_output=True, text=True, timeout=120)
    return result, time.monotonic() - started


@pytest.mark.skipif(shutil.which("prlimit") is None, reason="needs util-linux prlimit")
@pytest.mark.parametrize("case_id", sorted(CASES))
def test_hostile_growth_stops_with_one_line_within_the_budget(notice_dir: Path, case_id: str):
    intro = notice_dir / "sections" / "introduction.md"
    intro.write_text(intro.read_text() + "\n" + CASES[case_id] + "\n")
    result, seconds = run_limited("check", "--root", str(notice_dir))
    assert seconds < 60
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "warning" not in line]
    assert len(lines) == 1 and lines[0].startswith("sections/introduction.md"), lines


def test_an_svg_given_as_a_png_data_image_never_reaches_weasyprint(tmp_path: Path):
    from notice.publish.pdf import AssetsOnlyFetcher

    payload = base64.b64encode(SVG_BOMB.encode()).decode()
    with pytest.raises(ValueError, match="only a PNG, JPEG, GIF or WebP"):
        AssetsOnlyFetcher().fetch(f"data:image/png;base64,{payload}")
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()
    assert AssetsOnlyFetcher().fetch(f"data:image/png;base64,{png}").read().startswith(b"\x89PNG")


def test_every_case_is_documented():
    assert undocumented([*CASES, "budget-svg-data-image"]) == []
