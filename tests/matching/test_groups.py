"""Texts that speak for many people's money: their sums need not be the filer's own."""

from __future__ import annotations

import pytest

from matching._groups import speaks_for_group

GROUP = [
    "拖欠其及13名工友工资331000元",
    "信访人系班组长，代表70多名农民工反映",
    "我自己四万多，总共1338100元，找了好多次都说没钱",
    "我们一共34个人774300元",
    "共计334857元，其本人被欠二万多",
    "其与其他二十几名工人工资共计11万余元未结清",
    "我們一共34個人774300元",  # traditional characters
    "弘毅建筑拖欠昌盛商业综合体一期工地防水班组工人工资四十七万",
    "老板欠工友们的工资不给",
]
ONE_PERSON = [
    "信访人等60人反映：其投入1920000元无法取回",  # the signers counted; the sum is the filer's own
    "信访人等60人反映其投入1920000元无法取回",
    "花了9400元，恒源教育突然关门，涉及会员194人",  # the members counted, not summed
    "拖欠其工资2.69万元，其多次到项目部讨要未果",
    "其住和平家园一期8幢4单元204室，楼上漏水",
    "一共花了3万，车还没修好",
    "与邻居发生纠纷，对方推人",
    "",
    None,
]


@pytest.mark.unit
@pytest.mark.parametrize("text", GROUP)
def test_a_text_counting_the_people_it_speaks_for_is_a_groups(text: str) -> None:
    assert speaks_for_group(text)


@pytest.mark.unit
@pytest.mark.parametrize("text", ONE_PERSON)
def test_one_persons_words_are_not_a_groups(text: str | None) -> None:
    assert not speaks_for_group(text)
