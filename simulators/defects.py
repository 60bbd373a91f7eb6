"""Genuinely bad rows (about 2% per source) that validation must quarantine.

Each damaged row carries exactly one defect; the world records which, so that tests can reconcile
quarantine counts with what was injected. Primary keys and update cursors are never damaged, so
every bad row is still fetched and landed before validation rejects it.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from simulators.addresses import Address, formal, typed
from simulators.dice import below, between, pick
from simulators.mix import DAY
from simulators.places import CENTRES
from simulators.planner import Report

DEFECT_RATE = 0.02
KINDS: dict[str, tuple[str, ...]] = {
    "petition": ("bad_id_check", "bad_phone", "unknown_category", "outside_district", "empty_content", "future_time", "bad_time"),
    "police": ("bad_id_check", "bad_phone", "unknown_category", "outside_district", "empty_content", "future_time", "bad_time"),
    "hotline": ("bad_id_check", "bad_phone", "unknown_category", "outside_district", "empty_content", "future_time", "bad_time"),
    # The app server stores requested_datetime as a timestamp and filters on it: no time defects there.
    "app": ("bad_id_check", "bad_phone", "unknown_category", "outside_district", "empty_content"),
    # Message boards verify a mobile number, never an identity card.
    "netizen": ("bad_phone", "unknown_category", "outside_district", "empty_content", "future_time", "bad_time"),
}  # fmt: skip
_ID_FIELD = {"police": "报警人身份证号", "hotline": "id_card", "app": "id_card"}
_PHONE_FIELD = {
    "petition": "lxdh",
    "police": "报警人电话",
    "hotline": "caller_phone",
    "app": "phone",
    "netizen": "phone",
}
_CONTENT_FIELD = {
    "petition": "nrzy",
    "police": "简要警情",
    "hotline": "content",
    "app": "description",
    "netizen": "content",
}
_TIME_FIELD = {"petition": "djsj", "police": "报警时间", "hotline": "create_time", "netizen": "post_time"}
_CATEGORY_FIELD = {
    "petition": "wtlb",
    "police": "警情类别代码",
    "hotline": "category",
    "app": "service_code",
    "netizen": "topic",
}
_UNKNOWN_CODES = {
    "petition": ("0599", "1101", "0000"),
    "police": ("JF11", "JX01", "QT00"),
    "hotline": ("劳动保障-社保缴纳", "城市管理-违章停车", "其他"),
    "app": ("street_light", "pothole", "graffiti"),
    "netizen": ("教育/招生入学", "交通/违章停车", "城乡建设/路灯"),
}
_OUTSIDE = (("620402", "白银区", "人民路街道", "人民路"), ("621102", "安定区", "中华路街道", "交通路"))


def _bad_id(number: str, rng: random.Random) -> str:
    return number[:17] + pick(rng, [c for c in "0123456789X" if c != number[17]])


def _bad_phone(number: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return number[:-1]
    if roll < 0.7:
        return number + str(below(rng, 10))
    index = between(rng, 3, len(number) - 1)
    return number[:index] + pick(rng, "OlIZSB") + number[index + 1 :]


def _bad_time(source: str, rng: random.Random, base: datetime, span: int) -> tuple[str, str]:
    """A future time (after the span) and an unparseable one, in the source's own format."""
    future = (base + timedelta(seconds=span + between(rng, DAY, 60 * DAY))).isoformat(" ")
    broken = pick(
        rng, ("0000-00-00 00:00:00", f"{base:%Y-%m-%d} {between(rng, 24, 29)}:{below(rng, 60):02d}:07")
    )
    if source == "police":
        return future.replace("-", "/"), broken.replace("-", "/")
    return future, broken


def inject(
    source: str, row: dict[str, Any], report: Report, rng: random.Random, base: datetime, span: int
) -> str:
    """Damage ``row`` in place with one defect (the caller decides, at :data:`DEFECT_RATE`, which rows).

    Args:
        source: the row's source.
        row: the rendered raw row.
        report: the report it renders (for the complainant's real id and phone).
        rng: the world's random source.
        base: the span's start (naive Beijing time).
        span: the span's length in seconds.

    Returns:
        The defect's kind.
    """
    kind = pick(rng, KINDS[source])
    person = report.dispute.person
    if kind == "bad_id_check":
        field = ("dsrsfzh" if row["dsrsfzh"] else "xfrsfzh") if source == "petition" else _ID_FIELD[source]
        row[field] = _bad_id(row.get(field) or person.id_number, rng)
    elif kind == "bad_phone":
        row[_PHONE_FIELD[source]] = _bad_phone(person.mobile, rng)
    elif kind == "unknown_category":
        row[_CATEGORY_FIELD[source]] = pick(rng, _UNKNOWN_CODES[source])
        if source == "app":
            row["service_name"] = {"street_light": "路灯故障", "pothole": "道路坑洼", "graffiti": "乱涂乱画"}[
                row["service_code"]
            ]
    elif kind == "outside_district":
        _outside(source, row, rng)
    elif kind == "empty_content":
        field = _CONTENT_FIELD[source]
        if source == "app" and rng.random() < 0.5:
            del row[field]
        else:
            row[field] = None if source == "petition" and rng.random() < 0.5 else pick(rng, ("", "  "))
    else:
        future, broken = _bad_time(source, rng, base, span)
        row[_TIME_FIELD[source]] = future if kind == "future_time" else broken
    return kind


def _outside(source: str, row: dict[str, Any], rng: random.Random) -> None:
    code, district, street, road = pick(rng, _OUTSIDE)
    lat, lon = CENTRES["白银区"] if district == "白银区" else (35.58, 104.62)
    place = Address(district, street, road + "社区", road, between(rng, 1, 300), lat=lat, lon=lon)
    if source == "petition":
        city = "甘肃省白银市" if district == "白银区" else "甘肃省定西市"
        row.update(
            zz=city + formal(place).removeprefix("甘肃省兰州市"), xzqh=code, jdmc=street, sqmc=place.community
        )
    elif source == "police":
        row.update({"管辖区县": district, "发案地址": f"{district}{road}{place.number}号"})
    elif source == "hotline":
        row.update(area=district, address=f"{district}{road}{place.number}号", street="")
    elif source == "netizen":
        city = "甘肃省白银市" if district == "白银区" else "甘肃省定西市"
        row.update(area=city + district, address=f"{road}{place.number}号")
    else:
        city = "甘肃省白银市" if district == "白银区" else "甘肃省定西市"
        row["address"] = city + typed(place, rng).removeprefix("甘肃省兰州市").removeprefix("兰州市")
        if "lat" in row:
            row.update(
                lat=round(lat + rng.uniform(-0.01, 0.01), 6), long=round(lon + rng.uniform(-0.01, 0.01), 6)
            )
