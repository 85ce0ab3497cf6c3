"""Typed problems and errors that carry their location; only the CLI turns them into exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding about the source, pointing at a file and a line."""

    path: str
    line: int | None
    message: str
    severity: Severity = Severity.ERROR
    column: int | None = None  # 1-based, in characters, where one character is at fault

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        where += f":{self.column}" if self.line and self.column else ""
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}: {prefix}{self.message}"


class NoticeError(Exception):
    """Base of every error the toolkit raises for bad input; its message is fit for users."""


class SourceError(NoticeError):
    """The notice source has one or more problems; all of them are carried, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class UsageError(NoticeError):
    """The command was asked for something that cannot be done as asked (exit code 2)."""


def errors_only(problems: list[Problem]) -> list[Problem]:
    """Return the problems that are errors, not warnings."""
    return [p for p in problems if p.severity is Severity.ERROR]
