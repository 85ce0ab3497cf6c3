"""The optional page "Where to find what the law requires": requirement (citation) -> section."""

from __future__ import annotations

from collections.abc import Iterable

from notice.coverage.report import Coverage, Place, coverage

from .spec import Linker, PageSpec, SiteContext, TocEntry, templates

COVERAGE_URI = "coverage.md"
COVERAGE_TITLE = "Where to find what the law requires"
NOTICE_URI = "index.md"
DATES_ANCHOR = "notice-title"  # the date line sits under the notice's title


def coverage_page(context: SiteContext) -> Iterable[PageSpec]:
    """The table of covered requirements, when notice.yml asks for it (coverage_page: true)."""
    notice = context.rendered.notice
    if not notice.coverage_page or not notice.regimes:
        return
    found = coverage(context.rendered)
    toc = tuple(TocEntry(rc.regime.id, rc.regime.name, 1) for rc in found.regimes)

    def body(link: Linker) -> str:
        return (
            templates()
            .get_template("coverage.html")
            .render(title=COVERAGE_TITLE, notice=notice, regimes=_tables(found, link(NOTICE_URI)))
        )

    yield PageSpec(
        src_uri=COVERAGE_URI,
        title=COVERAGE_TITLE,
        body=body,
        toc=toc,
        description=f"Where the {notice.title} addresses each requirement of the laws it names.",
    )


def _tables(found: Coverage, notice_href: str) -> list[dict]:
    """Per regime, the rows of its covered requirements; what no section covers is not listed."""
    return [
        {
            "id": rc.regime.id,
            "name": rc.regime.name,
            "source": rc.regime.source,
            "rows": [
                {
                    "description": met.requirement.description,
                    "citation": met.requirement.citation,
                    "places": [_target(place, notice_href) for place in _unique(met.covered_by)],
                }
                for met in rc.requirements
                if met.covered
            ],
        }
        for rc in found.regimes
    ]


def _unique(places: Iterable[Place]) -> list[Place]:
    seen: dict[str, Place] = {}
    for place in places:
        seen.setdefault(place.id, place)
    return list(seen.values())


def _target(place: Place, notice_href: str) -> dict:
    anchor = DATES_ANCHOR if place.path.endswith(".yml") else place.id
    title = "The date at the top of the notice" if anchor == DATES_ANCHOR else place.title
    return {"href": f"{notice_href}#{anchor}", "title": title}
