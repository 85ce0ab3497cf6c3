"""notice.yml's JSON Schema: printed by `notice schema`, enforced by check with file and line."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import jsonschema
import pytest

from notice.model import Notice
from notice.numbering import DEFAULT_HEADING_FORMAT, SCHEMES
from notice.source.load import load_with_problems
from notice.source.schema import defaults, notice_schema
from notice.source.yamlio import load_yaml
from tests.conftest import PROJECT, assert_no_traceback, edit

EDITOR_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\n")


def printed_schema(cli) -> dict:
    result = cli("schema")
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def validate(schema: dict, notice_yml: Path) -> None:
    text = notice_yml.read_text(encoding="utf-8")
    jsonschema.validate(load_yaml(text, "notice.yml"), schema, jsonschema.Draft202012Validator)


def test_printed_schema_validates_the_projects_notice(cli):
    schema = printed_schema(cli)
    jsonschema.Draft202012Validator.check_schema(schema)
    validate(schema, PROJECT / "notice.yml")
    location = EDITOR_LINE.match((PROJECT / "notice.yml").read_text(encoding="utf-8"))
    assert location, "notice.yml must start with the yaml-language-server line"
    assert json.loads((PROJECT / location.group(1)).read_text(encoding="utf-8")) == schema


def test_printed_schema_validates_a_scaffolded_notice(cli, tmp_path: Path):
    target = tmp_path / "acme"
    assert cli("init", str(target), "--title", "Acme: Privacy Notice").code == 0
    schema = printed_schema(cli)
    validate(schema, target / "notice.yml")
    location = EDITOR_LINE.match((target / "notice.yml").read_text(encoding="utf-8"))
    assert location and json.loads((target / location.group(1)).read_text()) == schema
    assert location.group(1) in (target / ".gitignore").read_text().split()


def test_printed_schema_rejects_an_unknown_key(cli):
    schema = printed_schema(cli)
    config = load_yaml((PROJECT / "notice.yml").read_text(encoding="utf-8"), "notice.yml")
    config["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError, match="colour"):
        jsonschema.validate(config, schema, jsonschema.Draft202012Validator)


def test_check_reports_an_unknown_key_with_its_line(cli, notice_dir: Path):
    edit(notice_dir / "notice.yml", "page_size: letter", "page_size: letter\ncolour: red")
    result = cli("check", "--root", str(notice_dir))
    assert_no_traceback(result)
    assert result.code == 1
    line = line_number(notice_dir / "notice.yml", "colour:")
    assert re.match(
        rf"notice\.yml:{line}: unknown key 'colour'; expected one of title, ", (result.stderr)
    ), result.stderr


# A wrong value for every top-level key: (key, line as written, words the message must hold).
WRONG = [
    ("title", "title: [a, b]", "title: must be a text"),
    ("company", 'company: "  "', "company: '  ' is not valid"),
    ("last_updated", "last_updated: 22-11-11", "write it as YYYY-MM-DD"),
    ("effective", "effective: 2022-11-11T00:00Z", "write it as YYYY-MM-DD"),
    ("summary", "summary: {a: b}", "summary: must be a text"),
    ("page_size", "page_size: legal", "page_size: 'legal' is not one of 'a4', 'letter'"),
    ("date_format", "date_format: 2022", "date_format: must be a text"),
    ("numbering", "numbering: [roman]", "numbering: 'roman' is not one of 'upper-roman'"),
    ("heading_format", "heading_format: {number: 1}", "heading_format: {'number': 1} is not"),
    ("variables", "variables: [a]", "variables: must be a mapping of keys"),
    ("sections", "sections: introduction", "sections: must be a list"),
    ("regimes", "regimes: us-cpni", "regimes: must be a list"),
    ("date_line", "date_line: {text: Updated}", "date_line.text: 'Updated' is not valid"),
    ("coverage_page", "coverage_page: yes please", "coverage_page: must be true or false"),
    ("languages", "languages: [en, French]", "languages: 'French' is not valid"),
    ("require_complete", "require_complete: fr", "require_complete: must be a list"),
    ("material", "material: sometimes", "material: must be true or false"),
    ("notice_period", "notice_period: -3", "notice_period: -3 is"),
    ("documents", "documents: cookies", "documents: must be a list"),
    ("overrides", "overrides: [1]", "overrides: must be a text"),
]


def line_number(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(needle))


def replace_key(notice_yml: Path, key: str, written: str) -> None:
    """Put `written` in place of key's block (the key line and its indented lines)."""
    lines = notice_yml.read_text(encoding="utf-8").split("\n")
    kept, skipping = [], False
    for line in lines:
        if skipping and (line.startswith((" ", "-")) or not line.strip()):
            continue
        skipping = line.startswith(f"{key}:")
        kept.append(written if skipping else line)
    if written not in kept:
        kept.insert(len(kept) - 1 if kept[-1] == "" else len(kept), written)
    notice_yml.write_text("\n".join(kept) + "\n", encoding="utf-8")


