"""World knobs: the defaults give the original world, each knob changes what it says, draws stay in range."""

from __future__ import annotations

import hashlib
import json
import random
import re
import statistics
from collections import defaultdict
from dataclasses import fields
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from connectors.taxonomy import map_category
from simulators import World, generate_world
from simulators.knobs import WorldKnobs
from simulators.mix import DAY
from simulators.planner import Planner
from simulators.wording import _BARE, _WORDS

pytestmark = pytest.mark.unit

START = date(2026, 1, 1)
N, DAYS = 4000, 365
CATEGORY = {"petition": "wtlb", "police": "警情类别代码", "hotline": "category", "app": "service_code"}
CONTENT = {"petition": "nrzy", "police": "简要警情", "hotline": "content", "app": "description"}
PHONE = {"petition": "lxdh", "police": "报警人电话", "hotline": "caller_phone", "app": "phone"}
TIME = {"petition": "djsj", "police": "报警时间", "hotline": "create_time", "app": "requested_datetime"}
KEY = {"petition": "xfjbh", "police": "接警单编号", "hotline": "order_no", "app": "service_request_id"}


# The fields the handling events (simulators/handling.py) set: everything else is the original world.
EVENT_DRIVEN = {
    "petition": ("blzt", "slsj", "bjsj", "gxsj", "blgc"),
    "police": ("处警状态", "更新时间", "处警记录"),
    "hotline": ("status", "dispatch_time", "finish_time", "update_time", "flow"),
    "app": ("status", "status_notes", "updated_datetime", "status_history"),
    "netizen": ("status", "reply_org", "reply_time", "update_time", "process"),
}


def fingerprint(world: World, without: dict[str, tuple[str, ...]] | None = None) -> str:
    rows = world.rows
    if without is not None:
        rows = {
            s: [{k: v for k, v in r.items() if k not in without[s]} for r in rs] for s, rs in rows.items()
        }
    digest = hashlib.sha256()
    digest.update(json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str).encode())
    digest.update(json.dumps([list(t) for t in world.truth], ensure_ascii=False).encode())
    digest.update(json.dumps(world.defects, sort_keys=True).encode())
    digest.update(json.dumps(world.stats, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


@cache
def world(**changes: Any) -> World:
    return generate_world(seed=11, n_records=N, start=START, days=DAYS, knobs=WorldKnobs(**changes))


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("/", "-")).replace(tzinfo=None)


# -- the defaults are the original world ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "records", "start", "days", "original", "expected"),
    [
        pytest.param(7, 5000, date(2026, 11, 20), 1, "9e27a548a47f13d4", "3acad9832b2e8391", id="demo day"),
        pytest.param(3, 8000, date(2026, 1, 1), 60, "268c6a862681e21f", "2d0a0093fa52e689", id="two months"),
    ],
)
def test_default_knobs_give_the_original_world(
    seed: int, records: int, start: date, days: int, original: str, expected: str
) -> None:
    # ``original``: the world before the handling events (commit 943b89a) without the fields they set,
    # taken from that commit; the defaults must not move a byte of the rest. ``expected``: the whole world.
    world = generate_world(seed=seed, n_records=records, start=start, days=days)
    assert fingerprint(world, without=EVENT_DRIVEN) == original
    assert fingerprint(world) == expected
    explicit = generate_world(seed=seed, n_records=records, start=start, days=days, knobs=WorldKnobs())
    assert fingerprint(explicit) == expected


# -- each knob changes what it says ---------------------------------------------------------------------------


def changed_share(knob: dict[str, float], source: str, column: str) -> float:
    """Share of ``source`` rows whose ``column`` differs from the default world's (render-time knobs keep
    the world's own stream, so every other value of the two worlds is the same)."""
    base, other = world().rows[source], world(**knob).rows[source]
    assert [r[KEY[source]] for r in base] == [r[KEY[source]] for r in other]
    changed: int = sum(a.get(column) != b.get(column) for a, b in zip(base, other, strict=True))
    return changed / len(base)


