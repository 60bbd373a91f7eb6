"""The fifth channel, netizen messages (网民留言): some planned disputes are also posted on the city's message board.

Posts are echoes of disputes the planner already drew, so that matching can merge them into the same
cases; they are drawn from their own random stream (seeded from the world's seed), so adding this
channel leaves the four planned channels' rows exactly as they were. Hot, collective topics (overdue
housing, demolition, unpaid wages) are posted far more often than family quarrels.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from operator import attrgetter
from typing import Any

from simulators.addresses import typed
from simulators.channels import Renderer, Row, category_code
from simulators.defects import DEFECT_RATE, inject
from simulators.dice import between, pick
from simulators.event_rows import events_column, last
from simulators.filing import filed_category
from simulators.knobs import DEFAULT_KNOBS, WorldKnobs
from simulators.mix import DAY
from simulators.planner import Plan, Report
from simulators.variation import active, vary

SOURCE = "netizen"
PRIMARY_KEY = "tid"
# Chance that a dispute of each category is also posted on the message board (doubled for group disputes).
POST_SHARE: dict[str, float] = {
    "劳资欠薪": 0.07, "逾期交房": 0.12, "拆迁安置": 0.1, "投资受损": 0.06, "物业纠纷": 0.05, "医疗纠纷": 0.03,
    "交通事故": 0.01, "邻里纠纷": 0.02, "婚姻家庭": 0.01, "消费维权": 0.04, "环境污染": 0.07, "其他": 0.02,
}  # fmt: skip
P_FOLLOW_UP = 0.12  # the poster comes back with a second message (催办)
P_REAL_NAME = 0.6  # 实名留言: the board shows the verified name; otherwise only the nickname
_NICKS = ("兰州网友", "金城市民", "黄河边的", "一名业主", "打工人", "老兰州", "网友", "求助者")
_KINDS = ("投诉", "投诉", "求助", "求助", "咨询", "建议")
_STATUSES = ("待受理", "办理中", "已回复")


def echo_posts(
    plan: Plan, seed: int, start: date, days: int, knobs: WorldKnobs = DEFAULT_KNOBS
) -> tuple[list[Row], list[tuple[str, Report]], dict[str, str]]:
    """Draw and render the message-board posts of the planned disputes.

    Args:
        plan: the planner's disputes and reports.
        seed: the world's seed (the posts use their own stream derived from it).
        start: the span's first day.
        days: the span's length.
        knobs: the world's knobs (their behaviours draw from yet another stream).

    Returns:
        ``(rows, keyed, defects)``: the rows in key order, ``(tid, report)`` per row for the ground
        truth, and the injected defects by record id.
    """
    rng = random.Random(f"{SOURCE}:{seed}")
    krng = random.Random(f"knobs:{SOURCE}:{seed}")
    renderer = Renderer(rng, start, days, knobs, krng, random.Random(f"events:{SOURCE}:{seed}"))
    off, varying = knobs.category_off_netizen, active(knobs)
    span = days * DAY
    first: dict[int, int] = {}
    for report in plan.reports:
        key = id(report.dispute)
        first[key] = min(first.get(key, report.t), report.t)
    posts: list[Report] = []
    for dispute in plan.disputes:
        share = POST_SHARE[dispute.category] * (2 if dispute.group_key else 1)
        if id(dispute) not in first or rng.random() >= share:
            continue
        t = first[id(dispute)]
        for _ in range(2 if rng.random() < P_FOLLOW_UP else 1):
            later = t + between(rng, 600, 20 * 3600)
            t = later if later < span else max(0, t - between(rng, 60, 3600))
            post = Report(dispute, SOURCE, t)
            if off and krng.random() < off:
                post.category = filed_category(SOURCE, dispute.category, krng)
            posts.append(post)
    posts.sort(key=attrgetter("t"))  # stable: ties keep planning order
    rows: list[Row] = []
    keyed: list[tuple[str, Report]] = []
    defects: dict[str, str] = {}
    current, seq = -1, 0
    for report in posts:
        day = report.t // DAY
        current, seq = (day, 1) if day != current else (current, seq + 1)
        pk = f"LY{start + timedelta(days=day):%Y%m%d}{seq:06d}"
        row = render_post(renderer, report, pk)
        if varying:
            vary(SOURCE, row, report, knobs, krng)
        if rng.random() < DEFECT_RATE:
            defects[f"{SOURCE}:{pk}"] = inject(SOURCE, row, report, rng, renderer.base, renderer.span)
        rows.append(row)
        keyed.append((pk, report))
    return rows, keyed, defects


def render_post(renderer: Renderer, report: Report, pk: str) -> Row:
    """One message as the board's export holds it (SOURCES.md: netizen)."""
    rng = renderer.rng
    dispute = report.dispute
    person, site = dispute.person, dispute.site
    text = renderer.text(report, "citizen")
    renderer.lifecycle(report.t, ((1800, 8 * 3600, 0.25), (3600, 2 * DAY, 0.4)))  # keeps the stream
    steps = renderer.handling.netizen(report.t, dispute.category, site)
    reply = last(steps, "replied")
    row: dict[str, Any] = {
        "tid": pk,
        "title": _title(text, dispute.category),
        "content": text,
        "post_time": renderer.local(report.t),
        "update_time": renderer.local(steps[-1].t if steps else report.t),
        "nickname": f"{pick(rng, _NICKS)}{between(rng, 10, 9999)}",
        "real_name": person.name if rng.random() < P_REAL_NAME else None,
        "phone": person.mobile,
        "area": f"甘肃省兰州市{site.district}",
        "address": typed(site, rng) if rng.random() < 0.5 else "",
        "topic": category_code(SOURCE, report.category or dispute.category),
        "kind": pick(rng, _KINDS),
        "status": _STATUSES[2 if reply is not None else 1 if steps else 0],
        "reply_org": reply.unit if reply is not None else None,
        "reply_time": renderer.local(reply.t) if reply is not None else None,
        "process": events_column(SOURCE, steps, renderer.local),
    }
    return row


def _title(text: str, category: str) -> str:
    head = text.split("，")[0].split("！")[0].strip()
    return head[:24] if len(head) >= 6 else f"关于{category}问题的反映"
