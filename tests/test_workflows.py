"""The editors' tooling files are valid, and the pre-commit hook really blocks a broken notice."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import PROJECT, commit_all, edit, git, undocumented

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((PROJECT / ".github" / "workflows").glob("*.yml"))
SCAFFOLD_WORKFLOWS = sorted(
    (PROJECT / "notice" / "scaffold" / "project" / "workflows").glob("*.yml")
)


def run(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_workflows_match_the_github_schema():
    assert WORKFLOWS, "no workflow files"
    result = run(
        str(BIN / "check-jsonschema"),
        "--builtin-schema",
        "vendor.github-workflows",
        *map(str, WORKFLOWS + SCAFFOLD_WORKFLOWS),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_new_projects_pull_request_workflow_keeps_the_trust_boundary():
    """Projects made by init and import get a workflow that never trusts the pull request's
    site configuration and keeps no token."""
    path = PROJECT / "notice" / "scaffold" / "project" / "workflows" / "pull-request.yml"
    steps = yaml.safe_load(path.read_text())["jobs"]["notice"]["steps"]
    checkout = next(step for step in steps if "checkout" in step.get("uses", ""))
    assert checkout["with"]["persist-credentials"] is False
    assert checkout["with"]["fetch-depth"] == 0
    runs = [" ".join(step["run"].split()) for step in steps if "run" in step]
    assert not any("make" in run_line for run_line in runs)  # nothing of the PR's tree runs
    build = next(run_line for run_line in runs if run_line.startswith("notice build"))
    assert '--config-from "origin/${{ github.base_ref }}"' in build


def test_workflows_only_call_notice_commands_that_exist():
    help_text = run(str(BIN / "notice"), "--help").stdout
    commands = set(re.findall(r"^  (\S+)", help_text.split("Commands:")[1], re.M))
    for workflow in WORKFLOWS:
        if workflow.name == "release.yml":  # the toolkit's own release: builds, runs no notice
            continue
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


def _pull_request_steps() -> list[dict]:
    workflow = yaml.safe_load((PROJECT / ".github/workflows/pull-request.yml").read_text())
    return workflow["jobs"]["notice"]["steps"]


def test_pull_request_workflow_runs_only_the_bases_toolkit():
    steps = _pull_request_steps()
    checkouts = [step for step in steps if "checkout" in step.get("uses", "")]
    assert {c["with"]["path"] for c in checkouts} == {"pr", "base"}
    assert all(c["with"]["persist-credentials"] is False for c in checkouts)
    base = next(c for c in checkouts if c["with"]["path"] == "base")
    assert base["with"]["ref"] == "${{ github.base_ref }}"
    runs = [step["run"] for step in steps if "run" in step]
    bootstrap = next(step for step in steps if "make" in step.get("run", ""))
    assert bootstrap["working-directory"] == "base"
    for run_line in runs:
        assert "pr/.venv" not in run_line and "make -C pr" not in run_line, run_line
        if "notice " in run_line:
            assert "base/.venv/bin/notice" in run_line and "--root pr" in run_line, run_line


def test_pull_request_workflow_checks_the_trust_boundary_and_builds_with_the_base_config():
    runs = " ".join(" ".join(step.get("run", "").split()) for step in _pull_request_steps())
    assert 'notice check --root pr --base "origin/${{ github.base_ref }}"' in runs
    assert "--allow-config" not in runs
    assert '--config-from "origin/${{ github.base_ref }}"' in runs
    workflow = yaml.safe_load((PROJECT / ".github/workflows/pull-request.yml").read_text())
    trigger = workflow[True]["pull_request"]  # PyYAML reads the key `on` as True
    assert not trigger or "paths" not in trigger  # every pull request is checked


def test_publish_workflow_rebuilds_every_release():
    text = (PROJECT / ".github/workflows/publish.yml").read_text()
    assert ".venv/bin/notice verify --rebuild" in text


def test_the_site_is_rebuilt_daily_so_a_pending_version_takes_over_on_its_day():
    workflow = yaml.safe_load((PROJECT / ".github/workflows/publish.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert [entry["cron"] for entry in triggers["schedule"]] == ["17 0 * * *"]


# --- tokens and permissions, per job (issue 26) -------------------------------------------------
# The publish workflow once checked out with the default persist-credentials while contents: write
# and id-token: write were granted to the whole workflow: the token sat in .git/config during
# `notice build`. GitHub grants permissions per job, so each job is held to what it needs.
ALL_WORKFLOWS = WORKFLOWS + SCAFFOLD_WORKFLOWS
WRITE_SCOPES = {"contents", "pages", "id-token", "pull-requests"}


def jobs_of(path: Path) -> dict[str, dict]:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert workflow.get("permissions") in ({}, "read-all"), (path.name, workflow.get("permissions"))
    return workflow["jobs"]


def runs_toolkit(job: dict) -> bool:
    runs = " ".join(step.get("run", "") for step in job.get("steps", []))
    return "notice " in runs or "make " in runs


def test_every_checkout_keeps_no_token():
    """SECURITY.md `workflow-checkout-token`."""
    for path in ALL_WORKFLOWS:
        for name, job in jobs_of(path).items():
            for step in job.get("steps", []):
                if "actions/checkout" in step.get("uses", ""):
                    assert step["with"]["persist-credentials"] is False, (path.name, name)


def test_every_job_declares_its_own_least_permissions():
    """SECURITY.md `workflow-job-permissions`: the toolkit (every job running `notice` or `make`)
    has a read-only token; the writing jobs run no code of the repository."""
    for path in ALL_WORKFLOWS:
        for name, job in jobs_of(path).items():
            granted = job.get("permissions")
            assert isinstance(granted, dict) and granted, (path.name, name)
            writes = {scope for scope, level in granted.items() if level == "write"}
            assert writes <= WRITE_SCOPES, (path.name, name, writes)
            if runs_toolkit(job):
                assert granted == {"contents": "read"}, (path.name, name, granted)
            if writes:
                assert not runs_toolkit(job), (path.name, name)
                assert not any("setup-python" in s.get("uses", "") for s in job["steps"])


def test_publishing_deploys_in_its_own_job_from_the_built_artifact():
    """SECURITY.md `workflow-deploy-artifact`: build uploads the Pages artifact with a read-only
    token; deploy needs build and holds pages/id-token; the release commit is pushed by a job of
    its own from a git bundle, with the token given to that one step."""
    for path in [p for p in ALL_WORKFLOWS if p.name == "publish.yml"]:
        jobs = jobs_of(path)
        build, push, deploy = jobs["build"], jobs["push"], jobs["deploy"]
        assert any("upload-pages-artifact" in s.get("uses", "") for s in build["steps"])
        assert build["permissions"] == {"contents": "read"}
        assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
        assert "build" in deploy["needs"] and "push" in deploy["needs"]
        assert [s.get("uses", "") for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
        assert push["permissions"] == {"contents": "write"} and push["needs"] == "build"
        token_steps = [s for s in push["steps"] if "github.token" in str(s.get("env", ""))]
        assert len(token_steps) == 1 and "git push" in token_steps[0]["run"]
        assert "release.bundle" in token_steps[0]["run"]
        text = path.read_text(encoding="utf-8")
        assert text.count("github.token") == 1  # nowhere else


def test_the_pull_request_comment_is_written_by_a_job_that_runs_nothing():
    """SECURITY.md `workflow-comment-job`."""
    jobs = jobs_of(PROJECT / ".github/workflows/pull-request.yml")
    assert jobs["notice"]["permissions"] == {"contents": "read"}
    comment = jobs["comment"]
    assert comment["permissions"] == {"pull-requests": "write"} and comment["needs"] == "notice"
    assert not any("checkout" in step.get("uses", "") for step in comment["steps"])
    assert any("download-artifact" in step.get("uses", "") for step in comment["steps"])


def test_every_workflow_case_is_documented():
    cases = ["workflow-checkout-token", "workflow-job-permissions", "workflow-deploy-artifact"]
    assert undocumented([*cases, "workflow-comment-job"]) == []


def test_the_toolkit_is_released_on_a_version_tag_through_trusted_publishing():
    workflow = yaml.safe_load((PROJECT / ".github/workflows/release.yml").read_text())
    assert workflow[True]["push"]["tags"] == ["v*"]  # PyYAML reads the key `on` as True
    assert workflow["permissions"] == {}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    assert build["permissions"] == {"contents": "read"}  # only publish may ask for OIDC
    assert publish["permissions"] == {"id-token": "write"} and publish["needs"] == "build"
    checkout = next(step for step in build["steps"] if "checkout" in step.get("uses", ""))
    assert checkout["with"]["persist-credentials"] is False
    assert any("python -m build" in step.get("run", "") for step in build["steps"])
    uses = [step.get("uses", "") for step in publish["steps"]]
    assert any(use.startswith("pypa/gh-action-pypi-publish@") for use in uses)
    assert not any("password" in step.get("with", {}) for step in publish["steps"])  # no token
