"""The `notice` command line: a thin click layer; the only place that prints and exits."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from notice.controls import escaped
from notice.errors import NoticeError, Problem, Severity, SourceError, UsageError, errors_only
from notice.jsontext import json_text
from notice.layout import CONFIG_FILE
from notice.model import RenderedNotice
from notice.progress import TerminalProgress

if TYPE_CHECKING:  # the type only: `notice check` never imports the release's WeasyPrint
    from notice.actions.release import Release

# Each command imports the modules it runs inside its own body: `notice check` then never
# imports WeasyPrint, mkdocs or the archive. This is for start-up time, not to dodge a cycle
# (cli.py is the top floor; nothing imports it).
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def root_option(function: Callable) -> Callable:
    """--root DIR: the notice folder (default: the current directory)."""
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="Folder of the notice (notice.yml, sections/, macros/).",
    )(function)


DOCUMENT_HELP = "A document of the project (documents/ID/; default: the root notice)."


def document_option(function: Callable | None = None, *, help: str = DOCUMENT_HELP) -> Callable:
    """--document ID: which document of the project (default: the root one); with help=, the
    command's own words for what it does with it (`@document_option(help=...)`)."""
    option = click.option("--document", "document", metavar="ID", default=None, help=help)
    return option(function) if function is not None else option


def document_root(root: Path, document: str | None) -> Path:
    """The folder commands take as the notice's root: --document's under --root's project."""
    if document is None:
        return root
    from notice.source.documents import find_document

    return find_document(root, document).folder


def safe_line(text: str) -> str:
    """One printed line that no program reading it can split or take as a command: control
    characters shown escaped, and never a leading `::` (a GitHub Actions workflow command)."""
    line = escaped(text)
    return f"> {line}" if line.lstrip().startswith("::") else line


def say(text: str = "", err: bool = False, nl: bool = True) -> None:
    """Print text, each of its lines through safe_line: the only way the CLI prints."""
    click.echo("\n".join(safe_line(line) for line in text.split("\n")), err=err, nl=nl)


def today_option(meaning: str) -> Callable[[Callable], Callable]:
    """--today YYYY-MM-DD: the day a command takes as today (tests and builds as of a day)."""
    return click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help=f"{meaning} (YYYY-MM-DD; default: today).",
    )


def report(problems: list[Problem]) -> None:
    """Print each problem on one line on stderr."""
    for problem in problems:
        say(safe_line(str(problem)), err=True)


