"""Personal data as reviewers and reports see it: phones and ids as ``138******45``, names as ``张*``."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from chinese_text.identities import keep_ends as mask
from chinese_text.identities import sub_identities

_MASKED_AS_NUMBER = frozenset({"phone", "id_number"})
_MASKED_AS_TEXT = frozenset({"address", "text", "facts", "label"})
TEXT_LIMIT = 160


def mask_name(text: str) -> str:
    """A name as ``张*``: the surname's first character, then a star per further character."""
    text = text.strip()
    return f"{text[:1]}{'*' * max(len(text) - 1, 1)}" if text else ""


def mask_free_text(text: str) -> str:
    """Free text (an address, a description) with phone and identity numbers typed into it masked.

    What counts as one (a run of seven digits, or a phone or id written with separators, a country code
    or full-width digits) is :mod:`chinese_text.identities`, shared with the warehouse and validation; a
    sum of money (1460000元) stays readable, because the facts comparison reads it.
    """
    return sub_identities(text, mask)


def masked_value(kind: str | None, value: Any) -> str:
    """A record's value as the report shows it, by the standardiser that reads its column."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    text = str(value)
    if kind == "person_name":
        return mask_name(text)
    if kind in _MASKED_AS_NUMBER:
        return mask(text)
    if kind in _MASKED_AS_TEXT:
        return mask_free_text(text[:TEXT_LIMIT] + ("…" if len(text) > TEXT_LIMIT else ""))
    return mask_free_text(text)  # a number typed into any other column is no less personal
