"""Find the notice's sections from its own headings: levels, numbering scheme and heading format."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from notice.numbering import DEFAULT_HEADING_FORMAT, format_number
from notice.source.load import SECTION_ID

from .document import Block, Document, Heading
from .markers import (
    NOTICE_TITLE_WORDS,
    Marker,
    is_caps_heading,
    is_title_case,
    is_title_shaped,
    parse_markers,
)

MAX_ID_LENGTH = 48
MAX_SKIP = 1  # numbers a plain-text heading may skip and still continue its sequence
TITLE_WORDS = 12  # a first heading this short that names the notice is its title


@dataclass
class SectionDraft:
    """A section about to be written: its heading as found, its place and its blocks."""

    title: str
    level: int
    line: int
    heading_text: str = ""  # the heading as written in the input ("" for the preamble)
    markers: list[Marker] = field(default_factory=list)
    show_heading: bool = True
    numbered: bool = True
    number: str = ""  # the number the toolkit will generate
    id: str = ""
    parent: SectionDraft | None = None
    blocks: list[Block] = field(default_factory=list)
    anchors: tuple[str, ...] = ()  # the input's own ids for this heading


@dataclass
class Structure:
    """The sections in order, with the numbering scheme and heading format of each level."""

    sections: list[SectionDraft]
    numbering: list[str]
    heading_formats: list[str]
    title: str  # the notice's own title line, "" when it has none
    aliases: dict[str, str] = field(default_factory=dict)  # link target -> section id
    title_line: int = 0  # the input line of the title heading

    def anchors(self) -> dict[str, str]:
        """Every anchor an in-page link may name -> the id of the section it reaches."""
        return {section.id: section.id for section in self.sections} | self.aliases


@dataclass
class _Open:
    style: str
    parts: tuple[int, ...]


def detect_structure(document: Document, targets: Iterable[str] = ()) -> Structure:
    """Sections from the headings; plain-text lines that break the numbering stay paragraphs."""
    items = list(document.items)
    title = document_title(items)
    if title:
        items = items[1:]
    levels = _text_levels(items) if document.format == "text" else _tag_levels(items)
    sections = _sections(items, levels, title)
    numbering, formats = _infer_numbering(sections)
    _keep_anchors(sections, set(targets))
    _assign_ids(sections)
    structure = Structure(sections, numbering, formats, title.text if title else "")
    structure.title_line = title.line if title else 0
    structure.aliases = _aliases(sections, set(targets))
    return structure


def one_section(document: Document, title: str | None = None) -> Structure:
    """A notice without headings: all its text in one section, its heading not printed."""
    blocks = [item.as_block() if isinstance(item, Heading) else item for item in document.items]
    name = title or document.title_hint or "Notice"
    section = SectionDraft(name, 1, blocks[0].line if blocks else 1, show_heading=False)
    section.numbered, section.blocks, section.id = False, blocks, "notice"
    return Structure([section], ["none"], [DEFAULT_HEADING_FORMAT], "")


def _aliases(sections: list[SectionDraft], targets: set[str]) -> dict[str, str]:
    """A link's target that names a heading (its own id, or the slug a site made of it, however
    long or cased) -> that section's id, so the link reaches it."""
    aliases: dict[str, str] = {}
    for section in sections:
        if not section.heading_text:
            continue
        names = {*section.anchors, *web_slugs(section.heading_text), *web_slugs(section.title)}
        for target in targets:
            if target != section.id and target not in aliases and target in names:
                aliases[target] = section.id
    return aliases


def document_title(items: list[Heading | Block]) -> Heading | None:
    """A first heading with no number, of a kind used nowhere else or naming the notice
    ('## Firefox Privacy Notice' above other '##' headings): the notice's own title."""
    first = items[0] if items else None
    if not isinstance(first, Heading) or parse_markers(first.text):
        return None
    text = " ".join(first.text.split())
    names_notice = len(text.split()) <= TITLE_WORDS and not text.endswith((".", ":", "?"))
    if names_notice and NOTICE_TITLE_WORDS.search(text) and len(items) > 1:
        return first
    headings = [item for item in items if isinstance(item, Heading)]
    kind = _kind(first)
    if kind is None or len(headings) < 2 or any(_kind(h) == kind for h in headings[1:]):
        return None
    return first


