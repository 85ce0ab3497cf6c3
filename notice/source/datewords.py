"""What is wrong with a YYYY-MM-DD date, in words: 'month 13', 'February 2026 has 28 days'."""

from __future__ import annotations

import calendar
import re

_SHAPE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def date_mistake(value: object) -> str | None:
    """The part of a YYYY-MM-DD date that is out of range, or None (not that shape, or valid)."""
    match = _SHAPE.match(value) if isinstance(value, str) else None
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return f"month {month} does not exist (months are 01 to 12)"
    days = calendar.monthrange(year, month)[1] if year else 31
    if not 1 <= day <= days:
        return f"day {day} does not exist: {calendar.month_name[month]} {year} has {days} days"
    return None
