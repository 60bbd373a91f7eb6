"""三色三单 rules as data (``alerting/config/rules.yaml``) and their set-based evaluation over the pool.

Each rule measures its subjects (cases, complainants or groups) over one window of reports with pandas
group-bys, then picks each subject's colour from the rule's levels with vectorised masks: no per-row loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

RULES = Path(__file__).with_name("config") / "rules.yaml"
COLOURS = ("red", "orange", "yellow")  # highest first: the first matching level wins
SUBJECTS = {"case": "case_id", "complainant": "complainant_key", "group": "group_id"}
COUNTS = ("n_channels", "n_reports", "n_cases", "n_complainants")
FLAGS = ("petition", "hot", "overdue")
FIRING_COLUMNS = (
    "alert_key",
    "rule_id",
    "subject_kind",
    "subject_id",
    "colour",
    "list_name",
    "district",
    "street",
    "community",
    "grid",
    "category",
    "topic",
    "n_cases",
    "n_complainants",
    "n_reports",
    "evidence",
)


@dataclass(frozen=True)
class Rule:
    """One rule: a subject kind, a window and, per colour, alternative conditions (each a dict of tests)."""

    id: str
    title: str
    subject: str
    window_days: int
    levels: tuple[tuple[str, tuple[tuple[tuple[str, Any], ...], ...]], ...]


@dataclass(frozen=True)
class RuleSet:
    """Every rule and the settings they share; validated on load, so a typo fails before any run."""

    rules: tuple[Rule, ...]
    lists: dict[str, str]
    hot_categories: frozenset[str]
    overdue_steps: tuple[str, ...]
    issue_period: str

    @property
    def max_window_days(self) -> int:
        return max(rule.window_days for rule in self.rules)

    @classmethod
    def load(cls, path: Path | None = None) -> RuleSet:
        """Read and validate the rules file (default: the shipped one)."""
        where = Path(path or RULES)
        raw = yaml.safe_load(where.read_text(encoding="utf-8"))
        lists = dict(raw["lists"])
        if set(lists) != set(COLOURS):
            raise ValueError(f"{where}: lists must name exactly {COLOURS}")
        if raw.get("issue_period", "month") not in ("month", "year"):
            raise ValueError(f"{where}: issue_period is month or year")
        rules, seen = [], set()
        for item in raw["rules"]:
            rule_id = item["id"]
            if rule_id in seen:
                raise ValueError(f"{where}: rule {rule_id} defined twice")
            seen.add(rule_id)
            if item["subject"] not in SUBJECTS:
                raise ValueError(f"{where}: rule {rule_id}: subject must be one of {tuple(SUBJECTS)}")
            levels = []
            for colour, conditions in item["levels"].items():
                if colour not in COLOURS:
                    raise ValueError(f"{where}: rule {rule_id}: unknown colour {colour}")
                levels.append((colour, tuple(_condition(c, f"{where}: rule {rule_id}") for c in conditions)))
            if "yellow" not in dict(levels):
                raise ValueError(f"{where}: rule {rule_id} needs a yellow level (its firing condition)")
            levels.sort(key=lambda level: COLOURS.index(level[0]))
            rules.append(
                Rule(
                    rule_id,
                    item.get("title", rule_id),
                    item["subject"],
                    int(item["window_days"]),
                    tuple(levels),
                )
            )
        return cls(
            tuple(rules),
            lists,
            frozenset(raw["hot_categories"]),
            tuple(raw["overdue_steps"]),
            raw.get("issue_period", "month"),
        )


def _condition(raw: dict[str, Any], where: str) -> tuple[tuple[str, Any], ...]:
    tests = []
    for key, value in raw.items():
        if key.startswith("min_") and f"n_{key[4:]}" in COUNTS:
            tests.append((f"n_{key[4:]}", int(value)))
        elif key in FLAGS and isinstance(value, bool):
            tests.append((key, value))
        else:
            raise ValueError(
                f"{where}: unknown test {key}: {value!r} (min_channels, min_reports, min_cases, "
                "min_complainants, petition, hot, overdue)"
            )
    if not tests:
        raise ValueError(f"{where}: an empty condition would fire on everything")
    return tuple(tests)


def measure(
    reports: pd.DataFrame, subject: str, overdue: set[str], hot: frozenset[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per subject: the counts and flags the levels test (vectorised group-bys; no lists yet).

    Args:
        reports: the window's reports (``alerting.feed.WINDOW_COLUMNS``).
        subject: ``case``, ``complainant`` or ``group``.
        overdue: cases with an overdue step that counts.
        hot: the hot categories.

    Returns:
        One row per subject (``subject_id``, the counts and flags), and the prepared reports for
        :func:`describe`.
    """
    key = SUBJECTS[subject]
    r = reports[reports[key].notna()].copy()
    r["subject_id"] = r[key].astype(str)
    r["person"] = r["complainant_key"].fillna("case:" + r["case_id"])  # no key: each case its own person
    r["is_petition"] = r["source"].eq("petition")
    r["is_hot"] = r["category"].isin(hot)
    r["is_overdue"] = r["case_id"].isin(overdue)
    by = r.groupby("subject_id", sort=True)
    out = pd.DataFrame(
        {
            "n_channels": by["source"].nunique(),
            "n_reports": by.size(),
            "n_cases": by["case_id"].nunique(),
            "n_complainants": by["person"].nunique(),
            "petition": by["is_petition"].any(),
            "hot": by["is_hot"].any(),
            "overdue": by["is_overdue"].any(),
        }
    ).reset_index()
    return out, r


