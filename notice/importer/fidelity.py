"""Does the imported project render to the input's text? Where not, say where (input lines)."""

from __future__ import annotations

from notice.model import RenderedNotice

from .structure import SectionDraft

MAX_REPORTED = 20
SNIPPET_WORDS = 8


def collapse(text: str) -> str:
    """Whitespace collapsed: how renderings and inputs are compared."""
    return " ".join(text.split())


def differences(rendered: RenderedNotice, sections: list[SectionDraft]) -> list[tuple[int, str]]:
    """(input line, explanation) for every section whose rendering differs from its input text."""
    found: list[tuple[int, str]] = []
    by_id = {section.id: section for section in rendered.sections}
    for draft in sections:
        section = by_id.get(draft.id)
        if section is None:
            continue
        expected = _expected_words(draft)
        got = ((section.heading + " ") if section.show_heading else "") + section.text
        words = got.split()
        if [w for w, _ in expected] == words:
            continue
        index = next(
            (i for i, (w, _) in enumerate(expected) if i >= len(words) or words[i] != w),
            len(expected),
        )
        line = expected[min(index, len(expected) - 1)][1] if expected else draft.line
        want = " ".join(w for w, _ in expected[index : index + SNIPPET_WORDS])
        have = " ".join(words[index : index + SNIPPET_WORDS])
        found.append((line, f"the rendering differs: expected “{want}”, got “{have}”"))
        if len(found) >= MAX_REPORTED:
            break
    return found


def _expected_words(draft: SectionDraft) -> list[tuple[str, int]]:
    words = [(w, draft.line) for w in draft.heading_text.split()] if draft.show_heading else []
    for block in draft.blocks:
        for offset, line in enumerate(block.reference.split("\n")):
            words += [(w, block.line + offset) for w in line.split()]
    return words


def identical(reference: str, rendered: RenderedNotice) -> bool:
    """True when the rendering equals the input text, whitespace collapsed."""
    return collapse(reference) == collapse(rendered.text)