def handles_errors(function: Callable) -> Callable:
    """Turn the toolkit's errors into one line each and an exit code; never a traceback."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except SourceError as exc:
            report(exc.problems)
            sys.exit(EXIT_PROBLEMS)
        except UsageError as exc:
            say(safe_line(f"error: {exc}"), err=True)
            sys.exit(EXIT_USAGE)
        except NoticeError as exc:
            say(safe_line(f"error: {exc}"), err=True)
            sys.exit(EXIT_PROBLEMS)
        except KeyboardInterrupt:
            say("interrupted", err=True)
            sys.exit(130)

    return wrapper


def output_option(function: Callable) -> Callable:
    """--output FILE: where a Word document is written (a .docx is never printed)."""
    return click.option(
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="File to write (required with --format docx).",
    )(function)


def _docx_target(output: Path | None) -> Path:
    if output is None:
        raise UsageError("--format docx writes a file: add --output FILE.docx")
    return output


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="notice-toolkit")
def main() -> None:
    """Publish and version a privacy notice: render, check, build, history, archive."""


@main.command("render")
@root_option
@document_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "html", "docx"]),
    default="text",
    show_default=True,
)
@output_option
@handles_errors
def render_command(
    root: Path, document: str | None, output_format: str, output: Path | None
) -> None:
    """Print the whole notice as text, Markdown or HTML; write it as Word (.docx) to --output."""
    from notice.render.rendering import render
    from notice.source.load import load_notice

    root = document_root(root, document)
    target = _docx_target(output) if output_format == "docx" else None
    rendered = render(load_notice(root))
    if target:
        from notice.publish.docx import notice_document, save_document

        save_document(notice_document(rendered), target)
        return
    say(
        {"text": rendered.text, "markdown": rendered.markdown, "html": rendered.html}[
            output_format
        ],
        nl=False,
    )


@main.command("import")
@click.argument(
    "files", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option(
    "--into",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder of the new notice project (new or empty).",
)
@click.option(
    "--format",
    "input_format",
    type=click.Choice(["auto", "text", "markdown", "html"]),
    default="auto",
    show_default=True,
    help="Format of FILE (auto: by suffix, then by content).",
)
@click.option("--macros", "write_macros", is_flag=True, help="Write repeated sentences as macros.")
@click.option(
    "--force", is_flag=True, help="Replace notice.yml, sections/, macros/, mkdocs.yml in --into."
)
@click.option("--title", default=None, help="Title of the notice (default: found in FILE).")
@click.option("--company", default=None, help="Company name (default: from the title).")
@click.option(
    "--last-updated",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="The notice's date, YYYY-MM-DD (default: its own 'Last updated'/'Effective' line).",
)
@click.option(
    "--headings",
    default=None,
    metavar="REGEX",
    help="Plain text: lines this regular expression matches in full are headings.",
)
@click.option(
    "--path",
    "history_path",
    default=None,
    help="FILE is a git repository: import each version of this file in its first-parent history.",
)
@click.option(
    "--release",
    "release_each",
    is_flag=True,
    help="With a history: also archive each dated version (marked reconstructed).",
)
@click.option(
    "--dates",
    "history_dates",
    default=None,
    metavar="D1,...,DN",
    help="With a history: each version's date, YYYY-MM-DD, oldest first (empty: its own).",
)
@click.option(
    "--document",
    "document_id",
    default=None,
    metavar="ID",
    help="Add the notice to the project --into as documents/ID/ (listed in its notice.yml).",
)
@handles_errors
def import_command(
    files: tuple[Path, ...],
    into: Path,
    input_format: str,
    write_macros: bool,
    force: bool,
    title: str | None,
    company: str | None,
    last_updated: datetime | None,
    headings: str | None,
    history_path: str | None,
    release_each: bool,
    history_dates: str | None,
    document_id: str | None,
) -> None:
    """Turn an existing notice (plain text, Markdown or HTML) into a notice project; several
    files (oldest first), or a repository and --path, make one dated git commit per version.
    With --document ID, the notice becomes a further document of the existing project --into."""
    from notice.importer import import_notice
    from notice.importer.gitstart import start_repository
    from notice.importer.scaffold import toolkit_version
    from notice.importer.summary import summary_lines

    if document_id is not None and (force or release_each):
        raise UsageError(
            "--document adds a new document: without --force; release it afterwards with "
            "`notice release`"
        )
    if len(files) > 1 or history_path or release_each:
        given = _history_dates(history_dates)
        _import_history(
            files,
            into,
            history_path,
            release_each,
            title,
            company,
            input_format,
            given,
            document_id,
        )
        return
    if history_dates is not None:
        raise UsageError("--dates dates the versions of a history; for one file: --last-updated")
    if document_id is not None:
        _import_document(
            files[0],
            into,
            document_id,
            write_macros=write_macros,
            title=title,
            company=company,
            input_format=None if input_format == "auto" else input_format,
            last_updated=last_updated.date() if last_updated else None,
            headings=headings,
        )
        return
    file = files[0]
    result = import_notice(
        file,
        into,
        force=force,
        write_macros=write_macros,
        title=title,
        company=company,
        input_format=None if input_format == "auto" else input_format,
        last_updated=last_updated.date() if last_updated else None,
        headings=headings,
    )
    for line in summary_lines(result):
        say(line)
    report(result.warnings)
    commit = start_repository(into, f"Import {file.name} (notice import {toolkit_version()})")
    if commit:
        say(f"git repository created in {into} with a first commit ({commit[:10]})")


def _import_document(file: Path, into: Path, document_id: str, **options: Any) -> None:
    from notice.importer.intodocument import import_document
    from notice.importer.summary import summary_lines

    done = import_document(file, into, document_id, **options)
    for line in summary_lines(done.report):
        say(line)
    shared = sorted({done.sharing.renamed.get(name, name) for name in done.sharing.shared})
    if shared:
        say(f"shared with the root notice.yml: {', '.join(shared)}")
    if done.sharing.overrides:
        say(f"own values (overrides:): {', '.join(done.sharing.overrides)}")
    report(done.report.warnings)
    say(f"listed {document_id} under documents: in {into / 'notice.yml'}; review and commit")


def _history_dates(text: str | None) -> list[date | None] | None:
    """--dates 2018-05-24,,2020-04-08: one per version, an empty one read from its text."""
    if text is None:
        return None
    dates: list[date | None] = []
    for part in text.split(","):
        try:
            dates.append(date.fromisoformat(part.strip()) if part.strip() else None)
        except ValueError:
            raise UsageError(
                f"--dates: {part.strip()!r} is not a date; give YYYY-MM-DD per version"
            ) from None
    return dates


def _import_history(
    files: tuple[Path, ...],
    into: Path,
    history_path: str | None,
    release_each: bool,
    title: str | None,
    company: str | None,
    input_format: str,
    dates: list[date | None] | None,
    document_id: str | None = None,
) -> None:
    from contextlib import nullcontext
    from functools import partial

    from notice.importer.history import file_versions, import_history, repository_versions
    from notice.importer.intodocument import import_document_history

    if history_path and len(files) != 1:
        raise UsageError("--path reads one repository's history: give one REPO folder")
    sources = (
        repository_versions(files[0], history_path)
        if history_path
        else nullcontext(file_versions(list(files)))
    )
    with sources as versions:
        done = (
            partial(import_history, release=release_each)
            if document_id is None
            else partial(import_document_history, document_id=document_id)
        )(
            versions,
            into,
            title=title,
            company=company,
            input_format=None if input_format == "auto" else input_format,
            progress=TerminalProgress(),
            dates=dates,
        )
    for version, commit in zip(done.versions, done.commits, strict=True):
        kept = f"; ids kept: {len(version.renamed)}" if version.renamed else ""
        say(f"{version.day}  {commit[:10]}  {version.source.origin}{kept}")
    released = f", {len(done.released)} archived" if done.released else ""
    say(f"imported {len(done.versions)} versions into {done.target}{released}")
    report(list(done.warnings))


@main.command("check")
@root_option
@document_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--base",
    metavar="REF",
    help="Apply the 'last updated' rules against the notice at REF (branch, tag, commit, date).",
)
@today_option("The date the rules take as today")
@click.option(
    "--allow-config",
    is_flag=True,
    help="With --base: allow changes outside the notice's content (a maintainer's own change).",
)
@handles_errors
def check_command(
    root: Path,
    document: str | None,
    strict: bool,
    base: str | None,
    today: datetime | None,
    allow_config: bool,
) -> None:
    """Validate the source of every document (or --document's): exit 0 when clean, 1 with one
    line per problem."""
    from notice.coverage.report import folded
    from notice.documentcheck import (
        documents_checked,
        project_problems,
        uses_elsewhere,
        whole_project,
    )
    from notice.source.documents import documents_of
    from notice.wording import counted

    day = today.date() if today else date.today()
    documents = documents_checked(root, document)
    project = documents[0].project
    unchecked = [d for d in documents_of(project) if d not in documents]
    found: dict[str, list[Problem]] = {}
    used: set[str] = set()
    for each in sorted(documents, key=lambda d: d.is_root):  # the root's variables are shared:
        shared = used | uses_elsewhere(unchecked) if each.is_root else set()  # used by any
        rendered, found[each.id] = _checked_document(each.folder, day, base, shared)
        used |= set(rendered.variable_uses) if rendered is not None else set()
    listing = project_problems(project) if whole_project(root, document) else []
    problems = listing + [p for d in documents for p in found[d.id]]
    folds = listing + [p for d in documents for p in folded(found[d.id])]  # gaps per document
    if base is not None:
        from notice.versions.boundary import boundary_problems

        outside = boundary_problems(project, base, allow_config)
        problems, folds = problems + outside, folds + outside
    problems, folds = _unique(problems), _unique(folds)
    report(problems if strict else folds)  # --strict fails on each: list them all
    failing = problems if strict else errors_only(problems)
    if failing:
        sys.exit(EXIT_PROBLEMS)
    warnings = [p for p in folds if p.severity is Severity.WARNING]
    say(f"ok: notice is valid ({counted(len(warnings), 'warning', 'warnings')})", err=True)


def _checked_document(
    folder: Path, day: date, base: str | None, shared_uses: set[str]
) -> tuple[RenderedNotice | None, list[Problem]]:
    """One document's check: its source, what the ledger released, the rules against --base."""
    from notice.archive.ledger import names_release
    from notice.check import check_source
    from notice.source.worktree import WorkingTree

    rendered, problems = check_source(folder, today=day, shared_uses=shared_uses)
    if rendered is not None and names_release(WorkingTree(folder), rendered.notice.last_updated):
        # only then git and the release's rendering: most checks are of a version not released
        from notice.versions.releasedcheck import released_problems

        problems += released_problems(folder, rendered)  # the ledger knows what was released
    if base is not None and rendered is not None:
        from notice.versions.gate import check_against_base

        gate = check_against_base(folder, rendered, base, day)
        problems += [p for p in gate if p not in problems]
    return rendered, problems


def _unique(problems: list[Problem]) -> list[Problem]:
    """Each problem once: the documents share mkdocs.yml, the root notice.yml and macros/."""
    return list(dict.fromkeys(problems))


@main.command("coverage")
@root_option
@document_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@handles_errors
def coverage_command(root: Path, document: str | None, as_json: bool) -> None:
    """Per regime of notice.yml, each required content and the sections that cover it."""
    from notice.coverage.report import coverage, report_lines
    from notice.render.rendering import render
    from notice.source.load import load_notice

    root = document_root(root, document)
    found = coverage(render(load_notice(root)))
    errors = errors_only(list(found.problems))
    if errors:
        raise SourceError(errors)
    if as_json:
        say(json_text(found.record()))
        return
    for line in report_lines(found):
        say(line)


@main.command("translate")
@click.argument("lang")
@root_option
@document_option
@click.option(
    "--updated",
    "updated",
    multiple=True,
    metavar="ID",
    help="Section ID's translation now follows the current source text (records its hash).",
)
@handles_errors
def translate_command(
    lang: str, root: Path, document: str | None, updated: tuple[str, ...]
) -> None:
    """Write the missing translation files of LANG (source text, marked untranslated)."""
    from notice.languages.files import write_missing
    from notice.languages.overlay import check_language
    from notice.render.rendering import render
    from notice.source.load import load_notice

    root = document_root(root, document)
    rendered = render(load_notice(root))
    check_language(rendered.notice, lang)
    if lang == rendered.notice.source_language:
        raise UsageError(f"{lang!r} is the source language: its text is in sections/")
    if updated:
        from notice.languages.files import mark_current

        for section_id in updated:
            say(f"current: {mark_current(root, rendered, lang, section_id)}")
        return
    written = write_missing(root, rendered, lang)
    for path in written:
        say(f"wrote {path}")
    say(f"{len(written)} file(s) written; translated files are never touched", err=True)


@main.command("translations")
@click.argument("lang", required=False)
@root_option
@document_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with each stale redline).")
@handles_errors
def translations_command(lang: str | None, root: Path, document: str | None, as_json: bool) -> None:
    """Per language and section: current, stale (with what changed in the source), untranslated."""
    from notice.languages.overlay import check_language
    from notice.render.rendering import render
    from notice.source.load import load_notice
    from notice.source.worktree import WorkingTree
    from notice.translate.followed import followed_sources
    from notice.translate.report import status_lines, status_record
    from notice.translate.status import translation_states

    root = document_root(root, document)
    rendered = render(load_notice(root))
    if lang is not None:
        check_language(rendered.notice, lang)
    states, problems = translation_states(WorkingTree(root), rendered)
    if errors_only(problems):
        raise SourceError(problems)
    report(problems)
    states = [s for s in states if lang is None or s.lang == lang]
    followed = {s.lang: followed_sources(root, rendered, s) for s in states}
    if as_json:
        say(json_text(status_record(states, followed)))
        return
    for line in status_lines(states, followed):
        say(line)


