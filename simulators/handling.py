"""How each channel's office handles a report after it arrives: the handling events, in the simulator's terms.

One :class:`Handling` per world draws, from a stream of its own (so the rest of the world is unchanged),
what each channel's real system records (``connectors/events.py`` names the types):

- 12345 hotline: taken, dispatched to a department or street office, acknowledged (签收), sometimes sent
  back as not theirs (退单, with a reason) and re-dispatched, the citizen contacted, an extension asked
  (延期) when the 5-working-day limit will not hold, reminders (催办) the day after a limit passes, closed
  (办结), a follow-up call (回访) with the citizen's verdict, reopened (重办) after 不满意;
- petition (信访): registered, accepted or not within 15 calendar days, handed to a unit, handled within
  60 days (an approved extension adds up to 30), a written reply, the petitioner's rating, 复查 and 复核;
- police: the call taken, officers dispatched and on the scene, closed on the spot or transferred;
- app: submitted, accepted, dispatched, acknowledged, closed, rated 1-5 stars, reopened after a bad rating;
- netizen board: accepted, handed to the district, replied, sometimes rated.

Times are seconds after the span's start; an event that would fall after the span has not happened yet
(the span's end is "now"), so a multi-day span shows orders at every stage. The shares and delays are the
knobs of :mod:`simulators.knobs` (``send_back_share`` … ``police_transfer_share``).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime

from simulators.addresses import Address
from simulators.dice import pick
from simulators.knobs import DEFAULT_KNOBS, WorldKnobs
from simulators.mix import DAY

HOUR, MINUTE = 3600, 60

DEPARTMENTS = {
    "wage_arrears": "人社局", "housing_delivery": "住建局", "relocation": "住建局", "investment_loss": "金融服务中心",
    "property_mgmt": "住建局", "medical": "卫健局", "traffic": "交警大队", "neighbour": "", "family": "妇联",
    "consumer": "市场监管局", "environment": "生态环境分局", "other": "",
}  # fmt: skip
"""The district department a category's orders go to; empty: the street office handles them."""

TRANSFER_TO = {
    "wage_arrears": "人社局劳动保障监察大队", "housing_delivery": "住建局", "relocation": "街道综治中心",
    "investment_loss": "公安分局经侦大队", "property_mgmt": "街道综治中心", "medical": "医调委",
    "traffic": "交警大队事故处理中队", "neighbour": "司法所人民调解委员会", "family": "司法所人民调解委员会",
    "consumer": "市场监管所", "environment": "生态环境分局", "other": "街道综治中心",
}  # fmt: skip
SEND_BACK_REASONS = (
    "非本单位职责范围", "诉求地址不在本辖区", "诉求已进入诉讼程序", "工单信息不全无法联系", "重复工单",
)  # fmt: skip
NOT_ACCEPTED_REASONS = ("已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决", "不属于本机关职权范围", "信访事项已办结，无新的事实和理由")  # fmt: skip
EXTENSION_REASONS = ("涉及多个部门需协调", "需现场核查取证", "当事企业负责人暂无法联系", "需等待司法鉴定结果")


@dataclass(frozen=True)
class Step:
    """One handling event: its canonical type, when, who, which unit at which level, and its details."""

    type: str
    t: int
    actor: str
    unit: str
    level: str
    reason: str | None = None
    days: int | None = None
    satisfaction: str | None = None
    score: int | None = None
    to: str | None = None
    stage: str | None = None
    outcome: str | None = None


