"""Hostile runtime (issue 6, part two): git states, kill -9 and concurrent builds, injection end
to end through the real site and PDF. Real repositories, real `notice` processes, real builds.

Every case id registered with @case has a row in SECURITY.md (test_every_case_is_documented).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from filelock import FileLock, Timeout
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from notice.actions.build import LOCK_FILE
from notice.layout import BUILD_RECORD as STAMP_FILE
from tests.conftest import (
    PROJECT,
    CliResult,
    assert_no_traceback,
    commit_all,
    copy_notice,
    edit,
    git,
    is_coverage_gap,
    registrar,
    run_notice,
    undocumented,
)
from tests.notice_versions import CHANGES, commit_version, line_of, set_date
from tests.notice_versions import release as list_as_released
from tests.processes import kill_9, stopping_at, wait_stopped

# The points where a build is stopped and killed: lock held; site staged; site swapped in.
BUILD_STEPS = {
    "locked": "notice.actions.build:_build",
    "built": "notice.files:swap_folder:call",
    "swapped": "notice.files:swap_folder:return",
}

NOTICE = Path(sys.executable).parent / "notice"
CASES: dict[str, str] = {}  # case id -> the test holding it
# Interruption of `notice release` is tested in tests/test_archive.py: these rows point there.
ARCHIVE_CASES = {
    "release-kill-9": (
        "test_a_release_killed_half_way_leaves_the_archive_as_it_was",
        "test_release_refuses_a_committed_pdf_the_ledger_lost",
    ),
    "release-concurrent": (
        "test_two_releases_at_once_write_one_entry",
        "test_a_second_release_waits_for_the_lock",
    ),
}


case = registrar(CASES)  # @case("id"): this test holds that catalogue case


def one_line(result: CliResult, code: int, *needles: str) -> str:
    """The command failed with code and said why in exactly one line holding every needle."""
    assert_no_traceback(result)
    assert result.code == code, (result.stdout, result.stderr)
    # The MetTel notice's coverage gaps are warnings of every check: not what these tests are about.
    lines = [line for line in result.stderr.splitlines() if not is_coverage_gap(line)]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def copy_tree(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, symlinks=True)
    return target


# --- git -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def versions_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three versions, each changing the text: 2022-11-11, 2023-01-10, 2023-02-10. No ledger."""
    repo = copy_notice(tmp_path_factory.mktemp("versions") / "repo")
    git(repo, "init", "-q")
    commit_all(repo, "MetTel notice of 2022-11-11")
    edit(repo / CHANGES, "periodically", "regularly")
    commit_version(repo, "2023-01-10", "Clearer wording.")
    edit(repo / CHANGES, "From time to time", "Now and then")
    commit_version(repo, "2023-02-10", "Plainer words.")
    return repo


@pytest.fixture
def versions(versions_template: Path, tmp_path: Path) -> Path:
    return copy_tree(versions_template, tmp_path / "repo")


@case("git-shallow-clone")
def test_a_shallow_clone_is_refused_with_the_fix(versions: Path, tmp_path: Path, cli) -> None:
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{versions}", str(clone))
    fix = f"git -C {clone} fetch --unshallow"
    for args in (
        ("history",),
        ("audit",),
        ("diff", "2023-01-10"),  # a version date needs the history
        ("check", "--base", "2023-01-10"),
        ("release",),
    ):
        one_line(cli(*args, "--root", str(clone)), 1, "shallow clone", fix)
    assert not (clone / "archive").exists()  # the refused release wrote nothing
    git(clone, "fetch", "-q", "--unshallow")
    result = cli("history", "--root", str(clone))
    assert result.code == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == [
        "2022-11-11",
        "2023-01-10",
        "2023-02-10",
    ]


