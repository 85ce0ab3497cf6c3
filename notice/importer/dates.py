"""The notice's own date: a last-updated / effective / dated statement near its top or end."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from notice.errors import NoticeError

from .document import Block, Document, Heading, block_texts
from .locale_dates import CONNECTOR, read_date, weekday_pattern
from .structure import document_title
from .values import AS_WRITTEN, DATE, LABEL, Found, date_kind, parse_date

DEFAULT_DATE_LINE = "Last updated: {date}"
DEFAULT_FORMAT = "%B %-d, %Y"
FRONT_MATTER_DATES = ("last_updated", "lastmod", "last_modified", "updated", "effective", "date")
# Blocks where a notice states its own date (its last section too); a statute's date is not.
NEAR_TOP, NEAR_END = 6, 8
_STATEMENT = re.compile(
    rf"(?P<label>{LABEL})[\s:*_,(]*{CONNECTOR}{weekday_pattern()}(?P<date>{DATE})", re.I
)
_VERSION = r"(?:version\s+[\w.]+[,;]?\s*)?"  # 'Version 1.0, dated 2019-08-19'
_BARE = re.compile(rf"^[\W_]*(?P<date>{DATE})[\W_]*$", re.I)
_ALONE = re.compile(rf"^[\W_]*{_VERSION}(?:{LABEL})[\s:*_,(]*{CONNECTOR}(?:{DATE})[\W_]*$", re.I)


@dataclass
class Dates:
    """notice.yml's last_updated, effective, date_format and date_line, and dates to replace."""

    last_updated: date
    date_format: str
    effective: date | None = None  # written to notice.yml only when it differs from last_updated
    names: dict[str, str] = field(default_factory=dict)  # date as written -> variable name
    extra: dict[str, str] = field(default_factory=dict)  # dates.* variables: name -> text
    notes: list[tuple[int, str]] = field(default_factory=list)
    date_line: str = DEFAULT_DATE_LINE
    position: str = "none"  # where the notice printed its date line: top, end, none (in its text)
    found_at: int = 0  # input line of the statement the date came from (0: given by the user)
    source: str = "--last-updated"  # where the date was found, for the report
    in_place: dict[int, str] = field(default_factory=dict)  # block line -> date kept in its text


def take_dates(
    document: Document, given: date | None = None, fallback: tuple[date, str] | None = None
) -> Dates:
    """The notice's date from its own statement; its date line leaves the body when it stands alone.

    fallback: (date, where it comes from), used only when the notice states no date at all (a
    history import passes the file's or the commit's date). Refuses (NoticeError) when the notice
    states no date and none is given: never today silently.
    """
    _headed_dates(document)
    statements = [(block, found) for block in _near_ends(document) for found in _statements(block)]
    statements += _bare_dates(document) if not statements else []
    statements = statements or _alone_anywhere(document)
    updated = [s for s in statements if s[1].kind == "updated"]
    chosen = (updated or statements)[0] if (updated or statements) else None
    if chosen is None:
        return _without_statement(document, given, fallback)
    block, found = chosen
    parsed, pattern = parse_date(found.value, found.language)  # type: ignore[misc]
    dates = Dates(given or parsed, pattern or DEFAULT_FORMAT, found_at=block.line)
    dates.source = f"line {block.line}: “{' '.join(block.reference.split())[:80]}”"
    if given and given != parsed:
        dates.notes.append((block.line, f"{found.value!r} is printed as the given date"))
    elif not given:
        dates.notes += _reading_notes(block.line, found)
    if pattern == AS_WRITTEN:
        _keep_as_written(block, found, dates)
    else:
        _place_date_line(document, block, found, dates)
    _name_dates(dates, [s[1] for s in statements if s[0] is not block or dates.position == "none"])
    return dates


def _reading_notes(line: int, found: Found) -> list[tuple[int, str]]:
    """What a reader must be told: a month standing for a day, a numeric date read one way."""
    read = read_date(found.value, found.language)
    if read is None:
        return []
    if read.month_only:
        return [
            (
                line,
                f"{found.value!r} names a month, not a day: dated the first of the month "
                f"({read.day}); give the day with --last-updated YYYY-MM-DD",
            )
        ]
    if read.other:
        return [
            (
                line,
                f"{found.value!r} reads as {read.day:%B} {read.day.day}, {read.day.year} (month "
                f"first, as English writes it) or {read.other:%B} {read.other.day}, "
                f"{read.other.year} (day first): taken as {read.day}; if it is the other, give "
                f"--last-updated {read.other}",
            )
        ]
    return []


def _keep_as_written(block: Block, found: Found, dates: Dates) -> None:
    """A date format_date cannot print ('28. April 2021') stays in the text as written;
    notice.yml records the day it states."""
    dates.position = "none"
    dates.in_place[block.line] = found.value
    if found.kind == "effective":
        dates.effective = dates.last_updated


