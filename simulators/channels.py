"""Render a planned report as the raw row its channel's system holds (SOURCES.md), with that channel's habits.

- petition: formal address and id, occasional traditional characters, relatives filing (代访);
- police: verified id, correct name, terse text, short district names, ``YYYY/MM/DD`` times;
- hotline: homophones in names, dictated addresses, ``+86`` and separators in numbers, long summaries;
- app: full-width digits, spaces in names, city-prefixed addresses, optional GeoReport fields absent.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from connectors.taxonomy import DIVISIONS, source_category_codes
from simulators.addresses import dictated, formal, full_width, terse, typed
from simulators.clock import Clock
from simulators.content import render_content, to_traditional
from simulators.dice import between, pick
from simulators.event_rows import events_column, last
from simulators.handling import Handling
from simulators.knobs import DEFAULT_KNOBS, WorldKnobs
from simulators.mix import DAY
from simulators.names import homophone_of
from simulators.places import short_district
from simulators.planner import Report
from simulators.wording import Wording

Row = dict[str, Any]
_FORWARDING = ("formal", "operator", "terse")  # styles whose writer may copy a forwarded order's text
_CODES = {d.name: d.code or d.name for d in DIVISIONS}
# Districts an operator mixes up when a caller lives near a boundary.
_CONFUSED = {"城关区": "七里河区", "七里河区": "城关区", "安宁区": "七里河区", "西固区": "七里河区"}
APP_SERVICE_NAMES = {
    "wage_arrears": "拖欠工资", "housing_delivery": "逾期交房", "relocation": "征收拆迁", "investment_loss": "投资理财",
    "property_mgmt": "物业管理", "medical": "医患纠纷", "traffic": "交通事故", "neighbour": "邻里矛盾",
    "family": "婚姻家庭", "consumer": "消费投诉", "environment": "环境污染", "other": "其他",
}  # fmt: skip


def category_code(source: str, category: str) -> str:
    """The first code of ``source`` that maps to ``category`` in categories.yaml."""
    return _REVERSE[source][category]


def _reverse() -> dict[str, dict[str, str]]:
    reverse: dict[str, dict[str, str]] = {}
    for source in ("petition", "police", "hotline", "app", "netizen"):
        reverse[source] = {}
        for code, category in source_category_codes(source).items():
            reverse[source].setdefault(category, code)
    return reverse


_REVERSE = _reverse()


class Renderer:
    """Turns reports into raw rows; randomness comes from the world's ``rng``, and from ``krng`` for what
    only non-default knobs do (so that default knobs render exactly what they always did)."""

    def __init__(self, rng: random.Random, start: date, days: int, knobs: WorldKnobs = DEFAULT_KNOBS,
                 krng: random.Random | None = None, erng: random.Random | None = None) -> None:  # fmt: skip
        self.rng = rng
        self.krng = krng or random.Random(0)
        self.start = start
        self.base = datetime(start.year, start.month, start.day)
        self.span = days * DAY
        # Handling events draw from their own stream: the rest of the row is what it always was.
        self.handling = Handling(erng or random.Random(f"events:{start}"), self.base, self.span, knobs)
        clock = Clock(start, days)
        self.local, self.slash, self.iso = clock.local, clock.slash, clock.iso
        wording = Wording(knobs, self.krng)
        self.wording = wording if wording.active else None
        self._shared = knobs.shared_text
        homophone = knobs.hotline_homophone
        near = homophone + knobs.hotline_near_homophone
        self._hotline_cuts = (homophone, near, near + knobs.hotline_honorific)
        app = knobs.app_homophone  # the other forms of an app name keep their shares, after the typos
        self._app_cuts = (
            (0.02, 0.12, 0.17, 0.20) if app == 0.02 else (app, app + 0.10, app + 0.15, app + 0.18)
        )
        self._texts: dict[int, str] = {}

    def text(self, report: Report, style: str, *, area: str = "", peers: str = "") -> str:
        """The report's text in ``style`` (a later report may copy an earlier one's, per ``shared_text``)."""
        dispute = report.dispute
        day = self.start + timedelta(days=report.t // DAY) if self.wording is not None else None
        text = render_content(dispute.category, style, dispute.facts, self.rng, area=area, peers=peers,
                              wording=self.wording, day=day)  # fmt: skip
        if self._shared:
            earlier = self._texts.setdefault(id(dispute), text)
            # Offices forward work orders to one another; a citizen types their own words.
            if earlier is not text and style in _FORWARDING and self.krng.random() < self._shared:
                return earlier
        return text

    # -- times ------------------------------------------------------------------------------------

    def lifecycle(self, t: int, steps: tuple[tuple[int, int, float], ...]) -> list[int]:
        """Event times from ``t``: each step happens after ``lo..hi`` seconds unless it stops (prob) or leaves the span."""
        rng = self.rng
        times = [t]
        for lo, hi, stop in steps:
            if rng.random() < stop:
                break
            nxt = times[-1] + between(rng, lo, hi)
            if nxt >= self.span:
                break
            times.append(nxt)
        return times

    # -- people -----------------------------------------------------------------------------------
    def _peers(self, report: Report) -> str:
        size = report.dispute.group_size
        return f"等{size}人" if size and self.rng.random() < 0.3 else ""

    def petition(self, report: Report, pk: str) -> Row:
        """One ``xf_petition`` row."""
        rng = self.rng
        dispute = report.dispute
        person = dispute.person
        visitor = report.proxy or person
        home = visitor.home
        text = self.text(report, "formal", peers=self._peers(report))
        if report.proxy is not None:
            text = f"信访人系当事人{person.name}的{report.proxy_relation}，代为来访。{text}"
        if rng.random() < 0.06:
            text = to_traditional(text)
        phone = (
            visitor.alt_phone
            if visitor.alt_phone.startswith("0931") and rng.random() < 0.3
            else visitor.mobile
        )
        self.lifecycle(
            report.t, ((600, 14400, 0.15), (3600, DAY, 0.3), (7200, 3 * DAY, 0.5))
        )  # keeps the stream
        steps = self.handling.petition(report.t, dispute.category, home)
        decision, closed = last(steps, "accepted", "not_accepted"), last(steps, "closed", "reopened")
        closed = closed if closed is not None and closed.type == "closed" else None
        return {
            "xfjbh": pk,
            "djsj": self.local(report.t),
            "xfrxm": visitor.name,
            "xfrsfzh": visitor.id_number,
            "lxdh": phone,
            "dsrxm": person.name if report.proxy is not None else None,
            "dsrsfzh": person.id_number if report.proxy is not None else None,
            "zz": formal(home),
            "xzqh": _CODES[home.district],
            "jdmc": home.street,
            "sqmc": home.community,
            "wtlb": category_code("petition", report.category or dispute.category),
            "nrzy": text,
            "blzt": _petition_status(steps),
            "slsj": self.local(decision.t) if decision is not None else None,
            "bjsj": self.local(closed.t) if closed is not None else None,
            "gxsj": self.local(steps[-1].t),
            "blgc": events_column("petition", steps, self.local),
        }

    def police(self, report: Report, pk: str) -> Row:
        """One row of a dispatch-system CSV export."""
        rng = self.rng
        dispute = report.dispute
        person = dispute.person
        site = dispute.site
        phone = person.alt_phone if person.alt_phone[:1] == "1" and rng.random() < 0.3 else person.mobile
        done = report.t + between(rng, 300, 2400)
        status, updated = "已处警", done if done < self.span else report.t
        roll = rng.random()
        if roll < 0.7 and updated == done:
            later = done + between(rng, 3600, 5 * 3600)
            if later < self.span:
                updated, status = later, "已调解" if roll < 0.55 else "移交"
        stamp = self.slash
        steps = self.handling.police(report.t, dispute.category, site)
        end = steps[-1].type
        status = "已调解" if end == "closed" else "移交" if end == "transferred" else "已处警"
        return {
            "接警单编号": pk,
            "报警时间": stamp(report.t),
            "报警人姓名": person.name,
            "报警人电话": phone,
            "报警人身份证号": person.id_number if rng.random() < 0.95 else "",
            "发案地址": terse(site, rng),
            "管辖区县": site.district if rng.random() < 0.6 else short_district(site.district),
            "警情类别代码": category_code("police", report.category or dispute.category),
            "简要警情": self.text(report, "terse"),
            "处警状态": status,
            "更新时间": stamp(steps[-1].t),
            "处警记录": events_column("police", steps, stamp),
        }

    def _hotline_name(self, name: str, surname: str, gender: str) -> str:
        roll = self.rng.random()
        homophone, near, honorific = self._hotline_cuts
        if roll < homophone:
            return homophone_of(name, self.rng)
        if roll < near:
            return homophone_of(name, self.rng, near=True)
        if roll < honorific:
            return surname + ("先生" if gender == "m" else "女士")
        return name

    def _hotline_phone(self, number: str) -> str:
        roll = self.rng.random()
        if number.startswith("0931"):
            return number if roll < 0.6 else number.replace("-", "")
        if roll < 0.1:
            return "+86" + number
        if roll < 0.15:
            return f"+86 {number[:3]} {number[3:7]} {number[7:]}"
        if roll < 0.2:
            return f"{number[:3]}-{number[3:7]}-{number[7:]}"
        return number

    def hotline(self, report: Report, pk: str) -> Row:
        """One 12345 work order."""
        rng = self.rng
        dispute = report.dispute
        person = dispute.person
        site = dispute.site
        number = person.alt_phone if person.alt_phone and rng.random() < 0.35 else person.mobile
        area = site.district
        if area in _CONFUSED and rng.random() < 0.02:
            area = _CONFUSED[area]
        text = self.text(
            report, "operator", area=area if rng.random() < 0.5 else "", peers=self._peers(report)
        )
        self.lifecycle(
            report.t, ((300, 14400, 0.05), (3600, DAY, 0.3), (7200, 3 * DAY, 0.4))
        )  # keeps the stream
        steps = self.handling.hotline(report.t, dispute.category, site)
        dispatched, closed = last(steps, "dispatched"), _closed(steps)
        return {
            "order_no": pk,
            "create_time": self.local(report.t),
            "update_time": self.local(steps[-1].t),
            "caller_name": self._hotline_name(person.name, person.surname, person.gender),
            "caller_phone": self._hotline_phone(number),
            "id_card": person.id_number if rng.random() < 0.12 else "",
            "address": dictated(site, rng),
            "area": area,
            "street": site.street if rng.random() < 0.6 else "",
            "category": category_code("hotline", report.category or dispute.category),
            "content": text,
            "status": _order_status(steps),
            "dispatch_time": self.local(dispatched.t) if dispatched is not None else None,
            "finish_time": self.local(closed.t) if closed is not None else None,
            "flow": events_column("hotline", steps, self.local),
        }

    def app(self, report: Report, pk: str) -> Row:
        """One Open311 GeoReport v2 service request (absent optional fields are left out)."""
        rng = self.rng
        dispute = report.dispute
        person = dispute.person
        site = dispute.site
        code = category_code("app", report.category or dispute.category)
        text = self.text(report, "citizen")
        if rng.random() < 0.15:
            text = full_width(text)
        updated = report.t + between(rng, 60, 7200)
        updated = updated if updated < self.span else report.t
        closing = updated + between(rng, 7200, 3 * DAY)
        drawn_closed = rng.random() < 0.35 and closing < self.span  # the original world's draws, kept
        notes = (
            pick(rng, ("已办结，已电话回复市民", f"已转{site.district}综治中心办理并办结", "经核实已解决"))
            if drawn_closed
            else "已受理，正在办理"
            if rng.random() < 0.5
            else None
        )
        steps = self.handling.app(report.t, dispute.category, site)
        closed = _closed(steps) is not None
        updated = steps[-1].t if steps else report.t
        row: Row = {"service_request_id": pk, "status": "closed" if closed else "open"}
        if closed:
            row["status_notes"] = notes if drawn_closed else "已办结"
        elif steps and notes is not None:
            row["status_notes"] = "已受理，正在办理"
        row.update(service_name=APP_SERVICE_NAMES[code], service_code=code, description=text)
        row.update(requested_datetime=self.iso(report.t), updated_datetime=self.iso(updated))
        if steps:
            row["status_history"] = events_column("app", steps, self.iso)
        row["address"] = typed(site, rng)
        if rng.random() < 0.7:
            row["lat"] = round(site.lat + (rng.random() - 0.5) * 6e-4, 6)
            row["long"] = round(site.lon + (rng.random() - 0.5) * 6e-4, 6)
        self._app_name(row, person.surname, person.given)
        phone = person.mobile
        roll = rng.random()
        row["phone"] = (
            full_width(phone)
            if roll < 0.12
            else (f"{phone[:3]} {phone[3:7]} {phone[7:]}" if roll < 0.17 else phone)
        )
        if rng.random() < 0.12:
            row["email"] = (
                f"{between(rng, 10**7, 10**10)}@qq.com" if rng.random() < 0.6 else f"{phone}@163.com"
            )
        if rng.random() < 0.3:
            row["id_card"] = person.id_number
        return row

    def _app_name(self, row: Row, surname: str, given: str) -> None:
        rng = self.rng
        roll = rng.random()
        typo, whole, spaced, swapped = self._app_cuts
        if roll < typo:
            typo_name = homophone_of(surname + given, rng)
            row.update(first_name=typo_name[len(surname) :], last_name=typo_name[: len(surname)])
        elif roll < whole:
            row["first_name"] = surname + given
        elif roll < spaced:
            row["first_name"] = (
                f"{surname} {given}"
                if len(given) == 1 or rng.random() < 0.5
                else f"{surname}{given[0]} {given[1:]}"
            )
        elif roll < swapped:
            row.update(first_name=given + " ", last_name=surname)
        else:
            row.update(first_name=given, last_name=surname)

    def render(self, report: Report, pk: str) -> Row:
        """Render ``report`` for its own channel."""
        return getattr(self, report.channel)(report, pk)  # type: ignore[no-any-return]


def _closed(steps: list[Any]) -> Any:
    """The closing step if the order is closed now (not reopened since), else ``None``."""
    end = last(steps, "closed", "reopened")
    return end if end is not None and end.type == "closed" else None


def _order_status(steps: list[Any]) -> str:
    """The 12345 work order's status after its latest step."""
    if _closed(steps) is not None:
        return "已办结"
    if last(steps, "acknowledged", "reopened") is not None:
        return "办理中"
    return "已派单" if last(steps, "dispatched") is not None else "待派单"


def _petition_status(steps: list[Any]) -> str:
    """The petition's status (办理状态) after its latest step."""
    kinds = {s.type for s in steps}
    if "not_accepted" in kinds:
        return "不予受理"
    review = last(steps, "review_requested", "review_decided")
    if review is not None and review.type == "review_requested":
        return "复查中"
    if "closed" in kinds:
        return "已办结"
    if "dispatched" in kinds:
        return "办理中"
    return "已受理" if "accepted" in kinds else "已登记"
