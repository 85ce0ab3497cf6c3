"""`notice init`: any company's notice project checks and builds out of the box."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import assert_no_traceback, git


def test_init_creates_a_project_that_checks_builds_and_renders(cli, tmp_path: Path):
    target = tmp_path / "acme"
    created = cli(
        "init", str(target), "--title", "Acme: Privacy Notice", "--company", "Acme",
        "--email", "privacy@acme.example",
    )  # fmt: skip
    assert created.code == 0, created.stderr
    for name in ("notice.yml", "mkdocs.yml", "Makefile", "README.md", ".gitignore", "macros"):
        assert (target / name).exists(), name
    assert list((target / "sections").glob("*.md"))

    checked = cli("check", "--root", str(target))
    assert checked.code == 0, checked.stderr
    warnings = [line for line in checked.stderr.splitlines() if ": warning: " in line]
    # every scaffold variable is used; where the site will be published only its owner knows
    assert [line.split(":")[0] for line in warnings] == ["mkdocs.yml"], warnings

    text = cli("render", "--root", str(target)).stdout
    assert "Acme" in text and "Acme: Privacy Notice" in text
    assert text.count("privacy@acme.example") == 2  # one variable, used through one macro twice
    assert "{{" not in text

    built = cli("build", "--root", str(target))
    assert built.code == 0, built.stderr
    assert (target / "site" / "index.html").is_file()
    assert list((target / "site").glob("*.pdf"))


def test_init_uses_a_variable_and_a_macro(cli, tmp_path: Path):
    target = tmp_path / "n"
    assert cli("init", str(target)).code == 0
    sections = "".join(p.read_text() for p in (target / "sections").glob("*.md"))
    assert "{{ contact.email }}" not in sections and "@" not in sections
    assert "{{ how_to_reach_us(" in sections
    assert "{{ urls.website }}" in sections
    assert "macro how_to_reach_us" in (target / "macros" / "contact.j2").read_text()


def test_init_refuses_a_folder_that_is_not_empty(cli, tmp_path: Path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    result = cli("init", str(target))
    assert_no_traceback(result)
    assert result.code == 2
    assert "is not an empty folder" in result.stderr
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_init_into_an_empty_folder_and_leaves_nothing_behind(cli, tmp_path: Path):
    target = tmp_path / "empty"
    target.mkdir()
    assert cli("init", str(target)).code == 0
    assert (target / "notice.yml").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".notice-init-")]


PROJECT_FILES = (
    "notice.yml", "mkdocs.yml", "Makefile", "README.md", ".gitignore", ".pre-commit-config.yaml",
    ".github/workflows/pull-request.yml", ".github/workflows/publish.yml", "docs/.gitkeep",
)  # fmt: skip


def test_an_imported_project_is_the_init_scaffold_and_builds_at_once(cli, tmp_path: Path):
    from tests.conftest import FIXTURES

    made = tmp_path / "made"
    assert cli("init", str(made)).code == 0
    target = tmp_path / "imported"
    source = FIXTURES / "import" / "harbor-community-bank-online-privacy.html"
    result = cli("import", str(source), "--into", str(target))
    assert result.code == 0, result.stderr
    for name in PROJECT_FILES:
        assert (made / name).is_file(), name
        assert (target / name).is_file(), name
    assert (made / "Makefile").read_text() == (target / "Makefile").read_text()
    assert cli("check", "--root", str(target)).code == 0
    built = cli("build", "--root", str(target))
    assert built.code == 0, built.stderr
    assert (target / "site" / "index.html").is_file()
    assert list((target / "site").glob("*.pdf"))


def test_init_makes_a_git_repository_that_releases_at_once(cli, tmp_path: Path):
    from importlib import metadata

    target = tmp_path / "fresh"
    made = cli("init", str(target))
    assert made.code == 0, made.stderr
    assert "and its git repository" in made.stdout
    assert git(target, "status", "--porcelain") == ""  # everything is in the first commit
    assert git(target, "log", "--format=%s") == (
        f"New notice project (notice init {metadata.version('notice-toolkit')})"
    )
    released = cli("release", "--root", str(target))
    assert released.code == 0, released.stderr
    version = metadata.version("notice-toolkit")
    for name in ("publish.yml", "pull-request.yml"):
        workflow = (target / ".github" / "workflows" / name).read_text(encoding="utf-8")
        assert f'pip install "notice-toolkit=={version}"' in workflow
        assert "change the\n      # version here" in workflow  # says how to move to another
        assert "pip install notice-toolkit\n" not in workflow


def test_import_makes_a_git_repository_with_a_first_commit(cli, tmp_path: Path):
    from tests.conftest import FIXTURES

    target = tmp_path / "imported"
    source = FIXTURES / "import" / "harbor-community-bank-online-privacy.html"
    result = cli("import", str(source), "--into", str(target))
    assert result.code == 0, result.stderr
    assert git(target, "log", "--format=%s").startswith(f"Import {source.name} (notice import ")
    assert git(target, "status", "--porcelain") == ""
