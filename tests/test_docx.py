"""Word for counsel: a redline .docx of real tracked changes, and the clean notice as .docx."""

from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path

import docx
from lxml import etree

from notice.render.rendering import render
from notice.source.load import load_notice
from tests.conftest import assert_no_traceback, commit_all, edit, git
from tests.notice_versions import change_wording, set_date
from tests.test_redline_restructure import SECTIONS, _paragraph, prepend_body

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
BASECAMP = Path(__file__).parent / "fixtures" / "real" / "history" / "basecamp"


def body_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def _unwrap(root: etree._Element, tag: str) -> None:
    for node in list(root.iter(f"{{{W}}}{tag}")):
        parent = node.getparent()
        if parent.tag == f"{{{W}}}rPr":
            continue
        index = parent.index(node)
        for offset, child in enumerate(list(node)):
            parent.insert(index + offset, child)
        parent.remove(node)


def paragraphs_text(root: etree._Element) -> str:
    """Every paragraph's w:t text but the title's, one paragraph a line, whitespace-normalised."""
    title = f"{{{W}}}pPr/{{{W}}}pStyle[@{{{W}}}val='Title']"
    lines = ["".join(p.itertext()) for p in root.iter(f"{{{W}}}p") if p.find(title) is None]
    return normalised("\n".join(lines))


def _resolved(root: etree._Element, drop: tuple[str, ...], keep: tuple[str, ...]) -> str:
    """The text once every drop revision is removed and every keep revision unwrapped (a
    paragraph mark's revision, inside w:rPr, only joins paragraphs: whitespace here)."""
    resolved = copy.deepcopy(root)
    for tag in drop:
        for node in revisions(resolved, tag):
            node.getparent().remove(node)
    for tag in keep:
        _unwrap(resolved, tag)
    for node in resolved.iter(f"{{{W}}}delText"):
        node.tag = f"{{{W}}}t"
    return paragraphs_text(resolved)


def accept_all(root: etree._Element) -> str:
    """Keep insertions and moved text where it went; drop deletions and where it came from."""
    return _resolved(root, ("del", "moveFrom"), ("ins", "moveTo"))


def reject_all(root: etree._Element) -> str:
    """Drop insertions and moved text where it went; keep deletions (their w:delText read as
    text) and moved text where it was."""
    return _resolved(root, ("ins", "moveTo"), ("del", "moveFrom"))


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def plain_text(root: Path) -> str:
    """The notice's plain text; its list items' "- " marks are Word list paragraphs in Word."""
    return normalised(re.sub(r"(^|\n)\s*- ", r"\1", render(load_notice(root)).text))


def revisions(root: etree._Element, tag: str) -> list[etree._Element]:
    return [n for n in root.iter(f"{{{W}}}{tag}") if n.getparent().tag != f"{{{W}}}rPr"]


def test_a_redline_docx_accepts_to_the_new_text_and_rejects_to_the_old(notice_repo, cli, tmp_path):
    old_text = plain_text(notice_repo)
    change_wording(notice_repo)
    set_date(notice_repo, "2023-02-01")
    commit_all(notice_repo, "regularly")
    new_text = plain_text(notice_repo)
    target = tmp_path / "redline.docx"
    result = cli("diff", "HEAD~1", "HEAD", "--root", str(notice_repo), "--format", "docx",
                 "--output", str(target))  # fmt: skip
    assert result.code == 0, result.stderr
    root = body_xml(target)
    assert accept_all(root) == new_text
    assert reject_all(root) == old_text
    inserted = ["".join(n.itertext()) for n in revisions(root, "ins")]
    deleted = ["".join(n.itertext()) for n in revisions(root, "del")]
    assert "regularly" in " ".join(inserted) and "periodically" in " ".join(deleted)
    for node in revisions(root, "ins") + revisions(root, "del"):
        assert node.get(f"{{{W}}}author") == "notice"
        assert node.get(f"{{{W}}}date") == "2023-02-01T00:00:00Z"
    ids = [n.get(f"{{{W}}}id") for n in root.iter(f"{{{W}}}ins", f"{{{W}}}del")]
    assert len(ids) == len(set(ids))
    opened = docx.Document(str(target))
    styles = {p.style.name for p in opened.paragraphs if p.text.strip()}
    assert {"Heading 1", "Heading 2"} <= styles
    heading = next(p for p in opened.paragraphs if p.style.name == "Heading 1")
    shown = [s for s in load_notice(notice_repo).sections if s.show_heading]
    assert heading.text == shown[0].heading


def _import_pair(cli, tmp_path: Path, old: str, new: str) -> Path:
    """A repository whose two commits are two real Basecamp versions, imported."""
    repo = tmp_path / "basecamp"
    for name in (old, new):
        result = cli("import", str(BASECAMP / name), "--into", str(repo), "--force")
        assert result.code == 0, result.stderr
        if not (repo / ".git").exists():
            git(repo, "init", "-q")
        commit_all(repo, name)
    return repo


