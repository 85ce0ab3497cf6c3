"""One truth about versions: the canonical text, revisions, the released text, audit's chain."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

from notice.actions.verify import verify
from notice.archive.ledger import Entry, head, ledger_text, parse_ledger
from notice.render.canonical import canonical_text
from notice.render.rendering import render
from notice.render.texthash import RECIPE, text_sha256
from notice.source.load import load_notice
from notice.versions.audit import audit
from notice.versions.gate import check_against_base
from notice.versions.history import read_history
from tests.conftest import PROJECT, assert_no_traceback, commit_all, edit, git
from tests.notice_versions import CHANGES, change_wording, commit_version, reflow

OLD_LINK = "https://www.mettel.net/privacy-notice/#cookie-consent-tool"
NEW_LINK = "https://example.com/elsewhere"


def record_release(root: Path, commit: str) -> Entry:
    """A canonical/2 ledger entry for HEAD's version at a real commit (its PDF a stand-in)."""
    rendered = render(load_notice(root))
    ledger = root / "archive" / "ledger.json"
    entries = parse_ledger(ledger.read_text()) if ledger.exists() else []
    notice = rendered.notice
    entry = Entry(
        version=notice.last_updated,
        effective=notice.effective,
        summary=notice.summary,
        commit=commit,
        pdf=notice.pdf_name,
        pdf_sha256="2" * 64,
        text_sha256=text_sha256(rendered),
        released="2022-11-11T12:00:00Z",
        previous=head(entries),
        text_recipe=RECIPE,
    )
    ledger.parent.mkdir(exist_ok=True)
    ledger.write_text(ledger_text([*entries, entry]), encoding="utf-8")
    return entry


def test_the_canonical_text_ignores_a_reflow_and_keeps_link_destinations(notice_dir):
    before = canonical_text(render(load_notice(notice_dir)))
    reflow(notice_dir)
    assert canonical_text(render(load_notice(notice_dir))) == before
    link = '<a href="https://www.mettel.net/privacy-notice/#cookie-consent-tool">'
    assert f"{link}Cookie Consent Tool</a>" in before
    edit(notice_dir / "notice.yml", OLD_LINK, NEW_LINK)
    assert canonical_text(render(load_notice(notice_dir))) != before


def test_the_released_legacy_entry_is_untouched_and_keeps_its_recipe():
    text = (PROJECT / "archive" / "ledger.json").read_text(encoding="utf-8")
    [entry] = parse_ledger(text)
    assert entry.text_recipe == "rendered/1" and "text_recipe" not in text
    assert ledger_text([entry]) == text  # written back byte for byte, format 1 kept


def test_a_reflow_of_a_legacy_release_releases_and_verifies(notice_repo, cli):
    released = cli("release", "--root", str(notice_repo))
    assert released.code == 0, released.stderr
    ledger = notice_repo / "archive" / "ledger.json"
    [entry] = parse_ledger(ledger.read_text())
    legacy = replace(
        entry, text_recipe="rendered/1", text_sha256=render(load_notice(notice_repo)).fingerprint
    )
    ledger.write_text(ledger_text([legacy]), encoding="utf-8")  # as the 2022 entry was written
    assert json.loads(ledger.read_text())["format"] == "notice-ledger/1"
    commit_all(notice_repo, "release 2022-11-11")
    reflow(notice_repo)
    commit_all(notice_repo, "reflow a paragraph")
    rendered = render(load_notice(notice_repo))
    assert rendered.fingerprint != legacy.text_sha256  # the old recipe sees the line breaks
    assert check_against_base(notice_repo, rendered, "HEAD~1", date(2023, 1, 1)) == []
    again = cli("release", "--root", str(notice_repo))
    assert again.code == 0, again.stderr
    result = verify(notice_repo)
    assert result.ok, result.problems
    assert ledger_text([legacy]) == ledger.read_text()  # the archive was not rewritten


def test_a_changed_link_target_fails_the_gate_and_diff_shows_it(notice_repo, cli):
    record_release(notice_repo, git(notice_repo, "rev-parse", "HEAD"))
    commit_all(notice_repo, "release 2022-11-11")
    edit(notice_repo / "notice.yml", OLD_LINK, NEW_LINK)
    check = cli("check", "--root", str(notice_repo), "--base", "HEAD", "--today", "2023-01-01")
    assert_no_traceback(check)
    assert check.code == 1 and "a released version" in check.stderr, check.stderr
    diff = cli("diff", "HEAD", "WORKTREE", "--root", str(notice_repo))
    assert "No change to the rendered text" not in diff.stdout
    assert f"<{NEW_LINK}>" in diff.stdout and "'Cookie Consent Tool'" in diff.stdout


