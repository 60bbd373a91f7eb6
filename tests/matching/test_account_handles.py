"""A board account's handle (游客36667, lz_cgwq936): two posts under one are one writer's."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from matching import dedupe, standardise
from matching._masked_phones import masked_mobile_in_handle
from matching.comparison_library import build_comparison
from matching.comparisons import PairContext
from matching.normalize import account_handle, normalize_name

from .conftest import frame, record

ACCOUNTS = [
    ("游客36667", "游客36667"),
    ("用户70240458", "用户70240458"),
    ("道外农民6951", "道外农民6951"),
    ("lz_cgwq936", "lz_cgwq936"),
    ("WX_Ghu5eyj", "wx_ghu5eyj"),  # case folds
    ("ｓｕｎｎｙ１５７３", "sunny1573"),  # full-width folds
    ("user_928979", "user_928979"),
    ("网友c0t4a", "网友c0t4a"),  # the board's word and a code it generated
    ("网友BMGPX", "网友bmgpx"),
    ("用户131****6961", "用户131****6961"),  # the account's mobile, masked
    ("讨个说法32043", "讨个说法32043"),  # words and a number of five digits: no phone typed after a name
    ("春城三七", "春城三七"),  # a nickname: four characters or more beginning with no surname
    ("彩云之南米线", "彩云之南米线"),
    ("庐州老表", "庐州老表"),
]
NOT_ACCOUNTS = [
    "西固居民",  # words alone: many writers choose them
    "维权到底",
    "网友",
    "张伟",  # a name
    "张伟 13812345678",  # a name with a phone typed after it
    "马先生33",  # two digits: too few to be one account's
    "13812345678",  # digits alone: a phone in the wrong field
    "abc",
    "网友abc",  # too short a code to be one account's
    "晋阳湖耿姐",  # a place and what she is called: words
    "庐州老王",  # a place and 老王: her surname
    "官渡市民",  # who the writer is: words anyone types
    "求助无门的人",
    "欧阳娜娜",  # a compound surname and a given name
    "阿不都·热合曼",  # a transliterated name, its parts dotted
    "次仁卓玛",  # a Tibetan name
    None,
]


@pytest.mark.unit
@pytest.mark.parametrize(("value", "handle"), ACCOUNTS)
def test_an_accounts_handle_is_read_folded(value: str, handle: str) -> None:
    assert account_handle(value) == (handle,)


@pytest.mark.unit
@pytest.mark.parametrize("value", NOT_ACCOUNTS)
def test_names_words_and_placeholders_are_no_account(value: str | None) -> None:
    assert account_handle(value) == (None,)


@pytest.mark.unit
def test_the_standardiser_writes_the_handle_and_no_name(settings: Any) -> None:
    rows = frame([record("netizen:1", name="游客36667"), record("hotline:2", name="张伟")])
    out = standardise(rows, settings).set_index("record_id")
    assert out["name_handle"].tolist() == ["游客36667", None]
    assert out["name_norm"].tolist() == [None, "张伟"]


@pytest.mark.unit
def test_one_accounts_two_posts_are_one_case_and_another_accounts_are_not(settings: Any) -> None:
    # 游客36667 posts about her flat in February and again in May, without a phone either time; 游客52210
    # posts the same grievance (a group's wording) about another flat of the same estate.
    first = "我家买的雁南恒泰城3号楼1单元1楼4号，买的时候说23年8月交房，结果拖了半年多，开发商就说资金紧张"
    again = "@兰州12345 我家买的雁南恒泰城3号楼1单元1层4号，说2023年8月交房，一拖再拖，第六次反映！！"
    other = "我家买的雁南恒泰城5号楼2单元6层2号，说2023年8月交房，一拖再拖，开发商就说资金紧张"
    rows = [
        record("netizen:1", name="游客36667", category="城建", reported_at="2026-02-14T13:09:47+08:00",
               content=first),
        record("netizen:2", name="游客36667", category="求助", reported_at="2026-05-05T08:26:35+08:00",
               content=again),
        record("netizen:3", name="游客52210", category="城建", reported_at="2026-05-06T08:26:35+08:00",
               content=other),
    ]  # fmt: skip
    clusters = dedupe(frame(rows), settings).clusters.set_index("record_id")["cluster_id"]
    assert clusters["netizen:1"] == clusters["netizen:2"]
    assert clusters["netizen:3"] != clusters["netizen:1"]


@pytest.mark.unit
def test_the_handles_u_is_kept_as_written_and_one_accounts_posts_still_merge(settings: Any) -> None:
    # 120 accounts post three times each about their own flat, beside 240 named hotline calls: among random
    # pairs the accounts' own repeats are the only pairs agreeing on a handle. Estimated, they would make u
    # the accounts' repeat rate; kept, a handle says one writer as a shared mobile does.
    rows = []
    for k in range(120):
        for n in range(3):
            rows.append(
                record(
                    f"netizen:{k}-{n}",
                    name=f"游客{10000 + k}",
                    category="城建",
                    reported_at=f"2026-0{1 + n}-{1 + k % 28:02d}T20:00:00+08:00",
                    content=f"我家买的恒泰城{k % 40 + 1}号楼{n + 1}楼，开发商一直不交房，第{n + 1}次反映",
                )
            )
    for k in range(240):
        rows.append(
            record(
                f"hotline:{k}",
                name=f"王{k}",
                phone=f"1389310{k:04d}",
                category="供暖",
                reported_at=f"2026-02-{1 + k % 28:02d}T10:00:00+08:00",
                content="暖气不热，室温只有12度",
            )
        )
    # fmt: skip
    trained = replace(settings, training=replace(settings.training, min_records=100, u_sample_pairs=50_000))
    result = dedupe(frame(rows), trained)
    written = {spec.name: spec.u for spec in settings.comparisons}
    assert list(result.parameters.u["handle"]) == pytest.approx(written["handle"])
    assert list(result.parameters.u["phone"]) != pytest.approx(written["phone"])  # the others are estimated
    clusters = result.clusters.set_index("record_id")["cluster_id"]
    assert clusters["netizen:7-0"] == clusters["netizen:7-1"] == clusters["netizen:7-2"]
    assert clusters["netizen:7-0"] != clusters["netizen:8-0"]


HANDLE_MOBILES = [
    ("用户131****6961", "131****6961"),
    ("手机用户 138xxxx0021", "138****0021"),
    ("网友：139＊＊＊＊1234", "139****1234"),
    ("用户13112346961", None),  # shown whole: the phone field's business, not a board's mask
    ("网友c0t4a", None),
    ("用户131****696", None),  # ten places
    ("张伟", None),
    (None, None),
]


@pytest.mark.unit
@pytest.mark.parametrize(("value", "masked"), HANDLE_MOBILES)
def test_a_handle_made_of_a_masked_mobile_is_read_as_that_mobile(
    value: str | None, masked: str | None
) -> None:
    assert masked_mobile_in_handle(value) == masked


@pytest.mark.unit
def test_the_handles_mobile_keys_only_a_post_without_a_phone(settings: Any) -> None:
    rows = frame([
        record("netizen:1", name="用户131****6961", content="暖气不热"),
        record("netizen:2", name="用户131****6961", phone="13893112345", content="暖气不热"),  # the field's wins
        record("netizen:3", name="网友c0t4a", content="暖气不热"),
    ])  # fmt: skip
    out = standardise(rows, settings).set_index("record_id")
    assert out["phone_masked"].tolist() == ["131****6961", None, None]
    assert out["phone_key"].tolist() == ["131*6961", "138*2345", None]


@pytest.mark.unit
def test_a_post_under_the_callers_masked_mobile_joins_her_call_months_later(settings: Any) -> None:
    # 冯丽 calls the hotline in November; in March the board prints her post as 用户131****6961. Another
    # writer, 用户131****5502, posts the same grievance about another flat of the same estate.
    rows = [
        record("hotline:1", name="冯丽", phone="13131976961", category="物业纠纷",
               reported_at="2026-11-03T10:12:00+08:00", content="来电人反映：龙城华府7号楼2单元601暖气不热，室温只有12度"),
        record("netizen:2", name="用户131****6961", category="", reported_at="2027-03-02T21:40:00+08:00",
               content="龙城华府7-2-601暖气一冬天都不热，打了12345也没用，有人管没有"),
        record("netizen:3", name="用户131****5502", category="", reported_at="2027-03-03T21:40:00+08:00",
               content="龙城华府3-1-402暖气一冬天都不热，打了12345也没用，有人管没有"),
    ]  # fmt: skip
    clusters = dedupe(frame(rows), settings).clusters.set_index("record_id")["cluster_id"]
    assert clusters["hotline:1"] == clusters["netizen:2"]
    assert clusters["netizen:3"] != clusters["hotline:1"]


NICKNAME_NAMES = [
    ("春城三七", (None, None, None, None)),  # no surname 春: a nickname, not a person's name
    ("讨个说法32043", (None, None, None, None)),  # the number was a handle's, not a phone typed after a name
    ("庐州老王", (None, None, None, "wang")),  # 老王 of 庐州: surname 王, as 晋阳湖耿姐 gives 耿
    ("张伟老师", ("张伟", "zhangwei", "zanwei", "zhang")),  # 老师 is a title, not 老 and a surname 师
    ("欧阳娜娜", ("欧阳娜娜", "ouyangnana", "ouyanlala", "ouyang")),
    ("杨阳美玲", ("杨阳美玲", "yangyangmeiling", "yanyanmeilin", "yang")),  # a surname first: a name
    ("扎西顿珠", ("扎西顿珠", "zhaxidunzhu", "zaxidunzu", "zha")),  # a Tibetan name, written without a dot
    ("乌兰图雅", ("乌兰图雅", "wulantuya", "wulantuya", "wu")),  # a Mongolian one
    ("张伟13812345678", ("张伟", "zhangwei", "zanwei", "zhang")),  # a mobile typed after the name
]


@pytest.mark.unit
@pytest.mark.parametrize(("value", "name"), NICKNAME_NAMES)
def test_a_nickname_names_nobody_and_a_name_keeps_its_reading(
    value: str, name: tuple[str | None, ...]
) -> None:
    assert normalize_name(value) == name


@pytest.mark.unit
def test_a_nickname_many_posts_carry_agrees_only_as_shared(settings: Any) -> None:
    # 春城三七 on six posts (words several writers typed), 翠湖小鱼 on two, the account 游客36667 on six.
    names = ["春城三七"] * 6 + ["翠湖小鱼"] * 2 + ["游客36667"] * 6
    data = standardise(frame(record(f"netizen:{i:02d}", name=n) for i, n in enumerate(names)), settings)
    comparison = build_comparison("handle", "name_handle")
    assert comparison.labels == ("exact", "shared", "else")
    left, right = np.array([0, 6, 8, 0]), np.array([1, 7, 9, 6])
    whole = comparison.compute(PairContext.from_frame(data, left, right))
    assert whole.tolist() == [1, 2, 2, 0]  # shared, exact nickname, exact account, else
    # A batch beside fetched pool records cannot tell how many posts carry a nickname: it is shared
    # there, while an account's handle is still one writer's.
    batch = PairContext.from_frame(data, np.array([6, 8]), np.array([7, 9]))
    batch.whole_input = False
    assert comparison.compute(batch).tolist() == [1, 2]


@pytest.mark.unit
def test_one_writers_posts_under_a_rare_nickname_merge_and_a_crowded_nickname_alone_merges_none(
    settings: Any,
) -> None:
    # 翠湖小鱼 posts twice about her flat's leak, without a phone; 春城三七 is typed by five writers, each
    # about a different estate's own trouble.
    rows = [
        record(
            "netizen:a1",
            name="翠湖小鱼",
            category="物业",
            reported_at="2026-03-02T21:00:00+08:00",
            content="滇池小区9栋2单元1102楼上漏水，物业不管，泡坏了天花板",
        ),
        record(
            "netizen:a2",
            name="翠湖小鱼",
            category="其他",
            reported_at="2026-04-11T21:00:00+08:00",
            content="第二次反映：滇池小区9-2-1102楼上漏水到现在物业还是不管",
        ),
    ]
    troubles = ["健身房跑路，办卡3000元退不了", "饭店油烟直排，熏得窗都不敢开", "被电动车撞了，对方不赔医药费",
                "装修公司收了定金28000元不开工", "楼下烧烤摊半夜吵得睡不着"]  # fmt: skip
    for k, trouble in enumerate(troubles):
        rows.append(record(f"netizen:b{k}", name="春城三七", category="其他",
                           reported_at=f"2026-03-{3 + k:02d}T20:00:00+08:00", content=trouble))  # fmt: skip
    clusters = dedupe(frame(rows), settings).clusters.set_index("record_id")["cluster_id"]
    assert clusters["netizen:a1"] == clusters["netizen:a2"]
    assert clusters[[f"netizen:b{k}" for k in range(5)]].nunique() == 5