@case("git-detached-head")
def test_a_detached_head_works_and_releases_its_commit(versions: Path, cli) -> None:
    git(versions, "checkout", "-q", "--detach", "HEAD~1")
    head = git(versions, "rev-parse", "HEAD")
    history = cli("history", "--root", str(versions))
    assert history.code == 0, history.stderr
    assert [line.split()[0] for line in history.stdout.splitlines()] == [
        "2022-11-11",
        "2023-01-10",
    ]
    assert cli("audit", "--root", str(versions)).code == 0
    gate = cli("check", "--base", "HEAD~1", "--today", "2023-06-01", "--root", str(versions))
    assert gate.code == 0, gate.stderr
    assert only_coverage_warnings(gate.stderr)  # a change, a new date
    redline = cli("diff", "2022-11-11", "--root", str(versions))
    assert redline.code == 0, redline.stderr
    assert "periodically" in redline.stdout and "regularly" in redline.stdout
    released = cli("release", "--root", str(versions))
    assert_no_traceback(released)
    assert released.code == 0, released.stderr
    assert released.stdout.startswith("released 2023-01-10")
    entries = json.loads((versions / "archive" / "ledger.json").read_text())["entries"]
    assert [(e["version"], e["commit"]) for e in entries] == [("2023-01-10", head)]
    assert git(versions, "rev-parse", "HEAD") == head  # still detached, nothing checked out


@case("git-no-commits")
def test_a_repository_without_commits(tmp_path: Path, cli) -> None:
    root = copy_notice(tmp_path / "notice")
    git(root, "init", "-q")
    for args in (
        ("history",),
        ("audit",),
        ("diff",),
        ("diff", "2022-11-11"),
        ("check", "--base", "HEAD"),
    ):
        one_line(cli(*args, "--root", str(root)), 1, "no commits yet", "commit the notice first")
    one_line(cli("release", "--root", str(root)), 1, "release refused", "commit them first")
    assert cli("render", "--root", str(root)).code == 0
    assert cli("check", "--root", str(root)).code == 0
    built = cli("build", "--root", str(root))
    assert_no_traceback(built)
    assert built.code == 0, built.stderr
    assert (root / "site" / "index.html").is_file()
    assert "no version history" in built.stderr and "no commits yet" in built.stderr


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("check", "--base", "nope"), "'nope'"),
        (("diff", "nope"), "'nope'"),
        (("diff", "HEAD", "nope"), "'nope'"),
        (("diff", "2031-01-01"), "no version dated 2031-01-01"),
    ],
    ids=["check-base", "diff-old", "diff-new", "diff-date"],
)
@case("git-unknown-ref")
def test_a_ref_that_does_not_exist_is_named(versions: Path, cli, args, named) -> None:
    one_line(cli(*args, "--root", str(versions)), 2, named)


@pytest.mark.parametrize("ref", ["--output=OUT", "-h", "--upload-pack=touch OUT"])
@case("git-ref-like-an-option")
def test_a_ref_that_looks_like_an_option_is_only_a_name(
    versions: Path, tmp_path: Path, cli, ref: str
) -> None:
    ref = ref.replace("OUT", str(tmp_path / "pwned"))
    root = str(versions)
    for args in (("check", "--root", root, f"--base={ref}"), ("diff", "--root", root, "--", ref)):
        one_line(cli(*args), 2, f"{ref!r} is not a commit")
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("ref", ["HEAD@{yesterday}", "HEAD@{999}", "@{-1}", "HEAD^{tree}", "HEAD:"])
@case("git-ref-unreadable-syntax")
def test_ref_syntax_git_python_cannot_read_is_one_line(versions: Path, cli, ref: str) -> None:
    one_line(cli("check", "--base", ref, "--root", str(versions)), 2, f"{ref!r}")
    one_line(cli("diff", ref, "--root", str(versions)), 2, f"{ref!r}")


@case("git-renamed-section")
def test_a_renamed_section_file_is_no_change(tmp_path: Path, cli) -> None:
    repo = copy_notice(tmp_path / "repo")
    git(repo, "init", "-q")
    list_as_released(repo, "2022-11-11")
    commit_all(repo, "MetTel notice of 2022-11-11, released")
    git(repo, "mv", "sections/fcra-rights.md", "sections/fair-credit-reporting-act.md")
    gate = cli("check", "--base", "HEAD", "--today", "2023-01-01", "--root", str(repo))
    assert gate.code == 0, gate.stderr
    assert only_coverage_warnings(gate.stderr)  # no date needed, no warning
    redline = cli("diff", "--root", str(repo))
    assert redline.code == 0, redline.stderr
    assert "No change to the rendered text." in redline.stdout
    commit_all(repo, "Rename a section file")
    assert "No change" in cli("diff", "HEAD~1", "HEAD", "--root", str(repo)).stdout
    audit = cli("audit", "--root", str(repo))
    assert audit.code == 0, audit.stderr
    assert audit.stderr == "ok: 2 commit(s) audited, no findings\n"


