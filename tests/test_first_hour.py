"""The first hour on a fresh clone: `make build`'s notice commands say little, the README's
pre-commit command works as written, and the toolkit builds its wheel and sdist without warnings."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from build import ProjectBuilder
from build.env import DefaultIsolatedEnv

from tests.conftest import PROJECT

BIN = Path(sys.executable).parent


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this repository as a new user gets it, with the toolkit's .venv beside it."""
    clone = tmp_path_factory.mktemp("first-hour") / "clone"
    subprocess.run(["git", "clone", "-q", str(PROJECT), str(clone)], check=True)
    # the working tree's packaging and hooks, as a new user's clone of this commit will have them
    (clone / ".venv").symlink_to(Path(sys.prefix))
    return clone


def test_make_builds_notice_commands_print_at_most_three_lines(fresh: Path):
    # the commands `make build` runs once .venv exists (Makefile: build)
    checked = run([str(BIN / "notice"), "check"], fresh)
    built = run([str(BIN / "notice"), "build"], fresh)
    assert checked.returncode == 0 and built.returncode == 0, checked.stderr + built.stderr
    printed = (checked.stdout + checked.stderr + built.stdout + built.stderr).splitlines()
    said = [line for line in printed if not line.startswith("built: ")]  # the build's progress
    assert len(said) <= 3, "\n".join(printed)
    coverage = [line for line in said if "not covered" in line]
    assert len(coverage) == 1 and "`notice coverage`" in coverage[0]
    assert said[-1] == "ok: notice is valid (2 warnings)"
    listed = run([str(BIN / "notice"), "coverage"], fresh)
    assert listed.returncode == 0 and "us-cpni.duty-to-protect" in listed.stdout


def test_the_readmes_pre_commit_command_works_as_written(fresh: Path):
    readme = (fresh / "README.md").read_text(encoding="utf-8")
    assert "`.venv/bin/pre-commit install`" in readme
    makefile = (fresh / "Makefile").read_text(encoding="utf-8")
    assert "-e '.[hooks]'" in makefile  # make build installs pre-commit in .venv
    installed = run([str(fresh / ".venv" / "bin" / "pre-commit"), "install"], fresh)
    assert installed.returncode == 0, installed.stderr
    assert (fresh / ".git" / "hooks" / "pre-commit").is_file()
    hook = run([".venv/bin/pre-commit", "run", "notice-check", "--all-files"], fresh)
    assert hook.returncode == 0, hook.stdout + hook.stderr
    assert "notice check" in hook.stdout and "Passed" in hook.stdout


class _Recorder:
    """A pyproject-hooks runner that keeps what the build backend printed."""

    def __init__(self) -> None:
        self.output = ""

    def __call__(self, cmd, cwd=None, extra_environ=None) -> None:
        env = {**os.environ, **(extra_environ or {})}
        done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=True)
        self.output += done.stdout + done.stderr


@pytest.mark.slow
def test_the_toolkit_builds_its_wheel_and_sdist_and_installs_editable_quietly(fresh, tmp_path):
    recorder = _Recorder()
    with DefaultIsolatedEnv() as env:
        builder = ProjectBuilder.from_isolated_env(env, fresh, runner=recorder)
        env.install(builder.build_system_requires)
        built = {}
        for kind in ("sdist", "wheel", "editable"):
            env.install(builder.get_requires_for_build(kind))
            recorder.output = ""
            built[kind] = Path(builder.build(kind, tmp_path))
            if kind == "editable":
                assert "Editable installation" not in recorder.output, recorder.output
    assert built["sdist"].name == "notice_toolkit-0.1.0.tar.gz"
    names = zipfile.ZipFile(built["wheel"]).namelist()
    for data in ("notice/source/notice.schema.json", "notice/publish/site/templates/notice.html",
                 "notice/scaffold/project/workflows/publish.yml"):  # fmt: skip
        assert data in names
    assert not any(name.startswith(("tests/", "scripts/")) for name in names)