def test_a_real_rewrite_redlines_to_both_versions_in_word(cli, tmp_path):
    repo = _import_pair(cli, tmp_path, "03-5d075b8b.md", "04-ea36d524.md")
    target = tmp_path / "basecamp.docx"
    result = cli("diff", "HEAD~1", "HEAD", "--root", str(repo), "--format", "docx",
                 "--output", str(target))  # fmt: skip
    assert result.code == 0, result.stderr
    root = body_xml(target)
    assert accept_all(root) == plain_text(repo)
    old = tmp_path / "old"
    assert cli("import", str(BASECAMP / "03-5d075b8b.md"), "--into", str(old)).code == 0
    assert reject_all(root) == plain_text(old)
    assert revisions(root, "ins") and revisions(root, "del")
    assert docx.Document(str(target)).core_properties.title.startswith("Redline:")


def test_render_docx_is_the_clean_notice_with_heading_styles(notice_dir, cli, tmp_path):
    target = tmp_path / "notice.docx"
    result = cli("render", "--root", str(notice_dir), "--format", "docx", "--output", str(target))
    assert result.code == 0, result.stderr
    root = body_xml(target)
    assert not revisions(root, "ins") and not revisions(root, "del")
    opened = docx.Document(str(target))
    title, *rest = [p for p in opened.paragraphs if p.text.strip()]
    assert (title.style.name, title.text) == ("Title", load_notice(notice_dir).title)
    # the text, list items being Word list paragraphs rather than "- " lines
    assert normalised(" ".join(p.text for p in rest)) == plain_text(notice_dir)
    assert {p.style.name for p in rest if p.text.startswith("Traditional Solutions")} == {
        "List Bullet"
    }
    notice = load_notice(notice_dir)
    headings = [p.text for p in opened.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [s.heading for s in notice.sections if s.show_heading]
    levels = {p.style.name for p in opened.paragraphs if p.style.name.startswith("Heading")}
    assert levels == {f"Heading {s.level}" for s in notice.sections if s.show_heading}


def test_docx_without_output_is_one_line_and_exit_2(notice_dir, cli):
    result = cli("render", "--root", str(notice_dir), "--format", "docx")
    assert result.code == 2
    assert result.stderr.strip() == "error: --format docx writes a file: add --output FILE.docx"
    assert_no_traceback(result)


def test_render_docx_keeps_emphasis_links_lists_and_tables(notice_dir, cli, tmp_path):
    intro = notice_dir / "sections" / "introduction.md"
    intro.write_text(
        intro.read_text(encoding="utf-8")
        + "\nWe **never** sell data, *ever*. See [our choices](https://example.com/choices).\n\n"
        "1. First step\n2. Second step\n\n| Data | Kept |\n| --- | --- |\n| E-mail | 2 years |\n",
        encoding="utf-8",
    )
    target = tmp_path / "notice.docx"
    result = cli("render", "--root", str(notice_dir), "--format", "docx", "--output", str(target))
    assert result.code == 0, result.stderr
    opened = docx.Document(str(target))
    sentence = next(p for p in opened.paragraphs if p.text.startswith("We never sell"))
    assert [r.text for r in sentence.runs if r.bold] == ["never"]
    assert [r.text for r in sentence.runs if r.italic] == ["ever"]
    root = body_xml(target)
    [link] = [n for n in root.iter(f"{{{W}}}hyperlink") if "".join(n.itertext()) == "our choices"]
    rel = link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    assert opened.part.rels[rel].target_ref == "https://example.com/choices"
    steps = [p for p in opened.paragraphs if p.text.endswith(" step")]
    assert [(p.text, p.style.name) for p in steps] == [
        ("First step", "List Number"),
        ("Second step", "List Number"),
    ]
    [table] = opened.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Data", "Kept"],
        ["E-mail", "2 years"],
    ]


def test_moved_text_is_a_word_move_and_lists_and_title_are_word_styles(notice_repo, cli, tmp_path):
    old_text = plain_text(notice_repo)
    moved = _paragraph(notice_repo, "cpni-rights", "The Customer Proprietary")
    edit(notice_repo / SECTIONS / "cpni-rights.md", moved + "\n\n", "")
    prepend_body(notice_repo / SECTIONS / "fcra-rights.md", moved)
    commit_all(notice_repo, "A paragraph moves to another section")
    target = tmp_path / "moved.docx"
    result = cli("diff", "HEAD~1", "HEAD", "--root", str(notice_repo), "--format", "docx",
                 "--output", str(target))  # fmt: skip
    assert result.code == 0, result.stderr
    root = body_xml(target)
    starts = {tag: root.findall(f".//{{{W}}}{tag}RangeStart") for tag in ("moveFrom", "moveTo")}
    names = {tag: {n.get(f"{{{W}}}name") for n in found} for tag, found in starts.items()}
    assert names["moveFrom"] and names["moveFrom"] == names["moveTo"]  # one move, two ends
    moved_from = "".join("".join(n.itertext()) for n in revisions(root, "moveFrom"))
    assert moved_from.startswith("The Customer Proprietary")
    assert not revisions(root, "ins") and not revisions(root, "del")  # a move, not a rewrite
    assert accept_all(root) == plain_text(notice_repo)
    assert reject_all(root) == old_text
    opened = docx.Document(str(target))
    assert opened.paragraphs[0].style.name == "Title"
    items = [p for p in opened.paragraphs if p.text.startswith("Traditional Solutions")]
    assert [p.style.name for p in items] == ["List Bullet"]
