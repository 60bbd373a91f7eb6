"""A raw payload as the console shows it: personal keys masked whole, numbers in free text masked."""

from __future__ import annotations

from typing import Any

import pytest

from console.masking import mask_payload

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("source", "payload", "expected"),
    [
        pytest.param(
            "police",
            {"接警单编号": "J620100202611200001", "报警人姓名": "李娜", "报警人电话": "13912345678"},
            {"接警单编号": "J620100202611200001", "报警人姓名": "李**", "报警人电话": "139******78"},
            id="police: the connector's keys, the record id kept",
        ),
        pytest.param(
            "petition",
            {
                "xfjbh": "XF20261120000237",
                "xfrxm": "王静",
                "xfrsfzh": "620102199001012007",
                "lxdh": "13900000026",
            },
            {
                "xfjbh": "XF20261120000237",
                "xfrxm": "王**",
                "xfrsfzh": "620*************07",
                "lxdh": "139******26",
            },
            id="petition: pinyin keys",
        ),
        pytest.param(
            "hotline",
            {"content": "来电人张三电话 138 1234 5678,身份证620102199001011234"},
            {"content": "来电人张**电话 138********78,身份证620*************34"},
            id="numbers and the name in free text",
        ),
        pytest.param(
            "netizen",
            {"messages": [{"real_name": "赵六", "phone": None, "content": "欠薪1980000元"}]},
            {"messages": [{"real_name": "赵**", "phone": None, "content": "欠薪1980000元"}]},
            id="nested, a sum of money stays",
        ),
    ],
)
def test_personal_values_are_masked(source: str, payload: dict[str, Any], expected: dict[str, Any]) -> None:
    names = ("张三",) if source == "hotline" else ()
    assert mask_payload(payload, source, names) == expected


def test_the_stored_payload_is_not_changed() -> None:
    payload = {"报警人电话": "13912345678"}
    mask_payload(payload, "police")
    assert payload == {"报警人电话": "13912345678"}
