"""The notice's title and company as the document states them, each with where it was found."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Document, Heading
from .markers import NOTICE_TITLE_WORDS as _TITLE_WORDS
from .structure import Structure

NO_TITLE = "Privacy Notice"
_COMPANY_WINDOW = 6000  # how a notice names its controller is said in its first paragraphs
_UPPER = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper())
_CAP = rf"[{_UPPER}0-9]"
# Words a name may hold after its first: capitalised ones, legal forms, and the small words
# of company names in the ten languages ('Institut de la ...', 'Verein für ...').
_NAME_WORD = (
    rf"(?:{_CAP}[\w&'’.-]*|&|and|of|for|de|du|des|la|le|et|y|e|i|für|und|der|van|von|z"
    r"|sp\.|o\.o\.|s\.r\.o\.|a\.s\.|e\.V\.)(?![\w])"
)
_SMALL_END = re.compile(
    r"(?:[ \t]+(?:and|of|for|de|du|des|la|le|et|y|e|i|für|und|der|van|von|z))+$"
)
_LEGAL_FORMS = (
    r"Inc\.|LLC|L\.L\.C\.|Ltd\.?|Limited|LLP|PLC|plc|Corp\.|Corporation|N\.A\.|GmbH|gGmbH|AG|SE"
    r"|e\.V\.|SASU|SAS|SARL|S\.A\.S\.|S\.A\.|SA|S\.L\.|S\.L\.U\.|S\.p\.A\.|S\.r\.l\.|B\.V\.|N\.V\."
    r"|Lda\.?|Ltda\.?|sp\. z o\.o\.|S\.A|s\.r\.o\.|a\.s\.|AB|Oy|ApS|A/S|AS|OÜ|SRL|S\.R\.L\.|KG"
)
NAME = (
    rf"(?P<name>{_CAP}[\w&'’.-]*(?:,?[ \t]+(?:{_LEGAL_FORMS})(?![\w])|[ \t]+{_NAME_WORD}){{0,7}})"
)
_NOTICE_WORDS = r"(?i:(?:Privacy|Cookie|Data Protection) (?:Notice|Policy|Statement))"
_NOTICE_NAME = re.compile(
    rf"\b(?:[A-Z][\w&'’.-]*\s+){{0,4}}?{_NOTICE_WORDS}\b"
    rf"(?:\s+(?:for|of)\s+[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){{0,3}})?"
)
TITLE_WINDOW, TITLE_WORDS = 4, 12  # a title opens the notice and is short
_LEADING_ARTICLE = re.compile(r"^(?:This|The|Our|Its|These)\s+")
# 'Acme, Inc. (“Acme”, “we”)', 'At activist.org, we', 'we, at Acme,'
_PRONOUN = r"(?:we|us|our|nous|wir|uns|nosotros|noi|wij|ons|nós|my|nás|vi|oss)"
_SELF_NAMED = re.compile(
    rf"{NAME}[ \t]*\([^()\n]{{0,80}}?[“\"‘'«„][ \t\u00a0]*{_PRONOUN}[ \t\u00a0]*[”\"’'»“]"
)
_AT_NAME = re.compile(r"\bAt (?P<name>[\w.&'’-]+(?: [A-Z][\w.&'’-]*){0,3}), we\b")
_WE_AT = re.compile(r"\bwe, at (?P<name>[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,3}),")
# The statement that names the controller, in the ten languages.
_CONTROLLER = re.compile(
    "|".join(
        rf"(?i:{label})[ \t]*" + NAME.replace("(?P<name>", f"(?P<name{number}>")
        for number, label in enumerate(
            (
                r"(?:data\s+)?controller(?:\s+(?:of|for)\s+(?:your|the)\s+(?:personal\s+)?"
                r"(?:data|information))?\s+is\s+(?:the\s+)?",
                r"verantwortlich(?:e|er)?(?:\s+stelle)?(?:\s+im\s+sinne[^:\n]{0,80})?\s*(?:ist|:)"
                r"\s*(?:die\s+|der\s+)?",
                r"responsable\s+(?:du|de|des)\s+traitements?(?:\s+des\s+données(?:\s+personnelles)?)?"
                r"\s*(?:est|:)\s*(?:la\s+société\s+|la\s+|le\s+|l['’])?",
                r"en\s+tant\s+que\s+responsable\s+(?:de|du)\s+traitement[^,.\n]{0,80},\s*"
                r"(?:la\s+société\s+|le\s+groupe\s+)?",
                r"responsable\s+del\s+tratamiento(?:\s+de\s+(?:sus|los|tus)\s+datos"
                r"(?:\s+personales)?)?\s*(?:es|:)\s*",
                r"titolare\s+del\s+trattamento(?:\s+dei\s+(?:suoi\s+)?dati(?:\s+personali)?)?"
                r"\s*(?:è|e'|:)\s*",
                r"verwerkingsverantwoordelijke\s*(?:is|:)\s*",
                r"responsável\s+pelo\s+tratamento(?:\s+dos\s+(?:seus\s+)?dados(?:\s+pessoais)?)?"
                r"\s*(?:é|:)\s*(?:a\s+|o\s+)?",
                r"administratorem\s+(?:twoich\s+|pani\s*/?\s*pana\s+)?(?:danych(?:\s+osobowych)?\s+)?"
                r"jest\s+",
                r"správcem\s+(?:vašich\s+)?(?:osobních\s+údajů\s+)?je\s+(?:společnost\s+)?",
                r"personuppgiftsansvarig\s*(?:är|:)\s*",
            )
        )
    )
)
_LEGAL_NAME = re.compile(rf"(?P<name>(?:{_CAP}[\w&'’-]*,?[ \t]){{1,5}}(?:{_LEGAL_FORMS})(?![\w]))")
_LEGAL_END = re.compile(rf"(?:{_LEGAL_FORMS})$")
_COPYRIGHT = re.compile(
    rf"(?:©|\(c\)|(?i:copyright))[ \t]*(?:©[ \t]*)?(?:\d{{4}}(?:[ \t]*[-–][ \t]*\d{{4}})?,?[ \t]+)?"
    rf"{NAME}"
)
_TRAILING = re.compile(r"(?:[ \t,.]+(?:All|Tous|Alle|Todos|Tutti)\b.*|[ \t,;:]+)$")


@dataclass(frozen=True)
class Named:
    """A title or company and where it was found ('' when nothing in the document names it)."""

    value: str
    where: str


def title_source(document: Document, structure: Structure) -> Named:
    """The notice's title: front matter, its title heading, <title>, 'X Privacy Policy' in its
    text. Never the file's name: when none is found, where is ''."""
    front = document.front_matter.get("title")
    match = _NOTICE_NAME.search(document.reference)
    candidates = [
        # the title heading leaves the text for notice.yml's title: it must be that title
        (structure.title, f"its heading at line {structure.title_line}"),
        (front if isinstance(front, str) else "", "front matter 'title'"),
        *_opening_titles(document),
        (document.title_hint, "<title>"),
        (_LEADING_ARTICLE.sub("", " ".join(match.group(0).split())) if match else "", "its text"),
    ]
    own, where = next(((c.strip(), w) for c, w in candidates if c.strip()), (NO_TITLE, ""))
    return Named(own.title() if own.isupper() else own, where)


