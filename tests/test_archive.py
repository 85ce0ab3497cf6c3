"""The auditors' archive: real releases in real git repositories, real PDFs, real kill -9."""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from filelock import FileLock, Timeout
from pypdf import PdfReader

from notice.actions.release import release, state_folder
from notice.actions.verify import verify
from notice.archive.ledger import GENESIS, ledger_text, parse_ledger
from notice.archive.store import Archive, as_of
from notice.errors import NoticeError
from notice.publish.pdf import pdf_bytes
from notice.publish.site.versions import archived, ledger_entries
from notice.render.rendering import render
from notice.render.texthash import text_sha256
from notice.source.gittree import GitTree, open_repository
from notice.source.load import load_notice
from tests.conftest import assert_no_traceback, commit_all, copy_notice, edit, git, run_notice
from tests.processes import kill_9, stopping_at, wait_stopped

# The points where a release is stopped and killed: lock held; PDF and ledger staged; PDF placed.
RELEASE_STEPS = {
    "locked": "notice.archive.store:Archive.entries",
    "staged": "notice.files:move_durably:call#1",
    "placed": "notice.files:move_durably:call#2",
}

NOTICE = Path(sys.executable).parent / "notice"
LEDGER = "archive/ledger.json"
V1_PDF = "mettel-privacy-notice-2022-11-11.pdf"
V2_PDF = "mettel-privacy-notice-2023-03-01.pdf"
CHANGED_SENTENCE = ("goal of protecting customer privacy.", "goal of protecting your privacy.")


def canonical_hash(record: dict) -> str:
    """The documented canonical form: sorted keys, no whitespace, UTF-8."""
    text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ledger(repo: Path) -> dict:
    return json.loads((repo / LEDGER).read_text(encoding="utf-8"))


def new_version(repo: Path) -> None:
    """Version 2023-03-01, in effect from 2023-04-01, with one sentence changed; committed."""
    edit(
        repo / "notice.yml",
        "last_updated: 2022-11-11",
        "last_updated: 2023-03-01\neffective: 2023-04-01",
    )
    edit(repo / "notice.yml", "as published on November 11, 2022.", "of March 1, 2023.")
    edit(repo / "sections/introduction.md", *CHANGED_SENTENCE)
    commit_all(repo, "Notice of 2023-03-01")


def copy_repo(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, symlinks=True)
    return target


@pytest.fixture(scope="module")
def pending_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2022-11-11 released and committed; 2023-03-01 committed, not released yet."""
    repo = copy_notice(tmp_path_factory.mktemp("pending") / "repo")
    git(repo, "init", "-q")
    commit_all(repo, "MetTel notice of 2022-11-11")
    release(repo, now=datetime(2022, 11, 11, 9, 0, tzinfo=UTC))
    commit_all(repo, "Release 2022-11-11")
    new_version(repo)
    return repo


@pytest.fixture(scope="module")
def two_template(pending_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both versions released, the archive committed after each release."""
    repo = copy_repo(pending_template, tmp_path_factory.mktemp("two") / "repo")
    release(repo, now=datetime(2023, 3, 1, 9, 0, tzinfo=UTC))
    commit_all(repo, "Release 2023-03-01")
    return repo


@pytest.fixture
def pending(pending_template: Path, tmp_path: Path) -> Path:
    return copy_repo(pending_template, tmp_path / "pending")


@pytest.fixture
def two(two_template: Path, tmp_path: Path) -> Path:
    return copy_repo(two_template, tmp_path / "two")


# --- release ------------------------------------------------------------------------------------


