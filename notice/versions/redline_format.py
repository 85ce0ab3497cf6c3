"""A Redline as plain text, as Markdown for a pull-request comment, and as HTML for the site."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from datetime import date

from notice.controls import escaped
from notice.jsontext import json_text
from notice.versions.redline import MetadataChange, Redline, SectionRedline, WordOp

Piece = tuple[str, str]  # ("equal" | "del" | "ins" | "out" | "in", text); out/in: moved text
_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_WRAP = re.compile(r"\s*\n\s*")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#~|!])")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
WORD_JOINER = "\u2060"
# GitHub links what follows @ (mentions, e-mail), :// and www. (bare URLs), and a log line
# starting with :: is a workflow command: an invisible word joiner breaks each pattern.
_GITHUB_TRIGGER = re.compile(r"(@|:(?=//)|:(?=:)|\bwww(?=\.))", re.IGNORECASE)
BREAK_MARK = "\u00b6"
MATERIAL = "Material change (marked material: true in notice.yml)."
ELISION = "\u2026"
FIELD_NAMES = {
    "title": "Title",
    "company": "Company",
    "last_updated": "Last updated",
    "effective": "Effective",
    "summary": "Summary",
}


def _pieces(ops: Sequence[WordOp]) -> list[Piece]:
    pieces: list[Piece] = []
    for op in ops:
        if op.tag == "equal":
            pieces.append(("equal", op.new))
        if op.tag == "delete":
            pieces.append(("del", op.old))
        if op.tag == "replace":
            pieces.append(("del", _without_trailing_space(op.old)))
        if op.tag in ("insert", "replace"):
            pieces.append(("ins", op.new))
        if op.tag == "moved-out":
            pieces.append(("out", op.old))
        if op.tag == "moved-in":
            pieces.append(("in", op.new))
        if op.tag == "carried-in":  # in its place in the document: the new heading is the change
            pieces.append(("equal", op.new))
    return pieces


def _without_trailing_space(text: str) -> str:
    """'[-a-]{+b+} ' reads better than '[-a -]{+b +}': the space is kept once, after the insert."""
    trail = text[len(text.rstrip()) :]
    return text if _BREAK.search(trail) else text.rstrip()


def paragraphs(ops: Sequence[WordOp]) -> list[list[Piece]]:
    """The new text's paragraphs with their changes; a deleted or inserted break shows as ¶."""
    result: list[list[Piece]] = [[]]
    for kind, text in _pieces(ops):
        for index, part in enumerate(_BREAK.split(text)):
            if index and kind in ("del", "out"):
                result[-1].append((kind, f" {BREAK_MARK} "))
            elif index:
                if kind in ("ins", "in"):
                    result[-1].append((kind, BREAK_MARK))
                result.append([])
            if part:
                result[-1].append((kind, part))
    return [paragraph for paragraph in result if "".join(t for _, t in paragraph).strip()]


def _changed(paragraph: list[Piece]) -> bool:
    return any(kind != "equal" and text.strip() for kind, text in paragraph)


def _with_context(section: SectionRedline) -> list[list[Piece] | None]:
    """Changed paragraphs only; None stands for a run of unchanged ones left out."""
    shown: list[list[Piece] | None] = []
    for paragraph in paragraphs(section.ops):
        if _changed(paragraph):
            shown.append(paragraph)
        elif shown[-1:] != [None]:
            shown.append(None)
    return shown


def _inline(paragraph: list[Piece], mark: Callable[[str, str], str], flat: bool) -> str:
    out = []
    for kind, text in paragraph:
        if flat:
            text = _WRAP.sub(" ", text)
        core = text.strip()
        if kind == "equal" or not core:
            out.append(mark("equal", text))
            continue
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        out.append(mark("equal", lead) + mark(kind, core) + mark("equal", trail))
    return "".join(out).strip()


def _metadata_rows(redline: Redline) -> list[MetadataChange]:
    return [m for m in redline.metadata if m.name in FIELD_NAMES]


# --- plain text ------------------------------------------------------------------------------


