"""A page as a browser builds it (tinyhtml5, the HTML5 tree builder), without what a reader
never sees: hidden elements, menus, asides, cookie and consent banners outside the notice."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import tinyhtml5

from notice.errors import NoticeError

from .obfuscation import decode_tree
from .values import LABELLED_DATE

# Never text: what a browser does not render as the page's words.
UNRENDERED = frozenset(
    ("script", "style", "template", "noscript", "svg", "iframe", "object", "head", "select")
)
_CHROME = frozenset(("nav", "aside", "form", "button", "dialog"))
_CHROME_ROLES = frozenset(("navigation", "dialog", "alertdialog", "complementary", "search"))
_BANNER = re.compile(
    r"(?:cookie|consent|gdpr)[-_]?(?:banner|bar|notice|popup|modal|consent|dialog|wall|overlay"
    r"|box|layer|container|message)|cookiebot|onetrust|didomi|usercentrics|cc-window|cmp-"
)
_BANNER_TAGS = frozenset(("div", "section", "aside", "dialog", "form", "footer", "p"))
_NONE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important)?\s*(?:;|$)", re.I
)
_HEADINGS = frozenset(f"h{rank}" for rank in range(1, 7))
_LOOKAHEAD = 12  # source tags searched for an element's own (implied ones have none)
MAX_DEPTH = 200  # a real page nests 20-40 deep; the readers recurse, Python allows ~1000


@dataclass
class Page:
    """The page's tree, its <title>, each element's line in the source, what was removed."""

    body: ET.Element
    title: str
    lines: dict[int, int]  # id(element) -> source line of its start tag
    removed: list[tuple[int, str]] = field(default_factory=list)  # (line, why)


def parse_page(text: str, path: str = "the page") -> Page:
    """The page as an HTML5 parser builds it, hidden parts and page chrome removed; NoticeError
    when it nests deeper than any page a person reads (the readers walk it recursively)."""
    root = tinyhtml5.parse(text, namespace_html_elements=False)
    _refuse_deep(root, path)
    lines = _source_lines(root, text)
    title = " ".join("".join(root.findtext(".//title") or "").split())
    body = root.find("body")
    if body is None:
        body = ET.Element("body")
    page = Page(body, title, lines)
    for address in dict.fromkeys(decode_tree(body)):
        page.removed.append((0, f"protected e-mail address decoded: {address}"))
    main = _main(body)
    _prune(body, page, main)
    return page


def _refuse_deep(root: ET.Element, path: str) -> None:
    pending = [(root, 1)]
    while pending:
        element, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise NoticeError(
                f"{path}: elements nested more than {MAX_DEPTH} deep: no notice is written so; "
                "give its text, Markdown or saved HTML"
            )
        pending += [(child, depth + 1) for child in element]


def _main(body: ET.Element) -> ET.Element | None:
    """The page's main content, when it marks it (<main>, role=main, or a single <article>)."""
    mains = [e for e in body.iter() if e.tag == "main" or e.get("role") == "main"]
    if mains:
        return mains[0]
    articles = [e for e in body.iter() if e.tag == "article"]
    return articles[0] if len(articles) == 1 else None


def hidden_why(element: ET.Element) -> str:
    """Why a reader never sees this element ('' when they may)."""
    if "hidden" in element.attrib:
        return "hidden"
    if element.get("aria-hidden", "").strip().lower() == "true":
        return 'aria-hidden="true"'
    if _NONE.search(element.get("style", "")):
        return "display:none"
    return ""


def _chrome_why(element: ET.Element, main: ET.Element | None, inside_main: bool) -> str:
    """Why this element is the page's chrome, not the notice ('' when it is the notice)."""
    if element.tag in _CHROME or element.get("role", "") in _CHROME_ROLES:
        return f"<{element.tag}> (page chrome, not the notice)"
    names = f"{element.get('id', '')} {element.get('class', '')}".lower()
    banner = element.tag in _BANNER_TAGS and _BANNER.search(names)
    if banner and not inside_main and not _holds(element, main):
        return f"<{element.tag} {names.strip()!r}> (a cookie or consent banner)"
    framing = main is not None and not inside_main and element.tag in ("header", "footer")
    if framing and not _holds(element, main) and not _holds_notice(element):
        return f"<{element.tag}> outside the page's main content"
    return ""


def _holds_notice(element: ET.Element) -> bool:
    """A header or footer that holds a heading or the notice's date is part of the notice."""
    if any(e.tag in _HEADINGS for e in element.iter()):
        return True
    return bool(LABELLED_DATE.search(" ".join("".join(element.itertext()).split())))


def _holds(element: ET.Element, inner: ET.Element | None) -> bool:
    return inner is not None and any(e is inner for e in element.iter())


def _prune(parent: ET.Element, page: Page, main: ET.Element | None, inside: bool = False) -> None:
    for child in list(parent):
        if not isinstance(child.tag, str):
            continue  # a comment or processing instruction
        why = hidden_why(child) or _chrome_why(child, main, inside)
        if why:
            _remove(parent, child)
            page.removed.append((page.lines.get(id(child), 0), f"{why} left out"))
            continue
        _prune(child, page, main, inside or child is main)


def _remove(parent: ET.Element, child: ET.Element) -> None:
    """Remove child, keeping the text that follows it (its tail) in the page."""
    if child.tail:
        siblings = list(parent)
        index = siblings.index(child)
        if index:
            before = siblings[index - 1]
            before.tail = (before.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        self.tags.append((tag, self.getpos()[0]))


def _source_lines(root: ET.Element, text: str) -> dict[int, int]:
    """Each element's line: the next start tag of its name in the source (the tree builder
    keeps no positions; elements it implies, <tbody>, take their parent's line)."""
    scanner = _StartTags()
    scanner.feed(text)
    scanner.close()
    tags, cursor, lines, last = scanner.tags, 0, {}, 1
    for element in _elements(root):
        for index in range(cursor, min(cursor + _LOOKAHEAD, len(tags))):
            if tags[index][0] == element.tag:
                last, cursor = tags[index][1], index + 1
                break
        lines[id(element)] = last
    return lines


def _elements(root: ET.Element) -> Iterator[ET.Element]:
    for element in root.iter():
        if isinstance(element.tag, str):
            yield element


def visible_words(page: Page) -> list[str]:
    """The words a reader sees on the page: the text of its rendered elements, in order."""
    return "".join(_texts(page.body)).split()


_BREAKING = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "li", "ul", "ol", "table",
        "tr", "td", "th", "br", "blockquote", "pre", "dt", "dd", "dl", "address", "figure",
        "figcaption", "hr", "summary", "details", "h1", "h2", "h3", "h4", "h5", "h6",
    }
)  # fmt: skip


def _texts(element: ET.Element) -> Iterator[str]:
    if isinstance(element.tag, str) and element.tag not in UNRENDERED:
        if element.tag in _BREAKING:
            yield " "
        yield element.text or ""
        for child in element:
            yield from _texts(child)
            yield child.tail or ""
        if element.tag in _BREAKING:
            yield " "