def test_release_archives_a_pdfa_with_its_source_then_changes_nothing(notice_repo: Path) -> None:
    head = git(notice_repo, "rev-parse", "HEAD")  # the commit that last changed the notice
    (notice_repo / "CHANGELOG.txt").write_text("not part of the notice\n")
    assert commit_all(notice_repo, "Unrelated change") != head
    first = run_notice("release", "--root", str(notice_repo))
    assert first.code == 0, first.stderr
    pdf = notice_repo / "archive" / V1_PDF
    data, ledger_bytes = pdf.read_bytes(), (notice_repo / LEDGER).read_bytes()
    [entry] = ledger(notice_repo)["entries"]
    assert entry["version"] == entry["effective"] == "2022-11-11"
    assert entry["commit"] == head and entry["pdf"] == V1_PDF
    assert entry["pdf_sha256"] == hashlib.sha256(data).hexdigest()
    rendered = render(load_notice(notice_repo))
    assert entry["text_sha256"] == text_sha256(rendered) != rendered.fingerprint
    assert entry["text_recipe"] == "rendering/3"
    assert entry["previous"] == GENESIS
    assert datetime.strptime(entry["released"], "%Y-%m-%dT%H:%M:%SZ")
    assert f"ledger head {canonical_hash(entry)}" in first.stdout

    reader = PdfReader(BytesIO(data))
    assert reader.metadata["/NoticeVersion"] == "2022-11-11"
    assert reader.metadata["/SourceCommit"] == head
    assert reader.attachments["notice.md"] == [rendered.markdown.encode()]
    assert reader.attachments["notice.yml"] == [(notice_repo / "notice.yml").read_bytes()]
    catalog_files = reader.trailer["/Root"]["/AF"]
    assert {spec.get_object()["/AFRelationship"] for spec in catalog_files} == {"/Source"}
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp

    again = run_notice("release", "--root", str(notice_repo))
    assert again.code == 0, again.stderr
    assert "already released: 2022-11-11" in again.stdout and "nothing changed" in again.stdout
    assert pdf.read_bytes() == data and (notice_repo / LEDGER).read_bytes() == ledger_bytes
    assert sorted(p.name for p in (notice_repo / "archive").iterdir()) == ["ledger.json", V1_PDF]
    assert not (notice_repo / ".git" / "notice-release" / "staging").exists()


