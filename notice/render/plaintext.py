"""Plain text from markdown-it-py tokens: what a reader sees, without markup."""

from __future__ import annotations

from markdown_it.token import Token


def inline_text(children: list[Token] | None) -> str:
    """The visible text of an inline token's children (link text, not link targets)."""
    parts: list[str] = []
    for token in children or []:
        if token.type in ("text", "code_inline", "html_inline"):
            parts.append(token.content)
        elif token.type == "softbreak" or token.type == "hardbreak":
            parts.append("\n")
        elif token.type == "image":
            parts.append(inline_text(token.children))
    return "".join(parts)


def tokens_to_text(tokens: list[Token]) -> str:
    """Blocks separated by blank lines; list items as '- ' or 'N. '; tables as ' | ' rows."""
    blocks: list[str] = []
    prefixes: list[str] = []  # one entry per open list item or blockquote
    list_kinds: list[list] = []  # per open list: [ordered?, next number]
    row: list[str] | None = None
    pending_item_prefix: str | None = None

    def emit(text: str) -> None:
        nonlocal pending_item_prefix
        lines = text.split("\n")
        indent = "".join("  " if p == "item" else "> " for p in prefixes[:-1]) if prefixes else ""
        first = indent + (pending_item_prefix or _continuation(prefixes))
        rest_indent = indent + _continuation(prefixes, continuation=True)
        blocks.append("\n".join([first + lines[0], *(rest_indent + line for line in lines[1:])]))
        pending_item_prefix = None

    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1)
            list_kinds.append([kind == "ordered_list_open", start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_kinds.pop()
        elif kind == "list_item_open":
            ordered, number = list_kinds[-1]
            pending_item_prefix = f"{number}. " if ordered else "- "
            list_kinds[-1][1] = number + 1
            prefixes.append("item")
        elif kind == "list_item_close":
            prefixes.pop()
            pending_item_prefix = None
        elif kind == "blockquote_open":
            prefixes.append("quote")
        elif kind == "blockquote_close":
            prefixes.pop()
        elif kind == "inline" and row is not None:
            row.append(inline_text(token.children))
        elif kind == "inline":
            emit(inline_text(token.children))
        elif kind in ("fence", "code_block"):
            emit(token.content.rstrip("\n"))
        elif kind == "hr":
            emit("---")
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            emit(" | ".join(row or []))
            row = None
    return _join_blocks(blocks)


def _continuation(prefixes: list[str], continuation: bool = False) -> str:
    if not prefixes:
        return ""
    return "  " if prefixes[-1] == "item" else "> "


def _join_blocks(blocks: list[str]) -> str:
    return "\n\n".join(block for block in blocks if block.strip())
