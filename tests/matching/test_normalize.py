"""Standardisation: each channel's way of writing the same name, phone, id number, address and facts."""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pandas as pd
import pytest

from matching import standardise
from matching._address import parse_address
from matching._content import content_facts
from matching.normalize import distinct_values, normalize_id, normalize_name, normalize_phone, without_markup
from matching.settings import MatchSettings

from .conftest import frame, record


@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("张伟", ("张伟", "zhangwei", "zanwei", "zhang"), id="plain"),
        pytest.param("章伟", ("章伟", "zhangwei", "zanwei", "zhang"), id="homophone shares pinyin"),
        pytest.param("張偉", ("张伟", "zhangwei", "zanwei", "zhang"), id="traditional"),
        pytest.param(" 张　伟 ", ("张伟", "zhangwei", "zanwei", "zhang"), id="spaces and full-width space"),
        pytest.param("程伟", ("程伟", "chengwei", "cenwei", "cheng"), id="near homophone folds with 陈伟"),
        pytest.param("曾小贤", ("曾小贤", "zengxiaoxian", "zenxiaoxian", "zeng"), id="surname reading"),
        pytest.param(
            "阿不都·热合曼", ("阿不都热合曼", "abudoureheman", "abudouleheman", "a"), id="minority name dot"
        ),
        pytest.param("张先生", (None, None, None, "zhang"), id="operator's surname-only form"),
        pytest.param("匿名", (None, None, None, None), id="placeholder"),
        pytest.param(None, (None, None, None, None), id="missing"),
    ],
)
def test_normalize_name(raw: str | None, expected: tuple[str | None, ...]) -> None:
    assert normalize_name(raw) == expected


ZHANG_WEI = ("张伟", "zhangwei", "zanwei", "zhang")


