"""Required disclosures: the catalogue, the MetTel mapping, `notice coverage`, check, the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from notice.actions.build import build_site
from notice.coverage.catalogue import (
    CATALOGUE_DIR,
    default_catalogue,
    load_catalogue,
    read_regime,
    schema,
)
from notice.coverage.report import coverage
from notice.errors import SourceError
from notice.render.rendering import render
from notice.source.load import load_notice
from notice.source.yamlio import load_yaml
from tests.conftest import PROJECT, assert_no_traceback, copy_notice, edit
from tests.test_check import line_of

CATALOGUE_FILES = sorted(CATALOGUE_DIR.glob("*.yml"))
DECLARED = ["us-cpni", "us-fcra", "ca-shine-the-light", "ca-caloppa", "nv-603a", "me-isp-privacy"]
SHINE_THE_LIGHT = [
    "ca-shine-the-light.rights-description",
    "ca-shine-the-light.request-designated-address",
]


def mettel_coverage(root: Path = PROJECT):
    return coverage(render(load_notice(root)))


def met(found, requirement_id: str):
    return next(
        m for rc in found.regimes for m in rc.requirements if m.requirement.id == requirement_id
    )


def without_california(root: Path) -> Path:
    """The MetTel notice with its California section removed from the tree and from sections/."""
    edit(root / "notice.yml", "      - california-privacy-rights\n", "")
    (root / "sections" / "california-privacy-rights.md").unlink()
    return root


# The catalogue ---------------------------------------------------------------------------------


def test_the_catalogue_has_the_regimes_the_issue_asks_for():
    assert set(default_catalogue().regimes) >= {
        *DECLARED,
        "ca-ccpa-7011",
        "eu-gdpr-13",
        "eu-gdpr-14",
    }
    assert (CATALOGUE_DIR / "SOURCES.md").is_file()


@pytest.mark.parametrize("path", CATALOGUE_FILES, ids=[p.stem for p in CATALOGUE_FILES])
def test_each_catalogue_file_validates_against_its_schema(path: Path):
    data = load_yaml(path.read_text(encoding="utf-8"), str(path))
    Draft202012Validator.check_schema(schema())
    assert list(Draft202012Validator(schema()).iter_errors(data)) == []
    assert data["regime"] == path.stem
    ids = [item["id"] for item in data["requirements"]]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(f"{path.stem}.") for i in ids)
    assert all(item["citation"].strip() for item in data["requirements"])


def test_the_fast_reading_of_the_shipped_catalogue_is_the_checked_one():
    assert default_catalogue() == load_catalogue(CATALOGUE_DIR)


def test_ids_are_unique_across_the_whole_catalogue():
    ids = [r.id for regime in default_catalogue().regimes.values() for r in regime.requirements]
    assert len(ids) == len(set(ids)) > 90


def test_a_catalogue_entry_without_citation_is_refused_with_its_line(tmp_path: Path):
    source = (CATALOGUE_DIR / "ca-caloppa.yml").read_text(encoding="utf-8")
    broken = source.replace("  citation: Cal. Bus. & Prof. Code §22575(b)(5)\n", "", 1)
    assert broken != source
    (tmp_path / "ca-caloppa.yml").write_text(broken, encoding="utf-8")
    regime, problems = read_regime(tmp_path / "ca-caloppa.yml")
    assert regime is None
    line = line_of(tmp_path / "ca-caloppa.yml", "id: ca-caloppa.do-not-track")
    assert [(p.line, "'citation' is a required property" in p.message) for p in problems] == [
        (line, True)
    ]


def test_a_catalogue_id_outside_its_regime_is_refused(tmp_path: Path):
    source = (CATALOGUE_DIR / "nv-603a.yml").read_text(encoding="utf-8")
    (tmp_path / "nv-603a.yml").write_text(
        source.replace("id: nv-603a.sale-opt-out", "id: ca-caloppa.sale-opt-out"), encoding="utf-8"
    )
    with pytest.raises(SourceError) as caught:
        load_catalogue(tmp_path)
    assert "ca-caloppa.sale-opt-out: an id must start with 'nv-603a.'" in str(caught.value)


# The MetTel mapping ----------------------------------------------------------------------------


def test_the_mettel_notice_declares_its_regimes_with_lines():
    notice = load_notice(PROJECT)
    assert [m.id for m in notice.regimes] == DECLARED
    assert notice.regimes[0].line == line_of(PROJECT / "notice.yml", "regimes:")
    section = notice.section("california-privacy-rights")
    path = PROJECT / section.path
    assert [(m.id, m.line) for m in section.covers] == [
        (i, line_of(path, i)) for i in SHINE_THE_LIGHT
    ]


def test_mettel_covers_shine_the_light_and_the_caloppa_effective_date():
    found = mettel_coverage()
    for requirement_id in SHINE_THE_LIGHT:
        assert [p.id for p in met(found, requirement_id).covered_by] == [
            "california-privacy-rights"
        ]
    effective = met(found, "ca-caloppa.effective-date").covered_by
    assert [(p.id, p.path) for p in effective] == [("last_updated", "notice.yml")]
    assert [p.id for p in met(found, "ca-caloppa.do-not-track").covered_by] == ["cookie-rights"]
    assert [p.id for p in met(found, "ca-caloppa.notice-of-changes").covered_by] == [
        "changes-to-this-notice"
    ]
    assert not [p for p in found.problems if p.severity == "error"]


def test_without_california_shine_the_light_is_uncovered_and_strict_check_fails(
    tmp_path: Path, cli
):
    root = without_california(copy_notice(tmp_path / "notice"))
    found = mettel_coverage(root)
    assert all(not met(found, i).covered for i in SHINE_THE_LIGHT)
    lenient = cli("check", "--root", str(root))
    assert_no_traceback(lenient)
    assert lenient.code == 0, lenient.stderr
    strict = cli("check", "--strict", "--root", str(root))
    assert_no_traceback(strict)
    assert strict.code == 1
    regimes_line = line_of(root / "notice.yml", "regimes:")
    expected = (
        f"notice.yml:{regimes_line}: warning: ca-shine-the-light.rights-description "
        "(Cal. Civ. Code §1798.83(b)(1)(B)) is not covered by any section"
    )
    assert expected in strict.stderr
    assert "ca-shine-the-light.request-designated-address (Cal. Civ. Code §1798.83(b)(1))" in (
        strict.stderr
    )


def test_an_unknown_requirement_id_is_an_error_at_its_file_and_line(tmp_path: Path, cli):
    root = copy_notice(tmp_path / "notice")
    path = root / "sections" / "cookie-rights.md"
    edit(path, "  - ca-caloppa.do-not-track", "  - ca-caloppa.do-not-trak")
    result = cli("check", "--root", str(root))
    assert_no_traceback(result)
    assert result.code == 1
    line = line_of(path, "ca-caloppa.do-not-trak")
    assert (
        f"sections/cookie-rights.md:{line}: covers: unknown requirement 'ca-caloppa.do-not-trak' "
        "(did you mean 'ca-caloppa.do-not-track'?)"
    ) in result.stderr
    coverage_run = cli("coverage", "--root", str(root))
    assert coverage_run.code == 1 and f"cookie-rights.md:{line}: covers:" in coverage_run.stderr


def test_an_unknown_regime_is_an_error_and_an_undeclared_one_a_warning(tmp_path: Path, cli):
    root = copy_notice(tmp_path / "notice")
    edit(root / "notice.yml", "me-isp-privacy]", "me-isp-privacy, xx-nowhere]")
    edit(root / "sections" / "cookie-rights.md", "covers:\n", "covers:\n  - eu-gdpr-13.purposes\n")
    result = cli("check", "--root", str(root))
    assert_no_traceback(result)
    assert result.code == 1
    regimes_line = line_of(root / "notice.yml", "regimes:")
    assert f"notice.yml:{regimes_line}: regimes: unknown regime 'xx-nowhere'" in result.stderr
    gdpr_line = line_of(root / "sections" / "cookie-rights.md", "eu-gdpr-13.purposes")
    assert (
        f"sections/cookie-rights.md:{gdpr_line}: warning: covers: eu-gdpr-13.purposes belongs to "
        "regime 'eu-gdpr-13'"
    ) in result.stderr


def test_covers_must_be_a_list_of_ids(tmp_path: Path, cli):
    root = copy_notice(tmp_path / "notice")
    path = root / "sections" / "nevada-privacy-rights.md"
    edit(path, "covers:\n  - nv-603a.sale-opt-out\n", "covers: nv-603a.sale-opt-out\n")
    result = cli("check", "--root", str(root))
    assert_no_traceback(result)
    line = line_of(path, "covers:")
    assert f"sections/nevada-privacy-rights.md:{line}: covers: must be a list of ids" in (
        result.stderr
    )


# `notice coverage` -----------------------------------------------------------------------------


def test_coverage_json_shape(cli):
    result = cli("coverage", "--json", "--root", str(PROJECT))
    assert_no_traceback(result)
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [r["id"] for r in report["regimes"]] == DECLARED
    caloppa = next(r for r in report["regimes"] if r["id"] == "ca-caloppa")
    dnt = next(i for i in caloppa["requirements"] if i["id"] == "ca-caloppa.do-not-track")
    assert dnt["citation"] == "Cal. Bus. & Prof. Code §22575(b)(5)"
    assert dnt["covered"] is True
    assert dnt["covered_by"][0] | {"line": 0} == {
        "id": "cookie-rights",
        "file": "sections/cookie-rights.md",
        "line": 0,
        "title": "C. Cookie Rights",
    }
    missing = next(i for i in caloppa["requirements"] if not i["covered"])
    assert set(missing) == {
        "id",
        "citation",
        "description",
        "alternative_to",
        "covered",
        "covered_by",
        "hints",
    }
    assert caloppa["missing"] == sum(
        1 for i in caloppa["requirements"] if not i["covered"] and not i["alternative_to"]
    )


def test_coverage_text_hints_at_sections_with_evidence(tmp_path: Path, cli):
    root = copy_notice(tmp_path / "notice")
    edit(root / "sections" / "cookie-rights.md", "  - ca-caloppa.do-not-track\n", "")
    result = cli("coverage", "--root", str(root))
    assert result.code == 0, result.stderr
    after = result.stdout.split("MISSING  ca-caloppa.do-not-track", 1)[1]
    block = re.split(r"\n  \S", after, maxsplit=1)[0]  # up to the next requirement
    assert "Cal. Bus. & Prof. Code §22575(b)(5)" in block
    assert "hint: sections/cookie-rights.md" in block


# The site page ---------------------------------------------------------------------------------


def test_the_site_page_links_each_covered_requirement_to_its_section(tmp_path: Path):
    root = copy_notice(tmp_path / "notice")
    result = build_site(root, tmp_path / "site")
    page = (tmp_path / "site" / "coverage" / "index.html").read_text(encoding="utf-8")
    notice_page = result.index.read_text(encoding="utf-8")
    assert "Where to find what the law requires" in page
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", page)
    shine = [r for r in rows if "§1798.83" in r[1]]
    assert shine and all('href="../#california-privacy-rights"' in r[2] for r in shine)
    anchors = set(re.findall(r'href="\.\./#([^"]+)"', page))
    assert {"cookie-rights", "notice-title"} <= anchors
    assert [a for a in anchors if f'id="{a}"' not in notice_page] == []
    assert "Cal. Bus. &amp; Prof. Code §22575(b)(2)" not in page  # not covered: not listed


def test_the_site_page_is_off_unless_notice_yml_asks(tmp_path: Path):
    root = copy_notice(tmp_path / "notice")
    edit(root / "notice.yml", "coverage_page: true", "coverage_page: false")
    build_site(root, tmp_path / "site")
    assert (tmp_path / "site" / "index.html").is_file()
    assert not (tmp_path / "site" / "coverage").exists()
