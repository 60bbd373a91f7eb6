"""Which category a channel files a dispute under when it is not the dispute's own.

The police file most civil disputes as 其他; a citizen in the app, a hotline operator and a message
board poster pick what looks nearest; a petition clerk picks the nearest or any other heading.
"""

from __future__ import annotations

import random

from simulators.dice import pick
from simulators.mix import CATEGORY_WEIGHTS

# The categories a writer mistakes each one for (what looks nearest on a list of headings).
NEAREST: dict[str, tuple[str, ...]] = {
    "劳资欠薪": ("消费维权", "其他"),
    "逾期交房": ("物业纠纷", "消费维权", "拆迁安置"),
    "拆迁安置": ("逾期交房", "其他"),
    "投资受损": ("消费维权", "其他"),
    "物业纠纷": ("邻里纠纷", "环境污染", "消费维权"),
    "医疗纠纷": ("消费维权", "其他"),
    "交通事故": ("其他", "消费维权"),
    "邻里纠纷": ("物业纠纷", "环境污染", "婚姻家庭"),
    "婚姻家庭": ("邻里纠纷", "其他"),
    "消费维权": ("投资受损", "其他"),
    "环境污染": ("邻里纠纷", "物业纠纷"),
    "其他": ("邻里纠纷", "消费维权"),
}
_ALL = tuple(CATEGORY_WEIGHTS)
P_POLICE_OTHER = 0.85  # of the police's off-category reports, the share filed as 其他


def filed_category(channel: str, category: str, rng: random.Random) -> str:
    """A category other than ``category`` that ``channel`` files the dispute under.

    Args:
        channel: petition, police, hotline, app or netizen.
        category: the dispute's own category.
        rng: the stream of the knobs' behaviours.

    Returns:
        Another category of the taxonomy (never ``category`` itself).
    """
    if channel == "police" and category != "其他" and rng.random() < P_POLICE_OTHER:
        return "其他"
    if channel == "petition" and rng.random() < 0.5:
        return pick(rng, tuple(c for c in _ALL if c != category))
    return pick(rng, NEAREST[category])
