"""A run end to end on both engines: staged records with their handling events, one case on two channels,
the binding clocks in v_time_limit_clock and the scorecards in v_scorecard."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
from pool_data import DAY, assign, at, record, rows, stage

from alerting import run_alerts
from alerting.calendar import SHANGHAI
from warehouse import make_engine, publish_matches

pytestmark = pytest.mark.integration


def _event(kind: str, when: datetime, **fields: object) -> dict[str, object]:
    return {"type": kind, "at": when, "detail": {}, **fields}


def test_a_run_binds_each_step_to_the_strictest_channel_and_moves_it_by_the_events(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    received = at(9, day=-4)  # Monday 16 November 09:00
    stage(
        engine,
        [
            record(
                "hotline:h1",
                reported_at=received,
                received_at=received,
                category="邻里纠纷",
                district="城关区",
                street="张掖路街道",
                phone="13800000001",
                events=[
                    _event("dispatched", at(10, day=-4), unit="张掖路街道办事处", level="street"),
                    _event("acknowledged", at(11, day=-4), unit="张掖路街道办事处", level="street"),
                    _event(
                        "sent_back",
                        at(12, day=-4),
                        unit="张掖路街道办事处",
                        level="street",
                        reason="非本单位职责",
                    ),
                    _event("redispatched", at(12, day=-3), unit="城关区住建局", level="district"),
                ],
            ),
            record(
                "petition:p1",
                reported_at=at(10, day=-4),
                received_at=at(10, day=-4),
                category="邻里纠纷",
                district="城关区",
                id_number="620102198703151234",
                events=[_event("accepted", at(9, day=-3))],
            ),
        ],
    )
    publish_matches(engine, [assign("hotline:h1", "c1"), assign("petition:p1", "c1", new=False)], [], [], [])
    run_alerts(engine, DAY.end, "policies")
    clocks = {
        r["step"]: r
        for r in rows(engine, "SELECT step, policy, channel, due_at, done_at, state FROM v_time_limit_clock")
    }
    # 12345's 5 working days bind the resolve step, moved by the 24 hours the send-back stood.
    resolve = clocks["resolve"]
    assert (resolve["policy"], resolve["channel"], resolve["state"]) == (
        "hotline_12345",
        "hotline",
        "on_time",
    )
    due = pd.Timestamp(resolve["due_at"])
    due = (due.tz_localize("UTC") if due.tzinfo is None else due).tz_convert(SHANGHAI)
    assert due == pd.Timestamp(datetime(2026, 11, 25, tzinfo=SHANGHAI))  # end of Monday 23 Nov + 24 h
    assert clocks["acknowledge"]["state"] == "done"  # signed an hour after the dispatch
    assert (clocks["accept"]["policy"], clocks["accept"]["state"]) == ("petition", "done")
    scores = {
        (r["metric"]): (r["numerator"], r["denominator"])
        for r in rows(
            engine,
            "SELECT metric, numerator, denominator FROM v_scorecard "
            "WHERE period_kind = 'week' AND period = '2026-W47' AND dimension = 'city'",
        )
    }
    assert scores["response"] == (1, 1) and scores["ack_on_time"] == (1, 1)
    engine.dispose()
