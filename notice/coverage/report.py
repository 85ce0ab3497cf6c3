"""Coverage of a notice: for each requirement of the regimes it names, the sections that meet it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from notice.coverage.catalogue import DATES, Catalogue, Regime, Requirement, default_catalogue
from notice.errors import Problem, Severity
from notice.layout import NOTICE_FILE
from notice.model import Mention, Notice, RenderedNotice

DATES_TITLE = "Last updated date (printed with every output)"


@dataclass(frozen=True)
class Place:
    """Where a requirement is met, or may be: a section, or the date line of notice.yml."""

    id: str  # a section id, or "last_updated"
    path: str  # "sections/cookie-rights.md", "notice.yml"
    line: int | None
    title: str
    via: str | None = None  # the alternative requirement through which it is met

    def record(self) -> dict[str, Any]:
        """The place as JSON."""
        return {"id": self.id, "file": self.path, "line": self.line, "title": self.title} | (
            {"via": self.via} if self.via else {}
        )


@dataclass(frozen=True)
class Met:
    """One requirement with the places that cover it and, when none does, hints."""

    requirement: Requirement
    covered_by: tuple[Place, ...]
    hints: tuple[Place, ...] = ()  # sections whose text holds an evidence phrase

    @property
    def covered(self) -> bool:
        """True when a section, the printed date or a covered alternative meets it."""
        return bool(self.covered_by)

    def record(self) -> dict[str, Any]:
        """The requirement and its coverage as JSON."""
        item = self.requirement
        return {
            "id": item.id,
            "citation": item.citation,
            "description": item.description,
            "alternative_to": list(item.satisfies),
            "covered": self.covered,
            "covered_by": [place.record() for place in self.covered_by],
            "hints": [place.record() for place in self.hints],
        }


@dataclass(frozen=True)
class RegimeCoverage:
    """A regime the notice names, each of its requirements with its coverage."""

    regime: Regime
    line: int | None  # its line in notice.yml regimes:
    requirements: tuple[Met, ...]

    def missing(self) -> list[Met]:
        """Required contents no place covers (alternatives are never missing on their own)."""
        return [m for m in self.requirements if not m.covered and not m.requirement.alternative]


@dataclass(frozen=True)
class Coverage:
    """The coverage report of a notice, with the problems of its regimes: and covers: lists."""

    regimes: tuple[RegimeCoverage, ...]
    problems: tuple[Problem, ...]

    def record(self) -> dict[str, Any]:
        """The report as JSON (`notice coverage --json`)."""
        return {
            "regimes": [
                {
                    "id": rc.regime.id,
                    "name": rc.regime.name,
                    "source": rc.regime.source,
                    "missing": len(rc.missing()),
                    "requirements": [met.record() for met in rc.requirements],
                }
                for rc in self.regimes
            ],
            "problems": [str(problem) for problem in self.problems],
        }


def coverage(rendered: RenderedNotice, catalogue: Catalogue | None = None) -> Coverage:
    """Map each requirement of the notice's regimes to its sections; judge every id written."""
    catalogue = catalogue or default_catalogue()
    notice = rendered.notice
    problems = _regime_problems(notice, catalogue) + _covers_problems(notice, catalogue)
    places = _places(notice, catalogue)
    texts = {s.id: _squash(s.text) for s in rendered.sections}
    regimes = []
    for mention in _declared(notice, catalogue):
        regime = catalogue.regimes[mention.id]
        mets = tuple(_met(item, places, texts, notice) for item in regime.requirements)
        regimes.append(RegimeCoverage(regime, mention.line, mets))
    problems += [
        _missing_problem(met, rc, notice.paths.notice_file)
        for rc in regimes
        for met in rc.missing()
    ]
    return Coverage(tuple(regimes), tuple(problems))


def _declared(notice: Notice, catalogue: Catalogue) -> list[Mention]:
    seen: set[str] = set()
    declared = []
    for mention in notice.regimes:
        if mention.id in catalogue.regimes and mention.id not in seen:
            seen.add(mention.id)
            declared.append(mention)
    return declared


def _places(notice: Notice, catalogue: Catalogue) -> dict[str, list[Place]]:
    """requirement id -> the places that cover it, directly or through a covered alternative."""
    places: dict[str, list[Place]] = {}
    for section in notice.sections:
        for mention in section.covers:
            place = Place(section.id, section.path, mention.line, section.heading)
            places.setdefault(mention.id, []).append(place)
    for regime in catalogue.regimes.values():
        for item in regime.requirements:
            if item.met_by == DATES:
                line = notice.metadata_lines.get("last_updated")
                places.setdefault(item.id, []).append(
                    Place("last_updated", notice.paths.notice_file, line, DATES_TITLE)
                )
            for target in item.satisfies:
                for place in places.get(item.id, []):
                    via = Place(place.id, place.path, place.line, place.title, via=item.id)
                    places.setdefault(target, []).append(via)
    return places


