"""Render a dispute's facts as the free text each channel writes (templates in :mod:`.templates`)."""

from __future__ import annotations

import random
from datetime import date

from simulators.dice import pick
from simulators.facts import Facts
from simulators.templates import FORMAL_TAILS, OPERATOR_TAILS, TEMPLATES, TRADITIONAL
from simulators.wording import Wording

STYLES = ("formal", "operator", "terse", "citizen")


class _Slots(dict[str, str]):
    """Template values; a slot a template needs but the facts lack renders as nothing."""

    def __missing__(self, key: str) -> str:
        return ""


def amount_text(amount: int, form: str) -> str:
    """Write a sum of money the way people do.

    Args:
        amount: yuan.
        form: ``exact`` (``32000元``), ``wan`` (``3.2万元``) or ``approx`` (``3万余元``, ``3000多元``).

    Returns:
        The text.
    """
    if form == "wan" and amount >= 10000:
        return f"{amount / 10000:g}万元"
    if form == "approx":
        if amount >= 10000:
            return f"{amount // 10000}万{'余' if amount % 2 else '多'}元"
        if amount >= 1000:
            return f"{amount // 1000 * 1000}多元"
    return f"{amount}元"


_FORMS = {
    "formal": ("exact", "exact", "exact", "wan"),
    "operator": ("exact", "exact", "wan"),
    "terse": ("approx",),
    "citizen": ("exact", "wan", "approx"),
}


def render_content(
    category: str,
    style: str,
    facts: Facts,
    rng: random.Random,
    *,
    area: str = "",
    peers: str = "",
    wording: Wording | None = None,
    day: date | None = None,
) -> str:
    """Write one report's text.

    Args:
        category: unified category of the dispute.
        style: one of :data:`STYLES`.
        facts: the dispute's facts.
        rng: the world's random source.
        area: the district the writer names (operators say it, others rarely do).
        peers: ``等15人`` when a group files together, else empty.
        wording: the world's rewording of facts (colloquial forms, omissions), when its knobs are on.
        day: the report's date, which relative dates refer to (needed with ``wording``).

    Returns:
        The text, before any channel-specific damage (traditional characters, full-width digits).
    """
    template = pick(rng, TEMPLATES[category][style])
    slots = _Slots(facts)
    slots["area"] = area
    slots["peers"] = peers
    if "amount" in facts:
        slots["amount"] = amount_text(int(facts["amount"]), pick(rng, _FORMS[style]))
    if wording is not None and day is not None:
        template = wording.rewrite(category, style, template, slots, facts, day)
    text = template.format_map(slots)
    if style == "operator":
        text += pick(rng, OPERATOR_TAILS)
    elif style == "formal":
        text += pick(rng, FORMAL_TAILS)
    return text


def to_traditional(text: str) -> str:
    """Swap common simplified characters for traditional ones (an old registrar input method)."""
    return text.translate(TRADITIONAL)
