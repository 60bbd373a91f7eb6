"""Personal data as reviewers and reports see it: phones and ids as ``138******45``, names as ``张*``."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from chinese_text.identities import keep_ends as mask
from chinese_text.identities import sub_identities
from matching.specs import FieldSpec

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


def column_kinds(fields: Iterable[FieldSpec]) -> dict[str, str]:
    """Per input column, the standardiser of the first field that reads it: the column's own reader (the
    name's ``person_name``), not a later one reading more from it (``account_handle``, ``masked_phone``),
    so that the column is masked as what it is."""
    kinds: dict[str, str] = {}
    for spec in fields:
        kinds.setdefault(spec.column, spec.standardiser)
    return kinds


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
