"""The files of the imported project: notice.yml, sections/*.md, macros/, mkdocs.yml."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from notice.numbering import DEFAULT_HEADING_FORMAT
from notice.source.schema import editor_comment

from .structure import SectionDraft, Structure

DEFAULT_DATE_FORMAT = "%B %-d, %Y"


class _IndentedDumper(yaml.SafeDumper):
    """Lists indented under their key, as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def dump_yaml(data: Any) -> str:
    """YAML as in the hand-written notice: block style, order kept, Unicode as is."""
    return yaml.dump(
        data,
        Dumper=_IndentedDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1000,
    )


@dataclass(frozen=True)
class Metadata:
    """notice.yml's metadata keys."""

    title: str
    company: str
    last_updated: date
    effective: date | None
    date_format: str
    summary: str
    date_line: str = "Last updated: {date}"
    date_position: str = "end"


def notice_yml(metadata: Metadata, variables: dict, structure: Structure, source_name: str) -> str:
    """notice.yml: metadata, variables, numbering per level and the sections tree."""
    head: dict[str, Any] = {
        "title": metadata.title,
        "company": metadata.company,
        "last_updated": metadata.last_updated.isoformat(),
    }
    if metadata.effective:
        head["effective"] = metadata.effective.isoformat()
    head["summary"] = metadata.summary
    if metadata.date_format != DEFAULT_DATE_FORMAT:
        head["date_format"] = metadata.date_format
    if metadata.date_position == "none":
        head["date_line"] = {"position": "none"}  # the date stays where the text states it
    elif (metadata.date_line, metadata.date_position) != ("Last updated: {date}", "end"):
        head["date_line"] = {"text": metadata.date_line, "position": metadata.date_position}
    numbering: dict[str, Any] = {"numbering": structure.numbering}
    formats = structure.heading_formats
    if any(f != DEFAULT_HEADING_FORMAT for f in formats):
        numbering["heading_format"] = formats[0] if len(set(formats)) == 1 else formats
    parts = [
        editor_comment(),
        f"# Imported by `notice import` from {source_name}: metadata, variables, section order.\n"
        "# Every contact point, link and date lives here once; sections refer to them as "
        "{{ contact.email }}.\n",
        dump_yaml(head),
    ]
    if variables:
        parts.append(dump_yaml({"variables": variables}))
    parts.append(
        "# Heading numbers per level, generated from the tree below, never typed.\n"
        + dump_yaml(numbering)
    )
    parts.append(dump_yaml({"sections": _tree(structure.sections)}))
    return "\n".join(parts)


def _tree(sections: list[SectionDraft]) -> list:
    children: dict[int, list] = {}
    roots: list = []
    for section in sections:
        entry: dict[str, Any] = {"id": section.id}
        children[id(section)] = []
        siblings = children[id(section.parent)] if section.parent else roots
        siblings.append(entry)
        entry["sections"] = children[id(section)]
    return [_compact(entry) for entry in roots]


def _compact(entry: dict) -> Any:
    if not entry["sections"]:
        return entry["id"]
    return {"id": entry["id"], "sections": [_compact(child) for child in entry["sections"]]}


def section_file(section: SectionDraft, body: str) -> str:
    """A section file: front matter (id, title, flags), then the Markdown body."""
    meta: dict[str, Any] = {"id": section.id, "title": section.title}
    if not section.show_heading:
        meta["heading"] = False
    if not section.numbered:
        meta["numbered"] = False
    text = "---\n" + dump_yaml(meta) + "---\n"
    return text + (body.strip("\n") + "\n" if body.strip() else "")
