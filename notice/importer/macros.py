"""Clauses that repeat with only variables differing: proposed, and written as macros on request."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

_VARIABLE = re.compile(r"<?\{\{ (?P<name>[A-Za-z_][\w.]*) \}\}>?")
_WORD = re.compile(r"\S+")
MIN_TOKENS = 6
MIN_WORDS = 5
_JINJA_NAMES = {"true", "false", "none", "range", "loop", "caller", "varargs", "kwargs", "self"}


@dataclass(frozen=True)
class _Token:
    key: str  # a word, or "<VAR>" / "VAR" for a variable (with or without autolink brackets)
    name: str  # the variable's name, "" for a word
    start: int
    end: int


@dataclass(frozen=True)
class Occurrence:
    """Where a clause occurs: the section (index), its body offsets, the variables it uses."""

    section: int
    start: int
    end: int
    names: tuple[str, ...]


@dataclass
class MacroProposal:
    """A clause found at least twice; parameters stand for variables that differ."""

    name: str
    parameters: list[str]
    template: str  # the macro body (Markdown with {{ }})
    occurrences: list[Occurrence]
    slots: list[int]  # which variables of a clause differ between occurrences (the parameters)

    def call(self, occurrence: Occurrence) -> str:
        """The call that replaces one occurrence, passing its own variables."""
        arguments = ", ".join(occurrence.names[slot] for slot in self.slots)
        return "{{ " + f"{self.name}({arguments})" + " }}"


def _tokens(text: str) -> list[_Token]:
    tokens, position = [], 0
    for match in _VARIABLE.finditer(text):
        tokens += _words(text, position, match.start())
        key = "<VAR>" if match.group().startswith("<") else "VAR"
        tokens.append(_Token(key, match.group("name"), match.start(), match.end()))
        position = match.end()
    return tokens + _words(text, position, len(text))


def _words(text: str, start: int, end: int) -> list[_Token]:
    return [
        _Token(m.group(), "", start + m.start(), start + m.end())
        for m in _WORD.finditer(text[start:end])
    ]


def find_repeated(bodies: list[str], reserved: set[str]) -> list[MacroProposal]:
    """Repeated clauses with a variable in them; the ones that save the most typing first."""
    sequences = [
        (index, offset, _tokens(paragraph))
        for index, body in enumerate(bodies)
        for offset, paragraph in _paragraphs(body)
    ]
    candidates = _candidate_keys(sequences)
    used: set[tuple[int, int]] = set()  # (sequence, token) already in a proposal
    proposals: list[MacroProposal] = []
    taken = set(reserved)

    def saving(key: tuple[str, ...]) -> tuple[int, int]:
        return len(key) * (len(_free_occurrences(key, sequences, set())) - 1), len(key)

    for key in sorted(candidates, key=saving, reverse=True):
        spots = _free_occurrences(key, sequences, used)
        if len(spots) < 2:
            continue
        for seq_index, start in spots:
            used.update((seq_index, start + k) for k in range(len(key)))
        proposals.append(_proposal(key, spots, sequences, bodies, taken))
    return proposals


def _paragraphs(body: str):
    position = 0
    for chunk in re.split(r"(\n\s*\n)", body):
        if chunk.strip() and not re.fullmatch(r"\n\s*\n", chunk):
            yield position, chunk
        position += len(chunk)


def _candidate_keys(sequences) -> set[tuple[str, ...]]:
    """Maximal runs of equal tokens around two occurrences of a variable."""
    anchors = [
        (s, t)
        for s, (_, _, tokens) in enumerate(sequences)
        for t, token in enumerate(tokens)
        if token.name
    ]
    keys = set()
    for i, (s1, t1) in enumerate(anchors):
        for s2, t2 in anchors[i + 1 :]:
            a, b = sequences[s1][2], sequences[s2][2]
            if a[t1].key != b[t2].key:
                continue
            left = 0
            while min(t1, t2) - left > 0 and a[t1 - left - 1].key == b[t2 - left - 1].key:
                left += 1
            right = 0
            while (
                t1 + right + 1 < len(a)
                and t2 + right + 1 < len(b)
                and a[t1 + right + 1].key == b[t2 + right + 1].key
            ):
                right += 1
            key = _from_clause_start(tuple(token.key for token in a[t1 - left : t1 + right + 1]))
            words = sum(1 for k in key if k not in ("VAR", "<VAR>") and re.search(r"[A-Za-z]", k))
            if len(key) >= MIN_TOKENS and words >= MIN_WORDS:
                keys.add(key)
    return keys


def _from_clause_start(key: tuple[str, ...]) -> tuple[str, ...]:
    """Start after a comma or semicolon near the start: 'request, email ...' -> 'email ...'."""
    for index in range(min(3, len(key) - 1), -1, -1):
        if key[index].endswith((",", ";", ":")):
            return key[index + 1 :]
    return key


def _free_occurrences(key, sequences, used) -> list[tuple[int, int]]:
    spots = []
    for s, (_, _, tokens) in enumerate(sequences):
        t = 0
        while t + len(key) <= len(tokens):
            if tuple(tok.key for tok in tokens[t : t + len(key)]) == key and not any(
                (s, t + k) in used for k in range(len(key))
            ):
                spots.append((s, t))
                t += len(key)
            else:
                t += 1
    return spots


def _proposal(key, spots, sequences, bodies, taken: set[str]) -> MacroProposal:
    occurrences = []
    for s, t in spots:
        section, offset, tokens = sequences[s]
        run = tokens[t : t + len(key)]
        names = tuple(token.name for token in run if token.name)
        occurrences.append(Occurrence(section, offset + run[0].start, offset + run[-1].end, names))
    first_section, first_offset, first_tokens = sequences[spots[0][0]]
    run = first_tokens[spots[0][1] : spots[0][1] + len(key)]
    text = bodies[first_section][first_offset + run[0].start : first_offset + run[-1].end]
    slots = [i for i in range(len(occurrences[0].names)) if _differs(occurrences, i)]
    parameters = _parameters(occurrences[0].names, slots)
    template = _template(text, run, slots, parameters)
    return MacroProposal(_macro_name(key, taken), parameters, template, occurrences, slots)


def _differs(occurrences: list[Occurrence], slot: int) -> bool:
    return len({o.names[slot] for o in occurrences}) > 1


def _parameters(names: tuple[str, ...], slots: list[int]) -> list[str]:
    parameters: list[str] = []
    for slot in slots:
        base = _parameter_base(names[slot])
        candidate, number = base, 2
        while candidate in parameters:
            candidate, number = f"{base}_{number}", number + 1
        parameters.append(candidate)
    return parameters


def _parameter_base(name: str) -> str:
    """What a parameter holds, from the first variable passed to it: email, phone, url."""
    group, _, leaf = name.rpartition(".")
    for kind in ("email", "phone"):
        if kind in leaf:
            return kind
    if group == "urls":
        return "url"
    return leaf.rstrip("0123456789_") or "value"


def _template(text: str, run: list[_Token], slots: list[int], parameters: list[str]) -> str:
    """The clause with differing variables replaced by the macro's parameters."""
    variables = [token for token in run if token.name]
    out, position = [], 0
    for slot, parameter in zip(slots, parameters, strict=True):
        token = variables[slot]
        start, end = token.start - run[0].start, token.end - run[0].start
        out.append(text[position:start])
        out.append(text[start:end].replace(token.name, parameter))
        position = end
    out.append(text[position:])
    return "".join(out)