@pytest.mark.parametrize(
    ("knob", "source", "column", "expected"),
    [
        pytest.param({"category_off_police": 0.6}, "police", "警情类别代码", 0.6, id="police category"),
        pytest.param({"category_off_app": 0.3}, "app", "service_code", 0.3, id="app category"),
        pytest.param({"category_off_petition": 0.5}, "petition", "wtlb", 0.5, id="petition category"),
        pytest.param({"no_phone": 0.3}, "hotline", "caller_phone", 0.3, id="no phone"),
        pytest.param(
            {"no_id": 0.5}, "police", "报警人身份证号", 0.5 * 0.95, id="no id (police give one in 95%)"
        ),
        pytest.param({"name_typos": 0.1}, "police", "报警人姓名", 0.1, id="name typos"),
        pytest.param({"address_typos": 0.08}, "hotline", "address", 0.08, id="address typos"),
        pytest.param({"police_terse": 0.7}, "police", "简要警情", 0.7 * 0.95, id="bare police lines"),
    ],
)
def test_knob_changes_its_share_of_rows(
    knob: dict[str, float], source: str, column: str, expected: float
) -> None:
    assert changed_share(knob, source, column) == pytest.approx(expected, abs=0.06)


def test_police_file_other_mostly_and_only_multi_channel_cases_disagree() -> None:
    knobbed = world(category_off_police=0.6)
    case_of = {t.record_id: t.case_key for t in knobbed.truth}
    others: dict[str, set[str]] = defaultdict(set)
    for source in ("petition", "hotline", "app"):
        for row in knobbed.rows[source]:
            others[case_of[f"{source}:{row[KEY[source]]}"]].add(
                map_category(source, row[CATEGORY[source]]) or ""
            )
    filed = []
    for row in knobbed.rows["police"]:
        own = others.get(case_of[f"police:{row['接警单编号']}"])
        if own and len(own) == 1 and f"police:{row['接警单编号']}" not in knobbed.defects:
            filed.append((map_category("police", row["警情类别代码"]), next(iter(own))))
    off = [police for police, truth in filed if police != truth]
    assert len(off) / len(filed) == pytest.approx(0.6, abs=0.08)
    assert off.count("其他") / len(off) > 0.7


def gaps(knobbed: World) -> list[float]:
    """Days between a case's first report and each later one, over the four planned channels."""
    case_of = {t.record_id: t.case_key for t in knobbed.truth}
    times: dict[str, list[datetime]] = defaultdict(list)
    for source, column in TIME.items():
        for row in knobbed.rows[source]:
            record_id = f"{source}:{row[KEY[source]]}"
            if record_id not in knobbed.defects:
                times[case_of[record_id]].append(parse_time(row[column]))
    return [(t - min(ts)).total_seconds() / DAY for ts in times.values() for t in sorted(ts)[1:]]


@pytest.mark.parametrize(
    ("knob", "low", "high"),
    [
        pytest.param({}, 0.0, 0.3, id="default: the same day"),
        pytest.param({"repeat_gap_hours": 12.0}, 0.2, 0.5, id="half a day"),
        pytest.param(
            {"late_repeat_share": 1.0, "late_repeat_days": 30.0, "late_repeat_sigma": 0.3},
            22,
            38,
            id="a month",
        ),
        pytest.param(
            {"late_repeat_share": 1.0, "late_repeat_days": 5.0, "late_repeat_sigma": 0.3},
            3.5,
            6.5,
            id="a week",
        ),
    ],
)
def test_repeat_spacing_sets_the_median_gap(knob: dict[str, float], low: float, high: float) -> None:
    assert low <= statistics.median(gaps(world(**knob))) <= high


def contents(knobbed: World, source: str) -> list[str]:
    return [row[CONTENT[source]] or "" for row in knobbed.rows[source]]


def share(texts: list[str], pattern: str) -> float:
    return sum(re.search(pattern, text) is not None for text in texts) / len(texts)


@pytest.mark.parametrize(
    ("knob", "source", "pattern", "low"),
    [
        pytest.param({"colloquial_amounts": 0.8}, "hotline", r"块|\dw|[一二两三四五六七八九十]万|[千百]多|几", 0.25, id="sums"),
        pytest.param({"colloquial_dates": 0.8}, "petition", r"上个月|去年|今年|前年|个月前|半年|前几天|前天|昨天|月份|\d+月\d+号|这[半一二三四五六七八九十]|个多月", 0.12, id="dates"),
    ],
)  # fmt: skip
def test_wording_knobs_appear_in_text(knob: dict[str, float], source: str, pattern: str, low: float) -> None:
    assert share(contents(world(), source), pattern) <= 0.02
    assert share(contents(world(**knob), source), pattern) >= low


