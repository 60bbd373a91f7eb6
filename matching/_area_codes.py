"""The landline area code a city's records carry, read off the records themselves.

A local landline is written with its area code (0551-65123456, (0871)63123456) or without it (65123456),
and the two forms must normalise to one number. Which code a bare number has is the city's: the packaged
settings say ``auto``, and the code most landlines written with one carry is taken, so that Hefei's
records read 65123456 as 0551's without a settings file. Where too few landlines carry a code, or none
carries most of them, the fallback (Lanzhou's 0931) is used and the log says so.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

import numpy as np

log = logging.getLogger(__name__)

AUTO = "auto"
FALLBACK = "0931"
# Fewer landlines than this written with a code say nothing about the city's, nor does a code fewer than
# half of them carry (a county's own code beside the city's is common; a city split evenly is not one).
MIN_LANDLINES = 20
MIN_SHARE = 0.5
_SPLIT = re.compile(r"[/,，;；、或]|\s{2,}")
_NOT_DIGIT = re.compile(r"\D")


def landline_area_code(number: str) -> str | None:
    """The area code a number written with one carries (0551 of 0551-65123456 and +86 551 6512 3456; 010
    of 010-62345678), or ``None``: a mobile, a number without a code, a service number, not a landline.

    Args:
        number: one number as written, separators and all.

    Returns:
        The code with its trunk 0 (three digits for 010 and 02x, four for the rest).
    """
    digits = _NOT_DIGIT.sub("", number)
    if digits.startswith("0086"):
        digits = "0" + digits[4:]
    elif digits.startswith("86") and len(digits) in (11, 12, 13):
        digits = "0" + digits[2:]
    if not 10 <= len(digits) <= 12 or digits[0] != "0" or digits[1] == "0":
        return None
    code = digits[:3] if digits[1] in "12" else digits[:4]
    local = digits[len(code) :]
    if code.startswith("01") and code != "010":
        return None  # 013893112345: a mobile dialled with the trunk 0
    if len(local) not in (7, 8) or local[0] in "01":
        return None
    return code


def city_area_code(codes: np.ndarray, values: Sequence[object]) -> tuple[str | None, int, int]:
    """The area code most of a phone column's landlines written with one carry.

    Args:
        codes: each record's index into ``values`` (-1 for null), as :func:`pandas.factorize` gives.
        values: the column's distinct values.

    Returns:
        ``(code, records carrying it, records with a landline written with a code)``; ``code`` is
        ``None`` when fewer than :data:`MIN_LANDLINES` landlines carry one or none carries
        :data:`MIN_SHARE` of them.
    """
    carried: list[str | None] = []
    for value in values:
        if not isinstance(value, str) or (len(value) == 11 and value[0] == "1" and value.isdigit()):
            carried.append(None)  # most values: a mobile as the hotline logs it
            continue
        text = unicodedata.normalize("NFKC", value)
        found = (landline_area_code(part) for part in _SPLIT.split(text))
        carried.append(next((code for code in found if code is not None), None))
    present = codes[codes >= 0]
    per_value = np.bincount(present, minlength=len(values)) if len(present) else np.zeros(len(values), int)
    counts: Counter[str] = Counter()
    for code, records in zip(carried, per_value.tolist(), strict=True):
        if code is not None:
            counts[code] += records
    total = sum(counts.values())
    if not counts:
        return None, 0, 0
    code, records = counts.most_common(1)[0]
    if total < MIN_LANDLINES or records < MIN_SHARE * total:
        return None, records, total
    return code, records, total


def resolve_area_code(codes: np.ndarray, values: Sequence[object]) -> str:
    """The area code ``auto`` reads local landlines with: the city's (:func:`city_area_code`), else
    :data:`FALLBACK`; logged either way."""
    code, records, total = city_area_code(codes, values)
    if code is None:
        # Enough landlines carry codes and none most of them: the city's is unknown, which matters. Too few
        # (a small batch): nothing to tell, as the packaged fallback has always been used there.
        level = logging.WARNING if total >= MIN_LANDLINES else logging.INFO
        log.log(
            level,
            "default_area_code auto: %d landline(s) written with an area code, %d at most with one code: "
            "local numbers are read as %s's; set default_area_code to the city's",
            total, records, FALLBACK,
        )  # fmt: skip
        return FALLBACK
    log.info(
        "default_area_code auto: local numbers are read as %s's (%d of %d landlines written with a code)",
        code, records, total,
    )  # fmt: skip
    return code