def _macro_name(key: tuple[str, ...], taken: set[str]) -> str:
    words = [re.sub(r"[^a-z]", "", k.lower()) for k in key if k not in ("VAR", "<VAR>")]
    base = "_".join([w for w in words if w][:4]) or "clause"
    if keyword.iskeyword(base) or base in _JINJA_NAMES:
        base += "_clause"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    taken.add(candidate)
    return candidate


def apply_macros(bodies: list[str], proposals: list[MacroProposal]) -> list[str]:
    """The bodies with every occurrence replaced by a call of its macro."""
    edits: dict[int, list[tuple[int, int, str]]] = {}
    for proposal in proposals:
        for occurrence in proposal.occurrences:
            edits.setdefault(occurrence.section, []).append(
                (occurrence.start, occurrence.end, proposal.call(occurrence))
            )
    result = list(bodies)
    for section, changes in edits.items():
        body = result[section]
        for start, end, call in sorted(changes, reverse=True):
            body = body[:start] + call + body[end:]
        result[section] = body
    return result


def macro_file(proposals: list[MacroProposal]) -> str:
    """macros/imported.j2: one macro per repeated clause, each with a comment saying where."""
    parts = ["{#- Clauses that repeat in the notice, found by `notice import`. -#}\n"]
    for proposal in proposals:
        preview = " ".join(proposal.template.split())[:80].replace("#}", "# }")
        parts.append(
            f"\n{{#- {len(proposal.occurrences)} times: {preview} -#}}\n"
            f"{{% macro {proposal.name}({', '.join(proposal.parameters)}) -%}}\n"
            f"{proposal.template}\n"
            "{%- endmacro %}\n"
        )
    return "".join(parts)
