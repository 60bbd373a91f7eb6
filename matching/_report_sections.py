"""The report's model sections: what training did, m/u and match weights per level, the match-weight
histogram, cluster sizes and blocking."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from matching._masking import masked_value
from matching._report_html import figure, note, table, warning
from matching._report_svg import MERGE, NEUTRAL, REVIEW, Marker, columns, histogram, weight_bars
from matching.normalize import STANDARDISERS
from matching.scoring import ModelParameters
from matching.settings import MatchSettings
from matching.specs import BlockingRule

FEW_PAIRS = 10
"""A level seen on fewer scored pairs than this keeps mostly its starting m (EM's pull toward it)."""
_WEIGHT_LIMIT = 40.0
_FLAG_KEYS = ("skipped", "reverted", "neutral", "unreliable", "warning", "warnings")


def flatten(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Nested training stats as ``(dotted path, leaf value)`` rows, so every key shows whatever its shape."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from flatten(inner, f"{path}.{key}" if path else str(key))
    else:
        yield path, ", ".join(map(str, value)) if isinstance(value, list | tuple) else value


def training_flags(training: Mapping[str, Any], settings: MatchSettings) -> list[str]:
    """What makes an estimate unreliable: skipped training or parts of it, reverted comparisons, person
    comparisons no session estimated (they keep the settings' m)."""
    flags = [f"{path}: {value}" for path, value in flatten(training)
             if path.rsplit(".", 1)[-1] in _FLAG_KEYS and value not in ("", None, [], ())]  # fmt: skip
    sessions = training.get("person_sessions")
    if isinstance(sessions, Mapping) and sessions:
        estimated = {n for s in sessions.values() if isinstance(s, Mapping) for n in s.get("estimated", ())}
        missing = [c.name for c in settings.comparisons if c.part == "person" and c.name not in estimated]
        if missing:
            flags.append(f"person comparisons no session estimated (settings' m kept): {', '.join(missing)}")
    return flags


def training_section(training: Mapping[str, Any], params: ModelParameters, settings: MatchSettings) -> str:
    """Warnings, the priors (start and trained) and every training stat."""
    flags = training_flags(training, settings)
    box = warning("Some estimates are unreliable: these keep (part of) the settings' starting values", flags)
    priors = table(("parameter", "settings (start)", "trained"), [
        ("prior_person: P(two random records are one complainant)", settings.prior_person, params.prior_person),
        ("prior_dispute: P(same dispute | same complainant)", settings.prior_dispute, params.prior_dispute),
    ])  # fmt: skip
    stats = table(("stat", "value"), [(p, v) for p, v in flatten(training)])
    every = f"<details><summary>Every training stat</summary>{stats}</details>"
    return (box if flags else "") + priors + _sessions(training, settings) + every


def _sessions(training: Mapping[str, Any], settings: MatchSettings) -> str:
    """One row per EM session: the person part's per blocking rule, then the dispute part's."""
    rows: list[tuple[Any, ...]] = []
    sessions = training.get("person_sessions")
    for rule, session in sessions.items() if isinstance(sessions, Mapping) else ():
        if isinstance(session, Mapping):
            rows.append((f"person, pairs of rule {rule}", session.get("pairs", ""), session.get("iterations", ""),
                         session.get("match_share", ""), ", ".join(session.get("estimated", ())),
                         ", ".join(session.get("reverted", ())) or "none"))  # fmt: skip
    dispute = training.get("dispute")
    if isinstance(dispute, Mapping) and "skipped" not in dispute:
        names = ", ".join(c.name for c in settings.comparisons if c.part == "dispute")
        rows.append(("dispute, same-person pairs (weighted)", dispute.get("same_person_pairs", ""),
                     dispute.get("iterations", ""), dispute.get("same_dispute_share", ""), names,
                     ", ".join(dispute.get("reverted", ())) or "none"))  # fmt: skip
    head = ("EM session", "pairs", "iterations", "share of matches", "estimated", "reverted to settings")
    return table(head, rows) if rows else ""


def _level_counts(pairs: pd.DataFrame, name: str, levels: int) -> tuple[np.ndarray, int]:
    column = f"gamma_{name}"
    if column not in pairs:
        return np.zeros(levels, dtype=np.int64), 0
    gamma = pairs[column].to_numpy()
    counts = np.bincount(gamma[gamma >= 0].astype(np.int64), minlength=levels)[:levels]
    return counts[::-1], int((gamma < 0).sum())


def _log2_ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    return np.log2(np.asarray(top, dtype=np.float64) / np.asarray(bottom, dtype=np.float64))


def weights_section(pairs: pd.DataFrame, params: ModelParameters, settings: MatchSettings) -> str:
    """Splink's match weights chart, one per comparison on a shared axis, and m/u per level."""
    start = ModelParameters.from_settings(settings)
    every = [
        w
        for c in settings.comparisons
        for p in (start, params)
        for w in _log2_ratio(p.m[c.name], p.u[c.name])
    ]
    lo = max(math.floor(min(every, default=-1.0)) - 1, -_WEIGHT_LIMIT)
    hi = min(math.ceil(max(every, default=1.0)) + 1, _WEIGHT_LIMIT)
    parts = [note("Bars: the trained match weight log2(m/u) of each level (green: evidence for, red: against); "
                  "the black tick is the settings' starting value, so the distance shows how far training "
                  "moved it. Dispute comparisons have a second bar: log2(m/u_same_person), the evidence for "
                  "the same dispute against the same complainant's other dispute. A level seen on fewer than "
                  f"{FEW_PAIRS} scored pairs keeps mostly its starting m.")]  # fmt: skip
    for spec, comparison in zip(settings.comparisons, settings.comparison_objects, strict=True):
        name, labels = spec.name, comparison.labels
        counts, nulls = _level_counts(pairs, name, len(labels))
        series = {"vs different people": (params.u[name], start.u[name])}
        if spec.part == "dispute" and name in params.u_same_person:
            series["vs same person, other dispute"] = (params.u_same_person[name], start.u_same_person[name])
        rows = [
            (label, [(s, float(_log2_ratio(params.m[name], u)[i]), float(_log2_ratio(start.m[name], u0)[i]))
                     for s, (u, u0) in series.items()])
            for i, label in enumerate(labels)
        ]  # fmt: skip
        chart = figure(f"{spec.part}: {spec.comparison} on {spec.column}",
                       weight_bars(rows, (lo, hi), f"match weights of {name}"))  # fmt: skip
        level_rows = []
        for i, label in enumerate(labels):
            same = (f"{start.u_same_person[name][i]:.3g} → {params.u_same_person[name][i]:.3g}"
                    if name in params.u_same_person else "")  # fmt: skip
            few = '<span class="bad">few pairs</span>' if counts[i] < FEW_PAIRS else ""
            level_rows.append((label, int(counts[i]), few, f"{start.m[name][i]:.3g} → {params.m[name][i]:.3g}",
                               f"{start.u[name][i]:.3g} → {params.u[name][i]:.3g}", same,
                               f"{rows[i][1][0][2]:+.2f} → {rows[i][1][0][1]:+.2f}"))  # fmt: skip
        level_rows.append(("null (either side missing)", nulls, "", "", "", "", "0"))
        levels = table(("level", "scored pairs", "note", "m (start → trained)", "u", "u_same_person", "log2(m/u)"),
                       level_rows, raw=True)  # fmt: skip
        parts.append(f'<h3>{escape(name)}</h3><div class="charts">{chart}{levels}</div>')
    return "".join(parts)


def histogram_section(pairs: pd.DataFrame, settings: MatchSettings) -> str:
    """Match weights of all scored pairs, binned by one unit of weight, with the thresholds marked."""
    weight = pairs["match_weight"].to_numpy()
    finite = weight[np.isfinite(weight)]
    merge_at, review_at = _logit2(settings.merge_threshold), _logit2(settings.review_threshold)
    lo = max(math.floor(min(finite.min(initial=0.0), review_at)) - 1, -_WEIGHT_LIMIT)
    hi = min(math.ceil(max(finite.max(initial=0.0), merge_at)) + 1, _WEIGHT_LIMIT)
    edges = np.arange(lo, hi + 1, 1.0)
    counts, _ = np.histogram(np.clip(finite, lo, hi), bins=edges)
    centres = (edges[:-1] + edges[1:]) / 2
    colours = [MERGE if c >= merge_at else REVIEW if c >= review_at else NEUTRAL for c in centres]
    markers = [Marker(merge_at, f"merge {settings.merge_threshold:g}", MERGE),
               Marker(review_at, f"review {settings.review_threshold:g}", REVIEW)]  # fmt: skip
    decisions = pairs["decision"].astype(str).value_counts()
    total = max(len(pairs), 1)
    rows = [
        (d, int(decisions.get(d, 0)), f"{100 * decisions.get(d, 0) / total:.1f}%")
        for d in ("merge", "review", "reject")
    ]
    extra = len(weight) - len(finite)
    return (
        figure("Match weight of every scored pair", histogram(list(edges), [int(c) for c in counts], colours, markers,
                                                              "match weight histogram", "match weight log2(odds)"))
        + note(f"Thresholds are on match_probability: merge {settings.merge_threshold:g} is weight {merge_at:+.2f}, "
               f"review {settings.review_threshold:g} is {review_at:+.2f}. Weights beyond ±{_WEIGHT_LIMIT:g} sit in "
               f"the edge bins.{f' {extra} pairs a reviewer added are not drawn.' if extra else ''}")
        + table(("decision", "pairs", "share"), rows)
    )  # fmt: skip


def clusters_section(clusters: pd.DataFrame) -> str:
    """How many clusters of each size, and the largest clusters."""
    sizes = clusters["cluster_id"].value_counts()
    by_size = sizes.value_counts().sort_index()
    buckets: dict[str, int] = {}
    for size, count in by_size.items():
        label = str(size) if size <= 10 else "11–20" if size <= 20 else "21–50" if size <= 50 else "51+"
        buckets[label] = buckets.get(label, 0) + int(count)
    rows = [(int(s), int(c), int(s * c)) for s, c in by_size.items()]
    largest = [(str(cid), int(n)) for cid, n in sizes.head(10).items() if n > 1]
    return (
        figure("Cluster sizes", columns(list(buckets), list(buckets.values()), "cluster-size distribution"))
        + '<div class="charts">' + table(("records per cluster", "clusters", "records"), rows)
        + table(("largest clusters", "records"), largest) + "</div>"
    )  # fmt: skip


def _limit(rule: BlockingRule, left_out: int) -> str:
    """What limits a rule's pairs beyond its window: its nearest reports, or its anchor column."""
    if rule.nearest:
        beyond = f" beyond {rule.beyond_days:g} days" if rule.beyond_days is not None else ""
        return f"{rule.nearest}{beyond}: {left_out:,} pairs left out"
    return f"anchor {rule.anchor}: only pairs with one" if rule.anchor else ""


def blocking_section(pairs: pd.DataFrame, blocking: Mapping[str, Any], settings: MatchSettings) -> str:
    """Pairs per rule (and those no earlier rule found), their decisions, and the capped blocks."""
    per_rule = blocking.get("pairs_per_rule", {})
    new = blocking.get("new_pairs_per_rule", {})
    beyond = blocking.get("beyond_nearest", {})
    undated = {str(k): int(v) for k, v in blocking.get("undated_left_out", {}).items() if v}
    capped = list(blocking.get("capped_blocks", []))
    combos = pairs.groupby([pairs["rules"].astype(str), pairs["decision"].astype(str)]).size()
    decided: dict[tuple[str, str], int] = {}
    for (rules, decision), count in combos.items():
        for name in str(rules).split("|"):
            decided[name, str(decision)] = decided.get((name, str(decision)), 0) + int(count)
    rows = []
    for rule in settings.blocking_rules:
        cut = [c for c in capped if c.get("rule") == rule.name]
        rows.append((rule.name, rule.within_days or "", int(per_rule.get(rule.name, 0)), int(new.get(rule.name, 0)),
                     *(decided.get((rule.name, d), 0) for d in ("merge", "review", "reject")), len(cut),
                     sum(int(c.get("size", 0)) for c in cut),
                     _limit(rule, int(beyond.get(rule.name, 0)))))  # fmt: skip
    kinds = {c: s.standardiser for s in settings.fields for c in _outputs(s.prefix, s.standardiser)}
    columns_of = {rule.name: rule.columns for rule in settings.blocking_rules}
    blocks = [(c.get("rule", ""), _masked_key(str(c.get("key", "")), columns_of.get(c.get("rule", ""), ()), kinds),
               int(c.get("size", 0)), c.get("window", "")) for c in sorted(capped, key=lambda c: -int(c.get("size", 0)))[:50]]  # fmt: skip
    return (
        table(("rule", "within days", "pairs", "new pairs (no earlier rule)", "merge", "review", "reject",
               "capped blocks", "records in capped blocks", "nearest or anchor"), rows)
        + note(f"A block larger than max_block_size ({settings.max_block_size}) is not expanded to every pair: "
               f"each record meets only its next {settings.capped_block_window} neighbours by report time (rules "
               "with within_days: only records within the window), so some true pairs in it may be cut. A rule "
               "with nearest pairs each record only with that many reports of its block just before it "
               "inside the window (a common sum); the pairs it leaves out are counted. A rule with an anchor "
               "pairs only the records with a value in that column (a masked number) with the rest of their "
               "block, never two without one.")
        + (warning(f"{len(capped)} blocks were capped: true pairs inside them may be missed",
                   [f"{r[0]}: {r[7]} blocks, {r[8]:,} records" for r in rows if r[7]]) if capped else "")
        + (warning("Records with no report time are paired with their whole block by the time-windowed rules, "
                   "but not in blocks this large (the rule's max_block_size, or nearest + 1): those rules did "
                   "not pair them", [f"{name}: {count:,} records" for name, count in undated.items()])
           if undated else "")
        + table(("rule", "key (masked)", "records", "window"), blocks)
    )  # fmt: skip


def _outputs(prefix: str, standardiser: str) -> tuple[str, ...]:
    return STANDARDISERS[standardiser].outputs(prefix) if standardiser in STANDARDISERS else ()


def _masked_key(key: str, columns: tuple[str, ...], kinds: Mapping[str, str]) -> str:
    """A capped block's key: blocking masks long parts already; short personal parts are masked here."""
    parts = key.split("|")
    out = []
    for i, part in enumerate(parts):
        kind = kinds.get(columns[i]) if i < len(columns) else "unknown"
        safe = "*" in part or kind in ("category", "district", "timestamp")
        out.append(part if safe else masked_value("phone", part))
    return "|".join(out)


def _logit2(p: float) -> float:
    return math.log2(p / (1.0 - p))
