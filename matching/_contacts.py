"""A mobile the filer gives in the words of a report whose phone field is empty.

A message board has no phone field: its writers end with 我的电话18200888902 or 联系电话：138 9311 2345, and
the hotline and the police logged the same number in theirs. Only a number the text says is the writer's
own is read (我的, 本人, 联系): 老板电话139… is the other side's.
"""

from __future__ import annotations

import re
import unicodedata

from matching._chinese import is_missing

_OWN_NUMBER = re.compile(
    r"(?:我的|本人|我|联系|留)(?:手机|电话|联系方式)(?:号码?|号)?(?:是|为)?[:：]?\s*"
    r"(?P<number>1[3-9]\d(?:[\s-]?\d){8})(?!\d)"
)
CUES = re.compile("电话|手机|联系方式")


def phone_in_text(value: object) -> str | None:
    """The mobile a text says is its writer's (11 digits), or ``None``.

    Args:
        value: the complaint's description as sent.

    Returns:
        ``18200888902`` for …希望早点解决我的电话18200888902 and 联系电话：182-0088-8902; ``None`` when the
        text gives none, gives a masked one (131****5628), or gives two different ones.
    """
    if is_missing(value):
        return None
    text = str(value)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    found = {re.sub(r"[\s-]", "", match.group("number")) for match in _OWN_NUMBER.finditer(text)}
    return found.pop() if len(found) == 1 else None