def _opening_titles(document: Document) -> list[tuple[str, str]]:
    """A short heading or line at the top that names the notice ('Firefox - Avviso sulla
    privacy', '**Politique de confidentialité**', 'POLITIQUE DE CONFIDENTIALITÉ')."""
    for index, item in enumerate(document.items[:TITLE_WINDOW]):
        heading = isinstance(item, Heading)
        shown = item.text if isinstance(item, Heading) else item.reference
        text = " ".join(shown.split())
        short = len(text.split()) <= TITLE_WORDS and not text.endswith((".", ":"))
        if short and _TITLE_WORDS.search(text) and (index == 0 or not heading):
            return [(text, f"its opening line {item.line}")]
        if heading or not short:
            break  # past the opening lines: a section's heading is no title
    return []


def company_source(document: Document, title: str) -> Named:
    """The company as the document names it: as 'we', as controller, by its legal name, in a
    copyright line, before 'Privacy Policy' in its title; '' where when none is found."""
    head = document.reference[:_COMPANY_WINDOW]
    for rule, where in (
        (_SELF_NAMED, "its text (“we”)"),
        (_AT_NAME, "its text (“At …, we”)"),
        (_WE_AT, "its text (“we, at …”)"),
        (_CONTROLLER, "the statement naming the controller"),
        (_LEGAL_NAME, "a legal name in its text"),
    ):
        if name := _first_name(rule, head):
            return Named(name, where)
    if name := _first_name(_COPYRIGHT, document.reference):
        return Named(name, "its copyright line")
    before = re.split(r"\b(?:Privacy|Data|Cookie|Notice|Policy|Statement)\b", title)[0].strip()
    if before and before != title:
        return Named(re.sub(r"['’]s$", "", before).strip() or before, "its title")
    if name := _site_named(document):
        return Named(name, SITE_GUESS)
    return Named(title, "")


SITE_GUESS = "the site its addresses name, written so in its text (a guess: check it)"
_SITE_MENTIONS = 3  # a guess only when the text itself names the site this often


def _site_named(document: Document) -> str:
    """The site of the notice's own addresses (mozilla.org) when its text names it as a proper
    noun often ('Mozilla'); never a host the text does not name (a hosting service, an archive)."""
    text = document.reference
    source = document.source_text or text
    hosts = re.findall(r"(?:https?://(?:www\.)?|@)([a-z0-9-]+)\.[a-z.]{2,}", source, re.I)
    counted = {}
    for host in dict.fromkeys(h.lower() for h in hosts):
        written = re.findall(rf"(?<![\w./@-]){re.escape(host)}(?![\w.@/-])", text, re.I)
        proper = [w for w in written if w[:1].isupper()]
        if len(proper) >= _SITE_MENTIONS:
            counted[max(set(proper), key=proper.count)] = len(proper)
    return max(counted, key=lambda name: counted[name]) if counted else ""


def _first_name(rule: re.Pattern[str], text: str) -> str:
    match = rule.search(text)
    if match is None:
        return ""
    name = next(v for k, v in match.groupdict().items() if k.startswith("name") and v)
    name = _SMALL_END.sub("", _TRAILING.sub("", " ".join(name.split())))
    if name.endswith(".") and not _LEGAL_END.search(name):
        name = name[:-1]  # the sentence's full stop, not 'Inc.'
    return name
