"""notice new-document and notice import --document: a further document scaffolded or imported
into documents/<id>/ of a real project, the root notice.yml edited by one line."""

from __future__ import annotations

import pytest
import yaml

from notice.errors import NoticeError
from notice.importer.listing import listed_with
from notice.render.rendering import render
from notice.source.load import load_notice
from tests.conftest import FIXTURES, assert_no_traceback, edit, git, run_notice

CALIFORNIA = FIXTURES / "real" / "site-policy" / "california"


@pytest.fixture
def project(tmp_path):
    """A new project (`notice init`: its own git repository and first commit)."""
    target = tmp_path / "project"
    made = run_notice("init", str(target), "--email", "support@github.com", "--company", "GitHub")
    assert made.code == 0, made.stderr
    return target


def test_new_document_scaffolds_a_document_that_checks_and_renders(project):
    before = (project / "notice.yml").read_text(encoding="utf-8")
    done = run_notice("new-document", "cookies", "--title", "Cookie Policy", "--into", str(project))
    assert done.code == 0, done.stderr
    after = (project / "notice.yml").read_text(encoding="utf-8")
    assert after.startswith(before)  # the editors' lines and comments, untouched
    assert after[len(before) :].splitlines()[-2:] == ["documents:", "  - cookies"]
    folder = project / "documents" / "cookies"
    config = yaml.safe_load((folder / "notice.yml").read_text(encoding="utf-8"))
    assert (config["title"], config["company"]) == ("Cookie Policy", "GitHub")
    assert config["sections"] == ["introduction"]
    for root in (project, folder):
        checked = run_notice("check", "--root", str(root))
        assert checked.code == 0, checked.stderr
    text = render(load_notice(folder)).text
    assert "This Cookie Policy of GitHub is a new document" in text
    second = run_notice("new-document", "california", "--title", "CCPA", "--into", str(project))
    assert second.code == 0, second.stderr
    listed = yaml.safe_load((project / "notice.yml").read_text(encoding="utf-8"))["documents"]
    assert listed == ["cookies", "california"]  # site order: the order they were added


@pytest.mark.parametrize(
    ("document_id", "into", "says"),
    [
        ("Cookies_1", ".", "is not a document id: lowercase letters, digits and hyphens"),
        ("fr", ".", "is a language code"),
        ("history", ".", "is a name the site or the archive already uses"),
        ("cookies", ".", "document 'cookies' exists already"),
        ("other", "sections", "notice.yml: not found; give the project's folder with --into"),
        ("other", "documents/cookies", "is the folder of document 'cookies'"),
    ],
)
def test_new_document_refuses_in_one_line(project, document_id, into, says):
    made = run_notice("new-document", "cookies", "--title", "Cookies", "--into", str(project))
    assert made.code == 0, made.stderr
    before = (project / "notice.yml").read_text(encoding="utf-8")
    done = run_notice("new-document", document_id, "--title", "X", "--into", str(project / into))
    assert_no_traceback(done)
    assert done.code == 2
    assert len(done.stderr.splitlines()) == 1 and says in done.stderr, done.stderr
    assert (project / "notice.yml").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in (project / "documents").iterdir()) == ["cookies"]


def test_new_document_refuses_a_title_of_two_lines(project):
    done = run_notice(
        "new-document", "cookies", "--title", "Cookies\nPolicy", "--into", str(project)
    )
    assert done.code == 2 and "--title: give the document's title on one line" in done.stderr
    assert not (project / "documents").exists()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "title: X\ndocuments: [cookies]  # site order\nsections: [a]\n",
            "title: X\ndocuments: [cookies, new]  # site order\nsections: [a]\n",
        ),
        ("title: X\ndocuments: []\n", "title: X\ndocuments: [new]\n"),
        (
            "documents:\n  - cookies  # first\n\n# the notice\nsections:\n  - a\n",
            "documents:\n  - cookies  # first\n  - new\n\n# the notice\nsections:\n  - a\n",
        ),
        ("documents:\n- a\nsections:\n- a\n", "documents:\n- a\n- new\nsections:\n- a\n"),
        ("documents: null\nsections: [a]\n", "documents:\n  - new\nsections: [a]\n"),
        (
            "title: X\nsections: [a]",
            "title: X\nsections: [a]\n\n# The project's further documents, in site order: "
            "documents/<id>/.\ndocuments:\n  - new\n",
        ),
    ],
)
def test_the_documents_list_is_extended_by_a_line_edit(before, after):
    assert listed_with(before, "new") == after


