"""notice import finds structure in plain text: a capitals heading wrapped onto two lines is one
heading, and a notice without any heading becomes one section (never refused)."""

from __future__ import annotations

from pathlib import Path

from notice.importer.pipeline import import_notice
from notice.render.rendering import render
from notice.source.load import load_notice


def test_a_notice_without_headings_is_one_section(tmp_path: Path):
    source = tmp_path / "short.txt"
    source.write_text(
        "We keep your e-mail address to answer you.\nWe delete it after a year.\n"
        "Last updated: May 1, 2024\n",
        encoding="utf-8",
    )
    report = import_notice(source, tmp_path / "out")
    assert [s.id for s in report.structure.sections] == ["notice"]
    assert report.identical
    assert any("the notice is one section" in w.message for w in report.warnings)
    text = render(load_notice(tmp_path / "out")).text
    assert "We delete it after a year." in text


def test_a_capitals_heading_wrapped_onto_two_lines_is_one_heading(tmp_path: Path):
    source = tmp_path / "policy.txt"
    source.write_text(
        "PRIVACY POLICY\n\nLast updated: May 1, 2024\n\n"
        "1. HOW WE USE YOUR\nPERSONAL INFORMATION\n\nWe use it to serve you.\n\n"
        "2. YOUR RIGHTS\n\nYou may ask.\n",
        encoding="utf-8",
    )
    report = import_notice(source, tmp_path / "out")
    titles = [s.title for s in report.structure.sections]
    # the title line is notice.yml's title, not a section too
    assert titles == ["HOW WE USE YOUR PERSONAL INFORMATION", "YOUR RIGHTS"]
    assert report.metadata.title == "Privacy Policy"
    assert report.identical
