"""Redline of two renderings: sections matched by id, word-level changes, each variable once."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from notice.model import RenderedNotice, RenderedSection
from notice.render.rendering import leaf_variable_names

_SPACES = re.compile(r"(\s+)")
_BREAK = re.compile(r"\n[^\S\n]*\n")
PARAGRAPH = "\u00b6"  # the key of a paragraph break: breaks count, their exact spacing does not


def tokenize(text: str) -> list[str]:
    """Words with their trailing spaces; paragraph breaks (and leading space) are tokens alone."""
    tokens: list[str] = []
    for index, part in enumerate(_SPACES.split(text)):
        if not part:
            continue
        if index % 2 == 0 or not tokens or _BREAK.search(part):
            tokens.append(part)
        else:
            tokens[-1] += part
    return tokens


def token_key(token: str) -> str:
    """What is compared: the word, or a paragraph break; a reflow changes no key."""
    word = token.strip()
    if word:
        return word
    return PARAGRAPH if _BREAK.search(token) else ""


def comparable(text: str) -> tuple[str, ...]:
    """The text as the reader sees it: words and paragraph breaks, line wrapping ignored."""
    return tuple(key for key in map(token_key, tokenize(text)) if key)


@dataclass(frozen=True)
class WordOp:
    """One step from the old text to the new: old tokens [start:end] become new."""

    tag: str  # "equal", "delete", "insert" or "replace"
    start: int
    end: int
    old: str
    new: str


def word_ops(old_text: str, new_text: str) -> tuple[WordOp, ...]:
    """Word-level operations turning old_text into new_text (equal runs carry the new spacing)."""
    old, new = tokenize(old_text), tokenize(new_text)
    matcher = SequenceMatcher(None, [token_key(t) for t in old], [token_key(t) for t in new])
    matcher.autojunk = False
    return tuple(
        WordOp(tag, i1, i2, "".join(old[i1:i2]), "".join(new[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    )


def apply_ops(old_text: str, ops: Sequence[WordOp]) -> str:
    """Apply word operations to old_text; ValueError when they were made from another text."""
    old = tokenize(old_text)
    position, parts = 0, []
    for op in ops:
        if op.start != position or "".join(old[op.start : op.end]) != op.old:
            raise ValueError(f"redline does not apply at token {op.start}: text differs")
        parts.append(op.new)
        position = op.end
    if position != len(old):
        raise ValueError(f"redline stops at token {position} of {len(old)}")
    return "".join(parts)


@dataclass(frozen=True)
class SectionRedline:
    """One section compared by id: added, removed or kept; moved, retitled, text changed."""

    id: str
    status: str  # "added", "removed" or "kept"
    old: RenderedSection | None
    new: RenderedSection | None
    old_parent: str | None = None
    new_parent: str | None = None
    moved: bool = False
    retitled: bool = False
    text_changed: bool = False
    ops: tuple[WordOp, ...] = ()
    link_changes: tuple[str, ...] = ()  # "'text': <old> → <new>" for each link retargeted

    @property
    def changed(self) -> bool:
        return self.status != "kept" or self.moved or self.retitled or self.text_changed

    @property
    def heading(self) -> str:
        section = self.new or self.old
        assert section is not None
        return section.heading

    @property
    def path(self) -> str:
        section = self.new or self.old
        assert section is not None
        return section.path

    def words(self, tag: str) -> int:
        """How many words were inserted ("insert") or deleted ("delete")."""
        side = "new" if tag == "insert" else "old"
        return sum(
            sum(1 for key in comparable(getattr(op, side)) if key != PARAGRAPH)
            for op in self.ops
            if op.tag in (tag, "replace")
        )

    def describe(self) -> str:
        """The change in a few words, e.g. 'moved (from under a to the top level); retitled'."""
        if self.status in ("added", "removed"):
            return self.status
        parts = []
        if self.moved and self.old_parent == self.new_parent:
            parts.append(f"moved (new position {_where(self.new_parent)})")
        elif self.moved:
            parts.append(f"moved ({_where(self.old_parent)} → {_where(self.new_parent)})")
        if self.retitled and self.old and self.new:
            parts.append(f"retitled: {self.old.title!r} → {self.new.title!r}")
        parts += [f"link {change}" for change in self.link_changes]
        if self.text_changed and self.words("insert") + self.words("delete") == 0:
            if not self.link_changes:
                parts.append("text changed")
        elif self.text_changed:
            if self.ops:
                words = f"{self.words('insert')} word(s) inserted, {self.words('delete')} deleted"
                parts.append(f"text changed: {words}")
            else:
                parts.append("text changed")
        return "; ".join(parts) or "unchanged"


def _where(parent: str | None) -> str:
    return f"under {parent}" if parent else "at the top level"


@dataclass(frozen=True)
class VariableChange:
    """A variable whose value changed, reported once with the number of places it appears."""

    name: str
    old: str | None
    new: str | None
    places: int

    def __str__(self) -> str:
        places = f"{self.places} place{'s' if self.places != 1 else ''}"
        return f"{self.name}: {self.old or '(none)'} → {self.new or '(none)'}, {places}"


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
    material: bool = False  # the new version is marked a material change in notice.yml

    @property
    def changed_sections(self) -> tuple[SectionRedline, ...]:
        return tuple(s for s in self.sections if s.changed)

    @property
    def content_changed(self) -> bool:
        """True when a reader sees a different notice (dates and summary aside)."""
        notice_fields = {"title", "company"}
        return bool(self.changed_sections) or any(m.name in notice_fields for m in self.metadata)


def compare_sections(
    old: RenderedNotice, new: RenderedNotice, with_ops: bool = True
) -> tuple[SectionRedline, ...]:
    """Every section of both renderings, matched by id; word operations only when with_ops."""
    old_by_id = {s.id: s for s in old.sections}
    new_by_id = {s.id: s for s in new.sections}
    old_parents = {s.id: s.parent for s in old.notice.sections}
    new_parents = {s.id: s.parent for s in new.notice.sections}
    reordered = _reordered(old, new)
    result = []
    for section_id in _merged_order(old, new):
        before, after = old_by_id.get(section_id), new_by_id.get(section_id)
        if before is None or after is None:
            result.append(
                SectionRedline(
                    section_id,
                    "added" if before is None else "removed",
                    before,
                    after,
                    old_parents.get(section_id),
                    new_parents.get(section_id),
                    ops=_whole_ops(before, after) if with_ops else (),
                )
            )
            continue
        # The canonical text decides (a changed link target is a change; a reflow is not).
        text_changed = before.canonical != after.canonical
        old_parent, new_parent = old_parents.get(section_id), new_parents.get(section_id)
        result.append(
            SectionRedline(
                section_id,
                "kept",
                before,
                after,
                old_parent,
                new_parent,
                moved=section_id in reordered or old_parent != new_parent,
                retitled=_retitled(before, after),
                text_changed=text_changed,
                ops=word_ops(before.text, after.text) if with_ops else (),
                link_changes=_link_changes(before, after),
            )
        )
    return tuple(result)


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


def _whole_ops(before: RenderedSection | None, after: RenderedSection | None) -> tuple[WordOp, ...]:
    old_text = before.text if before else ""
    new_text = after.text if after else ""
    return word_ops(old_text, new_text)


def _reordered(old: RenderedNotice, new: RenderedNotice) -> set[str]:
    """Ids of kept sections outside the longest common order: the ones that moved."""
    new_ids = {s.id for s in new.sections}
    old_ids = {s.id for s in old.sections}
    before = [s.id for s in old.sections if s.id in new_ids]
    after = [s.id for s in new.sections if s.id in old_ids]
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    kept = set()
    for block in matcher.get_matching_blocks():
        kept.update(before[block.a : block.a + block.size])
    return set(before) - kept


def _merged_order(old: RenderedNotice, new: RenderedNotice) -> list[str]:
    """New order, with each removed section placed after its nearest old predecessor."""
    new_index = {s.id: index for index, s in enumerate(new.sections)}
    keys: dict[str, tuple[int, int, int]] = {sid: (i, 0, 0) for sid, i in new_index.items()}
    anchor = -1
    for old_index, section in enumerate(old.sections):
        if section.id in new_index:
            anchor = new_index[section.id]
        else:
            keys[section.id] = (anchor, 1, old_index)
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
            changes.append(VariableChange(name, before.get(name), after.get(name), places))
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
        sections=compare_sections(old, new),
        variables=variable_changes(old, new),
        material=new.notice.material,
    )
