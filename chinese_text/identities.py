"""Where phone and identity numbers sit in free text, however people write them: one rule set for every mask.

The warehouse's masked description, validation's audit samples and the matcher's report each render a
found number their own way (``138****2345``, ``138********45``), but they find numbers with these rules,
so a way of writing a number that one of them misses, all of them miss, and one table-driven test
(``tests/chinese_text/test_identities.py``) covers all three. The rules live here because this package is
the one leaf (it imports nothing of the project) that ``warehouse``, ``expectations`` and ``matching`` may
all import, and because what they describe is how numbers are typed into Chinese text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = ["find_identities", "is_identity", "keep_ends", "sub_identities"]

_DIGIT = "[0-9０-９]"
# Between digit groups people type a space, a hyphen or a dot, in their ASCII or full-width forms
# (ideographic space, －, ．), and sometimes a dash; never a line break.
_SEP = "[ \t\\-.\u3000－．—]"
# An optional country code (+86, ＋86, 0086, (+86)), then groups of three or more digits joined by single
# separators, then an identity number's check character. Atomic, so that a match never gives back a group
# to satisfy what follows (a number followed by a unit must be judged whole).
_CANDIDATE = re.compile(
    rf"(?<![0-9０-９])(?>(?:(?:[+＋]|00)\s?86{_SEP}?|[(（][+＋]?86[)）]\s?)?"
    rf"{_DIGIT}{{3,}}(?:{_SEP}{_DIGIT}{{3,}})*[XxＸｘ]?)(?![0-9０-９])"
)
# A sum of money (1980000元, 1 460 000 元) is followed by its unit and stays readable: the facts comparison
# and readers need it.
_UNIT_AFTER = re.compile(r"\s*[元块万千百亿wW]")
_SHAPES = re.compile(r"1[3-9]\d{9}|\d{17}[\dX]|\d{15}|0\d{9,11}")
_STRIP = re.compile(r"[^0-9X]")
# Seven digits in a row, or two groups of three joined by a separator: a much cheaper scan than the
# candidates', which rules out most texts (sums, house numbers, dates) before it runs.
_CHEAP = re.compile(f"{_DIGIT}{{7}}|{_DIGIT}{{3}}{_SEP}{_DIGIT}{{3}}")
_COUNTRY = re.compile(r"[(]?(?:\+|00)\s?86")
_GROUP = re.compile(f"{_DIGIT}+[XxＸｘ]?")
MIN_DIGITS = 7
"""Seven digits in a row is a local landline, a mobile or an identity number: masked wherever it appears."""


def is_identity(written: str) -> bool:
    """Whether ``written`` (one candidate, as typed) is a phone or identity number.

    A plain run of :data:`MIN_DIGITS` or more digits is; a number written with separators or a country
    code is when its digits have a phone's or an identity number's shape, so that ``2019-2023`` or a
    date stays readable while ``138-9311-2345`` and ``620102 19870315 1236`` do not.
    """
    if written.isascii() and written.isdigit():  # the common case, judged without folding
        return len(written) >= MIN_DIGITS
    folded = unicodedata.normalize("NFKC", written).upper()
    digits = _STRIP.sub("", folded)
    if len(digits) < MIN_DIGITS:
        return False
    if folded.isalnum():
        return True
    if _COUNTRY.match(folded):
        return True
    return bool(_SHAPES.fullmatch(digits))


def _spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The identities inside one candidate: all of it, else the longest runs of its groups that are one."""
    if is_identity(text[start:end]):
        return [(start, end)]
    groups = [(start + m.start(), start + m.end()) for m in _GROUP.finditer(text[start:end])]
    found, i = [], 0
    while i < len(groups):
        for j in range(len(groups) - 1, i - 1, -1):
            if is_identity(text[groups[i][0] : groups[j][1]]):
                found.append((groups[i][0], groups[j][1]))
                i = j
                break
        i += 1
    return found


def find_identities(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of the phone and identity numbers written in ``text``."""
    if not _CHEAP.search(text):
        return []
    spans: list[tuple[int, int]] = []
    for match in _CANDIDATE.finditer(text):
        if _UNIT_AFTER.match(text, match.end()):
            continue
        spans += _spans(text, *match.span())
    return spans


def sub_identities(text: str, render: Callable[[str], str]) -> str:
    """``text`` with every phone and identity number replaced by ``render(number as written)``.

    Args:
        text: free text (a description, an address, a sample value).
        render: the caller's mask, given the number exactly as it was typed.

    Returns:
        The text; unchanged when it holds no such number.
    """
    spans = find_identities(text)
    if not spans:
        return text
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], render(text[start:end])]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def keep_ends(text: str) -> str:
    """A number shown with its ends only: the first three and last two characters (``138******45``).

    A value of six to nine characters (a local landline, 8123456) keeps two at each end instead, so that at
    least three are hidden; five or fewer are all stars. The render validation's samples and the matcher's
    report give :func:`sub_identities` (the warehouse's views keep four at the end instead).
    """
    if len(text) <= 5:
        return "*" * len(text)
    head = 3 if len(text) >= 10 else 2
    return f"{text[:head]}{'*' * (len(text) - head - 2)}{text[-2:]}"
