"""Render a Notice: Jinja2 (sandboxed, strict) -> Markdown -> markdown-it-py -> HTML and text."""

from __future__ import annotations

import html
import re
import traceback
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from difflib import get_close_matches
from typing import Any
from urllib.parse import urlsplit

from jinja2 import BaseLoader, TemplateNotFound, TemplateSyntaxError, UndefinedError, meta
from jinja2.exceptions import SecurityError
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from notice.errors import Problem, SourceError
from notice.layout import DOCUMENTS_DIR, MACROS_DIR, SECTIONS_DIR, TRANSLATIONS_DIR
from notice.model import MacroFile, Notice, RenderedNotice, RenderedSection, Section
from notice.render.canonical import canonical_blocks, links
from notice.render.doclinks import document_links_rule
from notice.render.limits import Tally, pipe_problem, size_problems
from notice.render.localise import date_line, long_date
from notice.render.plaintext import tokens_to_text
from notice.render.sandbox import NoticeSandbox, RenderTimeout, time_limit
from notice.render.texthash import rendered_text_sha256
from notice.wording import counted

RESERVED_NAMES = ("title", "company", "last_updated", "effective")


MAX_BRACKETS = 2_000  # a notice section holds a few dozen links


def markdown_parser() -> MarkdownIt:
    """The one Markdown engine of the toolkit: CommonMark, raw HTML off, tables on."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )
    md.add_render_rule("image", _image_unless_remote)
    md.add_render_rule("link_open", document_links_rule)
    return md


def is_remote(url: str) -> bool:
    """True for a URL on another site: any scheme but data:, or a '//host/' path."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return True
    return bool(parts.netloc) or parts.scheme.lower() not in ("", "data")