# What other systems' name fields hold: masks, notes, several people, handles, a phone typed in.
@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("张*", (None, None, None, "zhang"), id="masked"),
        pytest.param("张**", (None, None, None, "zhang"), id="masked, two stars"),
        pytest.param("張＊", (None, None, None, "zhang"), id="masked, traditional, full-width star"),
        pytest.param("张XX", (None, None, None, "zhang"), id="masked with X"),
        pytest.param("马*明", (None, None, None, "ma"), id="masked middle"),
        pytest.param("欧阳**", (None, None, None, "ouyang"), id="masked compound surname"),
        pytest.param("张某某", (None, None, None, "zhang"), id="张某某"),
        pytest.param("张伟(代)", ZHANG_WEI, id="a note in brackets"),
        pytest.param("张伟（业主）", ZHANG_WEI, id="a note in full-width brackets"),
        pytest.param("张伟等3人", ZHANG_WEI, id="a group: the first filer"),
        pytest.param("张伟等十几人", ZHANG_WEI, id="a group in words"),
        pytest.param("张伟、李娜", ZHANG_WEI, id="two people"),
        pytest.param("张伟/李娜", ZHANG_WEI, id="two people, slash"),
        pytest.param("张伟 13893112345", ZHANG_WEI, id="a phone in the name field"),
        pytest.param("张  伟", ZHANG_WEI, id="padded to align"),
        pytest.param("无名氏", (None, None, None, None), id="无名氏"),
        pytest.param("匿名用户", (None, None, None, None), id="匿名用户"),
        pytest.param("用户8372", (None, None, None, None), id="a board's generated handle"),
        pytest.param("网友_5521", (None, None, None, None), id="a handle with an underscore"),
        pytest.param("用户_83721234", (None, None, None, None), id="a handle with a long number"),
        pytest.param("【匿名】", (None, None, None, None), id="a placeholder in brackets"),
        pytest.param("匿名网友", (None, None, None, None), id="匿名网友"),
        pytest.param("道外农民6951", (None, None, None, None), id="a chosen handle and a number"),
        pytest.param("wx_ghu5eyj", (None, None, None, None), id="letters, digits and an underscore"),
        pytest.param("冻透了", (None, None, None, None), id="a phrase no name holds"),
        pytest.param("无奈的人", (None, None, None, None), id="的: no name holds it"),
        pytest.param("求助者", (None, None, None, None), id="者: no name holds it"),
        pytest.param("江北打工人", (None, None, None, None), id="a place and who the writer is"),
        pytest.param("平房大姐", (None, None, None, None), id="a place and 大姐"),
        pytest.param("张大姐", (None, None, None, "zhang"), id="a surname and 大姐 is still 张"),
        pytest.param("晋阳湖耿姐", (None, None, None, "geng"), id="a place and 耿姐: her surname"),
        pytest.param("汾河边的薛姐", (None, None, None, "xue"), id="a place, 的 and 薛姐"),
        pytest.param("清徐贾姐", (None, None, None, "jia"), id="a county and 贾姐, not 清 the surname"),
        pytest.param("五象阿姨", (None, None, None, None), id="a place and 阿姨: no surname"),
        pytest.param("欧阳阿姨", (None, None, None, "ouyang"), id="a compound surname and 阿姨"),
        pytest.param("网友c0t4a", (None, None, None, None), id="a generated handle of letters and digits"),
        pytest.param("网友bmgpx", (None, None, None, None), id="a generated handle of letters"),
        pytest.param("用户131****6961", (None, None, None, None), id="a handle of a masked mobile"),
        pytest.param("user_928979", (None, None, None, None), id="latin and digits: not the name 'user'"),
        pytest.param("那晓东", ("那晓东", "naxiaodong", "laxiaodong", "na"), id="a rare surname is a name"),
        pytest.param("13893112345", (None, None, None, None), id="only a phone"),
        pytest.param("张伟先生", ZHANG_WEI, id="a full name, then 先生"),
        pytest.param("张伟 女士", ZHANG_WEI, id="a full name, a space, then 女士"),
        pytest.param("张伟老师", ZHANG_WEI, id="a full name, then 老师"),
        pytest.param("老张", (None, None, None, "zhang"), id="老 and a surname"),
        pytest.param("小张", (None, None, None, "zhang"), id="小 and a surname"),
        pytest.param("张经理", (None, None, None, "zhang"), id="a surname and a title"),
        pytest.param("张总", (None, None, None, "zhang"), id="张总"),
        pytest.param("张姐", (None, None, None, "zhang"), id="张姐"),
        pytest.param("小红", ("小红", "xiaohong", "xiaohong", "xiao"), id="小红 is a given name"),
        pytest.param("来电人张伟", ZHANG_WEI, id="the writer's role before the name"),
        pytest.param("市民张先生", (None, None, None, "zhang"), id="a role, then 张先生"),
        pytest.param("李某人", (None, None, None, "li"), id="李某人"),
        pytest.param("先生", (None, None, None, None), id="a title alone"),
        pytest.param("X先生", (None, None, None, None), id="X先生: no surname"),
        pytest.param("某女士", (None, None, None, None), id="某女士: no surname"),
        pytest.param("匿名先生", (None, None, None, None), id="a placeholder with a title"),
        pytest.param("未知姓名", (None, None, None, None), id="未知姓名"),
        pytest.param("网民", (None, None, None, None), id="网民: the board's word for its writer"),
        pytest.param("农民工", (None, None, None, None), id="农民工: who, not a name"),
        pytest.param("工人张伟", ZHANG_WEI, id="a role before the name"),
        pytest.param("N/A", (None, None, None, None), id="N/A is not N"),
        pytest.param("张伟的女儿", ZHANG_WEI, id="a relative filing: the name is his"),
        pytest.param("张伟之妻", ZHANG_WEI, id="之妻"),
        pytest.param("张伟家属", ZHANG_WEI, id="家属"),
        pytest.param("张伟 男 45岁", ZHANG_WEI, id="sex and age after a space"),
        pytest.param("张亚男", ("张亚男", "zhangyanan", "zanyalan", "zhang"), id="男 of 亚男 is the name"),
        pytest.param("张伟同学", ZHANG_WEI, id="同学 after a full name"),
        pytest.param("张伟之父", ZHANG_WEI, id="之父"),
        pytest.param("Zhang Wei", ("zhangwei", "zhangwei", "zanwei", "zhang"), id="pinyin: 张伟's sound"),
        pytest.param("张伟 Zhang Wei", ZHANG_WEI, id="characters and pinyin: the characters"),
        pytest.param("Zhang Wei 张伟", ZHANG_WEI, id="pinyin and characters: the characters"),
        pytest.param("不愿透露姓名", (None, None, None, None), id="a name withheld, said so"),
        pytest.param("拒绝留名", (None, None, None, None), id="拒绝留名"),
        pytest.param("ZHANGWEI", ("zhangwei", "zhangwei", "zanwei", "zhang"), id="pinyin in one word"),
        pytest.param(
            "Ouyang Xiu", ("ouyangxiu", "ouyangxiu", "ouyanxiu", "ouyang"), id="pinyin: compound surname"
        ),
        pytest.param(
            "John Smith", ("johnsmith", "johnsmith", "johnsmith", "johnsmith"), id="not pinyin: as it was"
        ),
        pytest.param("张伟 代理人：李娜", ZHANG_WEI, id="an agent named after the filer"),
        pytest.param("张伟，联系人李娜", ZHANG_WEI, id="a contact named after the filer"),
    ],
)
def test_normalize_name_reads_what_a_name_field_holds(raw: str, expected: tuple[str | None, ...]) -> None:
    assert normalize_name(raw) == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    "raw",
    [
        "6201**********1234",
        "620102********9924",
        "620102XXXXXXXX9924",
        "６２０１０２＊＊＊＊＊＊＊＊９９２４",
        # typed for an id not known: every record so typed would agree exactly
        "000000000000000000",
        "111111111111111111",
        "123456789012345678",
        "620102000000000000",
        "620102199999999999",
    ],
)
def test_a_masked_id_number_is_no_id(raw: str) -> None:
    assert normalize_id(raw) == (None, False)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("620102198703151236.0", ("620102198703151236", True), id="a float's trailing .0"),
        # Excel's display: the id's last digits are gone, so every id of the district would agree.
        pytest.param("6.20102E+17", (None, False), id="scientific, rounded"),
        pytest.param("6.20102198703151E+17", (None, False), id="scientific, 15 digits kept"),
        pytest.param("身份证620102198703151236", ("620102198703151236", True), id="a label before it"),
        pytest.param("证件号码：620102198703151236", ("620102198703151236", True), id="a label and a colon"),
    ],
)
def test_an_id_number_as_other_systems_write_it(raw: str, expected: tuple[str | None, bool]) -> None:
    assert normalize_id(raw) == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    ("written", "hours"),
    [
        pytest.param("2026年1月1日 9时", 0, id="年月日 时"),
        pytest.param("2026年01月01日09:00", 0, id="年月日 with a clock"),
        pytest.param("2026年1月1日上午9点", 0, id="上午 9点"),
        pytest.param("2025年12月31日晚上9点", -12, id="晚上 is after noon"),
        pytest.param("2026年1月1日下午3点30分", 6.5, id="下午, minutes"),
        pytest.param("2026年1月1日中午1点", 4, id="中午 1点 is 13:00"),
        pytest.param("2026年1月1日中午12点", 3, id="中午 12点 is noon"),
        pytest.param("1767229200", 0, id="epoch seconds"),
        pytest.param("1767229200000", 0, id="epoch milliseconds"),
        pytest.param("2026-01-01", -9, id="a date alone is its local midnight"),
        pytest.param("20260101 090000", 0, id="compact"),
        pytest.param("2026.01.01 09:00", 0, id="dotted"),
        pytest.param("46023.375", 0, id="an Excel serial day holds the local time"),
        pytest.param("2026/1/1 上午 9:00:00", 0, id="上午 before the clock (a Chinese locale)"),
        pytest.param("2026/1/1 下午 3:30:00", 6.5, id="下午 before the clock"),
        pytest.param("2026-01-01 下午15:30:00", 6.5, id="下午 before an hour past noon"),
        pytest.param(
            "2026/1/1 中午 11:30:00", 2.5, id="中午 before 11 o'clock is 11:30, as in 年月日 layouts"
        ),
        pytest.param("2026-01-01 09:00:00 CST", 0, id="CST is China Standard Time"),
        pytest.param("Thu Jan 01 09:00:00 CST 2026", 0, id="Java's Date.toString"),
        pytest.param("46023", -9, id="an Excel serial day alone is its local midnight"),
    ],
)
def test_report_times_in_a_sources_own_layout(written: str, hours: float, settings: MatchSettings) -> None:
    rows = [record("app:1", reported_at="2026-01-01T09:00:00+08:00"), record("app:2", reported_at=written)]
    days = standardise(frame(rows), settings)["reported_days"]
    assert (days.iloc[1] - days.iloc[0]) * 24 == pytest.approx(hours, abs=1e-6)


