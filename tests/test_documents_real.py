"""Three real documents of one company in one project: GitHub's privacy statement (the root),
its cookie notice and its California notice, each imported with its history from
github/site-policy (tests/fixtures/real/site-policy/SOURCES.tsv), then checked, read back
version by version and built."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from notice.render.rendering import render
from notice.source.load import load_notice
from tests.conftest import FIXTURES, git, run_notice

SITE_POLICY = FIXTURES / "real" / "site-policy"
ROWS = [
    row
    for row in csv.reader((SITE_POLICY / "SOURCES.tsv").open(encoding="utf-8"), delimiter="\t")
    if row and not row[0].startswith("#")
]
DOCUMENTS = ("cookies", "california")  # the root is the privacy statement


def files_of(document: str) -> list[str]:
    return [str(SITE_POLICY / row[0] / row[1]) for row in ROWS if row[0] == document]


def stated_days(document: str) -> list[str]:
    """The date each version states ('Effective date: January 6, 2021'), as YYYY-MM-DD."""
    days = []
    for row in ROWS:
        if row[0] == document:
            phrase = row[6].removeprefix("Effective date: ").removeprefix("Effective ")
            days.append(datetime.strptime(phrase, "%B %d, %Y").date().isoformat())
    return days


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The privacy statement's history as a new project, then the two other documents' histories
    added to it with `notice import --document`; the CLI's output of each import."""
    project = tmp_path_factory.mktemp("site-policy") / "github"
    imported = run_notice("import", *files_of("privacy"), "--into", str(project))
    assert imported.code == 0, imported.stderr
    before = (project / "notice.yml").read_text(encoding="utf-8")
    outputs = {}
    for document in DOCUMENTS:
        done = run_notice(
            "import", *files_of(document), "--into", str(project), "--document", document
        )
        assert done.code == 0, done.stderr
        outputs[document] = done
    return project, before, outputs


def commits_of(project, path: str) -> list[tuple[str, str]]:
    """(commit, author date) of each commit that changed path, oldest first."""
    log = git(project, "log", "--reverse", "--format=%H %ad", "--date=short", "--", path)
    return [tuple(line.split()) for line in log.splitlines()]


def test_the_root_notice_yml_only_gains_the_documents_list(project):
    project, before, _ = project
    after = (project / "notice.yml").read_text(encoding="utf-8")
    assert after.startswith(before)  # every line the import wrote, and its comments, kept
    assert yaml.safe_load(after)["documents"] == list(DOCUMENTS)
    assert {k: v for k, v in yaml.safe_load(after).items() if k != "documents"} == yaml.safe_load(
        before
    )


def test_each_version_is_a_commit_dated_with_the_day_it_states(project):
    project, _, _ = project
    assert [day for _, day in commits_of(project, "sections")] == stated_days("privacy")
    for document in DOCUMENTS:
        commits = commits_of(project, f"documents/{document}")
        assert [day for _, day in commits] == stated_days(document)
        for commit, _ in commits:  # a document's import touches its folder and the list only
            changed = git(project, "show", "--format=", "--name-only", commit).splitlines()
            assert all(p.startswith(f"documents/{document}/") or p == "notice.yml" for p in changed)
    # the California notice kept "Effective January 1, 2020" through three texts
    assert set(stated_days("california")) == {"2020-01-01"}