@case("git-broken-commit")
def test_a_commit_with_a_broken_notice_yml_is_skipped_and_named(tmp_path: Path, cli) -> None:
    repo = copy_notice(tmp_path / "repo")
    git(repo, "init", "-q")
    commit_all(repo, "MetTel notice of 2022-11-11")
    edit(repo / "notice.yml", "company: MetTel\n", "company: MetTel\n  broken: [unclosed\n")
    line = line_of(repo / "notice.yml", "broken: [unclosed")
    broken = commit_all(repo, "A broken notice.yml")
    edit(repo / "notice.yml", "  broken: [unclosed\n", "")
    edit(repo / CHANGES, "periodically", "regularly")
    commit_version(repo, "2023-03-01", "Fixed again.")
    where = f"{broken[:10]}:notice.yml:{line}: warning: malformed YAML"
    history = cli("history", "--root", str(repo))
    assert history.code == 0, history.stderr
    assert history.stderr.splitlines() == [history.stderr.splitlines()[0]]
    assert history.stderr.startswith(where)
    assert [line.split()[0] for line in history.stdout.splitlines()] == [
        "2022-11-11",
        "2023-03-01",
    ]
    audit = cli("audit", "--root", str(repo))
    assert audit.code == 0, audit.stderr
    assert audit.stderr.splitlines()[0].startswith(where)
    assert audit.stderr.splitlines()[1:] == ["ok: 3 commit(s) audited, no findings"]
    # Asked for by name, the broken commit is an error naming it, its file and line.
    one_line(cli("diff", broken, "--root", str(repo)), 1, f"{broken[:10]}):notice.yml:{line}:")
    gate = cli("check", "--base", broken, "--today", "2023-04-01", "--root", str(repo))
    one_line(gate, 1, f"notice.yml:{line}: cannot compare with base")


@case("git-outside-repository")
def test_outside_any_repository_history_says_why_and_the_rest_works(
    built_project: tuple[Path, CliResult], tmp_path: Path, cli
) -> None:
    template, build = built_project  # built outside any repository by the fixture
    assert build.code == 0, build.stderr
    assert "no version history" in build.stderr and "not inside a git repository" in build.stderr
    root = copy_tree(template, tmp_path / "notice")
    for args in (("history",), ("audit",), ("diff",), ("check", "--base", "HEAD"), ("release",)):
        one_line(cli(*args, "--root", str(root)), 1, "is not inside a git repository")
    assert cli("render", "--root", str(root)).code == 0
    assert cli("check", "--root", str(root)).code == 0


# --- interruption and concurrency of `notice build` ----------------------------------------------


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CliResult]:
    """The notice, outside any repository, with its site built (and its PDF cached)."""
    root = copy_notice(tmp_path_factory.mktemp("built") / "notice")
    result = run_notice("build", "--root", str(root))
    assert result.code == 0, result.stderr
    return root, result