@pytest.mark.unit
@pytest.mark.parametrize(
    "written",
    [
        pytest.param("0001-01-01 00:00:00", id="year 1: a system's empty time"),
        pytest.param("9999-12-31 23:59:59", id="year 9999: a system's open end"),
        pytest.param("1900-01-01", id="1900-01-01: a spreadsheet's empty date"),
        pytest.param("1970-01-01 00:00:00", id="epoch zero, local"),
        pytest.param("1970-01-01T00:00:00Z", id="epoch zero, UTC"),
        pytest.param("１", id="a full-width digit, read by pandas as year 1"),
        pytest.param("3000-01-01T00:00:00+08:00", id="a year no report has"),
    ],
)
def test_a_time_no_report_can_carry_is_no_time(written: str, settings: MatchSettings) -> None:
    # Kept, year 1 overflowed into a day of 1677 and year 9999 into one of 1816, silently; １ crashed.
    rows = [record("app:1", reported_at="2026-01-01T09:00:00+08:00"), record("app:2", reported_at=written)]
    days = standardise(frame(rows), settings)["reported_days"]
    assert not np.isnan(days.iloc[0])
    assert np.isnan(days.iloc[1])


@pytest.mark.unit
def test_report_times_read_as_numbers_are_read_by_their_size(settings: MatchSettings) -> None:
    # A spreadsheet's time column arrives as numbers: serial days, epoch seconds and milliseconds name
    # 2026-01-01 09:00 in Lanzhou; any other number is no time (not a moment of 1970).
    rows = frame([record(f"app:{k}") for k in range(5)])
    rows["reported_at"] = [46023.375, 1767229200, 1767229200000, 46023 + 0.5, 12.0]
    days = standardise(rows, settings)["reported_days"]
    assert days.iloc[:3].tolist() == pytest.approx([days.iloc[0]] * 3, abs=1e-6)
    assert (days.iloc[3] - days.iloc[0]) * 24 == pytest.approx(3, abs=1e-6)
    assert np.isnan(days.iloc[4])


