"""What `notice translations` prints: each language's sections, and what to redo in stale ones."""

from __future__ import annotations

from typing import Any

from notice.translate.followed import Followed
from notice.translate.status import LanguageState, State
from notice.versions.redline_format import format_text, redline_record

Follows = dict[str, dict[str, Followed]]  # language -> section id -> the source it follows


def status_lines(states: list[LanguageState], followed: Follows) -> list[str]:
    """A summary line per language, a line per section, then the redline of each stale one."""
    lines = []
    for language in states:
        counts = ", ".join(f"{len(language.having(state))} {state}" for state in State)
        title = language.title
        lines.append(f"{language.lang}: {counts}" + (f"; title {title.state}" if title else ""))
        for section in (*((title,) if title else ()), *language.sections):
            lines.append(f"  {section.state:<12} {section.path}  ({section.heading})")
        for section in language.having(State.STALE):
            found = followed.get(language.lang, {}).get(section.section_id)
            if found is None:
                lines.append(f"  {section.path}: the source text it follows is not in git history")
                continue
            lines += ["", f"  {section.path} follows the version of {found.last_updated}:"]
            lines += [
                "  " + line if line else "" for line in format_text(found.redline).split("\n")
            ]
    return lines


def status_record(states: list[LanguageState], followed: Follows) -> dict[str, Any]:
    """The status as JSON-ready data: per language, per section, the state and the redline."""
    record: dict[str, Any] = {}
    for language in states:
        sections = []
        for section in language.sections:
            item: dict[str, Any] = {
                "id": section.section_id,
                "path": section.path,
                "state": str(section.state),
                "source_sha256": section.source_sha256,
                "translated_sha256": section.translated_sha256 or None,
            }
            found = followed.get(language.lang, {}).get(section.section_id)
            if found is not None:
                item["follows"] = {
                    "last_updated": found.last_updated.isoformat(),
                    "commit": found.commit,
                    "redline": redline_record(found.redline),
                }
            sections.append(item)
        record[language.lang] = {"complete": language.complete, "sections": sections}
        if language.title is not None:
            title = language.title
            record[language.lang]["title"] = {"path": title.path, "state": str(title.state)}
    return record
