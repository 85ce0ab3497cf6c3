"""Fewer garbage collections while a build runs: most of what it allocates lives until its end."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# Python collects its youngest objects every 700 allocations and, now and then, every object: a
# cold build (mkdocs, material, WeasyPrint and fontTools loaded together) spent a tenth of its
# time there, finding little, since the modules, the theme and the layout stay alive to the end.
YOUNG_THRESHOLD = 20_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Leave what is alive now (the imported modules) out of every collection, and collect the
    young objects less often; the collector's settings as they were afterwards. Garbage is still
    collected, later: memory stays bounded."""
    saved = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *saved[1:])
    try:
        yield
    finally:
        gc.set_threshold(*saved)
        gc.unfreeze()
