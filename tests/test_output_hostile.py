"""Output other programs interpret (issue 14, part 7): file names, ids, the markdown redline
posted as the pull-request comment, and GitHub workflow commands in any printed line."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from notice.render.rendering import render
from notice.source.load import load_notice
from notice.versions.redline import redline
from notice.versions.redline_format import format_markdown
from tests.conftest import (
    assert_no_traceback,
    commit_all,
    edit,
    git,
    is_coverage_gap,
    run_notice,
    undocumented,
)
from tests.notice_versions import CHANGES

CASES: dict[str, str] = {}  # case id -> the test holding it
SECTION = "---\nid: extra\ntitle: Extra\n---\nText.\n"
GFM = MarkdownIt("commonmark").enable("table")


def case(*case_ids: str) -> Callable[[Callable], Callable]:
    """Register a test as the one holding these catalogue cases."""

    def register(test: Callable) -> Callable:
        CASES.update(dict.fromkeys(case_ids, test.__name__))
        return test

    return register


def no_workflow_command(text: str) -> None:
    for line in text.splitlines():
        assert not line.lstrip().startswith("::"), line


@case("file-name-backtick-pipe", "file-name-newline-alert", "file-name-workflow-command")
@pytest.mark.parametrize(
    ("folder", "name", "rename"),
    [
        ("sections", "a`b|c.md", "sections/a-b-c.md"),
        ("sections", "x\n> [!NOTE] hi.md", "sections/x-note-hi.md"),
        ("sections", "x\n::warning title=x::y.md", "sections/x-warning-title-x-y.md"),
        ("macros", "Contact Us.j2", "macros/contact-us.j2"),
    ],
)
def test_a_file_name_outside_the_rule_is_refused_with_its_rename(
    notice_dir: Path, folder: str, name: str, rename: str
):
    (notice_dir / folder / name).write_text(SECTION if folder == "sections" else "x\n")
    result = run_notice("check", "--root", str(notice_dir))
    assert_no_traceback(result)
    assert result.code == 1
    lines = [line for line in result.stderr.splitlines() if not is_coverage_gap(line)]
    refused = [line for line in lines if "a file name may hold only" in line]
    assert len(refused) == 1, result.stderr
    assert refused[0].endswith(f"rename it to {rename}")
    assert refused[0].startswith(f"{folder}/")  # the newline is shown as \n, on the same line
    no_workflow_command(result.stdout + result.stderr)


def hostile_redline(notice_dir: Path, inserted: str, path: str, heading: str) -> str:
    """The markdown redline of a real edit, its section's file and heading made hostile."""
    before = render(load_notice(notice_dir))
    edit(notice_dir / CHANGES, "periodically", f"periodically {inserted}")
    change = redline(before, render(load_notice(notice_dir)))
    section = next(s for s in change.sections if s.changed)
    hostile = dataclasses.replace(section.new, path=path, heading=heading)
    sections = tuple(
        dataclasses.replace(s, new=hostile) if s is section else s for s in change.sections
    )
    return format_markdown(dataclasses.replace(change, sections=sections))


@case("redline-file-name-code-span", "redline-file-name-alert", "redline-file-name-workflow")
def test_names_cannot_break_out_of_the_markdown_redline(notice_dir: Path):
    markdown = hostile_redline(
        notice_dir,
        "more",
        "sections/a`|b\n> [!NOTE]\n::warning title=x::y.md",
        "A. Title` | <b>x</b>\n> [!WARNING]",
    )
    tokens = GFM.parse(markdown)
    kinds = {token.type for token in tokens}
    assert "blockquote_open" not in kinds and "html_block" not in kinds
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 4 for row in rows), rows
    assert not any(t.type == "html_inline" and "<b>" in t.content for t in tokens)
    inline = [child for t in tokens if t.children for child in t.children]
    assert not any(child.type == "code_inline" for child in inline)
    no_workflow_command(markdown)


@case("redline-mention", "redline-autolink", "redline-alert-text", "redline-html-text")
def test_inserted_text_pings_nobody_and_links_nothing(notice_dir: Path):
    markdown = hostile_redline(
        notice_dir,
        "cc @some-team, see <https://evil.example> https://evil.example www.evil.example "
        "x@evil.example",
        "sections/changes-to-this-notice.md",
        "A. Changes",
    )
    assert "@some-team" not in markdown and "@\u2060some-team" in markdown
    assert "://evil" not in markdown and "www.evil" not in markdown and "@evil" not in markdown
    assert "<https" not in markdown and "https:\u2060//evil.example" in markdown
    links = [c for t in GFM.parse(markdown) if t.children for c in t.children if "link" in c.type]
    assert links == []


@case("output-every-command")
def test_no_command_prints_a_line_that_starts_a_workflow_command(notice_repo: Path):
    edit(notice_repo / CHANGES, "Please revisit", "::error title=x::owned\n\n::warning::x")
    edit(notice_repo / "notice.yml", "company: MetTel", 'company: "MetTel\\n::error::co"')
    commit_all(notice_repo, "a hostile notice")
    (notice_repo / "sections" / "x\n::warning title=x::y.md").write_text(SECTION)
    commit_all(notice_repo, "a hostile file name")  # history skips it with a warning
    (notice_repo / "sections" / "x\n::warning title=x::y.md").unlink()
    edit(notice_repo / CHANGES, "::warning::x", "::notice::changed")
    commands = [
        ("render",),
        ("render", "--format", "markdown"),
        ("check",),
        ("coverage",),
        ("history",),
        ("audit",),
        ("diff", "HEAD~2"),
        ("diff", "HEAD~2", "--format", "markdown"),
    ]
    for args in commands:
        result = run_notice(*args, "--root", str(notice_repo))
        assert_no_traceback(result)
        assert result.stdout + result.stderr, args
        no_workflow_command(result.stdout + result.stderr)
    assert "\n> ::notice::changed" in run_notice("render", "--root", str(notice_repo)).stdout
    assert git(notice_repo, "status", "--porcelain")


def test_every_case_is_documented():
    assert undocumented(CASES) == []
