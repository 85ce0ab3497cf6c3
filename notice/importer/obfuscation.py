"""E-mail addresses a page hid from robots (Cloudflare's e-mail protection), as a reader saw them:
the page's script wrote the address back; the importer decodes it the same way (XOR)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

_PROTECTED_HREF = re.compile(
    r"(?:https?://[^\s)#]*)?/cdn-cgi/l/email-protection#(?P<hex>[0-9a-fA-F]+)"
)
# '[[email protected]](/cdn-cgi/l/email-protection#HEX)' in Markdown saved from such a page
_MARKDOWN_LINK = re.compile(
    r"\[(?P<text>(?:[^\[\]\n]|\[[^\]\n]*\])*)\]\((?P<href>" + _PROTECTED_HREF.pattern + r")\)"
)
_PLACEHOLDER = re.compile(r"\[email(?:\s|&#160;|&nbsp;)*protected\]", re.IGNORECASE)


def decode(hex_text: str) -> str:
    """Cloudflare's encoding: the first byte is the key, every next byte XOR the key."""
    try:
        data = bytes.fromhex(hex_text)
    except ValueError:
        return ""
    if len(data) < 2:
        return ""
    try:
        address = bytes(byte ^ data[0] for byte in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return address if "@" in address and address.isprintable() else ""


def decoded_href(href: str) -> str:
    """mailto:ADDRESS for a protected link, else href unchanged."""
    match = _PROTECTED_HREF.fullmatch(href.strip())
    address = decode(match.group("hex")) if match else ""
    return f"mailto:{address}" if address else href


def decode_markdown(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Markdown with its protected links written back as the addresses they hide."""
    notes: list[tuple[int, str]] = []

    def written(match: re.Match[str]) -> str:
        address = decode(match.group("hex"))
        if not address:
            return match.group(0)
        line = text.count("\n", 0, match.start()) + 1
        notes.append((line, f"protected e-mail address decoded: {address}"))
        label = _PLACEHOLDER.sub(address, match.group("text"))
        return f"[{label}](mailto:{address})" if label != address else f"<{address}>"

    return _MARKDOWN_LINK.sub(written, text), notes


def decode_tree(root: ET.Element) -> list[str]:
    """The page's protected addresses written back in place (links and Cloudflare's spans)."""
    found = []
    for element in root.iter():
        href = element.get("href", "") if element.tag == "a" else ""
        if href and (mailto := decoded_href(href)) != href:
            element.set("href", mailto)
            found.append(mailto.removeprefix("mailto:"))
        if (hex_text := element.get("data-cfemail")) and (address := decode(hex_text)):
            for child in list(element):
                element.remove(child)
            element.text = address
            found.append(address)
    return found
