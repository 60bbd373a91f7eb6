"""The mix of the simulated world: how often each category, channel, hour of day and hard case occurs.

The rates that vary between cities and channels are :class:`simulators.knobs.WorldKnobs`; the ones
here that it exposes (``P_GROUP``, ``P_NAMESAKE_PAIR``, ``P_REPORTED_AGAIN``, ``P_PROXY_*``, ``K_CUM``'s
multi-channel share) are its defaults.
"""

from __future__ import annotations

from itertools import accumulate

DAY = 86400
CHANNELS: tuple[str, ...] = ("hotline", "app", "police", "petition")

# Per planning step: start a group dispute / plant a namesake pair / give an earlier complainant a
# second dispute; otherwise a new person with one dispute.
P_GROUP = 0.018
P_NAMESAKE_PAIR = 0.012
P_REPEAT_COMPLAINANT = 0.07
P_SAME_CATEGORY_REPEAT = 0.3  # a repeat complainant's second dispute is in the same category (new facts)
P_REPORTED_AGAIN = 0.06  # a dispute is reported twice on one channel (calling 12345 again)
P_PROXY_ELDERLY = 0.45  # a relative files at the petition office for a complainant aged 62 or more
P_PROXY_OTHER = 0.05  # ... for a younger complainant
P_GROUP_VISIT, P_JOIN_VISIT = 0.4, 0.8  # a group visits the petition office together / a member joins it

# Dispute mix (percent); hot categories are common, and group disputes add more of them.
CATEGORY_WEIGHTS: dict[str, int] = {
    "劳资欠薪": 13, "逾期交房": 7, "拆迁安置": 5, "投资受损": 5, "物业纠纷": 15, "医疗纠纷": 4,
    "交通事故": 7, "邻里纠纷": 13, "婚姻家庭": 7, "消费维权": 11, "环境污染": 8, "其他": 5,
}  # fmt: skip
# How likely each channel is for a category: hotline, app, police, petition.
CHANNEL_WEIGHTS: dict[str, tuple[float, ...]] = {
    "劳资欠薪": (46, 19, 11, 24), "逾期交房": (43, 23, 3, 31), "拆迁安置": (33, 13, 4, 50),
    "投资受损": (34, 15, 23, 28), "物业纠纷": (56, 37, 3, 5), "医疗纠纷": (47, 15, 14, 25),
    "交通事故": (40, 10, 45, 5), "邻里纠纷": (49, 21, 23, 7), "婚姻家庭": (44, 11, 32, 13),
    "消费维权": (54, 41, 4, 2), "环境污染": (53, 44, 1, 2), "其他": (55, 31, 6, 8),
}  # fmt: skip
GROUP_CATEGORIES: dict[str, int] = {
    "劳资欠薪": 34,
    "逾期交房": 24,
    "拆迁安置": 12,
    "投资受损": 14,
    "物业纠纷": 10,
    "环境污染": 6,
}
# Popular names that are deliberately given to two people of one district.
NAMESAKES: tuple[tuple[str, str, str], ...] = (
    ("张", "伟", "m"), ("王", "芳", "f"), ("李", "娜", "f"), ("刘", "洋", "m"), ("王", "伟", "m"), ("李", "静", "f"),
    ("张", "敏", "f"), ("王", "静", "f"), ("刘", "伟", "m"), ("张", "丽", "f"), ("王", "磊", "m"), ("李", "强", "m"),
    ("马", "军", "m"), ("杨", "帆", "m"), ("陈", "静", "f"), ("张", "杰", "m"), ("李", "秀英", "f"), ("王", "建国", "m"),
)  # fmt: skip
# Hour-of-day weights per channel (calls peak in office hours, 110 in the evening, the app at night too).
_HOURS = {
    "hotline": (1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 3, 6, 9, 10, 9, 7, 7, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1.5),
    "app": (2, 1, 0.5, 0.3, 0.3, 0.5, 1, 3, 5, 6, 6, 6, 7, 6, 5, 5, 5, 5, 6, 7, 8, 8, 6, 4),
    "police": (3, 2, 1.5, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 7, 8, 8, 7, 6, 4),
}
HOUR_CUM = {channel: tuple(accumulate(weights)) for channel, weights in _HOURS.items()}
OFFICE = ((8 * 3600 + 1800, 12 * 3600), (14 * 3600, 17 * 3600 + 1800))  # petition office hours
K_CUM = (0.61, 0.86, 0.96, 1.0)  # 1, 2, 3 or 4 distinct channels per dispute
CHANNEL_CUM = {category: tuple(accumulate(weights)) for category, weights in CHANNEL_WEIGHTS.items()}
AGAIN_CUM = (70, 85, 90, 100)  # which channel a dispute is reported on twice
GROUP_CUM = tuple(accumulate(GROUP_CATEGORIES.values()))
