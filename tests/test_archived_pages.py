"""The page count the site shows for an archived PDF, judged by poppler's pdfinfo."""

from __future__ import annotations

import re
import subprocess

from notice.publish.site.versions import page_count
from tests.conftest import PROJECT

RELEASED = PROJECT / "archive" / "mettel-privacy-notice-2022-11-11.pdf"


def test_the_released_pdf_has_the_pages_pdfinfo_counts() -> None:
    info = subprocess.run(["pdfinfo", str(RELEASED)], capture_output=True, text=True, check=True)
    pages = re.search(r"^Pages:\s+(\d+)$", info.stdout, re.MULTILINE)
    assert pages is not None, info.stdout
    assert page_count(RELEASED.read_bytes()) == int(pages.group(1))


def test_what_is_not_a_readable_pdf_has_no_page_count() -> None:
    data = RELEASED.read_bytes()
    for broken in (b"", b"not a PDF at all", data[:2000], b"%PDF-1.7\n" + bytes(range(256))):
        assert page_count(broken) is None
