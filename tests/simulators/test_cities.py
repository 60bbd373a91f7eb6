"""The simulated world moved to another city: the names a benchmark writes in its place."""

from __future__ import annotations

import pytest

from simulators.cities import CITIES, relocate_address, relocate_district

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("lanzhou", "chengdu"),
    [
        pytest.param("甘肃省兰州市城关区永昌路88号", "四川省成都市锦江区永昌路88号", id="formal"),
        pytest.param(
            "兰州市七里河区西湖街道金港城小区3号楼", "成都市青羊区西湖街道金港城小区3号楼", id="city"
        ),
        pytest.param("西固区福利西路12-3号", "金牛区福利西路12-3号", id="district"),
        pytest.param("城关白塔街与读者大道交叉口", "锦江白塔街与读者大道交叉口", id="short district"),
        pytest.param("城关镇兴隆路5号", "城关镇兴隆路5号", id="a town keeps its name"),
        pytest.param("兰州新区兰石嘉园", "天府新区兰石嘉园", id="兰州新区 is a district, not 兰州 + 新区"),
        pytest.param("新区会兴公馆二期项目", "天府新区会兴公馆二期项目", id="新区 for 兰州新区"),
        pytest.param("康乐街589号兰州新区吾悦广场", "康乐街589号天府新区吾悦广场", id="inside"),
        pytest.param("北滨河西路盛宏装饰公司", "北滨河西路盛宏装饰公司", id="no division"),
    ],
)
def test_relocate_address_writes_the_other_citys_divisions(lanzhou: str, chengdu: str) -> None:
    assert relocate_address(lanzhou, CITIES["chengdu"]) == chengdu


def test_relocate_district_maps_each_division_to_its_own() -> None:
    for city in CITIES.values():
        assert len(set(city.districts.values())) == len(city.districts)
        assert relocate_district("七里河区", city) == city.districts["七里河区"]
        assert relocate_district("不详", city) == "不详"
