"""Facts in every way people write them: each phrasing's tokens, forms that must agree, and what is no fact."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from matching._content import content_facts
from matching._numerals import parse_number, parse_range
from matching.facts import extract_facts, fact_anchors, subject_names

pytestmark = pytest.mark.unit

REPORTED = date(2026, 11, 20)

PHRASINGS = [
    # Thousands separators: groups of three after one to three digits; 2104，2204 is a list.
    pytest.param("共计1，338，100元", "a1338100", id="full-width thousands separators"),
    pytest.param("在7栋3单元2104，2204住户家漏水", "n2204 r7-3-2104", id="two rooms, not 21042204"),
    # Flats: a room said as its floor and door after the unit is the room the door plate says.
    pytest.param("住瑞景3栋4单元6楼2号", "r3-4-602", id="6楼2号 is room 602"),
    pytest.param("浣花名城6栋2单元32楼5号", "r6-2-3205", id="32楼5号 is room 3205"),
    pytest.param("5号楼2门6楼2号", "r5-2-602", id="a northern 门 for the unit"),
    pytest.param("5号楼2门3楼301", "r5-2-301", id="a floor before the room: the room"),
    pytest.param("19栋3单元4楼漏水", None, id="a floor and no room: no flat"),
    # The north writes the floor and the door as 层 and 户, or dashed after the unit, or all four parts dashed.
    pytest.param("胜利花园21号楼2门1层1户", "r21-2-101", id="1层1户 is room 101"),
    pytest.param("长安花园4栋6门3层2户", "r4-6-302", id="3层2户 is room 302"),
    pytest.param("新湖中央公园15栋6单元11-3", "r15-6-1103", id="6单元11-3 is room 1103"),
    pytest.param("站前1座1门1-3", "r1-1-103", id="1门1-3 is room 103"),
    pytest.param("和平区36-2-10-5", "r36-2-1005", id="36-2-10-5: building, unit, floor, door"),
    pytest.param("沈河区23—6—504", "r23-6-504", id="em dashes"),
    # Sums: Arabic digits and their units.
    pytest.param("欠我工资171800元", "a171800", id="元"),
    pytest.param("欠我工资171800块", "a171800", id="块"),
    pytest.param("一共171800块钱", "a171800", id="块钱"),
    pytest.param("押金500圆", "a500", id="圆"),
    pytest.param("工资共计3.2万元", "a32000", id="3.2万元"),
    pytest.param("投了3.2万", "a32000", id="3.2万 without 元"),
    pytest.param("欠款1.5万元", "a15000", id="1.5万元"),
    pytest.param("17.18w还没还", "a171800", id="w"),
    pytest.param("房款67.46万元", "a674600", id="two decimals of 万"),
    pytest.param("工资5千块", "a5000", id="5千块"),
    pytest.param("月薪8k", "a8000", id="k"),
    pytest.param("3万2千块", "a32000", id="3万2千"),
    pytest.param("借了他1万5", "a15000", id="1万5 is 15000"),
    pytest.param("欠了2w5", "a25000", id="2w5 is 2万5"),
    pytest.param("工资三点二万元", "a32000", id="三点二万: a decimal said in words"),
    pytest.param("房款十二点五万", "a125000", id="十二点五万"),
    pytest.param("下午三点二十报的警", None, id="三点二十 is a time of day"),
    pytest.param("一共欠了３２０００元", "a32000", id="full-width digits"),
    pytest.param("欠了27,900元", "a27900", id="thousands separator"),
    pytest.param("金额￥32,000.00", "a32000", id="yen sign and cents"),
    pytest.param("合计人民币32000元整", "a32000", id="人民币...元整"),
    pytest.param("欠了32000一直不给", "a32000", id="bare number after 欠 is a sum"),
    pytest.param("已付房款1122900元", "a1122900", id="seven-digit sum with 元"),
    # Sums: Chinese and financial numerals.
    pytest.param("欠我三万二没还", "a32000", id="三万二"),
    pytest.param("一共八万七千六百元", "a87600", id="八万七千六百元"),
    pytest.param("十七万一千八", "a171800", id="十七万一千八 (clipped)"),
    pytest.param("两千零五十元", "a2050", id="零 inside"),
    pytest.param("一万零五百元", "a10500", id="一万零五百"),
    pytest.param("人民币壹万贰仟元整", "a12000", id="financial numerals"),
    pytest.param("借款叁万贰仟伍佰元", "a32500", id="financial numerals with 佰"),
    pytest.param("赔偿一百二十块", "a120", id="一百二十块"),
    pytest.param("两万五", "a25000", id="两万五"),
    pytest.param("欠两万一直没给", "a20000", id="一 of 一直 is not a digit of the sum"),
    pytest.param("損失參萬元", "a30000", id="traditional 萬"),
    # Sums said vaguely: ranges.
    pytest.param("欠了两万多", "b20000-30000", id="两万多"),
    pytest.param("工资3万余元", "b30000-40000", id="3万余元"),
    pytest.param("要求赔偿7000多元", "b7000-8000", id="7000多元"),
    pytest.param("十几万", "b100000-200000", id="十几万"),
    pytest.param("十多万块", "b100000-200000", id="十多万"),
    pytest.param("十余万元", "b100000-200000", id="十余万元"),
    pytest.param("一二十万", "b100000-300000", id="一二十万"),
    pytest.param("上万元", None, id="上万 bounds one side only"),
    pytest.param("二十几万", "b200000-300000", id="二十几万"),
    pytest.param("几千块", "b2000-10000", id="几千块"),
    pytest.param("两百多万", "b2000000-3000000", id="两百多万"),
    pytest.param("千把块", "b800-2000", id="千把块"),
    pytest.param("购買手机1萬出頭", "b10000-20000", id="traditional 萬出頭 is 1万出头"),
    pytest.param("總共三萬塊", "a30000", id="traditional 總共"),
    # What the other side offers is not the sum the dispute is over (the loss, the bill).
    pytest.param("车子报废，对方只肯出一千零二十。", None, id="an offer is no sum of the dispute"),
    pytest.param("医药费11830元，对方只肯出2366", "a11830", id="the bill, not the offer"),
    pytest.param("对方只愿意赔500块", None, id="只愿意赔"),
    pytest.param("万把块", "b8000-20000", id="万把块"),
    pytest.param("三四万", "b30000-50000", id="三四万"),
    pytest.param("欠了两三万", "b20000-40000", id="两三万"),
    pytest.param("一两万块", "b10000-30000", id="一两万"),
    pytest.param("约3万元", "b25000-35000", id="约"),
    pytest.param("3000元左右", "b2500-3500", id="左右"),
    pytest.param("五万来块", "b45000-60000", id="来"),
    pytest.param("一万来块", "b9000-20000", id="一万来块"),
    pytest.param("房款二十来万", "b150000-300000", id="二十来万: the 万 after 来 scales it"),
    pytest.param("欠了十来万块钱", "b90000-200000", id="十来万"),
    pytest.param("投了百来万", "b900000-2000000", id="百来万"),
    pytest.param("花了20来万元", "b150000-300000", id="20来万元"),
    pytest.param("集资十来亿元", "b900000000-2000000000", id="十来亿"),
    pytest.param("十来万人", None, id="十来万人 counts people"),
    pytest.param("损失数十万元", "b200000-1000000", id="数十万 is 几十万, not 十万"),
    pytest.param("欠了十数万", "b100000-200000", id="十数万 is 十几万"),
    pytest.param("花了数千元", "b2000-10000", id="数千元"),
    pytest.param("數十萬元", "b200000-1000000", id="traditional 數十萬"),
    pytest.param("数据显示欠款3万元", "a30000", id="数 of 数据 is no numeral"),
    pytest.param("欠了五百", "a500", id="五百 after 欠"),
    pytest.param("三百多块", "b300-400", id="三百多块"),
    pytest.param("将近5000元", "b4500-5000", id="将近"),
    pytest.param("小两万", "b15000-20000", id="小两万: a little under"),
    pytest.param("房款十万出头", "b100000-200000", id="出头: a little over"),
    pytest.param("拖了两年出头", None, id="两年出头 is no exact duration"),
    pytest.param("投了158万多元", "b1580000-1590000", id="158万多"),
    pytest.param("3万以上", None, id="以上 bounds one side only"),
    # Dates.
    pytest.param("2024年8月1日交房", "d20240801", id="年月日"),
    pytest.param("2024年8月1号", "d20240801", id="号 for 日"),
    pytest.param("2024年08月01日", "d20240801", id="zero-padded"),
    pytest.param("2024.8.1签的合同", "d20240801", id="dots"),
    pytest.param("2024-08-01", "d20240801", id="ISO"),
    pytest.param("2024/8/1", "d20240801", id="slashes"),
    pytest.param("2025.12开始拖欠", "d202512", id="a month with a dot"),
    pytest.param("共计2025.12元", "a2025", id="a sum with cents is no month"),
    pytest.param("2025.3-2025.10的工资", "d202503 d202510", id="a span of months with dots"),
    pytest.param("12.3号交房", "m1203", id="a day with a dot before 号"),
    pytest.param("3.15日", "m0315", id="a day with a dot before 日"),
    pytest.param("1.5号楼", None, id="号楼 is a building"),
    pytest.param("13.1号", None, id="no 13th month"),
    pytest.param("二〇二四年八月一日", "d20240801", id="Chinese numerals"),
    pytest.param("24年8月1日", "d20240801", id="two-digit year"),
    pytest.param("24年8月", "d202408", id="two-digit year and month"),
    pytest.param("2024年8月份", "d202408", id="月份"),
    pytest.param("2024年底", "d2024", id="year"),
    pytest.param("拖欠其2026年3月至6月工资32000元", "a32000 d202603", id="a span's end carries no date"),
    pytest.param("8月1号", "m0801", id="month and day without a year"),
    pytest.param("八月一号", "m0801", id="Chinese month and day"),
    pytest.param("十月份的工资", "m10", id="month alone"),
    pytest.param("十二月", "m12", id="十二月"),
    pytest.param("去年10月", None, id="relative date without the report date"),
    pytest.param("上个月5号", None, id="上个月 without the report date"),
    # Durations.
    pytest.param("噪音都11个月了", "t11m", id="个月"),
    pytest.param("已持續11個月", "t11m", id="traditional 個月"),
    pytest.param("拖了三个月", "t3m", id="三个月"),
    pytest.param("拖了半年", "t6m", id="半年"),
    pytest.param("一年半了", "t18m", id="一年半"),
    pytest.param("拖了一年零三个月", "t15m", id="一年零三个月 is 15 months"),
    pytest.param("拖了1年3个月", "t15m", id="1年3个月"),
    pytest.param("拖了一年零三个多月", None, id="一年零三个多月 is vague"),
    pytest.param("拖了两年了", "t24m", id="两年"),
    pytest.param("闹矛盾10年了", "t120m", id="10年了"),
    pytest.param("半个月", "t15d", id="半个月"),
    pytest.param("十天", "t10d", id="十天"),
    pytest.param("两个星期", "t14d", id="两个星期"),
    pytest.param("三个礼拜", "t21d", id="三个礼拜"),
    pytest.param("半年多", None, id="半年多 is vague"),
    pytest.param("五个多月", None, id="个多月 is vague"),
    pytest.param("一年多", None, id="一年多 is vague"),
    pytest.param("拖了大半年", None, id="大半年 is vague"),
    pytest.param("近半年", None, id="近半年 is vague"),
    pytest.param("3个月前", None, id="个月前 is a relative date"),
    pytest.param("两年前", None, id="年前 is a relative date"),
    pytest.param("15年的房子", None, id="15年 may be 2015"),
    pytest.param("六七个月了", None, id="六七个月 is a spoken range"),
    pytest.param("两三年了", None, id="两三年 is a spoken range"),
    pytest.param("一年到头没休息", None, id="一年到头 is an idiom"),
    pytest.param("一天到晚吵", None, id="一天到晚 is an idiom"),
    pytest.param("拖欠工资仨月", "t3m", id="仨月 is 三个月"),
    pytest.param("俩月没发工资", "t2m", id="俩月 is 两个月"),
    pytest.param("拖了俩个月", "t2m", id="俩个月 as typed"),
    pytest.param("仨瓜俩枣的事", None, id="仨瓜俩枣 quotes no fact"),
    pytest.param("欠了两个半月工资", "t2.5m", id="两个半月"),
    pytest.param("拖了2.5个月", "t2.5m", id="2.5个月"),
    pytest.param("干了1.5年", "t18m", id="1.5年 is 18 months"),
    pytest.param("0.3年", None, id="0.3年 is no one's way of saying it"),
    pytest.param("3个半月前", None, id="个半月前 is a vague relative date"),
    pytest.param("前两天刚吵过", None, id="前两天 is a few days ago, not two days"),
    pytest.param("前三个月没发", None, id="前三个月: which three months is not said"),
    pytest.param("2025年下半年", "d2025", id="下半年 is the second half of a year, not six months"),
    pytest.param("上半年", None, id="上半年"),
    pytest.param("欠款15000RMB", "a15000", id="RMB after the number"),
    pytest.param("欠款15000人民币", "a15000", id="人民币 after the number"),
    # Flats.
    pytest.param("7号楼5单元902室", "r7-5-902", id="号楼单元室"),
    pytest.param("7栋5单元902", "r7-5-902", id="栋"),
    pytest.param("7-5-902", "r7-5-902", id="dashes"),
    pytest.param("7栋5-902", "r7-5-902", id="栋 then unit-room dashed"),
    pytest.param("7号楼5-902室", "r7-5-902", id="号楼 then unit-room dashed"),
    pytest.param("7号楼5门902", "r7-5-902", id="门 for 单元"),
    pytest.param("7#5-902", "r7-5-902", id="7#: the building's number sign"),
    pytest.param("7栋5单元9楼902", "r7-5-902", id="a floor before the room"),
    pytest.param("七号楼五单元九零二", "r7-5-902", id="Chinese digit by digit"),
    pytest.param("七号楼五单元九百零二室", "r7-5-902", id="Chinese with units"),
    pytest.param("19号樓4單元1501室", "r19-4-1501", id="traditional"),
    pytest.param("8号楼902室", "r8-902", id="no unit"),
    pytest.param("B栋2单元1502室", "rB-2-1502", id="a lettered building"),
    pytest.param("b座1203", "rB-1203", id="a lettered tower, in capitals"),
    pytest.param("A1栋1502", "rA1-1502", id="a letter and a number: not building 1"),
    pytest.param("3号楼A单元502", "r3-A-502", id="a lettered unit"),
    pytest.param("CBD座1203", "n1203", id="a word is no building letter"),
    pytest.param("金昌路271号院1号楼1单元2104室", "n271 r1-1-2104", id="house number and flat"),
    pytest.param("东方嘉园31栋3单元19楼业主", None, id="a two-digit floor, no room (not room 1)"),
    pytest.param("七号楼五单元十九楼", None, id="a floor in words, no room"),
    pytest.param("楼下31号1单元1804号阻挠其装修", "h31-1-1804", id="the neighbour's flat below"),
    pytest.param("邻居23栋4单元3204长期堆放杂物", "h23-4-3204", id="邻居 and the neighbour's flat"),
    pytest.param("对门9号楼3单元202室私自扔其物品", "h9-3-202", id="对门: the flat across the landing"),
    pytest.param("楼上住户12栋3单元1103一到半夜就吵", "h12-3-1103", id="楼上住户 and the flat"),
    pytest.param("住23号楼3304室，邻居23栋4单元3204", "h23-4-3204 r23-3304", id="own flat, then neighbour's"),
    pytest.param("我家住华鸿新城29号楼1501室，邻居家的狗", "r29-1501", id="the neighbour after the flat"),
    pytest.param("邻居说，5栋2单元602漏水", "r5-2-602", id="the neighbour in another clause"),
    # Other facts.
    pytest.param("承诺年化12%", "c12", id="percent is a rate"),
    pytest.param("年化百分之十二", "c12", id="百分之"),
    pytest.param("房屋面积120平方米", "s120", id="area"),
    pytest.param("120平米的房子", "s120", id="平米"),
    pytest.param("120平的房子", "s120", id="平"),
    pytest.param("通过12345平台反映", None, id="平台 is no area"),
    pytest.param("室内温度只有12度", "e12", id="degrees"),
    pytest.param("车牌甘A·632MW", "v甘A632MW", id="plate"),
    pytest.param("编号2704", "n2704", id="other number"),
    # No facts.
    pytest.param("电话13893112345", None, id="mobile"),
    pytest.param("0931-8123456", None, id="landline"),
    pytest.param("手机138-9311-2345", None, id="mobile with dashes"),
    pytest.param("身份证62010219900101123X", None, id="id number"),
    pytest.param("卡号6222021234567890123", None, id="bank card"),
    pytest.param("QQ12345678", None, id="QQ number"),
    pytest.param("北街23号", None, id="house number is no sum"),
    pytest.param("车牌甘A·3125W", "v甘A3125W", id="plate is no sum"),
    pytest.param("20年", None, id="two-digit year alone"),
    pytest.param("打12345热线", None, id="hotline"),
    pytest.param("110出警了", None, id="police number"),
    pytest.param("万一出事谁负责", None, id="万一"),
    pytest.param("千万不要", None, id="千万"),
    pytest.param("老百姓", None, id="百姓"),
    pytest.param("十分生气", None, id="十分"),
    pytest.param("一直没人管", None, id="一直"),
    pytest.param("一万多人", None, id="people, not yuan"),
    pytest.param("三千米", None, id="metres, not yuan"),
    pytest.param("投诉了三千次", None, id="times, not yuan"),
    pytest.param("两块地", None, id="块 as a counter"),
    pytest.param("3000多", None, id="vague bare number without context"),
    pytest.param("报警称被拖欠工资", None, id="terse police text"),
    pytest.param("", None, id="empty"),
    pytest.param(None, None, id="missing"),
]


@pytest.mark.parametrize(("text", "expected"), PHRASINGS)
def test_phrasing(text: str | None, expected: str | None) -> None:
    assert extract_facts(text) == expected
    assert content_facts(text) == expected


SAME_FACT = [
    pytest.param(
        (
            "32000元",
            "3.2万",
            "3.2万元",
            "三万二",
            "三万二千元",
            "3万2",
            "3万2千块",
            "3.2w",
            "32k",
            "叁万贰仟元",
            "32,000元",
            "３２０００元",
            "32000块钱",
            "欠了32000",
            "¥32000",
        ),
        id="32000 yuan",
    ),  # fmt: skip
    pytest.param(
        ("171800块", "171800元", "17.18万", "17.18w", "十七万一千八百元", "十七万一千八"), id="171800 yuan"
    ),
    pytest.param(("87600元", "八万七千六百元", "八万七千六", "8.76万元"), id="87600 yuan"),
    pytest.param(
        ("2024年8月1日", "2024.8.1", "2024-08-01", "2024/08/01", "24年8月1号", "二〇二四年八月一日"),
        id="date",
    ),
    pytest.param(("拖了半年", "6个月", "六个月"), id="half a year"),
    pytest.param(("一年半", "18个月", "十八个月", "1.5年"), id="a year and a half"),
    pytest.param(("两个半月", "2个半月", "2.5个月"), id="two and a half months"),
    pytest.param(("三个月", "仨月", "3个月"), id="three months"),
    pytest.param(
        ("7号楼5单元902室", "7栋5单元902", "7-5-902", "七号楼五单元九零二", "7幢5单元902号"), id="flat"
    ),
    pytest.param(
        ("21号楼2单元101室", "21-2-101", "21栋2门1层1户", "21号楼2单元1-1", "21-2-1-1", "21—2—101"),
        id="a northern flat",
    ),
]


@pytest.mark.parametrize("forms", SAME_FACT)
def test_forms_of_one_fact_agree(forms: tuple[str, ...]) -> None:
    tokens = {form: extract_facts(form) for form in forms}
    assert len(set(tokens.values())) == 1, tokens
    assert None not in tokens.values()


DIFFERENT_FACTS = [
    pytest.param("三万二", "三万", id="三万二 is not 三万"),
    pytest.param("32000元", "23000元", id="different sums"),
    pytest.param("2024年8月1日", "2024年1月8日", id="day and month swapped"),
    pytest.param("7号楼5单元902室", "7号楼9单元502室", id="different flats"),
    pytest.param("3栋4单元6楼2号", "3栋4单元2楼6号", id="floor and door swapped"),
    pytest.param("6单元11-3", "6单元3-11", id="dashed floor and door swapped"),
    pytest.param("3个月", "3天", id="months and days"),
    pytest.param("3个月", "3月", id="a duration is no month"),
]


@pytest.mark.parametrize(("left", "right"), DIFFERENT_FACTS)
def test_different_facts_differ(left: str, right: str) -> None:
    assert extract_facts(left) != extract_facts(right)


RELATIVE = [
    pytest.param("去年10月", "d202510", id="去年10月"),
    pytest.param("今年3月份", "d202603", id="今年3月份"),
    pytest.param("前年", "d2024", id="前年"),
    pytest.param("上个月", "d202610", id="上个月"),
    pytest.param("上月15号", "d20261015", id="上月15号"),
    pytest.param("这个月", "d202611", id="这个月"),
    pytest.param("昨天", "d20261119", id="昨天"),
    pytest.param("前天晚上", "d20261118", id="前天"),
    pytest.param("去年10月到今年2月", "d202510 d202602", id="span"),
    pytest.param("去年10月欠了3万", "a30000 d202510", id="with a sum"),
    pytest.param("三个月前", "d202608", id="三个月前"),
    pytest.param("半年前", "d202605", id="半年前"),
    pytest.param("两年前", "d2024", id="两年前"),
    pytest.param("十天前", "d20261110", id="十天前"),
    pytest.param("前几天", None, id="前几天 is vague"),
    pytest.param("上上个月", "d202609", id="上上个月 is two months back"),
    pytest.param("上上月5号", "d20260905", id="上上月5号"),
    pytest.param("楼上上个月开始漏水", "d202610", id="楼上 then 上个月"),
    pytest.param("大前天", "d20261117", id="大前天 is three days back"),
    pytest.param("大前年", "d2023", id="大前年 is three years back"),
]


@pytest.mark.parametrize(("text", "expected"), RELATIVE)
def test_relative_dates_need_the_report_date(text: str, expected: str) -> None:
    assert extract_facts(text, REPORTED) == expected
    assert extract_facts(text, datetime(2026, 11, 20, 9, 30)) == expected
    assert extract_facts(text, "2026-11-20T09:30:00+08:00") == expected


def test_january_last_month_is_last_year() -> None:
    assert extract_facts("上个月", date(2026, 1, 5)) == "d202512"


@pytest.mark.parametrize(
    ("run", "value"),
    [
        pytest.param("三万二", 32000, id="三万二"),
        pytest.param("一百二", 120, id="一百二"),
        pytest.param("十五", 15, id="十五"),
        pytest.param("一亿二千万", 120_000_000, id="亿"),
        pytest.param("九零二", 902, id="digit by digit"),
        pytest.param("两千零五", 2005, id="零 keeps the digit"),
        pytest.param("千万", None, id="no coefficient"),
        pytest.param("三万二三", None, id="malformed"),
    ],
)
def test_parse_number(run: str, value: float | None) -> None:
    assert parse_number(run) == value


@pytest.mark.parametrize(
    ("run", "bounds"),
    [
        pytest.param("几万", (20000, 100000), id="几万"),
        pytest.param("十几万", (100000, 200000), id="十几万"),
        pytest.param("几十万", (200000, 1000000), id="几十万"),
        pytest.param("一百多万", (1000000, 2000000), id="一百多万"),
        pytest.param("七八千", (7000, 9000), id="七八千"),
        pytest.param("三万", None, id="exact"),
    ],
)
def test_parse_range(run: str, bounds: tuple[int, int] | None) -> None:
    assert parse_range(run) == bounds


SUBJECTS = [
    pytest.param(
        ("甘肃宏泰建筑工程有限公司", "宏泰建筑工程公司", "宏泰公司", "兰州宏泰建筑", "宏泰建筑工程"),
        "宏泰",
        id="company in full and shortened",
    ),  # fmt: skip
    pytest.param(
        ("兰州鑫源置业有限公司", "鑫源置业", "鑫源地产", "鑫源房地产开发有限公司"), "鑫源", id="developer"
    ),
    pytest.param(("鑫源华府二期项目", "鑫源华府", "鑫源华府二期", "鑫源华府小区"), "鑫源", id="project"),
    pytest.param(("东岗片区棚户区改造项目", "东岗棚改", "东岗片区"), "东岗", id="redevelopment area"),
    pytest.param(("萬達名邸", "万达名邸"), "万达", id="traditional characters"),
    pytest.param(("鑫源·华府二期项目", "鑫源•华府", "鑫源华府"), "鑫源", id="a marketing name's middle dot"),
    pytest.param(("安居丽景小区", "安居丽景", "安居小区"), "安居", id="a compound's own suffix"),
    pytest.param(("鑫源嘉园小区", "鑫源嘉园", "鑫源小区"), "鑫源", id="嘉园"),
    pytest.param(("锦绣花苑二期", "锦绣花苑", "锦绣小区"), "锦绣", id="花苑"),
    pytest.param(("昌盛综合体", "昌盛综合体项目", "昌盛综合体二期"), "昌盛", id="综合体"),
    pytest.param(
        ("甘肃宏泰建设集团有限公司", "宏泰建设集团", "宏泰建工集团", "兰州宏泰工程有限公司", "宏泰公司"),
        "宏泰",
        id="builder named as 建设集团, 建工, 工程",
    ),
    pytest.param(
        ("宏泰劳务派遣有限公司", "宏泰人力资源有限公司", "宏泰家政服务有限公司", "宏泰劳务"),
        "宏泰",
        id="labour agencies",
    ),
    pytest.param(
        (
            "宏泰装饰装修工程有限公司",
            "宏泰园林绿化工程有限公司",
            "宏泰钢结构工程有限公司",
            "宏泰水利水电工程有限公司",
        ),
        "宏泰",
        id="trades before 工程",
    ),  # fmt: skip
    pytest.param(
        ("宏泰信息技术有限公司", "宏泰电子商务有限公司", "宏泰文化传媒有限公司", "宏泰网络科技有限公司"),
        "宏泰",
        id="technology and media",
    ),
    pytest.param(
        ("宏泰融资担保有限公司", "宏泰小额贷款有限公司", "宏泰投资管理有限公司", "宏泰典当行"),
        "宏泰",
        id="lenders",
    ),
    pytest.param(("宏泰教育咨询有限公司", "宏泰教育培训学校", "宏泰培训学校"), "宏泰", id="schools"),
    pytest.param(("宏泰律师事务所", "宏泰事务所"), "宏泰", id="事务所"),
    pytest.param(
        ("甘肃宏泰（控股）集团有限公司", "宏泰(集团)有限公司", "宏泰集团"),
        "宏泰",
        id="a form note in brackets",
    ),
    pytest.param(("通远保安公司做保安",), "通远", id="not 司做 too: the chain before holds 司"),
    pytest.param(
        ("高原红农产品有限公司", "高原红农产品专业合作社", "高原红合作社"),
        "原红",
        id="a cooperative and its produce",
    ),
    pytest.param(("九州供应链管理有限公司", "九州供应链公司"), "九州", id="供应链"),
    pytest.param(
        ("金港热力有限公司", "金港供热公司", "金港集中供热有限公司"), "金港", id="a heating company"
    ),
    pytest.param(("锦绣府6-1-601", "锦绣府小区", "锦绣府二期项目"), "锦绣", id="an estate named 府"),
]


@pytest.mark.parametrize(("forms", "name"), SUBJECTS)
def test_subject_names_agree_across_forms(forms: tuple[str, ...], name: str) -> None:
    for form in forms:
        assert subject_names(f"反映{form}拖欠工资") == {name}, form


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("物业公司推诿", id="generic 物业公司"),
        pytest.param("联系该公司无果", id="该公司"),
        pytest.param("这家公司跑路了", id="这家公司"),
        pytest.param("要求开发商按约交房", id="开发商"),
        pytest.param("宏泰拖欠工资", id="bare trade name has no marker"),
        pytest.param("报警称投资被骗", id="投资 alone follows verbs too"),
        pytest.param("与楼下住户因装修噪音发生矛盾", id="装修 alone follows nouns too"),
        pytest.param("其在海利从事保安工作", id="从事 is no name"),
        pytest.param("反映城市建设项目占地", id="建设 after an ordinary word"),
        pytest.param("其从事劳务派遣工作", id="劳务派遣 after a verb"),
        pytest.param("孩子的培训学校不退费", id="培训学校 after 的"),
        pytest.param("宏泰建设欠款", id="a bound industry without its legal form names nothing"),
        pytest.param("中国建筑第三工程局有限公司", id="中国 is no trade name, 程局 half a word of a chain"),
        pytest.param("兰州中心项目", id="中心 is no trade name"),
        pytest.param("暖气不热，整个小区都不热", id="整个小区: the whole estate, named nothing"),
        pytest.param("我们住同一个小区", id="一个小区"),
        pytest.param("其居住小区门口有人摆摊", id="居住小区"),
        pytest.param("长租公寓跑路，押金不退", id="长租公寓: a kind of flat"),
        pytest.param("青年公寓房东不退押金", id="青年公寓"),
        pytest.param("中铁二局项目拖欠工资", id="二局: a bureau of a chain, half its name"),
        pytest.param("业主多次向物业反映无果", id="次向: a counter and a preposition"),
        pytest.param("开发商推给物业，物业推给开发商", id="推给"),
        pytest.param("房东以物业费没交清为由拒不退还押金", id="以: a preposition ends no name"),
        pytest.param("物业擅自将物业费上调", id="擅自将"),
        pytest.param("2022年10月份起公司拖欠其工资", id="份起"),
        pytest.param("现该店突然闭店，经营者失联", id="闭店"),
        pytest.param("其家住新城区的小区", id="家住"),
        pytest.param("其多次到工地讨要未果", id="多次到工地"),
        pytest.param("在西一小学新建项目务工", id="新建 is no name"),
        pytest.param("小区底商烧烤店营业至凌晨", id="底商: the shops under a block"),
        pytest.param("秀川路和南滨河中路交叉口工地", id="交叉口"),
        pytest.param("信访人王敏，女，49岁，住小店区北格镇坞城村3号", id="小店区: a district, not a shop"),
        pytest.param("家住西安市新城区", id="新城区: a district, not an estate"),
        pytest.param("@太原市政府 管不管", id="市政府: the city's government, not a 市政 company"),
        pytest.param("希望政府帮忙解决", id="政府 is no estate"),
        pytest.param(None, id="missing"),
    ],
)
def test_subject_names_say_nothing_when_unsure(text: str | None) -> None:
    assert subject_names(text) == set()


def test_subject_tokens_are_opt_in() -> None:
    text = "宏泰公司拖欠工资3.2万元"
    assert extract_facts(text) == "a32000"
    assert extract_facts(text, subjects=True) == "a32000 o宏泰"
    assert extract_facts("鑫源华府二期项目拖欠工资", subjects=True) == "p鑫源"
    assert extract_facts("鑫源华府的宏泰建筑拖欠工资", subjects=True) == "o宏泰 p鑫源"


ANCHORS = [
    # The largest exact sum is the dispute's amount however it is written; its parts are not.
    pytest.param("拖欠2025年8月至11月工资共计77200元，其中10月8600元", ("a77200", None), id="total-not-part"),
    pytest.param("拖欠工资7.72万元", ("a77200", None), id="wan"),
    pytest.param("一共欠了七万七千二百块", ("a77200", None), id="numerals"),
    pytest.param("已付房款732900元，7号楼5单元902室至今未交付", ("a732900", "r7-5-902"), id="sum-and-flat"),
    pytest.param("我家在13号楼3单元1301室，供暖温度只有12度", (None, "r13-3-1301"), id="flat-only"),
    # A vague sum, a date or a project finds too many others (a group's members share them): no anchor.
    pytest.param("欠了两万多", (None, None), id="vague-sum"),
    pytest.param("2024年9月15日交房，至今逾期", (None, None), id="date"),
    pytest.param("报警称劳资纠纷", (None, None), id="no-fact"),
    pytest.param(None, (None, None), id="missing"),
]


@pytest.mark.parametrize(("text", "expected"), ANCHORS)
def test_fact_anchors(text: str | None, expected: tuple[str | None, str | None]) -> None:
    assert fact_anchors(extract_facts(text, subjects=True)) == expected


@pytest.mark.unit
@pytest.mark.parametrize("noise", ["十" * 20_000, "二十" * 10_000, "一二三" * 7_000])
def test_a_pasted_run_of_numerals_leaves_the_facts_after_it(noise: str) -> None:
    # A run of numerals that is no number was tried again from each of its characters (20,000: 13 s);
    # runs are read up to 24 characters. benchmarks/match_long_fields.py times it.
    assert extract_facts(noise + "，欠款32000元，2025年3月") == extract_facts("欠款32000元，2025年3月")
