"""Blocking: which record pairs get compared. Vectorised (numpy), capped, reported per rule.

Blocking reads standardised frames only (:mod:`matching.candidates` standardises first).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from matching._arrays import sorted_unique, unique_inverse
from matching._workers import worker_count
from matching.specs import BlockingOptions, BlockingRule, block_on

log = logging.getLogger(__name__)


@dataclass
class BlockingStats:
    """What blocking did: pairs per rule (before and after removing pairs earlier rules found), capped blocks."""

    pairs_per_rule: dict[str, int] = field(default_factory=dict)
    new_pairs_per_rule: dict[str, int] = field(default_factory=dict)
    capped_blocks: list[dict[str, Any]] = field(default_factory=list)
    total_pairs: int = 0
    # Per rule with ``nearest``: the pairs inside its window that the limit left out.
    beyond_nearest: dict[str, int] = field(default_factory=dict)
    # Per time-windowed rule: the records with no report time whose block was too large to pair them in.
    undated_left_out: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A plain dict for ``result.stats``."""
        return {"pairs_per_rule": dict(self.pairs_per_rule), "new_pairs_per_rule": dict(self.new_pairs_per_rule),
                "capped_blocks": list(self.capped_blocks), "total_pairs": self.total_pairs,
                "beyond_nearest": dict(self.beyond_nearest), "undated_left_out": dict(self.undated_left_out)}  # fmt: skip


