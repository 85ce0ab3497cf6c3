"""Lint a notice: every load and render problem, dates, structure typed by hand (a title that
repeats its generated number, a body that repeats its heading), plus warnings about unused
variables and links."""

from __future__ import annotations

import re
from collections.abc import Set
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from markdown_it import MarkdownIt
from markdown_it.token import Token

from notice.coverage.report import coverage
from notice.errors import NoticeError, Problem, Severity, SourceError
from notice.layout import ARCHIVE_DIR, CONFIG_FILE, NOTICE_FILE, ROOT_DOCUMENT
from notice.model import Notice, RenderedNotice, RenderedSection
from notice.render.doclinks import doc_link
from notice.render.rendering import (
    RESERVED_NAMES,
    is_remote,
    leaf_variable_names,
    markdown_parser,
    render,
)
from notice.render.sandbox import RenderTimeout, time_limit
from notice.source.documents import find_document
from notice.source.load import hidden_in_texts, load_notice, load_with_problems
from notice.source.worktree import NoticeSource, SourceReadError, WorkingTree, links_under
from notice.source.yamlio import YamlProblem, line_of, load_yaml
from notice.translate.status import check_translations

CHECK_SECONDS = 50.0  # load, render, parse and lint together: check finishes within a minute


def check_source(
    root: Path | NoticeSource, today: date | None = None, shared_uses: Set[str] = frozenset()
) -> tuple[RenderedNotice | None, list[Problem]]:
    """Load, render and lint; return the rendering (None on errors) and every problem found.
    With today, a last_updated after it is an error (effective may be later). shared_uses: the
    root's variables other documents use (never "unused" then)."""
    source = _source(root)
    try:
        with time_limit(CHECK_SECONDS, "checking the notice"):
            return _check(source, today, shared_uses)
    except RenderTimeout as exc:
        return None, [Problem(source.paths.notice_file, None, str(exc))]


def _check(
    source: NoticeSource, today: date | None, shared_uses: Set[str]
) -> tuple[RenderedNotice | None, list[Problem]]:
    rendered, problems = _check_content(source, today, shared_uses)
    return rendered, problems + _links(source, problems)  # after every read: each link said once


def _check_content(
    source: NoticeSource, today: date | None, shared_uses: Set[str]
) -> tuple[RenderedNotice | None, list[Problem]]:
    notice, problems = load_with_problems(source)
    if notice is None:
        return None, problems
    problems += _reserved_names(notice) + _numbered_titles(notice, source) + _typed_dates(notice)
    problems += _hidden_characters(notice, source)
    problems += _typed_headings(notice)
    if today is not None:
        problems += future_problems(notice, today)
    problems += notice_period_problems(notice) + site_url_problems(source)
    try:
        rendered = render(notice)
    except SourceError as exc:
        return None, problems + exc.problems
    problems += _unused_variables(rendered, source, shared_uses)
    problems += _outside_references(rendered)
    problems += coverage(rendered).problems
    problems += _dangling_anchors(rendered, _DocumentAnchors(source, rendered))
    problems += check_translations(source, rendered)
    return rendered, problems


def _hidden_characters(notice: Notice, source: NoticeSource) -> list[Problem]:
    """A commit's tree (release, `check --base`'s head) held to the working tree's rule: loading
    the working tree reports hidden characters already; past commits are read as they stand."""
    if isinstance(source, WorkingTree):
        return []
    texts = [(s.path, s.body) for s in notice.sections] + [
        (m.path, m.source) for m in notice.macros
    ]
    return hidden_in_texts(texts)


def _source(root: Path | NoticeSource) -> NoticeSource:
    return WorkingTree(Path(root)) if isinstance(root, (str, Path)) else root


def _links(source: NoticeSource, found: list[Problem]) -> list[Problem]:
    """Links in the notice's content or archive/ that reading did not already refuse."""
    if not isinstance(source, WorkingTree):
        return []  # a git tree: its links are refused when read
    reported = [problem.path for problem in found]
    return [
        Problem(link, None, "is a link: refused, content and archive never hold links")
        for link in links_under(source.root, (*source.paths.notice_paths, ARCHIVE_DIR))
        if not any(path == link or path.startswith(link + "/") for path in reported)
    ]


_ID = re.compile(r'\bid="([^"]+)"')


def anchors_of(rendered: RenderedNotice) -> set[str]:
    """What a link may reach in a rendering: its section ids and the ids of its HTML."""
    return {section.id for section in rendered.sections} | set(_ID.findall(rendered.html))


