"""Find the system libraries WeasyPrint loads from one reading of the dynamic linker's cache."""

from __future__ import annotations

import contextlib
import ctypes.util
import os
import re
import struct
import subprocess
import sys
from collections.abc import Iterator
from typing import Protocol

# WeasyPrint tries up to six names per library (Linux, macOS and Windows spellings) and cffi asks
# ctypes.util.find_library for each: on Linux every name it misses runs ldconfig, gcc and ld,
# some forty processes in all, a sixth of a cold `notice build`. The cache answers the same.
LDCONFIG = "/sbin/ldconfig"
# ctypes.util's own names for the ABI tags of `ldconfig -p`
_ABI = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}
# Folders the linker's cache does not list, which ctypes' own search reads through gcc and ld.
_SEARCH_PATHS = ("LD_LIBRARY_PATH", "LIBRARY_PATH")


class Finder(Protocol):
    """What ctypes.util.find_library is: a library's name to its file name, or None."""

    def __call__(self, name: str) -> str | None: ...


@contextlib.contextmanager
def libraries_from_linker_cache() -> Iterator[None]:
    """While inside, ctypes.util.find_library answers from the linker's cache read once, as its
    first step would; outside Linux, without ldconfig or with a library path set, as it was."""
    cache = linker_cache() if sys.platform.startswith("linux") else None
    if cache is None or any(os.environ.get(name) for name in _SEARCH_PATHS):
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = cached_finder(cache)
    try:
        yield
    finally:
        ctypes.util.find_library = original


def linker_cache() -> bytes | None:
    """The output of `ldconfig -p` (the libraries the dynamic linker knows), None without it."""
    try:
        result = subprocess.run(
            [LDCONFIG, "-p"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env={"LC_ALL": "C", "LANG": "C"},
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 and result.stdout else None


def cached_finder(cache: bytes) -> Finder:
    """find_library's answer from the cache: the soname of the first lib<name>.* of this ABI."""
    machine = f"{os.uname().machine}-{struct.calcsize('l') * 8}"
    abi = re.escape(_ABI.get(machine, "libc6").encode())

    def find(name: str) -> str | None:
        pattern = rb"\s+(lib%s\.[^\s]+)\s+\(%s" % (re.escape(os.fsencode(name)), abi)
        found = re.search(pattern, cache)
        return os.fsdecode(found.group(1)) if found else None

    return find