def test_a_list_no_line_edit_can_extend_is_refused_with_its_line():
    with pytest.raises(NoticeError, match=r"^notice.yml:2: cannot add new by a line edit"):
        listed_with("title: X\ndocuments: [a,\n  b]\nsections: [a]\n", "new")


def test_import_document_shares_the_values_the_root_holds(project):
    edit(
        project / "notice.yml",
        "  urls:\n",
        "  urls:\n    support_form: https://support.github.com/contact\n",
    )
    git(project, "commit", "-q", "-am", "The support form, shared by every document")
    version = CALIFORNIA / "02-9d650e8b.md"  # its contact form is the root's support_form
    done = run_notice("import", str(version), "--into", str(project), "--document", "california")
    assert done.code == 0, done.stderr
    assert "shared with the root notice.yml: urls.support_form" in done.stdout.splitlines()
    folder = project / "documents" / "california"
    config = yaml.safe_load((folder / "notice.yml").read_text(encoding="utf-8"))
    assert "github_contact" not in config.get("variables", {}).get("urls", {})
    assert "overrides" not in config
    section = (folder / "sections" / "your-rights-under-the-ccpa.md").read_text(encoding="utf-8")
    assert "({{ urls.support_form }})" in section  # renamed to the root's name for the value
    assert 'href="https://support.github.com/contact"' in render(load_notice(folder)).html
    assert yaml.safe_load((project / "notice.yml").read_text(encoding="utf-8"))["documents"] == [
        "california"
    ]
    checked = run_notice("check", "--root", str(folder))
    assert checked.code == 0, checked.stderr
    assert "site_url" not in done.stderr  # warnings name the document's files only
    for line in done.stderr.splitlines():
        assert line.startswith(f"{version}:") or "/documents/california/" in line, line


def test_import_document_keeps_a_root_value_under_its_own_name_shared(project):
    version = CALIFORNIA / "01-3c81029a.md"  # 'contact us at support@github.com'
    done = run_notice("import", str(version), "--into", str(project), "--document", "california")
    assert done.code == 0, done.stderr
    config = yaml.safe_load(
        (project / "documents" / "california" / "notice.yml").read_text(encoding="utf-8")
    )
    assert "contact" not in config.get("variables", {})  # the root's contact.email: shared
    text = render(load_notice(project / "documents" / "california")).text
    assert "please contact us at support@github.com" in text


def test_a_history_is_not_imported_over_staged_work(project):
    (project / "sections" / "introduction.md").write_text("staged edit\n", encoding="utf-8")
    git(project, "add", "sections/introduction.md")
    files = [str(p) for p in sorted(CALIFORNIA.glob("*.md"))]
    head = git(project, "rev-parse", "HEAD")
    done = run_notice("import", *files, "--into", str(project), "--document", "california")
    assert_no_traceback(done)
    assert done.code == 1
    assert done.stderr.splitlines() == [
        f"error: {project}: changes are staged; commit or unstage them first"
    ]
    assert git(project, "rev-parse", "HEAD") == head
    assert not (project / "documents").exists()


def test_import_document_refuses_release_and_force(project):
    files = [str(p) for p in sorted(CALIFORNIA.glob("*.md"))]
    for flag in ("--release", "--force"):
        done = run_notice("import", *files, "--into", str(project), "--document", "ca", flag)
        assert done.code == 2 and "--document adds a new document" in done.stderr


