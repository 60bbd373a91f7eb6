"""Benchmark the alerting computation on N open cases: the channel policies' clocks over the cases' handling
events, the 三色三单 rules and the scorecards (in memory).

    python benchmarks/alerts.py --cases 1000000

The cases are synthetic but shaped like the demo pool's: received over the last 30 days, most
dispatched within hours, a quarter resolved; 1.7 reports per case on one to four channels, one complainant
in 20 with a second dispute, one case in 10 in a group of 12; each dispatched case has a dispatch and an
acknowledgement event, 7 % a send-back and re-dispatch, 5 % an approved extension, resolved ones a closure
and a rated follow-up. Reading the views and writing the lists are database work and not timed here. The
last line is ``RESULT cases=N clocks_s=… rules_s=… scores_s=… alerts=… peak_rss_mb=…``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alerting.calendar import SHANGHAI  # noqa: E402
from alerting.clocks import overdue_cases  # noqa: E402
from alerting.policy_clocks import policy_clocks  # noqa: E402
from alerting.rules import RuleSet, evaluate  # noqa: E402
from alerting.scorecard import Material, scorecards  # noqa: E402

AS_OF = datetime(2026, 11, 21, tzinfo=SHANGHAI)
CATEGORIES = np.array(
    ["劳资欠薪", "逾期交房", "拆迁安置", "投资受损", "物业纠纷", "邻里纠纷", "消费维权", "其他"]
)
CHANNELS = np.array(["hotline", "app", "police", "petition", "netizen"])


def synthetic(n: int, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(cases for the clocks, reports of the rules' window, groups)``."""
    ids = np.char.add("case-", np.arange(n).astype(str))
    received = pd.Timestamp(AS_OF).tz_convert("UTC") - pd.to_timedelta(
        rng.uniform(0, 30 * 86400, n), unit="s"
    )
    dispatched = received + pd.to_timedelta(rng.uniform(300, 30000, n), unit="s")
    resolved = received + pd.to_timedelta(rng.uniform(7200, 12 * 86400, n), unit="s")
    cases = pd.DataFrame(
        {
            "case_id": ids,
            "received_at": received,
            "contacted_at": pd.NaT,
            "dispatched_at": dispatched.where(rng.random(n) < 0.85),
            "resolved_at": resolved.where(rng.random(n) < 0.25),
            "followed_up_at": pd.NaT,
        }
    )
    for column in ("contacted_at", "followed_up_at"):
        cases[column] = pd.to_datetime(cases[column], utc=True)
    per_case = rng.choice([1, 2, 3, 4], size=n, p=[0.55, 0.3, 0.1, 0.05])
    case_of = np.repeat(np.arange(n), per_case)
    persons = np.where(rng.random(n) < 0.05, rng.integers(0, n, n), np.arange(n))
    groups = np.where(rng.random(n) < 0.1, np.arange(n) // 120, -1)
    reports = pd.DataFrame(
        {
            "case_id": ids[case_of],
            "record_id": np.char.add("r-", np.arange(len(case_of)).astype(str)),
            "source": CHANNELS[rng.integers(0, 5, len(case_of))],
            "reported_at": received[case_of] + pd.to_timedelta(rng.uniform(0, 86400, len(case_of)), unit="s"),
            "complainant_key": np.char.add("p-", persons[case_of].astype(str)),
            "category": CATEGORIES[np.arange(n) // 120 % 8][case_of],
            "district": "城关区",
            "street": None,
            "topic": None,
            "group_id": pd.arrays.IntegerArray(groups[case_of], groups[case_of] < 0),  # -1: no group (NA)
        }
    )
    reports = reports[reports["reported_at"] < pd.Timestamp(AS_OF)]
    group_ids = np.unique(groups[groups >= 0])
    labels = pd.DataFrame(
        {
            "group_id": pd.array(group_ids, dtype="Int64"),
            "category": CATEGORIES[group_ids % 8],
            "topic": np.char.add("项目", group_ids.astype(str)),
            "district": None,
        }
    )
    return cases, reports, labels


def handling(cases: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Handling events of the synthetic cases (``alerting.policy_clocks.EVENT_COLUMNS`` + unit, satisfaction)."""
    n, frames = len(cases), []

    def add(event: str, mask: np.ndarray, at: pd.Series, days: float | None = None) -> None:
        frames.append(
            pd.DataFrame(
                {
                    "case_id": cases["case_id"][mask],
                    "channel": "hotline",
                    "event": event,
                    "at": at[mask],
                    "days": days,
                }
            )
        )

    dispatched = cases["dispatched_at"].notna().to_numpy()
    ack = cases["dispatched_at"] + pd.to_timedelta(rng.lognormal(np.log(5400), 1.0, n), unit="s")
    add("dispatched", dispatched, cases["dispatched_at"])
    add("acknowledged", dispatched, ack)
    back = dispatched & (rng.random(n) < 0.07)
    add("sent_back", back, ack + pd.Timedelta(hours=1))
    add("redispatched", back, ack + pd.Timedelta(hours=4))
    add("extension_approved", dispatched & (rng.random(n) < 0.05), ack + pd.Timedelta(days=2), 5.0)
    resolved = cases["resolved_at"].notna().to_numpy()
    add("closed", resolved, cases["resolved_at"])
    add("followed_up", resolved, cases["resolved_at"] + pd.Timedelta(days=1))
    events = pd.concat(frames, ignore_index=True)
    events["unit"] = "城关区住建局"
    rating = pd.Series(np.where(rng.random(len(events)) < 0.9, "满意", "不满意"), index=events.index)
    events["satisfaction"] = rating.where(events["event"] == "followed_up")
    return events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    cases, reports, groups = synthetic(args.cases, rng)
    events = handling(cases, rng)
    first = reports.groupby(["case_id", "source"], as_index=False)["reported_at"].min()
    channels = first.rename(columns={"source": "channel"}).merge(
        cases.drop(columns="received_at"), on="case_id"
    )
    channels = channels.rename(columns={"reported_at": "received_at"}).merge(
        reports.drop_duplicates("case_id")[["case_id", "category", "district", "street"]], on="case_id"
    )
    began = time.perf_counter()
    clocks = policy_clocks(channels, events, AS_OF)
    clocks_s = time.perf_counter() - began
    began = time.perf_counter()
    fired = evaluate(RuleSet.load(), reports, groups, overdue_cases(clocks, ("dispatch", "resolve")), AS_OF)
    rules_s = time.perf_counter() - began
    began = time.perf_counter()
    once = channels.sort_values("received_at").drop_duplicates("case_id")
    scores = scorecards(Material(once, reports[["case_id", "reported_at"]], events, clocks), AS_OF)
    scores_s = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(clocks)} clocks: {clocks['state'].value_counts().to_dict()}")
    print(f"{len(fired)} alerts: {fired['colour'].value_counts().to_dict()}")
    print(
        f"RESULT cases={args.cases} reports={len(reports)} events={len(events)} clocks_s={clocks_s:.2f} "
        f"rules_s={rules_s:.2f} scores_s={scores_s:.2f} score_rows={len(scores)} alerts={len(fired)} "
        f"peak_rss_mb={peak:.0f}"
    )


if __name__ == "__main__":
    main()
