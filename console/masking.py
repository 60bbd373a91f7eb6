"""What a console user may see of a raw payload: the reader role's masking, applied to the source's own keys.

The warehouse's reader views mask the canonical columns (``张**``, ``138****1234``); a raw payload keeps
the source's own key names (``real_name``, ``联系电话``), so the console masks by two rules: the keys the
source's connector maps to ``name``, ``phone`` and ``id_number`` are masked whole, and every phone or
identity number written anywhere else (a description, an address) is masked where it stands
(:mod:`chinese_text.identities`). Both roles see payloads masked: the warehouse gives no role raw values.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from chinese_text.identities import keep_ends, sub_identities

_PERSONAL = ("name", "phone", "id_number", "contact_phone")
# Keys that name a person or hold a phone or identity number in the sources' own vocabularies (English,
# Chinese, and the pinyin initials of the petition system: xfrxm 信访人姓名, lxdh 联系电话, sfzh 身份证号).
_NAME_KEY = re.compile(r"name|姓名|xm$", re.IGNORECASE)
_NUMBER_KEY = re.compile(r"phone|tel|mobile|电话|手机|dh$|sfz|身份证|id_?number|id_?card", re.IGNORECASE)


@cache
def personal_keys(source: str) -> tuple[frozenset[str], str | None]:
    """The raw keys of ``source`` its connector maps to a name, phone or identity number, and its key column."""
    from connectors.registry import connector_class

    try:
        cls = connector_class(source)
    except KeyError:
        return frozenset(), None
    mapped = frozenset(str(raw) for field, raw in cls.field_map.items() if field in _PERSONAL and raw)
    return mapped, cls.primary_key


def mask_name(value: str) -> str:
    """A name as the reader views show it: its first character and ``**``."""
    return f"{value[:1]}**" if value else value


def mask_payload(payload: Any, source: str, names: tuple[str, ...] = ()) -> Any:
    """``payload`` (a JSON value) with personal values masked whole and numbers in free text masked.

    Args:
        payload: the landed payload, as stored.
        source: its source, whose connector names the personal keys and the record's own id (kept).
        names: the complainant's names as standardised: masked wherever they appear in free text too.

    Returns:
        A masked copy; the stored payload is not changed.
    """
    keys, primary = personal_keys(source)
    return _mask(payload, keys, primary, tuple(n for n in names if n and len(n) >= 2), None)


def _mask(
    value: Any, keys: frozenset[str], primary: str | None, names: tuple[str, ...], key: str | None
) -> Any:
    if isinstance(value, dict):
        return {k: _mask(v, keys, primary, names, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v, keys, primary, names, key) for v in value]
    if not isinstance(value, str) or not value:
        return value
    bare = key.split("#", 1)[0] if key else ""
    if bare and bare == primary:
        return value  # the source's own record id: not personal, and needed to trace the record
    if bare in keys or _NAME_KEY.search(bare) or _NUMBER_KEY.search(bare):
        return keep_ends(value) if any(ch.isdigit() for ch in value) else mask_name(value)
    for name in names:
        value = value.replace(name, mask_name(name))
    return sub_identities(value, keep_ends)