class Handling:
    """Draws handling events for reports; one per world, drawing from its own ``rng``."""

    def __init__(
        self, rng: random.Random, base: datetime, span: int, knobs: WorldKnobs = DEFAULT_KNOBS
    ) -> None:
        self.rng, self.base, self.span, self.k = rng, base, span, knobs
        self._weekday = base.weekday()  # of the span's first day; day n's is (this + n) % 7

    # -- shared pieces --------------------------------------------------------------------------------

    def _lognormal(self, median: float, sigma: float, cap: float | None = None) -> int:
        value = median * math.exp(self.rng.gauss(0.0, sigma))
        return int(min(value, cap) if cap is not None else value)

    def _working_deadline(self, t: int, days: int) -> int:
        """End of the ``days``-th working day (Mon-Fri) after ``t``'s day (holidays left to the hub's calendar)."""
        day = t // DAY
        while days:
            day += 1
            days -= (self._weekday + day) % 7 < 5
        return (day + 1) * DAY

    def _office_hours(self, t: int) -> int:
        """``t`` moved to 09:00-18:00 of its day, or the next morning."""
        day, second = divmod(t, DAY)
        if second < 9 * HOUR:
            return day * DAY + 9 * HOUR + self._draw(0, 50) * MINUTE
        if second >= 18 * HOUR:
            return (day + 1) * DAY + 9 * HOUR + self._draw(0, 50) * MINUTE
        return t

    def _draw(self, lo: int, hi: int) -> int:
        """An integer in ``[lo, hi)`` (one ``random()``: ``randrange`` costs several)."""
        return lo + int(self.rng.random() * (hi - lo))

    def _actor(self, role: str) -> str:
        return f"{role}{self._draw(1000, 10000)}"

    def _unit(self, category: str, site: Address) -> tuple[str, str]:
        department = DEPARTMENTS.get(category, "")
        if department and self.rng.random() < 0.75:
            return f"{site.district}{department}", "district"
        if self.rng.random() < 0.2:
            return f"{site.street}{site.community}", "community"
        return f"{site.street}办事处", "street"

    def _verdict(self, shift: float = 0.0) -> str:
        roll = self.rng.random()
        bad, basic = self.k.dissatisfied_share + shift, self.k.basically_satisfied_share
        return "不满意" if roll < bad else "基本满意" if roll < bad + basic else "满意"

    def _stars(self, shift: float = 0.0) -> int:
        verdict = self._verdict(shift)
        rng = self.rng
        if verdict == "满意":
            return 5 if rng.random() < 0.75 else 4
        return 3 if verdict == "基本满意" else (2 if rng.random() < 0.4 else 1)

    def _cut(self, steps: list[Step]) -> list[Step]:
        """The steps that have happened by the span's end, in time order."""
        return sorted((s for s in steps if s.t < self.span), key=lambda s: s.t)

    # -- 12345 and the app: a work order ---------------------------------------------------------------

    def _order(self, t: int, category: str, site: Address, steps: list[Step], send_back: float,
               limit_days: int, shift: float, stars: bool) -> int:  # fmt: skip
        """Dispatch, acknowledge, handle and close one round of a work order from ``t``; the close time."""
        rng, k = self.rng, self.k
        unit, level = self._unit(category, site)
        centre = ("12345热线办理中心", "city")
        dispatched = t + self._lognormal(40 * MINUTE, 1.0, 30 * HOUR)
        steps.append(Step("dispatched", dispatched, self._actor("派单员"), unit, level))
        now = dispatched
        if rng.random() < send_back:
            now += self._lognormal(3 * HOUR, 0.8, 2 * DAY)
            steps.append(
                Step(
                    "sent_back", now, self._actor("经办人"), unit, level, reason=pick(rng, SEND_BACK_REASONS)
                )
            )
            now += self._draw(HOUR, 8 * HOUR)
            unit, level = self._unit(category, site)
            steps.append(Step("redispatched", now, self._actor("派单员"), unit, level))
            steps.append(Step("acknowledged", now + self._lognormal(2 * HOUR, 0.9, 3 * DAY), self._actor("经办人"), unit, level))  # fmt: skip
        acknowledged = now + self._lognormal(90 * MINUTE, 1.0, 3 * DAY)
        if not any(s.type == "acknowledged" for s in steps if s.t >= dispatched):
            steps.append(Step("acknowledged", acknowledged, self._actor("经办人"), unit, level))
        acknowledged = max(s.t for s in steps if s.type == "acknowledged")
        steps.append(Step("contacted", acknowledged + self._lognormal(50 * MINUTE, 1.0, DAY), self._actor("经办人"), unit, level))  # fmt: skip
        due = self._working_deadline(dispatched, limit_days)
        closed = self._office_hours(acknowledged + self._lognormal(k.resolve_days * DAY, 0.8, 40 * DAY))
        if closed > due:  # the limit will not hold: ask for more time first, or be reminded
            if rng.random() < k.extension_share:
                asked = max(acknowledged + HOUR, due - self._draw(6 * HOUR, 2 * DAY))
                days = min(15, math.ceil((closed - due) / DAY) + self._draw(1, 4))
                steps.append(Step("extension_requested", asked, self._actor("经办人"), unit, level,
                                  reason=pick(rng, EXTENSION_REASONS), days=days))  # fmt: skip
                answered = asked + self._draw(2 * HOUR, DAY)
                if rng.random() < k.extension_approval:
                    steps.append(
                        Step("extension_approved", answered, self._actor("审核员"), *centre, days=days)
                    )
                    due = self._working_deadline(due - 1, days)
                else:
                    steps.append(Step("extension_denied", answered, self._actor("审核员"), *centre))
            reminder = self._office_hours(due + 1)
            while reminder < closed:  # 催办 the day after the limit, then every three days
                steps.append(Step("reminded", reminder, self._actor("督办员"), *centre))
                reminder += 3 * DAY
        steps.append(Step("closed", closed, self._actor("经办人"), unit, level))
        if rng.random() < k.follow_up_share:
            called = self._office_hours(closed + self._draw(2 * HOUR, 2 * DAY))
            if stars:
                score = self._stars(shift)
                steps.append(Step("followed_up", called, "市民评价", *centre, score=score))
                unhappy = score <= 2
            else:
                verdict = self._verdict(shift)
                steps.append(
                    Step("followed_up", called, self._actor("回访员"), *centre, satisfaction=verdict)
                )
                unhappy = verdict == "不满意"
            if unhappy and rng.random() < k.reopen_share:
                reopened = called + self._draw(HOUR, DAY)
                steps.append(
                    Step("reopened", reopened, self._actor("督办员"), *centre, reason="群众不满意，发回重办")
                )
                return self._order(
                    reopened, category, site, steps, 0.0, limit_days, -0.5 * k.dissatisfied_share, stars
                )
        return closed

    def hotline(self, t: int, category: str, site: Address) -> list[Step]:
        """A 12345 work order's events from the call at ``t``."""
        steps = [Step("registered", t, self._actor("话务员"), "12345热线办理中心", "city")]
        self._order(t, category, site, steps, self.k.send_back_share, 5, 0.0, stars=False)
        return self._cut(steps)

    def app(self, t: int, category: str, site: Address) -> list[Step]:
        """An app request's events from its submission at ``t`` (rated with stars)."""
        accepted = t + self._lognormal(30 * MINUTE, 1.0, DAY)
        steps = [Step("registered", t, "市民", "12345热线办理中心", "city")]
        steps.append(Step("accepted", accepted, self._actor("受理员"), "12345热线办理中心", "city"))
        self._order(accepted, category, site, steps, self.k.send_back_share / 2, 5, 0.0, stars=True)
        return self._cut(steps)

    # -- petition -----------------------------------------------------------------------------------------

    def petition(self, t: int, category: str, home: Address) -> list[Step]:
        """A petition's events from its registration at ``t`` (信访工作条例: calendar days)."""
        rng, k = self.rng, self.k
        office = (f"{home.district}信访局", "district") if rng.random() < 0.7 else ("兰州市信访局", "city")
        steps = [Step("registered", t, self._actor("登记员"), *office)]
        decided = self._office_hours(t + self._lognormal(4 * DAY, 0.7, 14 * DAY))
        if rng.random() < k.not_accepted_share:
            steps.append(Step("not_accepted", decided, self._actor("受理员"), *office, reason=pick(rng, NOT_ACCEPTED_REASONS)))  # fmt: skip
            return self._cut(steps)
        steps.append(Step("accepted", decided, self._actor("受理员"), *office))
        unit, level = self._unit(category, home)
        handed = self._office_hours(decided + self._draw(HOUR, 2 * DAY))
        steps.append(Step("dispatched", handed, self._actor("交办员"), unit, level))
        steps.append(Step("acknowledged", handed + self._lognormal(5 * HOUR, 0.8, 5 * DAY), self._actor("经办人"), unit, level))  # fmt: skip
        due = decided + 60 * DAY
        replied = self._office_hours(handed + self._lognormal(k.petition_resolve_days * DAY, 0.5, 100 * DAY))
        if replied > due:
            if rng.random() < k.extension_share:
                asked = due - self._draw(2 * DAY, 8 * DAY)
                days = min(30, math.ceil((replied - due) / DAY) + self._draw(2, 8))
                steps.append(Step("extension_requested", asked, self._actor("经办人"), unit, level,
                                  reason=pick(rng, EXTENSION_REASONS), days=days))  # fmt: skip
                if rng.random() < k.extension_approval:
                    steps.append(Step("extension_approved", asked + self._draw(DAY, 3 * DAY), self._actor("审核员"), *office, days=days))  # fmt: skip
                    due += days * DAY
            reminder = self._office_hours(due + 1)
            while reminder < replied:
                steps.append(Step("reminded", reminder, self._actor("督查员"), *office))
                reminder += 7 * DAY
        steps.append(Step("replied", replied, self._actor("经办人"), unit, level))
        steps.append(Step("closed", replied + self._draw(10 * MINUTE, 2 * HOUR), self._actor("经办人"), unit, level))  # fmt: skip
        if rng.random() < k.follow_up_share * 0.7:
            verdict = self._verdict(2 * k.dissatisfied_share)
            rated = self._office_hours(replied + self._draw(DAY, 10 * DAY))
            steps.append(Step("followed_up", rated, "信访人评价", *office, satisfaction=verdict))
            if verdict == "不满意" and rng.random() < k.review_share:
                self._review(replied, steps, office)
        return self._cut(steps)

    def _review(self, replied: int, steps: list[Step], office: tuple[str, str]) -> None:
        """复查 within 30 days of the reply, decided within 30; then perhaps 复核, the same way."""
        rng = self.rng
        asked = replied + self._draw(3 * DAY, 28 * DAY)
        reviewer = ("兰州市人民政府", "city")
        for stage in ("复查", "复核"):
            steps.append(Step("review_requested", self._office_hours(asked), "信访人", *office, stage=stage))
            decided = self._office_hours(asked + self._draw(10 * DAY, 29 * DAY))
            outcome = "changed" if rng.random() < 0.2 else "upheld"
            steps.append(
                Step(
                    "review_decided", decided, self._actor("复查员"), *reviewer, stage=stage, outcome=outcome
                )
            )
            if outcome == "changed" or rng.random() > 0.3:
                return
            asked = decided + self._draw(3 * DAY, 28 * DAY)

    # -- police and the message board -------------------------------------------------------------------

    def police(self, t: int, category: str, site: Address) -> list[Step]:
        """An incident's events from the call at ``t``: on the spot, closed or transferred."""
        rng = self.rng
        station = (
            f"{site.district}公安分局{site.street.removesuffix('街道').removesuffix('镇')}派出所",
            "street",
        )
        steps = [Step("registered", t, self._actor("接警员"), "兰州市公安局110指挥中心", "city")]
        dispatched = t + self._draw(MINUTE, 5 * MINUTE)
        steps.append(Step("dispatched", dispatched, self._actor("调度员"), *station))
        arrived = dispatched + self._lognormal(12 * MINUTE, 0.5, HOUR)
        steps.append(Step("arrived", arrived, self._actor("民警"), *station))
        if rng.random() < self.k.police_transfer_share:
            to = TRANSFER_TO.get(category, "街道综治中心")
            to = to if to.startswith(site.district) or "街道" in to else f"{site.district}{to}"
            steps.append(Step("transferred", arrived + self._draw(30 * MINUTE, 3 * HOUR), self._actor("民警"), *station, to=to))  # fmt: skip
        else:
            steps.append(Step("closed", arrived + self._draw(20 * MINUTE, 2 * HOUR), self._actor("民警"), *station))  # fmt: skip
        return self._cut(steps)

    def netizen(self, t: int, category: str, site: Address) -> list[Step]:
        """A message's events from its posting at ``t``: accepted, handed down, replied, perhaps rated."""
        rng = self.rng
        board = ("兰州市网民留言办理平台", "city")
        accepted = self._office_hours(t + self._lognormal(DAY, 0.7, 5 * DAY))
        steps = [
            Step("registered", t, "网友", *board),
            Step("accepted", accepted, self._actor("管理员"), *board),
        ]
        unit = (f"{site.district}人民政府", "district")
        handed = accepted + self._draw(HOUR, DAY)
        steps.append(Step("dispatched", handed, self._actor("管理员"), *unit))
        replied = self._office_hours(handed + self._lognormal(5 * DAY, 0.6, 30 * DAY))
        steps.append(Step("replied", replied, self._actor("经办人"), *unit))
        if rng.random() < self.k.follow_up_share * 0.4:
            steps.append(Step("followed_up", replied + self._draw(HOUR, 5 * DAY), "网友评价", *board,
                              score=self._stars(self.k.dissatisfied_share)))  # fmt: skip
        return self._cut(steps)
