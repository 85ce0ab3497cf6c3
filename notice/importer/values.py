"""Contact points, links and dates found in a notice's text, and the variables that hold them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from notice.render.rendering import format_date

from .addresses import find_addresses
from .locale_dates import (
    CONNECTOR,
    date_pattern,
    label_of,
    label_pattern,
    read_date,
    weekday_pattern,
)

EMAIL = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"
)
OBFUSCATED_EMAIL = re.compile(  # 'privacy[at]example.org', 'privacy (at) example.org'
    r"(?<![\w.+%-])[A-Za-z0-9._%+-]+ ?[\[(]at[\])] ?[A-Za-z0-9-]+(?:(?:\.| ?[\[(]dot[\])] ?)"
    r"[A-Za-z0-9-]+)*(?:\.| ?[\[(]dot[\])] ?)[A-Za-z]{2,}(?![\w-])",
    re.IGNORECASE,
)
VANITY_PHONE = re.compile(  # '1-800-FLOWERS', '(888) 555-HELP': toll-free numbers spelt in letters
    r"(?<![\w/+.-])(?:\+?1[ .-])?(?:\(8\d\d\) ?|8\d\d[ .-])"
    r"(?=[A-Z\d-]*[A-Z])(?:[A-Z\d]{3}[ .-][A-Z\d]{4}|[A-Z]{4,8})(?![\w-])"
)
PHONE = re.compile(
    r"(?<![\w/+.-])(?:"
    r"\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]\d{2,8}){1,4}"  # +44 20 7946 0958
    r"|(?:1[ .-])?\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}"  # (800) 876-9823
    r"|(?:1[ .-])?\d{3}[.-]\d{3}[.-]\d{4}"  # 1-800-876-9823
    r")(?![\w-]|\.\d)"
)
URL = re.compile(r"(?:https?://|(?<![\w.@/-])www\.)[^\s<>\"'“”‘’\[\]{}|\\^`]+")
_URL_TRAILING = ".,;:!?*_~'\""
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
DATE = (
    rf"(?:{_MONTH}\.? {_DAY},? \d{{4}}|{_DAY} {_MONTH}\.?,? \d{{4}}|\d{{4}} {_MONTH}\.? \d{{1,2}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{4}}|\d{{1,2}}\.\s?\d{{1,2}}\.\s?\d{{4}}"
    rf"|\d{{1,2}}-\d{{1,2}}-\d{{4}}|{_DAY} of {_MONTH},? \d{{4}}|{_MONTH}[ -]\d{{4}}"
    rf"|{date_pattern()})"
)
# How a notice states its own date, in ten languages: 'Last updated', 'Stand', 'účinná od'.
LABEL = label_pattern()
LABELLED_DATE = re.compile(
    rf"(?P<label>{LABEL})[\s:*_,(]*{CONNECTOR}{weekday_pattern()}(?P<date>{DATE})(?!\d)",
    re.IGNORECASE,
)
AS_WRITTEN = ""  # the pattern of a date format_date cannot print ('28. April 2021'): kept as text
_BASE_FORMATS = (
    "%B %-d, %Y",
    "%B %d, %Y",
    "%b %-d, %Y",
    "%b. %-d, %Y",
    "%-d %B %Y",
    "%d %B %Y",
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%-m/%-d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%-d.%-m.%Y",
    "%-d/%-m/%Y",
    "%d-%m-%Y",
    "%B %-d %Y",
    "%B %o %Y",
    "%B %o, %Y",
    "%o %B %Y",
    "%o of %B, %Y",
    "%o of %B %Y",
    "%Y %b %-d",
    "%Y %B %-d",
    "%B %Y",
    "%B-%Y",
    "%b %Y",
)
# Each also with upper-case month names ('APRIL-2024'), printed by format_date's %^B.
DATE_FORMATS = _BASE_FORMATS + tuple(
    p.replace("%B", "%^B").replace("%b", "%^b") for p in _BASE_FORMATS if "%B" in p or "%b" in p
)
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 7, 15
URL_NAME_LIMIT = 28
_OWN_CONTACT = frozenset(("privacy", "dataprotection", "data-protection", "datenschutz", "gdpr"))


@dataclass(frozen=True)
class Found:
    """A value found in a text: [start, end) and what it is."""

    start: int
    end: int
    kind: str  # "email" | "phone" | "tel" (a tel: link) | "url" | "updated" | "effective"
    value: str
    language: str = "en"  # of a date's label: the order its numeric date is read in
    owner: str = ""  # of a postal address: the name written before it ('Zendesk')


def parse_date(text: str, language: str = "en") -> tuple[date, str] | None:
    """The date and the strftime pattern that writes it back exactly (AS_WRITTEN when none
    can: '9 de septiembre de 2020'), or None. Numeric dates are read in the language's order."""
    read = read_date(text, language)
    plain = _ORDINAL.sub("", text)
    for pattern in DATE_FORMATS:
        reading = pattern.replace("%-", "%").replace("%^", "%").replace("%o", "%d")
        try:
            parsed = datetime.strptime(plain, reading).date()
        except ValueError:
            continue
        if format_date(parsed, pattern) == text and (read is None or read.day == parsed):
            return parsed, pattern
    return (read.day, AS_WRITTEN) if read else None


