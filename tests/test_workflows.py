"""The editors' tooling files are valid, and the pre-commit hook really blocks a broken notice."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import PROJECT, commit_all, edit, git

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((PROJECT / ".github" / "workflows").glob("*.yml"))


def run(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_workflows_match_the_github_schema():
    assert WORKFLOWS, "no workflow files"
    result = run(
        str(BIN / "check-jsonschema"),
        "--builtin-schema",
        "vendor.github-workflows",
        *map(str, WORKFLOWS),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_only_call_notice_commands_that_exist():
    help_text = run(str(BIN / "notice"), "--help").stdout
    commands = set(re.findall(r"^  (\S+)", help_text.split("Commands:")[1], re.M))
    for workflow in WORKFLOWS:
        text = workflow.read_text(encoding="utf-8")
        used = set(re.findall(r"\.venv/bin/notice (\S+)", text))
        assert used, workflow.name
        assert used <= commands, (workflow.name, used - commands)


def test_pull_request_workflow_fetches_full_history():
    workflow = yaml.safe_load((PROJECT / ".github/workflows/pull-request.yml").read_text())
    checkout = next(
        step for step in workflow["jobs"]["notice"]["steps"] if "checkout" in step.get("uses", "")
    )
    assert checkout["with"]["fetch-depth"] == 0


def test_pre_commit_files_are_valid():
    pre_commit = str(BIN / "pre-commit")
    assert run(pre_commit, "validate-config", ".pre-commit-config.yaml").returncode == 0
    assert run(pre_commit, "validate-manifest", ".pre-commit-hooks.yaml").returncode == 0


def test_pre_commit_hook_blocks_a_broken_notice(notice_repo: Path):
    hook = yaml.safe_load((PROJECT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    config = {
        "repos": [
            {
                "repo": "local",
                "hooks": [{**hook, "entry": str(BIN / "notice") + " check"}],
            }
        ]
    }
    (notice_repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    commit_all(notice_repo, "add hook config")
    edit(notice_repo / "sections" / "cpni-rights.md", "{{ representative() }}", "{{ contact.fax }}")
    git(notice_repo, "add", "-A")
    env_home = notice_repo.parent / "pre-commit-home"
    blocked = subprocess.run(
        [str(BIN / "pre-commit"), "run"],
        cwd=notice_repo,
        capture_output=True,
        text=True,
        env={"PRE_COMMIT_HOME": str(env_home), "PATH": "/usr/bin:/bin", "HOME": str(env_home)},
        timeout=300,
    )
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "sections/cpni-rights.md" in blocked.stdout and "contact.fax" in blocked.stdout


def test_the_site_is_rebuilt_daily_so_a_pending_version_takes_over_on_its_day():
    workflow = yaml.safe_load((PROJECT / ".github/workflows/publish.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert [entry["cron"] for entry in triggers["schedule"]] == ["17 0 * * *"]
