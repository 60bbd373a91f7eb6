"""Spreading per-value standardisation over worker processes (fork), for columns with many distinct values."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

# Below this many distinct values a column is cheaper to do in-process than to ship to workers.
PARALLEL_MIN_VALUES = 20_000


def _apply(function: Callable[[Any], tuple[Any, ...]], chunk: Sequence[Any]) -> list[tuple[Any, ...]]:
    return [function(value) for value in chunk]


def worker_count(workers: int) -> int:
    """``workers`` as a number of processes (-1: every core)."""
    return (os.cpu_count() or 1) if workers < 0 else max(workers, 1)


@contextmanager
def worker_pool(workers: int, values: int) -> Iterator[Executor | None]:
    """A fork-based process pool when ``workers > 1`` and the data is large enough, else ``None``.

    Fork shares the parent's memory copy-on-write, so workers start in milliseconds with every cache
    and table already loaded; it is only used where the platform has it.
    """
    count = worker_count(workers)
    if (
        count <= 1
        or values < PARALLEL_MIN_VALUES
        or "fork" not in multiprocessing.get_all_start_methods()
        or multiprocessing.current_process().daemon  # a Celery pool process, say: it may have no children
    ):
        yield None
        return
    with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("fork")) as pool:
        try:
            yield pool
        except BaseException:
            # Every field's chunks are queued at once (apply_later): on an error or Ctrl-C, drop the ones
            # not started rather than finish them before saying so.
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def apply_all(
    function: Callable[[Any], tuple[Any, ...]], values: list[Any], pool: Executor | None, workers: int
) -> list[tuple[Any, ...]]:
    """``[function(v) for v in values]``, in chunks across ``pool`` when it pays off."""
    return apply_later(function, values, pool, workers)()


def apply_later(
    function: Callable[[Any], tuple[Any, ...]], values: list[Any], pool: Executor | None, workers: int
) -> Callable[[], list[tuple[Any, ...]]]:
    """Start :func:`apply_all`'s work and return what waits for its results.

    The chunks go to ``pool`` now, so the caller can start the next column's work while the workers read
    this one's; without a pool, or for few values, the work runs in this process when the results are
    asked for.
    """
    if pool is None or len(values) < PARALLEL_MIN_VALUES:
        return lambda: _apply(function, values)
    size = -(-len(values) // (worker_count(workers) * 4))
    parts = [pool.submit(_apply, function, values[i : i + size]) for i in range(0, len(values), size)]

    def results() -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        for part in parts:
            out.extend(part.result())
        return out

    return results
