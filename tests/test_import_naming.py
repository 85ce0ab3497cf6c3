"""notice import takes the title and the company from the document, never silently from the
file's name: its heading, <title>, the statement naming the controller, a copyright line."""

from __future__ import annotations

from pathlib import Path

import pytest

from notice.importer.pipeline import import_notice

DATED = "Last updated: 2024-01-02"
COMPANIES = {
    "de": (
        "Verantwortlicher im Sinne der DSGVO ist die Muster Handel GmbH, Berlin.",
        "Muster Handel GmbH",
    ),
    "fr": (
        "Le responsable du traitement est la société Exemple Voyages, à Paris.",
        "Exemple Voyages",
    ),
    "es": (
        "El responsable del tratamiento es Ejemplo Viajes S.L., con domicilio en Madrid.",
        "Ejemplo Viajes S.L.",
    ),
    "it": ("Il titolare del trattamento è Esempio S.r.l., con sede a Roma.", "Esempio S.r.l."),
    "nl": ("De verwerkingsverantwoordelijke is Voorbeeld B.V. in Utrecht.", "Voorbeeld B.V."),
    "pt": ("O responsável pelo tratamento é a Exemplo Lda., em Lisboa.", "Exemplo Lda."),
    "pl": (
        "Administratorem danych osobowych jest Przykład sp. z o.o. z siedzibą w Krakowie.",
        "Przykład sp. z o.o.",
    ),
    "cs": ("Správcem osobních údajů je společnost Příklad s.r.o., Praha.", "Příklad s.r.o."),
    "sv": ("Personuppgiftsansvarig är Exempel AB, Stockholm.", "Exempel AB"),
    "en": (
        "The controller of your personal data is Example Widgets, of London.",
        "Example Widgets",
    ),
    "copyright": ("We care.\n\n© 2021 Acme Rockets. All rights reserved.", "Acme Rockets"),
}


def imported(tmp_path: Path, text: str, name: str = "zoosk-privacy-policy.snapshot.md"):
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    return import_notice(source, tmp_path / "project")


@pytest.mark.parametrize("case", sorted(COMPANIES))
def test_the_company_named_as_controller_in_each_language(tmp_path, case):
    sentence, company = COMPANIES[case]
    report = imported(tmp_path, f"# Notice\n\n{DATED}\n\n## Who\n\n{sentence}\n")
    assert (report.metadata.company, report.company_where) == (company, report.company_where)
    assert report.company_where and "--company" not in report.company_where
    assert not [w for w in report.warnings if "no company found" in w.message]


def test_a_title_with_its_complement_is_kept(tmp_path):
    report = imported(
        tmp_path, f"{DATED}\n\nThis Privacy Policy for Peri explains it.\n\n## Who\n\nUs.\n"
    )
    assert report.metadata.title == "Privacy Policy for Peri"


def test_no_title_and_no_company_are_said_never_the_file_name(tmp_path):
    report = imported(tmp_path, f"{DATED}\n\n## Who\n\nWe keep little.\n")
    assert "zoosk" not in report.metadata.title.casefold()
    messages = [w.message for w in report.warnings]
    assert any("no title found" in m and "--title" in m for m in messages), messages
    assert any("no company found" in m and "--company" in m for m in messages), messages
    assert report.title_where == "" and report.company_where == ""


def test_given_title_and_company_say_so(tmp_path):
    source = tmp_path / "n.md"
    source.write_text(f"{DATED}\n\n## Who\n\nWe keep little.\n", encoding="utf-8")
    report = import_notice(source, tmp_path / "p", title="Privacy Notice", company="Acme")
    assert (report.title_where, report.company_where) == ("--title", "--company")
    assert not [w for w in report.warnings if "found" in w.message]
