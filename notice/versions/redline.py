"""Redline of two renderings: sections matched by id, word-level changes, each variable once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from notice.model import RenderedNotice, RenderedSection
from notice.render.canonical import canonical_html
from notice.render.rendering import leaf_variable_names
from notice.versions import variable_words
from notice.versions.docorder import Part, document_ops
from notice.versions.moves import find_moves, match_by_content, structure_lines
from notice.versions.words import (  # re-exported: the redline's word-level vocabulary
    PARAGRAPH,
    SectionRedline,
    WordOp,
    apply_ops,
    comparable,
    matcher,
    token_key,
    tokenize,
    word_ops,
)
from notice.wording import counted

__all__ = [
    "PARAGRAPH",
    "SectionRedline",
    "WordOp",
    "apply_ops",
    "comparable",
    "token_key",
    "tokenize",
    "word_ops",
]


@dataclass(frozen=True)
class VariableChange:
    """A variable whose value changed, reported once with the number of places it appears."""

    name: str
    old: str | None
    new: str | None
    places: int
    label: str = ""  # what a reader calls it: the words of the link that shows it, if any

    def __str__(self) -> str:
        places = counted(self.places, "place", "places")
        return f"{self.name}: {self.old or '(none)'} → {self.new or '(none)'}, {places}"

    @property
    def sentence(self) -> str:
        """The change in words, without the variable's name: for the public."""
        return variable_words.describe(self.name, self.old, self.new, self.places, self.label)


@dataclass(frozen=True)
class MetadataChange:
    """A notice-level field that changed: title, company, last_updated, effective, summary."""

    name: str
    old: str
    new: str


@dataclass(frozen=True)
class Redline:
    """Everything that changed from one rendering to another."""

    old_label: str
    new_label: str
    old_date: date
    new_date: date
    metadata: tuple[MetadataChange, ...]
    sections: tuple[SectionRedline, ...]  # new order; a removed section stays near its old place
    variables: tuple[VariableChange, ...]
    structure: tuple[str, ...] = ()  # one line each: renumbering, heading levels
    material: bool = False  # the new version is marked a material change in notice.yml

    @property
    def changed_sections(self) -> tuple[SectionRedline, ...]:
        """Sections shown one by one (a heading level change alone is in structure)."""
        return tuple(s for s in self.sections if s.reported)

    @property
    def content_changed(self) -> bool:
        """True when a reader sees a different notice (dates and summary aside)."""
        notice_fields = {"title", "company"}
        return (
            bool(self.changed_sections)
            or bool(self.structure)
            or any(m.name in notice_fields for m in self.metadata)
        )


def compare_sections(
    old: RenderedNotice, new: RenderedNotice, with_ops: bool = True
) -> tuple[SectionRedline, ...]:
    """Every section of both renderings, matched by id, then the rest by content; word operations
    (with text moved between sections) only when with_ops."""
    key = {**{s.id: s.id for s in old.sections}, **match_by_content(old.sections, new.sections)}
    old_by_key = {key[s.id]: s for s in old.sections}
    new_by_id = {s.id: s for s in new.sections}
    old_parents = {s.id: _mapped(s.parent, key) for s in old.notice.sections}
    new_parents = {s.id: s.parent for s in new.notice.sections}
    old_order = [key[s.id] for s in old.sections]
    new_order = [s.id for s in new.sections]
    reordered = _reordered(old_order, new_order)
    ops = _ops(old.sections, new.sections, key, reordered) if with_ops else {}
    result = []
    for section_key in _merged_order(old_order, new_order):
        before, after = old_by_key.get(section_key), new_by_id.get(section_key)
        old_parent = old_parents.get(before.id) if before else None
        new_parent = new_parents.get(section_key)
        if before is None or after is None:
            result.append(
                SectionRedline(
                    section_key,
                    "added" if before is None else "removed",
                    before,
                    after,
                    old_parent,
                    new_parent,
                    ops=ops.get(section_key, ()),
                )
            )
            continue
        level_changed = before.level != after.level
        moved_parent = old_parent != new_parent and not level_changed
        result.append(
            SectionRedline(
                section_key,
                "kept",
                before,
                after,
                old_parent,
                new_parent,
                moved=section_key in reordered or moved_parent,
                retitled=_retitled(before, after),
                # the canonical text decides: a changed link target is a change, a reflow is not
                text_changed=before.canonical != after.canonical,
                ops=ops.get(section_key, ()),
                old_id=before.id if before.id != after.id else None,
                level_changed=level_changed,
                link_changes=_link_changes(before, after),
                markup_changed=canonical_html(before.html) != canonical_html(after.html),
            )
        )
    return find_moves(tuple(result)) if with_ops else tuple(result)