def test_values_the_root_holds_are_shared_and_other_values_overridden(project):
    project, _, outputs = project
    commits = [c for c, _ in commits_of(project, "documents/california")]
    shown = [
        yaml.safe_load(git(project, "show", f"{c}:documents/california/notice.yml"))
        for c in commits
    ]
    # 2020-02-10: support@github.com, while the root's contact.email is privacy@github.com
    assert shown[0]["variables"]["contact"]["email"] == "support@github.com"
    assert "contact.email" in shown[0]["overrides"]
    # 2020-02-21: a contact form without the root's ?tags=docs-policy: its own value
    assert shown[1]["variables"]["urls"]["github_contact"] == "https://support.github.com/contact"
    assert shown[1]["overrides"] == ["urls.github_contact"]
    # 2021-11-12: the very form the root links to: shared, not repeated
    assert "variables" not in shown[2] and "overrides" not in shown[2]
    folder = project / "documents" / "california"
    section = (folder / "sections" / "your-rights-under-the-ccpa.md").read_text(encoding="utf-8")
    assert "({{ urls.github_contact }})" in section
    root = yaml.safe_load((project / "notice.yml").read_text(encoding="utf-8"))
    form = root["variables"]["urls"]["github_contact"]
    assert form == "https://support.github.com/contact?tags=docs-policy"
    assert f'href="{form}"' in render(load_notice(folder)).html
    printed = outputs["california"].stdout.splitlines()
    assert [line.split()[0] for line in printed[:3]] == stated_days("california")
    assert printed[3] == f"imported 3 versions into {project / 'documents' / 'california'}"


def test_the_project_checks_with_its_documents(project):
    project, _, outputs = project
    for root in (project, project / "documents" / "cookies", project / "documents" / "california"):
        checked = run_notice("check", "--root", str(root))
        assert checked.code == 0, checked.stderr
    for output in outputs.values():
        assert "view of the input differ" not in output.stderr  # the published words, each
        assert "site_url" not in output.stderr  # the project's own files were not imported


def test_history_per_document(project):
    project, _, _ = project
    cookies = run_notice("history", "--root", str(project / "documents" / "cookies"), "--json")
    assert cookies.code == 0, cookies.stderr
    assert [v["last_updated"] for v in json.loads(cookies.stdout)] == stated_days("cookies")
    california = run_notice(
        "history", "--root", str(project / "documents" / "california"), "--json"
    )
    (version,) = json.loads(california.stdout)
    assert version["last_updated"] == "2020-01-01"
    assert len({r["text_sha256"] for r in version["revisions"]}) == 3  # three texts, one date
    root = run_notice("history", "--root", str(project), "--json")
    assert [v["last_updated"] for v in json.loads(root.stdout)] == stated_days("privacy")


def test_the_project_builds(project):
    project, _, _ = project
    built = run_notice("build", "--root", str(project))
    assert built.code == 0, built.stderr
    site = project / "site"
    assert "GitHub Privacy Statement" in (site / "index.html").read_text(encoding="utf-8")
    versions = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    days = {v["version"] for v in versions["versions"] if v["document"] == "root"}
    assert set(stated_days("privacy")) <= days
    for document in ("cookies", "california"):
        listed = [v["version"] for v in versions["versions"] if v["document"] == document]
        assert sorted(listed) == sorted(set(stated_days(document))), document
        assert (site / document / "index.html").is_file()
        assert (site / document / "history" / "index.html").is_file()
    policies = (site / "policies" / "index.html").read_text(encoding="utf-8")
    assert "GitHub Privacy Statement" in policies and policies.count("What changed") == 3


def test_the_three_real_documents_release_and_their_pdfs_verify(project, tmp_path):
    """Each document's current version released into one chain; verify reads each PDF's text
    back (long tables included) and finds it to be what its commit renders."""
    project = Path(shutil.copytree(project[0], tmp_path / "github", symlinks=True))
    released = run_notice("release", "--root", str(project))
    assert released.code == 0, released.stderr
    assert released.stdout.count("released") >= 3, released.stdout
    git(project, "add", "archive")
    git(project, "commit", "-q", "-m", "Release the three documents")
    verified = run_notice("verify", "--root", str(project), "--json")
    record = json.loads(verified.stdout)
    assert [r.get("document", "") for r in record["releases"]] == ["", "cookies", "california"]
    text_problems = [p for p in record["problems"] if "text" in p["message"]]
    assert text_problems == [], text_problems
