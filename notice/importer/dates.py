"""The notice's dates: the closing 'Last updated' line, an 'Effective date', the date format."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from notice.render.rendering import format_date

from .document import Block, Document, block_texts
from .values import DATE, find_values, parse_date

_CLOSING_LINE = re.compile(
    r"^[\W_]*(?P<label>last\s+(?:updated|modified|revised|amended)|updated|revised)"
    rf"\b[\s:*_]*(?:on\s+)?(?P<date>{DATE})[\W_]*$",
    re.IGNORECASE,
)


@dataclass
class Dates:
    """notice.yml's last_updated, effective and date_format, and which date texts to replace."""

    last_updated: date
    date_format: str
    effective: date | None = None  # written to notice.yml only when it differs from last_updated
    names: dict[str, str] = field(default_factory=dict)  # date as written -> variable name
    extra: dict[str, str] = field(default_factory=dict)  # dates.* variables: name -> text
    notes: list[tuple[int, str]] = field(default_factory=list)
    closing_line: int = 0  # input line of the 'Last updated' line the toolkit now generates


def take_dates(document: Document, today: date) -> Dates:
    """Find the dates; remove the closing 'Last updated' line (the toolkit writes it itself)."""
    labelled = [
        (line, item)
        for line, text in _texts(document)
        for item in find_values(text)
        if item.kind in ("updated", "effective")
    ]
    closing, parsed = _closing_block(document)
    if closing is not None and parsed is not None:
        dates = Dates(*parsed, closing_line=closing.line)
        document.items.remove(closing)
        expected = f"Last updated: {format_date(dates.last_updated, dates.date_format)}"
        if closing.reference.strip() != expected:
            dates.notes.append(
                (closing.line, f"{closing.reference.strip()!r} is printed as {expected!r}")
            )
    else:
        dates = _dates_without_closing_line(labelled, today)
    _name_dates(dates, labelled)
    return dates


def _texts(document: Document):
    for item in document.items:
        if isinstance(item, Block):
            for text in block_texts(item):
                yield item.line, text


def _closing_block(document: Document) -> tuple[Block | None, tuple[date, str] | None]:
    """The last block when it is a 'Last updated: DATE' line, with its date and format."""
    last = document.items[-1] if document.items else None
    if not isinstance(last, Block):
        return None, None
    match = _CLOSING_LINE.match(last.reference.strip())
    return (last, parse_date(match.group("date"))) if match else (None, None)


def _dates_without_closing_line(labelled: list, today: date) -> Dates:
    for kind in ("updated", "effective"):
        for line, item in labelled:
            if item.kind == kind:
                dates = Dates(*parse_date(item.value))  # type: ignore[misc]
                dates.notes.append(
                    (
                        line,
                        "the notice has no closing 'Last updated: …' line; the toolkit adds one, "
                        "so the rendering ends with a line the input does not have",
                    )
                )
                return dates
    dates = Dates(today, "%B %-d, %Y")
    dates.notes.append(
        (1, f"no 'Last updated' date found: last_updated is set to today ({today.isoformat()})")
    )
    return dates


def _name_dates(dates: Dates, labelled: list) -> None:
    """Labelled dates become {{ last_updated }} / {{ effective }}, or dates.* when they cannot."""
    for _, item in labelled:
        if item.value in dates.names:
            continue
        parsed, pattern = parse_date(item.value)  # type: ignore[misc]
        same_format = pattern == dates.date_format
        if item.kind == "effective" and dates.effective is None and "effective" not in dates.names:
            if same_format and parsed >= dates.last_updated:
                dates.effective = parsed
                dates.names[item.value] = "effective"
            else:
                dates.extra["effective"] = item.value
                dates.names[item.value] = "dates.effective"
        elif same_format and parsed == dates.last_updated:
            dates.names[item.value] = "last_updated"
        elif same_format and parsed == dates.effective:
            dates.names[item.value] = "effective"
    if dates.effective == dates.last_updated:
        dates.effective = None  # the default: effective on the day it was updated
