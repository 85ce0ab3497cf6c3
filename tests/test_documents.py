"""The documents core: id rules, where a folder belongs, shared variables and macros, and which
notice.yml may say documents: or overrides:."""

from __future__ import annotations

from pathlib import Path

import pytest

from notice.errors import UsageError
from notice.layout import ROOT_DOCUMENT
from notice.render.rendering import render
from notice.source.documents import (
    Document,
    documents_of,
    find_document,
    id_problem,
    listed_ids,
    place_of,
)
from notice.source.load import load_with_problems

ROOT_YML = """\
title: Example Privacy Notice
company: Example
last_updated: 2024-01-10
summary: First notice.
documents: [cookies]
variables:
  contact:
    email: privacy@example.com
    phone: "555-0100"
sections:
  - intro
"""
DOCUMENT_YML = """\
title: Example Cookie Policy
company: Example
last_updated: 2024-02-10
summary: First cookie policy.
{extra}sections:
  - what-cookies
"""
MACRO = "{% macro write_us() -%}write to {{ contact.email }}{%- endmacro %}\n"


def _section(folder: Path, section_id: str, body: str) -> None:
    (folder / "sections").mkdir(parents=True, exist_ok=True)
    text = f"---\nid: {section_id}\ntitle: {section_id.title()}\n---\n{body}\n"
    (folder / "sections" / f"{section_id}.md").write_text(text)


def _project(tmp_path: Path, extra: str = "", body: str = "Please {{ write_us() }}.") -> Path:
    """A root notice with a shared macro, and documents/cookies using it."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "notice.yml").write_text(ROOT_YML)
    (project / "macros").mkdir()
    (project / "macros" / "contact.j2").write_text(MACRO)
    _section(project, "intro", "Call {{ contact.phone }} or {{ write_us() }}.")
    folder = project / "documents" / "cookies"
    folder.mkdir(parents=True)
    (folder / "notice.yml").write_text(DOCUMENT_YML.format(extra=extra))
    _section(folder, "what-cookies", body)
    return project


@pytest.mark.parametrize(
    ("document_id", "why"),
    [
        ("cookies", None),
        ("california-supplement", None),
        ("terms2", None),
        ("Cookies", "lowercase letters, digits and hyphens"),
        ("-cookies", "lowercase letters, digits and hyphens"),
        ("cookie_policy", "lowercase letters, digits and hyphens"),
        ("a" * 65, "longer than 64"),
        ("history", "already uses"),
        ("versions", "already uses"),
        ("root", "already uses"),
        ("fr", "language code"),
        ("pt-br", "language code"),
        (7, "not a document id"),
    ],
)
def test_id_rules(document_id: object, why: str | None) -> None:
    problem = id_problem(document_id)
    assert (problem is None) if why is None else (why in (problem or "")), problem


def test_place_of_a_project_and_of_a_document(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert place_of(project) == Document(ROOT_DOCUMENT, project.resolve())
    cookies = place_of(project / "documents" / "cookies")
    assert (cookies.id, cookies.project, cookies.prefix) == (
        "cookies",
        project.resolve(),
        "documents/cookies",
    )
    assert (cookies.archive_dir, cookies.site_dir) == ("archive/cookies", "cookies/")
    assert cookies.paths.notice_file == "documents/cookies/notice.yml"
    # a folder named documents/<id> with no project notice.yml beside documents/ is a project
    lone = tmp_path / "lone" / "documents" / "cookies"
    lone.mkdir(parents=True)
    assert place_of(lone).is_root and place_of(lone).project == lone.resolve()


def test_listed_documents_and_find(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert listed_ids(project) == ["cookies"]
    assert [d.id for d in documents_of(project)] == [ROOT_DOCUMENT, "cookies"]
    assert find_document(project, None).is_root
    assert find_document(project, "cookies").folder == (project / "documents/cookies").resolve()
    with pytest.raises(UsageError, match=r"documents: root, cookies.*new-document terms"):
        find_document(project, "terms")


def test_shared_variables_and_macros_render_in_a_document(tmp_path: Path) -> None:
    project = _project(tmp_path)
    notice, problems = load_with_problems(project / "documents" / "cookies")
    assert notice is not None, problems
    assert notice.document == "cookies" and notice.sections[0].path.startswith("documents/")
    assert "write to privacy@example.com" in render(notice).text
    assert not [p for p in problems if p.severity.name == "ERROR"]


def test_a_shared_variable_redefined_without_overrides_is_an_error(tmp_path: Path) -> None:
    extra = "variables:\n  contact:\n    email: cookies@example.com\n"
    project = _project(tmp_path, extra=extra)
    notice, problems = load_with_problems(project / "documents" / "cookies")
    assert notice is None
    shown = [str(p) for p in problems]
    assert any(
        line.startswith("documents/cookies/notice.yml:7:") and "overrides:" in line
        for line in shown
    ), shown


def test_overrides_give_a_document_its_own_value(tmp_path: Path) -> None:
    extra = "overrides: [contact.email]\nvariables:\n  contact:\n    email: cookies@example.com\n"
    project = _project(tmp_path, extra=extra)
    notice, problems = load_with_problems(project / "documents" / "cookies")
    assert notice is not None, problems
    assert "write to cookies@example.com" in render(notice).text
    root, _ = load_with_problems(project)
    assert root is not None and "privacy@example.com" in render(root).text


def test_a_document_macro_named_like_a_shared_one(tmp_path: Path) -> None:
    project = _project(tmp_path)
    own = project / "documents" / "cookies" / "macros"
    own.mkdir()
    (own / "contact.j2").write_text(MACRO.replace("write to", "mail"))
    notice, problems = load_with_problems(project / "documents" / "cookies")
    assert notice is None
    assert any(
        str(p).startswith("documents/cookies/macros/contact.j2") and "overrides:" in str(p)
        for p in problems
    ), problems
    yml = project / "documents" / "cookies" / "notice.yml"
    yml.write_text(DOCUMENT_YML.format(extra="overrides: [macros/contact.j2]\n"))
    notice, problems = load_with_problems(project / "documents" / "cookies")
    assert notice is not None, problems
    assert "mail privacy@example.com" in render(notice).text


def test_documents_and_overrides_in_the_wrong_file(tmp_path: Path) -> None:
    project = _project(tmp_path, extra="documents: [terms]\n")
    notice, problems = load_with_problems(project / "documents" / "cookies")
    assert notice is None
    assert any(
        str(p).startswith("documents/cookies/notice.yml:5:") and "root notice.yml only" in str(p)
        for p in problems
    ), problems
    root_yml = project / "notice.yml"
    root_yml.write_text(ROOT_YML.replace("documents: [cookies]", "overrides: [contact.email]"))
    notice, problems = load_with_problems(project)
    assert notice is None
    assert any(str(p).startswith("notice.yml:5:") and "overrides" in str(p) for p in problems)


def test_a_bad_id_in_the_documents_list(tmp_path: Path) -> None:
    project = _project(tmp_path)
    root_yml = project / "notice.yml"
    root_yml.write_text(ROOT_YML.replace("[cookies]", "[cookies, History, cookies]"))
    notice, problems = load_with_problems(project)
    assert notice is None
    shown = [str(p) for p in problems]
    assert any(
        s.startswith("notice.yml:5:") and "'History' is not a document id" in s for s in shown
    )
    assert any("'cookies' is listed twice" in s for s in shown), shown
