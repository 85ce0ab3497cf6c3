"""The archive's trail in git: every first-parent commit's archive/ against its first parent's
(no path-limited log), so a merge cannot bring in a rewritten ledger or PDF unseen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from git.exc import GitCommandError
from git.objects import Commit

from notice.archive.ledger import Entry, entries_of, parse_ledger
from notice.errors import Problem, SourceError
from notice.layout import ARCHIVE_DIR, LEDGER, ROOT_DOCUMENT
from notice.source.firstparent import first_parent_changes
from notice.source.gittree import NoticeRepo


@dataclass(frozen=True)
class CommittedLedger:
    """The ledger as one commit of the first-parent chain changed it to."""

    commit: Commit
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Trail:
    """Every ledger the chain committed (oldest first), and archived PDFs changed after."""

    ledgers: tuple[CommittedLedger, ...]
    problems: tuple[Problem, ...]


def archive_trail(notice_repo: NoticeRepo, ref: str = "HEAD") -> Trail:
    """Walk the first-parent chain once: each commit that changed archive/ledger.json, and each
    commit that changed or removed a PDF its first parent's ledger records."""
    ledgers: list[CommittedLedger] = []
    problems: list[Problem] = []
    recorded: set[str] = set()  # PDF paths the ledger before the commit records
    project = notice_repo.project_prefix  # paths below are the project's, as in the ledger
    prefix = f"{project}/" if project else ""
    try:
        steps = first_parent_changes(
            notice_repo.repo, [notice_repo.path(ARCHIVE_DIR)], ref, oldest_first=True
        )
    except GitCommandError:
        steps = []  # no commits yet
    for step in steps:
        changed = tuple(path.removeprefix(prefix) for path in step.paths)
        for path in changed:
            if path in recorded:
                message = (
                    f"changed or removed by commit {step.commit.hexsha[:10]}: an archived PDF "
                    "never changes (restore it from git history)"
                )
                problems.append(Problem(path, None, message))
        if LEDGER not in changed:
            continue
        entries = _ledger_at(notice_repo, step.commit)
        if entries is None:
            continue  # removed or unreadable: pins nothing; later ledgers are compared with it
        ledgers.append(CommittedLedger(step.commit, tuple(entries)))
        recorded = {path for entry in entries for path in entry.pdf_paths()}
    return Trail(tuple(ledgers), tuple(problems))


def _ledger_at(notice_repo: NoticeRepo, commit: Commit) -> list[Entry] | None:
    try:
        blob = commit.tree / notice_repo.path(LEDGER)
        where = f"{LEDGER} as committed in {commit.hexsha[:10]}"
        return parse_ledger(blob.data_stream.read().decode("utf-8"), where)
    except (KeyError, SourceError, UnicodeDecodeError):
        return None


def append_only_problems(trail: Trail, entries: list[Entry]) -> list[Problem]:
    """Every ledger ever committed on the chain must be a prefix of this one, entry for entry."""
    digests = [entry.digest for entry in entries]
    versions = {(entry.document, entry.version) for entry in entries}
    problems, reported = list(trail.problems), set()
    for committed in reversed(trail.ledgers):  # newest first: the latest edit is named
        for index, entry in enumerate(committed.entries):
            if index < len(digests) and digests[index] == entry.digest:
                continue
            if entry.label not in reported:
                reported.add(entry.label)
                how = "changed" if (entry.document, entry.version) in versions else "missing"
                message = (
                    f"{entry.label} as committed in {committed.commit.hexsha[:10]} is {how}: "
                    "the ledger is append-only"
                )
                problems.append(Problem(LEDGER, None, message))
            break
    return problems


def ever_released(trail: Trail, document_id: str = ROOT_DOCUMENT) -> set[date]:
    """The document's versions any ledger on the chain recorded (an entry deleted since is
    still released)."""
    return {
        entry.version
        for committed in trail.ledgers
        for entry in entries_of(list(committed.entries), document_id)
    }
