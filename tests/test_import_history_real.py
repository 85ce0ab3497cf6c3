"""A real multi-year history in Italian (Firefox's privacy notice, 2014-2020, six versions from
mozilla/legal-docs): each version is dated from its own text, never from a file or a commit."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import pytest
from git import Repo

from notice.importer.history import file_versions, import_history
from tests.conftest import FIXTURES

HISTORY = FIXTURES / "real" / "history" / "mozilla-it"
SOURCES = list(csv.reader((HISTORY / "SOURCES.tsv").open(encoding="utf-8"), delimiter="\t"))
# What each version states (its third line): '15 aprile 2014', 'Effettivo dal 28 settembre
# 2017', 'In vigore dal venerdì 15 marzo 2019', "In vigore dall'8 settembre 2020".
STATED = ["2014-04-15", "2016-06-24", "2017-06-05", "2017-09-28", "2019-03-15", "2020-09-08"]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    target = tmp_path_factory.mktemp("mozilla-it") / "project"
    files = [HISTORY / row[0] for row in SOURCES]
    report = import_history(file_versions(files), target, now=datetime(2024, 1, 1, tzinfo=UTC))
    return report, target


def test_each_version_is_dated_from_its_own_text(imported):
    report, target = imported
    assert [str(v.day) for v in report.versions] == STATED
    log = Repo(target).git.log("--reverse", "--format=%ad", "--date=short").split()
    assert log == STATED
    committed = [row[4] for row in SOURCES]  # when mozilla/legal-docs committed each version
    assert all(day != when for day, when in zip(STATED, committed, strict=True))
    assert not [w for w in report.warnings if "no date of its own" in w.message]


def test_the_history_keeps_one_title_and_the_language_of_each_version(imported):
    report, _ = imported
    titles = [v.rendered.notice.title for v in report.versions]
    assert titles[0] == "Avviso sulla privacy del browser Firefox"
    assert titles[-1] == "Firefox - Avviso sulla privacy"
    assert all(v.report.words is not None and v.report.words.same for v in report.versions)


def test_the_history_files_are_the_published_versions():
    for row in SOURCES:
        assert row[1:3] == ["mozilla/legal-docs", "firefox_privacy_notice/it.md"]
        assert len(row[3]) == 40 and (HISTORY / row[0]).is_file()
