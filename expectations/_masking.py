"""Masking personal data in what validation keeps: sample values and GX's own result documents."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from chinese_text.identities import keep_ends as mask
from chinese_text.identities import sub_identities

SENSITIVE_COLUMNS = frozenset({"name", "phone", "id_number"})
"""Columns whose sample values are masked in outcomes (personal information, DESIGN §6.6)."""

FREE_TEXT_COLUMNS = frozenset({"content", "address"})
"""Columns where citizens type phone and identity numbers into the text. Every other column's sample is
masked the same way (a number typed into a street or a status is no less personal); these are named for
the documentation and the callers that relied on them."""

SAMPLE_SIZE = 5
_SURROGATE = re.compile("[\ud800-\udfff]")
# GX lists every failing value and row in COMPLETE results; audit copies keep masked samples only.
_UNMASKED_RESULT_KEYS = (
    "unexpected_list",
    "unexpected_index_list",
    "partial_unexpected_index_list",
    "unexpected_index_query",
)


def _is_missing(value: Any) -> bool:
    import pandas as pd

    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def masked(column: str | None, value: Any) -> str:
    """A sample value as text, masked as its column requires (``"a,b"`` for a column pair).

    Args:
        column: the column(s) the value came from.
        value: the value; ``None``/NaN/NaT become ``<null>``.

    Returns:
        The text to store or show.
    """
    if _is_missing(value):
        return "<null>"
    # A lone surrogate cannot be encoded for the database or a report: show U+FFFD in its place.
    text = _SURROGATE.sub("\ufffd", value.isoformat() if hasattr(value, "isoformat") else str(value))
    parts = set(str(column or "").split(","))
    if parts & SENSITIVE_COLUMNS:
        return mask(text)
    # Phones and identity numbers however written (chinese_text.identities: separators, +86, full-width
    # digits, spaced ids), in free text and in any other column a value came from.
    return sub_identities(text, mask)


def masked_document(result: Any, column_of: Callable[[Any], str | None]) -> dict[str, Any]:
    """GX's ``ExpectationSuiteValidationResult`` as JSON with every failing value and key masked or dropped.

    Args:
        result: the suite validation result.
        column_of: names the column(s) of an expectation (``"a,b"`` for pairs).

    Returns:
        The JSON document; Data Docs render it as they would the original.
    """
    document: dict[str, Any] = result.to_json_dict()
    for outcome, item in zip(result.results, document.get("results", []), strict=True):
        column = column_of(outcome.expectation_config.to_domain_obj())
        if column and "," not in column:
            # GX leaves a default column out of the kwargs; Data Docs need it to say what was checked.
            item["expectation_config"]["kwargs"].setdefault("column", column)
        details = item.get("result") or {}
        for key in _UNMASKED_RESULT_KEYS:
            details.pop(key, None)
        if "partial_unexpected_list" in details:
            details["partial_unexpected_list"] = [
                masked(column, value) for value in details["partial_unexpected_list"][:SAMPLE_SIZE]
            ]
        if "partial_unexpected_counts" in details:
            details["partial_unexpected_counts"] = [
                {"value": masked(column, c.get("value")), "count": c.get("count")}
                for c in details["partial_unexpected_counts"][:SAMPLE_SIZE]
            ]
    return document