class _DocumentAnchors:
    """The anchors of each document a doc: link names, rendered once per check (None: no such
    document; an empty set of a document that does not render: its own check says why)."""

    def __init__(self, source: NoticeSource, rendered: RenderedNotice):
        self.source = source
        self.found: dict[str, set[str] | None] = {rendered.notice.document: anchors_of(rendered)}

    def __call__(self, document_id: str) -> set[str] | None:
        if document_id not in self.found:
            self.found[document_id] = self._read(document_id)
        return self.found[document_id]

    def _read(self, document_id: str) -> set[str] | None:
        if not isinstance(self.source, WorkingTree):
            return set()  # a commit's tree: its links were judged when it was checked out
        try:
            folder = find_document(self.source.root, document_id).folder
        except NoticeError:
            return None
        try:
            return anchors_of(render(load_notice(folder)))
        except SourceError:
            return set()


def _dangling_anchors(rendered: RenderedNotice, anchors: _DocumentAnchors) -> list[Problem]:
    """An in-page link ('#rights') must reach a section or an anchor of the notice; a doc: link
    ('doc:cookies#third-party-cookies') a document of the project and a section of it."""
    problems = []
    for section in rendered.sections:
        for token in _inline_children(markdown_parser().parse(section.markdown)):
            href = str(token.attrGet("href") or "") if token.type == "link_open" else ""
            message = _dangling(href, anchors)
            if message:
                problems.append(Problem(section.path, _link_line(section, token, href), message))
    return problems


def _link_line(section: RenderedSection, token: Token, href: str) -> int:
    """The line of the block's source that holds href (a paragraph spans several lines)."""
    start, end = token.map or (0, 1)
    lines = section.markdown.split("\n")
    found = next((n for n in range(start, min(end, len(lines))) if href in lines[n]), start)
    return section.first_line + found


def _dangling(href: str, anchors: _DocumentAnchors) -> str | None:
    own = next(iter(anchors.found))
    if href.startswith("#"):
        target = unquote(href[1:])
        if target and target not in (anchors(own) or set()):
            return (
                f"link '#{target}' points to no section or anchor of the notice: "
                "link to a section id (front matter 'id:')"
            )
        return None
    link = doc_link(href)
    if link is None:
        return None
    found = anchors(link.document or ROOT_DOCUMENT)
    if found is None:
        return (
            f"link {href!r} points to no document {link.document!r} of the project: use a "
            f"document id listed under documents: in {NOTICE_FILE} (or {ROOT_DOCUMENT})"
        )
    if link.anchor and found and link.anchor not in found:
        return (
            f"link {href!r} points to no section or anchor of document {link.document!r}: "
            "link to one of its section ids (front matter 'id:')"
        )
    return None


def future_problems(notice: Notice, today: date) -> list[Problem]:
    """last_updated names a day that has come: a version is never dated ahead."""
    if notice.last_updated <= today:
        return []
    message = (
        f"last_updated {notice.last_updated} is in the future (today is {today}); "
        "date the version today and use effective: for the day it starts to apply"
    )
    return [
        Problem(notice.paths.notice_file, notice.metadata_lines.get("last_updated", 1), message)
    ]


_SITE_URL = re.compile(r"(?m)^site_url:[ \t]*['\"]?[^\s'\"#]")


def site_url_problems(source: NoticeSource) -> list[Problem]:
    """Without site_url the feed's links stay relative and the sitemap has no addresses."""
    try:
        if not source.exists(CONFIG_FILE) or _SITE_URL.search(source.read_text(CONFIG_FILE)):
            return []
    except SourceReadError:
        return []
    message = (
        "site_url is not set: feed readers get relative links and the sitemap no addresses; "
        "add site_url: https://<where the site is published>/"
    )
    return [Problem(CONFIG_FILE, 1, message, Severity.WARNING)]


def notice_period_problems(notice: Notice) -> list[Problem]:
    """A material change must be published notice_period days before it takes effect."""
    days = (notice.effective - notice.last_updated).days
    if not notice.material or days >= notice.notice_period:
        return []
    line = notice.metadata_lines.get("effective", notice.metadata_lines.get("material", 1))
    earliest = notice.last_updated + timedelta(days=notice.notice_period)
    message = (
        f"material change effective {notice.effective}, only {days} day(s) after last_updated "
        f"{notice.last_updated}: notice_period asks for {notice.notice_period}; "
        f"set effective: {earliest} or later"
    )
    return [Problem(notice.paths.notice_file, line, message)]


_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DAY = (
    r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}"
    rf"|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}})"
)
DATE_LINE = re.compile(  # "Last updated: November 11, 2022", "**Effective date:** 2023-01-01"
    r"^[\W_]*(?:last\s+(?:updated|revised|modified)|(?:date\s+)?effective(?:\s+date)?"
    r"|revised|updated)\b[^\n]{0,40}?" + _DAY,
    re.IGNORECASE,
)