def _kind(heading: Heading) -> str | None:
    if heading.candidate:
        if heading.style == "stated":
            return "stated"
        return "caps" if is_caps_heading(heading.text) else None
    return heading.style


def _tag_levels(items: list[Heading | Block]) -> dict[int, int]:
    """Markdown/HTML: a heading is nested under the last heading of a higher rank."""
    levels: dict[int, int] = {}
    ranks: list[int] = []
    for index, item in enumerate(items):
        if isinstance(item, Heading):
            while ranks and ranks[-1] >= item.tag_rank:
                ranks.pop()
            ranks.append(item.tag_rank)
            levels[index] = len(ranks)
    return levels


def _text_levels(items: list[Heading | Block]) -> dict[int, int]:
    """Plain text: a numbered line continues an open sequence (II. after I.) or starts one at 1."""
    levels: dict[int, int] = {}
    stack: list[_Open] = []
    for index, item in enumerate(items):
        if not isinstance(item, Heading):
            continue
        options = _options(item.text, stack) or _unmarked(items, index, stack)
        if not options:
            items[index] = item.as_block()
            continue
        continuing = [option for option in options if option[0] < len(stack)]
        depth, opened = max(continuing, key=lambda o: o[0]) if continuing else options[0]
        stack[depth:] = [opened]
        levels[index] = depth + 1
    return levels


def _options(text: str, stack: list[_Open]) -> list[tuple[int, _Open]]:
    """Where this line can go: (depth in the stack, what it opens)."""
    options = []
    for marker in parse_markers(text):
        if not is_title_shaped(marker.title):
            continue
        opened = _Open(marker.style, marker.parts)
        for depth, open_ in enumerate(stack):
            if open_.style == marker.style and _follows(open_.parts, marker.parts):
                options.append((depth, opened))
        parent = stack[-1].parts if stack else ()
        starts = marker.parts[-1] == 1 and (len(marker.parts) == 1 or parent == marker.parts[:-1])
        if starts and all(open_.style != marker.style for open_ in stack):
            options.append((len(stack), opened))
    if not options and is_caps_heading(text):
        same = [depth for depth, open_ in enumerate(stack) if open_.style == "caps"]
        options.append((same[0] if same else len(stack), _Open("caps", ())))
    return options


def _unmarked(items: list[Heading | Block], index: int, stack: list[_Open]) -> list:
    """A [B] line, or a short Title Case line with body text after it: a heading without number."""
    item = items[index]
    assert isinstance(item, Heading)
    followed = index + 1 < len(items) and isinstance(items[index + 1], Block)
    if item.style == "stated":
        style = "stated"
    elif followed and is_title_case(item.text):
        style = "title"
    else:
        return []
    same = [depth for depth, open_ in enumerate(stack) if open_.style == style]
    return [(same[0] if same else len(stack), _Open(style, ()))]


def _follows(before: tuple[int, ...], after: tuple[int, ...]) -> bool:
    """2 after 1, or 3 after 1 (one number skipped, a typo the import keeps as written)."""
    return (
        len(before) == len(after)
        and before[:-1] == after[:-1]
        and before[-1] < after[-1] <= before[-1] + MAX_SKIP + 1
    )


def _sections(
    items: list[Heading | Block], levels: dict[int, int], title: Heading | None
) -> list[SectionDraft]:
    preamble = SectionDraft(
        title.text if title else "Introduction",
        1,
        title.line if title else 1,
        title.text if title else "",
        show_heading=False,  # the title is notice.yml's: the site and the PDF print it once
        numbered=False,
    )
    sections = [preamble]
    parents: list[SectionDraft] = []
    for index, item in enumerate(items):
        if isinstance(item, Block):
            sections[-1].blocks.append(item)
            continue
        level = levels[index]
        parents = parents[: level - 1]
        draft = SectionDraft(
            item.text,
            level,
            item.line,
            item.text,
            markers=parse_markers(item.text),
            parent=parents[-1] if parents else None,
            anchors=item.anchors,
        )
        parents.append(draft)
        sections.append(draft)
    if not preamble.blocks:
        sections.remove(preamble)
    return sections


