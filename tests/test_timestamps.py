"""RFC 3161 timestamps against a real local authority (openssl ts -reply behind HTTP):
release --tsa stores a token, verify checks it offline against archive/tsa/ and names its time;
tampered, foreign and misdirected tokens fail; --require-timestamps wants one on every entry."""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from rfc3161_client import HashAlgorithm, TimestampRequestBuilder, decode_timestamp_response

from notice.archive.ledger import canonical, parse_ledger
from tests.conftest import PROJECT, assert_no_traceback, commit_all, copy_notice, git, run_notice
from tests.test_archive import copy_repo, new_version
from tests.tsa import Authority, make_authority, serving

LEDGER = "archive/ledger.json"


@pytest.fixture(scope="module")
def trusted(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    return make_authority(tmp_path_factory.mktemp("trusted"), "Trusted")


@pytest.fixture(scope="module")
def outsider(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    """An authority whose chain is not in archive/tsa/."""
    return make_authority(tmp_path_factory.mktemp("outsider"), "Outsider")


@pytest.fixture(scope="module")
def tsa_url(trusted: Authority) -> Iterator[str]:
    with serving(trusted) as url:
        yield url


def entries(repo: Path) -> list:
    return parse_ledger((repo / LEDGER).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def stamped_template(tmp_path_factory, trusted: Authority, tsa_url: str) -> Path:
    """2022-11-11 released without a timestamp (as in this repository), the TSA's chain
    committed by a maintainer, then 2023-03-01 released with --tsa; all committed."""
    repo = copy_notice(tmp_path_factory.mktemp("stamped") / "repo")
    git(repo, "init", "-q")
    commit_all(repo, "MetTel notice of 2022-11-11")
    first = run_notice("release", "--root", str(repo))
    assert first.code == 0, first.stderr
    assert "entry 2022-11-11 is not timestamped" in first.stderr  # the warning
    (repo / "archive/tsa").mkdir()
    (repo / "archive/tsa/chain.pem").write_bytes(trusted.ca.read_bytes())
    commit_all(repo, "Release 2022-11-11; the TSA's chain")
    new_version(repo)
    second = run_notice("release", "--tsa", tsa_url, "--root", str(repo))
    assert second.code == 0, second.stderr
    assert "not timestamped" not in second.stderr
    commit_all(repo, "Release 2023-03-01")
    return repo


@pytest.fixture
def stamped(stamped_template: Path, tmp_path: Path) -> Path:
    return copy_repo(stamped_template, tmp_path / "repo")


def token_of(repo: Path, index: int = -1) -> Path:
    return repo / "archive/timestamps" / f"{entries(repo)[index].digest}.tsr"


def test_release_with_tsa_stores_a_token_that_verify_and_openssl_accept(stamped_template: Path):
    token = token_of(stamped_template)
    assert token.is_file()
    assert not token_of(stamped_template, 0).exists()
    result = run_notice("verify", "--root", str(stamped_template))
    assert result.code == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("entry 2023-03-01"))
    assert line.startswith("entry 2023-03-01: timestamped 20") and line.endswith("CN=Trusted TSA")
    assert "2 release(s) verified, 1 timestamped" in result.stderr
    record = json.loads(run_notice("verify", "--json", "--root", str(stamped_template)).stdout)
    assert [t["version"] for t in record["timestamps"]] == ["2023-03-01"]
    # The independent judge: openssl checks the token over the entry's hash with the chain.
    digest = entries(stamped_template)[-1].digest
    chain = stamped_template / "archive/tsa/chain.pem"
    command = ["openssl", "ts", "-verify", "-digest", digest, "-in", str(token), "-CAfile"]
    checked = subprocess.run([*command, str(chain)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and "Verification: OK" in checked.stdout, checked.stderr


def test_require_timestamps_fails_on_the_entry_released_without_one(stamped_template: Path):
    result = run_notice("verify", "--require-timestamps", "--root", str(stamped_template))
    assert_no_traceback(result)
    assert result.code == 1
    assert "entry 2022-11-11 has no RFC 3161 timestamp" in result.stderr
    assert "2023-03-01 has no" not in result.stderr


def test_this_repositorys_untimestamped_release_passes_plain_verify_only():
    assert run_notice("verify", "--root", str(PROJECT)).code == 0
    strict = run_notice("verify", "--require-timestamps", "--root", str(PROJECT))
    assert strict.code == 1 and "entry 2022-11-11 has no RFC 3161 timestamp" in strict.stderr


def token_over(authority_url: str, data: bytes) -> bytes:
    query = TimestampRequestBuilder(data=data, hash_algorithm=HashAlgorithm.SHA256).build()
    request = urllib.request.Request(
        authority_url,
        data=query.as_bytes(),
        headers={"Content-Type": "application/timestamp-query"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.read()


def altered_by_one_byte(repo: Path, url: str, outsider: Authority) -> str:
    token = token_of(repo)
    data = bytearray(token.read_bytes())
    data[-1] ^= 0x01  # the last byte of the signature
    token.write_bytes(bytes(data))
    return "its signature or certificate path does not check against archive/tsa/"


def for_another_hash(repo: Path, url: str, outsider: Authority) -> str:
    first = entries(repo)[0]
    token_of(repo).write_bytes(token_over(url, canonical(first.record())))
    return f"the token is for the hash {first.digest}, not for entry 2023-03-01's"


def signed_outside_the_chain(repo: Path, url: str, outsider: Authority) -> str:
    with serving(outsider) as other:
        token_of(repo).write_bytes(token_over(other, canonical(entries(repo)[-1].record())))
    return "it was not made by the TSA whose chain is committed"


def a_link(repo: Path, url: str, outsider: Authority) -> str:
    token = token_of(repo)
    token.unlink()
    token.symlink_to("/etc/passwd")
    return "is a link: refused"


@pytest.mark.parametrize(
    "tamper", [altered_by_one_byte, for_another_hash, signed_outside_the_chain, a_link]
)
def test_a_token_that_does_not_prove_its_entry_fails_verify(stamped, tsa_url, outsider, tamper):
    expected = tamper(stamped, tsa_url, outsider)
    result = run_notice("verify", "--root", str(stamped))
    assert_no_traceback(result)
    assert result.code == 1
    token = token_of(stamped).relative_to(stamped).as_posix()
    line = next(x for x in result.stderr.splitlines() if x.startswith(f"{token}: "))
    assert expected in line, result.stderr


def test_release_refuses_when_the_authority_does_not_answer(tmp_path: Path):
    repo = copy_notice(tmp_path / "repo")
    git(repo, "init", "-q")
    commit_all(repo, "MetTel notice of 2022-11-11")
    result = run_notice("release", "--tsa", "http://127.0.0.1:9/", "--root", str(repo))
    assert_no_traceback(result)
    assert result.code == 1
    assert "did not answer" in result.stderr and "nothing was written" in result.stderr
    assert not (repo / LEDGER).exists()


def test_the_publish_workflow_passes_the_authority_from_a_repository_variable():
    workflow = yaml.safe_load((PROJECT / ".github/workflows/publish.yml").read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    release = next(s for s in steps if "notice release" in s.get("run", ""))
    assert release["env"]["NOTICE_TSA_URL"] == "${{ vars.NOTICE_TSA_URL }}"
    assert '--tsa "$NOTICE_TSA_URL"' in release["run"] and "${{" not in release["run"]


def test_verify_report_says_what_the_validators_find_in_each_archived_pdf():
    # This repository's PDF, frozen before the toolkit made PDF/UA: its faults, named; a report,
    # not a verdict (new PDFs have none: tests/test_pdf_conformance.py).
    result = run_notice("verify", "--report", "--root", str(PROJECT))
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [x.split(": ")[1] for x in lines if x.startswith("archive/")] == [
        "page-validation PDF_A_3A",
        "page-validation PDF_UA_1",
        "outloud PDF/UA-1+WCAG",
    ]
    assert lines[0] == (
        "archive/mettel-privacy-notice-2022-11-11.pdf: page-validation PDF_A_3A: "
        "PDFA3A-METADATA-FILTER-001 the catalog metadata stream dictionary contains a Filter key"
    )
    assert "PDFUA1-LI-KIDS-001" in lines[1] and "PAG-001" in lines[2] and "LNK-010" in lines[2]


def test_the_evidence_pack_holds_what_the_ledger_pins_and_its_commands_work_as_written(
    stamped_template: Path, tmp_path: Path
):
    pack = tmp_path / "evidence.zip"
    result = run_notice(
        "evidence", "2023-05-01", "--out", str(pack), "--root", str(stamped_template)
    )
    assert result.code == 0, result.stderr
    assert "version 2023-03-01" in result.stdout and "all passed" in result.stdout
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(pack) as opened:
        opened.extractall(folder)
    entry = entries(stamped_template)[-1]
    pdf = folder / "pdf" / entry.pdf
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == entry.pdf_sha256  # the ledger's
    assert (folder / "ledger.json").read_bytes() == (stamped_template / LEDGER).read_bytes()
    assert (folder / "source/notice.yml").is_file()
    report = (folder / "report.html").read_text(encoding="utf-8")
    rows = re.findall(
        r'<code class="command">(.*?)</code></td>\s*<td>(?:<code>(.*?)</code>)?</td>', report
    )
    commands = {html.unescape(command): html.unescape(expected) for command, expected in rows}
    openssl = [c for c in commands if c.startswith("openssl ts -verify")]
    assert len(openssl) == 1 and entry.digest in openssl[0]
    assert commands[f"sha256sum pdf/{entry.pdf}"] == entry.pdf_sha256
    # Every command a common tool runs, as written, from the unpacked folder, gives what the
    # report expects (the toolkit's own `notice verify` and git need the repository).
    tools = ("openssl", "sha256sum", "jq", "pdfdetach")
    ran_any = 0
    for command, expected in commands.items():
        if not command.startswith(tools):
            continue
        ran = subprocess.run(command, shell=True, cwd=folder, capture_output=True, text=True)
        assert ran.returncode == 0, (command, ran.stderr)
        if expected == "no output from cmp":
            assert ran.stdout == "", command
        else:
            assert expected in ran.stdout, (command, ran.stdout, expected)
        ran_any += 1
    assert ran_any == 4  # the chain (jq), the PDF's hash, its attached source, the token
    again = tmp_path / "again.zip"
    run_notice("evidence", "2023-05-01", "--out", str(again), "--root", str(stamped_template))
    assert again.read_bytes() == pack.read_bytes()  # the same archive gives the same pack


def test_a_token_earlier_than_the_entry_before_fails_verify(stamped: Path, tsa_url: str):
    """Both tokens genuine, but the later entry's was made first: the times contradict the
    chain (an entry's hash exists only once the entry before it does)."""
    first = entries(stamped)[0]
    later = token_over(tsa_url, canonical(first.record()))
    earlier = decode_timestamp_response(token_of(stamped).read_bytes()).tst_info.gen_time
    while decode_timestamp_response(later).tst_info.gen_time <= earlier:  # one-second clock
        time.sleep(0.5)
        later = token_over(tsa_url, canonical(first.record()))
    token_of(stamped, 0).write_bytes(later)
    result = run_notice("verify", "--root", str(stamped))
    assert result.code == 1
    assert "entry 2023-03-01 is timestamped" in result.stderr
    assert "before the entry before it" in result.stderr and "out of order" in result.stderr
