"""Pausing Python's cyclic garbage collector while a batch builds its many small containers."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off, then turn it back on (if it was on).

    Standardising, blocking and the guarded union-find build millions of short tuples, sets and dicts,
    none in reference cycles; every automatic collection still walks the live containers. On a
    1,029,146-record drawn world, dedupe took 48.8 s with the collector off against 52.5 s with it on
    (the union-find's setup alone 0.5 s against 1.9 s), for 45 MB more at the peak: reference counting
    frees everything the batch drops, and the cycles pandas makes wait for the next collection after it.
    Worker processes forked inside the block inherit the pause.
    """
    if not gc.isenabled():  # paused already by a caller
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
