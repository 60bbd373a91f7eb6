"""What the knobs change in a rendered row: missing phones and ids, typos in names and addresses,
relatives who file for the complainant with their own phone, home and (sometimes) name, and mobiles the app
and the board show masked."""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable
from typing import Any

from simulators.addresses import dictated, terse, typed
from simulators.dice import below, pick
from simulators.knobs import WorldKnobs
from simulators.names import has_homophone, homophone_of
from simulators.planner import Report

_NAME = {
    "petition": "xfrxm",
    "police": "报警人姓名",
    "hotline": "caller_name",
    "app": "first_name",
    "netizen": "real_name",
}
_PHONE = {
    "petition": "lxdh",
    "police": "报警人电话",
    "hotline": "caller_phone",
    "app": "phone",
    "netizen": "phone",
}
_ID = {"petition": ("xfrsfzh", "dsrsfzh"), "police": ("报警人身份证号",), "hotline": ("id_card",), "app": ("id_card",),
       "netizen": ()}  # fmt: skip
_ADDRESS = {
    "petition": "zz",
    "police": "发案地址",
    "hotline": "address",
    "app": "address",
    "netizen": "address",
}
_STYLE = {"police": terse, "hotline": dictated, "app": typed}
# Characters a hurried typist or a handwriting reader takes for one another.
_LOOKALIKE = dict(
    zip(
        "王玉李季刘浏陈阵杨扬赵越吴昊马冯胡湖孙逊高膏林材",
        "玉王季李浏刘阵陈扬杨越赵昊吴冯马湖胡逊孙膏高材林",
        strict=True,
    )
)
_DIGIT = re.compile(r"\d")


# How a board or an app shows a mobile it masks: the middle four hidden, five hidden, the end hidden, or all
# but the last four.
_MASKS: tuple[Callable[[str], str], ...] = (
    lambda m: m[:3] + "****" + m[7:],
    lambda m: m[:3] + "*****" + m[8:],
    lambda m: m[:7] + "****",
    lambda m: "*******" + m[7:],
)


def active(knobs: WorldKnobs) -> bool:
    """Whether any of this module's knobs is on (else :func:`vary` is never called)."""
    return bool(knobs.no_phone or knobs.no_id or knobs.name_typos or knobs.address_typos or knobs.proxy_calls
                or knobs.proxy_own_name or knobs.masked_phones)  # fmt: skip


def vary(source: str, row: dict[str, Any], report: Report, knobs: WorldKnobs, rng: random.Random) -> None:
    """Change ``row`` in place as the knobs say (before defects are injected, so defects stay as recorded).

    Args:
        source: the row's channel.
        row: the rendered raw row.
        report: the report it renders (its ``proxy`` is the relative filing it, if any).
        knobs: the world's knobs.
        rng: the knobs' stream.
    """
    rand = rng.random
    if report.proxy is not None:
        _proxy(source, row, report, knobs, rng)
    if knobs.no_phone and rand() < knobs.no_phone:
        row[_PHONE[source]] = ""
    if knobs.no_id and rand() < knobs.no_id:
        for column in _ID[source]:
            if row.get(column):
                row[column] = ""
    if knobs.name_typos and rand() < knobs.name_typos:
        column = "dsrxm" if source == "petition" and row.get("dsrxm") else _NAME[source]
        if row.get(column):
            row[column] = name_typo(row[column], rng)
    if knobs.address_typos and rand() < knobs.address_typos and row.get(_ADDRESS[source]):
        row[_ADDRESS[source]] = address_typo(row[_ADDRESS[source]], rng)
    if knobs.masked_phones and source in ("app", "netizen") and row.get(_PHONE[source]):
        row[_PHONE[source]] = shown_mobile(row[_PHONE[source]], f"{source}|{report.t}", knobs.masked_phones)


def shown_mobile(phone: str, row_key: str, share: float) -> str:
    """``phone`` as the channel shows it: a mobile masked one of four ways in ``share`` of rows, else as it is.

    Drawn from a stream of the row's own (``row_key`` and the number), so that the knob moves no other draw
    of a world: a drawn world with masks is the same world, its numbers shown so."""
    if not (len(phone) == 11 and phone.isdigit() and phone[0] == "1"):
        return phone
    draw = random.Random(zlib.crc32(f"{row_key}|{phone}".encode()))
    if draw.random() >= share:
        return phone
    return _MASKS[int(draw.random() * len(_MASKS))](phone)


def _proxy(source: str, row: dict[str, Any], report: Report, knobs: WorldKnobs, rng: random.Random) -> None:
    relative = report.proxy
    assert relative is not None
    own_name = knobs.proxy_own_name and rng.random() < knobs.proxy_own_name
    if source == "petition":  # already the visitor's phone and home; the clerk may record only the visitor
        if own_name:
            row.update(dsrxm=None, dsrsfzh=None)
        return
    person = report.dispute.person
    row[_PHONE[source]] = relative.mobile
    if report.dispute.site is person.home:
        row[_ADDRESS[source]] = _STYLE[source](relative.home, rng)
    if own_name:
        if source == "app":
            row.update(first_name=relative.given, last_name=relative.surname)
        else:
            row[_NAME[source]] = relative.name
        for column in _ID[source]:
            if row.get(column):
                row[column] = relative.id_number


def name_typo(name: str, rng: random.Random) -> str:
    """``name`` with one slip: a homophone, an accent's near-homophone, a look-alike or a dropped character."""
    roll = rng.random()
    if roll < 0.4 and any(has_homophone(c) for c in name):
        return homophone_of(name, rng)
    if roll < 0.55:
        near = homophone_of(name, rng, near=True)
        if near != name:
            return near
    positions = [i for i, c in enumerate(name) if c in _LOOKALIKE]
    if roll < 0.8 and positions:
        i = pick(rng, positions)
        return name[:i] + _LOOKALIKE[name[i]] + name[i + 1 :]
    if len(name.strip()) >= 3:
        i = 1 + below(rng, len(name) - 1)
        return name[:i] + name[i + 1 :]
    return homophone_of(name, rng)


def address_typo(address: str, rng: random.Random) -> str:
    """``address`` with one slip: a homophone, a wrong digit, or 号/栋 swapped."""
    roll = rng.random()
    digits = [m.start() for m in _DIGIT.finditer(address)]
    if roll < 0.45 and digits:
        i = pick(rng, digits)
        return address[:i] + str((int(address[i]) + pick(rng, (1, 9))) % 10) + address[i + 1 :]
    if roll < 0.65 and ("号楼" in address or "栋" in address):
        return address.replace("号楼", "栋", 1) if "号楼" in address else address.replace("栋", "号楼", 1)
    positions = [i for i, c in enumerate(address) if has_homophone(c) and i >= 2]
    if positions:
        i = pick(rng, positions)
        return address[:i] + homophone_of(address[i], rng) + address[i + 1 :]
    return address