@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("13893112345", ("13893112345", True), id="mobile"),
        pytest.param("+86 138-9311-2345", ("13893112345", True), id="+86 and separators"),
        pytest.param("0086 13893112345", ("13893112345", True), id="0086"),
        pytest.param("１３８９３１１２３４５", ("13893112345", True), id="full-width digits"),
        pytest.param("138 9311 2345", ("13893112345", True), id="spaces"),
        pytest.param("0931-8123456", ("09318123456", False), id="landline"),
        pytest.param("8123456", ("09318123456", False), id="local landline gets the area code"),
        pytest.param("(0931)8123456", ("09318123456", False), id="bracketed area code"),
        pytest.param("013893112345", ("13893112345", True), id="a mobile dialled with the trunk 0"),
        pytest.param("0931-8123456-801", ("09318123456", False), id="an extension after a dash"),
        pytest.param("8123456分机801", ("09318123456", False), id="分机"),
        pytest.param("010-12345678", ("01012345678", False), id="Beijing's 010 is no trunk 0"),
        pytest.param("13893112345/0931-8123456", ("13893112345", True), id="two numbers: first wins"),
        pytest.param("13893112345 13912345678", ("13893112345", True), id="two numbers one space apart"),
        pytest.param(
            "0931-8123456/13893112345", ("13893112345", True), id="a landline, then a mobile: the mobile"
        ),
        pytest.param("0931-8123456 13893112345", ("13893112345", True), id="the same, a space apart"),
        pytest.param("138O9311234", ("13809311234", True), id="O for 0, as typed or read by OCR"),
        pytest.param("l3893112345", ("13893112345", True), id="l for 1"),
        pytest.param("0931-8I23456", ("09318123456", False), id="I for 1 in a landline"),
        pytest.param("0931 8123456", ("09318123456", False), id="an area code a space before the line"),
        pytest.param("13800000000", (None, False), id="placeholder mobile"),
        # What a spreadsheet or pandas makes of a number column: a float, exact or rounded for display.
        pytest.param("13893112345.0", ("13893112345", True), id="a float's trailing .0"),
        pytest.param("1.3893112345E+10", ("13893112345", True), id="scientific, every digit kept"),
        pytest.param("1.38931E+10", (None, False), id="scientific, rounded: no one's number"),
        pytest.param("8123456.0", ("09318123456", False), id="a local landline as a float"),
        pytest.param("400-123-4567", ("4001234567", False), id="a service number has no area code"),
        pytest.param("12345", (None, False), id="too short"),
        pytest.param(None, (None, False), id="missing"),
    ],
)
def test_normalize_phone(raw: str | None, expected: tuple[str | None, bool]) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("620102198703151236", ("620102198703151236", True), id="valid"),
        pytest.param("6201O2198703l51236", ("620102198703151236", True), id="O and l for 0 and 1"),
        pytest.param("62010219900101002x", ("62010219900101002X", True), id="lower-case x"),
        pytest.param("６２０１０２１９９００１０１００２Ｘ", ("62010219900101002X", True), id="full-width"),
        pytest.param("6201 0219 8703 151236", ("620102198703151236", True), id="spaces"),
        pytest.param("620102870315123", ("620102198703151236", True), id="15-digit upgraded to 18"),
        pytest.param("620102198703151237", ("620102198703151237", False), id="bad check digit kept, invalid"),
        pytest.param("620102198713151236", ("620102198713151236", False), id="month 13"),
        pytest.param("无", (None, False), id="not a number"),
    ],
)
def test_normalize_id(raw: str, expected: tuple[str | None, bool]) -> None:
    assert normalize_id(raw) == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "norm", "key", "district"),
    [
        pytest.param(
            "甘肃省兰州市城关区张掖路街道永昌路社区永昌路88号", "永昌路88号", "永昌88", "城关区", id="formal"
        ),
        pytest.param("城关区永昌路88号", "永昌路88号", "永昌88", "城关区", id="terse"),
        pytest.param("城关区永昌路088号", "永昌路088号", "永昌88", "城关区", id="a zero-padded house number"),
        pytest.param(
            "兰州市城关永昌路88号附近", "永昌路88号", "永昌88", "城关区", id="short district, vague tail"
        ),
        pytest.param(
            "甘肃省兰州市城关区永昌街８８号院", "永昌街88号", "永昌88", "城关区", id="full-width, 号院, 街"
        ),
        pytest.param("城關區永昌路88號", "永昌路88号", "永昌88", "城关区", id="traditional"),
        pytest.param(
            "城关区东方红广场东侧",
            "东方红广场",
            "东方红广场",
            "城关区",
            id="a landmark's side is the landmark",
        ),
        pytest.param("七里河区西站十字东北角", "西站十字", "西站十字", "七里河区", id="a crossing's corner"),
        pytest.param(
            "西固区西固城街道福利西路12-3号", "福利西路12-3号", "福利西12", "西固区", id="dash number"
        ),
        pytest.param(
            "七里河区西湖街道金港城小区3号楼2单元501室",
            "金港城小区3号楼2单元501室",
            "金港城",
            "七里河区",
            id="compound without road",
        ),
        pytest.param(
            "榆中县城关镇兴隆路5号", "兴隆路5号", "兴隆5", "榆中县", id="城关镇 is a town, not 城关区"
        ),
        pytest.param("城关区陇原御园", "陇原御园", "陇原御园", "城关区", id="place only"),
        # Roads named after their district: the short form is the road's, not a district written before it.
        pytest.param("安宁西路88号", "安宁西路88号", "安宁西88", None, id="安宁西路 is a road"),
        pytest.param(
            "兰州市西固中路255号信和新城", "西固中路255号信和新城", "西固中255", None, id="西固中路"
        ),
        pytest.param("西固西固中路255号", "西固中路255号", "西固中255", "西固区", id="西固 before 西固中路"),
        pytest.param("七里河北街12号", "七里河北街12号", "七里河北12", None, id="七里河北街"),
        pytest.param("城关大道100号", "城关大道100号", "城关100", None, id="城关大道"),
        pytest.param("城关东岗东路322号", "东岗东路322号", "东岗东322", "城关区", id="城关 before 东岗东路"),
        pytest.param(
            "安宁区华林路丝路新村", "华林路丝路新村", "丝路新村", "安宁区", id="road, then a 新村 compound"
        ),
        pytest.param("安宁区丝路新村", None, "丝路新村", "安宁区", id="a 新村 compound named after a road"),
        pytest.param(
            "城关区黄家湖新村小区9栋4单元104室",
            "黄家湖新村小区9栋4单元104室",
            "黄家湖新村",
            "城关区",
            id="a 新村 compound called 小区 (not a village, leaving 小区 as the key)",
        ),
        pytest.param("宝山新村小区", "宝山新村小区", "宝山新村", None, id="a 新村小区 alone"),
        # A development zone written in full is a district: before, 武汉市东湖新技术开发区光谷大道77号 was keyed
        # 新技术开发区光谷77 (the road read from the zone's name on), never 光谷77 as without it.
        pytest.param(
            "武汉市东湖新技术开发区光谷大道77号",
            "光谷大道77号",
            "光谷77",
            "东湖新技术开发区",
            id="a zone in full",
        ),
        pytest.param(
            "高新技术产业开发区舜耕雅苑7号楼601",
            "舜耕雅苑7号楼601",
            "舜耕雅苑",
            "高新技术产业开发区",
            id="a zone without its city",
        ),
        pytest.param(
            "西安经济技术开发区凤城八路100号",
            "凤城八路100号",
            "凤城八100",
            "西安经济技术开发区",
            id="经济技术开发区",
        ),
        pytest.param("", None, None, None, id="empty"),
    ],
)
def test_parse_address(raw: str, norm: str | None, key: str | None, district: str | None) -> None:
    parts = parse_address(raw)
    assert (parts.norm, parts.key, parts.district) == (norm, key, district)