def test_short_names_drop_registered_company_names() -> None:
    before = share(contents(world(), "petition"), "有限(责任)?公司")
    after = share(contents(world(short_names=0.8), "petition"), "有限(责任)?公司")
    assert before > 0.1 and after < before * 0.6


def test_fact_omission_leaves_sums_out() -> None:
    before = share(contents(world(), "hotline"), r"\d元")
    assert share(contents(world(fact_omission=0.4), "hotline"), r"\d元") < before * 0.75


def test_bare_police_lines_carry_no_fact() -> None:
    bare = {line.replace("{word}", word) for line in _BARE for word in _WORDS.values()}
    lines = contents(world(police_terse=0.9), "police")
    assert sum(line in bare for line in lines) / len(lines) == pytest.approx(0.9 * 0.95, abs=0.06)


def test_shared_text_repeats_an_office_text_within_a_case() -> None:
    def repeated(knobbed: World) -> int:
        case_of = {t.record_id: t.case_key for t in knobbed.truth}
        seen: dict[str, set[str]] = defaultdict(set)
        hits = 0
        for source in ("petition", "police", "hotline"):
            for row in knobbed.rows[source]:
                case, text = case_of[f"{source}:{row[KEY[source]]}"], row[CONTENT[source]]
                hits += text in seen[case]
                seen[case].add(text)
        return hits

    assert repeated(world(shared_text=0.5)) > repeated(world()) + 50


@pytest.mark.parametrize(
    ("knob", "stat", "low", "high"),
    [
        pytest.param({"multi_channel_share": 0.7}, "multi_channel_share", 0.6, 0.8, id="multi-channel"),
        pytest.param(
            {"multi_channel_share": 0.15}, "multi_channel_share", 0.1, 0.25, id="mostly one channel"
        ),
        pytest.param({"group_share": 0.0}, "group_share", 0.0, 0.0, id="no groups"),
        pytest.param({"group_share": 0.05}, "group_share", 0.3, 0.8, id="many groups"),
        pytest.param({"namesake_pairs": 0.05}, "namesake_pairs_planted", 60, 400, id="namesakes"),
        pytest.param(
            {"hotline_homophone": 0.3}, "hotline_homophone_share", 0.25, 0.4, id="hotline homophones"
        ),
        pytest.param({"proxy_elderly": 0.0, "proxy_other": 0.0}, "proxy_petitions", 0, 0, id="no proxies"),
    ],
)
def test_knob_moves_its_statistic(knob: dict[str, float], stat: str, low: float, high: float) -> None:
    assert low <= world(**knob).stats[stat] <= high


def test_popular_names_raise_namesake_density() -> None:
    def namesakes(knobbed: World) -> int:
        return int(knobbed.stats["namesake_sets_same_district"])

    assert namesakes(world(popular_names=0.4)) > 2 * namesakes(world())


def test_group_size() -> None:
    members: dict[str, set[str]] = defaultdict(set)
    for row in world(group_share=0.04, group_size_mean=25.0, group_size_max=60).truth:
        if row.group_key:
            members[row.group_key].add(row.case_key)
    sizes = [len(cases) for cases in members.values()]
    assert max(sizes) <= 60 and statistics.mean(sizes) > 18


def test_relatives_file_on_other_channels() -> None:
    knobs = WorldKnobs(proxy_calls=0.25)
    plan = Planner(random.Random(5), START, DAYS, knobs, random.Random(6)).run(3000)
    calls = [r for r in plan.reports if r.channel != "petition"]
    assert sum(r.proxy is not None for r in calls) / len(calls) == pytest.approx(0.25, abs=0.04)
    default = Planner(random.Random(5), START, DAYS).run(3000)
    assert not any(r.proxy is not None for r in default.reports if r.channel != "petition")


# -- drawn worlds and overrides ----------------------------------------------------------------------------------