def test_edit_then_date_on_a_linear_branch(notice_repo, cli):
    record_release(notice_repo, git(notice_repo, "rev-parse", "HEAD"))
    commit_all(notice_repo, "release 2022-11-11")
    change_wording(notice_repo)
    edit_commit = commit_all(notice_repo, "edit, date still 2022-11-11")
    commit_version(notice_repo, "2026-11-20", "Regularly.")
    history = read_history(notice_repo)
    released = history.versions[0]
    assert "periodically" in released.rendered.text  # the release's text, not the later edit
    assert [r.released for r in released.revisions] == [True, False]
    diff = cli("diff", "2022-11-11", "2026-11-20", "--root", str(notice_repo))
    assert diff.code == 0 and "{+regularly" in diff.stdout, diff.stdout
    result = audit(notice_repo)
    assert [(f.commit, f.kind) for f in result.errors] == [(edit_commit, "undated-change")]


def test_a_merge_commit_stands_for_its_pull_request(notice_repo):
    record_release(notice_repo, git(notice_repo, "rev-parse", "HEAD"))
    commit_all(notice_repo, "release 2022-11-11")
    git(notice_repo, "checkout", "-q", "-b", "pr")
    change_wording(notice_repo)
    commit_all(notice_repo, "edit")
    commit_version(notice_repo, "2026-11-20", "Regularly.")
    git(notice_repo, "checkout", "-q", "main")
    git(notice_repo, "merge", "-q", "--no-ff", "pr", "-m", "Merge pull request: regularly")
    result = audit(notice_repo)
    assert result.ok and result.findings == (), result.findings
    assert [str(v.last_updated) for v in read_history(notice_repo).versions] == [
        "2022-11-11",
        "2026-11-20",
    ]


def test_same_date_revisions_without_any_release(notice_repo, cli):
    change_wording(notice_repo)
    second = commit_all(notice_repo, "draft 2")
    edit(notice_repo / CHANGES, "From time to time", "Now and then")
    third = commit_all(notice_repo, "draft 3")
    [version] = read_history(notice_repo).versions
    assert [r.commit for r in version.revisions][1:] == [second, third]
    assert "Now and then" in version.rendered.text and version.released_commit is None
    result = audit(notice_repo)
    assert result.ok and [f.commit for f in result.revisions] == [second, third]
    shown = json.loads(cli("history", "--root", str(notice_repo), "--json").stdout)
    assert len(shown[0]["revisions"]) == 3


def test_a_future_date_is_refused_by_check_and_release(notice_repo, cli):
    from tests.notice_versions import set_date

    change_wording(notice_repo)
    set_date(notice_repo, "2027-06-01", "Too early.")
    commit_all(notice_repo, "dated ahead")
    check = cli("check", "--root", str(notice_repo), "--today", "2026-11-30")
    assert check.code == 1 and "notice.yml:6: last_updated 2027-06-01 is in the future" in (
        check.stderr
    )
    released = cli("release", "--root", str(notice_repo), "--today", "2026-11-30")
    assert_no_traceback(released)
    assert released.code == 1 and "in the future (today is 2026-11-30)" in released.stderr
    assert not (notice_repo / "archive").exists()  # nothing archived
    assert cli("check", "--root", str(notice_repo), "--today", "2027-06-01").code == 0


def test_a_typed_date_line_and_a_typed_number_are_refused(notice_dir, cli):
    path = notice_dir / CHANGES
    path.write_text(path.read_text() + "\n**Last updated:** November 11, 2022\n")
    edit(notice_dir / "sections/cpni-rights.md", "title: CPNI Rights", "title: A. CPNI Rights")
    check = cli("check", "--root", str(notice_dir), "--today", "2023-01-01")
    assert_no_traceback(check)
    line = len(path.read_text().rstrip("\n").split("\n"))
    assert check.code == 1 and f"{CHANGES}:{line}: a date line typed into the section" in (
        check.stderr
    )
    assert "sections/cpni-rights.md:3: title 'A. CPNI Rights' starts with 'A.'" in (check.stderr)


def pending_repo(notice_repo: Path) -> Path:
    """2022-11-11, then a version of 2026-11-20 that takes effect on 2027-01-01."""
    change_wording(notice_repo)
    edit(notice_repo / "notice.yml", "page_size:", "effective: 2027-01-01\npage_size:")
    commit_version(notice_repo, "2026-11-20", "Regularly, from next year.")
    return notice_repo


def built(root: Path, cli, today: str) -> Path:
    out = root / f"site-{today}"
    result = cli("build", "--root", str(root), "--out", str(out), "--today", today)
    assert result.code == 0, result.stderr
    return out


def test_a_pending_version_is_announced_until_its_day(notice_repo, cli):
    repo = pending_repo(notice_repo)
    before = built(repo, cli, "2026-12-01")
    index = (before / "index.html").read_text()
    assert "An updated notice takes effect on" in index and "January 1, 2027" in index
    assert 'Last updated: <time datetime="2022-11-11">' in index  # the version in force
    assert "versions/2026-11-20/" in index and "changes/2026-11-20/" in index
    assert not (before / "versions/2022-11-11").exists()  # in force: it is the notice page
    pending_page = (before / "versions/2026-11-20/index.html").read_text()
    assert "Takes effect on" in pending_page
    history = (before / "history/index.html").read_text()
    assert "Takes effect on January 1, 2027" in history
    assert "takes effect on January 1, 2027" in (before / "feed.xml").read_text()
    after = built(repo, cli, "2027-01-01")
    index = (after / "index.html").read_text()
    assert "An updated notice takes effect" not in index
    assert 'Last updated: <time datetime="2026-11-20">' in index
    old = (after / "versions/2022-11-11/index.html").read_text()
    assert "Superseded on" in old and "January 1, 2027" in old


