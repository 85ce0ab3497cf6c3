"""notice import of a real history: Basecamp's privacy policy in 8 versions, as files and as the
history of a file in a git repository; dates, stable ids, redline figures, releases, audit."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path

import pytest

from notice.archive.ledger import GENESIS, Entry, chain_problems, ledger_text, parse_ledger
from notice.importer.history import _renamed_notice, renamed_variables
from notice.render.rendering import render
from notice.source.gittree import GitTree, open_repository
from notice.versions.history import read_history
from notice.versions.redline import compare_sections, redline
from tests.conftest import assert_no_traceback, commit_all, git
from tests.test_redline_restructure import marked_words, visible_word_diff

BASECAMP = Path(__file__).parent / "fixtures" / "real" / "history" / "basecamp"
TITLE = ("--title", "Basecamp privacy policy", "--company", "Basecamp")
# The stated date of each version (VERSIONS.tsv). The first states none: the policies
# repository places it before May 2018, and 2018-01-01 stands in for it here.
DATES = {
    "01-9d973b2f.md": "2018-01-01",
    "02-10930e3b.md": "2018-05-24",
    "03-5d075b8b.md": "2018-12-20",
    "04-ea36d524.md": "2020-04-08",
    "05-ed3389bd.md": "2020-04-13",
    "06-00189338.md": "2020-06-25",
    "07-46b36201.md": "2022-07-18",  # stated as a link
    "08-40002bdc.md": "2023-04-20",
}
# Consecutive imported versions: (words the redline marks, words a visible word diff marks),
# measured when written; the bound (ratio <= 1.5) is the rule.
MEASURED = [(546, 567), (117, 121), (2103, 2139), (440, 453), (224, 368), (3163, 3267), (647, 658)]


def version_files(folder: Path) -> list[Path]:
    """The fixture's files, each dated (modification time) with its version's date."""
    folder.mkdir()
    files = []
    for name, day in DATES.items():
        copy = folder / name
        shutil.copy(BASECAMP / name, copy)
        stamp = datetime.fromisoformat(f"{day}T12:00:00+00:00").timestamp()
        os.utime(copy, (stamp, stamp))
        files.append(copy)
    return files


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    from tests.conftest import run_notice

    work = tmp_path_factory.mktemp("history")
    files = version_files(work / "versions")
    result = run_notice("import", *map(str, files), "--into", str(work / "project"), *TITLE)
    assert result.code == 0, result.stderr
    assert_no_traceback(result)
    assert result.stdout.splitlines()[-1] == f"imported 8 versions into {work / 'project'}"
    return work / "project"


@pytest.mark.slow
def test_history_lists_every_version_by_its_date(imported, cli):
    result = cli("history", "--root", str(imported), "--json")
    assert result.code == 0, result.stderr
    assert [v["last_updated"] for v in json.loads(result.stdout)] == list(DATES.values())
    log = git(imported, "log", "--reverse", "--format=%ad|%cd|%s", "--date=short")
    assert [line.split("|")[:2] for line in log.splitlines()] == [[d, d] for d in DATES.values()]
    assert "Imported by `notice import` from 08-40002bdc.md" in git(imported, "log", "-1")


@pytest.mark.slow
def test_ids_stay_stable_and_redlines_stay_near_a_word_diff(imported):
    versions = read_history(imported).versions
    assert len(versions) == 8
    figures = []
    for before, after in pairwise(versions):
        sections = compare_sections(before.rendered, after.rendered)
        assert [s.old_id for s in sections if s.old_id] == []  # every match is by id
        change = redline(before.rendered, after.rendered)
        marked, plain = marked_words(change), visible_word_diff(before.rendered, after.rendered)
        figures.append((marked, plain))
        assert marked <= 1.5 * plain, f"{before.last_updated} → {after.last_updated}: {figures}"
    identity = [v.rendered.notice.section("identity-access").title for v in versions]
    assert identity[0] == "Identity & access"  # the id of 2018 is kept through every rewording
    print("redline vs word diff per pair:", figures, "measured when written:", MEASURED)


def _repository(folder: Path) -> tuple[Path, dict[str, str]]:
    """A git repository holding the 8 versions as privacy/index.md, committed on their dates,
    plus one revision of 2020-04-13 under the same date (a paragraph deleted)."""
    repo = folder / "policies"
    (repo / "privacy").mkdir(parents=True)
    git(repo, "init", "-q")
    commits = {}
    for name, day in DATES.items():
        shutil.copy(BASECAMP / name, repo / "privacy" / "index.md")
        commits[name] = _commit_on(repo, day, name)
        if name == "05-ed3389bd.md":
            text = (repo / "privacy" / "index.md").read_text(encoding="utf-8")
            start = text.index("Basecamp is subject to the investigatory")
            end = text.index("\n\n", start)
            (repo / "privacy" / "index.md").write_text(text[:start] + text[end + 2 :], "utf-8")
            commits["revision"] = _commit_on(repo, day, "same date, a paragraph less")
    (repo / "README.md").write_text("not the notice\n", encoding="utf-8")
    _commit_on(repo, "2023-05-01", "readme")
    return repo, commits


def _commit_on(repo: Path, day: str, message: str) -> str:
    os.environ["GIT_COMMITTER_DATE"] = f"{day}T12:00:00+00:00"
    try:
        return commit_all(repo, message, when=f"{day}T12:00:00+00:00")
    finally:
        del os.environ["GIT_COMMITTER_DATE"]


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    from tests.conftest import run_notice

    work = tmp_path_factory.mktemp("repository")
    repo, commits = _repository(work)
    target = work / "project"
    result = run_notice(
        "import", str(repo), "--path", "privacy/index.md", "--into", str(target), "--release",
        *TITLE,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"imported 9 versions into {target}, 8 archived"
    return target, commits


@pytest.mark.slow
def test_a_repository_history_is_released_as_reconstructed(released, cli):
    target, commits = released
    entries = parse_ledger((target / "archive" / "ledger.json").read_text(encoding="utf-8"))
    assert [e.version.isoformat() for e in entries] == list(DATES.values())
    by_day = {e.version.isoformat(): e.reconstructed_from for e in entries}
    assert by_day["2018-01-01"] == f"privacy/index.md at commit {commits['01-9d973b2f.md']}"
    # a date's last revision is the one archived
    assert by_day["2020-04-13"] == f"privacy/index.md at commit {commits['revision']}"
    history = cli("history", "--root", str(target), "--json")
    assert [v["last_updated"] for v in json.loads(history.stdout)] == list(DATES.values())
    assert chain_problems(entries) == []
    for entry in entries:
        pdf = (target / "archive" / entry.pdf).read_bytes()
        assert hashlib.sha256(pdf).hexdigest() == entry.pdf_sha256
    assert git(target, "status", "--porcelain") == ""  # every archive write is committed


@pytest.mark.slow
def test_audit_reports_the_same_date_revision(released, cli):
    target, _ = released
    result = cli("audit", "--root", str(target), "--json")
    record = json.loads(result.stdout)
    revisions = [f for f in record["findings"] if f["kind"] == "revision"]
    assert len(revisions) == 1 and "2020-04-13" in revisions[0]["message"]
    assert record["ok"], record


def test_the_same_date_revision_is_in_the_imported_history(released):
    target, _ = released
    notice_repo = open_repository(target)
    log = git(target, "log", "--reverse", "--format=%H %ad", "--date=short", "--", "sections")
    days = [line.split()[1] for line in log.splitlines()]
    assert days.count("2020-04-13") == 2
    first, second = [line.split()[0] for line in log.splitlines() if "2020-04-13" in line]
    texts = [
        render_at(notice_repo, sha).text for sha in (first, second)
    ]  # same date, different text: a revision
    assert texts[0] != texts[1] and "investigatory" not in texts[1]


def render_at(notice_repo, sha: str):
    from notice.source.load import load_notice

    return render(load_notice(GitTree(notice_repo.repo.commit(sha), notice_repo.prefix)))


def test_reconstructed_from_is_optional_in_the_ledger():
    plain = Entry(
        version=date(2020, 1, 1), effective=date(2020, 1, 1), summary="s", commit="a" * 40,
        pdf="n-2020-01-01.pdf", pdf_sha256="b" * 64, text_sha256="c" * 64,
        released="2020-01-02T00:00:00Z", previous=GENESIS,
    )  # fmt: skip
    assert "reconstructed_from" not in plain.record()
    marked = Entry(**{**plain.__dict__, "reconstructed_from": "index.md at commit " + "d" * 40})
    [parsed_plain] = parse_ledger(ledger_text([plain]))
    [parsed_marked] = parse_ledger(ledger_text([marked]))
    assert parsed_plain.digest == plain.digest and parsed_plain.reconstructed_from == ""
    assert parsed_marked.reconstructed_from == marked.reconstructed_from
    assert parsed_marked.digest != plain.digest


def test_renames_touch_only_ids_in_the_tree_and_names_in_expressions():
    notice = (
        "title: T\nvariables:\n  contact:\n    email_2: a@b.c\n  urls:\n    home: https://x\n"
        "sections:\n  - intro\n  - id: rights\n    sections:\n      - rights-eu\n"
    )
    renamed = _renamed_notice(
        notice, {"intro": "introduction"}, {"contact.email_2": "contact.email"}
    )
    assert "    email: a@b.c\n" in renamed and "  - introduction\n" in renamed
    assert "  - id: rights\n" in renamed and "title: T\n" in renamed
    body = (
        "Write to contact.email_2 or {{ contact.email_2 }} ({% if contact.email_2 %}x{% endif %})"
    )
    assert renamed_variables(body, {"contact.email_2": "contact.email"}) == (
        "Write to contact.email_2 or {{ contact.email }} ({% if contact.email %}x{% endif %})"
    )


def test_bad_history_inputs_are_one_line_each(tmp_path, cli):
    one = BASECAMP / "01-9d973b2f.md"
    cases = {
        (str(tmp_path), "--path", "privacy/index.md"): "not a git repository",
        (str(one), str(tmp_path / "missing.md")): "not a file; give each version's file",
        (str(one), "--release"): "a history needs at least two versions",
    }
    for number, (args, message) in enumerate(cases.items()):
        result = cli("import", *args, "--into", str(tmp_path / f"out{number}"))
        assert result.code == 1, result
        assert_no_traceback(result)
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("error: ") and message in line
        assert not (tmp_path / f"out{number}").exists()
