"""The `notice` command line: a thin click layer; the only place that prints and exits."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from .errors import NoticeError, Problem, Severity, SourceError, UsageError, errors_only

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


def report(problems: list[Problem]) -> None:
    """Print each problem on one line on stderr."""
    for problem in problems:
        click.echo(str(problem), err=True)


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
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        except NoticeError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_PROBLEMS)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="notice-toolkit")
def main() -> None:
    """Publish and version a privacy notice: render, check, build, history, archive."""


@main.command("render")
@root_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "html"]),
    default="text",
    show_default=True,
)
@handles_errors
def render_command(root: Path, output_format: str) -> None:
    """Print the whole notice as text, Markdown or HTML."""
    from .load import load_notice
    from .render import render

    rendered = render(load_notice(root))
    click.echo(
        {"text": rendered.text, "markdown": rendered.markdown, "html": rendered.html}[
            output_format
        ],
        nl=False,
    )


@main.command("check")
@root_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@handles_errors
def check_command(root: Path, strict: bool) -> None:
    """Validate the source: exit 0 when clean, 1 with one line per problem."""
    from .check import check_source

    _, problems = check_source(root)
    report(problems)
    failing = problems if strict else errors_only(problems)
    if failing:
        sys.exit(EXIT_PROBLEMS)
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    click.echo(f"ok: notice is valid ({len(warnings)} warning(s))", err=True)