# The next city's addresses: one place written as its own channels write it, formal and terse.
@pytest.mark.unit
@pytest.mark.parametrize(
    ("formal", "terse", "key", "district"),
    [
        pytest.param(
            "四川省成都市武侯区人民南路四段12号",
            "武侯区人民南路4段12号",
            "人民南4段12",
            "武侯区",
            id="chengdu: province, city, section in words",
        ),  # fmt: skip
        pytest.param(
            "成都市锦江区春熙路街道红星路三段35号",
            "锦江区红星路3段35号附1号",
            "红星3段35",
            "锦江区",
            id="chengdu: street office, 附 number",
        ),  # fmt: skip
        pytest.param(
            "成都市高新区天府大道北段1700号环球中心",
            "天府大道北段1700号",
            "天府北段1700",
            "高新区",
            id="chengdu: 大道 with a lettered section",
        ),  # fmt: skip
        pytest.param(
            "四川省成都市郫都区犀浦镇双柏村5组23号",
            "郫都区双柏村五组23号",
            "双柏村",
            "郫都区",
            id="chengdu: a village's group",
        ),  # fmt: skip
        pytest.param(
            "宁夏回族自治区银川市兴庆区解放西街120号",
            "银川市兴庆区解放西街120号",
            "解放西120",
            "兴庆区",
            id="yinchuan: autonomous region",
        ),  # fmt: skip
        pytest.param(
            "宁夏银川市兴庆区解放西街120号",
            "兴庆区解放西街120号院",
            "解放西120",
            "兴庆区",
            id="yinchuan: short region, 号院",
        ),  # fmt: skip
        pytest.param(
            "北京市朝阳区建国路88号",
            "朝阳区建国路88号附近",
            "建国88",
            "朝阳区",
            id="beijing: a city that is a province",
        ),  # fmt: skip
        pytest.param(
            "上海市浦东新区世纪大道100号", "浦东新区世纪大道100号", "世纪100", "浦东新区", id="shanghai: 新区"
        ),  # fmt: skip
        pytest.param(
            "陕西省西安市新城区解放路100号",
            "西安市新城区解放路100号",
            "解放100",
            "新城区",
            id="xi'an: a district named 新城",
        ),  # fmt: skip
        pytest.param(
            "甘肃省天水市秦州区民主路15号", "秦州区民主路15号", "民主15", "秦州区", id="another city of Gansu"
        ),  # fmt: skip
        pytest.param(
            "甘肃省临夏回族自治州临夏市红园路8号",
            "临夏市红园路8号",
            "红园8",
            None,
            id="a prefecture, then its county-level city",
        ),  # fmt: skip
        pytest.param(
            "重庆市渝中区解放碑步行街",
            "渝中区解放碑步行街",
            "解放碑步行",
            "渝中区",
            id="chongqing: a place without a number",
        ),  # fmt: skip
        pytest.param(
            "兰州市高新区雁滩路3号",
            "高新区雁滩路3号",
            "雁滩3",
            "高新区",
            id="lanzhou: a zone the taxonomy does not list",
        ),  # fmt: skip
        pytest.param(
            "宁波市余姚市泗门新苑3号楼1203室",
            "浙江省宁波市余姚市兰江街道谭家岭东路泗门新苑3-3-1203",
            "泗门新苑",
            None,
            id="a county-level city after its prefecture, and an estate",
        ),  # fmt: skip
        pytest.param(
            "成华区建设路58号万科金域西岭二期7幢",
            "建设路58号万科金域西岭2期7幢",
            "建设58",
            "成华区",
            id="a phase in words",
        ),  # fmt: skip
    ],
)
def test_another_citys_address_folds_to_one_key(
    formal: str, terse: str, key: str, district: str | None
) -> None:
    one, other = parse_address(formal), parse_address(terse)
    assert (one.key, other.key) == (key, key)
    assert one.district == district


@pytest.mark.unit
def test_a_citys_divisions_in_the_settings_are_read_as_lanzhous(settings: MatchSettings) -> None:
    # A short form (锦江 for 锦江区) starting an address cannot be told from a road's name by form alone;
    # listed in the settings, the city's divisions are read like the taxonomy's.
    rows = frame([
        record("app:1", address="锦江白塔街与读者大道交叉口", district="锦江"),
        record("app:2", address="锦江区白塔街", district="成都市锦江区"),
    ])  # fmt: skip
    by_form = standardise(rows, settings)
    assert by_form["address_key"].tolist() == ["锦江白塔", "白塔"]
    city = dataclasses.replace(settings, divisions=("锦江区", "青羊区"))
    listed = standardise(rows, city)
    assert listed["address_key"].tolist() == ["白塔", "白塔"]
    assert listed["address_district"].tolist() == ["锦江区", "锦江区"]
    assert listed["district_norm"].tolist() == ["锦江区", "锦江区"]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "key"),
    [
        pytest.param("东部市场3号", "东部市场", id="a market, not a city"),
        pytest.param("新城市广场5楼", "新城市广场", id="a square whose name holds 城市"),
        pytest.param("宁波市新城市广场5楼", "新城市广场", id="a square whose name holds 城市, after a city"),
        pytest.param("金港城小区3号楼", "金港城", id="a compound's 小区 is no district"),
        pytest.param("兰州新区产业园区路5号", "产业园区5", id="a road named for a park"),
        pytest.param("西湖社区", "西湖", id="a community, not a district"),
    ],
)
def test_names_that_look_like_divisions_are_places(raw: str, key: str) -> None:
    assert parse_address(raw).key == key


@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        pytest.param("城关", "城关区", id="lanzhou short form"),
        pytest.param("兰州市城关区", "城关区", id="lanzhou with its city"),
        pytest.param("620102", "城关区", id="lanzhou code"),
        pytest.param("成都市武侯区", "武侯", id="another city's district"),
        pytest.param("武侯区", "武侯", id="its full name"),
        pytest.param("武侯", "武侯", id="its short form"),
        pytest.param("上海市浦东新区", "浦东新区", id="a 新区 keeps its name"),
        pytest.param("城关区张掖路街道", "城关区", id="lanzhou district and its street"),
        pytest.param("榆中县和平镇", "榆中县", id="lanzhou county and its town"),
        pytest.param("武侯区玉林街道", "武侯", id="another city's district and its street"),
        pytest.param("不详", None, id="placeholder"),
    ],
)
def test_district_field_names_any_citys_division(raw: str, norm: str | None, settings: MatchSettings) -> None:
    std = standardise(frame([record("app:A1", district=raw)]), settings)
    assert std["district_norm"].iloc[0] == norm