def test_every_top_level_key_has_a_wrong_value_case():
    assert {key for key, _, _ in WRONG} == set(notice_schema()["properties"])


@pytest.mark.parametrize(("key", "written", "words"), WRONG, ids=[k for k, _, _ in WRONG])
def test_a_wrong_value_is_reported_on_its_keys_line(notice_dir: Path, key, written, words):
    replace_key(notice_dir / "notice.yml", key, written)
    notice, problems = load_with_problems(notice_dir)
    assert notice is None
    line = line_number(notice_dir / "notice.yml", f"{key}:")
    assert [(p.line, words in p.message) for p in problems] == [(line, True)], problems


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("    phone: (800)", "    2fax: x\n    phone: (800)", "    2fax:",
         "variables.contact: '2fax' is not a valid name"),
        ("    phone: (800)", "    fax:\n    phone: (800)", "    fax:",
         "variables.contact.fax: an empty value is not valid"),
        ("  - id: your-rights", "  - id: your-rights\n    title: Rights", "    title:",
         "sections: unknown key 'title'; expected one of id, sections"),
        ("      - cpni-rights", "      - CPNI_rights", "      - CPNI_rights",
         "sections: 'CPNI_rights' is not valid. A section id"),
    ],
)  # fmt: skip
def test_nested_mistakes_are_reported_on_their_own_line(notice_dir, old, new, needle, message):
    edit(notice_dir / "notice.yml", old, new)
    _, problems = load_with_problems(notice_dir)
    line = line_number(notice_dir / "notice.yml", needle)
    assert [(p.line, p.message.startswith(message)) for p in problems] == [(line, True)], problems


def test_a_missing_key_and_every_other_mistake_at_once(notice_dir: Path):
    notice_yml = notice_dir / "notice.yml"
    edit(notice_yml, "company: MetTel\n", "")
    edit(notice_yml, "page_size: letter", "page_size: legal\ncolour: red")
    _, problems = load_with_problems(notice_dir)
    messages = [p.message.split(".")[0] for p in problems]
    assert "company: missing" in messages
    assert any(m.startswith("page_size: 'legal'") for m in messages)
    assert any(m.startswith("unknown key 'colour'") for m in messages)
    assert all(p.line for p in problems)


def test_semantic_rules_stay_after_the_schema(notice_dir: Path):
    edit(notice_dir / "notice.yml", "last_updated: 2022-11-11", "last_updated: 2022-11-11\n"
         "effective: 2022-11-10\nheading_format: '{title}'")  # fmt: skip
    _, problems = load_with_problems(notice_dir)
    assert [p.message for p in problems] == [
        "effective: cannot be earlier than last_updated",
        "heading_format: '{title}' must contain {number} once, before {title}",
    ]


def test_schema_defaults_are_the_ones_the_code_uses():
    fields = {f.name: f.default for f in dataclasses.fields(Notice)}
    assert defaults()["date_format"] == fields["date_format"]
    assert defaults()["heading_format"] == DEFAULT_HEADING_FORMAT
    assert tuple(notice_schema()["properties"]["numbering"]["items"]["enum"]) == SCHEMES
