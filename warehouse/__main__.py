"""``python -m warehouse``: the operator commands of :mod:`warehouse.cli`, wired to the matcher's blocking keys.

This file is the program, not the library: no warehouse module imports it. It is the one place that
joins the warehouse to ``matching``: ``rehash`` recomputes the blocking keys of pooled records, and
those are the matcher's rules. :func:`warehouse.pool.rehash.rehash` takes them as a callable, and
``matching`` is imported only when that command runs (tests/warehouse/test_layout.py holds this).
"""

from __future__ import annotations

from typing import Any

from warehouse.cli.main import main as _main


def main(argv: list[str] | None = None) -> int:
    """Run one operator command (``hub`` and ``python -m warehouse`` call this); returns the exit code."""
    return _main(argv, blocking_keys=matcher_blocking_keys)


def matcher_blocking_keys(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The keys the matcher stores of pooled records (``{record_id, rule, key}``: its blocking keys and its
    frequency keys, :func:`matching.frequencies.pool_keys`), for ``rehash`` and ``reblock``."""
    import pandas as pd

    from matching import load_settings
    from matching.frequencies import pool_keys
    from warehouse.pool.pooling import MATCH_COLUMNS

    frame = pd.DataFrame(rows, columns=list(MATCH_COLUMNS))
    return [
        {k: str(v) for k, v in row.items()} for row in pool_keys(frame, load_settings()).to_dict("records")
    ]


if __name__ == "__main__":
    raise SystemExit(main())
