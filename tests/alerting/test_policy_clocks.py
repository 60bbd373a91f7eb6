"""Channel policies: the petition's calendar days, 12345's working days and hours, send-backs, extensions,
reopening and the strictest-channel rule, each on hand-made cases with exact due times."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from alerting.calendar import SHANGHAI
from alerting.policies import CASE_TIMES, PolicySet
from alerting.policy_clocks import EVENT_COLUMNS, policy_clocks

pytestmark = pytest.mark.unit


def _bj(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def _channels(*rows: dict[str, Any]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {"case_id": r["case_id"], "channel": r["channel"], "category": r.get("category", "邻里纠纷")}
            | {c: r.get(c) for c in CASE_TIMES}
            for r in rows
        ]
    )
    for column in CASE_TIMES:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def _events(*rows: tuple[str, str, str, str] | tuple[str, str, str, str, int]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [(*r[:3], _bj(r[3]), r[4] if len(r) > 4 else None) for r in rows], columns=list(EVENT_COLUMNS)
    )
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return frame


def _clock(clocks: pd.DataFrame, case_id: str, step: str) -> dict[str, Any]:
    row = clocks[(clocks.case_id == case_id) & (clocks.step == step)]
    assert len(row) == 1, f"no single {step} clock for {case_id}: {clocks}"
    out: dict[str, Any] = row.iloc[0].to_dict()
    out["due_local"] = out["due_at"].tz_convert(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    return out


PETITION = {"case_id": "p1", "channel": "petition", "received_at": _bj("2026-09-18 10:00")}


def test_petition_acceptance_runs_15_calendar_days_and_ends_after_the_national_day_holiday() -> None:
    # 18 September + 15 days is Saturday 3 October, inside the National Day holiday (1-7 October): the
    # period ends with the first working day after it, Thursday 8 October.
    clocks = policy_clocks(_channels(PETITION), _events(), _bj("2026-10-08 12:00"))
    accept = _clock(clocks, "p1", "accept")
    assert (accept["policy"], accept["due_local"], accept["state"]) == (
        "petition",
        "2026-10-09 00:00",
        "due_soon",
    )
    later = policy_clocks(_channels(PETITION), _events(), _bj("2026-10-09 00:01"))
    assert _clock(later, "p1", "accept")["state"] == "overdue"
    done = policy_clocks(
        _channels(PETITION),
        _events(("p1", "petition", "accepted", "2026-10-08 16:00")),
        _bj("2026-10-10 12:00"),
    )
    assert _clock(done, "p1", "accept")["state"] == "done"


def test_petition_handling_is_60_calendar_days_from_acceptance_and_one_approved_extension_of_at_most_30() -> (
    None
):
    # Accepted 5 August: + 60 days is Sunday 4 October (holiday) → the period ends on Thursday 8 October.
    events = [("p1", "petition", "accepted", "2026-08-05 09:00")]
    case = _channels(PETITION | {"received_at": _bj("2026-08-01 10:00")})
    handle = _clock(policy_clocks(case, _events(*events), _bj("2026-09-01 00:00")), "p1", "resolve")
    assert (handle["due_local"], handle["state"]) == ("2026-10-09 00:00", "on_time")
    # An extension of 45 days approved before the limit is capped at 30: 8 October + 30 = 7 November, a
    # Saturday, so Monday 9 November; a second approval does not count (once only).
    extended = events + [
        ("p1", "petition", "extension_approved", "2026-09-20 09:00", 45),
        ("p1", "petition", "extension_approved", "2026-09-25 09:00", 30),
    ]
    handle = _clock(policy_clocks(case, _events(*extended), _bj("2026-10-20 00:00")), "p1", "resolve")
    assert (handle["due_local"], handle["state"]) == ("2026-11-10 00:00", "on_time")
    # Approved after the limit had passed: no extension, the step is overdue.
    late = events + [("p1", "petition", "extension_approved", "2026-10-12 09:00", 30)]
    handle = _clock(policy_clocks(case, _events(*late), _bj("2026-10-20 00:00")), "p1", "resolve")
    assert (handle["due_local"], handle["state"]) == ("2026-10-09 00:00", "overdue")


def test_petition_review_and_recheck_run_30_calendar_days_each() -> None:
    events = _events(
        ("p1", "petition", "review_requested", "2026-11-02 09:00"),
        ("p1", "petition", "review_decided", "2026-11-20 09:00"),
        ("p1", "petition", "recheck_requested", "2026-11-23 09:00"),
    )
    clocks = policy_clocks(_channels(PETITION), events, _bj("2026-11-30 00:00"))
    assert _clock(clocks, "p1", "review")["due_local"] == "2026-12-03 00:00"  # 2 Nov + 30 = Wed 2 Dec
    assert _clock(clocks, "p1", "review")["state"] == "done"
    assert _clock(clocks, "p1", "recheck")["due_local"] == "2026-12-24 00:00"  # 23 Nov + 30 = Wed 23 Dec
    assert _clock(clocks, "p1", "recheck")["state"] == "on_time"


HOTLINE = {"case_id": "h1", "channel": "hotline", "received_at": _bj("2026-11-16 09:00")}  # a Monday


def test_12345_send_back_stops_the_clock_until_the_order_is_dispatched_again() -> None:
    # 5 working days from Monday 16 November: due at the end of Monday 23 November.
    plain = policy_clocks(_channels(HOTLINE), _events(), _bj("2026-11-17 12:00"))
    assert _clock(plain, "h1", "resolve")["due_local"] == "2026-11-24 00:00"
    back = [("h1", "hotline", "sent_back", "2026-11-17 09:00")]
    stood = policy_clocks(_channels(HOTLINE), _events(*back), _bj("2026-11-17 12:00"))
    assert _clock(stood, "h1", "resolve")["state"] == "paused"
    # Re-dispatched a day later: the limit moves by the 24 hours it stood still, and it runs again.
    again = back + [("h1", "hotline", "redispatched", "2026-11-18 09:00")]
    resumed = policy_clocks(_channels(HOTLINE), _events(*again), _bj("2026-11-24 12:00"))
    assert (_clock(resumed, "h1", "resolve")["due_local"], _clock(resumed, "h1", "resolve")["state"]) == (
        "2026-11-25 00:00",
        "on_time",
    )
    assert (
        _clock(policy_clocks(_channels(HOTLINE), _events(*again), _bj("2026-11-25 01:00")), "h1", "resolve")[
            "state"
        ]
        == "overdue"
    )


def test_12345_approved_extension_moves_the_limit_by_working_days_within_its_cap() -> None:
    complex_case = HOTLINE | {"category": "拆迁安置"}  # complex: 15 working days → end of Monday 7 December
    base = _clock(policy_clocks(_channels(complex_case), _events(), _bj("2026-11-20 00:00")), "h1", "resolve")
    assert base["due_local"] == "2026-12-08 00:00"
    events = _events(
        ("h1", "hotline", "extension_requested", "2026-12-01 09:00"),
        ("h1", "hotline", "extension_approved", "2026-12-02 09:00", 10),  # capped at 5 working days
    )
    extended = _clock(
        policy_clocks(_channels(complex_case), events, _bj("2026-12-10 00:00")), "h1", "resolve"
    )
    assert (extended["due_local"], extended["state"]) == ("2026-12-15 00:00", "on_time")


def test_12345_case_types_run_hours_and_the_contact_clock_needs_a_real_acknowledgement() -> None:
    urgent = HOTLINE | {"category": "交通事故", "dispatched_at": _bj("2026-11-16 09:05")}
    clocks = policy_clocks(_channels(urgent), _events(), _bj("2026-11-16 12:00"))
    assert (_clock(clocks, "h1", "resolve")["due_local"], _clock(clocks, "h1", "resolve")["state"]) == (
        "2026-11-16 11:00",
        "overdue",
    )
    # A dispatch is no acknowledgement on a channel that records 签收.
    assert _clock(clocks, "h1", "contact")["state"] == "overdue"
    acked = policy_clocks(
        _channels(urgent),
        _events(("h1", "hotline", "acknowledged", "2026-11-16 09:12")),
        _bj("2026-11-16 12:00"),
    )
    contact = _clock(acked, "h1", "contact")
    assert (contact["state"], contact["done_at"]) == ("done", pd.Timestamp(_bj("2026-11-16 09:12")))


def test_a_reopened_case_is_handled_anew_from_the_reopening() -> None:
    events = _events(
        ("h1", "hotline", "closed", "2026-11-18 10:00"),
        ("h1", "hotline", "reopened", "2026-11-20 10:00"),  # 重办 after a bad rating: Friday
    )
    clocks = policy_clocks(_channels(HOTLINE), events, _bj("2026-11-23 12:00"))
    resolve = _clock(clocks, "h1", "resolve")
    assert (resolve["started_at"], resolve["due_local"], resolve["state"]) == (
        pd.Timestamp(_bj("2026-11-20 10:00")),
        "2026-11-28 00:00",
        "on_time",
    )


def test_the_binding_clock_is_the_strictest_of_the_case_channels() -> None:
    # One dispute on 12345 (5 working days) and at the petition office (60 days from acceptance).
    # Monday 14 September + 5 working days: Sunday 20 September is a swapped working day (调休), so the
    # limit ends with it.
    hotline = HOTLINE | {"received_at": _bj("2026-09-14 09:00")}
    both = _channels(hotline, hotline | {"channel": "petition", "received_at": _bj("2026-09-14 10:00")})
    events = _events(("h1", "petition", "accepted", "2026-09-15 09:00"))
    clocks = policy_clocks(both, events, _bj("2026-09-18 00:00"))
    resolve = _clock(clocks, "h1", "resolve")
    assert (resolve["policy"], resolve["channel"], resolve["due_local"]) == (
        "hotline_12345",
        "hotline",
        "2026-09-21 00:00",
    )
    assert _clock(clocks, "h1", "accept")["policy"] == "petition"  # steps only one channel has still run
    # Without the hotline report the petition's 60 days bind: 15 September + 60 is Saturday 14 November,
    # so the end of Monday 16 November.
    alone = policy_clocks(both[both.channel == "petition"], events, _bj("2026-09-18 00:00"))
    assert _clock(alone, "h1", "resolve")["due_local"] == "2026-11-17 00:00"


def test_unknown_channels_run_the_default_policy_which_is_the_centres_four_clocks() -> None:
    app = {
        "case_id": "a1",
        "channel": "app",
        "received_at": _bj("2026-11-16 09:00"),
        "dispatched_at": _bj("2026-11-16 09:20"),
    }
    clocks = policy_clocks(
        _channels(app, app | {"case_id": "x1", "channel": "fax"}), _events(), _bj("2026-11-16 12:00")
    )
    assert set(clocks.policy) == {"centre"}
    assert _clock(clocks, "a1", "contact")["state"] == "done"  # no 签收 recorded: the dispatch stands in
    assert sorted(clocks[clocks.case_id == "a1"].step) == ["contact", "dispatch", "follow_up", "resolve"]


def test_a_limit_reaching_an_unknown_year_is_calendar_unknown_not_a_guess() -> None:
    late = HOTLINE | {"received_at": _bj("2026-12-28 09:00")}
    resolve = policy_clocks(_channels(late), _events(), _bj("2026-12-28 12:00"))
    row = resolve[resolve.step == "resolve"].iloc[0]
    assert row["state"] == "calendar_unknown" and pd.isna(row["due_at"])


def test_a_typo_in_the_policy_file_fails_on_load(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text(
        "default: x\npolicies:\n- id: x\n  channels: [hotline]\n  steps:\n"
        "  - {step: contact, starts: received_at, limit: {minutes: 30}, due_soon: {minutes: 10}, done_by: [acknowleged]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="acknowleged"):
        PolicySet.load(bad)


def test_12345_acknowledgement_runs_two_hours_from_the_dispatch() -> None:
    events = [("h1", "hotline", "dispatched", "2026-11-16 10:00")]
    running = policy_clocks(_channels(HOTLINE), _events(*events), _bj("2026-11-16 11:45"))
    assert (
        _clock(running, "h1", "acknowledge")["due_local"],
        _clock(running, "h1", "acknowledge")["state"],
    ) == (
        "2026-11-16 12:00",
        "due_soon",
    )
    signed = events + [("h1", "hotline", "acknowledged", "2026-11-16 11:30")]
    assert (
        _clock(
            policy_clocks(_channels(HOTLINE), _events(*signed), _bj("2026-11-17 00:00")), "h1", "acknowledge"
        )["state"]
        == "done"
    )
    # Not dispatched yet: no acknowledgement clock.
    assert "acknowledge" not in set(
        policy_clocks(_channels(HOTLINE), _events(), _bj("2026-11-16 12:00")).step
    )


def test_after_a_reopening_only_a_later_closure_settles_the_step() -> None:
    events = [
        ("h1", "hotline", "closed", "2026-11-18 10:00"),
        ("h1", "hotline", "reopened", "2026-11-20 10:00"),
        ("h1", "hotline", "closed", "2026-11-24 10:00"),
    ]
    clocks = policy_clocks(_channels(HOTLINE), _events(*events), _bj("2026-11-25 12:00"))
    resolve = _clock(clocks, "h1", "resolve")
    assert (resolve["state"], resolve["done_at"]) == ("done", pd.Timestamp(_bj("2026-11-24 10:00")))
