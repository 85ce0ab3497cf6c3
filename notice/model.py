"""The notice's model types: frozen dataclasses that flow from one stage to the next."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from notice.layout import DOCUMENTS_DIR, ROOT_DOCUMENT, ROOT_PATHS, DocumentPaths
from notice.numbering import DEFAULT_HEADING_FORMAT, format_heading


@dataclass(frozen=True)
class Mention:
    """An id written in the source (a regime, a requirement), with its line for messages."""

    id: str
    line: int | None


@dataclass(frozen=True)
class Section:
    """One section of the notice, as found in sections/ and placed by the tree in notice.yml."""

    id: str
    title: str
    level: int  # 1 for top-level sections
    number: str  # "I", "A", "1"; "" when unnumbered
    path: str  # relative to the notice root, e.g. "sections/cpni-rights.md"
    body: str  # the Jinja2 template source of the body, front matter replaced by blank lines
    show_heading: bool = True
    parent: str | None = None
    heading_format: str = DEFAULT_HEADING_FORMAT  # notice.yml heading_format for this level
    covers: tuple[Mention, ...] = ()  # front matter covers: the requirement ids it addresses
    lang: str = ""  # set when the section's language differs from the notice's (untranslated)

    @property
    def heading(self) -> str:
        """The heading as printed: generated number, then title ('I. Title', '2.1 Title')."""
        return format_heading(self.heading_format, self.number, self.title)


@dataclass(frozen=True)
class MacroFile:
    """A file of Jinja2 macros under macros/."""

    name: str  # file name inside macros/, e.g. "contact.j2" (also for "contact.fr.j2")
    path: str
    source: str
    lang: str = ""  # "fr" for macros/contact.fr.j2: contact.j2's body in French renderings


@dataclass(frozen=True)
class Notice:
    """The notice as loaded: metadata, variables, ordered sections and macro files."""

    root: Path
    title: str
    company: str
    last_updated: date
    effective: date
    summary: str
    page_size: str
    variables: Mapping[str, Any]
    sections: tuple[Section, ...]
    macros: tuple[MacroFile, ...]
    date_format: str = "%B %-d, %Y"
    date_line: str = "Last updated: {date}"  # the notice's own wording of its date
    date_line_position: str = "end"  # "top" (under the title), "end" or "none"
    metadata_lines: Mapping[str, int] = field(default_factory=dict)
    regimes: tuple[Mention, ...] = ()  # notice.yml regimes: the laws the notice claims to meet
    coverage_page: bool = False  # notice.yml coverage_page: publish "Where to find what ..."
    languages: tuple[str, ...] = ("en",)  # notice.yml languages: the first is the source
    require_complete: tuple[str, ...] = ()  # languages a release needs complete and current
    lang: str = ""  # the language of this rendering: "" for the source, else a translation's
    source_title: str = ""  # a translation's: the source's title, which names its PDF
    document: str = ROOT_DOCUMENT  # which document of the project ("root": the root notice.yml)

    material: bool = False  # notice.yml material: this version is a material change
    notice_period: int = 0  # notice.yml notice_period: least days from last_updated to effective

    @property
    def paths(self) -> DocumentPaths:
        """Where this document's files are in the project: every problem names them."""
        if self.document == ROOT_DOCUMENT:
            return ROOT_PATHS
        return DocumentPaths(f"{DOCUMENTS_DIR}/{self.document}")

    @property
    def source_language(self) -> str:
        """The language whose text controls: the first of notice.yml's languages."""
        return self.languages[0]

    @property
    def language(self) -> str:
        """The language this notice is written in: a translation's, or the source's."""
        return self.lang or self.source_language

    def section(self, section_id: str) -> Section:
        """The section with this id."""
        return next(s for s in self.sections if s.id == section_id)

    @property
    def pdf_name(self) -> str:
        """The one name of this version's PDF, in the site and in the archive:
        'mettel-privacy-notice-2022-11-11.pdf' (the title as a slug of 60 characters at most)."""
        named = self.source_title or self.title  # every language's PDF named alike
        slug = re.sub(r"[^a-z0-9]+", "-", named.lower()).strip("-")[:60].rstrip("-")
        suffix = f".{self.lang}" if self.lang else ""  # a translation: '...-2022-11-11.fr.pdf'
        return f"{slug or 'notice'}-{self.last_updated.isoformat()}{suffix}.pdf"


@dataclass(frozen=True)
class Link:
    """A link as the reader sees it: its words and where it leads (part of the canonical text)."""

    text: str
    destination: str

    def __str__(self) -> str:
        return f"{self.text} <{self.destination}>"


@dataclass(frozen=True)
class RenderedSection:
    """One section after Jinja2 and markdown-it-py: the same content in three forms."""

    id: str
    title: str
    number: str
    level: int
    heading: str
    show_heading: bool
    markdown: str  # the body after Jinja2, before markdown-it-py
    html: str  # the body's HTML (no heading)
    text: str  # the body's plain text (no heading)
    path: str = ""  # the section's source file
    first_line: int = 1  # line of the source file where markdown's first line came from
    lang: str = ""  # set when the section's language differs from the notice's (untranslated)
    canonical: str = ""  # the body's canonical text (notice.render.canonical): what "same" means
    links: tuple[Link, ...] = ()  # the body's links, in order


@dataclass(frozen=True)
class RenderedNotice:
    """The whole notice rendered once; every output (site, PDF, diff, check) reads from this."""

    notice: Notice
    sections: tuple[RenderedSection, ...]
    markdown: str
    html: str
    text: str
    fingerprint: str  # sha256 of the text
    variable_uses: Mapping[str, int]  # dotted variable name -> times used in the rendering

    def section(self, section_id: str) -> RenderedSection:
        """The rendered section with this id."""
        return next(s for s in self.sections if s.id == section_id)