def _met(
    item: Requirement, places: dict[str, list[Place]], texts: dict[str, str], notice: Notice
) -> Met:
    covered_by = tuple(places.get(item.id, ()))
    if covered_by:
        return Met(item, covered_by)
    return Met(item, (), tuple(_hints(item, texts, notice)))


def _hints(item: Requirement, texts: dict[str, str], notice: Notice) -> list[Place]:
    """Sections whose rendered text holds one of the evidence phrases: a hint, not a verdict."""
    phrases = [_squash(phrase) for phrase in item.evidence]
    return [
        Place(section.id, section.path, None, section.heading)
        for section in notice.sections
        if any(_holds(texts.get(section.id, ""), phrase) for phrase in phrases)
    ]


def _holds(text: str, phrase: str) -> bool:
    """The phrase as whole words of the text (so 'dnt' is not found inside 'student')."""
    if phrase not in text:  # most phrases are in no section: no pattern to build for them
        return False
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def _squash(text: str) -> str:
    """Lower case, typographic quotes made plain, runs of spaces made one."""
    return " ".join(text.lower().replace("\u2019", "'").replace("\u201c", '"').split())


def _regime_problems(notice: Notice, catalogue: Catalogue) -> list[Problem]:
    known = ", ".join(catalogue.regimes)
    return [
        Problem(
            notice.paths.notice_file,
            mention.line,
            f"regimes: unknown regime {mention.id!r}{_did_you_mean(mention.id, catalogue.regimes)}"
            f"; known: {known}",
        )
        for mention in notice.regimes
        if mention.id not in catalogue.regimes
    ]


def _covers_problems(notice: Notice, catalogue: Catalogue) -> list[Problem]:
    declared = {mention.id for mention in notice.regimes}
    problems = []
    for section in notice.sections:
        for mention in section.covers:
            item = catalogue.requirement(mention.id)
            if item is None:
                ids = [r.id for regime in catalogue.regimes.values() for r in regime.requirements]
                hint = _did_you_mean(mention.id, ids)
                problems.append(
                    Problem(
                        section.path,
                        mention.line,
                        f"covers: unknown requirement {mention.id!r}{hint}; "
                        "`notice coverage` lists the ids of the declared regimes",
                    )
                )
            elif item.regime not in declared:
                problems.append(
                    Problem(
                        section.path,
                        mention.line,
                        f"covers: {item.id} belongs to regime {item.regime!r}, which "
                        f"{notice.paths.notice_file} does not name: add it to regimes: "
                        "or remove the id",
                        Severity.WARNING,
                    )
                )
    return problems


def _did_you_mean(word: str, choices: Any) -> str:
    close = get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True)
class CoverageGap(Problem):
    """A required disclosure no section covers: listed by `notice coverage`, one line in check."""


def folded(problems: list[Problem]) -> list[Problem]:
    """Two or more coverage gaps as one warning, where the first was, naming the command that
    lists them: a first check is a few lines, not a wall of them."""
    gaps = [p for p in problems if isinstance(p, CoverageGap)]
    if len(gaps) < 2:
        return problems
    summary = Problem(
        gaps[0].path,
        gaps[0].line,
        f"{len(gaps)} required disclosures are not covered by any section; "
        "`notice coverage` lists them and where to look",
        Severity.WARNING,
    )
    first = problems.index(gaps[0])
    rest = [p for p in problems if not isinstance(p, CoverageGap)]
    return [*rest[:first], summary, *rest[first:]]


def _missing_problem(met: Met, regime: RegimeCoverage, path: str) -> Problem:
    item = met.requirement
    if met.hints:
        files = ", ".join(place.path for place in met.hints)
        advice = f"its evidence appears in {files}; if one meets it, add the id to its covers:"
    else:
        advice = "no section mentions it; write it, or list the id in covers: where it is met"
    return CoverageGap(
        path,
        regime.line,
        f"{item.id} ({item.citation}) is not covered by any section: {advice}",
        Severity.WARNING,
    )


def report_lines(found: Coverage) -> list[str]:
    """The report as text: per regime, each requirement, where it is met or where to look."""
    lines: list[str] = []
    for rc in found.regimes:
        required = [m for m in rc.requirements if not m.requirement.alternative]
        met = sum(m.covered for m in required)
        lines.append(f"{rc.regime.id}: {rc.regime.name} ({met} of {len(required)} covered)")
        for item in rc.requirements:
            lines += _item_lines(item)
        lines.append("")
    if not found.regimes:
        lines.append(f"no regimes: name the laws the notice meets in {NOTICE_FILE} (regimes:)")
    return lines


def _item_lines(met: Met) -> list[str]:
    item = met.requirement
    state = "covered" if met.covered else ("option " if item.alternative else "MISSING")
    lines = [f"  {state}  {item.id}  {item.citation}"]
    for place in met.covered_by:
        via = f" (through {place.via})" if place.via else ""
        lines.append(f"           {place.path}: {place.title}{via}")
    if not met.covered:
        lines.append(f"           {item.description}")
        for place in met.hints:
            lines.append(f"           hint: {place.path} mentions it: {place.title}")
    return lines
