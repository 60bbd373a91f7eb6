"""Groups (hotspots): topics read from descriptions, groups formed at min_cases, ids stable, counts kept."""

from __future__ import annotations

import pytest
from pool_data import assign, at, record, rows, stage

from warehouse import make_engine, publish_matches
from warehouse.derive.topics import fold, topic_of

pytestmark = pytest.mark.integration


@pytest.mark.unit
@pytest.mark.parametrize(
    ("content", "address", "expected"),
    [
        pytest.param(
            "信访人反映区征收办在北坡城中村改造项目中过渡费已停发多月",
            None,
            ("北坡城中村改造", 1),
            id="renewal project",
        ),
        pytest.param(
            "反映南湾片區棚户區改造項目拆遷安置問題",
            None,
            ("南湾片区棚户区改造", 1),
            id="traditional characters",
        ),
        pytest.param(
            "来电人反映:其在安宁区鼎恒国际二期项目做瓦工,兰州嘉兴建设工程有限公司拖欠其工资",
            None,
            ("鼎恒国际", 2),
            id="project before employer",
        ),
        pytest.param(
            "反映甘肃海信财富管理有限公司以高息为诱饵吸收公众资金",
            "城关区南昌路32号",
            ("海信", 3),
            id="employer",
        ),
        pytest.param(
            "来电人反映:其居住的中海苑5号楼4单元501室供暖温度不达标",
            None,
            ("中海苑", 2),
            id="compound lived in",
        ),
        pytest.param(
            "来电人反映先锋路195号院小区供暖温度不达标", None, ("先锋路195号", 2), id="compound by number"
        ),
        pytest.param("家门口的汇通工地粉尘太严重了", None, ("汇通工地", 4), id="site"),
        pytest.param(
            "报警称被骗投资款", "城关区嘉峪关路322号达通大厦", ("达通大厦", 6), id="address fallback"
        ),
        pytest.param("报警称被拖欠工资", "城关区靖远路401号", None, id="nothing named"),
    ],
)
def test_topics_name_the_project_employer_or_place(
    content: str, address: str | None, expected: tuple[str, int] | None
) -> None:
    assert topic_of(content, address) == expected


@pytest.mark.unit
def test_folding_makes_full_width_and_traditional_text_comparable() -> None:
    assert fold("鼎恒國際 ２期") == "鼎恒国际2期"


def _wage(record_id: str, project: str, hour: float, phone: str) -> dict[str, object]:
    return record(
        record_id,
        reported_at=at(hour),
        category="劳资欠薪",
        district="城关区",
        phone=phone,
        content=f"来电人反映其在{project}二期项目务工,被拖欠工资",
        status="已派单",
        received_at=at(hour),
    )


def test_cases_naming_one_project_form_a_group_that_keeps_its_id(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    stage(
        engine,
        [
            _wage("hotline:w1", "宏泰华府", 9, "13800000001"),
            _wage("app:w2", "宏泰华府", 10, "13800000002"),
            _wage("hotline:w3", "鑫源雅苑", 11, "13800000003"),
        ],
    )
    publish_matches(engine, [assign("hotline:w1", "c1"), assign("app:w2", "c2")], [], [], [])
    publish_matches(engine, [assign("hotline:w3", "c3")], [], [], [])  # another project: no group for it
    (group,) = rows(engine, "SELECT * FROM v_group")
    assert (group["category"], group["topic"], group["n_cases"], group["n_complainants"]) == (
        "劳资欠薪",
        "宏泰华府",
        2,
        2,
    )
    linked = {r["case_id"]: r["group_id"] for r in rows(engine, "SELECT case_id, group_id FROM v_case")}
    assert linked == {"c1": group["group_id"], "c2": group["group_id"], "c3": None}

    stage(engine, [_wage("petition:w4", "宏泰华府", 12, "13800000004")], key="later")
    publish_matches(engine, [assign("petition:w4", "c4")], [], [], [])
    (grown,) = rows(engine, "SELECT * FROM v_group")
    assert (grown["group_id"], grown["n_cases"], grown["n_records"]) == (group["group_id"], 3, 3)
    grouped = rows(engine, "SELECT case_id FROM v_case_history WHERE event = 'grouped' ORDER BY case_id")
    assert [r["case_id"] for r in grouped] == ["c1", "c2", "c4"]
    (feed,) = rows(engine, "SELECT group_n_cases FROM v_alert_feed WHERE case_id = 'c4'")
    assert feed["group_n_cases"] == 3
    engine.dispose()


def test_home_based_disputes_group_within_a_district_only(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    heating = "来电人反映其居住的锦绣华府3号楼供暖温度不达标"
    stage(
        engine,
        [
            record(
                "hotline:h1", category="物业纠纷", district="城关区", content=heating, phone="13800000001"
            ),
            record(
                "hotline:h2", category="物业纠纷", district="榆中县", content=heating, phone="13800000002"
            ),
        ],
    )
    publish_matches(engine, [assign("hotline:h1", "c1"), assign("hotline:h2", "c2")], [], [], [])
    assert rows(engine, "SELECT * FROM v_group") == []
    keys = {
        r["case_id"]: r["group_key"] for r in rows(engine, "SELECT case_id, group_key FROM complaint_case")
    }
    assert keys == {"c1": "物业纠纷|锦绣华府|城关区", "c2": "物业纠纷|锦绣华府|榆中县"}
    engine.dispose()
