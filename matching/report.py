"""The matching report: one offline HTML page that explains a dedupe run, with Splink's charts as the anchor.

``python -m matching report --input in.csv [--truth truth.csv] --output report.html`` runs
:func:`matching.linker.dedupe` and writes the page: what training did and which estimates to distrust,
m, u and the match weight of every comparison level (trained against the settings' starting values),
the match-weight histogram with the thresholds, waterfalls of sampled pairs (near-misses around each
threshold included) with both records masked, cluster sizes, and pairs per blocking rule with what the
caps cut. With ground truth it adds precision / recall / F1 against the threshold and the calibration of
``match_probability``. Inline CSS and SVG only, no script, so it opens on a closed network.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from matching._report_html import figure, note, page, table, warning
from matching._report_pairs import explained_pairs
from matching._report_sections import (
    blocking_section,
    clusters_section,
    histogram_section,
    training_flags,
    training_section,
    weights_section,
)
from matching._report_svg import ACCENT, GOOD, MERGE, REVIEW, Marker, lines
from matching.evaluation import pairwise_scores
from matching.linker import DedupeResult
from matching.settings import MatchSettings, load_settings

THRESHOLDS = np.round(np.arange(0.05, 0.995, 0.01), 2)
"""The sweep: 0.05, 0.06 ... 0.99."""


def pair_truth(pairs: pd.DataFrame, truth: Mapping[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Which pairs the truth knows (both records in it) and which of those are one entity.

    Args:
        pairs: ``record_id_l``, ``record_id_r`` (strings or dedupe's categoricals).
        truth: record_id -> entity (case) id.

    Returns:
        ``(known, same)`` boolean arrays, one entry per pair.
    """
    ids = pd.Index(list(truth.keys()), dtype=object)
    entity = pd.factorize(pd.Series(list(truth.values()), dtype=object))[0]

    def entities(column: pd.Series) -> np.ndarray:
        if isinstance(column.dtype, pd.CategoricalDtype):  # dedupe's pairs: look each category up once
            where = ids.get_indexer(column.cat.categories.astype(str))
            per_category = np.append(np.where(where >= 0, entity[where], -1), -1)
            return np.asarray(per_category[column.cat.codes.to_numpy()])  # code -1 reads the trailing -1
        where = ids.get_indexer(column.astype(str))
        return np.where(where >= 0, entity[where], -1)

    left, right = entities(pairs["record_id_l"]), entities(pairs["record_id_r"])
    known = (left >= 0) & (right >= 0)
    return known, known & (left == right)


def true_pair_count(truth: Mapping[str, str], record_ids: pd.Series | None = None) -> int:
    """Pairs of records of one entity (among ``record_ids``, default all of the truth)."""
    entities = pd.Series(truth, dtype=object)
    if record_ids is not None:
        entities = entities[entities.index.isin(record_ids.astype(str))]
    sizes = entities.value_counts().to_numpy(dtype=np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def calibration(pairs: pd.DataFrame, truth: Mapping[str, str], bins: int = 10) -> dict[str, Any]:
    """Expected calibration error of ``match_probability`` over the scored pairs the truth knows.

    Pairs are put in ``bins`` equal-width probability bins; ECE is the pair-weighted mean of
    |mean predicted probability - share of true matches| over the bins. Only scored (blocked) pairs
    count: pairs blocking never proposed have no probability.

    Args:
        pairs: ``record_id_l``, ``record_id_r``, ``match_probability`` (dedupe's ``result.pairs``).
        truth: record_id -> entity (case) id.
        bins: number of bins.

    Returns:
        ``ece``, ``pairs`` and ``matches`` counted, and per bin ``lower``, ``upper``, ``pairs``,
        ``mean_probability`` and ``match_rate`` (NaN for an empty bin).
    """
    known, same = pair_truth(pairs, truth)
    probability = pairs["match_probability"].to_numpy(dtype=np.float64)[known]
    outcome = same[known].astype(np.float64)
    where = np.clip((probability * bins).astype(np.int64), 0, bins - 1)
    count = np.bincount(where, minlength=bins).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(where, weights=probability, minlength=bins) / count
        rate = np.bincount(where, weights=outcome, minlength=bins) / count
    gaps = np.where(count > 0, np.abs(mean - rate), 0.0)
    total = int(count.sum())
    return {
        "ece": float((count * gaps).sum() / total) if total else float("nan"),
        "pairs": total,
        "matches": int(outcome.sum()),
        "bins": [{"lower": i / bins, "upper": (i + 1) / bins, "pairs": int(count[i]),
                  "mean_probability": float(mean[i]), "match_rate": float(rate[i])} for i in range(bins)],
    }  # fmt: skip


def threshold_sweep(
    pairs: pd.DataFrame, truth: Mapping[str, str], true_pairs: int, thresholds: np.ndarray = THRESHOLDS
) -> dict[str, Any]:
    """Pairwise precision, recall and F1 if every scored pair at or above a threshold were merged.

    Before clustering (no transitive closure, no guards). Recall's denominator is ``true_pairs``, every
    true pair, so true pairs that blocking never proposed count as missed.

    Returns:
        ``thresholds``, ``precision``, ``recall``, ``f1`` (arrays), ``best_threshold``, ``best_f1`` and
        ``blocked_true_pairs`` (true pairs among the scored ones: the recall any threshold can reach).
    """
    known, same = pair_truth(pairs, truth)
    probability = pairs["match_probability"].to_numpy(dtype=np.float64)[known]
    order = np.argsort(probability, kind="stable")
    ranked, hits = probability[order], same[known][order].astype(np.int64)
    at_or_above = np.append(np.cumsum(hits[::-1])[::-1], 0)  # true matches from position i on
    first = np.searchsorted(ranked, thresholds, side="left")
    predicted = len(ranked) - first
    correct = at_or_above[first]
    precision = np.where(predicted > 0, correct / np.maximum(predicted, 1), 1.0)
    recall = correct / true_pairs if true_pairs else np.ones(len(thresholds))
    f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0.0)
    best = len(f1) - 1 - int(np.argmax(f1[::-1]))  # the highest threshold among equals: fewer merges
    return {"thresholds": thresholds, "precision": precision, "recall": recall, "f1": f1,
            "best_threshold": float(thresholds[best]), "best_f1": float(f1[best]),
            "blocked_true_pairs": int(hits.sum())}  # fmt: skip


