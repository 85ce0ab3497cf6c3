"""Pins: libraries whose output is hashed run at the versions pyproject and constraints.txt name."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from notice.publish.site.inputs import OUTPUT_PACKAGES, output_versions
from tests.conftest import PROJECT

# Their output is hashed into the ledger: rendered text (Jinja2, markdown-it-py), PDF bytes.
HASHED = ("jinja2", "markdown-it-py", "weasyprint", "pydyf", "pikepdf", "tinyhtml5")
PYPROJECT = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))


def constraints() -> dict[str, str]:
    pins = {}
    for line in (PROJECT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, exact = line.split("==")
            pins[canonicalize_name(name)] = exact.strip()
    return pins


def requirements() -> dict[str, Requirement]:
    found = (Requirement(text) for text in PYPROJECT["project"]["dependencies"])
    return {canonicalize_name(r.name): r for r in found}


def test_every_constrained_library_is_installed_at_its_exact_version():
    pins = constraints()
    assert pins, "constraints.txt is empty"
    assert {name: version(name) for name in pins} == pins


@pytest.mark.parametrize("name", HASHED)
def test_hashed_library_is_pinned_to_a_tested_range(name):
    requirement = requirements()[name]
    assert any(spec.operator == "<" for spec in requirement.specifier), f"{name} has no ceiling"
    assert requirement.specifier.contains(version(name)), (name, version(name))
    assert constraints()[name] == version(name)


def test_license_is_an_spdx_string_and_setuptools_reads_it():
    assert PYPROJECT["project"]["license"] == "MIT"
    setuptools = Requirement(PYPROJECT["build-system"]["requires"][0])
    assert not setuptools.specifier.contains("76.9"), "SPDX strings need setuptools>=77"


def test_make_installs_with_the_constraints_and_test_tools_in_their_extras():
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"pip install .*-c constraints\.txt", makefile)
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert {"pytest", "ruff"} <= {Requirement(r).name for r in extras["test"]}
    assert "playwright" in {Requirement(r).name for r in extras["browser"]}
    assert "[test,browser]" in makefile


def test_every_stamp_records_the_versions_of_every_library_pinned_for_its_output():
    # What judges or ships the output without making it: checkers, validators, the wheel builder,
    # and the timestamp client (a token is the authority's bytes, not ours).
    tools = {"import-linter", "grimp", "mypy", "types-pyyaml", "types-jsonschema", "build"}
    tools |= {"page-validation", "outloud", "pymupdf", "rfc3161-client", "cryptography"}
    hashed = set(constraints()) - tools
    assert hashed <= {canonicalize_name(name) for name in OUTPUT_PACKAGES}
    assert f"jinja2={version('jinja2')}" in output_versions()
