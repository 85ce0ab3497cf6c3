"""Hostile and broken source (issue 6, part one): each case one line naming file and line, exit 1.

Every case id here has a row in SECURITY.md; test_every_case_is_documented keeps them in step.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from notice.render.rendering import render
from notice.source.load import load_notice
from tests.conftest import assert_no_traceback, edit, is_coverage_gap, undocumented

PASSWD_LINE = "root:x:0:0"


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Callable[[Path], None]
    expect: str  # regex the one-line message must match; "" means the notice must still pass
    code: int = 1  # 0 for a warning: the notice still builds, the line says what was refused


def add_paragraph(section: str, text: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / "sections" / f"{section}.md"
        path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")

    return mutate


def replace_in(relative: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda root: edit(root / relative, old, new)


def write_file(relative: str, content: bytes) -> Callable[[Path], None]:
    return lambda root: (root / relative).write_bytes(content)


def symlink(relative: str, target: str) -> Callable[[Path], None]:
    return lambda root: os.symlink(target, root / relative)


def transform(relative: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / relative
        path.write_bytes(change(path.read_bytes()))

    return mutate


def many_sections(count: int) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        tree = []
        for index in range(count):
            section_id = f"extra-{index:04d}"
            tree.append(f"  - {section_id}\n")
            (root / "sections" / f"{section_id}.md").write_text(
                f"---\nid: {section_id}\ntitle: Extra {index}\n---\nText {index}.\n",
                encoding="utf-8",
            )
        with (root / "notice.yml").open("a", encoding="utf-8") as notice_yml:
            notice_yml.write("".join(tree))

    return mutate


BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
)
INTRO = "sections/introduction.md"

CASES = [
    Case(
        "template-attribute-escape",
        add_paragraph("introduction", "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
        rf"^{INTRO}:\d+: not allowed in a notice \(sandbox\)",
    ),
    Case(
        "template-format-string",
        add_paragraph("introduction", "{{ '{0.__class__.__init__.__globals__}'.format('') }}"),
        rf"^{INTRO}:\d+: not allowed in a notice \(sandbox\)",
    ),
    Case(
        "template-attr-filter",
        add_paragraph("introduction", "{{ ''|attr('__class__')|attr('__base__') }}"),
        rf"^{INTRO}:\d+: not allowed in a notice \(sandbox\)",
    ),
    Case(
        "template-huge-range",
        add_paragraph("introduction", "{{ range(10**9)|list|length }}"),
        rf"^{INTRO}:\d+: not allowed in a notice \(sandbox\): range\(\) is limited",
    ),
    Case(
        "template-nested-loops",
        add_paragraph(
            "introduction",
            "{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}",
        ),
        rf"^{INTRO}:\d+: not allowed in a notice \(sandbox\): loops may run at most",
    ),
    Case(
        "template-text-bomb",
        add_paragraph("introduction", "{{ 'lol' * 1000000000 }}"),
        rf"^{INTRO}:\d+: not allowed in a notice \(sandbox\): repeating text",
    ),
    Case(
        "template-recursive-macro",
        add_paragraph("introduction", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"),
        rf"^{INTRO}:\d+: recursion too deep",
    ),
    Case(
        "template-import-outside-macros",
        add_paragraph("introduction", "{% import '../notice.yml' as n %}{{ n }}"),
        rf"^{INTRO}:\d+: template '../notice.yml' not found: only files in macros/",
    ),
    Case(
        "template-include-absolute",
        add_paragraph("introduction", "{% include '/etc/passwd' %}"),
        rf"^{INTRO}:\d+: template '/etc/passwd' not found",
    ),
    Case(
        "symlink-section-outside",
        symlink("sections/evil.md", "/etc/passwd"),
        r"^sections/evil\.md: is a link: refused",
    ),
    Case(
        "symlink-macro-outside",
        symlink("macros/evil.j2", "/etc/passwd"),
        r"^macros/evil\.j2: is a link: refused",
    ),
    Case(
        "symlink-macro-git-config",
        lambda root: (
            (root / ".git").mkdir(),
            (root / ".git" / "config").write_text("[remote]\ntoken = SECRET\n"),
            os.symlink("../.git/config", root / "macros" / "leak.j2"),
            add_paragraph("introduction", "{% include 'leak.j2' %}")(root),
        ),
        r"^macros/leak\.j2: is a link: refused",
    ),
    Case(
        "symlink-inside-project",
        lambda root: (
            (root / "sections" / "introduction.md").rename(root / "intro.md"),
            os.symlink("../intro.md", root / "sections" / "introduction.md"),
        ),
        r"^sections/introduction\.md: is a link: refused",
    ),
    Case(
        "symlink-folder",
        lambda root: (
            (root / "macros").rename(root / "real-macros"),
            os.symlink("real-macros", root / "macros"),
        ),
        r"^macros/contact\.j2: is a link \(macros is one\): refused",
    ),
    Case(
        "yaml-alias-bomb",
        write_file("notice.yml", BILLION_LAUGHS.encode()),
        r"^notice\.yml:1: malformed YAML: anchors",
    ),
    Case(
        "yaml-python-tag",
        replace_in(
            "notice.yml", "company: MetTel", "company: !!python/object/apply:os.system [id]"
        ),
        r"^notice\.yml:\d+: malformed YAML: the tag !!python/object/apply:os\.system is not",
    ),
    *[
        Case(
            f"yaml-tag-{name}",
            replace_in("notice.yml", old, new),
            rf"^notice\.yml:\d+: malformed YAML: the tag !!{name} is not allowed in a notice",
        )
        for name, old, new in [
            ("int", "company: MetTel", "company: !!int abc"),
            ("float", "company: MetTel", "company: !!float x"),
            ("bool", "coverage_page: true", "coverage_page: !!bool maybe"),
            ("timestamp", "last_updated: 2022-11-11", "last_updated: !!timestamp 2023-02-29"),
        ]
    ],
    Case(
        "yaml-tag-front-matter",
        replace_in(INTRO, "numbered: false", "numbered: !!int abc"),
        rf"^{INTRO}:5: malformed YAML: the tag !!int is not allowed in a notice",
    ),
    Case(
        "yaml-huge-integer",
        replace_in("notice.yml", "coverage_page: true", "coverage_page: " + "7" * 5000),
        r"^notice\.yml:\d+: malformed YAML: a number of more than 100 digits",
    ),
    Case(
        "yaml-huge-integer-front-matter",
        replace_in(INTRO, "heading: false", "heading: " + "7" * 5000),
        rf"^{INTRO}:4: malformed YAML: a number of more than 100 digits",
    ),
    *[
        Case(
            f"control-character-{name}",
            replace_in(relative, old, new),
            rf"^{re.escape(relative)}:{line}: {key}: contains a control character "
            rf"\({re.escape(code)}\); remove it$",
        )
        for name, relative, old, new, line, key, code in [
            (
                "company",
                "notice.yml",
                "company: MetTel",
                r'company: "MetTel\a"',
                5,
                "company",
                "U+0007",
            ),
            (
                "summary-bidi",
                "notice.yml",
                "summary: The MetTel",
                r'summary: "\u202eThe MetTel" #',
                7,
                "summary",
                "U+202E",
            ),
            (
                "variable",
                "notice.yml",
                "email: privacy",
                r'email: "\x1b[31m" #',
                17,
                "variables.contact.email",
                "U+001B",
            ),
            (
                "title",
                INTRO,
                "title: Introduction",
                r'title: "Intro\u2028duction"',
                3,
                "title",
                "U+2028",
            ),
            (
                "covers",
                "sections/fcra-rights.md",
                "  - us-fcra.eligibility",
                r'  - "us-fcra.eligibility\u2066" #',
                9,
                "covers",
                "U+2066",
            ),
        ]
    ],
    Case(
        "id-trailing-newline",
        replace_in("sections/fcra-rights.md", "id: fcra-rights", 'id: "fcra-rights\\n"'),
        r"^sections/fcra-rights\.md:2: id: 'fcra-rights\\n' is not a valid id",
    ),
    Case(
        "id-trailing-newline-tree",
        replace_in("notice.yml", "  - introduction", '  - "introduction\\n"'),
        r"^notice\.yml:\d+: sections: 'introduction\\n' is not valid",
    ),
    Case(
        "control-character-raw",
        replace_in("notice.yml", "company: MetTel", "company: Met\x07Tel"),
        r"^notice\.yml:5: contains a control character \(U\+0007\); remove it$",
    ),
    Case(
        "yaml-duplicate-key",
        replace_in("notice.yml", "company: MetTel", "company: MetTel\ncompany: Other"),
        r"^notice\.yml:\d+: malformed YAML: duplicate key 'company'",
    ),
    Case(
        "yaml-wrong-type",
        replace_in("notice.yml", "company: MetTel", "company: [MetTel, Inc]"),
        r"^notice\.yml:\d+: company: must be a text",
    ),
    Case(
        "yaml-wrong-type-front-matter",
        replace_in("sections/cpni-rights.md", "title: CPNI Rights", "title: {a: b}"),
        r"^sections/cpni-rights\.md:3: title: a non-empty title is required",
    ),
    Case(
        "encoding-not-utf8",
        transform("sections/fcra-rights.md", lambda data: data + "\nCaf\xe9\n".encode("latin-1")),
        r"^sections/fcra-rights\.md:\d+: not valid UTF-8",
    ),
    Case(
        "encoding-bom",
        transform("notice.yml", lambda data: b"\xef\xbb\xbf" + data),
        "",
    ),
    Case(
        "encoding-crlf",
        transform("sections/fcra-rights.md", lambda data: data.replace(b"\n", b"\r\n")),
        "",
    ),
    Case(
        "date-impossible",
        replace_in("notice.yml", "last_updated: 2022-11-11", "last_updated: 2023-02-29"),
        r"^notice\.yml:\d+: last_updated: '2023-02-29' is not a valid date",
    ),
    Case(
        "date-time-zone",
        replace_in(
            "notice.yml", "last_updated: 2022-11-11", "last_updated: 2022-11-11T23:00-05:00"
        ),
        r"^notice\.yml:\d+: last_updated: .* write it as YYYY-MM-DD",
    ),
    Case(
        "date-far-future",
        replace_in("notice.yml", "last_updated: 2022-11-11", "last_updated: 9999-12-31"),
        r"^notice\.yml:\d+: last_updated: '9999-12-31' is out of range",
    ),
    Case(
        "date-far-past",
        replace_in("notice.yml", "last_updated: 2022-11-11", "last_updated: 0001-01-01"),
        r"^notice\.yml:\d+: last_updated: '0001-01-01' is out of range",
    ),
    Case(
        "id-duplicate",
        write_file("sections/again.md", b"---\nid: fcra-rights\ntitle: Again\n---\nText.\n"),
        r"^sections/(again|fcra-rights)\.md:2: duplicate section id 'fcra-rights'",
    ),
    Case(
        "id-unsafe-characters",
        replace_in("sections/fcra-rights.md", "id: fcra-rights", "id: ../../<b>fcra rights"),
        r"^sections/fcra-rights\.md:2: id: .* is not a valid id",
    ),
    Case(
        "size-huge-section",
        transform("sections/fcra-rights.md", lambda data: data + b"word " * 1_100_000),
        r"^sections/fcra-rights\.md: file is 5,\d{3},\d{3} bytes; the limit is 2,097,152: split it",
    ),
    Case("size-many-sections", many_sections(2000), ""),
    Case(
        "html-script",
        add_paragraph("introduction", "<script>alert(1)</script>"),
        rf"^{INTRO}:\d+: raw HTML is not allowed in a notice",
    ),
    Case(
        "html-event-handler",
        add_paragraph("introduction", "Hello <img src=x onerror=alert(1)> there"),
        rf"^{INTRO}:\d+: raw HTML is not allowed in a notice",
    ),
    Case(
        "html-iframe",
        add_paragraph("introduction", '<iframe src="https://evil.example/"></iframe>'),
        rf"^{INTRO}:\d+: raw HTML is not allowed in a notice",
    ),
    Case(
        "html-style",
        add_paragraph("introduction", "<style>body { display: none }</style>"),
        rf"^{INTRO}:\d+: raw HTML is not allowed in a notice",
    ),
    Case(
        "link-javascript",
        add_paragraph("introduction", "[click me](javascript:alert(1))"),
        rf"^{INTRO}:\d+: warning: link 'javascript:alert\(1' is refused",
        code=0,
    ),
    Case(
        "link-data",
        add_paragraph("introduction", "[x](data:text/html;base64,PHNjcmlwdD4=)"),
        rf"^{INTRO}:\d+: warning: link 'data:text/html;base64,PHNjcmlwdD4=' is refused",
        code=0,
    ),
    Case(
        "image-file-url",
        add_paragraph("introduction", "![x](file:///etc/passwd)"),
        rf"^{INTRO}:\d+: warning: image 'file:///etc/passwd' is refused",
        code=0,
    ),
    Case(
        "image-escaping-path",
        add_paragraph("introduction", "![x](../../../../etc/passwd)"),
        rf"^{INTRO}:\d+: warning: image '../../../../etc/passwd' points outside the project",
        code=0,
    ),
    Case(
        "image-remote",
        add_paragraph("introduction", "![x](http://tracker.example/pixel.gif)"),
        rf"^{INTRO}:\d+: warning: image 'http://tracker.example/pixel.gif' points to another site",
        code=0,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_source(cli, notice_dir: Path, case: Case):
    case.mutate(notice_dir)
    result = cli("check", "--root", str(notice_dir))
    assert_no_traceback(result)
    if not case.expect:
        assert result.code == 0, result.stderr
        return
    assert result.code == case.code, result.stderr
    is_warning = case.code == 0
    lines = [
        line
        for line in result.stderr.splitlines()
        if (": warning: " in line) == is_warning
        and not line.startswith("ok:")
        and not is_coverage_gap(line)  # the MetTel notice's known gaps
    ]
    assert len(lines) == 1, result.stderr
    assert re.search(case.expect, lines[0]), lines[0]
    assert PASSWD_LINE not in result.stdout + result.stderr


def test_bom_and_crlf_render_the_same_text(notice_dir: Path):
    before = render(load_notice(notice_dir)).text
    for path in [notice_dir / "notice.yml", *(notice_dir / "sections").glob("*.md")]:
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert render(load_notice(notice_dir)).text == before


def test_every_case_is_documented():
    missing = undocumented(case.id for case in CASES)
    assert not missing, f"cases without a row in SECURITY.md: {missing}"
