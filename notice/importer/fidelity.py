"""Does the imported project render to the input's text? Where not, say where (input lines)."""

from __future__ import annotations

from difflib import SequenceMatcher

from notice.model import RenderedNotice

from .structure import SectionDraft

MAX_REPORTED = 20
SNIPPET_WORDS = 8


def collapse(text: str) -> str:
    """Whitespace collapsed: how renderings and inputs are compared."""
    return " ".join(text.split())


def differences(rendered: RenderedNotice, sections: list[SectionDraft]) -> list[tuple[int, str]]:
    """(input line, explanation) for every run of words the rendering shows differently."""
    found: list[tuple[int, str]] = []
    by_id = {section.id: section for section in rendered.sections}
    for draft in sections:
        section = by_id.get(draft.id)
        if section is None:
            continue
        expected = _expected_words(draft)
        got = ((section.heading + " ") if section.show_heading else "") + section.text
        found += _runs(expected, got.split(), draft.line)
    return found[:MAX_REPORTED]


def _runs(expected: list[tuple[str, int]], words: list[str], line: int) -> list[tuple[int, str]]:
    want = [w for w, _ in expected]
    runs = []
    matcher = SequenceMatcher(None, want, words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        where = expected[min(i1, len(expected) - 1)][1] if expected else line
        shown = " ".join(want[i1:i2][:SNIPPET_WORDS]) or "(nothing)"
        made = " ".join(words[j1:j2][:SNIPPET_WORDS]) or "(nothing)"
        runs.append((where, f"the rendering differs: the input shows “{shown}”, it shows “{made}”"))
    return runs


def _expected_words(draft: SectionDraft) -> list[tuple[str, int]]:
    words = [(w, draft.line) for w in draft.heading_text.split()] if draft.show_heading else []
    for block in draft.blocks:
        for offset, line in enumerate(block.reference.split("\n")):
            words += [(w, block.line + offset) for w in line.split()]
    return words
