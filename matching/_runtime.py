"""How the interpreter and numpy run a large batch: the garbage collector paused, and numpy's large
arrays without transparent huge pages where the kernel would stall to compact memory for them."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import numpy as np

# The kernel's THP defrag modes that compact memory synchronously when a region madvised for huge pages
# faults in (Documentation/admin-guide/mm/transhuge.rst); "defer" and "never" do not.
_STALLING_DEFRAG = frozenset({"always", "madvise", "defer+madvise"})
_THP = Path("/sys/kernel/mm/transparent_hugepage")


def _selected(path: Path) -> str | None:
    """The bracketed choice of a sysfs setting (``always defer [madvise] never`` -> ``madvise``)."""
    try:
        text = path.read_text(encoding="ascii")
    except OSError:
        return None
    start, end = text.find("["), text.find("]")
    return text[start + 1 : end] if 0 <= start < end else None


@cache
def _hugepages_stall() -> bool:
    """Whether numpy's huge-page advice makes this machine compact memory on every large array's faults.

    numpy advises huge pages for every array of 4 MB or more. Where the kernel then compacts memory
    synchronously, a million-record dedupe spent 30 s in the kernel against 10 s without the advice (and
    took 83 s against 65 s of wall time, the same peak). A user's own ``NUMPY_MADVISE_HUGEPAGE`` is left
    as they set it.
    """
    if "NUMPY_MADVISE_HUGEPAGE" in os.environ or _selected(_THP / "enabled") in (None, "never"):
        return False
    return _selected(_THP / "defrag") in _STALLING_DEFRAG


def _hugepage_switch() -> Callable[[bool], bool] | None:
    # numpy's own switch for the advice (what NUMPY_MADVISE_HUGEPAGE sets at import); private, so looked up.
    core = getattr(np, "_core", None)
    switch: Callable[[bool], bool] | None = getattr(
        getattr(core, "multiarray", None), "_set_madvise_hugepage", None
    )
    return switch


@contextmanager
def large_batch() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off and, where it stalls (:func:`_hugepages_stall`),
    without numpy's huge-page advice; both are put back after, also on an error.

    Standardising, blocking and the guarded union-find build millions of short tuples, sets and dicts,
    none in reference cycles, and every automatic collection still walks the live containers. On a
    1,029,146-record drawn world, dedupe took 48.8 s with the collector off against 52.5 s with it on
    (the union-find's setup alone 0.5 s against 1.9 s), for 45 MB more at the peak: reference counting
    frees everything the batch drops, and the cycles pandas makes wait for the next collection after it.
    Worker processes forked inside the block inherit both settings. A caller's own pause is left alone.
    """
    collecting = gc.isenabled()
    switch = _hugepage_switch() if _hugepages_stall() else None
    advised = switch(False) if switch is not None else None
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        if switch is not None and advised is not None:
            switch(advised)
