"""Variable changes in the reader's words ("The privacy e-mail address changed from … to …"),
for public pages; editors keep the table of names (`notice diff`, the pull-request comment)."""

from __future__ import annotations

from notice.model import RenderedNotice
from notice.wording import counted

# the last word of a variable's name -> what a reader calls it
KINDS = {
    "email": "e-mail address",
    "mail": "e-mail address",
    "phone": "telephone number",
    "telephone": "telephone number",
    "tel": "telephone number",
    "fax": "fax number",
    "address": "postal address",
    "url": "web address",
    "link": "web address",
    "website": "website address",
    "site": "website address",
}
GROUP_KINDS = {"urls": "web address", "links": "web address", "contact": "contact detail"}
MAX_NAME_WORDS = 4  # a longer or numbered name was made by a machine and means nothing to a reader


def link_label(value: str | None, rendered: RenderedNotice) -> str:
    """The words of the first link that points to value, when they are not the value itself."""
    if not value:
        return ""
    for section in rendered.sections:
        for link in section.links:
            if link.destination == value and link.text.strip() and link.text.strip() != value:
                return f"the link “{link.text.strip()}”"
    return ""


def reader_name(name: str) -> str:
    """'contact.privacy_email' -> 'the privacy e-mail address'; a machine-made name -> 'a web
    address' (from its group)."""
    group, _, leaf = name.rpartition(".")
    parts = [part for part in leaf.lower().split("_") if part]
    generic = GROUP_KINDS.get(group.split(".")[-1], "value")
    if not parts or len(parts) > MAX_NAME_WORDS or any(p.isdigit() for p in parts):
        return f"a {generic}"
    if parts[-1] in KINDS:
        parts[-1] = KINDS[parts[-1]]
    elif group.split(".")[-1] in GROUP_KINDS and group.split(".")[-1] != "contact":
        parts.append(generic)
    return "the " + " ".join(parts)


def describe(name: str, old: str | None, new: str | None, places: int, label: str = "") -> str:
    """One sentence: what changed, in words, with how many places of the notice show it."""
    subject = label or reader_name(name)
    subject = subject[0].upper() + subject[1:]
    if old and new:
        sentence = f"{subject} changed from {old} to {new}"
    elif new:
        sentence = f"{subject} {new} was added"
    else:
        sentence = f"{subject} {old} was removed"
    if places > 1:
        sentence += f" ({counted(places, 'place', 'places')} in the notice)"
    return sentence + "."
