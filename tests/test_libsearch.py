"""WeasyPrint's libraries found from the linker's cache: the answers ctypes gives, without its
ldconfig, gcc and ld runs for every name WeasyPrint tries."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

from notice.publish.libsearch import cached_finder, libraries_from_linker_cache, linker_cache

# the names WeasyPrint 70 tries (weasyprint/text/ffi.py), found or not, and a few ordinary ones
NAMES = (
    *("libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0", "libpango-1.0-0", "pango-1.0"),
    *("libharfbuzz-0", "harfbuzz", "harfbuzz-subset", "harfbuzz-vector", "harfbuzz-vector-0.0"),
    *("libharfbuzz-vector.0.dylib", "libharfbuzz-vector-0.dll", "fontconfig-1", "fontconfig"),
    *("pangoft2-1.0", "c", "m", "z", "no-such-library"),
)

pytestmark = pytest.mark.skipif(linker_cache() is None, reason="no glibc ldconfig here")


def test_the_cache_answers_as_ctypes_does() -> None:
    find = cached_finder(linker_cache() or b"")
    assert [find(name) for name in NAMES] == [ctypes.util.find_library(n) for n in NAMES]
    assert find("pango-1.0") == "libpango-1.0.so.0"


def test_ctypes_is_as_it_was_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    original = ctypes.util.find_library
    monkeypatch.delenv("LD_LIBRARY_PATH", raising=False)
    monkeypatch.delenv("LIBRARY_PATH", raising=False)
    with libraries_from_linker_cache():
        assert ctypes.util.find_library is not original
    assert ctypes.util.find_library is original
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/libs")  # folders the cache does not list
    with libraries_from_linker_cache():
        assert ctypes.util.find_library is original


COUNTED_IMPORT = """\
import ctypes.util, sys
asked = []
original = ctypes.util.find_library
ctypes.util.find_library = lambda name: asked.append(name) or original(name)
import notice.publish.pdf
print(len(asked), "weasyprint" in sys.modules, ctypes.util.find_library.__name__)
"""


def test_the_pdf_writer_loads_weasyprint_without_ctypes_search() -> None:
    result = subprocess.run(
        [sys.executable, "-c", COUNTED_IMPORT], capture_output=True, text=True, timeout=120
    )
    assert result.stdout.split() == ["0", "True", "<lambda>"], result.stdout + result.stderr