def _infer_numbering(sections: list[SectionDraft]) -> tuple[list[str], list[str]]:
    """Per level, the scheme and format that generate the most headings exactly as written."""
    numbering, formats = [], []
    numbers: dict[int, str] = {}  # id(draft) -> generated number, for nested parents
    for level in range(1, max(s.level for s in sections) + 1):
        drafts = [s for s in sections if s.level == level and s.heading_text and s.numbered]
        best: tuple[str, str, dict[int, Marker]] = ("none", DEFAULT_HEADING_FORMAT, {})
        for scheme, pattern in _choices(drafts):
            matched = _simulate(drafts, scheme, pattern, numbers)
            if len(matched) > len(best[2]):
                best = (scheme, pattern, matched)
        scheme, pattern, matched = best
        for draft in drafts:
            marker = matched.get(id(draft))
            if marker is not None:
                draft.title, draft.number = marker.title, marker.number
                numbers[id(draft)] = marker.number
            elif scheme != "none":
                draft.numbered = False
        numbering.append(scheme)
        formats.append(pattern)
    return numbering, formats


def _choices(drafts: list[SectionDraft]) -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = []
    for draft in drafts:
        for marker in draft.markers:
            if (marker.scheme, marker.heading_format) not in choices:
                choices.append((marker.scheme, marker.heading_format))
    return choices


def _simulate(
    drafts: list[SectionDraft], scheme: str, pattern: str, numbers: dict[int, str]
) -> dict[int, Marker]:
    """Number the drafts as load.py would; keep those whose written number comes out the same."""
    counters: dict[int, int] = {}
    matched = {}
    for draft in drafts:
        parent = id(draft.parent) if draft.parent else 0
        expected = format_number(counters.get(parent, 0) + 1, scheme, numbers.get(parent, ""))
        for marker in draft.markers:
            if (
                marker.scheme == scheme
                and marker.heading_format == pattern
                and marker.number == expected
            ):
                matched[id(draft)] = marker
                counters[parent] = counters.get(parent, 0) + 1
                break
    return matched


def slug(text: str) -> str:
    """A section id from a title: 'Your Rights (EU)' -> 'your-rights-eu'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split()
    result = ""
    for word in words:
        candidate = f"{result}-{word}" if result else word
        if len(candidate) > MAX_ID_LENGTH:
            break
        result = candidate
    return result or (words[0][:MAX_ID_LENGTH] if words else "section")


def web_slugs(text: str) -> set[str]:
    """The ids sites generate for a heading: GitHub/Jekyll ('changes--questions'), kramdown."""
    lower = text.strip().lower()
    github = re.sub(r"[^\w\- ]", "", lower).replace(" ", "-")
    kramdown = re.sub(r"^[^a-z]+", "", re.sub(r"[^a-z0-9\- ]", "", lower)).replace(" ", "-")
    return {github, kramdown, slug(text)}


def _keep_anchors(sections: list[SectionDraft], targets: set[str]) -> None:
    """A section whose heading the input's own links point to keeps that anchor as its id."""
    taken: set[str] = set()
    for section in sections:
        if not section.heading_text:
            continue
        own = [
            *section.anchors,
            *sorted(web_slugs(section.heading_text) | web_slugs(section.title)),
        ]
        wanted = [a for a in own if a in targets and SECTION_ID.match(a) and a not in taken]
        wanted = wanted or [a for a in section.anchors if SECTION_ID.match(a) and a not in taken]
        if wanted:
            section.id = wanted[0]
            taken.add(section.id)


def _assign_ids(sections: list[SectionDraft]) -> None:
    taken: set[str] = {section.id for section in sections if section.id}
    for section in sections:
        if section.id:
            continue
        base = slug(section.title)
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        taken.add(candidate)
        section.id = candidate
