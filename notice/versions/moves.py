"""Redlines that survive restructuring: sections matched by content, text moved between sections,
and renumbering and heading-level changes summarised in one line each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from notice.model import RenderedSection
from notice.versions.words import PARAGRAPH, SectionRedline, WordOp, comparable, token_key, tokenize

SAME_SECTION_RATIO = 0.5  # words in common (difflib ratio) for two differently named sections
CONTAINED_RATIO = 0.8  # or this share of the shorter one's words found in the longer one
MIN_MOVED_WORDS = 8  # a shorter common run is a common phrase, not moved text
SHOWN_RENUMBERINGS = 6


def section_words(section: RenderedSection) -> list[str]:
    """What a section says: its title and its text, as words."""
    words = list(comparable(f"{section.title}\n\n{section.text}"))
    return [word for word in words if word != PARAGRAPH]


def similarity(first: Sequence[str], second: Sequence[str]) -> float:
    """difflib's ratio over words, or, when one side is mostly found in the other (a section
    that grew or shrank a lot), that share; 0 when below SAME_SECTION_RATIO."""
    matcher = SequenceMatcher(None, first, second, autojunk=False)
    total, shorter = len(first) + len(second), min(len(first), len(second))
    bound = matcher.quick_ratio()  # ratio's upper bound; bound * total / 2 bounds the common
    can_contain = shorter >= MIN_MOVED_WORDS and bound * total / 2 >= CONTAINED_RATIO * shorter
    if bound < SAME_SECTION_RATIO and not can_contain:
        return 0.0
    common = sum(block.size for block in matcher.get_matching_blocks())
    ratio = 2 * common / total if total else 1.0
    contained = common / shorter if can_contain else 0.0
    score = max(ratio, contained if contained >= CONTAINED_RATIO else 0.0)
    return score if score >= SAME_SECTION_RATIO else 0.0


def match_by_content(
    old: Sequence[RenderedSection], new: Sequence[RenderedSection]
) -> dict[str, str]:
    """Old id -> new id for sections whose id changed but whose content is mostly the same."""
    old_ids, new_ids = {s.id for s in old}, {s.id for s in new}
    gone = [(s.id, section_words(s)) for s in old if s.id not in new_ids]
    came = [(s.id, section_words(s)) for s in new if s.id not in old_ids]
    scored = sorted(
        (
            (score, old_id, new_id)
            for old_id, old_words in gone
            for new_id, new_words in came
            if (score := similarity(old_words, new_words)) >= SAME_SECTION_RATIO
        ),
        key=lambda item: -item[0],
    )
    pairs: dict[str, str] = {}
    for _, old_id, new_id in scored:
        if old_id not in pairs and new_id not in pairs.values():
            pairs[old_id] = new_id
    return pairs


@dataclass
class _Run:
    """Deleted (side "old") or inserted (side "new") tokens of one operation of one section."""

    section: int
    op: int
    side: str
    tokens: list[str]
    claims: list[tuple[int, int, str]]  # token ranges that moved, with the peer's heading

    @property
    def keys(self) -> list[str]:
        return [token_key(token) for token in self.tokens]


def _runs(sections: Sequence[SectionRedline], side: str) -> list[_Run]:
    tags = ("delete", "replace") if side == "old" else ("insert", "replace")
    runs = []
    for index, section in enumerate(sections):
        old_tokens = tokenize(section.old.text) if section.old else []
        for number, op in enumerate(section.ops):
            if op.tag not in tags:
                continue
            tokens = old_tokens[op.start : op.end] if side == "old" else tokenize(op.new)
            if _count(tokens) >= MIN_MOVED_WORDS:
                runs.append(_Run(index, number, side, tokens, []))
    return runs


def _count(tokens: Sequence[str]) -> int:
    return sum(1 for token in tokens if token_key(token) not in ("", PARAGRAPH))


Candidate = tuple[int, _Run, _Run, int, int, int]  # words, deletion, insertion, a, b, size


def _candidates(deleted: list[_Run], inserted: list[_Run]) -> list[Candidate]:
    """Common runs of at least MIN_MOVED_WORDS words between a deletion and an insertion made
    in two different sections, largest first."""
    found = []
    for old_run in deleted:
        old_keys = old_run.keys
        for new_run in inserted:
            if new_run.section == old_run.section:
                continue
            matcher = SequenceMatcher(None, old_keys, new_run.keys, autojunk=False)
            for a, b, size in matcher.get_matching_blocks():
                words = _count(old_run.tokens[a : a + size])
                if words >= MIN_MOVED_WORDS:
                    found.append((words, old_run, new_run, a, b, size))
    return sorted(found, key=lambda item: -item[0])


def _free(run: _Run, start: int, end: int) -> bool:
    return all(end <= a or start >= b for a, b, _ in run.claims)


def find_moves(sections: tuple[SectionRedline, ...]) -> tuple[SectionRedline, ...]:
    """Text deleted in one section and inserted in another shown as moved there, not as words
    deleted and inserted."""
    deleted, inserted = _runs(sections, "old"), _runs(sections, "new")
    if not deleted or not inserted:
        return sections
    for _, old_run, new_run, a, b, size in _candidates(deleted, inserted):
        if _free(old_run, a, a + size) and _free(new_run, b, b + size):
            old_run.claims.append((a, a + size, sections[new_run.section].heading))
            new_run.claims.append((b, b + size, sections[old_run.section].heading))
    claimed = [run for run in deleted + inserted if run.claims]
    result = list(sections)
    for index in {run.section for run in claimed}:
        runs = {(run.op, run.side): run for run in claimed if run.section == index}
        ops = tuple(
            piece
            for number, op in enumerate(sections[index].ops)
            for piece in _split(op, runs.get((number, "old")), runs.get((number, "new")))
        )
        result[index] = replace(sections[index], ops=ops)
    return tuple(result)


def _split(op: WordOp, old_run: _Run | None, new_run: _Run | None) -> list[WordOp]:
    """op cut where its text moved: deletions and insertions around moved-out and moved-in."""
    if old_run is None and new_run is None:
        return [op]
    pieces = []
    if op.tag in ("delete", "replace"):
        tokens = old_run.tokens if old_run else tokenize(op.old)
        for tag, start, end, peer in _pieces(tokens, old_run, "delete", "moved-out"):
            text = "".join(tokens[start:end])
            pieces.append(WordOp(tag, op.start + start, op.start + end, text, "", peer))
    if op.tag in ("insert", "replace"):
        tokens = new_run.tokens if new_run else tokenize(op.new)
        for tag, start, end, peer in _pieces(tokens, new_run, "insert", "moved-in"):
            pieces.append(WordOp(tag, op.end, op.end, "", "".join(tokens[start:end]), peer))
    return pieces


def _pieces(
    tokens: list[str], run: _Run | None, plain: str, moved: str
) -> list[tuple[str, int, int, str]]:
    """(tag, start, end, peer) covering tokens: claimed ranges moved, the gaps plain."""
    result, position = [], 0
    for start, end, peer in sorted(run.claims if run else []):
        if start > position:
            result.append((plain, position, start, ""))
        result.append((moved, start, end, peer))
        position = end
    if position < len(tokens):
        result.append((plain, position, len(tokens), ""))
    return result


def structure_lines(sections: Sequence[SectionRedline]) -> tuple[str, ...]:
    """Renumbering and heading-level changes, one line each, instead of a line per section."""
    lines = []
    renumbered = [
        (_prefix(s.old), _prefix(s.new))
        for s in sections
        if s.old and s.new and s.old.number != s.new.number
    ]
    if renumbered:
        shown = ", ".join(f"{a} → {b}" for a, b in renumbered[:SHOWN_RENUMBERINGS])
        more = len(renumbered) - SHOWN_RENUMBERINGS
        lines.append(
            f"{_headings(len(renumbered))} renumbered: {shown}"
            + (f" and {more} more" if more > 0 else "")
        )
    steps = Counter(
        s.new.level - s.old.level
        for s in sections
        if s.old and s.new and s.level_changed and not s.moved
    )
    if steps:
        lines.append("; ".join(_levels(count, step) for step, count in sorted(steps.items())))
    return tuple(lines)


def _prefix(section: RenderedSection | None) -> str:
    """The number as printed before the title ('C.', '2.1'), or (none)."""
    if section is None or not section.number:
        return "(none)"
    heading = section.heading
    return (
        heading[: len(heading) - len(section.title)].strip()
        if heading.endswith(section.title)
        else section.number
    )


def _headings(count: int) -> str:
    return f"{count} heading{'s' if count != 1 else ''}"


_NUMBER_WORDS = {1: "one", 2: "two", 3: "three"}


def _levels(count: int, step: int) -> str:
    amount = _NUMBER_WORDS.get(abs(step), str(abs(step)))
    way = "down" if step > 0 else "up"
    return f"{_headings(count)} moved {amount} level{'s' if abs(step) != 1 else ''} {way}"
