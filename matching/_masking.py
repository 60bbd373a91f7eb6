"""Personal data as reviewers and reports see it: phones and ids as ``138******45``, names as ``张*``."""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

# Seven or more digits (full-width too) is a mobile, a landline or an identity number; a sum of money
# (1460000元) is followed by its unit and stays readable, because the facts comparison reads it.
_IDENTITY_DIGITS = re.compile(r"(?<![0-9０-９])[0-9０-９]{7,}[XxＸｘ]?(?![0-9０-９])(?!\s*[元块万千百wW])")
_SPACED_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9][\s-][0-9]{4}[\s-][0-9]{4}(?![0-9])")
_MASKED_AS_NUMBER = frozenset({"phone", "id_number"})
_MASKED_AS_TEXT = frozenset({"address", "text", "facts", "label"})
TEXT_LIMIT = 160


def mask(text: str) -> str:
    """Keep the first three and last two characters (``138******45``); short values are all stars."""
    return "*" * len(text) if len(text) <= 5 else f"{text[:3]}{'*' * (len(text) - 5)}{text[-2:]}"


def mask_name(text: str) -> str:
    """A name as ``张*``: the surname's first character, then a star per further character."""
    text = text.strip()
    return f"{text[:1]}{'*' * max(len(text) - 1, 1)}" if text else ""


def mask_free_text(text: str) -> str:
    """Free text (an address, a description) with phone and identity numbers typed into it masked."""
    return _SPACED_MOBILE.sub(
        lambda m: mask(m.group()), _IDENTITY_DIGITS.sub(lambda m: mask(m.group()), text)
    )


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
    return text