def test_a_material_change_inside_its_notice_period_is_refused(notice_repo, cli):
    change_wording(notice_repo)
    edit(
        notice_repo / "notice.yml",
        "page_size:",
        "effective: 2026-12-10\nmaterial: true\nnotice_period: 30\npage_size:",
    )
    commit_version(notice_repo, "2026-11-20", "Regularly.")
    check = cli("check", "--root", str(notice_repo), "--today", "2026-11-20")
    assert (
        check.code == 1
        and (
            "material change effective 2026-12-10, only 20 day(s) after last_updated 2026-11-20: "
            "notice_period asks for 30; set effective: 2026-12-20 or later"
        )
        in check.stderr
    ), check.stderr
    diff = cli("diff", "2022-11-11", "WORKTREE", "--root", str(notice_repo))
    assert "Material change" in diff.stdout
    edit(notice_repo / "notice.yml", "effective: 2026-12-10", "effective: 2026-12-20")
    assert cli("check", "--root", str(notice_repo), "--today", "2026-11-20").code == 0


def test_versions_json_agrees_with_the_ledger(notice_repo, cli):
    import hashlib

    assert cli("release", "--root", str(notice_repo), "--today", "2022-11-11").code == 0
    commit_all(notice_repo, "release 2022-11-11")
    change_wording(notice_repo)
    edit(notice_repo / "notice.yml", "page_size:", "effective: 2027-01-01\npage_size:")
    commit_version(notice_repo, "2026-11-20", "Regularly, from next year.")
    site = built(notice_repo, cli, "2026-11-30")
    document = json.loads((site / "versions.json").read_text())
    entries = parse_ledger((notice_repo / "archive" / "ledger.json").read_text())
    assert document["ledger_head"] == head(entries)
    newest, first = document["versions"]
    assert (newest["version"], newest["status"], newest["released"]) == (
        "2026-11-20",
        "pending",
        False,
    )
    assert newest["text_sha256"] == text_sha256(render(load_notice(notice_repo)))
    assert first["status"] == "current" and first["ledger_entry"] == entries[0].digest
    assert first["text_sha256"] == entries[0].text_sha256  # the ledger's own hash, and recipe
    assert first["text_recipe"] == entries[0].text_recipe == "rendering/3"
    pdf = site / first["pdf"]
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == first["pdf_sha256"]
    assert first["pdf_sha256"] == entries[0].pdf_sha256
    # The record says what it is: released now for a version dated 2022, so reconstructed.
    archived_on = entries[0].released[:10]
    assert (first["archived"], first["reconstructed"]) == (archived_on, True)
    history_page = (site / "history" / "index.html").read_text()
    assert f"Archived on {archived_on}, after the version&#39;s date (2022-11-11)" in history_page
    # Each version's JSON-LD (W3C DPV), linked from versions.json and embedded in its page.
    described = json.loads((site / first["jsonld"]["en"]).read_text())
    assert described["@type"] == "dpv:PrivacyNotice"
    assert described["dct:identifier"] == "urn:notice:mettel-privacy-notice:2022-11-11:en"
    assert described["notice:textSha256"] == entries[0].text_sha256
    checksum = described["dct:hasFormat"]["spdx:checksum"]["spdx:checksumValue"]
    assert checksum == entries[0].pdf_sha256
    assert described["dct:valid"] == {"@value": "2022-11-11/2027-01-01"}
    pending = json.loads((site / newest["jsonld"]["en"]).read_text())
    assert "dct:hasFormat" not in pending  # not released: no archived PDF to cite
    page = (site / "versions" / "2026-11-20" / "index.html").read_text()
    script = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(script) == pending


def test_check_warns_without_site_url_and_the_site_then_uses_absolute_links(notice_repo, cli):
    warned = cli("check", "--root", str(notice_repo), "--today", "2023-01-01")
    assert "mkdocs.yml:1: warning: site_url is not set" in warned.stderr
    edit(
        notice_repo / "mkdocs.yml", "docs_dir:", "site_url: https://privacy.example.com/\ndocs_dir:"
    )
    quiet = cli("check", "--root", str(notice_repo), "--today", "2023-01-01")
    assert "site_url" not in quiet.stderr
    change_wording(notice_repo)
    commit_version(notice_repo, "2023-01-01", "Regularly.")
    site = built(notice_repo, cli, "2023-01-02")
    sitemap = (site / "sitemap.xml").read_text()
    for page in ("", "history/", "versions/2022-11-11/", "changes/2023-01-01/"):
        assert f"<loc>https://privacy.example.com/{page}</loc>" in sitemap
    feed = (site / "feed.xml").read_text()
    assert 'href="https://privacy.example.com/changes/2023-01-01/"' in feed
    assert 'href="changes/' not in feed