def _image_unless_remote(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    # An image on another site is a request to a third party from every reader (a tracking
    # pixel): its description is shown instead, on the site and in the PDF; check warns.
    token = tokens[idx]
    if is_remote(str(token.attrGet("src") or "")):
        return html.escape(self.renderInlineAsText(token.children or [], options, env))
    return self.image(tokens, idx, options, env)


_ORDINAL_DAY = "%o"  # the toolkit's own: '1st', '22nd' (strftime has no ordinal)
_UPPER = re.compile(r"%\^([A-Za-z])")  # '%^B': 'APRIL', as glibc does, on every platform


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def format_date(value: date, pattern: str = "%B %-d, %Y") -> str:
    """A date as the notice prints it: 'November 11, 2022', 'April 1st 2026' (%o), 'APRIL-2024'."""
    pattern = pattern.replace(_ORDINAL_DAY, _ordinal(value.day))
    pattern = _UPPER.sub(lambda m: value.strftime(f"%{m.group(1)}").upper(), pattern)
    return value.strftime(pattern)


def notice_date(notice: Notice, value: date) -> str:
    """A date in the notice's language: date_format for the source, Babel for a translation."""
    return long_date(value, notice.lang) if notice.lang else format_date(value, notice.date_format)


class _VariableTracker:
    """Counts each use of a variable while templates render, and remembers failed look-ups."""

    def __init__(self) -> None:
        self.uses: Counter[str] = Counter()
        self.missing: list[str] = []


class _TrackedMapping(Mapping):
    """A read-only view of a variables mapping that records which leaves are used."""

    def __init__(self, data: Mapping[str, Any], prefix: str, tracker: _VariableTracker):
        self._data = data
        self._prefix = prefix
        self._tracker = tracker

    def __getitem__(self, key: str) -> Any:
        name = f"{self._prefix}{key}"
        if key not in self._data:
            self._tracker.missing.append(name)
            raise KeyError(key)
        value = self._data[key]
        if isinstance(value, Mapping):
            return _TrackedMapping(value, f"{name}.", self._tracker)
        self._tracker.uses[name] += 1
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __str__(self) -> str:
        group = self._prefix.rstrip(".")
        raise VariableGroupError(
            f"'{group}' is a group of variables, not a value: use one of "
            + ", ".join(f"{group}.{key}" for key in self._data)
        )


class VariableGroupError(Exception):
    """A template printed a whole group of variables instead of one of its values."""


def macros_in(notice: Notice) -> tuple[MacroFile, ...]:
    """The macro files a rendering uses: each one, or its body in the notice's language
    (macros/<name>.<lang>.j2) when the rendering is a translation that has one."""
    chosen = {macro.name: macro for macro in notice.macros if not macro.lang}
    if notice.lang:
        lang = notice.lang.lower()
        chosen.update({macro.name: macro for macro in notice.macros if macro.lang == lang})
    return tuple(chosen.values())


class _MacroLoader(BaseLoader):
    """Serves only the notice's own macro files; anything else is not found."""

    def __init__(self, notice: Notice):
        self._files = {macro.name: macro for macro in macros_in(notice)}

    def get_source(self, environment, template):
        macro = self._files.get(template)
        if macro is None:
            raise TemplateNotFound(template)
        return macro.source, macro.path, lambda: True


def leaf_variable_names(variables: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Every leaf of the variables tree as a dotted name, e.g. 'contact.email'."""
    names = []
    for key, value in variables.items():
        if isinstance(value, Mapping):
            names.extend(leaf_variable_names(value, f"{prefix}{key}."))
        else:
            names.append(f"{prefix}{key}")
    return names


class _Renderer:
    """One rendering pass over a notice: builds the sandbox once, renders every section."""

    def __init__(self, notice: Notice):
        self.notice = notice
        self.tracker = _VariableTracker()
        self.problems: list[Problem] = []
        self._macro_calls: dict[tuple[str, int | None, str], list[tuple[str, int | None]]] = {}
        self._macro_index: dict[tuple[str, int | None, str], int] = {}
        self.env = NoticeSandbox(_MacroLoader(notice))
        self.context: dict[str, Any] = {
            **{
                key: _TrackedMapping(value, f"{key}.", self.tracker)
                if isinstance(value, Mapping)
                else value
                for key, value in notice.variables.items()
            },
            "title": notice.title,
            "company": notice.company,
            "last_updated": notice_date(notice, notice.last_updated),
            "effective": notice_date(notice, notice.effective),
        }
        used = macros_in(notice)
        self._load_macros(used, self.context)
        # An untranslated section keeps the source's macro bodies, not the language's.
        self.source_context = self.context
        overridden = [m for m in notice.macros if not m.lang and m not in used]
        if overridden:
            self.source_context = dict(self.context)
            self._load_macros(overridden, self.source_context)

    def _load_macros(self, macros: Iterable[MacroFile], context: dict[str, Any]) -> None:
        for macro in macros:
            try:
                code = self.env.compile(macro.source, name=macro.name, filename=macro.path)
                template = self.env.template_class.from_code(self.env, code, self.env.globals)
                module = template.make_module(context)
            except Exception as exc:  # untrusted template: every failure is a problem to report
                self.problems.append(self._problem_from(exc, macro.path))
                continue
            for name in dir(module):
                if not name.startswith("_"):
                    context[name] = getattr(module, name)

    def render_body(self, section: Section) -> str | None:
        """The section body after Jinja2, or None after recording a problem."""
        if self.env.produced_budget < 0:
            return None  # the budget is spent and already reported: one line, not one per section
        self.tracker.missing.clear()
        try:
            self._count_scalars(section.body)
            code = self.env.compile(section.body, name=section.path, filename=section.path)
            template = self.env.template_class.from_code(self.env, code, self.env.globals)
            return template.render(self.source_context if section.lang else self.context)
        except Exception as exc:  # untrusted template: every failure is a problem to report
            self._record(self._problem_from(exc, section.path, section.body), exc, section.path)
            return None

    def _count_scalars(self, body: str) -> None:
        """A top-level variable that is a value (not a group) is not a tracked mapping's leaf:
        count it as used where a template names it (Jinja2 copies the context it is given)."""
        scalars = {k for k, v in self.notice.variables.items() if not isinstance(v, Mapping)}
        if scalars:
            for name in meta.find_undeclared_variables(self.env.parse(body)) & scalars:
                self.tracker.uses[name] += 1

    def _record(self, problem: Problem, exc: BaseException, path: str) -> None:
        """A problem inside a macro is recorded once, with the first line that called it and how
        many other calls failed the same way; any other problem as it comes."""
        if _template_kind(problem.path) != MACROS_DIR:
            self.problems.append(problem)
            return
        key = (problem.path, problem.line, problem.message)
        calls = self._macro_calls.setdefault(key, [])
        calls.append(_caller(exc, path))
        shown = f"{calls[0][0]}:{calls[0][1]}" if calls[0][1] else calls[0][0]
        more = f" and {counted(len(calls) - 1, 'other call', 'other calls')}" if calls[1:] else ""
        explained = replace(problem, message=f"{problem.message} (called from {shown}{more})")
        if len(calls) == 1:
            self._macro_index[key] = len(self.problems)
            self.problems.append(explained)
        else:
            self.problems[self._macro_index[key]] = explained

    def _problem_from(self, exc: BaseException, path: str, source: str = "") -> Problem:
        if isinstance(exc, TemplateSyntaxError):
            where = exc.filename or path
            return Problem(where, exc.lineno, f"template syntax error: {exc.message}")
        where, line = _template_location(exc, path)
        return Problem(where, line, self._explain(exc, source, line))

    def _explain(self, exc: BaseException, source: str, line: int | None) -> str:
        if isinstance(exc, SecurityError):
            return f"not allowed in a notice (sandbox): {exc}"
        if isinstance(exc, VariableGroupError):
            return str(exc)
        if isinstance(exc, UndefinedError):
            private = re.search(r"has no attribute '(_[^']*)'", str(exc))
            if private:
                return f"not allowed in a notice (sandbox): attribute '{private.group(1)}'"
            if self.tracker.missing:
                name = self.tracker.missing[-1]
                return self._undefined(name)
            match = re.search(r"'([^']+)' is undefined", str(exc))
            if match:
                name = match.group(1)
                source_line = source.split("\n")[line - 1] if line and source else ""
                if re.search(rf"\b{re.escape(name)}\s*\(", source_line):
                    macros = [key for key, value in self.context.items() if callable(value)]
                    hint = _did_you_mean(name, macros)
                    return f"unknown macro '{name}'{hint}: define it in {MACROS_DIR}/*.j2"
                return self._undefined(name)
            return f"undefined: {exc}"
        if isinstance(exc, TemplateNotFound):
            return f"template '{exc.name}' not found: only files in {MACROS_DIR}/ can be imported"
        if isinstance(exc, RenderTimeout):
            return str(exc)
        if isinstance(exc, RecursionError):
            return "recursion too deep (a macro that calls itself?)"
        return f"template error: {type(exc).__name__}: {exc}"

    def _undefined(self, name: str) -> str:
        names = [*leaf_variable_names(self.notice.variables), *self.context]
        hint = _did_you_mean(name, [n for n in names if not callable(self.context.get(n))])
        where = self.notice.paths.notice_file
        return f"'{name}' is undefined{hint}: define it under variables: in {where}"


def _did_you_mean(name: str, names: Sequence[str]) -> str:
    """' (did you mean 'contact.phone'?)' for the closest known name, if one is close."""
    close = get_close_matches(name, list(dict.fromkeys(names)), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _caller(exc: BaseException, default_path: str) -> tuple[str, int | None]:
    """The outermost section (or translation) frame of the traceback: the line calling a macro."""
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if _template_kind(filename) in (SECTIONS_DIR, TRANSLATIONS_DIR):
            return filename, lineno
    return default_path, None


def _template_location(exc: BaseException, default_path: str) -> tuple[str, int | None]:
    """The innermost template frame of the traceback: Jinja2 maps it to the template's line."""
    where, line = default_path, None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if _template_kind(filename):
            where, line = filename, lineno
    return where, line


_TEMPLATE_FILE = re.compile(
    rf"^(?:{DOCUMENTS_DIR}/[a-z0-9-]+/)?({SECTIONS_DIR}|{MACROS_DIR}|{TRANSLATIONS_DIR})/"
)


def _template_kind(filename: str) -> str:
    """'sections', 'macros' or 'translations' for a notice's template file (any document's)."""
    match = _TEMPLATE_FILE.match(filename)
    return match.group(1) if match else ""


def render(notice: Notice) -> RenderedNotice:
    """Render every section once; raise SourceError with every problem found."""
    with time_limit():
        renderer = _Renderer(notice)
        bodies = [(section, renderer.render_body(section)) for section in notice.sections]
        sections = _parsed(renderer, bodies)
    body = whole_html(notice, sections)
    problems = renderer.problems or size_problems(body)
    if problems:
        raise SourceError(problems)
    text = whole_text(notice, sections)
    return RenderedNotice(
        notice=notice,
        sections=tuple(sections),
        markdown=whole_markdown(notice, sections),
        html=body,
        text=text,
        fingerprint=rendered_text_sha256(text),
        variable_uses=dict(renderer.tracker.uses),
    )


def bracket_problem(path: str, markdown: str) -> Problem | None:
    """Too many [ in one section: markdown-it's link parsing slows down on them (quadratic)."""
    count = markdown.count("[")
    if count <= MAX_BRACKETS:
        return None
    return Problem(
        path, None, f"{count:,} '[' in one section; the limit is {MAX_BRACKETS:,}: split it"
    )


def _parsed(renderer: _Renderer, bodies: list[tuple[Section, str | None]]) -> list[RenderedSection]:
    md = markdown_parser()
    tally = Tally()
    sections = []
    for section, markdown in bodies:
        if markdown is None:
            continue
        renderer.problems += raw_html_problems(section.path, markdown)
        too_many = bracket_problem(section.path, markdown) or pipe_problem(section.path, markdown)
        if too_many is not None:
            renderer.problems.append(too_many)
            continue
        try:
            tokens = md.parse(markdown)
        except RenderTimeout as exc:
            raise SourceError([Problem(section.path, None, str(exc))]) from None
        renderer.problems += tally.section(section.path, tokens)
        sections.append(
            RenderedSection(
                id=section.id,
                title=section.title,
                number=section.number,
                level=section.level,
                heading=section.heading,
                show_heading=section.show_heading,
                markdown=markdown.strip("\n") + "\n",
                html=md.renderer.render(tokens, md.options, {"document": renderer.notice.document}),
                text=tokens_to_text(tokens),
                path=section.path,
                first_line=len(markdown) - len(markdown.lstrip("\n")) + 1,
                lang=section.lang,
                canonical=canonical_blocks(tokens),
                links=links(tokens),
            )
        )
    return sections


def raw_html_problems(path: str, markdown: str) -> list[Problem]:
    """Raw HTML is refused: escaped it would show as tag soup; trusted it would be an injection."""
    problems = []
    detector = MarkdownIt("commonmark", {"html": True})
    for token in detector.parse(markdown):
        inline_html = any(child.type == "html_inline" for child in token.children or [])
        if token.type == "html_block" or inline_html:
            line = token.map[0] + 1 if token.map else None
            problems.append(
                Problem(path, line, "raw HTML is not allowed in a notice: write it in Markdown")
            )
    return problems


def last_updated_line(notice: Notice) -> str:
    """The notice's date line as it words it: 'Last updated: November 11, 2022' by default;
    localised in a translation."""
    if notice.lang:
        return date_line(notice.last_updated, notice.lang)
    return notice.date_line.replace("{date}", format_date(notice.last_updated, notice.date_format))


def date_line_at(notice: Notice, place: str) -> str:
    """The date line if notice.yml places it at place ('top' or 'end'), else ''."""
    return last_updated_line(notice) if notice.date_line_position == place else ""


def _with_date_line(notice: Notice, blocks: list[str], line: str) -> list[str]:
    """The date line placed where notice.yml says: under the title, at the end, or nowhere."""
    if notice.date_line_position == "top":
        return [line, *blocks]
    return [*blocks, line] if notice.date_line_position == "end" else blocks


def whole_text(notice: Notice, sections: list[RenderedSection]) -> str:
    """The notice as plain text: headings and bodies, with its date line."""
    blocks = []
    for section in sections:
        if section.show_heading:
            blocks.append(section.heading)
        if section.text:
            blocks.append(section.text)
    return "\n\n".join(_with_date_line(notice, blocks, last_updated_line(notice))) + "\n"


def whole_markdown(notice: Notice, sections: list[RenderedSection]) -> str:
    """The notice as Markdown, headings generated one level below the title."""
    blocks = []
    for section in sections:
        if section.show_heading:
            blocks.append(f"{'#' * min(section.level + 1, 6)} {section.heading}")
        if section.markdown.strip():
            blocks.append(section.markdown.strip("\n"))
    return "\n\n".join(_with_date_line(notice, blocks, last_updated_line(notice))) + "\n"


def section_heading_html(section: RenderedSection) -> str:
    """The generated heading, with the section id as its stable anchor."""
    level = min(section.level + 1, 6)
    # The heading is the number label (per notice.yml heading_format), then the title.
    prefix = section.heading.removesuffix(section.title) if section.number else ""
    label = prefix.rstrip()
    number = (
        f'<span class="notice-number">{html.escape(label)}</span>{prefix[len(label) :]}'
        if label
        else ""
    )
    return (
        f'<h{level} id="{section.id}" class="notice-heading">'
        f"{number}{html.escape(section.title)}</h{level}>"
    )


def whole_html(notice: Notice, sections: list[RenderedSection]) -> str:
    """The notice body as HTML: one <section> per notice section, then the last-updated line."""
    parts = []
    for section in sections:
        heading = section_heading_html(section) if section.show_heading else ""
        anchor = "" if section.show_heading else f' id="{section.id}"'
        lang = f' lang="{html.escape(section.lang)}"' if section.lang else ""
        parts.append(
            f'<section class="notice-section level-{section.level}"{anchor}{lang}>\n'
            f"{heading}\n{section.html}</section>"
        )
    updated = notice_date(notice, notice.last_updated)
    # The line's wording (per language) around the date, which is marked up as a <time>.
    before, _, after = last_updated_line(notice).rpartition(updated)
    line = (
        f'<p class="notice-last-updated">{html.escape(before)}'
        f'<time datetime="{notice.last_updated.isoformat()}">{html.escape(updated)}</time>'
        f"{html.escape(after)}</p>"
    )
    return "\n".join(_with_date_line(notice, parts, line)) + "\n"