def _text_mark(kind: str, text: str) -> str:
    marks = {"del": f"[-{text}-]", "ins": f"{{+{text}+}}"}
    marks |= {"out": f"[>{text}>]", "in": f"{{>{text}>}}"}  # moved away, moved here
    return marks.get(kind, text)


def format_text(redline: Redline) -> str:
    """A terminal-friendly redline: [-deleted-] {+inserted+}, changed paragraphs only."""
    lines = [f"Redline: {redline.old_label} → {redline.new_label}"]
    lines += [MATERIAL] * redline.material
    lines += [f"{FIELD_NAMES[m.name]}: {m.old} → {m.new}" for m in _metadata_rows(redline)]
    lines += [f"Structure: {line}" for line in redline.structure]
    if redline.variables:
        lines.append("Variables (one change each, shown in every place below):")
        lines += [f"  {change}" for change in redline.variables]
    changed = redline.changed_sections
    if not changed and not redline.structure:
        lines.append("No change to the rendered text.")
    for section in changed:
        lines += ["", f"== {section.heading} [{section.path}]: {section.describe()} =="]
        for paragraph in _with_context(section):
            text = ELISION if paragraph is None else _inline(paragraph, _text_mark, flat=False)
            lines += ["", text]
    return "\n".join(lines) + "\n"


# --- Markdown for a GitHub pull-request comment ---------------------------------------------


def markdown_escape(text: str) -> str:
    """Text that GitHub shows literally, on one line: no emphasis, code span, table cell, tag,
    alert, autolink, mention or workflow command is made from it."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", escaped(text))
    text = re.sub(r"[&<>]", lambda m: _HTML_SPECIAL[m.group(0)], text)
    return _GITHUB_TRIGGER.sub(lambda m: m.group(0) + WORD_JOINER, text)


def _path(path: str) -> str:
    """A file path as code when nothing in it can end a code span; else escaped text."""
    return f"`{path}`" if re.fullmatch(r"[a-z0-9./-]+", path) else markdown_escape(path)


def _tagged(kind: str, escaped: str) -> str:
    """<del>/<ins> for changed words; moved text is the same tags with class="moved"."""
    tags = {
        "del": f"<del>{escaped}</del>",
        "ins": f"<ins>{escaped}</ins>",
        "out": f'<del class="moved">{escaped}</del>',
        "in": f'<ins class="moved">{escaped}</ins>',
    }
    return tags.get(kind, escaped)


def _markdown_mark(kind: str, text: str) -> str:
    return _tagged(kind, markdown_escape(text))


def format_markdown(redline: Redline) -> str:
    """A pull-request comment: a summary table, variables, then each changed section's redline."""
    esc = markdown_escape
    out = [f"### Changes: {esc(redline.old_label)} → {esc(redline.new_label)}", ""]
    out += [f"**{MATERIAL}**", ""] * redline.material
    rows = _metadata_rows(redline)
    if rows:
        out += ["| | Before | After |", "| --- | --- | --- |"]
        out += [f"| {FIELD_NAMES[m.name]} | {esc(m.old)} | {esc(m.new)} |" for m in rows]
        out.append("")
    changed = redline.changed_sections
    if changed:
        out += ["| Section | File | Change |", "| --- | --- | --- |"]
        out += [f"| {esc(s.heading)} | {_path(s.path)} | {esc(s.describe())} |" for s in changed]
        out.append("")
    elif not redline.structure:
        out += ["No change to the rendered text.", ""]
    if redline.structure:
        out += [f"**Structure:** {esc(line)}" for line in redline.structure]
        out.append("")
    if redline.variables:
        out += ["**Variables** (one change each, shown in every place below):", ""]
        out += [f"- {esc(str(change))}" for change in redline.variables]
        out.append("")
    for section in changed:
        out += [f"#### {esc(section.heading)}", "", f"_{esc(section.describe())}_", ""]
        for paragraph in _with_context(section):
            text = ELISION if paragraph is None else _inline(paragraph, _markdown_mark, True)
            out += [text, ""]
    return "\n".join(out).rstrip("\n") + "\n"


# --- HTML for the site -----------------------------------------------------------------------


def _html_mark(kind: str, text: str) -> str:
    return _tagged(kind, html.escape(text, quote=False))