@main.command("build")
@root_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the built site (default: ROOT/site).",
)
@click.option("--force", is_flag=True, help="Build even when no input changed.")
@click.option(
    "--config-from",
    metavar="REF",
    help="Take mkdocs.yml, docs/ and overrides/ from REF (a pull request's are not trusted).",
)
@today_option("Build as of this day: the version in effect then is current")
@handles_errors
def build_command(
    root: Path, out: Path | None, force: bool, config_from: str | None, today: datetime | None
) -> None:
    """Build the website and its PDF (mkdocs + the notice plugin); skip when nothing changed."""
    from notice.actions.build import build_site

    day = today.date() if today else None
    result = build_site(root, out, force=force, config_from=config_from, today=day)
    for warning in result.warnings:
        say(f"warning: {warning}", err=True)
    state = "up to date (nothing changed)" if result.skipped else "built"
    say(f"{state}: {_shown(result.index)} and {_shown(result.pdf)}")


def _shown(path: Path) -> str:
    """A path relative to the current folder when it is below it, else absolute."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@main.command("history")
@root_option
@document_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with fingerprints).")
@click.option("--lang", default=None, help="The versions of a translation, with their states.")
@handles_errors
def history_command(root: Path, document: str | None, as_json: bool, lang: str | None) -> None:
    """List the versions of the notice from git history, oldest first."""
    from notice.versions.history import read_history, version_record

    root = document_root(root, document)
    if lang is not None:
        _translation_history(root, lang, as_json)
        return
    history = read_history(root, progress=TerminalProgress())
    report(list(history.skipped))
    if as_json:
        say(json_text([version_record(v) for v in history.versions]))
        return
    for version in history.versions:
        say(
            f"{version.last_updated}  effective {version.effective}  "
            f"{version.first_commit[:10]}  {version.summary}"
        )
        for revision in version.revisions if len(version.revisions) > 1 else ():
            mark = "  (released)" if revision.released else ""
            click.echo(f"  revision {revision.commit[:10]} {revision.committed.date()}{mark}")
    if not history.versions:
        say("no versions: no commit of this history holds a notice", err=True)


def _translation_history(root: Path, lang: str, as_json: bool) -> None:
    from notice.translate.history import history_lines, history_record, translation_history

    history = translation_history(root, lang, progress=TerminalProgress())
    report(list(history.skipped))
    if as_json:
        say(json_text(history_record(history)))
        return
    for line in history_lines(history):
        say(line)


@main.command("audit")
@root_option
@document_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@handles_errors
def audit_command(root: Path, document: str | None, as_json: bool) -> None:
    """Walk the whole history: undated changes to released versions, dates going back."""
    from notice.versions.audit import audit, audit_record

    root = document_root(root, document)
    result = audit(root, progress=TerminalProgress())
    if as_json:
        say(json_text(audit_record(result)))
    else:
        report(list(result.skipped))
        for finding in result.findings:
            say(str(finding), err=True)
    if not result.ok:
        sys.exit(EXIT_PROBLEMS)
    if not as_json:
        found = (
            f"no violations, {len(result.revisions)} revision(s) of unreleased versions"
            if result.revisions
            else "no findings"
        )
        say(f"ok: {result.commits} commit(s) audited, {found}", err=True)


@main.command("diff")
@click.argument("old", required=False)
@click.argument("new", required=False)
@root_option
@document_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "html", "json", "docx"]),
    default="text",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--lang", default=None, help="Redline a translation (a language of notice.yml).")
@output_option
@handles_errors
def diff_command(
    old: str | None,
    new: str | None,
    root: Path,
    document: str | None,
    output_format: str,
    as_json: bool,
    lang: str | None,
    output: Path | None,
) -> None:
    """Redline OLD -> NEW: each a version date (YYYY-MM-DD), a git ref, or WORKTREE.

    Default: the last commit (HEAD) against the working tree.
    """
    from notice.versions.history import WORKTREE, snapshot
    from notice.versions.redline import redline
    from notice.versions.redline_format import FORMATTERS

    target = _docx_target(output) if output_format == "docx" and not as_json else None
    root = document_root(root, document)
    before = snapshot(root, old or "HEAD")
    after = snapshot(root, new or WORKTREE)
    old_text, new_text = before.rendered, after.rendered
    if lang is not None:
        from notice.languages.overlay import render_language

        old_text = render_language(before.source, old_text, lang)
        new_text = render_language(after.source, new_text, lang)
    for source in (before.source, after.source):  # past commits are read as they stand
        for warning in getattr(source, "decode_warnings", list)():
            say(warning, err=True)
    changes = redline(old_text, new_text, before.label, after.label)
    if target:
        from notice.publish.docx import save_document
        from notice.publish.redline_docx import redline_document

        word = redline_document(changes, before.rendered.notice, after.rendered.notice)
        save_document(word, target)
        return
    say(FORMATTERS["json" if as_json else output_format](changes), nl=False)


@main.command("release")
@root_option
@today_option("The date taken as today: last_updated may not be later")
@click.option(
    "--tsa",
    metavar="URL",
    default=None,
    help="An RFC 3161 time-stamping authority: its token over the entry goes in archive/.",
)
@click.option(
    "--lang",
    default=None,
    metavar="LANG",
    help="Release only this language's text of the released version (a late translation), "
    "of the root document or the one --document names.",
)
@document_option(help="Release only this document (default: every document of the project).")
@handles_errors
def release_command(
    root: Path, today: datetime | None, tsa: str | None, lang: str | None, document: str | None
) -> None:
    """Archive HEAD's committed notice: a frozen PDF/A-3 and a new entry in archive/ledger.json
    for each document whose last_updated is not released yet."""
    from notice.actions.covered import covered_documents, one_document
    from notice.actions.release import release_documents, release_language

    day = today.date() if today else None
    if lang:
        folder = one_document(root, document).folder
        done = [release_language(folder, lang, today=day, tsa=tsa)]
    else:
        done = release_documents(covered_documents(root, document), today=day, tsa=tsa)
    for each in done:
        _said_release(each)
    if any(each.created for each in done):
        say("commit archive/ to publish the release", err=True)


def _said_release(done: Release) -> None:
    """What one document's release did."""
    for note in done.notes:
        say(f"note: {note}", err=True)
    entry, shown = done.entry, _shown(done.path)
    if done.token is None:
        say(
            f"warning: {entry.label} is not timestamped: nothing outside the repository says "
            "when it was archived (notice release --tsa URL)",
            err=True,
        )
    else:
        say(f"timestamp {_shown(done.token)}")
    of = f"{entry.document} " if entry.document else ""
    if not done.created:
        say(f"already released: {of}{entry.version} is {shown}; nothing changed")
        return
    say(f"released {of}{entry.version} (effective {entry.effective}): {shown}")
    say(f"sha256 {entry.pdf_sha256}; ledger head {entry.digest}")


