"""Chinese text shared by the matcher and the warehouse: OpenCC's traditional -> simplified character table.

A small package of its own so that neither ``matching`` nor ``warehouse`` imports the other for it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

__all__ = ["t2s_table", "to_simplified"]


@lru_cache(maxsize=1)
def t2s_table() -> dict[int, str]:
    """OpenCC's t2s character table (its ``TSCharacters`` dictionary) as a ``str.translate`` table.

    ``OpenCC('t2s').convert`` costs about 0.1 ms per text (pure Python phrase segmentation); the
    character table gives the same folding for names, addresses and facts in about a microsecond, and
    phrase-level word choice does not matter for matching.
    """
    import opencc

    path = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and target and target != source:
            table[ord(source)] = target
    return table


# One range, so a fast test; the table's few characters up there are folded by translating.
_BEYOND_BMP = re.compile("[^\x00-\uffff]")


@lru_cache(maxsize=1)
def _traditional_bmp() -> re.Pattern[str]:
    """Any character of the Basic Multilingual Plane the table changes: a class of those is a fast
    bitmap test, where one with the planes above is a slow range list."""
    return re.compile("[" + re.escape("".join(chr(code) for code in t2s_table() if code <= 0xFFFF)) + "]")


def to_simplified(text: str) -> str:
    """Traditional -> simplified characters (OpenCC's t2s character table).

    Most texts are simplified already: they are tested first (about 2 us for a description), since
    ``str.translate`` looks every character up in the table (about 11 us).
    """
    if _traditional_bmp().search(text) or _BEYOND_BMP.search(text):
        return text.translate(t2s_table())
    return text