@pytest.fixture
def project(built_project: tuple[Path, CliResult], tmp_path: Path) -> Path:
    return copy_tree(built_project[0], tmp_path / "notice")


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a site, by relative path: to compare sites byte for byte."""
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def leftovers(root: Path) -> list[str]:
    """What builds left beside the site: staging or set-aside folders."""
    return sorted(path.name for path in root.iterdir() if path.name.startswith(".site."))


def is_whole_site(site: Path, word: str) -> bool:
    """A complete build holding word: its stamp, pages and a complete PDF."""
    stamp = json.loads((site / STAMP_FILE).read_text(encoding="utf-8"))
    pdf = (site / stamp["pdf"]).read_bytes()
    index = (site / "index.html").read_text(encoding="utf-8")
    return word in index and pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-32:]


def start_build(root: Path, step: str | None = None, *extra: str) -> subprocess.Popen:
    env = stopping_at(BUILD_STEPS[step] if step else None)
    return subprocess.Popen(
        [str(NOTICE), "build", "--root", str(root), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("step", ["locked", "built", "swapped"])
@case("build-kill-9-locked", "build-kill-9-built", "build-kill-9-swapped")
def test_a_build_killed_at_a_step_leaves_a_whole_site(project: Path, cli, step: str) -> None:
    site = project / "site"
    before = site_files(site)
    edit(project / CHANGES, "periodically", "regularly")
    process = start_build(project, step)
    assert wait_stopped(process, 120), f"the build never reached {step}"
    kill_9(process)
    if step == "swapped":  # the new site was in place: the old one waits in the staging folder
        assert is_whole_site(site, "regularly")
        assert [name.split("-")[0] for name in leftovers(project)] == [".site.building"]
    else:
        assert site_files(site) == before
        assert len(leftovers(project)) == (1 if step == "built" else 0)
    again = cli("build", "--root", str(project))
    assert again.code == 0, again.stderr
    assert leftovers(project) == []  # the next build cleaned what kill -9 left
    assert is_whole_site(site, "regularly")


@case("build-kill-9-anywhere")
def test_a_build_killed_at_any_moment_leaves_the_previous_or_the_new_site(
    project: Path, cli
) -> None:
    site, word = project / "site", "periodically"
    for index, delay in enumerate((0.3, 0.7, 1.1, 1.6)):
        before = site_files(site)
        new_word = f"regularly{index}"
        edit(project / CHANGES, word, new_word)
        word = new_word
        process = start_build(project)
        time.sleep(delay)
        process.kill()
        process.wait(30)
        assert site_files(site) == before or is_whole_site(site, new_word), delay
        assert all(
            name.startswith((".site.building-", ".site.previous-")) for name in leftovers(project)
        )
    again = cli("build", "--root", str(project))
    assert again.code == 0, again.stderr
    assert leftovers(project) == []
    assert is_whole_site(site, word)
    stamp = json.loads((site / STAMP_FILE).read_text(encoding="utf-8"))
    assert len(PdfReader(site / stamp["pdf"]).pages) > 1  # not a PDF cut short in the cache


@case("build-waits-for-lock")
def test_a_second_build_waits_for_the_first(project: Path) -> None:
    edit(project / CHANGES, "periodically", "regularly")
    first = start_build(project, "built")  # holds the lock, its staging folder written
    assert wait_stopped(first, 120), "the first build never reached its staged site"
    with pytest.raises(Timeout):
        FileLock(project / LOCK_FILE, timeout=0).acquire()
    second = start_build(project, None, "--force")
    time.sleep(3)
    assert second.poll() is None, "the second build did not wait for the lock"
    assert len(leftovers(project)) == 1  # the first one's staging folder only: none started
    kill_9(first)  # the kernel releases a dead process's lock
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert out.startswith("built:")
    assert leftovers(project) == []  # the first build's staging folder was cleared
    assert is_whole_site(project / "site", "regularly")


@case("build-concurrent")
def test_two_builds_at_once_leave_one_whole_site(project: Path) -> None:
    edit(project / CHANGES, "periodically", "regularly")
    processes = [start_build(project) for _ in range(2)]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    said = sorted(out.split(":")[0] for out, _ in outputs)
    assert said == ["built", "up to date (nothing changed)"], outputs  # the second waited
    assert leftovers(project) == []
    assert is_whole_site(project / "site", "regularly")


# --- site and PDF: injection end to end ----------------------------------------------------------

TITLE = 'MetTel </title><script>alert("title")</script> Notice'
SUMMARY = '"><script>alert("summary")</script> First version.'
COMPANY = 'MetTel"><img src=x onerror=alert("company")>'
SECTION_TITLE = 'Changes "><img src=x onerror=alert("heading")><script>alert(1)</script>'
VARIABLE = "[write to us](javascript:alert('variable'))"
LINKS = {
    "javascript": "[js](javascript:alert(1))",
    "vbscript": "[vb](vbscript:msgbox(1))",
    "data": "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
}
PIXELS = ("![pixel](http://tracker.example/p.gif)", "![pixel2](//tracker.example/q.gif)")
HOSTILE_BODY = "\n\n".join([" ".join(LINKS.values()), " ".join(PIXELS), "Or {{ hostile.link }}."])


def yaml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a YAML double-quoted string


def make_hostile(root: Path) -> None:
    """Untrusted metadata, a section title, links, pixels and a variable, as a PR could."""
    notice_yml = root / "notice.yml"
    text = notice_yml.read_text(encoding="utf-8")
    for key, value in (("title", TITLE), ("company", COMPANY), ("summary", SUMMARY)):
        text = re.sub(rf"(?m)^{key}: .*$", f"{key}: {yaml_string(value)}", text, count=1)
    text = text.replace(
        "variables:\n", f"variables:\n  hostile:\n    link: {yaml_string(VARIABLE)}\n"
    )
    notice_yml.write_text(text, encoding="utf-8")
    section = root / CHANGES
    edit(section, "title: CHANGES TO THIS PRIVACY NOTICE", f"title: {yaml_string(SECTION_TITLE)}")
    section.write_text(
        section.read_text(encoding="utf-8") + f"\n{HOSTILE_BODY}\n", encoding="utf-8"
    )


def site_project(base: Path, hostile: bool) -> Path:
    """Two versions in git, so the site has history, version and changes pages too; built."""
    root = copy_notice(base / "notice")
    if hostile:
        make_hostile(root)
    git(root, "init", "-q")
    commit_all(root, "First version")
    edit(root / CHANGES, "periodically", "regularly")
    set_date(root, "2023-01-10", yaml_string(f"{SUMMARY} Second." if hostile else "Second."))
    commit_all(root, "Second version")
    return root


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CliResult, CliResult]:
    root = site_project(tmp_path_factory.mktemp("hostile"), hostile=True)
    check = run_notice("check", "--root", str(root))
    build = run_notice("build", "--root", str(root))
    assert build.code == 0, build.stderr
    return root, check, build


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = site_project(tmp_path_factory.mktemp("clean"), hostile=False)
    build = run_notice("build", "--root", str(root))
    assert build.code == 0, build.stderr
    return root


class Page(HTMLParser):
    """What a browser would see in a page: its elements with attributes, scripts, <title>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.title = ""
        self.texts: list[str] = []  # the text shown, outside scripts
        self._open: str | None = None
        self._script: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag in ("script", "title"):
            self._open, self._script = tag, [json.dumps(sorted(attributes.items()))]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        if self._open:
            self._script.append(data)
        if self._open != "script":
            self.texts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open == "script":
            self.scripts.append("".join(self._script))
        elif tag == self._open == "title":
            self.title = "".join(self._script[1:])
        if tag == self._open:
            self._open = None

    def attribute(self, tag: str, wanted: str, **match: str) -> str:
        for element, attributes in self.elements:
            if element == tag and all(attributes.get(k) == v for k, v in match.items()):
                return attributes[wanted]
        raise AssertionError(f"no <{tag} {match}>")


