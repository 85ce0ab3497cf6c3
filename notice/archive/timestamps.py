"""RFC 3161 timestamps of ledger entries: ask a TSA for a token, check one offline (rfc3161-client).

The token's message imprint is the entry's hash: the SHA-256 of the entry's canonical JSON,
so `openssl ts -verify -digest <entry hash>` checks it as it stands. Tokens live in
archive/timestamps/<entry hash>.tsr (the TSA's whole DER reply); the certificates that are
trusted to sign them, the TSA's chain committed by a maintainer, in archive/tsa/*.pem.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    TimeStampResponse,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

from notice.archive.ledger import Entry, canonical
from notice.archive.store import Archive, ArchiveError
from notice.errors import NoticeError, Problem
from notice.files import write_atomic
from notice.layout import ARCHIVE_DIR, LEDGER

TIMESTAMPS_DIR = "timestamps"  # inside archive/
TSA_DIR = "tsa"  # inside archive/
TSA_TIMEOUT = 30  # seconds for the authority's answer
MAX_TOKEN_BYTES = 256 * 1024
MAX_CHAIN_BYTES = 1024 * 1024
QUERY_TYPE = "application/timestamp-query"


class TimestampError(NoticeError):
    """A token cannot be had, or does not prove what it should."""


@dataclass(frozen=True)
class Stamp:
    """A checked token: when the authority says the entry existed, and who says so."""

    time: datetime
    authority: str

    @property
    def shown(self) -> str:
        return self.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def token_name(entry: Entry) -> str:
    """The token's file name inside archive/timestamps/."""
    return f"{entry.digest}.tsr"


