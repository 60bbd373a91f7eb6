"""The report's explained pairs: which pairs to show, each comparison's share of their match weight, and
the two records side by side with personal data masked."""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from matching._masking import column_kinds, masked_value
from matching._report_html import figure, note, table
from matching._report_svg import MERGE, REVIEW, Marker, waterfall
from matching.scoring import ModelParameters
from matching.settings import MatchSettings

NEAR_MISSES = 2
"""Pairs sampled on each side of each threshold (from the ``_NEAREST`` closest to it)."""
_NEAREST = 50


def sample_pairs(pairs: pd.DataFrame, settings: MatchSettings, seed: int) -> list[tuple[int, str]]:
    """Row positions of pairs worth explaining: near-misses on both sides of the merge and review
    thresholds (sampled from the closest), then a couple of pairs of each decision, seeded.

    Returns:
        ``(row position, why it was picked)``, without repeats.
    """
    weight = pairs["match_weight"].to_numpy()
    modelled = np.isfinite(weight) & (pairs["rules"].astype(str).to_numpy() != "reviewer")
    rng = np.random.default_rng(seed)
    picked: dict[int, str] = {}
    for name, threshold in (("merge", settings.merge_threshold), ("review", settings.review_threshold)):
        cut = math.log2(threshold / (1.0 - threshold))
        for side, where in (
            ("closest below", modelled & (weight < cut)),
            ("closest above", modelled & (weight >= cut)),
        ):
            candidates = np.flatnonzero(where)
            if len(candidates) > _NEAREST:
                distance = np.abs(weight[candidates] - cut)
                candidates = candidates[np.argpartition(distance, _NEAREST)[:_NEAREST]]
            chosen = rng.choice(candidates, min(NEAR_MISSES, len(candidates)), replace=False)
            for position in np.sort(chosen):
                picked.setdefault(int(position), f"near miss, {side} the {name} threshold ({threshold:g})")
    decision = pairs["decision"].astype(str).to_numpy()
    for name in ("merge", "review", "reject"):
        candidates = np.flatnonzero(modelled & (decision == name))
        for position in np.sort(rng.choice(candidates, min(2, len(candidates)), replace=False)):
            picked.setdefault(int(position), f"a random {name}")
    return list(picked.items())


def contributions(
    gammas: Mapping[str, int], params: ModelParameters, settings: MatchSettings
) -> list[tuple[str, str, float]]:
    """Each comparison's contribution to one pair's match weight, in settings order, after the prior.

    The three-class model (:mod:`matching.scoring`) is not a plain sum of log2(m/u): a comparison's
    contribution is how far it moves the match weight given the comparisons before it, so the steps
    add up exactly to the pair's ``match_weight``.

    Returns:
        ``(name, level and its Bayes factors, contribution)``; the first is the prior.
    """
    lp, ld = params.prior_person, params.prior_dispute
    sums = {"person": 0.0, "versus_random": 0.0, "versus_other": 0.0}

    def weight() -> float:
        case = math.log2(lp * ld) - math.log2(1.0 - lp) + sums["person"] + sums["versus_random"]
        other = case + math.log2((1.0 - ld) / ld) - sums["versus_other"]
        return case - float(np.logaddexp2(other, 0.0))

    current = weight()
    steps = [("prior", f"P(same case) = P(same person) {lp:.3g} × P(same dispute | same person) {ld:.3g}",
              current)]  # fmt: skip
    for spec, comparison in zip(settings.comparisons, settings.comparison_objects, strict=True):
        if spec.name not in gammas:
            continue
        gamma = int(gammas[spec.name])
        if gamma < 0:
            steps.append((spec.name, "null (a side is missing): no evidence", 0.0))
            continue
        level = len(comparison.labels) - 1 - gamma
        m, u = float(params.m[spec.name][level]), float(params.u[spec.name][level])
        detail = f"{comparison.labels[level]}: log2(m/u) {math.log2(m / u):+.2f}"
        if spec.part == "dispute":
            same = float(params.u_same_person[spec.name][level])
            sums["versus_random"] += math.log2(m / u)
            sums["versus_other"] += math.log2(m / same)
            detail += f", log2(m/u_same_person) {math.log2(m / same):+.2f}"
        else:
            sums["person"] += math.log2(m / u)
        new = weight()
        steps.append((spec.name, detail, new - current))
        current = new
    return steps


def explained_pairs(
    frame: pd.DataFrame, pairs: pd.DataFrame, params: ModelParameters, settings: MatchSettings, seed: int
) -> str:
    """The section: per sampled pair, its waterfall, the steps as a table, and both records masked."""
    sampled = sample_pairs(pairs, settings, seed)
    if not sampled:
        return note("No scored pairs to explain.")
    by_id = frame.assign(record_id=frame["record_id"].astype(str)).set_index("record_id")
    kinds = column_kinds(settings.fields)
    shown = [c for c in dict.fromkeys(["source", *kinds]) if c in by_id.columns]
    gamma_columns = [c for c in pairs.columns if c.startswith("gamma_")]
    markers = [Marker(_logit2(settings.merge_threshold), f"merge {settings.merge_threshold:g}", MERGE),
               Marker(_logit2(settings.review_threshold), f"review {settings.review_threshold:g}", REVIEW)]  # fmt: skip
    parts = [note("Each bar is how far a comparison moves the pair's match weight, given the comparisons "
                  "before it (the model has three classes, so a comparison's log2(m/u) is not added as is); "
                  "the steps add up to the pair's match weight. Person comparisons come first: once the "
                  "complainant is certain, further person evidence adds nothing and only the dispute "
                  "comparisons still move the weight. Records are masked: names as 张*, phone and "
                  "identity numbers keep their first three and last two characters.")]  # fmt: skip
    for position, why in sampled:
        row = pairs.iloc[position]
        gammas = {c[len("gamma_") :]: int(row[c]) for c in gamma_columns}
        steps = contributions(gammas, params, settings)
        left, right = str(row["record_id_l"]), str(row["record_id_r"])
        head = (f"{why}: match probability {row['match_probability']:.4f}, weight {row['match_weight']:+.2f}, "
                f"decision {row['decision']}, found by {row['rules']}")  # fmt: skip
        records = [
            (column, *(masked_value(kinds.get(column), _value(by_id, rid, column)) for rid in (left, right)))
            for column in shown
        ]
        parts.append(
            f'<div class="pair"><h3>{escape(left)} · {escape(right)}</h3><p>{escape(head)}</p>'
            + figure("Match weight, step by step", waterfall(steps, markers, f"waterfall {left} {right}"))
            + '<div class="charts">'
            + table(
                ("step", "level and Bayes factors", "contribution"),
                [(n, d, round(v, 3) + 0.0) for n, d, v in steps],
            )
            + table(("field", "left", "right"), records)
            + "</div></div>"
        )
    return "".join(parts)


def _value(by_id: pd.DataFrame, record_id: str, column: str) -> Any:
    return by_id.at[record_id, column] if record_id in by_id.index else None


def _logit2(p: float) -> float:
    return math.log2(p / (1.0 - p))