@main.command("verify")
@root_option
@click.option("--rebuild", is_flag=True, help="Also rebuild each PDF and compare bytes.")
@click.option(
    "--report",
    "with_report",
    is_flag=True,
    help="Also say what the PDF validators (page-validation, outloud) find in each archived PDF.",
)
@click.option(
    "--require-timestamps",
    is_flag=True,
    help="Fail on any release without an RFC 3161 timestamp in archive/timestamps/.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@document_option(help="Verify only this document's releases (the chain is always checked whole).")
@handles_errors
def verify_command(
    root: Path,
    rebuild: bool,
    with_report: bool,
    require_timestamps: bool,
    as_json: bool,
    document: str | None,
) -> None:
    """Check the archive: hash chain, PDF hashes and texts, every version released, and each
    RFC 3161 timestamp against the TSA chain in archive/tsa/."""
    from notice.actions.pdfreport import report_record, validator_report
    from notice.actions.verify import verify

    result = verify(
        root,
        rebuild=rebuild,
        progress=TerminalProgress(),
        require_timestamps=require_timestamps,
        document=document,
    )
    validators = validator_report(root, document) if with_report else {}
    if as_json:
        record = result.record()
        if with_report:
            record["validators"] = report_record(validators)
        say(json_text(record))
    else:
        report(list(result.problems))
        for pdf, judged in validators.items():
            for verdict in judged:
                say(f"{pdf}: {verdict.line()}")
        for entry, stamp in result.stamps:
            say(f"{entry.label}: timestamped {stamp.shown} by {stamp.authority}")
    if not result.ok:
        sys.exit(EXIT_PROBLEMS)
    if not as_json:
        rebuilt = f", {result.rebuilt} rebuilt byte for byte" if rebuild else ""
        stamped = f", {len(result.stamps)} timestamped"
        say(
            f"ok: {len(result.entries)} release(s) verified{rebuilt}{stamped}; "
            f"ledger head {result.head}",
            err=True,
        )


@main.command("as-of")
@click.argument("day", metavar="DATE", type=click.DateTime(formats=["%Y-%m-%d"]))
@root_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--lang", default=None, help="The archived PDF of this translation.")
@document_option
@handles_errors
def as_of_command(
    day: datetime, root: Path, as_json: bool, lang: str | None, document: str | None
) -> None:
    """The archived version in effect on DATE (YYYY-MM-DD), with its PDF and sha256."""
    from notice.actions.verify import checked_as_of
    from notice.archive.provenance import archived_after

    found = checked_as_of(root, day.date(), lang, document)
    entry = found.entry
    pdf = found.shown(root)
    if as_json:
        say(json_text(found.record(root)))
        return
    until = f"until {found.until}" if found.until else "still in effect"
    say(f"on {found.day}: version {entry.version} (effective {entry.effective}, {until})")
    say(f"pdf {pdf}")
    say(f"sha256 {found.pdf_sha256}")
    say(f"commit {entry.commit}  released {entry.released}")
    if entry.reconstructed_from:
        say(f"reconstructed from {entry.reconstructed_from} by `notice import`")
    note = archived_after(entry, found.day)
    if note:
        say(note)


@main.command("evidence")
@click.argument("day", metavar="DATE", type=click.DateTime(formats=["%Y-%m-%d"]))
@root_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The zip to write (FILE.zip).",
)
@document_option
@handles_errors
def evidence_command(day: datetime, root: Path, out: Path, document: str | None) -> None:
    """An auditor's evidence pack for DATE: the PDF in force, the ledger, timestamps, sources
    and an HTML report of every check with the commands to repeat it."""
    from notice.actions.evidence import write_evidence

    done = write_evidence(root, day.date(), out, document)
    failed = [check for check in done.checks if not check.ok]
    for check in failed:
        say(f"{_shown(done.path)}: failed: {check.what}: {check.result}", err=True)
    say(
        f"wrote {_shown(done.path)}: version {done.entry.version}, {len(done.checks)} checks, "
        + (f"{len(failed)} failed (see report.html)" if failed else "all passed")
    )
    if failed:
        sys.exit(EXIT_PROBLEMS)


