"""notice import reads a notice's own date in the languages notices are written in: labels
and month names (Babel's), numeric order per language, month-only and ambiguous dates said."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from notice.importer.locale_dates import LANGUAGES, read_date
from notice.importer.pipeline import import_notice

HEAD = "# {title}\n\n{line}\n\n## {heading}\n\n{body}\n"
CASES = {
    "de": ("Datenschutzerklärung", "Stand: 28. April 2021", date(2021, 4, 28)),
    "de-zuletzt": ("Datenschutz", "Zuletzt aktualisiert am 3. März 2020", date(2020, 3, 3)),
    "fr": (
        "Politique de confidentialité",
        "Date de la dernière mise à jour : 05/03/2023",
        date(2023, 3, 5),  # day first in French
    ),
    "fr-split": ("Politique", "Dernière mise à jour : 25 mars 202**6**", date(2026, 3, 25)),
    "es": (
        "Política de privacidad",
        "Última actualización: 9 de septiembre de 2020",
        date(2020, 9, 9),
    ),
    "it": ("Informativa", "Ultimo aggiornamento: 1 gennaio 2023", date(2023, 1, 1)),
    "nl": ("Privacyverklaring", "Laatst bijgewerkt op 3 maart 2022", date(2022, 3, 3)),
    "pt": ("Política de Privacidade", "Última atualização: 12 de março de 2024", date(2024, 3, 12)),
    "pl": ("Polityka prywatności", "Ostatnia aktualizacja: 15 stycznia 2024", date(2024, 1, 15)),
    "cs": ("Zásady", "Tato politika je účinná od 18. prosince 2019.", date(2019, 12, 18)),
    "sv": ("Integritetspolicy", "Senast uppdaterad: 2 februari 2023", date(2023, 2, 2)),
    "en-heading": ("Privacy Policy", "#### Last Updated: February 25, 2022", date(2022, 2, 25)),
    "iso": (
        "Privacy Policy",
        "This privacy policy is effective as of 2025-06-12.",
        date(2025, 6, 12),
    ),
}


def imported(tmp_path: Path, text: str, name: str = "notice.md"):
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    return import_notice(source, tmp_path / "project")


def warnings(report) -> list[str]:
    """The import's warnings about its date (not the site's or the company's)."""
    return [
        w.message
        for w in report.warnings
        if "site_url" not in w.message and "no company found" not in w.message
    ]


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_stated_date_in_each_language(tmp_path, case):
    title, line, day = CASES[case]
    report = imported(tmp_path, HEAD.format(title=title, line=line, heading="A", body="Text."))
    assert report.dates.last_updated == day
    assert report.identical, "the date stays as the notice printed it"
    assert warnings(report) == []


def test_a_date_in_the_last_paragraph_of_the_last_section(tmp_path):
    text = (
        "# Privacy Policy\n\n## Who\n\nWe are Acme.\n\n## Changes\n\n"
        + "".join(f"Paragraph {n} about changes.\n\n" for n in range(5))
        + "This Policy was last revised on May 15, 2018.\n"
    )
    assert imported(tmp_path, text).dates.last_updated == date(2018, 5, 15)


def test_effective_and_last_updated_go_to_their_own_fields(tmp_path):
    line = "Last updated: 1 March 2023. Effective: 1 April 2023."
    report = imported(
        tmp_path, HEAD.format(title="Privacy Policy", line=line, heading="A", body="x")
    )
    assert (report.dates.last_updated, report.dates.effective) == (
        date(2023, 3, 1),
        date(2023, 4, 1),
    )
    yml = (tmp_path / "project" / "notice.yml").read_text()
    assert "last_updated: '2023-03-01'" in yml and "effective: '2023-04-01'" in yml


def test_a_month_only_date_is_the_first_of_the_month_with_a_warning(tmp_path):
    report = imported(
        tmp_path, HEAD.format(title="Datenschutz", line="Stand: Juni 2021", heading="A", body="x")
    )
    assert report.dates.last_updated == date(2021, 6, 1)
    (message,) = warnings(report)
    assert "'Juni 2021' names a month, not a day" in message and "--last-updated" in message


def test_an_ambiguous_numeric_date_in_english_names_both_readings(tmp_path):
    line = "Last updated: 02/03/2023"
    report = imported(
        tmp_path, HEAD.format(title="Privacy Policy", line=line, heading="A", body="x")
    )
    assert report.dates.last_updated == date(2023, 2, 3)
    (message,) = warnings(report)
    assert "February 3, 2023" in message and "March 2, 2023" in message
    assert "--last-updated 2023-03-02" in message


def test_month_names_come_from_babel_in_both_contexts():
    assert {"en", "fr", "de", "es", "it", "nl", "pt", "pl", "cs", "sv"} <= set(LANGUAGES)
    assert read_date("18. prosince 2019").day == date(2019, 12, 18)  # Czech genitive
    assert read_date("prosinec 2019").month_only  # Czech nominative, month only
    assert read_date("grudzień 2019").day == date(2019, 12, 1)  # Polish stand-alone
    assert read_date("1er juin 2021").day == date(2021, 6, 1)
    assert read_date("Juillet 2022").month_only
    assert read_date("APRIL-2024").day == date(2024, 4, 1)
    assert read_date("mar 2020") is None  # an abbreviation alone is not a month-only date
    assert read_date("02/03/2023", "de").day == date(2023, 3, 2)
    assert read_date("15/03/2023").day == date(2023, 3, 15)  # one reading only
