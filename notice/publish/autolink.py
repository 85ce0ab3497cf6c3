"""Make the e-mail and web addresses printed as plain text in the print HTML into links.

A PDF reader (and PDF/UA, WCAG 2.4.4) expects an address it shows to be a link. Only the print
HTML changes: the rendering, its canonical text and the site stay as written. The input is
markdown-it-py's HTML, in which no tag holds a raw '>' (attribute values are escaped).
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"(<[^>]*>)")
_ADDRESS = re.compile(
    r"(?<![\w.@/-])(?:"
    r"(?P<email>[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
    r"|(?P<url>(?:https?://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]])"
    r")"
)


def linked_addresses(markup: str) -> str:
    """markup with each address in text outside a link wrapped in <a href>."""
    pieces = _TAG.split(markup)
    depth = 0
    for index, piece in enumerate(pieces):
        if index % 2:  # a tag
            name = piece[1:].split(None, 1)[0].lower() if len(piece) > 2 else ""
            depth += name == "a" or name.startswith("a>")
            depth -= name in ("/a", "/a>") and depth > 0
        elif depth == 0 and ("@" in piece or "www." in piece or "://" in piece):
            pieces[index] = _ADDRESS.sub(_link, piece)
    return "".join(pieces)


def _link(match: re.Match[str]) -> str:
    text = match.group(0)
    target = html.unescape(text)
    if match.group("email"):
        target = f"mailto:{target}"
    elif target.startswith("www."):
        target = f"https://{target}"
    return f'<a href="{html.escape(target, quote=True)}">{text}</a>'
