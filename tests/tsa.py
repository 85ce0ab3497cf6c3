"""A real RFC 3161 time-stamping authority for tests: a throwaway CA and TSA certificate made by
`openssl`, and `openssl ts -reply` behind a stdlib HTTP handler on 127.0.0.1 (one thread,
bounded requests, stops itself after a while)."""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MAX_QUERY = 64 * 1024
LIFETIME = 600  # seconds before the server stops on its own

CONFIG = """\
[ tsa ]
default_tsa = local
[ local ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/tsa.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.57264.3.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""
TSA_EXTENSIONS = """\
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
"""


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@dataclass(frozen=True)
class Authority:
    """A CA and the TSA certificate it issued, in folder."""

    folder: Path
    name: str

    @property
    def ca(self) -> Path:
        return self.folder / "ca.crt"

    @property
    def config(self) -> Path:
        return self.folder / "tsa.cnf"

    def reply(self, query: bytes) -> bytes:
        """What `openssl ts -reply` answers to a DER time-stamp query."""
        (self.folder / "query.tsq").write_bytes(query)
        openssl(
            "ts", "-reply", "-config", str(self.config), "-queryfile", "query.tsq",
            "-out", "reply.tsr", cwd=self.folder,
        )  # fmt: skip
        return (self.folder / "reply.tsr").read_bytes()


def make_authority(folder: Path, name: str) -> Authority:
    """A self-signed root CA and a TSA certificate (critical timeStamping EKU) it signs."""
    folder.mkdir(parents=True, exist_ok=True)
    curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl(
        "req", "-x509", *curve, "-keyout", "ca.key", "-out", "ca.crt", "-days", "3650",
        "-subj", f"/CN={name} Root CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=folder,
    )  # fmt: skip
    openssl(
        "req", *curve, "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", f"/CN={name} TSA",
        cwd=folder,
    )  # fmt: skip
    (folder / "tsa.ext").write_text(TSA_EXTENSIONS)
    openssl(
        "x509", "-req", "-in", "tsa.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-set_serial", "2", "-days", "3650", "-extfile", "tsa.ext", "-out", "tsa.crt",
        cwd=folder,
    )  # fmt: skip
    (folder / "serial").write_text("01\n")
    (folder / "tsa.cnf").write_text(CONFIG.format(dir=folder))
    return Authority(folder, name)


@contextlib.contextmanager
def serving(authority: Authority) -> Iterator[str]:
    """The authority answering on http://127.0.0.1:PORT/ (its URL) while the block runs."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            if self.headers.get("Content-Type") != "application/timestamp-query" or not (
                0 < length <= MAX_QUERY
            ):
                self.send_error(400, "a time-stamp query, please")
                return
            answer = authority.reply(self.rfile.read(length))
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass  # quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stop = threading.Timer(LIFETIME, server.shutdown)
    stop.daemon = True
    stop.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        stop.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def throwaway(name: str) -> Authority:
    """An authority in a fresh temporary folder (for quick experiments)."""
    return make_authority(Path(tempfile.mkdtemp(prefix="tsa-")), name)