def test_a_repository_history_imports_as_a_document(project, tmp_path):
    source = tmp_path / "site-policy"
    (source / "Policies").mkdir(parents=True)
    git(source, "init", "-q")
    published = []
    for version in sorted(CALIFORNIA.glob("*.md")):
        (source / "Policies" / "ccpa.md").write_bytes(version.read_bytes())
        git(source, "add", "-A")
        git(source, "commit", "-q", "-m", f"Publish {version.name}")
        published.append(git(source, "rev-parse", "HEAD"))
    done = run_notice(
        "import", str(source), "--path", "Policies/ccpa.md", "--into", str(project),
        "--document", "california",
    )  # fmt: skip
    assert done.code == 0, done.stderr
    log = git(project, "log", "--reverse", "--format=%ad %B", "--date=short", "--", "documents")
    assert [f"Policies/ccpa.md at commit {sha}." in log for sha in published] == [True] * 3
    assert log.count("2020-01-01 GitHub's Notice about the California") == 3
    assert git(project, "status", "--porcelain") == ""  # every version committed, nothing left


def test_a_history_refused_part_way_leaves_the_project_as_it_was(project):
    hook = project / ".git" / "hooks" / "pre-commit"  # a real hook refusing the second version
    hook.write_text(
        "#!/bin/sh\nif git rev-parse -q --verify HEAD:documents/california >/dev/null; then\n"
        "  echo 'second version refused by hook' >&2; exit 1\nfi\n",
        encoding="utf-8",
    )
    hook.chmod(0o755)
    head = git(project, "rev-parse", "HEAD")
    before = (project / "notice.yml").read_text(encoding="utf-8")
    files = [str(p) for p in sorted(CALIFORNIA.glob("*.md"))]
    done = run_notice("import", *files, "--into", str(project), "--document", "california")
    assert_no_traceback(done)
    assert done.code == 1 and "second version refused by hook" in done.stderr, done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert git(project, "rev-parse", "HEAD") == head  # the first version's commit undone
    assert (project / "notice.yml").read_text(encoding="utf-8") == before
    assert not (project / "documents" / "california").exists()
    assert git(project, "status", "--porcelain") == ""


def test_a_macro_file_the_root_has_is_shared_or_overridden(project):
    version = str(CALIFORNIA / "02-9d650e8b.md")  # one sentence twice: a macro with --macros
    first = run_notice("import", version, "--into", str(project), "--document", "one", "--macros")
    assert first.code == 0, first.stderr
    own = project / "documents" / "one" / "macros" / "imported.j2"
    assert "please_contact_us_via" in own.read_text(encoding="utf-8")
    config = yaml.safe_load(own.parent.parent.joinpath("notice.yml").read_text(encoding="utf-8"))
    assert "overrides" not in config  # the root has no imported.j2: nothing to override
    alone = render(load_notice(own.parent.parent)).text
    (project / "macros" / "imported.j2").write_bytes(own.read_bytes())  # the root takes it over
    same = run_notice("import", version, "--into", str(project), "--document", "two", "--macros")
    assert same.code == 0, same.stderr
    two = project / "documents" / "two"
    assert not (two / "macros" / "imported.j2").exists()  # the root's very file: shared
    assert render(load_notice(two)).text == alone
    (project / "macros" / "imported.j2").write_text("{# the root's own #}\n", encoding="utf-8")
    other = run_notice("import", version, "--into", str(project), "--document", "six", "--macros")
    assert other.code == 0, other.stderr
    config = yaml.safe_load((project / "documents" / "six" / "notice.yml").read_text("utf-8"))
    assert config["overrides"] == ["macros/imported.j2"]
    checked = run_notice("check", "--root", str(project / "documents" / "six"))
    assert checked.code == 0, checked.stderr