PLACEHOLDERS = [
    "无",
    "不详",
    "暂无",
    "未提供",
    "地址不详",
    "NULL",
    "null",
    "N/A",
    "#N/A",
    "nan",
    "同上",
    "见附件",
    "0",
]


@pytest.mark.unit
@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
def test_a_placeholder_in_any_field_is_no_value(placeholder: str, settings: MatchSettings) -> None:
    # Every record typed 不详 would otherwise share one address, district, category and name.
    row = record("app:A1", name=placeholder, address=placeholder, district=placeholder, category=placeholder)
    std = standardise(frame([row]), settings)
    for column in ("name_norm", "name_surname", "address_norm", "address_key", "address_place", "district_norm",
                   "category_norm"):  # fmt: skip
        assert std[column].iloc[0] is None, column


@pytest.mark.unit
@pytest.mark.parametrize(
    ("filed", "category"),
    [
        pytest.param("劳资纠纷", "劳资纠纷", id="a label"),
        pytest.param("民生诉求/劳资纠纷", "劳资纠纷", id="a path's last step"),
        pytest.param("城乡建设 > 物业管理 > 供暖", "供暖", id="a deeper path, spaced"),
        pytest.param("劳动保障－劳资纠纷", "劳资纠纷", id="full-width dash"),
        pytest.param("劳资纠纷/", "劳资纠纷", id="a trailing separator"),
        pytest.param("劳动保障/其他", None, id="a catch-all step says nothing"),
        pytest.param("N/A", None, id="N/A is no path"),
    ],
)
def test_a_category_filed_as_a_path_is_its_last_step(
    filed: str, category: str | None, settings: MatchSettings
) -> None:
    std = standardise(frame([record("hotline:1", category=filed)]), settings)
    assert std["category_norm"].iloc[0] == category


@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "flat"),
    [
        pytest.param("甘肃省兰州市安宁区孔家崖路386号名都嘉园14号楼5单元1403", "r14-5-1403", id="号楼 单元"),
        pytest.param("孔家崖路386号名都嘉园14栋5单元1403室", "r14-5-1403", id="栋 单元 室"),
        pytest.param("城关区雁滩路304号鸿运名邸3-2-501", "r3-2-501", id="dashed"),
        pytest.param("安宁区某小区五号楼二单元三零二", "r5-2-302", id="numerals in words"),
        pytest.param("城关区雁滩路304号5号楼2门501", "r5-2-501", id="门 for 单元"),
        pytest.param("城关区雁滩路304号院5#2-501", "r5-2-501", id="5#: the building's number sign"),
        pytest.param("城关区雁滩路304号5#楼2单元501", "r5-2-501", id="5#楼"),
        pytest.param("城关区雁滩路304号5栋2单元5楼501", "r5-2-501", id="a floor before the room"),
        pytest.param("城关区雁滩路304号5栋2-501", "r5-2-501", id="a building, then unit and room dashed"),
        pytest.param("城关区雁滩路304号鸿运名邸B栋2单元501", "rB-2-501", id="a lettered building"),
        pytest.param("城关区雁滩路304号2门市部", None, id="a 门市 is a shop, no flat"),
        pytest.param("城关区庆阳路88号金城大厦1501室", None, id="a room without a unit: maybe an office"),
        pytest.param("西固区福利西路12-3号", None, id="a dashed house number is no flat"),
        pytest.param("甘肃省兰州市西固区新城镇红旗村9社69号", None, id="a village house"),
    ],
)
def test_address_flat_is_the_flat_down_to_its_unit(
    raw: str, flat: str | None, settings: MatchSettings
) -> None:
    std = standardise(frame([record("app:A1", address=raw)]), settings)
    assert std["address_flat"].iloc[0] == flat


@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("拖欠其2026年3月至6月工资32000元", "a32000 d202603", id="sum and month"),
        pytest.param("工资共计3.2万元", "a32000", id="万 folded to yuan"),
        pytest.param("一共欠了３２０００元", "a32000", id="full-width digits"),
        pytest.param("欠了27,900元", "a27900", id="thousands separator"),
        pytest.param("工资3万余元", "b30000-40000", id="approximate sum is a range"),
        pytest.param("2024年8月1日交房", "d20240801", id="date"),
        pytest.param("噪音都11个月了", "t11m", id="duration"),
        pytest.param("报警称被拖欠工资", None, id="terse police text"),
        pytest.param("联系电话138****1234，要求退款", None, id="a masked phone is no number"),
        pytest.param("身份证号620102********9924，欠款5000元", "a5000", id="a masked id is no number"),
        pytest.param("联系人电话138xxxx1234", None, id="masked with x"),
    ],
)
def test_content_facts(raw: str, expected: str | None) -> None:
    assert content_facts(raw) == expected


@pytest.mark.unit
def test_standardise_adds_prefixed_columns_and_keeps_input(settings) -> None:  # type: ignore[no-untyped-def]
    rows = frame([record("app:1", name="章伟", phone="+86 13893112345", address="兰州市城关区永昌路88号院",
                         district="城关", category="劳资欠薪", reported_at="2026-11-20T10:00:00+08:00")])  # fmt: skip
    out = standardise(rows, settings)
    assert out.loc[0, "name_pinyin"] == "zhangwei"
    assert out.loc[0, "phone_norm"] == "13893112345"
    assert bool(out.loc[0, "phone_mobile"]) is True
    assert out.loc[0, "address_key"] == "永昌88"
    assert out.loc[0, "district_norm"] == "城关区"
    assert out.loc[0, "reported_days"] > 20000
    assert out.loc[0, "name"] == "章伟"


