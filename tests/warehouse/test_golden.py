"""Golden case records: each survivorship rule, provenance, status changes, idempotent refresh."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from pool_data import assign, at, record, rows, stage

from warehouse import make_engine, publish_matches, refresh_pool
from warehouse.derive.columns import mask_identities
from warehouse.derive.survivorship import SurvivorshipError, load_survivorship, parse_survivorship
from warehouse.pool.pooling import refresh_cases
from warehouse.schema import ComplaintCase

pytestmark = pytest.mark.integration

PETITION = record(
    "petition:p1",
    reported_at=at(9),
    name="张伟",
    phone="13800000001",
    id_number="62010219870315123X",
    address="城关区A路1号",
    district="城关区",
    category="劳资欠薪",
    content="反映拖欠工资",
    status="已受理",
    received_at=at(9),
    dispatched_at=at(12),
)
HOTLINE = record(
    "hotline:h1",
    reported_at=at(10),
    name="张伟伟",
    phone="13900000002",
    district="七里河区",
    address="七里河区B路2号",
    street="西湖街道",
    community="西湖社区",
    category="劳资欠薪",
    content="来电人反映其在宏泰华府项目务工,被拖欠工资三万元,多次讨要无果,电话13900000002",
    status="办理中",
    received_at=at(10),
    contacted_at=at(10.3),
    dispatched_at=at(11),
)
APP = record(
    "app:a1",
    reported_at=at(8),
    name="张三",
    phone="13800000001",
    district="安宁区",
    category="物业纠纷",
    content="工资没发",
    status="open",
    received_at=at(8),
)


def _case(engine: sa.Engine) -> dict[str, object]:
    with engine.connect() as conn:  # through the model: aware datetimes and JSON as dicts on both engines
        return dict(
            conn.execute(sa.select(ComplaintCase.__table__).where(ComplaintCase.case_id == "c1"))
            .mappings()
            .one()
        )


def test_each_field_follows_its_rule_and_names_its_source(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    stage(engine, [PETITION, HOTLINE, APP])
    publish_matches(
        engine, [assign("petition:p1", "c1"), assign("hotline:h1", "c1"), assign("app:a1", "c1")], [], [], []
    )
    case = _case(engine)
    expected = {
        "name": ("张伟", "petition:p1"),  # source_trust: petition first
        "phone": ("13900000002", "hotline:h1"),  # most_recent
        "id_number": ("62010219870315123X", "petition:p1"),
        "address": ("七里河区B路2号", "hotline:h1"),  # most_complete: street and community filled
        "district": ("安宁区", "app:a1"),  # earliest report
        "category": ("物业纠纷", "app:a1"),
        "content": (mask_identities(str(HOTLINE["content"])), "hotline:h1"),  # longest (masked)
        "current_status": ("in_progress", "hotline:h1"),  # most_advanced: 办理中 beats 已受理 and open
        "dispatched_at": (at(11), "hotline:h1"),  # first_time: the earliest dispatch, not the first report's
    }
    sources = case["golden_sources"]
    assert isinstance(sources, dict)
    for field, (value, source) in expected.items():
        assert (case[field], sources[field]) == (value, source), field
    assert case["received_at"] == at(8) and case["contacted_at"] == at(10.3)
    assert (case["n_records"], case["n_channels"], case["channels"], case["n_complainants"]) == (
        3,
        3,
        "app,hotline,petition",
        2,
    )  # two phones: two complainants
    assert (case["first_reported_at"], case["last_reported_at"]) == (at(8), at(10))
    provenance = {
        r["field"]: (r["record_id"], r["source"]) for r in rows(engine, "SELECT * FROM v_case_source")
    }
    assert provenance["phone"] == ("hotline:h1", "hotline") and len(provenance) == len(
        load_survivorship().fields
    )
    (shown,) = rows(engine, "SELECT phone_masked, id_number_masked, content FROM v_case")
    assert shown["phone_masked"] == "139****0002" and shown["id_number_masked"] == "620102********123X"
    assert "13900000002" not in shown["content"] and "139****0002" in shown["content"]  # typed into the text
    engine.dispose()


def test_a_restaged_status_is_a_status_change_and_a_second_refresh_changes_nothing(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    stage(engine, [PETITION, HOTLINE])
    publish_matches(engine, [assign("petition:p1", "c1"), assign("hotline:h1", "c1")], [], [], [])
    before = _case(engine)
    assert (
        publish_matches(engine, [assign("petition:p1", "c1"), assign("hotline:h1", "c1")], [], [], [])[
            "cases_refreshed"
        ]
        == 0
    )
    assert _case(engine)["updated_at"] == before["updated_at"]

    resolved = {**HOTLINE, "status": "已办结", "resolved_at": at(15, day=1)}
    (batch,) = stage(engine, [resolved], key="next-day")
    counts = refresh_pool(engine, [batch])
    case = _case(engine)
    assert counts["status_changes"] == 1 and case["current_status"] == "resolved"
    assert case["updated_batch_id"] == batch and case["resolved_at"] == at(15, day=1)
    events = rows(
        engine,
        "SELECT event, related_id, detail FROM v_case_history WHERE case_id = 'c1' ORDER BY history_id",
    )
    assert [e["event"] for e in events] == ["created", "status_changed"]
    assert events[1]["detail"] in (
        {"from": "in_progress", "to": "resolved"},
        '{"from":"in_progress","to":"resolved"}',
    )
    (feed,) = rows(engine, "SELECT change, current_status FROM v_alert_feed")
    assert feed == {"change": "updated", "current_status": "resolved"}
    assert refresh_pool(engine, [batch])["status_changes"] == 0
    assert _case(engine)["updated_at"] == case["updated_at"]
    engine.dispose()


def test_new_cases_are_inserted_as_a_refresh_computes_them(migrated_url: str) -> None:
    """A new case's golden record is computed inside its INSERT (no work table on PostgreSQL); the refresh
    path (work table, then UPDATE) over the same members must find nothing to change."""
    engine = make_engine(migrated_url)
    stage(
        engine,
        [
            PETITION,
            HOTLINE,
            APP,
            record(
                "police:x1",
                reported_at=at(10),
                name="李四",
                phone=None,
                district="城关区",
                category="物业纠纷",
                status="已处警",
            ),
        ],
    )
    publish_matches(
        engine,
        [
            assign("petition:p1", "c1"),
            assign("hotline:h1", "c1"),
            assign("app:a1", "c2"),
            assign("police:x1", "c2"),
        ],
        [],
        [],
        [],
    )
    query = "SELECT * FROM complaint_case ORDER BY case_id"
    inserted = rows(engine, query)
    with engine.begin() as conn:
        refresh_cases(conn, ["c1", "c2"])
    assert rows(engine, query) == inserted
    engine.dispose()


@pytest.mark.unit
@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param({"fields": {"name": {"rule": "loudest"}}}, "unknown rule", id="unknown rule"),
        pytest.param({"fields": {"nickname": {"rule": "most_recent"}}}, "no such column", id="unknown field"),
        pytest.param(
            {"fields": {"name": {"rule": "first_time"}}}, "time columns only", id="time rule on text"
        ),
        pytest.param(
            {"groups": {"categories": ["劳资欠薪"], "min_cases": 1}}, "at least 2", id="group of one"
        ),
        pytest.param(
            {"status_stages": {"a": ["已办结"], "b": ["已办结"]}}, "two stages", id="word in two stages"
        ),
    ],
)
def test_bad_settings_fail_at_load(change: dict[str, object], message: str) -> None:
    import yaml

    from warehouse.derive.survivorship import SETTINGS_PATH

    raw = {**yaml.safe_load(SETTINGS_PATH.read_text(encoding="utf-8")), **change}
    with pytest.raises(SurvivorshipError, match=message):
        parse_survivorship(raw)