def pages(root: Path) -> dict[str, Page]:
    site = root / "site"
    return {
        path.relative_to(site).as_posix(): Page(path.read_text()) for path in site.rglob("*.html")
    }


def site_pdf(root: Path) -> PdfReader:
    stamp = json.loads((root / "site" / STAMP_FILE).read_text(encoding="utf-8"))
    return PdfReader(BytesIO((root / "site" / stamp["pdf"]).read_bytes()))


def pdf_streams(reader: PdfReader) -> bytes:
    """Every object stream of the PDF, decompressed: where an image would hide."""
    chunks = []
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(IndirectObject(number, 0, reader))
        if isinstance(obj, StreamObject):
            chunks.append(obj.get_data())
    return b"\n".join(chunks)


def text_between(markup: str, start: str, end: str) -> str:
    """The text a browser shows between two markers of a page (tags dropped, entities read)."""
    inner = markup.split(start, 1)[1].split(end, 1)[0]
    return html.unescape(re.sub(r"<[^>]*>", "", inner))


def warnings_on(check: CliResult, needle: str) -> list[str]:
    return [line for line in check.stderr.splitlines() if needle in line and ": warning: " in line]


@case("site-script-tags")
def test_every_script_of_the_site_is_materials_own(hostile_site, clean_site) -> None:
    hostile, clean = pages(hostile_site[0]), pages(clean_site)
    assert sorted(hostile) == sorted(clean)  # the same pages: index, history, versions, changes
    assert len(hostile) >= 5
    own = {script for page in clean.values() for script in page.scripts}
    data_block = json.dumps([("type", "application/ld+json")])
    for name, page in hostile.items():
        code = [script for script in page.scripts if not script.startswith(data_block)]
        assert set(code) <= own, name
        for block in set(page.scripts) - set(code):  # a version's JSON-LD: data, never code
            described = json.loads(block.removeprefix(data_block))
            assert "<" not in block and described["@type"] == "dpv:PrivacyNotice", name
            assert described["dct:title"]["@value"] == TITLE  # the hostile title, as text
        handlers = [(tag, a) for tag, attrs in page.elements for a in attrs if a.startswith("on")]
        assert handlers == [], name
        assert not [tag for tag, _ in page.elements if tag in ("iframe", "object", "embed")], name