def column_codes(frame: pd.DataFrame, column: str, cache: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Factor codes of one column (-1 for null), kept in ``cache`` (the comparisons reuse it)."""
    if cache is not None and column in cache:
        return cache[column]
    codes: np.ndarray = pd.factorize(frame[column].to_numpy(dtype=object), use_na_sentinel=True)[0]
    if cache is not None:
        cache[column] = codes
    return codes


def rule_codes(
    frame: pd.DataFrame, rule: BlockingRule, cache: dict[str, np.ndarray] | None = None
) -> np.ndarray:
    """One integer key per record for ``rule`` (-1 where any of its columns is null)."""
    combined = np.zeros(len(frame), dtype=np.int64)
    for column in rule.columns:
        codes = column_codes(frame, column, cache)
        size = int(codes.max(initial=-1)) + 2
        combined = np.where((combined < 0) | (codes < 0), -1, combined * size + codes)
    if rule.unless:
        combined[_left_out(frame, rule)] = -1
    if len(rule.columns) > 1:
        valid = combined >= 0
        combined[valid] = pd.factorize(combined[valid])[0]
    return combined


def _left_out(frame: pd.DataFrame, rule: BlockingRule) -> np.ndarray:
    """Per record, whether ``rule.unless`` leaves it out of the rule (its flag is true)."""
    if not rule.unless or rule.unless not in frame:
        return np.zeros(len(frame), dtype=bool)
    flags: np.ndarray = frame[rule.unless].fillna(False).to_numpy(dtype=bool)
    return flags


def _mask_key(frame: pd.DataFrame, rule: BlockingRule, position: int) -> str:
    # Keys can be phone or id numbers (personal information): logs and stats only see a masked form.
    parts = []
    for column in rule.columns:
        text = str(frame[column].iat[position])
        parts.append(text if len(text) <= 4 else text[:3] + "*" * (len(text) - 5) + text[-2:])
    return "|".join(parts)


def _group_pairs(order: np.ndarray, starts: np.ndarray, sizes: np.ndarray, n_left: np.ndarray) -> np.ndarray:
    """All pairs inside groups laid out in ``order``; each group's first ``n_left`` members pair with every later one."""
    rank = np.arange(len(order)) - np.repeat(starts, sizes)
    size = np.repeat(sizes, sizes)
    counts = np.where(rank < np.repeat(n_left, sizes), size - 1 - rank, 0)
    total = int(counts.sum())
    left_at = np.repeat(np.arange(len(order)), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.stack([order[left_at], order[left_at + 1 + offsets]])


def _window_pairs(order: np.ndarray, group: np.ndarray, is_new: np.ndarray, window: int) -> np.ndarray:
    """Sorted-neighbourhood pairs: each member with the next ``window`` members of its group (by time)."""
    chunks = []
    for k in range(1, window + 1):
        same = group[:-k] == group[k:]
        a, b = order[:-k][same], order[k:][same]
        keep = is_new[a] | is_new[b]
        chunks.append(np.stack([a[keep], b[keep]]))
    return np.concatenate(chunks, axis=1) if chunks else np.empty((2, 0), dtype=np.int64)


def _log_capped(frame: pd.DataFrame, rule: BlockingRule, position: int, size: int, settings: BlockingOptions,
                stats: BlockingStats) -> None:  # fmt: skip
    if rule.within_days:
        entry = {"rule": rule.name, "key": _mask_key(frame, rule, position), "size": size,
                 "window": settings.max_block_size}  # fmt: skip
        message = (
            "blocking rule %s: block %s has %d records, some with more than %d within the time window; capped"
        )
        log.warning(message, rule.name, entry["key"], size, settings.max_block_size)
    else:
        entry = {"rule": rule.name, "key": _mask_key(frame, rule, position), "size": size,
                 "window": settings.capped_block_window}  # fmt: skip
        log.warning(
            "blocking rule %s: block %s has %d records (cap %d); compared by time window %d",
            rule.name,
            entry["key"],
            size,
            settings.max_block_size,
            settings.capped_block_window,
        )
    stats.capped_blocks.append(entry)


def _days(frame: pd.DataFrame) -> np.ndarray:
    if "reported_days" in frame:
        return np.asarray(frame["reported_days"].to_numpy(), dtype=np.float64)
    return np.zeros(len(frame))


def covering_rules(rules: Sequence[BlockingRule], index: int) -> list[BlockingRule]:
    """The earlier time-windowed rules that compare every pair rule ``index`` could find in some blocks:
    their columns include all of its columns and their window is at least as long.

    A block of rule ``index`` whose members all agree on such a rule's extra columns *is* one block of
    that rule (every record with the longer key has the shorter one), already expanded and capped there
    with a window that reaches at least as far; expanding it again would add no pair and report its cap
    twice (a name block whose records are all of one category, under ``name`` and ``name+category``).
    """
    rule = rules[index]
    if rule.within_days is None:
        return []
    return [
        earlier
        for earlier in rules[:index]
        if earlier.within_days is not None
        and earlier.nearest is None  # a rule that kept only the nearest reports did not expand its blocks
        and earlier.anchor is None  # nor one that only paired its anchored records
        and earlier.within_days >= rule.within_days
        and set(rule.columns) < set(earlier.columns)
    ]


def rule_pairs(
    frame: pd.DataFrame,
    rule: BlockingRule,
    settings: BlockingOptions,
    is_new: np.ndarray,
    stats: BlockingStats,
    cache: dict[str, np.ndarray] | None = None,
    covering: Sequence[BlockingRule] = (),
) -> np.ndarray:
    """Candidate pairs (2 x k positions, left < right) for one rule; only pairs touching a new record.

    A block larger than ``settings.max_block_size`` is not expanded quadratically: its members are sorted
    by ``reported_days`` and each is paired with its next ``capped_block_window`` neighbours; the block is
    logged and listed in ``stats.capped_blocks``. Rules with ``within_days`` go through :func:`_time_pairs`,
    which skips the blocks one of the ``covering`` rules (:func:`covering_rules`) already expanded.
    """
    if rule.within_days is not None:
        return _time_pairs(frame, rule, settings, is_new, stats, cache, covering)
    codes = rule_codes(frame, rule, cache)
    valid = np.flatnonzero(codes >= 0)
    # New records first inside each block, so "pairs touching a new record" is a prefix per block.
    order = valid[np.lexsort((valid, ~is_new[valid], codes[valid]))]
    keys = codes[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(order) else np.empty(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, len(order)]).astype(np.int64)
    n_new = np.add.reduceat(is_new[order].astype(np.int64), starts) if len(order) else sizes
    live = n_new > 0
    small = live & (sizes >= 2) & (sizes <= settings.max_block_size)
    big = live & (sizes > settings.max_block_size)
    member_small = np.repeat(small, sizes)
    pairs = [_group_pairs(order[member_small], _starts(sizes[small]), sizes[small], n_new[small])]
    if big.any():
        member_big = np.repeat(big, sizes)
        group = np.repeat(np.arange(len(sizes)), sizes)[member_big]
        members = order[member_big]
        by_time = np.lexsort((members, np.nan_to_num(_days(frame)[members], nan=np.inf), group))
        pairs.append(_window_pairs(members[by_time], group[by_time], is_new, settings.capped_block_window))
        for block in np.flatnonzero(big):
            _log_capped(frame, rule, int(order[starts[block]]), int(sizes[block]), settings, stats)
    out = np.concatenate(pairs, axis=1)
    return np.stack([out.min(axis=0), out.max(axis=0)])


def _time_pairs(
    frame: pd.DataFrame,
    rule: BlockingRule,
    settings: BlockingOptions,
    is_new: np.ndarray,
    stats: BlockingStats,
    cache: dict[str, np.ndarray] | None = None,
    covering: Sequence[BlockingRule] = (),
) -> np.ndarray:
    """Pairs inside each block whose report times are at most ``rule.within_days`` apart, and the pairs of
    the records with no report time (:func:`_undated_pairs`).

    Members are sorted by (block, time); each pairs with the following members up to its time plus the
    window (one ``searchsorted``), at most ``max_block_size`` of them (a block that hits this is reported).
    Blocks that are wholly one block of a ``covering`` rule are left out (its pairs are already found).
    """
    dated = _dated_pairs(frame, rule, settings, is_new, stats, cache, covering)
    undated = _undated_pairs(frame, rule, settings, is_new, stats, cache)
    return np.concatenate([dated, undated], axis=1) if undated.shape[1] else dated


def _undated_pairs(
    frame: pd.DataFrame, rule: BlockingRule, settings: BlockingOptions, is_new: np.ndarray,
    stats: BlockingStats, cache: dict[str, np.ndarray] | None = None,
) -> np.ndarray:  # fmt: skip
    """Each record with no report time (a channel that sent none) paired with every other member of its
    block: its window cannot be checked, and left out it could only be found by a phone or an id. Only
    blocks of at most ``max_block_size`` records (``nearest`` + 1 for a rule with ``nearest``: a common
    sum's block); larger ones are counted in ``stats.undated_left_out``."""
    if rule.beyond_days is not None:
        return np.empty((2, 0), dtype=np.int64)  # how far back an undated report lies is unknown
    codes = rule_codes(frame, rule, cache)
    days = _days(frame)
    undated = (codes >= 0) & np.isnan(days)
    if not undated.any():
        return np.empty((2, 0), dtype=np.int64)
    limit = rule.nearest + 1 if rule.nearest else settings.max_block_size
    sizes = np.bincount(codes[codes >= 0])
    wanted = np.zeros(len(sizes), dtype=bool)
    wanted[codes[undated]] = True
    too_large = wanted & (sizes > limit)
    if too_large.any():
        left_out = int((undated & too_large[np.maximum(codes, 0)]).sum())
        stats.undated_left_out[rule.name] = stats.undated_left_out.get(rule.name, 0) + left_out
        log.warning("blocking rule %s: %d record(s) with no report time sit in blocks of more than %d records; "
                    "this rule does not pair them", rule.name, left_out, limit)  # fmt: skip
    wanted &= ~too_large
    members = np.flatnonzero((codes >= 0) & wanted[np.maximum(codes, 0)])
    if len(members) < 2:
        return np.empty((2, 0), dtype=np.int64)
    # Sorted by (block, undated first): each undated member pairs with every member after it in its block.
    order = members[np.lexsort((members, ~undated[members], codes[members]))]
    block = codes[order]
    end = np.searchsorted(block, block, side="right")
    pairs = _following_pairs(order, np.where(undated[order], end - np.arange(len(order)) - 1, 0), is_new)
    if rule.anchor:
        anchored = frame[rule.anchor].notna().to_numpy()
        pairs = pairs[:, anchored[pairs[0]] | anchored[pairs[1]]]
    return pairs


def _following_pairs(order: np.ndarray, counts: np.ndarray, is_new: np.ndarray) -> np.ndarray:
    """Each member of ``order`` paired with the ``counts`` members just after it (2 x k positions, left <
    right), only the pairs touching a new record."""
    left_at = np.repeat(np.arange(len(order)), counts)
    right_at = left_at + _steps(counts)
    a, b = order[left_at], order[right_at]
    keep = is_new[a] | is_new[b]
    return np.stack([np.minimum(a, b)[keep], np.maximum(a, b)[keep]])


def _dated_pairs(
    frame: pd.DataFrame,
    rule: BlockingRule,
    settings: BlockingOptions,
    is_new: np.ndarray,
    stats: BlockingStats,
    cache: dict[str, np.ndarray] | None = None,
    covering: Sequence[BlockingRule] = (),
) -> np.ndarray:
    """:func:`_time_pairs` of the records with a report time."""
    window = float(rule.within_days or 0.0)
    codes = rule_codes(frame, rule, cache)
    days = _days(frame)
    valid = np.flatnonzero((codes >= 0) & ~np.isnan(days))
    if len(valid) < 2:
        return np.empty((2, 0), dtype=np.int64)
    order = valid[np.lexsort((valid, days[valid], codes[valid]))]
    group = np.cumsum(np.r_[False, codes[order][1:] != codes[order][:-1]])
    if covering:
        keep = ~_covered(frame, order, group, covering, cache)
        order = order[keep]
        if len(order) < 2:
            return np.empty((2, 0), dtype=np.int64)
        group = np.cumsum(np.r_[False, codes[order][1:] != codes[order][:-1]])
    stride = float(np.nanmax(days[order]) - np.nanmin(days[order])) + window + 1.0
    position = group * stride + (days[order] - np.nanmin(days[order]))
    if rule.anchor:
        anchored = frame[rule.anchor].notna().to_numpy()[order]
        return _anchored_pairs(frame, rule, order, group, position, anchored, settings, is_new, stats)
    if rule.nearest:
        pairs, beyond = _nearest_pairs(
            order, position, window, min(rule.nearest, settings.max_block_size), is_new, rule.beyond_days
        )
        if beyond:  # only the rules whose limit left pairs out
            stats.beyond_nearest[rule.name] = stats.beyond_nearest.get(rule.name, 0) + beyond
        return pairs
    end = np.searchsorted(position, position + window, side="right")
    counts = end - np.arange(len(order)) - 1
    over = counts > settings.max_block_size
    if over.any():
        for block in sorted_unique(group[over]):
            members = np.flatnonzero(group == block)
            _log_capped(frame, rule, int(order[members[0]]), len(members), settings, stats)
        counts = np.minimum(counts, settings.max_block_size)
    return _following_pairs(order, counts, is_new)


def _anchored_pairs(
    frame: pd.DataFrame, rule: BlockingRule, order: np.ndarray, group: np.ndarray, position: np.ndarray,
    anchored: np.ndarray, settings: BlockingOptions, is_new: np.ndarray, stats: BlockingStats,
) -> np.ndarray:  # fmt: skip
    """Each anchored member (in ``order``) paired with the members of its block within the window before and
    after it, at most ``max_block_size`` each way (a block where that cuts pairs is reported); two members
    without an anchor are never paired, and two anchored ones once (from the later one's side)."""
    window = float(rule.within_days or 0.0)
    at = np.flatnonzero(anchored)
    if len(at) == 0:
        return np.empty((2, 0), dtype=np.int64)
    reach_before = at - np.searchsorted(position, position[at] - window, side="left")
    reach_after = np.searchsorted(position, position[at] + window, side="right") - at - 1
    limit = settings.max_block_size
    over = (reach_before > limit) | (reach_after > limit)
    for block in sorted_unique(group[at[over]]):
        members = np.flatnonzero(group == block)
        _log_capped(frame, rule, int(order[members[0]]), len(members), settings, stats)
    before, after = np.minimum(reach_before, limit), np.minimum(reach_after, limit)
    earlier = np.repeat(at, before) - _steps(before)
    later = np.repeat(at, after) + _steps(after)
    unanchored = ~anchored[later]  # an anchored partner after it pairs with this one from its own side
    a = order[np.concatenate([earlier, np.repeat(at, after)[unanchored]])]
    b = order[np.concatenate([np.repeat(at, before), later[unanchored]])]
    keep = is_new[a] | is_new[b]
    return np.stack([np.minimum(a, b)[keep], np.maximum(a, b)[keep]])


def _nearest_pairs(
    order: np.ndarray,
    position: np.ndarray,
    window: float,
    nearest: int,
    is_new: np.ndarray,
    beyond: float | None = None,
) -> tuple[np.ndarray, int]:
    """Each member paired with at most ``nearest`` members of its block just before it, inside the window
    (and, with ``beyond``, more than that many days before it: the nearest of those).

    Before, not after: an incremental batch's records are the latest of their blocks, so each reaches back
    to the reports before it; a record's own later reports reach back to it in turn.

    Returns:
        ``(pairs, left out)``: the pairs (2 x k positions), and how many pairs inside the window the limit
        left out (of the new records' only, in incremental mode).
    """
    at = np.arange(len(order))
    # The members before ``upto`` are the ones far enough back; ties in time sort by position.
    upto = at if beyond is None else np.minimum(at, np.searchsorted(position, position - beyond, side="left"))
    within = upto - np.searchsorted(position, position - window, side="left")
    within = np.maximum(within, 0)
    counts = np.minimum(within, nearest)
    left_at = np.repeat(upto, counts) - _steps(counts)
    right_at = np.repeat(at, counts)
    a, b = order[left_at], order[right_at]
    keep = is_new[a] | is_new[b]
    left_out = int((within - counts)[is_new[order]].sum())
    return np.stack([np.minimum(a, b)[keep], np.maximum(a, b)[keep]]), left_out


def _covered(
    frame: pd.DataFrame, order: np.ndarray, group: np.ndarray, covering: Sequence[BlockingRule],
    cache: dict[str, np.ndarray] | None,
) -> np.ndarray:  # fmt: skip
    """Per member (in ``order``): whether its whole block shares one non-null key of a covering rule."""
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    covered = np.zeros(len(starts), dtype=bool)
    for earlier in covering:
        key = rule_codes(frame, earlier, cache)[order]
        low, high = np.minimum.reduceat(key, starts), np.maximum.reduceat(key, starts)
        covered |= (low >= 0) & (low == high)
    return np.repeat(covered, sizes)


def _starts(sizes: np.ndarray) -> np.ndarray:
    starts: np.ndarray = np.cumsum(sizes) - sizes
    return starts


def _steps(counts: np.ndarray) -> np.ndarray:
    """``1, 2, …, counts[i]`` for each member in turn: how far each of its pairs reaches along the order."""
    steps: np.ndarray = np.arange(1, int(counts.sum()) + 1) - np.repeat(_starts(counts), counts)
    return steps


def candidate_positions(
    frame: pd.DataFrame, settings: BlockingOptions, is_new: np.ndarray | None = None,
    cache: dict[str, np.ndarray] | None = None, only: Sequence[np.ndarray | None] | None = None,
    workers: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, BlockingStats]:  # fmt: skip
    """Candidate pairs over all rules, de-duplicated, as positions into ``frame``.

    Args:
        frame: standardised records.
        settings: the blocking rules and cap.
        is_new: which records are new (incremental); ``None`` means all (dedupe).
        cache: column -> factor codes, filled here and reusable by the comparisons.
        only: per rule, a mask of the records whose block under that rule this call owns (``None``: all).
            The masked records must hold every member of those blocks: blocks are expanded (and capped)
            one at a time, so a partition gets exactly the pairs a whole-frame call gives for its blocks.
        workers: threads to expand the rules on (-1: every core); the sorts and searches are numpy work
            outside the GIL.

    Returns:
        ``(left, right, rule_bits, stats)`` sorted by (left, right); bit ``i`` of ``rule_bits`` says rule
        ``i`` produced the pair.
    """
    flags = np.ones(len(frame), dtype=bool) if is_new is None else np.asarray(is_new, dtype=bool)
    n = np.int64(max(len(frame), 1))
    rules = settings.blocking_rules

    def rule_keys(index: int) -> tuple[np.ndarray, BlockingStats]:
        """One rule's pairs as sorted distinct ``left * n + right`` keys, and what it reports."""
        rule, mask, own = rules[index], None if only is None else only[index], BlockingStats()
        covering = covering_rules(rules, index)
        if mask is None:
            pairs = rule_pairs(frame, rule, settings, flags, own, cache, covering)
        else:  # the owned blocks only: their records, positions mapped back into ``frame``
            owned = np.flatnonzero(mask)
            pairs = np.empty((2, 0), dtype=np.int64)
            if len(owned) >= 2:
                part = frame.iloc[owned].reset_index(drop=True)
                pairs = owned[rule_pairs(part, rule, settings, flags[owned], own, None, covering)]
        return sorted_unique(pairs[0] * n + pairs[1]), own

    threads = min(worker_count(workers), len(rules))
    if threads > 1 and only is None:
        # Each column's codes first, in this thread (factorising strings holds the GIL): the rules then
        # share them instead of each factorising its own copy.
        cache = {} if cache is None else cache
        for column in dict.fromkeys(column for rule in rules for column in rule.columns):
            column_codes(frame, column, cache)
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="block") as pool:
            found = list(pool.map(rule_keys, range(len(rules))))
    else:
        found = [rule_keys(index) for index in range(len(rules))]
    stats = BlockingStats()
    seen = np.empty(0, dtype=np.int64)  # the union so far, ascending
    for rule, (key, own) in zip(rules, found, strict=True):
        fresh = key[~_sorted_contains(seen, key)]
        stats.pairs_per_rule[rule.name] = int(len(key))
        stats.new_pairs_per_rule[rule.name] = int(len(fresh))
        stats.capped_blocks.extend(own.capped_blocks)
        for name, beyond in own.beyond_nearest.items():
            stats.beyond_nearest[name] = stats.beyond_nearest.get(name, 0) + beyond
        for name, left_out in own.undated_left_out.items():
            stats.undated_left_out[name] = stats.undated_left_out.get(name, 0) + left_out
        # Two ascending runs: the stable sort merges them in one linear pass.
        seen = np.sort(np.concatenate([seen, fresh]), kind="stable")
    # Each rule's bit set where its pairs sit in the union: no sort of every rule's pairs together.
    rule_bits = np.zeros(len(seen), dtype=np.int64)
    for index, (key, _) in enumerate(found):
        rule_bits[np.searchsorted(seen, key)] |= 1 << index
    stats.total_pairs = int(len(seen))
    return seen // n, seen % n, rule_bits, stats


def _sorted_contains(haystack: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """Per needle, whether the ascending ``haystack`` holds it."""
    at = np.searchsorted(haystack, needles)
    found: np.ndarray = at < len(haystack)
    found[found] = haystack[at[found]] == needles[found]
    return found


def rule_labels(bits: np.ndarray, settings: BlockingOptions) -> pd.Categorical:
    """The ``rules`` column: names of the rules that produced each pair, joined by ``|``."""
    names = [rule.name for rule in settings.blocking_rules]
    uniques, inverse = unique_inverse(bits)
    labels = ["|".join(name for i, name in enumerate(names) if int(b) >> i & 1) for b in uniques]
    return pd.Categorical.from_codes(inverse.ravel().astype(np.int64), categories=labels)


def block_keys(std: pd.DataFrame, settings: BlockingOptions) -> pd.DataFrame:
    """Every record's key under every rule, so a store can fetch only the existing records that share one.

    A rule with ``within_days`` only pairs records reported within that many days of each other, so for
    those rules the store may also restrict the fetch to records reported since the batch's earliest
    report minus the window (``benchmarks/match.py`` ``fetch_candidates`` shows the query's logic).

    Args:
        std: standardised records (every column the rules read).
        settings: the blocking rules.

    Returns:
        DataFrame ``[record_id, rule, key]``; a record with a null in a rule's columns has no key for it.
    """
    parts = []
    ids = std["record_id"].to_numpy(dtype=object)
    for rule in settings.blocking_rules:
        present = std[list(rule.columns)].notna().all(axis=1).to_numpy() & ~_left_out(std, rule)
        key = std.loc[present, rule.columns[0]].astype(str)
        for column in rule.columns[1:]:
            key = key + "|" + std.loc[present, column].astype(str)
        parts.append(
            pd.DataFrame({"record_id": ids[present], "rule": rule.name, "key": key.to_numpy(dtype=object)})
        )
        if rule.anchor:
            # The anchored records once more, under a label of their own: what a record without the anchor
            # probes for (:func:`probe_rows`), as it pairs with them alone.
            anchored = std.loc[present, rule.anchor].notna().to_numpy()
            parts.append(pd.DataFrame({"record_id": ids[present][anchored], "rule": anchor_label(rule),
                                       "key": key.to_numpy(dtype=object)[anchored]}))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def anchor_label(rule: BlockingRule) -> str:
    """The label :func:`block_keys` gives an anchored rule's keys of its anchored records
    (``phone_ends@phone_masked``)."""
    return f"{rule.name}@{rule.anchor}"


def probe_rows(keys: pd.DataFrame, std: pd.DataFrame, settings: BlockingOptions) -> pd.DataFrame:
    """New records' :func:`block_keys` as they probe a store of every record's keys.

    Under a rule with an ``anchor``, a record without one pairs only with the anchored records of its block:
    it probes their label (:func:`anchor_label`), not the rule's, which every record sharing its key (a
    whole mobile's first and last digits: dozens at a million records) is stored under. A record with the
    anchor probes the rule's own label, which holds them all, and not its anchored one.

    Args:
        keys: :func:`block_keys` of ``std``.
        std: the new records, standardised.
        settings: the blocking rules.
    """
    for rule in settings.blocking_rules:
        if not rule.anchor:
            continue
        label = anchor_label(rule)
        anchored = keys["record_id"].isin(std.loc[std[rule.anchor].notna(), "record_id"]).to_numpy()
        own = (keys["rule"] == rule.name).to_numpy()
        keys = keys.assign(rule=np.where(own & ~anchored, label, keys["rule"].to_numpy(dtype=object)))
        keys = keys[~((keys["rule"] == label).to_numpy() & anchored)]
    return keys.reset_index(drop=True)


__all__ = [
    "BlockingRule", "BlockingStats", "anchor_label", "block_keys", "block_on", "candidate_positions", "probe_rows",
    "rule_labels",
]  # fmt: skip
