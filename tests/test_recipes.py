"""Golden tests: every text recipe, old and new, hashes the released 2022-11-11 commit the same
forever (rendered/1 to its ledger value), and rendering/3 sees what a reader sees."""

from __future__ import annotations

import json

import pytest

from notice.render.canonical import RECIPE, canonical_html, canonical_text
from notice.render.legacy import rendered_1_text
from notice.render.texthash import RECIPES, text_hash
from notice.source.gittree import GitTree, open_repository
from notice.versions.history import render_tree
from tests.conftest import PROJECT

RELEASED_COMMIT = "459ecfa7ceb04969e0ab1c55d184711582edcb65"  # the 2022-11-11 release
GOLDEN = {
    "rendered/1": "1f1c458543ab3764d34bdc85733645285c696a0c28dfea408fc4ee1107e1689c",
    "canonical/2": "3fa3ebfc30359c2a0a0a53a0d72b43586bd5b8a9a39b6fb3349715d34ae77a80",
    "rendering/3": "a61d04834394f7959008eb60f69258fe90f163a29bb673d2fea314261c335996",
}


@pytest.fixture(scope="module")
def released():
    notice_repo = open_repository(PROJECT)
    return render_tree(GitTree(notice_repo.repo.commit(RELEASED_COMMIT), notice_repo.prefix))


def test_every_recipe_has_a_golden_hash_and_the_ledger_keeps_its_own(released):
    assert set(GOLDEN) == set(RECIPES) and RECIPE == "rendering/3"
    assert {recipe: text_hash(released, recipe) for recipe in RECIPES} == GOLDEN
    ledger = json.loads((PROJECT / "archive" / "ledger.json").read_text(encoding="utf-8"))
    [entry] = ledger["entries"]
    assert entry["commit"] == RELEASED_COMMIT and "text_recipe" not in entry
    assert entry["text_sha256"] == GOLDEN["rendered/1"]


def test_the_frozen_plain_text_is_still_the_rendering_s(released):
    # rendered/1 is a frozen copy; today it agrees with the live plain text (a later change to
    # the live one must leave the copy, and this golden hash, alone)
    assert rendered_1_text(released) == released.text


def test_rendering_3_keeps_what_a_reader_sees_and_only_that(released):
    text = canonical_text(released)
    assert text.startswith("rendering/3\nlang: en\ntitle: MetTel Privacy Notice\n")
    assert "last_updated: 2022-11-11\neffective: 2022-11-11\n" in text
    assert '<p>Last updated: <time datetime="2022-11-11">November 11, 2022</time></p>' in text
    assert "class=" not in text and "\n\n" not in text
    same = canonical_html('<p title="x"  id="a">one\n  <em>two</em> &amp;   three</p>\n\n')
    assert same == canonical_html('<p id="a" title="x">one <em>two</em> &amp; three</p>')
    assert same == '<p id="a" title="x">one <em>two</em> &amp; three</p>'
    for other in (
        '<p id="a" title="y">one <em>two</em> &amp; three</p>',
        '<p id="a" title="x">one <s>two</s> &amp; three</p>',
        '<p id="a" title="x">one two &amp; three</p>',
    ):
        assert canonical_html(other) != same, other
    assert canonical_html("<pre>a  b</pre>") != canonical_html("<pre>a b</pre>")
