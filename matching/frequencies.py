"""How common a value is across the whole pool, for the comparisons that split a level by it.

Two comparisons read value frequencies: the name's exact level is split by how many records carry the
name (张伟 says less than a rare name), and the address's agreeing levels become ``crowded`` at a place
more than ten other records write (a project site every member of a group dispute gives). ``dedupe``
counts over its whole input. ``match_incremental`` sees one batch and the pool records sharing a blocking
key with it, where a site forty buyers wrote over two years may appear twice: counted there, no place
would ever be crowded, and the guards that keep a group's members apart would not hold in the pool.

So the pool keeps, beside each record's blocking keys, its values of the frequency columns
(:func:`pool_keys`; the warehouse stores them hashed, like every key). A pass asks the pool how many of
its records carry each value the new records carry (:func:`frequency_keys` of the new records, counted
by the warehouse) and adds the new records themselves (:func:`value_totals`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from matching.candidates import blocking_keys, with_columns
from matching.settings import MatchSettings

RULE_PREFIX = "frequency:"  # a frequency key's rule: never a blocking rule's name, which has no colon


def frequency_columns(settings: MatchSettings) -> tuple[str, ...]:
    """The standardised columns whose value frequencies some comparison reads."""
    return tuple(
        dict.fromkeys(c for comparison in settings.comparison_objects for c in comparison.frequency_columns())
    )


def frequency_keys(frame: pd.DataFrame, settings: MatchSettings) -> pd.DataFrame:
    """Every record's values of the frequency columns, as keys: ``[record_id, rule, key]`` with ``rule``
    ``frequency:<column>`` (null values give no key).

    Args:
        frame: canonical or standardised records (fields writing a missing column are standardised).
        settings: the comparisons and the fields.
    """
    columns = frequency_columns(settings)
    frame = with_columns(frame, settings, set(columns))
    parts = []
    for column in columns:
        values = frame[column]
        present = values.notna().to_numpy()
        parts.append(
            pd.DataFrame(
                {
                    "record_id": frame["record_id"].astype(str).to_numpy()[present],
                    "rule": f"{RULE_PREFIX}{column}",
                    "key": values.astype(str).to_numpy()[present],
                }
            )  # fmt: skip
        )
    if not parts:
        return pd.DataFrame(columns=["record_id", "rule", "key"])
    return pd.concat(parts, ignore_index=True)


def pool_keys(frame: pd.DataFrame, settings: MatchSettings) -> pd.DataFrame:
    """What the pool stores per record to find and weigh it later: its blocking keys and its frequency keys."""
    return pd.concat([blocking_keys(frame, settings), frequency_keys(frame, settings)], ignore_index=True)


def counts_by_column(rows: pd.DataFrame) -> dict[str, dict[str, int]]:
    """``[rule, key, records]`` rows of frequency keys (the warehouse's counts) as ``{column: {value: records}}``."""
    rows = rows[rows["rule"].astype(str).str.startswith(RULE_PREFIX)]
    return {
        str(rule).removeprefix(RULE_PREFIX): dict(
            zip(group["key"].astype(str), group["records"].astype(int), strict=True)
        )
        for rule, group in rows.groupby("rule", sort=False)
    }


def value_totals(
    std: pd.DataFrame, is_new: np.ndarray, pooled_counts: Mapping[str, Mapping[str, int]]
) -> dict[str, dict[str, int]]:
    """How many records of the pool and the new batch together carry each value: the pool's counts plus
    the new records' own, and never fewer than the pass's records carrying it (pooled records without
    frequency keys, pooled before they were kept, are counted where the pass fetched them; so every
    partition of a pass, seeing some of its records, reads the same counts).

    A new record that updates a pooled one is counted twice (its pooled version too): one record more on
    a value, where the bands are ten and fifteen records wide.

    Args:
        std: the pass's standardised records (new and fetched).
        is_new: which of them are new (not yet in the pool's counts).
        pooled_counts: ``{column: {value: pooled records carrying it}}``.
    """
    totals: dict[str, dict[str, int]] = {}
    for column, pooled in pooled_counts.items():
        if column not in std:
            continue
        values = std[column].dropna().astype(str)
        in_pass = values.value_counts()
        new = values[is_new[std[column].notna().to_numpy()]].value_counts()
        merged = pd.Series(pooled, dtype="int64").add(new, fill_value=0)
        merged = merged.combine(in_pass, max, fill_value=0).astype("int64")
        totals[column] = {str(value): int(count) for value, count in merged.items()}
    return totals
