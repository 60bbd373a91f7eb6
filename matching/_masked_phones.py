"""A mobile shown with some of its digits hidden (138****6658, 1984889****, 139*****628, *******6658).

Message boards print their writers' numbers so, and some exports keep them so. Read as a phone, such a
number is none: the writer's post shares nothing personal with the same person's named reports on the
hotline or at the petition office, where the whole number was logged. What it shows is still most of a
number: every shown digit agreeing with a mobile is strong evidence, one disagreeing is evidence against.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from matching._chinese import BOARD_HANDLE_WORDS, is_missing

# The marks that hide a digit: asterisks (half- and full-width, folded by NFKC), x and ×, and ●.
_HIDDEN = str.maketrans({"x": "*", "X": "*", "×": "*", "●": "*"})
_SEPARATORS = re.compile(r"[\s\-()（）]")
# A phone with none of these is shown whole (the standardiser's fast path).
CUES = re.compile("[*＊xX×●]")
# Eleven places, a mobile's 1 first and at most five hidden: fewer than six shown digits say too little.
_MASKED_MOBILE = re.compile(r"1[\d*]{10}")
MIN_SHOWN = 6


def masked_mobile(value: object) -> str | None:
    """A masked mobile as its eleven places, ``*`` for each hidden digit, else ``None``.

    Args:
        value: the phone as sent.

    Returns:
        ``138****6658`` for 138****6658, ``138 **** 6658``, +86 138xxxx6658 and 138＊＊＊＊6658; ``None`` for a
        whole number, a landline, a number hidden but for its last four (*******6658), or no number.
    """
    if is_missing(value):
        return None
    text = unicodedata.normalize("NFKC", str(value)).translate(_HIDDEN)
    if "*" not in text:
        return None
    text = _SEPARATORS.sub("", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith(("0086", "86")) and len(text) in (13, 15):
        text = text[len(text) - 11 :]
    if not _MASKED_MOBILE.fullmatch(text) or sum(c.isdigit() for c in text) < MIN_SHOWN:
        return None
    if text[1] != "*" and text[1] not in "3456789":
        return None
    return text


# A board that names its writers by their accounts' mobiles (用户131****6961, 手机用户138****0021).
_HANDLE_MOBILE = re.compile(rf"(?:{BOARD_HANDLE_WORDS})[\s_:：-]*(?P<number>1[\d*]{{10}})")


def masked_mobile_in_handle(value: object) -> str | None:
    """The masked mobile a board handle is made of (``用户131****6961``), as :func:`masked_mobile`, else ``None``
    (a name, a handle of words or digits, a whole number).

    Such a board prints each account by the mobile it was opened with: the writer's own number, as its other
    posts and its hotline calls show it."""
    if is_missing(value):
        return None
    match = _HANDLE_MOBILE.fullmatch(unicodedata.normalize("NFKC", str(value)).strip().translate(_HIDDEN))
    return masked_mobile(match.group("number")) if match else None


# Eleven places of which only the last four are shown (*******6658, ****-***-6658).
_TAIL_SHOWN = re.compile(r"\*{7}(\d{4})")


def mobile_tail_shown(value: object) -> str | None:
    """The last four digits of a mobile shown by them alone (``6658`` of *******6658, ＊＊＊＊＊＊＊6658, +86
    *******6658), else ``None``: too little for :func:`masked_mobile`, which says so, but a whole mobile
    ending so in a report of the same dispute is most likely the writer's (one in ten thousand numbers
    ends so by chance)."""
    if is_missing(value):
        return None
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(value)).translate(_HIDDEN))
    if text.startswith("+86"):
        text = text[3:]
    match = _TAIL_SHOWN.fullmatch(text)
    return match.group(1) if match else None


def mobile_key(number: object) -> str | None:
    """A mobile's first three and last four digits (``138*6658``), whole or shown with its middle four
    hidden, the way most boards print it: the key that finds a masked number's whole one. ``None`` for a
    number masked otherwise, or no mobile."""
    if not isinstance(number, str) or len(number) != 11:
        return None
    head, middle, tail = number[:3], number[3:7], number[7:]
    if "*" in head or "*" in tail or not (middle.isdigit() or middle == "****"):
        return None
    return f"{head}*{tail}"


def mobile_ends(number: object) -> str | None:
    """A mobile's first three and last three digits (``139*928``), whole or masked otherwise than
    :func:`mobile_key` reads (139*****928, 139***6*928): the key that finds such a masked number's whole
    one. ``None`` for a number :func:`mobile_key` reads, or one whose ends are hidden (1381234****).

    Every whole mobile has this key and many share it (one in a thousand of a prefix's numbers), so the
    blocking rule on it pairs only the masked numbers with the whole ones (its ``anchor``)."""
    if not isinstance(number, str) or len(number) != 11 or ("*" in number and mobile_key(number) is not None):
        return None
    head, tail = number[:3], number[8:]
    if "*" in head or "*" in tail:
        return None
    return f"{head}*{tail}"


def mobile_head(number: object) -> str | None:
    """A mobile's first seven digits (``1381234*``), whole or masked with its end hidden (1381234****,
    1381234*5**): the key that finds such a masked number's whole one. ``None`` for a number
    :func:`mobile_key` or :func:`mobile_ends` reads, or one hiding any of its first seven digits.

    Ten thousand numbers share a head, a city's complainants' many of them: the blocking rule on it pairs
    only the masked numbers with the whole ones (its ``anchor``), and only within one dispute's topic."""
    if not isinstance(number, str) or len(number) != 11 or "*" in number[:7]:
        return None
    if "*" in number and (mobile_key(number) is not None or mobile_ends(number) is not None):
        return None
    return f"{number[:7]}*"


def whole_mobile_keys(numbers: pd.Series) -> pd.Series:
    """:func:`mobile_key` of whole mobiles (11 digits each), for a column at once."""
    return numbers.str[:3] + "*" + numbers.str[7:]


def whole_mobile_ends(numbers: pd.Series) -> pd.Series:
    """:func:`mobile_ends` of whole mobiles (11 digits each), for a column at once."""
    return _shared(numbers.str[:3] + "*" + numbers.str[8:])


def whole_mobile_tails(numbers: pd.Series) -> pd.Series:
    """The last four digits of whole mobiles (11 digits each), for a column at once: the key a number shown
    by them alone (:func:`mobile_tail_shown`) shares with its whole one."""
    return _shared(numbers.str[7:])


def whole_mobile_heads(numbers: pd.Series) -> pd.Series:
    """:func:`mobile_head` of whole mobiles (11 digits each), for a column at once."""
    return _shared(numbers.str[:7] + "*")


def _shared(keys: pd.Series) -> pd.Series:
    """``keys`` with each distinct key one string object: many numbers share one (a few tens of thousands
    of ends among a million mobiles), and a million copies of short strings cost a hundred megabytes."""
    codes, uniques = pd.factorize(keys.to_numpy(dtype=object), use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)  # the last entry for a null (code -1)
    table[:-1] = np.asarray(uniques, dtype=object)
    return pd.Series(table[codes], index=keys.index, dtype=object)