def date_kind(label: str) -> tuple[str, str]:
    """(language, 'updated' | 'effective') of a date statement's label."""
    return label_of(label)


def find_values(text: str) -> list[Found]:
    """Every email, phone number, URL, postal address and labelled date in text, without
    overlaps, in order."""
    found = [Found(m.start(), m.end(), "email", m.group()) for m in EMAIL.finditer(text)]
    found += [
        Found(m.start(), m.end(), "email", m.group()) for m in OBFUSCATED_EMAIL.finditer(text)
    ]
    found += [Found(m.start(), m.end(), "phone", m.group()) for m in VANITY_PHONE.finditer(text)]
    found += [_url(m.start(), m.group()) for m in URL.finditer(text)]
    found += [
        Found(m.start(), m.end(), "phone", m.group())
        for m in PHONE.finditer(text)
        if MIN_PHONE_DIGITS <= sum(c.isdigit() for c in m.group()) <= MAX_PHONE_DIGITS
    ]
    found += [
        Found(start, end, "address", value, owner=owner)
        for start, end, value, owner in find_addresses(text)
    ]
    for match in LABELLED_DATE.finditer(text):
        language, kind = date_kind(match.group("label"))
        if parse_date(match.group("date"), language):
            value = match.group("date")
            found.append(Found(match.start("date"), match.end("date"), kind, value, language))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Found] = []
    for item in found:
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept


def _url(start: int, text: str) -> Found:
    """A URL without the punctuation that ends the sentence around it."""
    while text and (
        text[-1] in _URL_TRAILING or (text[-1] == ")" and text.count("(") < text.count(")"))
    ):
        text = text[:-1]
    return Found(start, start + len(text), "url", text)


def tel_value(href: str) -> Found | None:
    """The number of a tel: link (it need not look like a written phone number)."""
    if href.lower().startswith("tel:") and len(href) > 4:
        return Found(4, len(href), "tel", href[4:])
    return None


@dataclass
class Variable:
    """A variable of notice.yml: its dotted name, value and what it holds."""

    name: str
    value: str
    kind: str