def test_a_second_release_chains_to_the_first(pending: Path) -> None:
    before = ledger(pending)["entries"]
    result = run_notice("release", "--root", str(pending))
    assert result.code == 0, result.stderr
    first, second = ledger(pending)["entries"]
    assert first == before[0]
    assert second["version"] == "2023-03-01" and second["effective"] == "2023-04-01"
    assert second["previous"] == canonical_hash(first)
    assert second["commit"] == git(pending, "rev-parse", "HEAD")
    assert (pending / "archive" / V2_PDF).is_file()
    assert verify(pending).ok


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_the_chain_can_be_checked_with_jq_as_the_readme_says(two: Path) -> None:
    digest = subprocess.run(
        f"jq -jcS '.entries[0]' {LEDGER} | sha256sum",
        shell=True,
        cwd=two,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[0]
    assert digest == ledger(two)["entries"][1]["previous"]


def test_ledger_text_round_trips_byte_for_byte(two: Path) -> None:
    text = (two / LEDGER).read_text(encoding="utf-8")
    assert ledger_text(parse_ledger(text)) == text


# --- release refuses ----------------------------------------------------------------------------


def assert_refused(result, *needles: str) -> None:
    assert result.code == 1, result.stdout + result.stderr
    assert_no_traceback(result)
    assert result.stderr.startswith("error: release refused: "), result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


def test_release_refuses_when_check_fails(notice_repo: Path) -> None:
    edit(notice_repo / "sections/cpni-rights.md", "{{ representative() }}", "{{ contact.fax }}")
    commit_all(notice_repo, "Broken")
    result = run_notice("release", "--root", str(notice_repo))
    assert_refused(result, "`notice check` fails", "sections/cpni-rights.md:", "contact.fax")
    assert not (notice_repo / "archive").exists()


def test_release_refuses_uncommitted_changes(notice_repo: Path) -> None:
    edit(notice_repo / "sections/introduction.md", *CHANGED_SENTENCE)
    (notice_repo / "macros" / "extra.j2").write_text("{% macro x() %}x{% endmacro %}\n")
    result = run_notice("release", "--root", str(notice_repo))
    assert_refused(result, "uncommitted changes", "sections/introduction.md", "macros/extra.j2")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (notice_repo / "archive").exists()


def test_release_refuses_a_shallow_clone_and_outside_git(
    pending: Path, notice_dir: Path, tmp_path: Path
) -> None:
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", pending.as_uri(), str(shallow))
    result = run_notice("release", "--root", str(shallow))
    assert result.code == 1 and "shallow clone" in result.stderr and "--unshallow" in result.stderr
    assert (shallow / LEDGER).read_bytes() == (pending / LEDGER).read_bytes()
    outside = run_notice("release", "--root", str(notice_dir))
    assert outside.code == 1 and "not inside a git repository" in outside.stderr
    assert not (notice_dir / "archive").exists()
    for each in (result, outside):
        assert_no_traceback(each)
        assert len(each.stderr.strip().splitlines()) == 1


def test_release_refuses_a_released_version_with_other_content(two: Path) -> None:
    ledger_before = (two / LEDGER).read_bytes()
    edit(two / "sections/introduction.md", "your privacy", "the privacy of our customers")
    commit_all(two, "Edit the released version without a new date")
    result = run_notice("release", "--root", str(two))
    assert_refused(result, "2023-03-01 is already released", "different text", V2_PDF)
    assert (two / LEDGER).read_bytes() == ledger_before
    checked = run_notice("verify", "--root", str(two))
    assert checked.code == 1
    assert "changed the text of version 2023-03-01 after its release" in checked.stderr


def test_release_refuses_a_new_effective_date_under_a_released_version(two: Path) -> None:
    edit(two / "notice.yml", "effective: 2023-04-01", "effective: 2023-05-01")
    commit_all(two, "Move the effective date")
    result = run_notice("release", "--root", str(two))
    assert_refused(result, "effective 2023-04-01, not 2023-05-01")


# --- verify -------------------------------------------------------------------------------------


def test_verify_passes_and_rebuilds_byte_for_byte(two: Path) -> None:
    result = run_notice("verify", "--root", str(two), "--rebuild", "--json")
    assert result.code == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and report["rebuilt"] == 2 and report["problems"] == []
    assert report["head"] == canonical_hash(ledger(two)["entries"][-1])


def flip_byte(repo: Path) -> str:
    pdf = repo / "archive" / V1_PDF
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    return f"archive/{V1_PDF}: sha256 is"


def edit_middle_entry(repo: Path) -> str:
    edit(repo / LEDGER, "as published on November 11, 2022.", "as published in 2022.")
    return "entry 2023-03-01: previous is"


def edit_committed_last_entry(repo: Path) -> str:
    edit(repo / LEDGER, '"released": "2023-03-01T09:00:00Z"', '"released": "2023-03-02T09:00:00Z"')
    return "entry 2023-03-01 as committed in"


def remove_last_entry(repo: Path) -> str:
    document = ledger(repo)
    document["entries"].pop()
    (repo / LEDGER).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return "entry 2023-03-01 as committed in"


def remove_first_entry(repo: Path) -> tuple[str, str]:
    document = ledger(repo)
    document["entries"].pop(0)
    (repo / LEDGER).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return "entry 2023-03-01: previous is", f"archive/{V1_PDF}: no ledger entry records it: it is"


def delete_pdf(repo: Path) -> str:
    (repo / "archive" / V2_PDF).unlink()
    return f"archive/{V2_PDF}: missing"


@pytest.mark.parametrize(
    "tamper",
    [
        flip_byte,
        edit_middle_entry,
        edit_committed_last_entry,
        remove_last_entry,
        remove_first_entry,
        delete_pdf,
    ],
)
def test_verify_names_what_was_tampered_with(two: Path, tamper) -> None:
    expected = tamper(two)
    result = verify(two)
    problems = [str(problem) for problem in result.problems]
    assert not result.ok
    for needle in (expected,) if isinstance(expected, str) else expected:
        assert any(needle in problem for problem in problems), problems


def test_verify_reports_a_ledger_it_cannot_read_by_line(two: Path) -> None:
    edit(two / LEDGER, '"commit": "', '"commit": "X')
    result = run_notice("verify", "--root", str(two))
    assert result.code == 1
    line = next(
        number
        for number, text in enumerate((two / LEDGER).read_text().splitlines(), start=1)
        if '"version": "2022-11-11"' in text
    )
    assert f"{LEDGER}:{line}: entry 1: commit 'X" in result.stderr, result.stderr


def test_verify_checks_the_pdf_text_against_the_commit(two: Path) -> None:
    """A PDF of other text that matches its (uncommitted) ledger hash is still caught."""
    notice_repo = open_repository(two)
    commit = notice_repo.repo.commit(ledger(two)["entries"][1]["commit"])
    edit(two / "sections/introduction.md", "your privacy", "nothing at all")
    forged = pdf_bytes(render(load_notice(two)), source_commit=commit.hexsha)
    git(two, "checkout", "--", "sections")
    (two / "archive" / V2_PDF).write_bytes(forged)
    edit(two / LEDGER, ledger(two)["entries"][1]["pdf_sha256"], hashlib.sha256(forged).hexdigest())
    problems = [str(p) for p in verify(two).problems]
    assert any(
        f"archive/{V2_PDF}: text differs from commit {commit.hexsha[:10]}" in p
        and "nothingatall" in p
        for p in problems
    ), problems
    assert any("attached notice.md is not the rendered Markdown" in p for p in problems)


def test_verify_rebuild_fails_when_the_bytes_differ(pending: Path) -> None:
    release(pending)  # the last entry is not committed, so its hash may be edited unnoticed
    pdf = pending / "archive" / V2_PDF
    rewritten = pending / "rewritten.pdf"
    subprocess.run(["qpdf", "--object-streams=generate", str(pdf), str(rewritten)], check=True)
    assert rewritten.read_bytes() != pdf.read_bytes()
    old = hashlib.sha256(pdf.read_bytes()).hexdigest()
    shutil.move(rewritten, pdf)
    edit(pending / LEDGER, old, hashlib.sha256(pdf.read_bytes()).hexdigest())
    assert run_notice("verify", "--root", str(pending)).code == 0
    result = run_notice("verify", "--root", str(pending), "--rebuild")
    assert result.code == 1
    assert f"archive/{V2_PDF}: rebuilt from commit" in result.stderr, result.stderr
    assert "cannot be reproduced" in result.stderr


def test_verify_wants_every_version_of_history_released(pending: Path, notice_repo: Path) -> None:
    warned = run_notice("verify", "--root", str(pending))
    assert warned.code == 0, warned.stderr
    assert "warning: version 2023-03-01 (the current one) is not released yet" in warned.stderr
    new_version(notice_repo)  # 2022-11-11 never released, then 2023-03-01 released
    release(notice_repo)
    result = run_notice("verify", "--root", str(notice_repo))
    assert result.code == 1
    assert "version 2022-11-11 (commit" in result.stderr and "never released" in result.stderr


def test_verify_passes_on_lists_quotes_and_tables(notice_repo: Path) -> None:
    with (notice_repo / "sections/introduction.md").open("a", encoding="utf-8") as stream:
        stream.write(
            "\n1. an ordered item\n2. a second\n   - nested\n     - deeper\n\n"
            "> a quote\n> over two lines\n\n| A | B |\n| --- | --- |\n| a1 | b1 |\n"
        )
    commit_all(notice_repo, "Richer markup")
    release(notice_repo)
    result = verify(notice_repo)
    assert result.ok, [str(p) for p in result.problems]
    assert [e.version for e in result.entries] == [date(2022, 11, 11)]


# --- as-of --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "version", "until"),
    [
        ("2022-11-11", "2022-11-11", "2023-04-01"),  # the first version's first day
        ("2023-03-01", "2022-11-11", "2023-04-01"),  # released, not yet in effect
        ("2023-03-31", "2022-11-11", "2023-04-01"),  # the day before the second takes effect
        ("2023-04-01", "2023-03-01", None),  # the day it takes effect
        ("2031-01-01", "2023-03-01", None),
    ],
)
def test_as_of_answers_by_effective_date(two: Path, day: str, version: str, until) -> None:
    result = run_notice("as-of", day, "--root", str(two), "--json")
    assert result.code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert (answer["date"], answer["version"], answer["until"]) == (day, version, until)
    pdf = two / answer["pdf"]
    assert answer["pdf_sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert PdfReader(pdf).metadata["/NoticeVersion"] == version


def test_as_of_before_the_first_version_says_so(two: Path) -> None:
    result = run_notice("as-of", "2022-11-10", "--root", str(two))
    assert result.code == 1
    assert_no_traceback(result)
    assert result.stderr == (
        "error: 2022-11-10 is before the first version in the archive: "
        "2022-11-11 took effect on 2022-11-11\n"
    )
    text = run_notice("as-of", "2023-04-01", "--root", str(two))
    assert text.code == 0 and f"pdf archive/{V2_PDF}" in text.stdout
    assert "effective 2023-04-01, still in effect" in text.stdout


def test_as_of_refuses_a_pdf_that_does_not_match(two: Path, notice_dir: Path) -> None:
    flip_byte(two)
    with pytest.raises(NoticeError, match=f"archive/{V1_PDF}: sha256"):
        as_of(two, date(2023, 1, 1))
    with pytest.raises(NoticeError, match="nothing is released yet"):
        as_of(notice_dir, date(2023, 1, 1))


# --- what the site reads ------------------------------------------------------------------------


def test_the_site_gets_the_archived_file_only_for_the_released_text(two: Path) -> None:
    entries = ledger_entries(two)
    assert [day.isoformat() for day in entries] == ["2022-11-11", "2023-03-01"]
    rendered = render(load_notice(two))
    found, warning = archived(two, entries[rendered.notice.last_updated], rendered)
    assert warning is None and found is not None
    assert found.pdf.path == (two / "archive" / V2_PDF).resolve()
    assert hashlib.sha256(found.pdf.path.read_bytes()).hexdigest() == found.sha256
    edit(two / "sections/introduction.md", "your privacy", "the privacy of customers")
    edited = render(load_notice(two))
    found, warning = archived(two, entries[edited.notice.last_updated], edited)
    assert found is None and warning is not None and "another text" in warning


# --- interrupted and concurrent releases ---------------------------------------------------------


def stopped_release(repo: Path, step: str) -> subprocess.Popen:
    """A real `notice release` that stopped itself (SIGSTOP) at step."""
    process = subprocess.Popen(
        [str(NOTICE), "release", "--root", str(repo)],
        env=stopping_at(RELEASE_STEPS[step]),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert wait_stopped(process, 120), f"release never reached {step}: {process.stderr.read()}"
    return process


def untracked(repo: Path) -> set[str]:
    status = git(repo, "status", "--porcelain", "--untracked-files=all", "--ignored")
    return {line[3:] for line in status.splitlines()}


@pytest.mark.parametrize("step", ["locked", "staged", "placed"])
def test_a_release_killed_half_way_leaves_the_archive_as_it_was(pending: Path, step: str) -> None:
    ledger_before = (pending / LEDGER).read_bytes()
    kill_9(stopped_release(pending, step))
    assert (pending / LEDGER).read_bytes() == ledger_before
    assert [e.pdf for e in Archive(pending).entries()] == [V1_PDF]
    leftover = {f"archive/{V2_PDF}"} if step == "placed" else set()
    assert untracked(pending) == leftover  # no temp file anywhere in the working tree
    checked = verify(pending)
    problems = [str(problem) for problem in checked.problems]
    assert checked.ok is not leftover, problems
    orphan = f"archive/{V2_PDF}: no ledger entry records it: left by an interrupted release"
    assert any(p.startswith(orphan) for p in problems) is bool(leftover), problems

    again = run_notice("release", "--root", str(pending))
    assert again.code == 0, again.stderr
    assert "released 2023-03-01" in again.stdout
    if leftover:
        assert f"note: archive/{V2_PDF} was left by an interrupted release" in again.stderr
        assert "identical, reused" in again.stderr
    assert [e.pdf for e in Archive(pending).entries()] == [V1_PDF, V2_PDF]
    assert not (state_folder(open_repository(pending)) / "staging").exists()
    assert verify(pending).ok


def test_a_second_release_waits_for_the_lock(pending: Path) -> None:
    first = stopped_release(pending, "staged")  # holds the lock, stopped
    lock = state_folder(open_repository(pending)) / "lock"
    with pytest.raises(Timeout):
        FileLock(lock, timeout=0).acquire()
    second = subprocess.Popen(
        [str(NOTICE), "release", "--root", str(pending)],
        env=stopping_at(RELEASE_STEPS["locked"]),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert not wait_stopped(second, 3), "the second release got the lock the first one holds"
    kill_9(first)
    assert wait_stopped(second, 120), "the second release never got the lock"
    second.send_signal(signal.SIGCONT)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert "released 2023-03-01" in out
    assert [e.version.isoformat() for e in Archive(pending).entries()] == [
        "2022-11-11",
        "2023-03-01",
    ]
    assert verify(pending).ok


def test_two_releases_at_once_write_one_entry(pending: Path) -> None:
    processes = [
        subprocess.Popen(
            [str(NOTICE), "release", "--root", str(pending)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    said = sorted(out.split(" ")[0] for out, _ in outputs)
    assert said == ["already", "released"], outputs
    entries = parse_ledger((pending / LEDGER).read_text(encoding="utf-8"))
    assert [e.version.isoformat() for e in entries] == ["2022-11-11", "2023-03-01"]
    assert verify(pending).ok


def test_release_refuses_a_committed_pdf_the_ledger_lost(pending: Path) -> None:
    """A PDF git holds but no entry records means an entry was removed: never overwrite it."""
    tree = GitTree(open_repository(pending).repo.commit("HEAD"))
    assert tree.exists(f"archive/{V1_PDF}")
    document = ledger(pending)
    document["entries"] = []
    (pending / LEDGER).write_text(json.dumps(document), encoding="utf-8")
    git(pending, "checkout", "HEAD~1", "--", "notice.yml", "sections")
    commit_all(pending, "Back to 2022-11-11, with the ledger emptied")
    result = run_notice("release", "--root", str(pending))
    assert_refused(result, f"archive/{V1_PDF} is committed but", "an entry was lost")


def test_an_identical_release_still_reports_a_damaged_archive(two: Path) -> None:
    (two / "archive" / V2_PDF).write_bytes(b"%PDF-1.7 not the released file")
    done = release(two)
    assert not done.created
    assert done.notes == (f"archive/{V2_PDF} is missing or changed: run `notice verify`",)


def test_as_of_refuses_a_truncated_ledger_and_verify_never_advises_a_release(two: Path) -> None:
    assert run_notice("as-of", "2023-06-01", "--root", str(two)).code == 0
    remove_last_entry(two)
    answer = run_notice("as-of", "2023-06-01", "--root", str(two))
    assert_no_traceback(answer)
    assert answer.code == 1 and "cannot be trusted" in answer.stderr, answer.stderr
    assert "entry 2023-03-01 as committed in" in answer.stderr and "missing" in answer.stderr
    checked = run_notice("verify", "--root", str(two))
    assert checked.code == 1 and "notice release" not in checked.stderr, checked.stderr


def test_an_edited_ledger_hash_is_blamed_on_the_ledger_not_a_commit(two: Path) -> None:
    [_, second] = ledger(two)["entries"]
    edit(two / LEDGER, second["text_sha256"], "4" * 64)
    problems = [str(p) for p in verify(two).problems]
    assert any("entry 2023-03-01: its text_sha256 is 4444" in p for p in problems), problems
    assert any("the ledger entry was edited" in p for p in problems)
    assert not any("after its release" in p for p in problems), problems
