"""Comparison levels, table-driven as in Splink's test_comparison_lib.py: (left, right, expected_level).

Gamma values count down from the best level: for ``labels = (exact, ..., else)`` exact is
``len(labels) - 1`` and else is 0; null is -1.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from matching import (
    AddressAtThresholds,
    DateDiffAtThresholds,
    ExactMatch,
    IdNumberMatch,
    JaroWinklerAtThresholds,
    LevenshteinAtThresholds,
    PinyinNameMatch,
    RatioAtThresholds,
    TokenSetAtThresholds,
    standardise,
)
from matching.comparison_library import build_comparison
from matching.comparisons import Comparison, PairContext
from matching.domain_comparisons import FactsMatch

from .conftest import frame, record, wage_case


def _levels(comparison: Comparison, column: str, left: Any, right: Any, settings: Any = None) -> int:
    """The level of one pair; standardises through the settings when ``settings`` is given."""
    rows = frame([record("a:1", **{column: left}), record("a:2", **{column: right})])
    data = standardise(rows, settings) if settings is not None else rows
    ctx = PairContext.from_frame(data, np.array([0]), np.array([1]))
    return int(comparison.compute(ctx)[0])


@pytest.mark.unit
@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        pytest.param("张伟", "张伟", 5, id="exact"),
        pytest.param("張偉", "张伟", 5, id="traditional is exact after folding"),
        pytest.param("章伟", "张伟", 4, id="homophone typed by an operator"),
        pytest.param("陈伟", "程伟", 3, id="near homophone (front/back nasal)"),
        pytest.param("刘洋", "牛洋", 3, id="near homophone (n/l)"),
        pytest.param("王建国", "王建华", 2, id="close pinyin"),
        pytest.param("张先生", "张伟", 1, id="surname only, surname agrees"),
        pytest.param("李女士", "张伟", 0, id="surname only, surname differs"),
        pytest.param("张伟", "李娜", 0, id="different"),
        pytest.param(None, "张伟", -1, id="null"),
        pytest.param("匿名", "张伟", -1, id="placeholder is null"),
    ],
)
def test_pinyin_name_match(left: str | None, right: str, expected: int, settings: Any) -> None:
    assert _levels(PinyinNameMatch("name", (0.9,)), "name", left, right, settings) == expected


@pytest.mark.unit
def test_name_frequency_bands_split_exact_by_how_common_the_name_is(settings: Any) -> None:
    # 肖雪 twice, 王芳 six times, 张伟 twenty times in the input; 章伟 is a homophone of 张伟.
    names = ["肖雪"] * 2 + ["王芳"] * 6 + ["张伟"] * 20 + ["章伟"]
    data = standardise(frame(record(f"a:{i:02d}", name=n) for i, n in enumerate(names)), settings)
    left, right = np.array([0, 2, 8, 8, 0]), np.array([1, 3, 9, 28, 2])
    comparison = build_comparison("pinyin_name_frequency", "name", (0.9,))
    assert comparison.labels[:4] == ("exact_rare", "exact", "exact_common", "homophone")
    whole = comparison.compute(PairContext.from_frame(data, left, right))
    assert whole.tolist() == [7, 6, 5, 4, 0]  # rare, middle, common, homophone (as PinyinNameMatch: 4), else
    # An incremental batch with fetched pool records is no sample of the names: every exact pair is "exact".
    batch = PairContext.from_frame(data, left, right)
    batch.whole_input = False
    assert comparison.compute(batch).tolist() == [6, 6, 6, 4, 0]
    # Given the pool's counts, it splits them as the whole input does.
    batch = PairContext.from_frame(data, left, right)
    batch.whole_input = False
    batch.share_frequencies({"name_norm": {"肖雪": 2, "王芳": 6, "张伟": 20}})
    assert comparison.compute(batch).tolist() == [7, 6, 5, 4, 0]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        pytest.param("620102198703151236", "620102198703151236", 3, id="exact"),
        pytest.param(
            "62010219900101002x", "６２０１０２１９９００１０１００２Ｘ", 3, id="exact after folding"
        ),
        pytest.param("620102198703151236", "620102198703151286", 2, id="one digit typo (one side invalid)"),
        pytest.param("620102198703151236", "62010219900101002X", 1, id="two valid numbers: different people"),
        pytest.param("620102198703151237", "110105194912310021", 0, id="different, not both valid"),
        pytest.param(None, "620102198703151236", -1, id="null"),
    ],
)
def test_id_number_match(left: str | None, right: str, expected: int, settings: Any) -> None:
    assert _levels(IdNumberMatch("id", (0.88,)), "id_number", left, right, settings) == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        pytest.param("甘肃省兰州市城关区永昌路88号", "城关区永昌路88号", 5, id="exact after prefixes"),
        pytest.param(
            "城关区永昌路88号院", "甘肃省兰州市城关区永昌街８８号", 4, id="号院, 街/路, full-width: same key"
        ),
        pytest.param("金昌路332号陇原御园19栋6单元2101室", "城关区陇原御园", 3, id="same named place"),
        pytest.param("城关区永昌路88号", "城关区永昌路102号", 2, id="same road"),
        pytest.param("城关区永昌路88号", "城关区永吕路88号", 1, id="similar text (a typo in the road)"),
        pytest.param("城关区永昌路88号", "西固区福利西路12号", 0, id="different"),
        pytest.param("", "城关区永昌路88号", -1, id="null"),
    ],
)
def test_address_match(left: str, right: str, expected: int, settings: Any) -> None:
    assert _levels(AddressAtThresholds("address", (0.7,)), "address", left, right, settings) == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        pytest.param("拖欠工资32000元", "被拖欠工资3.2万元", 3, id="same facts in other words"),
        pytest.param("2026年3月至6月工资32000元", "工资一共32000元", 2, id="one quotes a subset"),
        pytest.param("2026年3月工资32000元，2024年5月", "2026年3月工资12000元", 1, id="half shared"),
        pytest.param("工资32000元", "工资15000元", 0, id="different sums"),
        pytest.param("工资32000元", "2024年8月1日交房", -1, id="nothing comparable"),
        pytest.param("报警称被拖欠工资", "工资32000元", -1, id="no facts"),
        pytest.param("欠了两万多块钱", "拖欠工资23000元", 2, id="an exact sum inside a vague one"),
        pytest.param("拖欠工资23000元", "欠了两万多块钱", 2, id="a vague sum around an exact one"),
        pytest.param("欠了两万多块钱", "拖欠工资35000元", 0, id="an exact sum outside a vague one"),
        pytest.param("171800块", "171800元", 3, id="块 and 元"),
        pytest.param("八万七千六百元", "欠款87600元", 3, id="numerals and digits"),
        pytest.param("2024年8月1日交房", "2024年8月应交房", 2, id="a day inside its month"),
        pytest.param("2024年8月1日交房", "2024年9月应交房", 0, id="a day outside another month"),
        pytest.param("欠了三万多块钱", "欠款约3万", 0, id="overlapping vague sums do not agree"),
        pytest.param("2024年8月1日交房", "2024年应交房", 2, id="a day inside its year"),
        pytest.param("2024年8月应交房", "2024年交房", 2, id="a month inside its year"),
        pytest.param("欠款20240815元", "2024年8月", -1, id="a sum is never a date"),
    ],
)
def test_facts_match(left: str, right: str, expected: int, settings: Any) -> None:
    assert _levels(FactsMatch("content_facts", (1.0, 0.5)), "content", left, right, settings) == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        pytest.param("拖欠工资32000元", "被拖欠工资3.2万元", 4, id="same facts in other words"),
        pytest.param("工资32000元", "工资15000元", 0, id="different sums"),
        pytest.param("工资32000元", "2024年8月1日交房", 1, id="facts of other kinds: evidence, not null"),
        pytest.param("报警称被拖欠工资", "工资32000元", -1, id="a side quoting nothing stays null"),
    ],
)
def test_facts_by_kind(left: str, right: str, expected: int, settings: Any) -> None:
    comparison = build_comparison("facts_by_kind", "content_facts", (1.0, 0.5))
    assert comparison.labels[-2:] == ("other_kinds", "else")
    assert _levels(comparison, "content", left, right, settings) == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    ("comparison", "left", "right", "expected"),
    [
        pytest.param(ExactMatch("category"), "劳资欠薪", "劳资欠薪", 1, id="exact: equal"),
        pytest.param(ExactMatch("category"), "劳资欠薪", "其他", 0, id="exact: else"),
        pytest.param(ExactMatch("category"), None, "其他", -1, id="exact: null"),
        pytest.param(
            JaroWinklerAtThresholds("category", (0.9, 0.7)), "zhangwei", "zhangwen", 2, id="jw: high"
        ),
        pytest.param(JaroWinklerAtThresholds("category", (0.9, 0.7)), "zhangwei", "zhaolei", 1, id="jw: mid"),
        pytest.param(
            LevenshteinAtThresholds("category", (0.9,)), "13893112345", "13893112346", 1, id="lev: 1 digit"
        ),
        pytest.param(
            LevenshteinAtThresholds("category", (0.9,)), "13893112345", "13993154321", 0, id="lev: else"
        ),
        pytest.param(
            RatioAtThresholds("category", (0.8,)), "永昌路88号金城小区", "永昌路88号金城", 1, id="ratio"
        ),
        pytest.param(
            TokenSetAtThresholds("category", (0.99,)), "拖欠 工资", "工资 拖欠 三月", 1, id="token set subset"
        ),
        pytest.param(
            TokenSetAtThresholds("category", (0.99,)), "拖欠 工资", "交房 逾期", 0, id="token set else"
        ),
    ],
)
def test_generic_comparisons(comparison: Comparison, left: str | None, right: str, expected: int) -> None:
    assert _levels(comparison, "category", left, right) == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        pytest.param("2026-11-20 09:00:00+08:00", "2026-11-20 21:00:00+08:00", 4, id="same day"),
        pytest.param("2026-11-20 09:00:00+08:00", "2026-11-25 09:00:00+08:00", 3, id="within a week"),
        pytest.param("2026-11-20 09:00:00+08:00", "2026-12-15 09:00:00+08:00", 2, id="within a month"),
        pytest.param("2026-11-20 09:00:00+08:00", "2027-01-20 09:00:00+08:00", 1, id="within 90 days"),
        pytest.param("2026-01-20 09:00:00+08:00", "2026-11-20 09:00:00+08:00", 0, id="else"),
        pytest.param(None, "2026-11-20 09:00:00+08:00", -1, id="null"),
    ],
)
def test_date_diff(left: str | None, right: str, expected: int, settings: Any) -> None:
    comparison = DateDiffAtThresholds("reported_days", (1, 7, 30, 90))
    assert _levels(comparison, "reported_at", left, right, settings) == expected


@pytest.mark.unit
def test_levels_are_computed_for_many_pairs_at_once() -> None:
    values = pd.DataFrame({"c": ["a", "a", None, "b"]})
    ctx = PairContext.from_frame(values, np.array([0, 0, 2, 1]), np.array([1, 3, 3, 3]))
    assert ExactMatch("c").compute(ctx).tolist() == [1, 0, -1, 0]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("kind", "thresholds"),
    [
        pytest.param("jaro_winkler_at_thresholds", (0.8, 0.9), id="ascending similarity thresholds"),
        pytest.param("ratio_at_thresholds", (1.2,), id="threshold above 1 (rapidfuzz's 0-100 scale)"),
        pytest.param("date_diff_at_thresholds", (30, 7), id="descending day thresholds"),
    ],
)
def test_bad_thresholds_fail(kind: str, thresholds: tuple[float, ...]) -> None:
    with pytest.raises(ValueError, match="thresholds"):
        build_comparison(kind, "c", thresholds)


@pytest.mark.unit
def test_unknown_comparison_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown comparison 'soundex'.*exact_match"):
        build_comparison("soundex", "c")


@pytest.mark.unit
def test_address_crowding_marks_a_value_many_records_carry(settings: Any) -> None:
    # A project site fourteen records write (a group dispute), a home address two records write.
    addresses = (
        ["城关区静宁路309号天远名邸三期项目"] * 14 + ["七里河区西津西路16号"] * 2 + ["西固区福利西路12号"]
    )
    data = standardise(frame(record(f"a:{i:02d}", address=a) for i, a in enumerate(addresses)), settings)
    comparison = build_comparison("address_crowding", "address", (0.7,))
    assert comparison.labels == (
        "exact",
        "same_key",
        "same_place",
        "crowded",
        "same_road",
        "ratio>=0.7",
        "else",
    )
    left, right = np.array([0, 14, 0]), np.array([1, 15, 16])
    whole = comparison.compute(PairContext.from_frame(data, left, right))
    assert whole.tolist() == [3, 6, 0]  # crowded, exact, else
    # A batch with fetched pool records is no sample of the city: nothing is crowded there.
    batch = PairContext.from_frame(data, left, right)
    batch.whole_input = False
    assert comparison.compute(batch).tolist() == [6, 6, 0]


@pytest.mark.unit
def test_phone_sharing_marks_a_number_dozens_of_records_give(settings: Any) -> None:
    # A community office's number on 40 residents' reports; one person's mobile on two; a typo of it; the
    # same number with two neighbouring digits swapped (a slip, as one wrong digit is); another number.
    mobiles = ["13893112345", "13893112345", "13893112346", "13993154321", "13839112345"]
    phones = ["0931-8456789"] * 40 + mobiles
    data = standardise(frame(record(f"a:{i:02d}", phone=p) for i, p in enumerate(phones)), settings)
    comparison = build_comparison("phone_sharing", "phone_norm", (0.9,))
    assert comparison.labels == ("exact", "shared", "similarity>=0.9", "else")
    assert comparison.frequency_columns() == ("phone_norm",)
    left, right = np.array([0, 40, 40, 40, 40]), np.array([1, 41, 42, 43, 44])
    whole = comparison.compute(PairContext.from_frame(data, left, right))
    assert whole.tolist() == [2, 3, 1, 0, 1]  # shared, exact, one digit off, else, two digits swapped
    # The pool's counts make a batch's two reports from the office number shared too; without them
    # a batch cannot tell, and the pair is exact.
    batch = PairContext.from_frame(data, np.array([0]), np.array([1]))
    batch.whole_input = False
    assert comparison.compute(batch).tolist() == [3]
    batch.share_frequencies({"phone_norm": {data.loc[0, "phone_norm"]: 40}})
    assert comparison.compute(batch).tolist() == [2]


@pytest.mark.unit
def test_a_batch_given_the_pools_counts_reads_a_crowded_site_as_the_whole_input_would(settings: Any) -> None:
    # The batch holds two records at the project site and two at a home; the pool holds twelve more at
    # the site (a group dispute over two years) and none at the home.
    addresses = ["城关区静宁路309号天远名邸三期项目"] * 2 + ["七里河区西津西路16号"] * 2
    data = standardise(frame(record(f"a:{i:02d}", address=a) for i, a in enumerate(addresses)), settings)
    comparison = build_comparison("address_crowding", "address", (0.7,))
    pooled = {column: dict(data[column].dropna().value_counts()) for column in comparison.frequency_columns()}
    site = data.loc[0]
    totals = {
        column: {**counts, site[column]: counts[site[column]] + 12} for column, counts in pooled.items()
    }
    batch = PairContext.from_frame(data, np.array([0, 2]), np.array([1, 3]))
    batch.whole_input = False
    batch.share_frequencies(totals)
    assert comparison.compute(batch).tolist() == [3, 6]  # crowded, exact
    # A value the counts do not know counts as the records here carrying it.
    batch = PairContext.from_frame(data, np.array([0, 2]), np.array([1, 3]))
    batch.whole_input = False
    batch.share_frequencies({column: {} for column in comparison.frequency_columns()})
    assert comparison.compute(batch).tolist() == [6, 6]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        pytest.param("项目拖欠农民工工资4万多", "报警称劳资纠纷", 2, id="same topic in other words"),
        pytest.param("开发商逾期交房,工人工资也没发", "包工头拖欠工资", 1, id="topics overlap"),
        pytest.param("楼上装修噪音扰民", "理财产品到期无法兑付", 0, id="another dispute"),
        pytest.param("纠纷求助", "包工头拖欠工资", -1, id="a line naming no topic"),
    ],
)
def test_topic_overlap(left: str, right: str, expected: int, settings: Any) -> None:
    assert (
        _levels(build_comparison("token_overlap", "content_topics"), "content", left, right, settings)
        == expected
    )


@pytest.mark.unit
@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        pytest.param(
            "小区供暖温度不达标", "家里暖气一点都不热,找物业没人管", 2, id="one matter in other words"
        ),
        pytest.param("电梯坏了,暖气也不热", "物业不管,暖气不热", 1, id="a matter shared"),
        pytest.param("小区供暖温度不达标", "楼顶漏水物业不维修", 0, id="one topic, another matter"),
        pytest.param("小区供暖温度不达标", "物业不作为", -1, id="one side names no matter"),
        pytest.param("前夫拒不支付抚养费", "小区供暖温度不达标", -1, id="no topic in common: not asked"),
        pytest.param("装修噪音扰民", "楼上装修把我家弄漏水了", -1, id="matters, but topics disjoint"),
    ],
)
def test_matter_within_topic(left: str, right: str, expected: int, settings: Any) -> None:
    comparison = build_comparison("matter_within_topic", "content")
    assert comparison.required_columns() == ("content_matters", "content_topics")
    assert _levels(comparison, "content", left, right, settings) == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        pytest.param("我是龙鑫花园的业主,6号楼3单元2802室,房款都交了", "龙鑫花园6栋3单元2802的房子到现在都不交房", 1,
                     id="one flat of one project, written two ways"),
        pytest.param("龙鑫花园6号楼3单元2802室不交房", "龙鑫花园6号楼3单元2801室不交房", 0, id="the neighbour's flat"),
        pytest.param("龙鑫花园6号楼3单元2802室不交房", "海顺新城6号楼3单元2802室不交房", 0, id="one number, two projects"),
        pytest.param("6号楼3单元2802室不交房", "龙鑫花园6号楼3单元2802室不交房", -1, id="no project named"),
        pytest.param("龙鑫花园2802室不交房", "龙鑫花园2802室不交房", -1, id="a room without its unit"),
        pytest.param("龙鑫花园6号楼3单元2802室不交房", "龙鑫花园6栋2802的房子到现在不交房", 1, id="the unit left out"),
        pytest.param("龙鑫花园6栋2802不交房", "龙鑫花园6栋2802不交房", 1, id="both without the unit"),
        pytest.param("龙鑫花园6号楼3单元2802室不交房", "龙鑫花园6号楼2单元2802室不交房", 0, id="another unit"),
        pytest.param("龙鑫花园6栋2802不交房", "龙鑫花园7栋2802不交房", 0, id="another building"),
    ],
)  # fmt: skip
def test_flat_in_project(left: str, right: str, expected: int, settings: Any) -> None:
    comparison = build_comparison("flat_in_project", "content")
    assert comparison.required_columns() == ("content_flat", "content_facts")
    assert comparison.labels == ("exact", "else")
    assert _levels(comparison, "content", left, right, settings) == expected


# A report whose words name no flat is read by the flat its address names at the place it names.
@pytest.mark.unit
@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        pytest.param(({"address": "镇海区贵驷新苑2幢2单元1303室"}), ({"address": "九龙湖镇公园路贵驷新苑2-2-1303"}), 1,
                     id="one flat in two addresses"),
        pytest.param(({"address": "贵驷新苑2幢2单元1303室"}), ({"address": "贵驷新苑2幢2单元1304室"}), 0,
                     id="the neighbour's door"),
        pytest.param(({"address": "贵驷新苑2幢2单元1303室"}), ({"address": "东方海岸2幢2单元1303室"}), 0,
                     id="one number at two places"),
        pytest.param(({"address": "贵驷新苑"}), ({"address": "贵驷新苑2幢2单元1303室"}), -1, id="a place without a flat"),
        pytest.param(({"address": "贵驷新苑2幢2单元1303室", "content": "龙鑫花园6号楼3单元2802室不交房"}),
                     ({"address": "贵驷新苑2幢2单元1303室", "content": "龙鑫花园6栋3单元2802不交房"}), 1,
                     id="the words' flats first"),
    ],
)  # fmt: skip
def test_flat_in_project_or_at_the_address(left: dict[str, str], right: dict[str, str], expected: int,
                                           settings: Any) -> None:  # fmt: skip
    comparison = build_comparison("flat_in_project", "content|address")
    assert comparison.required_columns() == ("content_flat", "content_facts", "address_flat", "address_place")
    rows = standardise(frame([record("a:1", **left), record("a:2", **right)]), settings)
    ctx = PairContext.from_frame(rows, np.array([0]), np.array([1]))
    assert int(comparison.compute(ctx)[0]) == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        pytest.param("138****6658", "13870686658", 1, id="every shown digit agrees"),
        pytest.param("13870686658", "1387068****", 1, id="the last four hidden"),
        pytest.param("138****6658", "138****6658", 1, id="two masked alike"),
        pytest.param("138****6658", "13870686650", 0, id="a shown digit disagrees"),
        pytest.param("138****6658", "139****6658", 0, id="another prefix"),
        pytest.param("13870686658", "13870686658", -1, id="two whole numbers: the phone comparison's"),
        pytest.param("138****6658", "0931-8123456", -1, id="a landline: no mobile to compare"),
        pytest.param("138****6658", None, -1, id="no phone"),
    ],
)  # fmt: skip
def test_masked_phone_levels(left: str, right: str | None, expected: int, settings: Any) -> None:
    comparison = build_comparison("masked_phone", "phone")
    assert comparison.labels == ("shown_agree", "else")
    assert _levels(comparison, "phone", left, right, settings) == expected


@pytest.mark.unit
def test_comparisons_in_chunks_give_the_levels_of_one_pass(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matching.scoring as scoring

    rows = frame(
        wage_case() + [record(f"app:{i}", name="张伟", address="城关区永昌路88号") for i in range(6)]
    )
    data = standardise(rows, settings)
    left, right = np.triu_indices(len(data), k=1)
    whole = scoring.comparison_vectors(PairContext.from_frame(data, left, right), settings)
    monkeypatch.setattr(scoring, "PAIR_CHUNK", 7)  # 45 pairs in seven chunks
    chunked = scoring.comparison_vectors(PairContext.from_frame(data, left, right), settings)
    assert {k: v.tolist() for k, v in chunked.items()} == {k: v.tolist() for k, v in whole.items()}


@pytest.mark.unit
def test_scores_in_chunks_equal_the_scores_of_one_pass(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matching.scoring as scoring
    from matching import dedupe

    rows = frame(
        wage_case()
        + [
            record(f"app:{i}", name="张伟", phone=f"1389311{i:04d}", content=f"欠工资{i}万元")
            for i in range(8)
        ]
    )
    parameters = dedupe(rows, settings).parameters
    data = standardise(rows, settings)
    left, right = np.triu_indices(len(data), k=1)
    gammas = scoring.comparison_vectors(PairContext.from_frame(data, left, right), settings)
    whole = scoring.predict(gammas, parameters, settings)
    monkeypatch.setattr(scoring, "PAIR_CHUNK", 7)
    chunked = scoring.predict(gammas, parameters, settings)
    assert len(whole) == len(left) and whole["match_probability"].between(0, 1).all()
    pd.testing.assert_frame_equal(chunked, whole)
    assert scoring.predict({}, parameters, settings).empty


def test_comparisons_on_threads_give_the_levels_of_one_pass(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matching.scoring as scoring

    rows = frame(
        wage_case()
        + [
            record(f"app:{i}", name="张伟", address="城关区永昌路88号", content=f"欠工资{i}万元")
            for i in range(8)
        ]
    )
    data = standardise(rows, settings)
    left, right = np.triu_indices(len(data), k=1)
    whole = scoring.comparison_vectors(PairContext.from_frame(data, left, right), settings)
    monkeypatch.setattr(scoring, "PARALLEL_MIN_PAIRS", 1)
    threaded = scoring.comparison_vectors(PairContext.from_frame(data, left, right, workers=2), settings)
    assert {k: v.tolist() for k, v in threaded.items()} == {k: v.tolist() for k, v in whole.items()}


def test_token_matrix_keeps_each_texts_first_distinct_tokens_in_sorted_order() -> None:
    column = np.array(["d2024 a500 a500", None, "a500", "z1 y1 x1 w1 v1"], dtype=object)
    ctx = PairContext({"facts": column}, np.array([0]), np.array([2]))
    ids, kinds = ctx.token_matrix("facts", 3)
    low, high = ctx.token_bounds("facts", 3)
    assert ids.shape == (4, 3)
    assert ids[0, 0] == ids[2, 0] != 0 and ids[0, 1] not in (0, ids[0, 0]) and ids[0, 2] == 0  # a500, d2024
    assert not ids[1].any() and not kinds[1].any() and np.isnan(low[1]).all()
    assert len(set(ids[3])) == 3 and 0 not in ids[3]  # v1 w1 x1: the width cuts the rest
    assert kinds[0, 0] == kinds[2, 0] != kinds[0, 1]
    assert (low[0, 0], high[0, 0]) == (500, 500) and (low[0, 1], high[0, 1]) == (20240101, 20241231)
    assert np.isnan(low[3]).all()  # no bounded type
    assert ctx.token_counts("facts", 3).tolist() == [2, 0, 1, 3]