@pytest.mark.unit
def test_a_report_filed_for_someone_else_is_flagged(settings) -> None:  # type: ignore[no-untyped-def]
    rows = frame([
        record("petition:1", name="刘建军", content="信访人系当事人王玉兰的儿子,代为来访。反映过渡费停发"),
        record("app:2", name="王玉兰", content="过渡费已停发多月"),
        record("police:3", name="张三", content="当事人张三与李四发生纠纷"),  # two parties: nobody represented
        record("police:4", name="李四"),
    ])  # fmt: skip
    out = standardise(rows, settings)
    assert out["content_proxy"].tolist() == [True, False, False, None]
    assert out.loc[0, "name_norm"] == "王玉兰"  # the person it is filed for, in the name columns


@pytest.mark.unit
def test_worker_processes_give_the_same_columns(settings, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from matching import _workers

    monkeypatch.setattr(_workers, "PARALLEL_MIN_VALUES", 2)
    rows = frame(record(f"app:{i}", name=name, phone=f"1389311{i:04d}", address=f"城关区永昌路{i}号", content=f"欠{i}00元",
                        id_number="11010519491231002X")
                 for i, name in enumerate(["张伟", "章伟", "李娜", "王芳"] * 3))  # fmt: skip
    rows.loc[0, "content"] = "信访人系当事人李博财的女儿，代为来访"  # a blanked id travels back from a worker
    serial = standardise(rows, dataclasses.replace(settings, workers=1))
    parallel = standardise(rows, dataclasses.replace(settings, workers=2))
    assert serial.equals(parallel)
    assert parallel.loc[0, "id_norm"] is None and parallel.loc[1, "id_norm"] == "11010519491231002X"


@pytest.mark.unit
def test_report_times_read_as_pandas_strings_parse_like_objects(settings) -> None:  # type: ignore[no-untyped-def]
    times = ["2026-11-20T10:00:00+08:00", "2026-11-20 02:00:00Z", "2026/11/21 10:00", None, "昨天"]
    rows = frame([record(f"app:{i}", reported_at=value) for i, value in enumerate(times)])
    as_objects = standardise(rows, settings)["reported_days"].tolist()
    as_strings = standardise(rows.astype({"reported_at": "str"}), settings)["reported_days"].tolist()
    assert as_strings[:3] == as_objects[:3]
    assert as_strings[0] == pytest.approx(as_strings[1])  # 10:00 Beijing time is 02:00 UTC
    # A naive time is China's, as the connectors read a source's (connectors.base.parse_timestamp).
    assert as_strings[2] - as_strings[0] == pytest.approx(1)
    assert all(v != v for v in as_strings[3:])  # missing and unreadable: NaN, not an error


@pytest.mark.unit
@pytest.mark.parametrize(
    "written",
    ["2026-01-01 09:00:00", "2026/01/01 09:00", "2026-01-01T01:00:00Z", "2026-01-01T09:00:00+0800"],
)
def test_a_report_time_without_an_offset_is_chinas(written: str, settings: MatchSettings) -> None:
    rows = [record("app:1", reported_at="2026-01-01T09:00:00+08:00"), record("app:2", reported_at=written)]
    days = standardise(frame(rows), settings)["reported_days"]
    assert days.iloc[1] == pytest.approx(days.iloc[0], abs=1e-6)


@pytest.mark.unit
def test_to_simplified_folds_only_what_the_table_changes() -> None:
    from chinese_text import t2s_table, to_simplified

    assert to_simplified("工資拖欠三個月 永昌路88號") == "工资拖欠三个月 永昌路88号"
    assert to_simplified("兰州市城关区") == "兰州市城关区"
    beyond = next(chr(code) for code in t2s_table() if code > 0xFFFF)
    assert to_simplified(f"张{beyond}") == f"张{t2s_table()[ord(beyond)]}"


def _fails(value: object) -> tuple[object]:
    raise ValueError(f"cannot read {value!r}")


def _slow(value: object) -> tuple[object]:
    time.sleep(0.005)
    return (value,)


@pytest.mark.unit
def test_an_error_in_one_field_stops_the_queued_work_of_the_others() -> None:
    from matching._workers import PARALLEL_MIN_VALUES, apply_later, worker_pool

    values = list(range(PARALLEL_MIN_VALUES))
    began = time.perf_counter()
    with pytest.raises(ValueError, match="cannot read"), worker_pool(2, len(values)) as pool:
        failing = apply_later(_fails, values, pool, 2)
        apply_later(_slow, values, pool, 2)  # 50 s of work on two workers, queued behind the failure
        failing()
    assert time.perf_counter() - began < 10


@pytest.mark.unit
def test_a_daemonic_process_standardises_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing
    from types import SimpleNamespace

    from matching._workers import worker_pool

    with worker_pool(2, 1_000_000) as pool:
        assert pool is not None
    # A Celery pool process is daemonic and may not start children: the work stays in it.
    monkeypatch.setattr(multiprocessing, "current_process", lambda: SimpleNamespace(daemon=True))
    with worker_pool(2, 1_000_000) as pool:
        assert pool is None


@pytest.mark.unit
@pytest.mark.parametrize(
    ("reported_at", "content", "facts"),
    [
        pytest.param(
            "2026-01-06T14:47:00+08:00", "其于去年7月29号在医院住院", "d20250729", id="去年 and a day"
        ),
        pytest.param("2026-03-10T09:00:00+08:00", "上个月12号被打伤", "d20260212", id="上个月 and a day"),
        pytest.param("2026-03-10T09:00:00+08:00", "工资三个月前就该发了", "d202512", id="三个月前"),
        pytest.param(
            "2026-03-10T09:00:00+08:00", "去年10月交的房款32000元", "a32000 d202510", id="去年10月, a sum"
        ),
        # 07:00 in China on 1 January is 31 December in UTC: the day said is China's.
        pytest.param(
            "2026-01-01T07:00:00+08:00", "上个月12号被打伤", "d20251212", id="China's day, not UTC's"
        ),
        pytest.param("2026-01-01 07:00:00", "上个月12号被打伤", "d20251212", id="a naive time is China's"),
        pytest.param(None, "上个月12号被打伤", None, id="no report time: no date"),
    ],
)
def test_facts_said_relative_to_the_report_are_read_on_its_day(
    reported_at: str | None, content: str, facts: str | None, settings: MatchSettings
) -> None:
    rows = [record("app:1", reported_at=reported_at, content=content)]
    assert standardise(frame(rows), settings)["content_facts"].iloc[0] == facts


@pytest.mark.unit
def test_one_text_reported_on_two_days_names_two_dates(settings: MatchSettings) -> None:
    # A forwarded order copies the text: its 上个月 is the month before the day each copy was filed.
    rows = [record("app:1", reported_at="2026-03-10T09:00:00+08:00", content="上个月12号被打伤"),
            record("app:2", reported_at="2026-04-02T09:00:00+08:00", content="上个月12号被打伤")]  # fmt: skip
    assert standardise(frame(rows), settings)["content_facts"].tolist() == ["d20260212", "d20260312"]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("reported_at", "content", "facts"),
    [
        pytest.param("2026-03-10T09:00:00+08:00", "合同约定8月1号交房", "d20250801 m0801", id="a day later in the year: last year's"),
        pytest.param("2026-11-20T09:00:00+08:00", "合同约定8月1号交房", "d20260801 m0801", id="an earlier day: this year's"),
        pytest.param("2026-11-20T09:00:00+08:00", "十月份的工资没发", "d202610 m10", id="a month"),
    ],
)  # fmt: skip
def test_a_day_said_without_its_year_is_dated_by_the_report(
    reported_at: str, content: str, facts: str, settings: MatchSettings
) -> None:
    rows = [record("app:1", reported_at=reported_at, content=content)]
    assert standardise(frame(rows), settings)["content_facts"].iloc[0] == facts