def _typed_dates(notice: Notice) -> list[Problem]:
    """A date typed into a section's source would contradict the one printed from notice.yml
    ('Effective: {{ effective }}' is generated from it, so fine)."""
    problems = []
    for section in notice.sections:
        for number, line in enumerate(section.body.split("\n"), start=1):
            if DATE_LINE.search(line):
                problems.append(
                    Problem(
                        section.path,
                        number,
                        f"a date line typed into the section ({line.strip()[:60]!r}): the notice "
                        f"prints last_updated and effective from {NOTICE_FILE}; remove the line "
                        "(or write {{ last_updated }} / {{ effective }})",
                    )
                )
    return problems


def _numbered_titles(notice: Notice, source: NoticeSource) -> list[Problem]:
    """A title that starts with a number like the generated one prints it twice ('A. A. ...')."""
    problems = []
    for section in notice.sections:
        pattern = _label_pattern(section.number)
        match = re.match(pattern, section.title) if pattern else None
        if match:
            problems.append(
                Problem(
                    section.path,
                    _title_line(source, section.path),
                    f"title {section.title!r} starts with {match.group(0).strip()!r}, and the "
                    f"numbering already prints {section.number!r}: the heading reads "
                    f"{section.heading!r}; remove the number from the title",
                )
            )
    return problems


_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")


def _typed_headings(notice: Notice) -> list[Problem]:
    """A body that starts with its own heading shows it twice: the toolkit prints the heading."""
    problems = []
    for section in notice.sections:
        if not section.show_heading:
            continue
        lines = section.body.split("\n")
        number = next((n for n, line in enumerate(lines, 1) if line.strip()), 0)
        match = _HEADING_LINE.match(lines[number - 1]) if number else None
        typed = _folded(match.group(1)) if match else ""
        if typed and typed in (_folded(section.title), _folded(section.heading)):
            problems.append(
                Problem(
                    section.path,
                    number,
                    f"the body starts with its own heading ({lines[number - 1].strip()[:60]!r}): "
                    f"the page prints {section.heading!r} from the title already; remove the line",
                )
            )
    return problems


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[*_`]", "", text).split()).casefold()


def _label_pattern(number: str) -> str | None:
    """What a typed label of the same scheme as number looks like."""
    if not number:
        return None
    if number.replace(".", "").isdigit():
        return r"\d+(?:\.\d+)*[.)]?\s"
    if number.isupper():
        return r"[A-Z]{1,4}[.)]\s"
    if number.islower():
        return r"[a-z]{1,4}[.)]\s"
    return None


def _title_line(source: NoticeSource, path: str) -> int | None:
    """The line of 'title:' in a section file's front matter."""
    try:
        lines = source.read_text(path).split("\n")
    except SourceReadError:
        return None
    return next((n for n, line in enumerate(lines, 1) if line.startswith("title:")), None)


def _variable_line(notice: Notice, dotted: str) -> int | None:
    return _dotted_line(notice.variables, dotted, notice.metadata_lines.get("variables"))


def _dotted_line(variables: object, dotted: str, line: int | None) -> int | None:
    container = variables
    for part in dotted.split("."):
        line = line_of(container, part, line)
        container = container.get(part, {}) if isinstance(container, dict) else {}
    return line


def _reserved_names(notice: Notice) -> list[Problem]:
    return [
        Problem(
            notice.paths.notice_file,
            _variable_line(notice, name),
            f"variables: {name!r} is reserved",
        )
        for name in notice.variables
        if name in RESERVED_NAMES
    ]


def _unused_variables(
    rendered: RenderedNotice, source: NoticeSource, shared_uses: Set[str]
) -> list[Problem]:
    """Variables defined in the file judged and used nowhere: a document is judged on its own
    variables: only, the root's shared ones on every document's uses (shared_uses)."""
    notice = rendered.notice
    variables, line = _own_variables(notice, source)
    return [
        Problem(
            notice.paths.notice_file,
            _dotted_line(variables, name, line),
            f"variable '{name}' is defined but never used",
            Severity.WARNING,
        )
        for name in leaf_variable_names(variables)
        if name not in rendered.variable_uses and name not in shared_uses
    ]


def _own_variables(notice: Notice, source: NoticeSource) -> tuple[dict, int | None]:
    """The variables a document's own notice.yml defines, and the line of its variables: key."""
    if notice.paths.shared_notice_file is None:
        return dict(notice.variables), notice.metadata_lines.get("variables")
    path = notice.paths.notice_file
    try:
        config = load_yaml(source.read_text(path), path)
    except (SourceReadError, YamlProblem):
        return {}, None
    variables = config.get("variables") if isinstance(config, dict) else None
    return (variables if isinstance(variables, dict) else {}), line_of(config, "variables")


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
                src = str(token.attrGet("src") or "")
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
                href = str(token.attrGet("href") or "")
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
