"""Postal addresses written on one line: a street (with its number and a street word) through a
postcode in the shape of its country and the city, then perhaps the country. Only those: an
address without a postcode or spread over lines stays text (a guess would cut it wrong)."""

from __future__ import annotations

import re

# Street words of the languages notices are written in (whole words; abbreviations with '.').
_STREET = (
    r"(?:St|Street|Ave|Avenue|Rd|Road|Way|Blvd|Boulevard|Lane|Ln|Drive|Dr|Place|Pl|Square|Sq"
    r"|Court|Ct|Parkway|Pkwy|Highway|Hwy|Terrace|Rue|Allée|Chemin|Quai|Cours|Impasse|Calle"
    r"|Avda|Av|Paseo|Plaza|Via|Viale|Piazza|Corso|Straße|Strasse|Str|Weg|Platz|Allee|Gasse"
    r"|Rua|Praça|Travessa|Largo|ul|ulica|Aleje|náměstí|třída|Gatan|Vägen|Gata|Straat|Laan"
    r"|Gracht|Plein|Kade)\b\.?"
)
_SP = r"[ \t\u00a0]"  # spaces within a line, never a line end
_WORD = r"[\w.'’º°ª-]+"
# A street as written in front of the rest: '2045 W Grand Ave Ste B', '15 Avenue Sainte Foy',
# 'Av. da República, 50', 'Hauptstraße 5'.
_STREET_PART = (
    rf"(?:\d{{1,5}}[A-Za-z]?(?:{_SP}+{_WORD}){{0,4}}?{_SP}+{_STREET}"
    rf"|(?<![\w-]){_STREET}(?:{_SP}+{_WORD}){{1,4}}?,?{_SP}+\d{{1,5}}[A-Za-z]?"
    rf"|[A-ZÀ-Ý][\w-]*(?:straße|strasse|gasse|weg|platz|straat|laan|gracht|gatan|vägen)"
    rf"{_SP}+\d{{1,5}}[A-Za-z]?)"
)
_CITY = r"[A-ZÀ-Ý][\w'’-]*(?:[ -][A-ZÀ-Ý][\w'’-]*){0,3}"
_POSTCODE = (
    rf"(?:[A-Z]{{2}}{_SP}+\d{{5}}(?:-\d{{4}})?"  # US: 'IL 60612' after the city
    # PT, PL, FR/DE/ES/IT, CZ/SE, NL, AT/CH/BE/DK: the postcode before the city
    rf"|(?:\d{{4}}-\d{{3}}|\d{{2}}-\d{{3}}|\d{{5}}|\d{{3}}{_SP}\d{{2}}|\d{{4}}{_SP}?[A-Z]{{2}}"
    rf"|\d{{4}}){_SP}+{_CITY}"
    rf"|[A-Z]{{1,2}}\d[A-Z\d]?{_SP}\d[A-Z]{{2}})"  # UK
)
_COUNTRY = (
    rf"(?:,?{_SP}+(?:USA|U\.S\.A|United States(?: of America)?|United Kingdom|UK"
    rf"|[A-Z][A-Za-zÀ-ÿ]+(?:{_SP}[A-Z][a-zà-ÿ]+)?))"
)
ADDRESS = re.compile(
    rf"{_STREET_PART}[^\n;:()]{{0,60}}?,{_SP}*(?:{_CITY},?{_SP}+)?{_POSTCODE}\b"
    rf"(?:{_COUNTRY}(?=[\s.,;)]|$))?"
)


_LEGAL_END = re.compile(
    r"(?:,?[ \t]*(?:Inc|LLC|Ltd|Limited|GmbH|AG|SAS|SASU|SA|S\.A|S\.L|Lda"
    r"|B\.V|N\.V|Corp|Co\. KG|KG|plc|PLC)\.?)+[ \t,]*$"
)
_OWNER = re.compile(r"((?:[A-Z0-9][\w&'’-]*[ \t]+){0,2}[A-Z0-9][\w&'’-]*)[ \t]*,?[ \t]*$")


def find_addresses(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, address, whose) of every one-line postal address in text; whose is the name
    written right before it ('Zendesk' of 'Zendesk, Inc, 1019 Market Street ...'), or ''."""
    return [
        (m.start(), m.end(), m.group(), _owner(text[: m.start()])) for m in ADDRESS.finditer(text)
    ]


def _owner(before: str) -> str:
    tail = before[-80:].rstrip(" \t,")
    if not before[-80:].rstrip(" \t").endswith(","):
        return ""  # 'contact us at 2045 W Grand Ave ...': no name in front of it
    match = _OWNER.search(_LEGAL_END.sub("", tail))
    return match.group(1) if match else ""
