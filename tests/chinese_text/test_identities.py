"""One table of how people write phones and ids, checked against every mask that shows text to someone."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pytest

from chinese_text.identities import find_identities
from expectations._masking import masked
from matching._masking import mask_free_text
from warehouse.derive.columns import mask_identities

pytestmark = pytest.mark.unit

MASKS: dict[str, Callable[[str], str | None]] = {
    "warehouse content_masked": mask_identities,
    "validation sample (content)": lambda text: masked("content", text),
    "validation sample (street)": lambda text: masked("street", text),
    "matcher report": mask_free_text,
}

# Written as people write them: every one must come out of every mask with no run of its digits left.
IDENTITIES = [
    pytest.param("电话13893112345请回电", id="mobile"),
    pytest.param("电话138-9311-2345", id="mobile with hyphens"),
    pytest.param("电话138 9311 2345", id="mobile with spaces"),
    pytest.param("电话138.9311.2345", id="mobile with dots"),
    pytest.param("电话+8613912345678", id="country code"),
    pytest.param("电话+86 139 1234 5678", id="country code spaced"),
    pytest.param("电话0086-13912345678", id="0086 prefix"),
    pytest.param("电话（+86）13912345678", id="country code in brackets"),
    pytest.param("电话１３８９３１１２３４５", id="full-width mobile"),
    pytest.param("电话１３８－９３１１－２３４５", id="full-width with full-width hyphens"),
    pytest.param("电话138\u30009311\u30002345", id="ideographic spaces"),
    pytest.param("身份证62010219870315123X", id="identity number"),
    pytest.param("身份证620102 19870315 1236", id="identity number spaced 6-8-4"),
    pytest.param("身份证620102-1987-0315-123x", id="identity number 6-4-4-4"),
    pytest.param("身份证６２０１０２１９８７０３１５１２３Ｘ", id="full-width identity number"),
    pytest.param("身份证620102870315123", id="15-digit identity number"),
    pytest.param("座机0931-8123456", id="landline"),
    pytest.param("座机8123456", id="local landline"),
    pytest.param("2024年13893112345", id="phone after a year"),
]
# Not personal: every mask leaves these as they are.
READABLE = [
    pytest.param("投资1980000元,欠款45000元", id="sums of money"),
    pytest.param("欠款1 460 000 元", id="spaced sum"),
    pytest.param("2019-2023年拖欠工资", id="year range"),
    pytest.param("2024-03-15 10:30来电", id="date and time"),
    pytest.param("永昌路88号3单元502室", id="house number"),
    pytest.param("拨打12345热线", id="hotline number"),
]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("text", IDENTITIES)
@pytest.mark.parametrize("mask", list(MASKS))
def test_every_mask_hides_every_way_of_writing_a_number(mask: str, text: str) -> None:
    shown = MASKS[mask](text)
    assert shown is not None and shown != text
    # However a mask renders what it keeps (138****2345, 620102********123X, 138********45), a third of
    # the digits and at least three are hidden, and no seven digits are left in a row.
    hidden = len(_digits(text)) - len(_digits(shown))
    assert hidden >= max(3, len(_digits(text.split("年")[-1])) / 3), shown
    assert not re.search(r"\d{7}", unicodedata.normalize("NFKC", shown)), shown


@pytest.mark.parametrize("text", READABLE)
@pytest.mark.parametrize("mask", list(MASKS))
def test_what_is_not_personal_stays_readable(mask: str, text: str) -> None:
    assert MASKS[mask](text) == text
    assert find_identities(text) == []
