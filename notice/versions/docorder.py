"""The whole notice compared in document order: one sequence of blocks with section boundaries in
it, so text that keeps its order is unchanged wherever the headings around it moved."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from notice.versions.words import PARAGRAPH, WordOp, matcher, token_key, tokenize

BOUNDARY = "\x00section"  # one key for every boundary: a new heading is an inserted boundary
MIN_CARRIED_WORDS = 8  # fewer words in common between two sections are a phrase, not their text


@dataclass(frozen=True)
class Part:
    """One section in document order: its key (shared by both sides when matched) and its text."""

    key: str
    heading: str
    text: str


@dataclass(frozen=True)
class _Token:
    key: str
    section: str  # the section's key
    index: int  # position among that section's tokens; -1 for a boundary


_State = tuple[str, str | int] | None  # ("same", other index) | ("carried", peer key) | None


def _blocks(parts: Sequence[Part]) -> list[list[_Token]]:
    """A boundary, then the section's paragraphs (each ending with its break), per section."""
    blocks: list[list[_Token]] = []
    for part in parts:
        blocks.append([_Token(BOUNDARY, part.key, -1)])
        current: list[_Token] = []
        for index, token in enumerate(tokenize(part.text)):
            key = token_key(token)
            current.append(_Token(key, part.key, index))
            if key == PARAGRAPH:
                blocks.append(current)
                current = []
        if current:
            blocks.append(current)
    return blocks


def _pairs(old: list[list[_Token]], new: list[list[_Token]]) -> Iterator[tuple[_Token, _Token]]:
    """Equal token pairs in document order: paragraphs first, then words in what differs."""
    top = matcher([tuple(t.key for t in b) for b in old], [tuple(t.key for t in b) for b in new])
    for tag, i1, i2, j1, j2 in top.get_opcodes():
        first = [t for block in old[i1:i2] for t in block]
        second = [t for block in new[j1:j2] for t in block]
        if tag == "equal":
            yield from zip(first, second, strict=True)
            continue
        inner = matcher([t.key for t in first], [t.key for t in second])
        for a, b, size in inner.get_matching_blocks():
            yield from _kept(list(zip(first[a : a + size], second[b : b + size], strict=True)))


def _kept(pairs: list[tuple[_Token, _Token]]) -> Iterator[tuple[_Token, _Token]]:
    """The pairs, less short runs that join two different sections (a common phrase)."""
    run: list[tuple[_Token, _Token]] = []
    for pair in [*pairs, None]:
        if run and (pair is None or _sections(pair) != _sections(run[-1])):
            old_section, new_section = _sections(run[-1])
            words = sum(1 for first, _ in run if first.key not in ("", PARAGRAPH, BOUNDARY))
            if old_section == new_section or words >= MIN_CARRIED_WORDS:
                yield from run
            run = []
        if pair is not None:
            run.append(pair)


def _sections(pair: tuple[_Token, _Token]) -> tuple[str, str]:
    return pair[0].section, pair[1].section


def document_ops(old: Sequence[Part], new: Sequence[Part]) -> dict[str, tuple[WordOp, ...]]:
    """Per section key: the word operations turning its old text (or none) into its new one."""
    old_state: dict[str, list[_State]] = {p.key: [None] * len(tokenize(p.text)) for p in old}
    new_state: dict[str, list[_State]] = {p.key: [None] * len(tokenize(p.text)) for p in new}
    for first, second in _pairs(_blocks(old), _blocks(new)):
        if first.index < 0 or second.index < 0:
            continue
        if first.section == second.section:
            old_state[first.section][first.index] = ("same", second.index)
            new_state[second.section][second.index] = ("same", first.index)
        else:
            old_state[first.section][first.index] = ("carried", second.section)
            new_state[second.section][second.index] = ("carried", first.section)
    headings = {p.key: p.heading for p in old} | {p.key: p.heading for p in new}  # new wins
    old_text = {p.key: p.text for p in old}
    new_text = {p.key: p.text for p in new}
    result = {}
    for key in dict.fromkeys([*old_state, *new_state]):
        ops = _section_ops(
            tokenize(old_text.get(key, "")),
            tokenize(new_text.get(key, "")),
            old_state.get(key, []),
            new_state.get(key, []),
            headings,
        )
        result[key] = ops
    return result


def _section_ops(
    old: list[str],
    new: list[str],
    old_state: list[_State],
    new_state: list[_State],
    headings: Mapping[str, str],
) -> tuple[WordOp, ...]:
    """One section's operations from the token states: equal runs, and between them what was
    deleted or carried out, then what was inserted or carried in."""
    ops: list[WordOp] = []
    i = j = 0
    while i < len(old) or j < len(new):
        start_i, start_j = i, j
        while i < len(old) and j < len(new) and old_state[i] == ("same", j):
            i, j = i + 1, j + 1
        if i > start_i:
            same = "".join(old[start_i:i]), "".join(new[start_j:j])
            ops.append(WordOp("equal", start_i, i, *same))
            continue
        while i < len(old) and not _same(old_state[i]):
            i += 1
        while j < len(new) and not _same(new_state[j]):
            j += 1
        if (i, j) == (start_i, start_j):  # pairs out of order: cannot happen with difflib
            raise ValueError(f"document order broken at token {i}")
        ops += _changes(old, new, (start_i, i), (start_j, j), old_state, new_state, headings)
    return tuple(ops)


def _same(state: _State) -> bool:
    return state is not None and state[0] == "same"


def _runs(states: Sequence[_State], start: int, end: int) -> list[tuple[int, int, _State]]:
    """Consecutive positions with the same state."""
    runs: list[tuple[int, int, _State]] = []
    for index in range(start, end):
        if runs and runs[-1][2] == states[index] and runs[-1][1] == index:
            runs[-1] = (runs[-1][0], index + 1, states[index])
        else:
            runs.append((index, index + 1, states[index]))
    return runs


def _with_breaks(
    runs: list[tuple[int, int, _State]], tokens: list[str]
) -> list[tuple[int, int, _State]]:
    """A paragraph break beside carried text goes with it: where two sections were merged, the
    boundary between them became that break, a change the new heading (or its absence) shows."""
    carried = [state for _, _, state in runs if state is not None]
    if not carried:
        return runs
    merged: list[tuple[int, int, _State]] = []
    for start, end, state in runs:
        if state is None and all(token_key(t) in ("", PARAGRAPH) for t in tokens[start:end]):
            state = carried[0]
        if merged and merged[-1][2] == state and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end, state)
        else:
            merged.append((start, end, state))
    return merged


def _changes(
    old: list[str],
    new: list[str],
    old_span: tuple[int, int],
    new_span: tuple[int, int],
    old_state: list[_State],
    new_state: list[_State],
    headings: Mapping[str, str],
) -> list[WordOp]:
    gone = _with_breaks(_runs(old_state, *old_span), old)
    came = _with_breaks(_runs(new_state, *new_span), new)
    at = old_span[1]
    if len(gone) == 1 and len(came) == 1 and gone[0][2] is None and came[0][2] is None:
        (a, b, _), (c, d, _) = gone[0], came[0]
        return [WordOp("replace", a, b, "".join(old[a:b]), "".join(new[c:d]))]
    ops = []
    for a, b, state in gone:
        tag, peer = ("delete", "") if state is None else ("carried-out", headings[str(state[1])])
        ops.append(WordOp(tag, a, b, "".join(old[a:b]), "", peer))
    for c, d, state in came:
        tag, peer = ("insert", "") if state is None else ("carried-in", headings[str(state[1])])
        ops.append(WordOp(tag, at, at, "", "".join(new[c:d]), peer))
    return ops
