"""Lint a notice: every load and render problem, plus warnings about unused variables and links."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from markdown_it import MarkdownIt
from markdown_it.token import Token

from notice.coverage.report import coverage
from notice.errors import Problem, Severity, SourceError
from notice.layout import ARCHIVE_DIR, NOTICE_FILE, NOTICE_PATHS
from notice.model import Notice, RenderedNotice
from notice.render.rendering import (
    RESERVED_NAMES,
    is_remote,
    leaf_variable_names,
    markdown_parser,
    render,
)
from notice.render.sandbox import RenderTimeout, time_limit
from notice.source.load import load_with_problems
from notice.source.worktree import NoticeSource, WorkingTree, links_under
from notice.source.yamlio import line_of
from notice.translate.status import check_translations

CHECK_SECONDS = 50.0  # load, render, parse and lint together: check finishes within a minute


def check_source(root: Path | NoticeSource) -> tuple[RenderedNotice | None, list[Problem]]:
    """Load, render and lint; return the rendering (None on errors) and every problem found."""
    try:
        with time_limit(CHECK_SECONDS, "checking the notice"):
            return _check(root)
    except RenderTimeout as exc:
        return None, [Problem(NOTICE_FILE, None, str(exc))]


def _check(root: Path | NoticeSource) -> tuple[RenderedNotice | None, list[Problem]]:
    notice, problems = load_with_problems(root)
    problems += _links(root, problems)
    if notice is None:
        return None, problems
    problems += _reserved_names(notice)
    try:
        rendered = render(notice)
    except SourceError as exc:
        return None, problems + exc.problems
    problems += _unused_variables(rendered)
    problems += _outside_references(rendered)
    problems += coverage(rendered).problems
    problems += _dangling_anchors(rendered)
    problems += check_translations(_source(root), rendered)
    return rendered, problems


def _source(root: Path | NoticeSource) -> NoticeSource:
    return WorkingTree(Path(root)) if isinstance(root, (str, Path)) else root


def _links(root: Path | NoticeSource, found: list[Problem]) -> list[Problem]:
    """Links in the notice's content or archive/ that loading did not already refuse."""
    if not isinstance(root, (str, Path)):
        return []  # a git tree: its links are refused when read
    reported = [problem.path for problem in found]
    return [
        Problem(link, None, "is a link: refused, content and archive never hold links")
        for link in links_under(Path(root), (*NOTICE_PATHS, ARCHIVE_DIR))
        if not any(path == link or path.startswith(link + "/") for path in reported)
    ]


_ID = re.compile(r'\bid="([^"]+)"')


def _dangling_anchors(rendered: RenderedNotice) -> list[Problem]:
    """An in-page link ('#rights') must reach a section or an anchor of the notice."""
    ids = {section.id for section in rendered.sections} | set(_ID.findall(rendered.html))
    problems = []
    for section in rendered.sections:
        for token in _inline_children(markdown_parser().parse(section.markdown)):
            href = token.attrGet("href") or "" if token.type == "link_open" else ""
            target = unquote(href[1:]) if href.startswith("#") else ""
            if target and target not in ids:
                line = section.first_line + (token.map[0] if token.map else 0)
                problems.append(
                    Problem(
                        section.path,
                        line,
                        f"link '#{target}' points to no section or anchor of the notice: "
                        "link to a section id (front matter 'id:')",
                    )
                )
    return problems


def _variable_line(notice: Notice, dotted: str) -> int | None:
    container, line = notice.variables, notice.metadata_lines.get("variables")
    for part in dotted.split("."):
        line = line_of(container, part, line)
        container = container.get(part, {}) if isinstance(container, dict) else {}
    return line


def _reserved_names(notice: Notice) -> list[Problem]:
    return [
        Problem(NOTICE_FILE, _variable_line(notice, name), f"variables: {name!r} is reserved")
        for name in notice.variables
        if name in RESERVED_NAMES
    ]


def _unused_variables(rendered: RenderedNotice) -> list[Problem]:
    notice = rendered.notice
    return [
        Problem(
            NOTICE_FILE,
            _variable_line(notice, name),
            f"variable '{name}' is defined but never used",
            Severity.WARNING,
        )
        for name in leaf_variable_names(notice.variables)
        if name not in rendered.variable_uses
    ]


def is_outside_reference(url: str) -> bool:
    """True when a link or image target leaves the project: file:, absolute paths, '..'."""
    parsed = urlparse(url)
    if parsed.scheme == "file" or url.startswith(("/", "\\")):
        return True
    return not parsed.scheme and ".." in parsed.path.replace("\\", "/").split("/")


def _outside_references(rendered: RenderedNotice) -> list[Problem]:
    problems = []
    md = markdown_parser()
    for section in rendered.sections:
        for token in _inline_children(md.parse(section.markdown)):
            line = section.first_line + (token.map[0] if token.map else 0)
            if token.type == "image":
                src = token.attrGet("src") or ""
                if src.startswith("data:"):
                    continue
                reason = _image_reason(src)
                problems.append(
                    Problem(
                        section.path,
                        line,
                        f"image {src!r} points {reason}",
                        Severity.WARNING,
                    )
                )
            elif token.type == "link_open":
                href = token.attrGet("href") or ""
                if is_outside_reference(href):
                    problems.append(
                        Problem(
                            section.path,
                            line,
                            f"link {href!r} points outside the project",
                            Severity.WARNING,
                        )
                    )
    return problems + _refused_links(rendered, md)


REFUSED_LINK = re.compile(r"(!?)\[[^\]\n]*\]\(\s*<?([A-Za-z][A-Za-z0-9+.-]*:[^)\s>]*)")


def _refused_links(rendered: RenderedNotice, md: MarkdownIt) -> list[Problem]:
    """Links markdown-it refuses (file:, javascript:, ...) stay as text: say so, with the line."""
    problems = []
    for section in rendered.sections:
        for offset, source_line in enumerate(section.markdown.split("\n")):
            for match in REFUSED_LINK.finditer(source_line):
                url = match.group(2)
                if md.validateLink(url):
                    continue
                kind = "image" if match.group(1) else "link"
                problems.append(
                    Problem(
                        section.path,
                        section.first_line + offset,
                        f"{kind} {url!r} is refused (shown as plain text): "
                        "only web links and images inside the notice are allowed",
                        Severity.WARNING,
                    )
                )
    return problems


def _image_reason(src: str) -> str:
    if is_remote(src):
        return "to another site (a third-party request): shown as its description, never fetched"
    if is_outside_reference(src):
        return "outside the project: the PDF will not fetch it"
    return "to a file the toolkit does not publish: the PDF will not fetch it"


def _inline_children(tokens: list[Token]) -> list[Token]:
    found = []
    for token in tokens:
        for child in token.children or []:
            child.map = token.map
            found.append(child)
    return found