@main.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of notice.yml (for editors and other validators)."""
    from notice.source.schema import schema_text

    say(schema_text(), nl=False)


@main.command("init")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="Example Company Privacy Notice", show_default=True)
@click.option("--company", default="Example Company", show_default=True)
@click.option("--email", default="privacy@example.com", show_default=True)
@click.option("--website", default="https://www.example.com/", show_default=True)
@handles_errors
def init_command(target: Path, title: str, company: str, email: str, website: str) -> None:
    """Create a new notice project in TARGET that checks and builds out of the box."""
    from notice.importer.gitstart import start_repository
    from notice.importer.scaffold import ProjectSettings, init_project, toolkit_version

    settings = ProjectSettings(title, company, email, website, date.today())
    files = init_project(target, settings)
    commit = start_repository(target, f"New notice project (notice init {toolkit_version()})")
    created = f" and its git repository ({commit[:10]})" if commit else ""
    say(f"created {target} ({len(files)} files){created}: edit notice.yml and sections/, then")
    say(f"  notice check --root {target} && notice build --root {target}")


@main.command("new-document")
@click.argument("document_id", metavar="ID")
@click.option("--title", required=True, help="The document's title, e.g. 'Cookie Policy'.")
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder of the project (its root notice.yml).",
)
@handles_errors
def new_document_command(document_id: str, title: str, into: Path) -> None:
    """Start a further document in documents/ID/ and list it in the root notice.yml."""
    from notice.importer.newdocument import new_document

    files = new_document(into, document_id, title, date.today())
    folder = files[-1].parent.parent
    say(f"created {folder} and listed {document_id} under documents: in {files[0]}; then")
    say(f"  notice check --root {into} && notice render --root {folder}")


@main.command("serve")
@root_option
@click.option("--base", help="Show the redline of your changes against this ref (e.g. main).")
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve.")
@handles_errors
def serve_command(root: Path, base: str | None, dev_addr: str) -> None:
    """Live preview of the site (mkdocs serve) that reloads on every edit of the notice."""
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    from notice.publish.site.plugin import with_plugin_options

    config_file = root / CONFIG_FILE
    if not config_file.is_file():
        raise UsageError(f"{config_file} not found: serve needs the notice's {CONFIG_FILE}")
    settings: dict[str, str | bool] = {"preview": True}
    if base:
        from notice.versions.history import snapshot

        snapshot(root, base)  # a base that cannot be read is refused before serving
        settings["preview_base"] = base
    overrides: dict[str, Any] = {"plugins": with_plugin_options(config_file, **settings)}
    say(f"serving http://{dev_addr}/ (Ctrl+C to stop)", err=True)
    try:
        serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True, **overrides)
    except MkDocsException as exc:
        raise NoticeError(str(exc)) from None