def describe(fired: pd.DataFrame, r: pd.DataFrame) -> pd.DataFrame:
    """Add the responsible place and the evidence lists to the subjects that fired (only those: lists
    are the costly part)."""
    r = r[r["subject_id"].isin(fired["subject_id"])]
    by = r.groupby("subject_id", sort=True)
    lists = pd.DataFrame(
        {"case_ids": by["case_id"].unique().map(sorted), "channels": by["source"].unique().map(sorted)}
    )
    late = r[r["is_overdue"]].groupby("subject_id")["case_id"].unique().map(sorted)
    lists["overdue_case_ids"] = late.reindex(lists.index).map(lambda v: v if isinstance(v, list) else [])
    cases = r.sort_values("reported_at").drop_duplicates(["subject_id", "case_id"], keep="last")
    for column in ("district", "street", "community", "grid", "category", "topic"):
        if column in cases:
            lists[column] = _most_common(cases, column).reindex(lists.index)
    return fired.join(lists, on="subject_id")


def _most_common(cases: pd.DataFrame, column: str) -> pd.Series:
    """Per subject, the value most of its cases have (ties: the one reported last); NULLs ignored."""
    known = cases[cases[column].notna()]
    stats = known.groupby(["subject_id", column]).agg(n=("case_id", "size"), last=("reported_at", "max"))
    stats = stats.reset_index().sort_values(["subject_id", "n", "last"], ascending=[True, False, False])
    return stats.drop_duplicates("subject_id").set_index("subject_id")[column]


def colour_of(measures: pd.DataFrame, rule: Rule) -> pd.Series:
    """Each subject's colour under ``rule`` (``None`` where it does not fire), with vectorised masks."""
    colour = pd.Series(None, index=measures.index, dtype=object)
    for name, conditions in rule.levels:
        hit = pd.Series(False, index=measures.index)
        for tests in conditions:
            ok = pd.Series(True, index=measures.index)
            for column, value in tests:
                ok &= (
                    (measures[column] >= value)
                    if column in COUNTS
                    else (measures[column].astype(bool) == value)
                )
            hit |= ok
        colour = colour.where(colour.notna() | ~hit, name)
    return colour


def evaluate(
    rules: RuleSet, reports: pd.DataFrame, groups: pd.DataFrame, overdue: set[str], as_of: datetime
) -> pd.DataFrame:
    """Every alert the rules raise at ``as_of``: one row per firing (``FIRING_COLUMNS``).

    Args:
        rules: the rule set.
        reports: reports of open cases over at least the longest window before ``as_of``.
        groups: ``v_group`` (labels of group subjects).
        overdue: cases with an overdue step among ``rules.overdue_steps``.
        as_of: the reference time.
    """
    frames = []
    labels = groups.assign(subject_id=groups["group_id"].astype(str)).set_index("subject_id")
    for rule in rules.rules:
        window = reports[reports["reported_at"] >= pd.Timestamp(as_of - timedelta(days=rule.window_days))]
        measured, prepared = measure(window, rule.subject, overdue, rules.hot_categories)
        if measured.empty:
            continue
        measured["colour"] = colour_of(measured, rule)
        m = describe(measured[measured["colour"].notna()], prepared)
        if m.empty:
            continue
        if (
            rule.subject == "group"
        ):  # the group's own category and topic; its district when it is keyed by one
            for column in ("category", "topic", "district"):
                own = labels[column].reindex(m["subject_id"]).to_numpy()
                m[column] = m[column].where(pd.isna(own), own)
        for column in ("community", "grid"):
            if column not in m:
                m[column] = None
        m["rule_id"], m["subject_kind"] = rule.id, rule.subject
        m["alert_key"] = rule.id + ":" + m["subject_id"]
        m["list_name"] = m["colour"].map(rules.lists)
        m["evidence"] = [_evidence(row, rule) for row in m.itertuples(index=False)]
        frames.append(m)
    if not frames:
        return pd.DataFrame(columns=list(FIRING_COLUMNS))
    fired = pd.concat(frames, ignore_index=True)
    return fired[list(FIRING_COLUMNS)].astype(object).where(fired[list(FIRING_COLUMNS)].notna(), None)


def _evidence(row: Any, rule: Rule) -> dict[str, Any]:
    """What a reader needs to see why it fired: the cases, the counts and the flags (no window times, so
    the evidence changes only when the facts do)."""
    return {
        "rule": rule.title,
        "window_days": rule.window_days,
        "case_ids": list(row.case_ids),
        "n_cases": int(row.n_cases),
        "n_complainants": int(row.n_complainants),
        "n_reports": int(row.n_reports),
        "n_channels": int(row.n_channels),
        "channels": list(row.channels),
        "petition": bool(row.petition),
        "hot": bool(row.hot),
        "overdue_case_ids": list(row.overdue_case_ids),
    }