def _headed_dates(document: Document) -> None:
    """A heading that is only a date statement ('#### Last Updated: February 25, 2022') is the
    notice's date line, read as a paragraph."""
    items = document.items
    near = set(range(min(NEAR_TOP + 2, len(items)))) | set(
        range(max(0, len(items) - 2), len(items))
    )
    for index in sorted(near):
        item = items[index]
        if isinstance(item, Heading) and _ALONE.match(" ".join(item.text.split())):
            items[index] = item.as_block()


def _without_statement(
    document: Document, given: date | None, fallback: tuple[date, str] | None
) -> Dates:
    """The date given, else the front matter's, else the fallback; refused without any."""
    if given is not None:
        return Dates(given, DEFAULT_FORMAT)
    for key in FRONT_MATTER_DATES:
        value = document.front_matter.get(key)
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return Dates(value, DEFAULT_FORMAT, found_at=1, source=f"front matter '{key}'")
        if isinstance(value, str) and (parsed := parse_date(value.strip())):
            return Dates(parsed[0], DEFAULT_FORMAT, found_at=1, source=f"front matter '{key}'")
    if fallback is not None:
        dates = Dates(fallback[0], DEFAULT_FORMAT, source=fallback[1])
        dates.notes.append(
            (
                0,
                f"states no date of its own: dated {fallback[0]} from {fallback[1]}; give each "
                "version's date with --dates D1,...,DN (YYYY-MM-DD, oldest first)",
            )
        )
        return dates
    raise NoticeError(
        f"{document.path}: no date found (no 'Last updated', 'Effective', 'Revised' or "
        "'dated' line near its top or end); give it with --last-updated YYYY-MM-DD"
    )


def _alone_anywhere(document: Document) -> list[tuple[Block, Found]]:
    """A paragraph that is only a date statement ('Applicable au 09 décembre 2020'), wherever it
    stands: the notice's own date even after a summary or a table of contents (a statute's date
    is part of a sentence, never a line of its own)."""
    blocks = [item for item in document.items if isinstance(item, Block)]
    alone = [b for b in blocks if _ALONE.match(" ".join(b.reference.split()))]
    return [(block, found) for block in alone[:1] for found in _statements(block)]


def _bare_dates(document: Document) -> list[tuple[Block, Found]]:
    """A line that is only a date, right under the title or last ('2016 Oct 23'): the notice's."""
    blocks = [item for item in document.items if isinstance(item, Block)]
    found = []
    for block in blocks[:2] + blocks[-1:]:
        match = _BARE.match(" ".join(block.reference.split()))
        if match and parse_date(match.group("date")):
            found.append((block, Found(0, 0, "updated", match.group("date"))))
    return found


def _near_ends(document: Document) -> list[Block]:
    blocks = [item for item in document.items if isinstance(item, Block)]
    near = blocks[:NEAR_TOP] + [b for b in blocks[-NEAR_END:] if b not in blocks[:NEAR_TOP]]
    return near


def _statements(block: Block) -> list[Found]:
    """The labelled dates of a block, from its visible text (a date inside a link included)."""
    found = []
    for text in [" ".join(block.reference.split()), *block_texts(block)]:
        for match in _STATEMENT.finditer(text):
            language, kind = date_kind(match.group("label"))
            if parse_date(match.group("date"), language):
                where = (match.start("date"), match.end("date"))
                found.append(Found(*where, kind, match.group("date"), language))
    unique = {(f.kind, f.value): f for f in found}
    return list(unique.values())


def _place_date_line(document: Document, block: Block, found: Found, dates: Dates) -> None:
    """A statement alone in the first or last block becomes date_line; elsewhere it stays text."""
    visible = " ".join(block.reference.split())
    index = document.items.index(block)
    under_title = index == 1 and document_title(document.items) is not None
    position = (
        "top"
        if index == 0 or under_title
        else "end"
        if index == len(document.items) - 1
        else "none"
    )
    if position != "none" and (_ALONE.match(visible) or _BARE.match(visible)):
        dates.date_line = visible.replace(found.value, "{date}", 1)
        dates.position = position
        document.items.remove(block)
    else:
        dates.names[found.value] = "last_updated" if found.kind == "updated" else "effective"
        dates.in_place[block.line] = found.value
        if found.kind == "effective":
            dates.effective = dates.last_updated


def _name_dates(dates: Dates, statements: list[Found]) -> None:
    """The other statements' dates become {{ effective }}, {{ last_updated }} or dates.*."""
    for item in statements:
        if item.value in dates.names:
            continue
        parsed, pattern = parse_date(item.value, item.language)  # type: ignore[misc]
        if pattern == AS_WRITTEN:  # kept as written; notice.yml still records its day
            if item.kind == "effective" and parsed >= dates.last_updated:
                dates.effective = parsed
            continue
        same_format = pattern == dates.date_format
        if item.kind == "effective" and "effective" not in dates.names.values():
            if same_format and parsed >= dates.last_updated:
                dates.effective = parsed
                dates.names[item.value] = "effective"
            else:
                dates.extra["effective"] = item.value
                dates.names[item.value] = "dates.effective"
        elif same_format and parsed == dates.last_updated:
            dates.names[item.value] = "last_updated"
    if dates.effective == dates.last_updated:
        dates.effective = None  # the default: effective on the day it was updated
