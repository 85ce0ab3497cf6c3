"""Ask independent validators about a PDF: page-validation (PDF/A, PDF/UA-1) and outloud.

Both are optional (the `test` extra installs them); without them the report says so. Each
verdict is the tool's own: this module only picks the profile the PDF declares and collects
what the tools find.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pikepdf

try:
    import page
except ImportError:  # pragma: no cover - the report names the missing tool
    page = None  # type: ignore[assignment]

OUTLOUD_TIMEOUT = 120  # seconds for one PDF
_PDFA = re.compile(rb'pdfaid:part(?:="|>)(\d)["<].*?pdfaid:conformance(?:="|>)([ABU])["<]', re.S)
_PDFUA = re.compile(rb'pdfuaid:part(?:="|>)(\d)["<]')


@dataclass(frozen=True)
class Verdict:
    """One tool under one profile: its findings (empty: it accepts the file)."""

    tool: str
    profile: str
    findings: tuple[str, ...]
    available: bool = True

    @property
    def ok(self) -> bool:
        return self.available and not self.findings

    def line(self) -> str:
        if not self.available:
            return f"{self.tool} {self.profile}: not installed (pip install 'notice-toolkit[test]')"
        if not self.findings:
            return f"{self.tool} {self.profile}: no failure"
        return f"{self.tool} {self.profile}: " + "; ".join(self.findings)


def declared(data: bytes) -> tuple[str | None, str | None]:
    """The PDF/A level ("3A") and PDF/UA part ("1") the file's XMP declares, or None."""
    try:
        with pikepdf.open(BytesIO(data)) as pdf:
            xmp = pdf.Root.Metadata.read_bytes() if "/Metadata" in pdf.Root else b""
    except pikepdf.PdfError:
        xmp = b""
    pdfa, pdfua = _PDFA.search(xmp), _PDFUA.search(xmp)
    level = f"{pdfa.group(1).decode()}{pdfa.group(2).decode()}" if pdfa else None
    return level, pdfua.group(1).decode() if pdfua else None


def page_verdicts(data: bytes) -> list[Verdict]:
    """page-validation under the PDF/A profile the file declares and under PDF/UA-1."""
    level, _ = declared(data)
    names = [f"PDF_A_{level}" if level else "PDF_A_3A", "PDF_UA_1"]
    if page is None:
        return [Verdict("page-validation", name, (), available=False) for name in names]
    verdicts = []
    for name in names:
        report = page.validate_pdf_bytes(data, profile=getattr(page.ValidationProfile, name))
        found = tuple(f"{f.rule_id} {f.message}" for f in report.failures)
        verdicts.append(Verdict("page-validation", name, found))
    return verdicts


def outloud_verdicts(paths: list[Path]) -> dict[Path, Verdict]:
    """outloud's errors and warnings for each PDF (one run of its command for all)."""
    command = shutil.which("outloud", path=str(Path(sys.executable).parent)) or shutil.which(
        "outloud"
    )
    if command is None or not paths:
        return {path: Verdict("outloud", "PDF/UA-1+WCAG", (), False) for path in paths}
    result = subprocess.run(
        [command, "--json", "-", "--fail-on", "never", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=OUTLOUD_TIMEOUT * len(paths),
        check=False,
    )
    results = json.loads(result.stdout)["results"]
    verdicts = {}
    for path, found in zip(paths, results, strict=True):
        findings = tuple(
            f"{f['rule']} {f['severity']}: {f['message']}"
            + (f" ({f['evidence']})" if f.get("evidence") else "")
            for f in found["findings"]
            if f["severity"] in ("error", "warning")
        )
        if found.get("error"):
            findings = (*findings, f"unreadable: {found['error']}")
        verdicts[path] = Verdict("outloud", "PDF/UA-1+WCAG", findings)
    return verdicts


def verdicts(paths: list[Path]) -> dict[Path, list[Verdict]]:
    """Every validator's verdict on each PDF."""
    loud = outloud_verdicts(paths)
    return {path: [*page_verdicts(path.read_bytes()), loud[path]] for path in paths}