@pytest.mark.unit
@pytest.mark.parametrize(
    "marked",
    [
        pytest.param("<p>拖欠工资3万元，2024年8月开工</p>", id="tags"),
        pytest.param(
            "拖欠工资3&nbsp;万元，2024年8月开工", id="a non-breaking space between a number and its unit"
        ),
        pytest.param("拖欠&#24037;&#36164;3万元，2024&#24180;8月开工", id="numeric character references"),
        pytest.param("拖欠工资3万元，<br/>2024年8月开工", id="a line break tag"),
    ],
)
def test_a_description_with_web_markup_reads_as_the_text_it_shows(
    marked: str, settings: MatchSettings
) -> None:
    # A message board's export keeps its markup; 3&nbsp;万元 was no sum, 2024&#24180;8月 no date.
    plain = "拖欠工资3万元，2024年8月开工"
    std = standardise(
        frame([record("netizen:1", content=marked), record("netizen:2", content=plain)]), settings
    )
    for column in ("content_facts", "content_topics"):
        assert std[column].iloc[0] == std[column].iloc[1], column
    assert std["content_facts"].iloc[0] == "a30000 d202408"


@pytest.mark.unit
@pytest.mark.parametrize("text", ["A&B公司欠款", "小于<5万", "拖欠工资3万元"])
def test_text_without_markup_is_left_as_it_is(text: str) -> None:
    assert without_markup(text) == text


@pytest.mark.unit
def test_a_description_in_full_width_characters_reads_as_its_half_width_form(settings: MatchSettings) -> None:
    # The description's readers get its distinct values folded once (full-width digits, letters, asterisks
    # and punctuation as ASCII), so each reads the same text a half-width writer sent.
    wide = "拖欠工资３２０００元，联系电话：１３８＊＊＊＊５６７８，ＴＥＬ"
    narrow = "拖欠工资32000元,联系电话:138****5678,TEL"
    assert distinct_values(pd.Series([wide, None, wide]))[1] == [narrow]
    std = standardise(
        frame([record("netizen:1", content=wide), record("netizen:2", content=narrow)]), settings
    )
    content = [c for c in std.columns if c.startswith("content_")]
    assert std[content].iloc[0].equals(std[content].iloc[1])
    assert std["content_facts"].iloc[0] == "a32000"


@pytest.mark.unit
def test_a_long_run_of_pinyin_that_never_splits_is_read_at_once() -> None:
    # 'anan…q' has an exponential number of partial splits; tried one by one it took minutes.
    typed = "an" * 40 + "q"
    assert normalize_name(typed) == (typed, typed, typed, typed)


@pytest.mark.unit
def test_a_name_field_of_thousands_of_letters_is_read_as_itself() -> None:
    # Longer than four syllables of six letters is no pinyin name; splitting it anyway copied every tail's
    # split, quadratic in memory (50,000 letters: 10 GB, minutes). benchmarks/match_long_fields.py times it.
    typed = "a" * 50_000
    assert normalize_name(typed) == (typed, typed, typed, typed)
    assert normalize_name("Zhuang Shuang")[3] == "zhuang"  # the longest syllables still read


@pytest.mark.unit
def test_a_text_speaking_for_a_crew_is_flagged(settings) -> None:  # type: ignore[no-untyped-def]
    rows = frame([
        record("petition:1", name="汪世杰", content="拖欠其及十三名工友工资331000元"),
        record("petition:2", name="汪世杰", content="拖欠其工资2.69万元"),  # no cue: not read
        record("app:3", name="陈涛", content="我们一共34个人774300元，欠我41200元"),
        record("police:4", name="李四"),
    ])  # fmt: skip
    out = standardise(rows, settings)
    assert out["content_group"].fillna(False).tolist() == [True, False, True, False]
    assert out.loc[0, "content_facts"] == "a331000"  # the sums are still read and compared