def _mapped(parent: str | None, key: Mapping[str, str]) -> str | None:
    return key.get(parent, parent) if parent else None


def _link_changes(before: RenderedSection, after: RenderedSection) -> tuple[str, ...]:
    """Links whose words stayed but whose destination changed, in the new order."""
    old = {link.text: link.destination for link in before.links}
    return tuple(
        f"{link.text!r}: <{old[link.text]}> → <{link.destination}>"
        for link in after.links
        if link.text in old and old[link.text] != link.destination
    )


def _retitled(before: RenderedSection, after: RenderedSection) -> bool:
    """Title or heading shown or styled differently; a new number alone is not a retitle."""
    if (before.title, before.show_heading) != (after.title, after.show_heading):
        return True
    return before.number == after.number and before.heading != after.heading


def _ops(
    old: Sequence[RenderedSection],
    new: Sequence[RenderedSection],
    key: Mapping[str, str],
    reordered: set[str],
) -> dict[str, tuple[WordOp, ...]]:
    """Word operations per section key, in document order; a section whose place among the
    others changed is compared with itself, so that moving it marks none of its words."""
    old_by_key = {key[s.id]: s for s in old}
    ops = {k: word_ops(old_by_key[k].text, s.text) for s in new if (k := s.id) in reordered}
    in_order = document_ops(
        [Part(key[s.id], s.heading, s.text) for s in old if key[s.id] not in reordered],
        [Part(s.id, s.heading, s.text) for s in new if s.id not in reordered],
    )
    return ops | in_order


def _reordered(before_all: Sequence[str], after_all: Sequence[str]) -> set[str]:
    """Keys of kept sections outside the longest common order: the ones that moved."""
    both = set(before_all) & set(after_all)
    before = [k for k in before_all if k in both]
    after = [k for k in after_all if k in both]
    kept = set()
    for block in matcher(before, after).get_matching_blocks():
        kept.update(before[block.a : block.a + block.size])
    return set(before) - kept


def _merged_order(old_order: Sequence[str], new_order: Sequence[str]) -> list[str]:
    """New order, with each removed section placed after its nearest old predecessor."""
    new_index = {key: index for index, key in enumerate(new_order)}
    keys: dict[str, tuple[int, int, int]] = {k: (i, 0, 0) for k, i in new_index.items()}
    anchor = -1
    for old_index, section_key in enumerate(old_order):
        if section_key in new_index:
            anchor = new_index[section_key]
        else:
            keys[section_key] = (anchor, 1, old_index)
    return sorted(keys, key=keys.__getitem__)


def variable_values(variables: Mapping[str, Any]) -> dict[str, str]:
    """Every leaf variable as dotted name -> its value as text."""
    values = {}
    for name in leaf_variable_names(variables):
        value: Any = variables
        for part in name.split("."):
            value = value[part]
        values[name] = str(value)
    return values


def variable_changes(old: RenderedNotice, new: RenderedNotice) -> tuple[VariableChange, ...]:
    """Variables whose value changed, each with how many places of the rendering use it."""
    before = variable_values(old.notice.variables)
    after = variable_values(new.notice.variables)
    changes = []
    for name in sorted(before.keys() | after.keys()):
        if before.get(name) != after.get(name):
            places = new.variable_uses.get(name) or old.variable_uses.get(name, 0)
            label = variable_words.link_label(after.get(name), new) or variable_words.link_label(
                before.get(name), old
            )
            changes.append(VariableChange(name, before.get(name), after.get(name), places, label))
    return tuple(changes)


def metadata_changes(old: RenderedNotice, new: RenderedNotice) -> tuple[MetadataChange, ...]:
    """Notice-level fields that differ, in a fixed order."""
    fields = ("title", "company", "last_updated", "effective", "summary")
    return tuple(
        MetadataChange(name, str(getattr(old.notice, name)), str(getattr(new.notice, name)))
        for name in fields
        if getattr(old.notice, name) != getattr(new.notice, name)
    )


def redline(
    old: RenderedNotice, new: RenderedNotice, old_label: str = "", new_label: str = ""
) -> Redline:
    """The redline from old to new: metadata, variables and every section, word by word."""
    return Redline(
        old_label=old_label or f"version of {old.notice.last_updated.isoformat()}",
        new_label=new_label or f"version of {new.notice.last_updated.isoformat()}",
        old_date=old.notice.last_updated,
        new_date=new.notice.last_updated,
        metadata=metadata_changes(old, new),
        sections=(sections := compare_sections(old, new)),
        variables=variable_changes(old, new),
        structure=structure_lines(sections),
        material=new.notice.material,
    )
