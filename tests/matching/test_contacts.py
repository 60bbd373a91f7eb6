"""A mobile the filer gives in the words of a report sent without a phone (a message board's)."""

from __future__ import annotations

from typing import Any

import pytest

from matching import standardise
from matching._contacts import phone_in_text

from .conftest import frame, record

OWN = [
    ("实在没办法了才来留言，希望领导管一哈！我的电话18200888902", "18200888902"),
    ("联系电话：182-0088-8902", "18200888902"),
    ("我手机号是139 1234 5678，请回电", "13912345678"),
    ("本人电话:13912345678", "13912345678"),
    ("我的电话13912345678，老婆电话13812345678", "13912345678"),  # hers is not read
]
NONE = [
    "联系电话：131****5628",  # masked: many people's
    "老板电话13912345678一直不接",  # the other side's
    "我的电话13912345678，我的手机13812345678",  # two of their own: which one is unclear
    "打了12345热线",
    None,
]


@pytest.mark.unit
@pytest.mark.parametrize(("text", "number"), OWN)
def test_the_writers_own_mobile_is_read_from_the_words(text: str, number: str) -> None:
    assert phone_in_text(text) == number


@pytest.mark.unit
@pytest.mark.parametrize("text", NONE)
def test_no_number_or_someone_elses_gives_nothing(text: str | None) -> None:
    assert phone_in_text(text) is None


@pytest.mark.unit
def test_the_words_fill_only_a_report_sent_without_a_phone(settings: Any) -> None:
    rows = frame([
        record("netizen:1", name="成都耙耳朵8278", content="押金6千多也不退。我的电话13131975628"),
        record("app:2", name="胡志萍", phone="13131975628", content="押金6000元都不退"),
        record("hotline:3", name="李娜", phone="13893112345", content="我的电话13131975628"),  # its own field wins
        record("netizen:4", name="网友", content="押金不退"),
    ])  # fmt: skip
    out = standardise(rows, settings).set_index("record_id")
    assert out["phone_norm"].tolist() == ["13131975628", "13131975628", "13893112345", None]
    assert out["phone_mobile"].tolist() == [True, True, True, False]
