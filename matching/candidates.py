"""Candidate pairs and blocking keys from canonical records: standardise what blocking reads, then block."""

from __future__ import annotations

import pandas as pd

from matching import normalize
from matching.blocking import (
    BlockingStats,
    anchor_label,
    block_keys,
    candidate_positions,
    probe_rows,
    rule_labels,
)
from matching.settings import MatchSettings


def with_blocking_columns(frame: pd.DataFrame, settings: MatchSettings) -> pd.DataFrame:
    """``frame`` with the columns the blocking rules read (their anchors too), standardising only the fields
    that write them.

    Args:
        frame: canonical or already standardised records.
        settings: the blocking rules and the fields.

    Returns:
        ``frame`` itself when it has them all, else a standardised copy.
    """
    needed = {c for rule in settings.blocking_rules for c in rule.reads} | {"reported_days"}
    return with_columns(frame, settings, needed)


def with_columns(frame: pd.DataFrame, settings: MatchSettings, needed: set[str]) -> pd.DataFrame:
    """``frame`` with the standardised columns ``needed``, standardising only the fields that write one
    it lacks (``frame`` itself when it has them all)."""
    missing = needed - set(frame.columns)
    if not missing:
        return frame
    writes = normalize.STANDARDISERS
    fields = [f for f in settings.fields if missing & set(writes[f.standardiser].outputs(f.prefix))]
    return normalize.standardise(frame, settings, fields)


def candidate_pairs(
    left: pd.DataFrame, right: pd.DataFrame | None = None, *, settings: MatchSettings
) -> tuple[pd.DataFrame, BlockingStats]:
    """Candidate record pairs: ``left`` deduplicated against itself, or (incremental) a new batch
    ``left`` against itself and against existing records ``right`` (existing-existing pairs are skipped).

    Args:
        left: canonical or standardised records.
        right: existing records, or ``None`` for a self-join.
        settings: blocking rules and cap.

    Returns:
        ``(pairs, stats)``: ``pairs`` has ``record_id_l < record_id_r`` and ``rules`` (which rules found it).
    """
    frame = left if right is None else pd.concat([left, right[~right["record_id"].isin(left["record_id"])]])
    frame = with_blocking_columns(
        frame.sort_values("record_id", kind="stable").reset_index(drop=True), settings
    )
    is_new = frame["record_id"].isin(left["record_id"]).to_numpy() if right is not None else None
    lhs, rhs, bits, stats = candidate_positions(frame, settings, is_new)
    ids = frame["record_id"].to_numpy()
    pairs = pd.DataFrame(
        {"record_id_l": ids[lhs], "record_id_r": ids[rhs], "rules": rule_labels(bits, settings)}
    )
    return pairs, stats


def probe_keys(frame: pd.DataFrame, settings: MatchSettings) -> pd.DataFrame:
    """New records' blocking keys, to fetch the stored records that share one, with how far back to look.

    Args:
        frame: the new records (canonical or standardised).
        settings: the blocking rules.

    Returns:
        :func:`blocking_keys`' ``[record_id, rule, key]`` (a record without an anchored rule's anchor under
        the anchored records' label: :func:`matching.blocking.probe_rows`) plus ``since``: for a rule with
        ``within_days``, the record's report time minus the window (an older stored record cannot pair with
        it under that rule: a common sum or name then fetches its last months, not its years), else
        ``None``; ``None`` too when the record has no report time. Under a rule with ``nearest``, also
        ``nearest``, ``until`` (the record's report time, less ``beyond_days``) and ``after`` (its report
        time): the record pairs with at most that many stored records of its key reported by ``until``, the
        latest, and with those reported after it (a late report: they reach back to it), so a store need
        read no more (``warehouse.pool_candidates``); elsewhere all three are ``None``.
    """
    std = with_blocking_columns(frame, settings)
    keys = probe_rows(block_keys(std, settings), std, settings)
    days = pd.Series(
        std["reported_days"].to_numpy(dtype=float), index=std["record_id"].to_numpy(dtype=object)
    )
    windows = {rule.name: rule.within_days for rule in settings.blocking_rules}
    windows |= {anchor_label(rule): rule.within_days for rule in settings.blocking_rules if rule.anchor}
    window = keys["rule"].map(windows)
    reported = keys["record_id"].map(days)
    since = _timestamps(reported - window.astype(float))
    keys["since"] = since.astype(object).where(since.notna(), None)  # None, not NaT, where unbounded
    nearest = {rule.name: rule.nearest for rule in settings.blocking_rules if rule.nearest}
    beyond = {rule.name: float(rule.beyond_days or 0.0) for rule in settings.blocking_rules if rule.nearest}
    limited = keys["rule"].map(nearest)
    until, at = _timestamps(reported - keys["rule"].map(beyond)), _timestamps(reported)
    keys["until"] = until.astype(object).where(until.notna() & limited.notna(), None)
    keys["after"] = at.astype(object).where(at.notna() & limited.notna(), None)
    # A record with no report time reaches its whole block (blocking's undated pairs): no limit.
    keys["nearest"] = limited.astype("Int64").astype(object).where(limited.notna() & until.notna(), None)
    return keys


def _timestamps(days: pd.Series) -> pd.Series:
    """Days since the epoch as UTC timestamps (NaT where there is no day)."""
    return pd.to_datetime(days * 86_400e9, utc=True)


def blocking_keys(frame: pd.DataFrame, settings: MatchSettings) -> pd.DataFrame:
    """Every record's key under every rule (:func:`matching.blocking.block_keys`), from canonical records.

    Args:
        frame: canonical or standardised records.
        settings: the blocking rules.

    Returns:
        DataFrame ``[record_id, rule, key]``.
    """
    return block_keys(with_blocking_columns(frame, settings), settings)