DATE_FIELDS = ("last_updated", "effective")


def format_html(
    redline: Redline, full: bool = False, date_text: Callable[[date], str] | None = None
) -> str:
    """An HTML fragment with <ins>/<del>; full=True shows every paragraph of changed sections;
    date_text writes the dates as the rest of the page does (one date style per page)."""
    esc = html.escape

    def value(name: str, text: str) -> str:
        shown = date_text(date.fromisoformat(text)) if date_text and name in DATE_FIELDS else text
        return esc(shown)

    out = ['<div class="redline">']
    out += [f'<p class="redline-material"><strong>{MATERIAL}</strong></p>'] * redline.material
    rows = _metadata_rows(redline)
    if rows:
        out.append('<table class="redline-metadata">')
        out.append("<tr><th></th><th>Before</th><th>After</th></tr>")
        out += [
            f"<tr><th>{FIELD_NAMES[m.name]}</th><td>{value(m.name, m.old)}</td>"
            f"<td>{value(m.name, m.new)}</td></tr>"
            for m in rows
        ]
        out.append("</table>")
    # for the public, in words: a value that appears or goes with new text is in the text below
    changed_values = [change for change in redline.variables if change.old and change.new]
    if changed_values:
        out.append('<ul class="redline-variables">')
        out += [f"<li>{esc(change.sentence)}</li>" for change in changed_values]
        out.append("</ul>")
    if redline.structure:
        out.append('<ul class="redline-structure">')
        out += [f"<li>{esc(line)}</li>" for line in redline.structure]
        out.append("</ul>")
    changed = redline.changed_sections
    if not changed and not redline.structure:
        out.append('<p class="redline-none">No change to the rendered text.</p>')
    for section in changed:
        out.append(
            f'<section id="changes-{section.id}" class="redline-section redline-{section.status}">'
        )
        out.append(f"<h3>{esc(section.heading)}</h3>")
        out.append(f'<p class="redline-status">{esc(section.describe())}</p>')
        shown = list(paragraphs(section.ops)) if full else _with_context(section)
        for paragraph in shown:
            if paragraph is None:
                out.append(f'<p class="redline-elision">{ELISION}</p>')
            else:
                out.append(f"<p>{_inline(paragraph, _html_mark, flat=True)}</p>")
        out.append("</section>")
    out.append("</div>")
    return "\n".join(out) + "\n"


def redline_record(change: Redline) -> dict:
    """The redline as plain data for scripts: metadata, variables, and every changed section."""
    return {
        "old": {"label": change.old_label, "last_updated": change.old_date.isoformat()},
        "new": {"label": change.new_label, "last_updated": change.new_date.isoformat()},
        "content_changed": change.content_changed,
        "structure": list(change.structure),
        "material": change.material,
        "metadata": [{"name": m.name, "old": m.old, "new": m.new} for m in change.metadata],
        "variables": [
            {"name": v.name, "old": v.old, "new": v.new, "places": v.places}
            for v in change.variables
        ],
        "sections": [
            {
                "id": section.id,
                "heading": section.heading,
                "path": section.path,
                "status": section.status,
                "moved": section.moved,
                "retitled": section.retitled,
                "text_changed": section.text_changed,
                "markup_changed": section.markup_changed,
                "words_inserted": section.words("insert"),
                "words_deleted": section.words("delete"),
                "words_moved_in": section.words("moved-in"),
                "words_moved_out": section.words("moved-out"),
                "old_id": section.old_id,
                "split_from": section.split_from,
                "merged_into": section.merged_into,
                "changes": [_change_record(op) for op in section.ops if op.tag != "equal"],
            }
            for section in change.changed_sections
        ],
    }


def _change_record(op: WordOp) -> dict:
    record = {"tag": op.tag, "old": op.old, "new": op.new}
    if op.peer:
        record["peer"] = op.peer
    return record


def format_json(change: Redline) -> str:
    """The redline record as indented JSON."""
    return json_text(redline_record(change)) + "\n"


FORMATTERS: dict[str, Callable[[Redline], str]] = {
    "text": format_text,
    "markdown": format_markdown,
    "html": format_html,
    "json": format_json,
}
