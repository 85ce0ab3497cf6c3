"""Dates as notices write them in ten languages: month names from Babel, labels, numeric order."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache

from babel.dates import get_day_names, get_month_names

LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pt", "pl", "cs", "sv", "et", "ro")
# Languages that write a numeric date day first (02/03/2023 is the 2nd of March).
DAY_FIRST = frozenset(LANGUAGES) - {"en"}

# How a notice states its own date, per language: (kind, label). Longest labels first at use.
_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "updated": (
            "last updated", "last modified", "last revised", "last amended", "last changed",
            "last update", "date of last revision", "updated", "revised", "amended", "dated",
            "version date",
        ),
        "effective": (
            "effective date", "effective as of", "effective from", "effective on", "effective",
            "took effect", "takes effect", "in effect since", "in effect from", "in force from",
        ),
    },
    "fr": {
        "updated": (
            "date de la dernière mise à jour", "date de dernière mise à jour",
            "dernière mise à jour", "mise à jour", "mis à jour", "mise à jour le",
            "dernière mise à jour réalisée le", "mise à jour réalisée le",
            "dernière modification", "modifié le", "modifiée le", "version du",
            "version à la date du",
        ),
        "effective": (
            "date d'entrée en vigueur", "date d’entrée en vigueur", "entrée en vigueur",
            "en vigueur à compter du", "en vigueur depuis le", "en vigueur au", "en vigueur le",
            "en vigueur", "applicable à compter du", "applicable à partir du", "date d'effet",
            "applicable au", "applicable depuis le",
        ),
    },
    "de": {
        "updated": (
            "zuletzt aktualisiert", "letzte aktualisierung", "aktualisiert", "zuletzt geändert",
            "letzte änderung", "geändert", "stand", "version vom", "fassung vom",
        ),
        "effective": (
            "gültig ab", "gültig seit", "in kraft seit", "in kraft getreten am",
            "tritt in kraft am", "wirksam ab", "inkrafttreten",
        ),
    },
    "es": {
        "updated": (
            "fecha de la última actualización", "fecha de última actualización",
            "última actualización", "ultima actualización", "ultima actualizacion",
            "actualizado el", "actualizada el", "actualizado", "actualizada",
            "última modificación", "última revisión", "fecha de actualización",
        ),
        "effective": (
            "fecha de entrada en vigor", "entrada en vigor", "en vigor desde", "vigente desde",
            "fecha de vigencia", "fecha efectiva", "efectiva desde", "efectivo desde",
        ),
    },
    "it": {
        "updated": (
            "ultimo aggiornamento", "data di ultimo aggiornamento", "data ultimo aggiornamento",
            "aggiornato al", "aggiornata al", "aggiornato il", "aggiornata il", "ultima modifica",
            "ultima revisione", "data di aggiornamento",
        ),
        "effective": (
            "data di entrata in vigore", "entrata in vigore", "in vigore dal", "efficace dal",
            "in vigore dall'", "in vigore dall’", "effettivo dal", "effettiva dal",
            "valida dal", "valido dal", "decorrenza",
        ),
    },
    "nl": {
        "updated": (
            "laatst bijgewerkt", "bijgewerkt op", "laatste update", "laatst gewijzigd",
            "laatste wijziging", "gewijzigd op", "versie van",
        ),
        "effective": (
            "van kracht vanaf", "van kracht sinds", "van kracht per", "van kracht", "geldig vanaf",
            "geldig per", "ingangsdatum", "in werking getreden op", "in werking op",
        ),
    },
    "pt": {
        "updated": (
            "data da última atualização", "última atualização", "ultima atualização",
            "última actualização", "atualizado em", "atualizada em", "actualizado em",
            "última modificação", "última revisão", "atualizado", "atualizada",
        ),
        "effective": (
            "data de entrada em vigor", "entrada em vigor", "em vigor a partir de",
            "em vigor desde", "vigente a partir de", "vigente desde", "válida a partir de",
            "data de vigência", "data efetiva",
        ),
    },
    "pl": {
        "updated": (
            "data ostatniej aktualizacji", "ostatnia aktualizacja", "ostatnio zaktualizowano",
            "zaktualizowano", "aktualizacja", "ostatnia zmiana", "data aktualizacji",
        ),
        "effective": (
            "data wejścia w życie", "wchodzi w życie", "weszła w życie", "obowiązuje od",
            "obowiązująca od", "obowiązujący od", "w mocy od",
        ),
    },
    "cs": {
        "updated": (
            "poslední aktualizace", "naposledy aktualizováno", "aktualizováno", "poslední změna",
            "datum aktualizace", "aktualizace",
        ),
        "effective": (
            "účinná od", "účinné od", "účinný od", "platná od", "platné od", "platný od",
            "účinnost od", "nabývá účinnosti", "s účinností od",
        ),
    },
    "sv": {
        "updated": (
            "senast uppdaterad", "senast uppdaterade", "senaste uppdatering", "uppdaterad",
            "senast ändrad", "senast reviderad", "reviderad",
        ),
        "effective": (
            "gäller från", "gäller från och med", "gällande från", "giltig från",
            "träder i kraft", "i kraft från", "ikraftträdande",
        ),
    },
    "et": {
        "updated": ("viimati uuendatud", "viimati muudetud", "uuendatud", "muudetud"),
        "effective": ("kehtib alates", "kehtiv alates", "jõustub", "jõustunud"),
    },
    "ro": {
        "updated": (
            "ultima actualizare", "data ultimei actualizări", "actualizat la", "actualizată la",
        ),
        "effective": (
            "în vigoare de la", "intră în vigoare", "data intrării în vigoare", "valabil de la",
        ),
    },
}  # fmt: skip
# Little words between a label and its date: 'on', 'as of', 'le', 'am', 'el', 'dne', 'z dnia'.
CONNECTOR = (
    r"(?:(?:on|as\s+of|from|le|du|au|am|vom|el|del|al|il|dal|op|per|em|a\s+partir\s+de|desde"
    r"|de|z\s+dnia|dnia|dne|den|från)\s+)?"
)


@cache
def weekday_pattern() -> str:
    """A weekday name of the languages and what follows it ('Dienstag, ', 'martedì ')."""
    names = {
        _fold(name)
        for language in LANGUAGES
        for name in get_day_names("wide", "format", language).values()
    }
    return rf"(?:(?:{_alternatives(names)}),?\s+)?"


@dataclass(frozen=True)
class ReadDate:
    """A date read from a text, with what a reader should be told about it."""

    day: date
    month_only: bool = False  # 'Juillet 2022': the first of the month stands for it
    other: date | None = None  # the other reading of an ambiguous numeric date (02/03/2023)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().rstrip(".")


@cache
def month_table() -> dict[str, int]:
    """Every month name and abbreviation of the languages, in both grammatical contexts
    (Czech 'prosince' and 'prosinec', Polish 'grudnia' and 'grudzień'), folded -> month."""
    table: dict[str, int] = {}
    for language in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, language).items():
                    table.setdefault(_fold(name), number)
    table.setdefault("sept", 9)  # English 'Sept. 1, 2020'
    return table


@cache
def wide_months() -> frozenset[str]:
    """Full month names only: a month-only date ('Juni 2021') needs one (not 'mar 2020')."""
    names = set()
    for language in LANGUAGES:
        for context in ("format", "stand-alone"):
            names |= {_fold(n) for n in get_month_names("wide", context, language).values()}
    return frozenset(names)


def _alternatives(words) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


@cache
def month_pattern() -> str:
    """A regular expression (no groups) matching any month name of the languages."""
    return rf"(?:{_alternatives(month_table())})(?![^\W\d_])"


@cache
def label_table() -> dict[str, tuple[str, str]]:
    """Folded label -> (language, 'updated' | 'effective')."""
    table: dict[str, tuple[str, str]] = {}
    for language, kinds in _LABELS.items():
        for kind, labels in kinds.items():
            for label in labels:
                table.setdefault(" ".join(_fold(label).split()), (language, kind))
    return table


@cache
def label_pattern() -> str:
    """A regular expression (no groups) matching any label of the languages."""
    return rf"(?<![^\W\d_])(?:{_alternatives(label_table())})(?![^\W\d_])"


def label_of(text: str) -> tuple[str, str]:
    """(language, kind) of a matched label; English 'updated' when it is none of them."""
    return label_table().get(" ".join(_fold(text).split()), ("en", "updated"))


@cache
def date_pattern() -> str:
    """A regular expression (no groups) for the dates of the languages, written with a month
    name ('9 de septiembre de 2020', '18. prosince 2019', '1er juin 2021', 'Juni 2021')."""
    month = month_pattern()
    day = r"\d{1,2}(?:st|nd|rd|th|er|º|°|\.)?"
    return (
        rf"(?:{day}\s*(?:de\s+|of\s+)?{month}\.?,?\s*(?:de\s+|del\s+)?\d{{4}}"
        rf"|{month}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
        rf"|{month}\.?(?:\s+de\s+|\s*[-,]?\s*)\d{{4}})"
    )


_NAMED = re.compile(
    r"^(?:(?P<d1>\d{1,2})(?:st|nd|rd|th|er|º|°|\.)?\s*(?:de\s+|of\s+)?(?P<m1>[^\W\d_][^\s,\d]*?)"
    r"\.?,?\s*(?:de\s+|del\s+)?(?P<y1>\d{4})"
    r"|(?P<m2>[^\W\d_][^\s,\d]*?)\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4})"
    r"|(?P<m3>[^\W\d_][^\s,\d-]*?)\.?(?:\s+de\s+|\s*[-,]?\s*)(?P<y3>\d{4}))$",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})$")
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")


def read_date(text: str, language: str = "en") -> ReadDate | None:
    """The date a text states, in the language's order for numeric dates; None if none."""
    text = " ".join(text.split())
    if match := _ISO.match(text):
        return _made(int(match["y"]), int(match["m"]), int(match["d"]))
    if match := _NUMERIC.match(text):
        return _numeric(match, language)
    if match := _NAMED.match(text):
        return _named(match)
    return None


def _made(year: int, month: int, day: int, **extra) -> ReadDate | None:
    try:
        return ReadDate(date(year, month, day), **extra)
    except ValueError:
        return None


def _numeric(match: re.Match[str], language: str) -> ReadDate | None:
    first, second, year = int(match["a"]), int(match["b"]), int(match["y"])
    day_first = language in DAY_FIRST or match["sep"] == "."
    day, month = (first, second) if day_first else (second, first)
    read = _made(year, month, day)
    if read is None:
        return _made(year, day, month)  # 15/03/2023 in English: only one reading exists
    if not day_first and first != second and second <= 12:
        return ReadDate(read.day, other=date(year, second, first))  # the day-first reading
    return read


def _named(match: re.Match[str]) -> ReadDate | None:
    name = _fold(match["m1"] or match["m2"] or match["m3"])
    month = month_table().get(name)
    if month is None:
        return None
    if match["m3"]:
        if name not in wide_months():
            return None
        return _made(int(match["y3"]), month, 1, month_only=True)
    day = int(match["d1"] or match["d2"])
    return _made(int(match["y1"] or match["y2"]), month, day)
