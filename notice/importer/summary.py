"""The import report as lines of text for the command line (the CLI prints them)."""

from __future__ import annotations

from notice.numbering import format_heading

from .pipeline import MACRO_FILE, ImportReport

PREVIEW = 90


def summary_lines(report: ImportReport) -> list[str]:
    """What was found and written: sections by level, variables, dates, repeated clauses."""
    lines = [f"imported {report.source} ({report.format}) into {report.target}"]
    lines += _found(report)
    lines += _sections(report)
    lines += _variables(report)
    lines += _dates(report)
    lines += _repeated(report)
    words = report.words
    why = "; ".join(dict.fromkeys(item.why.split(" (")[0] for item in report.dropped))
    on_purpose = (
        f", {len(words.dropped)} left out on purpose: {why}" if words and words.dropped else ""
    )
    if words is not None and words.same:
        shown = words.words - len(words.dropped)
        lines.append(
            f"fidelity: the rendering shows the same {shown} words as the input read by "
            f"{words.reader}{on_purpose}"
        )
    elif words is not None:
        lines.append(
            f"fidelity: the rendering differs from the input read by {words.reader}: "
            f"{len(words.missing)} words missing, {len(words.extra)} extra{on_purpose}; "
            "see the warnings"
        )
    return lines


def _found(report: ImportReport) -> list[str]:
    """What the metadata is and where it came from, so the editor can check it."""
    metadata, dates = report.metadata, report.dates
    title_where = report.title_where or "nowhere in the document; give --title"
    company_where = report.company_where or "nowhere in the document; give --company"
    lines = [f"title: {metadata.title!r} (from {title_where})"]
    lines.append(f"company: {metadata.company!r} (from {company_where})")
    lines.append(f"date: {metadata.last_updated.isoformat()} (from {dates.source})")
    placed = {"top": "first", "end": "last", "none": "where the text states it"}[dates.position]
    if dates.position != "none":
        lines.append(f"date line: {dates.date_line!r}, printed {placed}")
    else:
        lines.append("date line: none of its own; the date stays " + placed)
    return lines


def _sections(report: ImportReport) -> list[str]:
    structure = report.structure
    levels = ", ".join(
        f"level {level}: {count}" for level, count in report.sections_by_level().items()
    )
    lines = [f"sections: {len(structure.sections)} ({levels})"]
    for section in structure.sections:
        pattern = structure.heading_formats[section.level - 1]
        heading = format_heading(pattern, section.number, section.title)
        if not section.show_heading:
            heading = f"({section.title}, no heading)"
        lines.append(f"  {'  ' * (section.level - 1)}{heading}  [sections/{section.id}.md]")
    schemes = ", ".join(
        f"{scheme} ({pattern})" if scheme != "none" else scheme
        for scheme, pattern in zip(structure.numbering, structure.heading_formats, strict=True)
    )
    lines.append(f"numbering per level: {schemes}")
    return lines


def _variables(report: ImportReport) -> list[str]:
    lines = [f"variables: {len(report.variables)}"]
    for name, value, uses in report.variables:
        lines.append(f"  {name} = {value}  ({uses} use{'s' if uses != 1 else ''})")
    return lines


def _dates(report: ImportReport) -> list[str]:
    metadata = report.metadata
    line = f"dates: last_updated {metadata.last_updated.isoformat()}"
    if metadata.effective:
        line += f", effective {metadata.effective.isoformat()}"
    return [f"{line}, date_format '{metadata.date_format}'"]


def _repeated(report: ImportReport) -> list[str]:
    if not report.proposals:
        return ["repeated sentences: none"]
    where = (
        f"written to macros/{MACRO_FILE} and used in the sections"
        if report.macros_written
        else "run again with --macros to write them as macros"
    )
    lines = [f"repeated sentences: {len(report.proposals)} ({where})"]
    for proposal in report.proposals:
        text = " ".join(proposal.template.split())
        text = text if len(text) <= PREVIEW else text[: PREVIEW - 1] + "…"
        lines.append(
            f"  {proposal.name}({', '.join(proposal.parameters)}): "
            f"{len(proposal.occurrences)} times: “{text}”"
        )
    return lines
