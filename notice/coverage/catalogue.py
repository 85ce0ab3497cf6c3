"""The catalogue of required disclosures: one YAML file per regime, validated by a JSON Schema."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from notice.errors import Problem, SourceError
from notice.source.yamlio import YamlProblem, line_of, load_yaml

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
SCHEMA_FILE = Path(__file__).resolve().parent / "catalogue.schema.json"
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml, when it is there
DATES = "dates"  # met_by: the last-updated/effective date printed with every output


@dataclass(frozen=True)
class Requirement:
    """One content a regime requires of a privacy notice, with its citation."""

    id: str  # "<regime>.<name>", e.g. "ca-caloppa.do-not-track"
    regime: str
    citation: str
    description: str
    evidence: tuple[str, ...]  # phrases that usually show the requirement is addressed
    satisfies: tuple[str, ...] = ()  # an alternative: meeting this meets those
    met_by: str | None = None  # DATES: the toolkit's printed date meets it

    @property
    def alternative(self) -> bool:
        """An alternative way to comply is never required on its own."""
        return bool(self.satisfies)


@dataclass(frozen=True)
class Regime:
    """A law or regulation and the contents it requires of a notice."""

    id: str
    name: str
    jurisdiction: str
    source: str
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class Catalogue:
    """Every regime the toolkit knows, by id, in file order."""

    regimes: Mapping[str, Regime]

    def requirement(self, requirement_id: str) -> Requirement | None:
        """The requirement with this id, or None."""
        regime = self.regimes.get(requirement_id.split(".", 1)[0])
        if regime is None:
            return None
        return next((r for r in regime.requirements if r.id == requirement_id), None)


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of one catalogue file."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the toolkit, read once per process. It is the toolkit's own
    data, not a pull request's, and the suite validates every file against the schema, so
    libyaml reads it unvalidated: the line-numbered loader and the schema took most of
    `notice check`'s time here. Should a file not read, load_catalogue reads them all again to
    say where."""
    regimes: dict[str, Regime] = {}
    for path in sorted(CATALOGUE_DIR.glob("*.yml")):
        try:
            data = yaml.load(path.read_bytes(), Loader=_FAST_LOADER)
            if next(_identity_problems(data, path.stem, str(path)), None):
                return load_catalogue(CATALOGUE_DIR)
            regimes[data["regime"]] = _regime(data)
        except (yaml.YAMLError, KeyError, TypeError, AttributeError):
            return load_catalogue(CATALOGUE_DIR)
    return Catalogue(regimes)


def load_catalogue(directory: Path) -> Catalogue:
    """Read and validate every <regime>.yml in directory; SourceError lists every problem."""
    regimes: dict[str, Regime] = {}
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.yml")):
        regime, found = read_regime(path)
        problems += found
        if regime is not None:
            regimes[regime.id] = regime
    if problems:
        raise SourceError(problems)
    return Catalogue(regimes)


def read_regime(path: Path) -> tuple[Regime | None, list[Problem]]:
    """One catalogue file as a Regime, or the problems that keep it from being one."""
    shown = str(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), shown)
    except YamlProblem as exc:
        return None, [exc.problem]
    problems = [
        Problem(shown, _line_at(data, list(error.absolute_path)), _schema_message(error))
        for error in Draft202012Validator(schema()).iter_errors(data)
    ]
    if problems:
        return None, problems
    problems = list(_identity_problems(data, path.stem, shown))
    if problems:
        return None, problems
    return _regime(data), []


def _identity_problems(data: Any, stem: str, shown: str) -> Iterator[Problem]:
    """What a schema cannot say: file name = regime, ids prefixed and unique, alternatives known."""
    regime = data["regime"]
    if regime != stem:
        yield Problem(shown, line_of(data, "regime"), f"regime {regime!r} must match the file name")
    items = data["requirements"]
    ids = [item["id"] for item in items]
    for index, item in enumerate(items):
        line = line_of(items, index)
        if not item["id"].startswith(f"{regime}."):
            yield Problem(shown, line, f"{item['id']}: an id must start with '{regime}.'")
        if ids.index(item["id"]) != index:
            yield Problem(shown, line, f"{item['id']}: duplicate requirement id")
        for target in item.get("satisfies", ()):
            if target not in ids or target == item["id"]:
                yield Problem(shown, line, f"{item['id']}: satisfies unknown id {target!r}")


def _regime(data: Mapping[str, Any]) -> Regime:
    requirements = tuple(
        Requirement(
            id=item["id"],
            regime=data["regime"],
            citation=item["citation"],
            description=" ".join(item["description"].split()),
            evidence=tuple(item["evidence"]),
            satisfies=tuple(item.get("satisfies", ())),
            met_by=item.get("met_by"),
        )
        for item in data["requirements"]
    )
    return Regime(data["regime"], data["name"], data["jurisdiction"], data["source"], requirements)


def _line_at(data: Any, path: list[Any]) -> int | None:
    """The line of the deepest key or item of path that YAML gave a line to."""
    line, container = getattr(data, "start_line", None), data
    for key in path:
        line = line_of(container, key, line)
        try:
            container = container[key]
        except (KeyError, IndexError, TypeError):
            break
    return line


def _schema_message(error: Any) -> str:
    where = ".".join(str(part) for part in error.absolute_path) or "(top)"
    return f"{where}: {error.message}"