def truth_section(
    result: DedupeResult, settings: MatchSettings, truth: Mapping[str, str], records: pd.Series
) -> str:
    """Precision / recall / F1 against the threshold, the F1-maximising threshold, and calibration."""
    true_pairs = true_pair_count(truth, records)
    merge = settings.merge_threshold
    sweep = threshold_sweep(result.pairs, truth, true_pairs, np.unique(np.append(THRESHOLDS, merge)))
    at_merge = int(np.searchsorted(sweep["thresholds"], merge))
    at_best = int(np.searchsorted(sweep["thresholds"], sweep["best_threshold"]))
    gain = sweep["best_f1"] - float(sweep["f1"][at_merge])
    clusters = pairwise_scores(
        truth, dict(zip(result.clusters["record_id"], result.clusters["cluster_id"], strict=True))
    )
    scores = table(("", "threshold", "precision", "recall", "F1"), [
        ("clusters dedupe wrote (after clustering and guards)", merge, clusters["precision"], clusters["recall"], clusters["f1"]),
        ("scored pairs, packaged merge threshold", merge, *(float(sweep[k][at_merge]) for k in ("precision", "recall", "f1"))),
        ("scored pairs, F1-maximising threshold", sweep["best_threshold"], *(float(sweep[k][at_best]) for k in ("precision", "recall", "f1"))),
    ])  # fmt: skip
    ceiling = sweep["blocked_true_pairs"] / true_pairs if true_pairs else 1.0
    markers = [Marker(merge, f"merge {merge:g}", MERGE), Marker(settings.review_threshold, "review", REVIEW),
               Marker(sweep["best_threshold"], f"best F1 {sweep['best_threshold']:g}", ACCENT, dashed=True)]  # fmt: skip
    every = np.concatenate([sweep["precision"], sweep["recall"], sweep["f1"]])
    low = max(0.0, float(np.floor(every.min(initial=1.0) * 10) / 10) - 0.1)  # zoom where the curves are
    curves = lines(list(sweep["thresholds"]), [("precision", list(sweep["precision"]), "#1d2733"),
                   ("recall", list(sweep["recall"]), "#f08c00"), ("F1", list(sweep["f1"]), GOOD)],
                   markers, "precision recall F1 by threshold", "merge threshold on match_probability", y_low=low)  # fmt: skip
    calib = calibration(result.pairs, truth)
    bins = calib["bins"]
    centres = [b["mean_probability"] if b["pairs"] else (b["lower"] + b["upper"]) / 2 for b in bins]
    reliability = lines(centres,
                        [("observed", [b["match_rate"] for b in bins], ACCENT)], [], "reliability diagram",
                        "mean match_probability in the bin", diagonal=True, counts=[b["pairs"] for b in bins])  # fmt: skip
    return (
        note(f"Pairwise, over the {len(result.pairs):,} scored pairs: a pair counts as merged when its "
             "match_probability reaches the threshold (before clustering). Recall counts every one of the "
             f"{true_pairs:,} true pairs, so the {true_pairs - sweep['blocked_true_pairs']:,} that blocking never "
             f"proposed are missed at any threshold (recall ceiling {ceiling:.4f}).")
        + scores
        + (warning("Another merge threshold does clearly better on this data",
                   [f"F1 {sweep['best_f1']:.4f} at {sweep['best_threshold']:g} against {sweep['f1'][at_merge]:.4f} at the "
                    f"packaged {merge:g}: the probabilities are miscalibrated here; label pairs (python -m matching "
                    "label) or set thresholds.merge"]) if gain >= 0.01 else "")
        + figure("Precision, recall and F1 against the merge threshold (scored pairs)", curves)
        + f"<h3>Calibration: expected calibration error {calib['ece']:.4f}</h3>"
        + note(f"{calib['pairs']:,} scored pairs in 10 bins of match_probability; a calibrated model's dots lie "
               "on the diagonal (of the pairs it gives 0.8, 80% are true matches); a dot's area is its bin's pairs.")
        + '<div class="charts">' + figure("Reliability diagram", reliability)
        + table(("bin", "pairs", "mean probability", "true-match share"),
                [(f"{b['lower']:.1f}–{b['upper']:.1f}", b["pairs"], b["mean_probability"], b["match_rate"]) for b in bins])
        + "</div>"
    )  # fmt: skip