@case("site-title-markup")
def test_a_notice_title_with_markup_is_text_everywhere(hostile_site) -> None:
    root = hostile_site[0]
    index = pages(root)["index.html"]
    assert index.title == f"{TITLE} - MetTel Privacy"
    markup = (root / "site" / "index.html").read_text()
    assert text_between(markup, '<h1 id="notice-title">', "</h1>") == TITLE
    shown = [
        html.unescape(s).strip() for s in re.findall(r'"md-ellipsis">(.*?)</span>', markup, re.S)
    ]
    assert shown.count(TITLE) >= 2  # the header and the navigation
    assert TITLE not in markup  # never verbatim: always escaped
    version = pages(root)["versions/2022-11-11/index.html"]
    assert version.title.startswith(f"{TITLE}, version of November 11, 2022")
    search = json.loads((root / "site" / "search" / "search_index.json").read_text())
    titles = {doc["title"] for doc in search["docs"]}
    assert html.escape(TITLE) in titles  # material shows titles as HTML: escaped, shown as text
    assert not [t for t in titles if "<script" in t or "<img" in t]
    feed = ET.parse(root / "site" / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.findtext(f"{atom}title") == f"{TITLE}: versions"
    metadata = site_pdf(root).metadata
    assert metadata.title == TITLE


@case("site-summary-markup")
def test_a_summary_with_markup_stays_inside_its_attribute(hostile_site) -> None:
    root = hostile_site[0]
    index = pages(root)["index.html"]
    expected = f"{SUMMARY} Second."
    assert index.attribute("meta", "content", name="description") == expected
    history = pages(root)["history/index.html"]
    assert expected in history.texts  # a text of its own on the page, not markup
    assert site_pdf(root).metadata.subject == expected


@case("site-company-markup")
def test_a_company_with_markup_is_text_in_the_pdf_and_feed(hostile_site) -> None:
    root = hostile_site[0]
    reader = site_pdf(root)
    assert reader.metadata.author == COMPANY
    xmp = reader.xmp_metadata
    assert xmp is not None
    tree = ET.fromstring(xmp.stream.get_data())  # well-formed XML: the values were escaped
    rdf = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert tree.find(f".//{dc}creator//{rdf}li").text == COMPANY
    assert tree.find(f".//{dc}title//{rdf}li").text == TITLE
    feed = ET.parse(root / "site" / "feed.xml").getroot()
    names = [element.text for element in feed.iter("{http://www.w3.org/2005/Atom}name")]
    assert names == [COMPANY]


@case("site-section-title-markup")
def test_a_section_title_with_markup_is_text_in_headings_toc_and_bookmarks(hostile_site) -> None:
    root = hostile_site[0]
    markup = (root / "site" / "index.html").read_text()
    heading = re.search(r'<h2 id="changes-to-this-notice"[^>]*>(.*?)</h2>', markup).group(1)
    assert html.unescape(re.sub(r"<[^>]*>", "", heading)).endswith(SECTION_TITLE)
    material_toc = re.findall(
        r'href="#changes-to-this-notice" class="md-nav__link">(.*?)</a>', markup, re.S
    )
    assert material_toc and all(
        html.unescape(re.sub(r"<[^>]*>", "", item)).strip().endswith(SECTION_TITLE)
        for item in material_toc
    )
    bookmarks = [item.title for item in site_pdf(root).outline if not isinstance(item, list)]
    assert any(title.endswith(SECTION_TITLE) for title in bookmarks), bookmarks


@pytest.mark.parametrize("scheme", sorted(LINKS))
@case("site-link-javascript")
def test_a_dangerous_link_is_plain_text_on_the_site_and_in_the_pdf(hostile_site, scheme) -> None:
    root, check, _ = hostile_site
    for name, page in pages(root).items():
        targets = [a.get("href", "") + a.get("src", "") for _, a in page.elements]
        assert not [t for t in targets if t.strip().lower().startswith(f"{scheme}:")], name
    reader = site_pdf(root)
    uris = [
        str(annotation.get_object()["/A"].get("/URI", ""))
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    assert uris and not [uri for uri in uris if uri.lower().startswith(f"{scheme}:")]
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert f"{scheme}:" in text  # shown as its text
    line = line_of(root / CHANGES, LINKS[scheme])
    assert [w for w in warnings_on(check, f"'{scheme}:") if w.startswith(f"{CHANGES}:{line}:")]


@case("site-image-remote")
def test_a_tracking_pixel_is_never_requested_by_the_site_or_the_pdf(hostile_site) -> None:
    root, check, _ = hostile_site
    for name, page in pages(root).items():
        assert not [a for _, a in page.elements if "tracker.example" in " ".join(a.values())], name
    assert "pixel" in (root / "site" / "index.html").read_text()  # its description, as text
    reader = site_pdf(root)
    assert not any(page.images for page in reader.pages)
    assert b"/Image" not in pdf_streams(reader)
    line = line_of(root / CHANGES, PIXELS[0])
    for pixel in ("http://tracker.example/p.gif", "//tracker.example/q.gif"):
        found = warnings_on(check, f"image '{pixel}' points to another site")
        assert [w for w in found if w.startswith(f"{CHANGES}:{line}:")], check.stderr


@case("site-variable-markdown")
def test_a_variable_with_markdown_link_syntax_is_refused_where_it_is_used(hostile_site) -> None:
    root, check, build = hostile_site
    assert check.code == 0, check.stderr  # warnings only: the notice still builds
    line = line_of(root / CHANGES, "{{ hostile.link }}")
    found = warnings_on(check, "javascript:alert('variable'")
    assert [w for w in found if w.startswith(f"{CHANGES}:{line}:")], check.stderr
    markup = (root / "site" / "index.html").read_text()
    assert html.escape(VARIABLE, quote=False) in markup or html.escape(VARIABLE) in markup
    assert_no_traceback(build)


@case("site-variable-html")
def test_a_variable_with_html_fails_the_build_and_keeps_the_site(project: Path, cli) -> None:
    before = site_files(project / "site")
    edit(project / "notice.yml", "variables:\n", 'variables:\n  fax: "<script>x</script>"\n')
    with (project / CHANGES).open("a", encoding="utf-8") as section:
        section.write("\nFax: {{ fax }}.\n")
    line = line_of(project / CHANGES, "{{ fax }}")
    for command in ("check", "build"):
        result = cli(command, "--root", str(project))
        one_line(result, 1, f"{CHANGES}:{line}: raw HTML is not allowed in a notice")
    assert site_files(project / "site") == before
    assert leftovers(project) == []


def test_every_case_is_documented() -> None:
    missing = undocumented([*CASES, *ARCHIVE_CASES])
    assert not missing, f"cases without a row in SECURITY.md: {missing}"
    security = (PROJECT / "SECURITY.md").read_text(encoding="utf-8")
    archive_tests = (PROJECT / "tests" / "test_archive.py").read_text(encoding="utf-8")
    for case_id, tests in ARCHIVE_CASES.items():
        row = next(line for line in security.splitlines() if line.startswith(f"| `{case_id}` |"))
        for test in tests:
            assert f"def {test}(" in archive_tests, test
            assert test in row, (case_id, test)


def only_coverage_warnings(stderr: str) -> bool:
    """The check passed and its only warnings are the MetTel notice's known coverage gaps."""
    *warnings, last = stderr.splitlines()
    return last.startswith("ok: notice is valid") and all(map(is_coverage_gap, warnings))
