"""Links to another document's section, `doc:cookies#third-party-cookies`, as site URLs."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, unquote, urljoin, urlsplit

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from notice.layout import ROOT_DOCUMENT
from notice.model import Notice

DOC_SCHEME = "doc:"
DOC_LINK_CLASS = "doc-link"  # marks a rewritten link: the PDF makes it absolute


@dataclass(frozen=True)
class DocLink:
    """Where a doc: link leads: a document (ROOT_DOCUMENT for the root one) and an anchor."""

    document: str
    anchor: str  # "" for the document's top


def doc_link(href: str) -> DocLink | None:
    """The target of a doc: link ('doc:cookies#x', 'doc:root'); None for any other link."""
    if not href.lower().startswith(DOC_SCHEME):
        return None
    document, _, anchor = href[len(DOC_SCHEME) :].partition("#")
    return DocLink(unquote(document), unquote(anchor))


# source.documents.DOCUMENT_ID, which this floor may not import: a hostile 'doc://host/' must
# never become a link to another site ('//host/')
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def page_dir(document: str) -> str:
    """A document's page relative to the site's (or a language's) top: '' or '<id>/'."""
    return "" if document == ROOT_DOCUMENT else f"{document}/"


def relative_url(from_document: str, target: DocLink) -> str:
    """The target's URL relative to from_document's page; both stay in the reader's language,
    since /<lang>/<id>/ sits beside /<lang>/ as /<id>/ beside /."""
    fragment = f"#{quote(target.anchor, safe='')}" if target.anchor else ""
    if target.document == from_document:
        return fragment or "./"
    up = "" if from_document == ROOT_DOCUMENT else "../"
    return f"{up}{page_dir(target.document)}{fragment}" or "./"


def absolute_url(site_url: str, from_document: str, relative: str, lang: str = "") -> str:
    """A rewritten doc: link as the address a PDF reader can follow: from the page of
    from_document under site_url (under site_url/<lang>/ for a translation)."""
    top = site_url.rstrip("/") + "/" + (f"{lang}/" if lang else "")
    return urljoin(urljoin(top, page_dir(from_document)), relative)


_SHOWN_LINK = re.compile(rf'<a href="([^"]*)" class="{DOC_LINK_CLASS}">')


def absolute_doc_links(markup: str, site_url: str, notice: Notice) -> str:
    """The rendering's doc: links (as document_links_rule wrote them) for a PDF: absolute under
    site_url; without one, plain text: a PDF resolves a relative link against the folder it was
    made in, a path of the build machine that no reader can follow and that would change the
    PDF's bytes from one checkout to another."""

    def absolute(match: re.Match[str]) -> str:
        if not site_url:
            return f'<a class="{DOC_LINK_CLASS}">'
        relative = html.unescape(match.group(1))
        url = absolute_url(site_url, notice.document, relative, notice.lang)
        return f'<a href="{html.escape(url)}" class="{DOC_LINK_CLASS}">'

    return _SHOWN_LINK.sub(absolute, markup)


def rehomed_doc_links(markup: str, home_url: str, page_url: str) -> str:
    """The rendering's doc: links, written for its document's main page (home_url, e.g.
    'cookies/'), made relative to the page that shows them (a version page, a redline)."""
    if home_url == page_url or DOC_LINK_CLASS not in markup:
        return markup
    site = "http://site.invalid/"

    def rehomed(match: re.Match[str]) -> str:
        target = urlsplit(urljoin(urljoin(site, home_url), html.unescape(match.group(1))))
        here = urlsplit(urljoin(site, page_url))
        path = posixpath.relpath(
            target.path, here.path if here.path.endswith("/") else posixpath.dirname(here.path)
        )
        shown = (
            path + "/"
            if target.path.endswith("/") and path != "."
            else "./"
            if path == "."
            else path
        )
        url = shown + (f"#{target.fragment}" if target.fragment else "")
        return f'<a href="{html.escape(url)}" class="{DOC_LINK_CLASS}">'

    return _SHOWN_LINK.sub(rehomed, markup)


def document_links_rule(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """markdown-it's link_open, with a doc: link turned into its site URL; the token itself keeps
    doc:, so the canonical text names the document and anchor, not where the site puts them."""
    token = tokens[idx]
    target = doc_link(str(token.attrGet("href") or ""))
    if target is None or not _ID.match(target.document):
        return self.renderToken(tokens, idx, options, env)  # check refuses a doc: link astray
    shown = token.copy()
    shown.attrSet("href", relative_url(env.get("document", ROOT_DOCUMENT), target))
    shown.attrJoin("class", DOC_LINK_CLASS)
    return self.renderToken([*tokens[:idx], shown, *tokens[idx + 1 :]], idx, options, env)
