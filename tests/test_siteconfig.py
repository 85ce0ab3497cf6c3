"""Site configuration hardening (issue 14): even the base's mkdocs.yml may not run code."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import assert_no_traceback, edit, run_notice, undocumented

SITE_NAME = "site_name: MetTel Privacy"


def config_line(line: str) -> Callable[[Path], None]:
    return lambda root: edit(root / "mkdocs.yml", SITE_NAME, f"{SITE_NAME}\n{line}")


def theme_line(line: str) -> Callable[[Path], None]:
    return lambda root: edit(root / "mkdocs.yml", "  name: material", f"  name: material\n{line}")


def docs_file(name: str, text: str) -> Callable[[Path], None]:
    return lambda root: (root / "docs" / name).write_text(text)


def docs_link(name: str, target: str) -> Callable[[Path], None]:
    return lambda root: os.symlink(target, root / "docs" / name)


CASES = {
    "site-config-hooks": (
        config_line("hooks: [evil_hook.py]"),
        r"mkdocs.yml:\d+: hooks: not allowed",
    ),
    "site-config-custom-dir": (
        theme_line("  custom_dir: overrides"),
        r"mkdocs.yml:\d+: theme.custom_dir: not allowed",
    ),
    "site-config-docs-dir-outside": (
        lambda root: edit(root / "mkdocs.yml", "docs_dir: docs", "docs_dir: /etc"),
        r"mkdocs.yml:\d+: docs_dir: must be a folder inside the project",
    ),
    "site-config-remote-javascript": (
        config_line("extra_javascript: [https://cdn.example/x.js]"),
        r"mkdocs.yml:\d+: extra_javascript: 'https://cdn.example/x.js' is not a file",
    ),
    "site-config-remote-css": (
        config_line("extra_css: [//cdn.example/x.css]"),
        r"mkdocs.yml:\d+: extra_css: '//cdn.example/x.css' is not a file",
    ),
    "site-config-unknown-plugin": (
        lambda root: edit(root / "mkdocs.yml", "  - notice", "  - notice\n  - macros"),
        r"mkdocs.yml:\d+: plugins: 'macros' is not allowed",
    ),
    "site-config-python-tag": (
        config_line("extra: !!python/object/apply:os.system ['touch PWNED']"),
        r"mkdocs.yml:\d+: malformed YAML",
    ),
    "site-config-inherit": (
        config_line("INHERIT: ../base.yml"),
        r"mkdocs.yml:\d+: INHERIT: not allowed",
    ),
    "site-docs-symlink": (docs_link("passwd.txt", "/etc/passwd"), r"docs/passwd.txt: is a link"),
    "site-docs-script": (
        docs_file("extra.md", "# Extra\n\n<script>alert(1)</script>\n"),
        r"docs/extra.md: raw <script> is not allowed on the site",
    ),
}


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_hostile_site_config_is_refused_before_mkdocs_reads_it(notice_dir: Path, case_id: str):
    mutate, expected = CASES[case_id]
    (notice_dir / "evil_hook.py").write_text("open('PWNED', 'w')\n")
    mutate(notice_dir)
    result = run_notice("build", "--root", str(notice_dir), cwd=notice_dir)
    assert_no_traceback(result)
    assert result.code == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and re.match(expected, lines[0]), lines
    assert not (notice_dir / "PWNED").exists() and not (notice_dir / "site").exists()


def test_every_case_is_documented():
    assert undocumented(CASES) == []
