"""Simulated handling: every channel's events follow its rules, spread over the days after each report, with
believable shares that the knobs move."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import pytest

from connectors.base import SHANGHAI, ComplaintRecord
from connectors.events import EVENT_TYPES, HandlingEvent
from connectors.registry import connector_class
from simulators import World, generate_world
from simulators.knobs import WorldKnobs

pytestmark = pytest.mark.unit

START, DAYS = date(2026, 10, 1), 45
SPAN_END = datetime(2026, 11, 15, tzinfo=SHANGHAI)


@cache
def world(**knobs: Any) -> World:
    return generate_world(seed=17, n_records=5000, start=START, days=DAYS, knobs=WorldKnobs(**knobs))


@cache
def records(source: str, **knobs: Any) -> tuple[ComplaintRecord, ...]:
    drawn = world(**knobs)
    connector = connector_class(source)
    keys = (f"{source}:{raw[connector.primary_key]}" for raw in drawn.rows[source])
    return tuple(
        connector.to_record(raw)
        for raw, key in zip(drawn.rows[source], keys, strict=True)
        if key not in drawn.defects
    )


def at(event: HandlingEvent) -> datetime:
    assert event.at is not None  # every simulated event has a readable time
    return event.at


def kinds(record: ComplaintRecord) -> list[str]:
    return [e.type for e in record.events]


@pytest.mark.parametrize("source", ["hotline", "petition", "police", "app", "netizen"])
def test_events_lie_between_the_report_and_the_span_end_in_order(source: str) -> None:
    streams = records(source)
    assert all(r.events for r in streams)
    for record in streams:
        times = [at(e) for e in record.events]
        assert times == sorted(times) and times[-1] < SPAN_END
        assert record.reported_at is not None and times[0] >= record.reported_at
        assert record.updated_at == times[-1]  # the source's update time is its latest event


def test_events_span_the_days_after_the_reports() -> None:
    days = Counter(at(e).date() for r in records("hotline") for e in r.events)
    assert len(days) == DAYS  # every day of the span has handling activity
    late = [r for r in records("hotline") if at(r.events[-1]) - at(r.events[0]) > timedelta(days=5)]
    assert 0.1 < len(late) / len(records("hotline")) < 0.5


def test_hotline_shares_are_believable() -> None:
    orders = records("hotline")
    dispatched = sum(kinds(r).count("dispatched") for r in orders)
    sent_back = sum(kinds(r).count("sent_back") for r in orders)
    assert 0.05 <= sent_back / dispatched <= 0.10
    verdicts = Counter(e.satisfaction for r in orders for e in r.events if e.type == "followed_up")
    total = sum(verdicts.values())
    assert verdicts["满意"] / total > 0.7 and 0.03 < verdicts["不满意"] / total < 0.15
    closed = sum("closed" in kinds(r) for r in orders)
    assert total / closed > 0.8  # most closed orders are followed up
    # Every send-back is followed by a re-dispatch (unless the span ended first), every reopening by
    # handling again; an extension is asked before it is answered; reminders only come after dispatch.
    for record in orders:
        k = kinds(record)
        for i, kind in enumerate(k):
            if kind == "sent_back" and i + 1 < len(k):
                assert k[i + 1] == "redispatched"
            if kind in ("extension_approved", "extension_denied"):
                assert "extension_requested" in k[:i]
            if kind == "reminded":
                assert "dispatched" in k[:i]
        reopened = [i for i, kind in enumerate(k) if kind == "reopened"]
        for i in reopened:
            assert any(e.type == "followed_up" and e.satisfaction == "不满意" for e in record.events[:i])
    assert sum("reopened" in kinds(r) for r in orders) > 0
    assert sum("extension_approved" in kinds(r) for r in orders) > 0
    assert sum("reminded" in kinds(r) for r in orders) > 0


def test_petitions_are_decided_within_15_calendar_days_and_reviewed_after_a_bad_rating() -> None:
    petitions = records("petition")
    decided = [r for r in petitions if {"accepted", "not_accepted"} & set(kinds(r))]
    assert len(decided) > 0.8 * len(petitions)
    for record in decided:
        decision = next(e for e in record.events if e.type in ("accepted", "not_accepted"))
        assert at(decision) - at(record.events[0]) <= timedelta(days=15)
        if decision.type == "not_accepted":
            assert decision.reason and kinds(record)[-1] == "not_accepted"
    for record in petitions:
        for e in record.events:
            if e.type == "extension_approved":
                assert e.days is not None and e.days <= 30
            if e.type == "review_requested":
                assert e.detail["stage"] in ("复查", "复核")
    assert sum("replied" in kinds(r) for r in petitions) > 0.2 * len(petitions)


def test_police_close_on_the_spot_or_transfer() -> None:
    incidents = records("police")
    ends = Counter(kinds(r)[-1] for r in incidents)
    assert set(ends) <= {"closed", "transferred", "arrived"} and ends["arrived"] < 0.01 * len(incidents)
    assert 0.2 < ends["transferred"] / len(incidents) < 0.4
    for record in incidents:
        if kinds(record)[-1] == "transferred":
            assert record.events[-1].detail["to"] and record.status == "移交"


def test_app_and_board_ratings_are_scores() -> None:
    for source in ("app", "netizen"):
        scores = Counter(e.score for r in records(source) for e in r.events if e.type == "followed_up")
        assert set(scores) <= {1, 2, 3, 4, 5} and scores[5] == max(scores.values())


def test_the_knobs_move_the_shares() -> None:
    def share(kind: str, of: str, **knobs: Any) -> float:
        orders = records("hotline", **knobs)
        return sum(kinds(r).count(kind) for r in orders) / sum(kinds(r).count(of) for r in orders)

    assert share("sent_back", "dispatched", send_back_share=0.2) == pytest.approx(0.2, abs=0.03)
    unhappy = records("hotline", dissatisfied_share=0.3)
    verdicts = Counter(e.satisfaction for r in unhappy for e in r.events if e.type == "followed_up")
    assert verdicts["不满意"] / sum(verdicts.values()) > 0.2
    transfers = Counter(kinds(r)[-1] for r in records("police", police_transfer_share=0.7))
    assert transfers["transferred"] / sum(transfers.values()) == pytest.approx(0.7, abs=0.06)


def test_the_raw_logs_are_each_systems_own_shape() -> None:
    drawn = world()
    hotline = drawn.rows["hotline"][0]
    assert isinstance(hotline["flow"], list) and hotline["flow"][0]["node"] == "登记"
    petition = json.loads(drawn.rows["petition"][0]["blgc"])  # a text column of the petition database
    assert petition[0]["hj"] == "登记" and petition[0]["dwjb"] in ("市级", "区县")
    police = json.loads(drawn.rows["police"][0]["处警记录"])
    assert [step["环节"] for step in police[:3]] == ["接警", "派警", "到场"]
    app = drawn.rows["app"][0]["status_history"]
    assert [step["status"] for step in app[:2]] == ["submitted", "accepted"] and app[1][
        "agency_level"
    ] == "city"


def test_the_manifest_counts_the_events_per_source_and_type() -> None:
    counted = world().manifest()["events"]
    sent_back = sum(e["node"] in ("退单", "回退") for row in world().rows["hotline"] for e in row["flow"])
    assert counted["hotline"]["sent_back"] == sent_back > 0
    assert set(counted) == {"petition", "police", "hotline", "app", "netizen"}
    assert all(kind in EVENT_TYPES for per_source in counted.values() for kind in per_source)
