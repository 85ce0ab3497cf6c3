"""Words and dates in the notice's languages: the date line, the PDF footer, the site's banner."""

from __future__ import annotations

from datetime import date

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

# The few fixed phrases a rendering prints, per language; a language not here prints English.
PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "last_updated": "Last updated: {date}",
        "page": "Page {page} of {pages}",
        "follows": (
            "This translation follows the version of {date} of the {source} text; "
            "the {source} text controls."
        ),
        "untranslated": "Some sections are not translated yet and are shown in {source}.",
        "stale": "Some sections follow an earlier {source} text: {sections}.",
        "read_in": "Read this notice in",
        "released_alone": "This translation was released on its own on {date}.",
    },
    "fr": {
        "last_updated": "Dernière mise à jour : {date}",
        "page": "Page {page} sur {pages}",
        "follows": (
            "Cette traduction suit la version du {date} du texte en {source} ; "
            "le texte en {source} fait foi."
        ),
        "untranslated": "Certaines sections ne sont pas encore traduites et sont en {source}.",
        "stale": "Certaines sections suivent un texte en {source} antérieur : {sections}.",
        "read_in": "Lire cet avis en",
        "released_alone": "Cette traduction a été publiée à part le {date}.",
    },
    "de": {"last_updated": "Zuletzt aktualisiert: {date}", "page": "Seite {page} von {pages}"},
    "es": {"last_updated": "Última actualización: {date}", "page": "Página {page} de {pages}"},
    "el": {"last_updated": "Τελευταία ενημέρωση: {date}", "page": "Σελίδα {page} από {pages}"},
    "ru": {
        "last_updated": "Последнее обновление: {date}",
        "page": "Страница {page} из {pages}",
    },
}


def locale_of(lang: str) -> Locale:
    """Babel's locale for a language code of notice.yml ('fr', 'pt-BR'); English if unknown."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def phrase(lang: str, key: str, **values: str) -> str:
    """One fixed phrase in lang (falling back to English), with its values filled in."""
    table = PHRASES.get(lang.split("-")[0], {})
    return table.get(key, PHRASES["en"][key]).format(**values)


def long_date(day: date, lang: str) -> str:
    """A date as people write it in lang, e.g. '11 novembre 2022' (Babel's long format)."""
    return format_date(day, format="long", locale=locale_of(lang))


def language_name(lang: str, in_lang: str | None = None) -> str:
    """The language's own name ('français'), or its name in in_lang ('anglais')."""
    locale = locale_of(lang)
    name = locale.get_display_name(locale_of(in_lang) if in_lang else locale) or lang
    return name


def date_line(day: date, lang: str) -> str:
    """'Dernière mise à jour : 11 novembre 2022'."""
    return phrase(lang, "last_updated", date=long_date(day, lang))