def test_drawn_worlds_stay_within_their_ranges_and_cover_them() -> None:
    drawn = [WorldKnobs.draw(random.Random(i)) for i in range(300)]
    for spec in fields(WorldKnobs):
        lo, hi = spec.metadata["range"]
        values = [getattr(k, spec.name) for k in drawn]
        assert lo <= min(values) and max(values) <= hi, spec.name
        assert min(values) < lo + (hi - lo) * 0.1 and max(values) > hi - (hi - lo) * 0.1, spec.name
        assert spec.metadata["doc"] and spec.metadata["unit"], spec.name


def test_drawn_ranges_are_wider_than_the_defaults() -> None:
    default = WorldKnobs()
    for spec in fields(WorldKnobs):
        lo, hi = spec.metadata["range"]
        assert lo <= getattr(default, spec.name) <= hi, spec.name


def test_overrides_and_validation() -> None:
    knobs = WorldKnobs().with_overrides(["cpo=0.6", "late_repeat_days=30", "gmax=50"])
    assert (knobs.category_off_police, knobs.late_repeat_days, knobs.group_size_max) == (0.6, 30.0, 50)
    assert knobs.changed() == {"category_off_police": 0.6, "late_repeat_days": 30.0, "group_size_max": 50}
    with pytest.raises(ValueError, match="unknown knob"):
        WorldKnobs().with_overrides(["colour=1"])
    with pytest.raises(ValueError, match="share"):
        WorldKnobs(no_phone=1.5)
    with pytest.raises(ValueError, match="positive"):
        WorldKnobs(late_repeat_days=0)


def test_drawn_world_generates() -> None:
    knobs = WorldKnobs.draw(random.Random(3))
    drawn = generate_world(seed=3, n_records=1500, start=START, days=120, knobs=knobs)
    assert sum(len(drawn.rows[s]) for s in CATEGORY) == 1500 and drawn.knobs is knobs


def test_docs_table_lists_every_knob() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "simulator-worlds.md").read_text(encoding="utf-8")
    default = WorldKnobs()
    for spec in fields(WorldKnobs):
        lo, hi = spec.metadata["range"]
        row = (
            f"| `{spec.name}` ({spec.metadata['abbr']}) | {spec.metadata['doc']} | {spec.metadata['unit']} | "
        )
        assert f"{row}{getattr(default, spec.name):g} | {lo:g} – {hi:g} |" in page, spec.name


def test_manifest_names_the_changed_knobs_only() -> None:
    assert "knobs" not in world().manifest()
    assert world(category_off_police=0.6).manifest()["knobs"] == {"category_off_police": 0.6}


def test_masked_phones_show_the_app_and_board_mobiles_four_ways_and_move_nothing_else() -> None:
    base, masked = world(), world(masked_phones=0.4)
    styles: set[str] = set()
    for source in ("app", "netizen"):
        pairs = list(zip(base.rows[source], masked.rows[source], strict=True))
        mobiles = [(a, b) for a, b in pairs if re.fullmatch(r"1\d{10}", a.get("phone") or "")]
        shown = [b["phone"] for a, b in mobiles if a["phone"] != b["phone"]]
        assert len(shown) / len(mobiles) == pytest.approx(0.4, abs=0.06), source
        for (a, b), number in zip(mobiles, [a["phone"] for a, _ in mobiles], strict=True):
            if a["phone"] != b["phone"]:  # every shown digit is the number's own, in its place
                assert all(c in ("*", d) for c, d in zip(b["phone"], number, strict=True))
        styles |= {re.sub(r"\d", "9", phone) for phone in shown}
        # every other value of every row is the default world's
        assert all({**a, "phone": None} == {**b, "phone": None} for a, b in pairs), source
    assert styles == {"999****9999", "999*****999", "9999999****", "*******9999"}


def test_a_knob_drawn_aside_moves_no_other_knob_of_any_world() -> None:
    # A seed's worlds are drawn one after another from one stream: a knob taking a draw of its own would
    # shift every later world's knobs, and the benchmarks' figures would no longer be of the same worlds.
    rng, plain = random.Random(5), random.Random(5)
    for _ in range(3):
        drawn = WorldKnobs.draw(rng)
        for spec in fields(WorldKnobs):
            if spec.metadata["aside"]:
                continue
            lo, hi = spec.metadata["range"]
            value = lo + (hi - lo) * plain.random()
            assert getattr(drawn, spec.name) == (
                round(value) if isinstance(spec.default, int) else round(value, 4)
            )
        assert drawn.masked_phones > 0