def build_report(
    frame: pd.DataFrame, result: DedupeResult, settings: MatchSettings | None = None,
    truth: Mapping[str, str] | None = None, source: str = "",
) -> str:  # fmt: skip
    """The report page for one dedupe run.

    Args:
        frame: the records dedupe read (for the masked side-by-side view of sampled pairs).
        result: what :func:`matching.linker.dedupe` returned for them.
        settings: the settings it ran with (default: the packaged ones).
        truth: record_id -> entity (case) id, to add precision / recall / F1 and calibration.
        source: where the records came from, for the subtitle.

    Returns:
        The HTML page.
    """
    settings = settings or load_settings()
    stats, training = result.stats, result.stats.get("training", {}) or {}
    flags = training_flags(training, settings)
    decisions = stats.get("decisions", {})
    summary = table(("", "value"), [
        ("records", int(stats.get("records", len(frame)))), ("scored pairs", len(result.pairs)),
        ("clusters", int(stats.get("clusters", result.clusters["cluster_id"].nunique()))),
        *((f"pairs decided {d}", int(decisions.get(d, 0))) for d in ("merge", "review", "reject")),
        ("thresholds (match_probability)", f"merge {settings.merge_threshold:g}, review {settings.review_threshold:g}"),
        ("seconds per phase", ", ".join(f"{k} {v:g}" for k, v in stats.get("timings", {}).items())),
    ])  # fmt: skip
    if flags:
        summary = warning("Training left some estimates unreliable (see Training)", flags) + summary
    seed = settings.training.seed
    sections = [
        ("summary", "Summary", summary),
        ("training", "Training", training_section(training, result.parameters, settings)),
        ("weights", "Match weights per comparison level", weights_section(result.pairs, result.parameters, settings)),
        ("histogram", "Match-weight histogram", histogram_section(result.pairs, settings)),
        ("pairs", "Sampled pairs explained", explained_pairs(frame, result.pairs, result.parameters, settings, seed)),
        ("clusters", "Cluster sizes", clusters_section(result.clusters)),
        ("blocking", "Blocking rules and caps", blocking_section(result.pairs, stats.get("blocking", {}), settings)),
    ]  # fmt: skip
    if truth is not None:
        sections.append(
            ("truth", "Against the ground truth", truth_section(result, settings, truth, frame["record_id"]))
        )
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    subtitle = (
        f"{escape(source) + ' · ' if source else ''}generated {generated}. No script, no external file."
    )
    return page("Matching report", subtitle, sections)


def write_report(
    path: str | Path, frame: pd.DataFrame, result: DedupeResult, settings: MatchSettings | None = None,
    truth: Mapping[str, str] | None = None, source: str = "",
) -> Path:  # fmt: skip
    """Write :func:`build_report`'s page to ``path`` (UTF-8) and return the path."""
    out = Path(path)
    out.write_text(build_report(frame, result, settings, truth, source), encoding="utf-8")
    return out
