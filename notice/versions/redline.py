"""Redline of two renderings: sections matched by id, word-level changes, each variable once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from notice.model import RenderedNotice, RenderedSection
from notice.render.rendering import leaf_variable_names
from notice.versions import variable_words
from notice.versions.docorder import Part, document_ops
from notice.versions.moves import find_moves, match_by_content, structure_lines
from notice.versions.wordops import (  # re-exported: the redline's word-level vocabulary
    CARRIED,
    MOVED,
    PARAGRAPH,
    WordOp,
    apply_ops,
    comparable,
    matcher,
    token_key,
    tokenize,
    word_count,
    word_ops,
)
from notice.wording import counted, words_counted

__all__ = ["PARAGRAPH", "WordOp", "apply_ops", "comparable", "token_key", "tokenize", "word_ops"]


@dataclass(frozen=True)
class SectionRedline:
    """One section compared by id, else by content: added, removed or kept; moved, retitled,
    text changed, text moved in from or out to other sections, split from or merged into one."""

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
    old_id: str | None = None  # matched by content: the id it had before
    level_changed: bool = False  # summarised once for the whole redline, not per section
    link_changes: tuple[str, ...] = ()  # "'text': <old> → <new>" for each link retargeted

    @property
    def changed(self) -> bool:
        return self.reported or self.level_changed

    @property
    def reported(self) -> bool:
        """Shown section by section: anything but a heading level change alone."""
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
        """How many words were inserted ("insert"), deleted ("delete") or moved in ("moved-in")
        or out ("moved-out"); moved words are not counted as inserted or deleted."""
        side = "old" if tag in ("delete", "moved-out") else "new"
        tags = (tag,) if tag in MOVED else (tag, "replace")
        return sum(word_count(getattr(op, side)) for op in self.ops if op.tag in tags)

    def peers(self, tag: str) -> tuple[str, ...]:
        """Headings of the sections text moved or was carried to ("moved-out", "carried-out") or
        came from ("moved-in", "carried-in")."""
        return tuple(dict.fromkeys(op.peer for op in self.ops if op.tag == tag))

    def carried(self, tag: str) -> int:
        """Words that kept their place in the document but changed section ("carried-in" from
        another section, "carried-out" to one): no change a reader sees in the text."""
        side = "new" if tag == "carried-in" else "old"
        return sum(word_count(getattr(op, side)) for op in self.ops if op.tag == tag)

    @property
    def split_from(self) -> str | None:
        """An added section whose text mostly came from one other section."""
        if self.status != "added":
            return None
        return self._mostly("moved-in", "new") or self._mostly("carried-in", "new")

    @property
    def merged_into(self) -> str | None:
        """A removed section whose text mostly went to one other section."""
        if self.status != "removed":
            return None
        return self._mostly("moved-out", "old") or self._mostly("carried-out", "old")

    def _mostly(self, tag: str, side: str) -> str | None:
        section = getattr(self, side)
        peers = self.peers(tag)
        total = word_count(section.text) if section else 0
        words = self.carried(tag) if tag in CARRIED else self.words(tag)
        if len(peers) == 1 and total and words * 2 >= total:
            return peers[0]
        return None

    def describe(self) -> str:
        """The change in a few words, e.g. 'moved (from under a to the top level); retitled'."""
        if self.status in ("added", "removed"):
            return "; ".join([self.status, *self._moves()])
        parts = []
        if self.moved and self.old_parent == self.new_parent:
            parts.append(f"moved (new position {_where(self.new_parent)})")
        elif self.moved:
            parts.append(f"moved ({_where(self.old_parent)} → {_where(self.new_parent)})")
        if self.retitled and self.old and self.new:
            parts.append(f"retitled: {self.old.title!r} → {self.new.title!r}")
        if self.old_id and self.old_id != self.id:
            parts.append(f"matched by content (was {self.old_id})")
        parts += [f"link {change}" for change in self.link_changes]
        if self.text_changed:
            inserted, deleted = self.words("insert"), self.words("delete")
            if self.ops and (inserted or deleted):
                parts.append(f"text changed: {words_counted(inserted)} inserted, {deleted} deleted")
            elif not self.link_changes and not self._moves():
                parts.append("text changed")
        parts += self._moves()
        return "; ".join(parts) or "unchanged"

    def _moves(self) -> list[str]:
        if self.split_from:
            return [f"split from {self.split_from!r}"]
        if self.merged_into:
            return [f"merged into {self.merged_into!r}"]
        parts = []
        for tag, way in (("moved-in", "from"), ("moved-out", "to")):
            if self.peers(tag):
                where = ", ".join(repr(p) for p in self.peers(tag))
                parts.append(f"{words_counted(self.words(tag))} moved {way} {where}")
        for tag, way in (("carried-out", "split into"), ("carried-in", "merged with")):
            if self.peers(tag):
                parts.append(f"{way} {', '.join(repr(p) for p in self.peers(tag))}")
        return parts


def _where(parent: str | None) -> str:
    return f"under {parent}" if parent else "at the top level"


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