class Catalog:
    """The variables of the imported notice, named from the values found, in order of appearance."""

    def __init__(
        self,
        found: Iterable[Found],
        date_names: dict[str, str],
        repeated_urls: set[str] | None = None,
    ):
        """repeated_urls: the links used in more than one place; a link used once stays in the
        text as written (None: every link is a variable)."""
        self._names: dict[tuple[str, str], str] = {}
        self.variables: list[Variable] = []
        self._date_names = date_names  # date text -> variable name, decided by the dates stage
        self._owners: dict[str, str] = {}  # postal address -> the name written before it
        values: dict[str, list[str]] = {
            "email": [],
            "phone": [],
            "url": [],
            "tel": [],
            "address": [],
        }
        for item in found:
            once = item.kind == "url" and repeated_urls is not None
            if once and item.value not in repeated_urls:  # type: ignore[operator]
                continue
            if item.kind in values and item.value not in values[item.kind]:
                values[item.kind].append(item.value)
                self._owners[item.value] = item.owner
        taken: dict[str, set[str]] = {"contact": set(), "urls": set()}
        for kind, name in (
            ("email", _email_name),
            ("phone", _phone_name),
            ("address", _address_name),
            ("url", _url_name),
        ):
            for index, value in enumerate(values[kind]):
                named = name(self._owners.get(value, "") or value, index, len(values[kind]))
                key = _unique(named, taken[_GROUPS[kind]])
                self._add(f"{_GROUPS[kind]}.{key}", value, kind)
        for value in values["tel"]:
            key = _unique(f"{self._phone_dialled(value)}_tel", taken["contact"])
            self._add(f"contact.{key}", value, "tel")

    def _add(self, name: str, value: str, kind: str) -> None:
        self._names[(kind, value)] = name
        self.variables.append(Variable(name, value, kind))

    def _phone_dialled(self, tel: str) -> str:
        """The name of the written phone number a tel: link dials (same digits), else 'phone'."""
        digits = re.sub(r"\D", "", tel)
        for variable in self.variables:
            written = re.sub(r"\D", "", variable.value)
            if variable.kind == "phone" and written and digits.endswith(written):
                return variable.name.split(".", 1)[1]
        return "phone"

    def add_date(self, name: str, value: str) -> None:
        """A date kept as a variable of its own (dates.*), written as found."""
        self._add(name, value, "date")

    def name_of(self, item: Found) -> str | None:
        """The variable that replaces this value, or None to keep the text as it is."""
        if item.kind in ("updated", "effective"):
            return self._date_names.get(item.value)
        return self._names.get((item.kind, item.value))

    def tree(self) -> dict[str, dict[str, str]]:
        """The variables as the nested mapping of notice.yml."""
        tree: dict[str, dict[str, str]] = {}
        for variable in self.variables:
            group, key = variable.name.split(".", 1)
            tree.setdefault(group, {})[key] = variable.value
        return tree


_GROUPS = {
    "email": "contact",
    "phone": "contact",
    "address": "contact",
    "tel": "contact",
    "url": "urls",
    "date": "dates",
}


def identifier(text: str, limit: int = 40) -> str:
    """A variable-name-safe version of text: lowercase words joined by underscores."""
    name = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:limit].strip("_")
    return f"v_{name}" if name[:1].isdigit() else name


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}_{number}", number + 1
    taken.add(candidate)
    return candidate


def _email_name(value: str, index: int, count: int) -> str:
    """contact.email for the notice's own contact point (the only one, or the privacy@ one),
    contact.dpo_email, contact.sales_email for the others."""
    local = re.split(r"@| ?[\[(]at[\])] ?", value, maxsplit=1, flags=re.IGNORECASE)[0]
    if count == 1 or local.lower() in _OWN_CONTACT:
        return "email"
    return f"{identifier(local) or 'other'}_email"


def _phone_name(value: str, index: int, count: int) -> str:
    return "phone" if index == 0 else f"phone_{index + 1}"


def _address_name(owner: str, index: int, count: int) -> str:
    """contact.address for a notice's only address; with several, each named after whose it is
    (contact.zendesk_address), else by its place."""
    if count == 1:
        return "address"
    whose = identifier(owner, 30) if not any(c.isdigit() for c in owner[:1]) else ""
    return f"{whose}_address" if whose else ("address" if index == 0 else f"address_{index + 1}")


def _url_name(value: str, index: int, count: int) -> str:
    parts = urlsplit(value if "://" in value else f"https://{value}")
    host = parts.hostname or ""
    labels = [label for label in host.split(".") if label and label != "www"][:-1]
    while len(labels) > 1 and len(labels[-1]) <= 3:
        labels.pop()  # co.uk, gc.ca, com.au: the name is before the country's own suffix
    site = labels[-1] if labels else "link"
    segments = [s for s in parts.path.split("/") if s and not s.isdigit()]
    detail = parts.fragment or (segments[-1].rsplit(".", 1)[0] if segments else "")
    words = re.sub(r"[^a-z0-9]+", " ", detail.lower()).split()[:3]  # a name, not the address
    return identifier(" ".join([site, *words]), URL_NAME_LIMIT) or "link"