def request_token(url: str, entry: Entry, timeout: float = TSA_TIMEOUT) -> bytes:
    """Ask the authority at url for a token over the entry's hash; its DER reply."""
    if not url.startswith(("https://", "http://")):
        raise TimestampError(f"--tsa {url!r}: a time-stamping authority's http(s) URL, please")
    query = TimestampRequestBuilder(
        data=canonical(entry.record()), hash_algorithm=HashAlgorithm.SHA256, cert_req=True
    ).build()
    request = urllib.request.Request(
        url, data=query.as_bytes(), headers={"Content-Type": QUERY_TYPE}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            data = answer.read(MAX_TOKEN_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise TimestampError(f"the time-stamping authority {url} did not answer: {exc}") from None
    if len(data) > MAX_TOKEN_BYTES:
        raise TimestampError(f"{url} answered more than {MAX_TOKEN_BYTES:,} bytes")
    reply = _decoded(data, url)
    if PKIStatus(reply.status) not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise TimestampError(f"{url} refused the timestamp: {', '.join(reply.status_string)}")
    if reply.tst_info.nonce != query.nonce:
        raise TimestampError(f"{url} answered another request (its nonce differs)")
    _check_imprint(reply, entry, url)
    return data


def load_chain(folder: Path) -> list[x509.Certificate]:
    """Every certificate in archive/tsa/*.pem, in file-name order (TimestampError if none)."""
    certificates: list[x509.Certificate] = []
    for path in sorted(folder.glob("*.pem")) if folder.is_dir() else ():
        if path.is_symlink() or path.stat().st_size > MAX_CHAIN_BYTES:
            raise TimestampError(f"{path.name}: a link or over {MAX_CHAIN_BYTES:,} bytes")
        try:
            certificates += x509.load_pem_x509_certificates(path.read_bytes())
        except ValueError as exc:
            raise TimestampError(
                f"archive/{TSA_DIR}/{path.name}: not PEM certificates: {exc}"
            ) from None
    if not certificates:
        raise TimestampError(
            f"archive/{TSA_DIR}/ holds no certificate: a maintainer commits the TSA's chain there"
        )
    return certificates


def check_token(data: bytes, entry: Entry, chain: list[x509.Certificate], where: str) -> Stamp:
    """The token's time, once it is shown to be a granted RFC 3161 token over this entry's
    hash, signed by a certificate that chains to archive/tsa/ (TimestampError naming why)."""
    reply = _decoded(data, where)
    if PKIStatus(reply.status) not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise TimestampError(f"{where}: the authority did not grant this token")
    _check_imprint(reply, entry, where)
    roots = [c for c in chain if c.issuer == c.subject]
    builder = VerifierBuilder()
    for certificate in roots:
        builder = builder.add_root_certificate(certificate)
    for certificate in chain:
        if certificate not in roots:
            builder = builder.add_intermediate_certificate(certificate)
    if not roots:
        raise TimestampError(f"archive/{TSA_DIR}/ holds no root (self-signed) certificate")
    try:
        builder.build().verify(reply, bytes.fromhex(entry.digest))
    except VerificationError as exc:
        raise TimestampError(
            f"{where}: its signature or certificate path does not check against "
            f"archive/{TSA_DIR}/ ({exc}): it was not made by the TSA whose chain is committed"
        ) from None
    name = getattr(reply.tst_info.name, "value", None)
    shown = name.rfc4514_string() if isinstance(name, x509.Name) else "an unnamed authority"
    return Stamp(reply.tst_info.gen_time, shown)


def _decoded(data: bytes, where: str) -> TimeStampResponse:
    try:
        return decode_timestamp_response(data)
    except (ValueError, VerificationError) as exc:
        raise TimestampError(f"{where}: not an RFC 3161 timestamp reply ({exc})") from None


def _check_imprint(reply: TimeStampResponse, entry: Entry, where: str) -> None:
    imprint = reply.tst_info.message_imprint.message.hex()
    if imprint != entry.digest:
        raise TimestampError(
            f"{where}: the token is for the hash {imprint}, not for {entry.label}'s "
            f"{entry.digest}: it timestamps something else"
        )


def token_path(archive: Archive, entry: Entry) -> Path:
    return archive.base / TIMESTAMPS_DIR / token_name(entry)


def entry_stamps(
    archive: Archive, entries: list[Entry], require: bool = False
) -> tuple[list[tuple[Entry, Stamp]], list[Problem]]:
    """Each entry's checked timestamp, and the problems: a token that does not prove its
    entry, a time not after the previous entry's, and with require a release without one."""
    stamps: list[tuple[Entry, Stamp]] = []
    problems: list[Problem] = []
    chain: list[x509.Certificate] | None = None
    before: Stamp | None = None
    for entry in entries:
        path = token_path(archive, entry)
        shown = archive.relative(path)
        try:
            data = archive.read(path, MAX_TOKEN_BYTES)
        except ArchiveError as exc:  # a link, or over the size limit
            problems.append(Problem(shown, None, f"cannot be read: {exc}"))
            continue
        except FileNotFoundError:
            if require:
                message = (
                    f"{entry.label} has no RFC 3161 timestamp: {shown} is missing "
                    "(released without --tsa); nothing outside the repository dates it"
                )
                problems.append(Problem(LEDGER, entry.line or None, message))
            continue
        try:
            chain = chain if chain is not None else load_chain(archive.base / TSA_DIR)
            stamp = check_token(data, entry, chain, shown)
        except TimestampError as exc:
            problems.append(Problem(shown, None, str(exc).removeprefix(f"{shown}: ")))
            continue
        if before is not None and stamp.time < before.time:  # a TSA's second may be shared
            message = (
                f"{entry.label} is timestamped {stamp.shown}, before the entry before it "
                f"({before.shown}): the tokens are out of order"
            )
            problems.append(Problem(shown, None, message))
        stamps.append((entry, stamp))
        before = stamp
    return stamps, problems


def write_token(archive: Archive, entry: Entry, data: bytes) -> Path:
    """Store a token beside the ledger (archive/timestamps/<entry hash>.tsr), atomically."""
    path = token_path(archive, entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
    return path


TIMESTAMPS_PATH = f"{ARCHIVE_DIR}/{TIMESTAMPS_DIR}"
