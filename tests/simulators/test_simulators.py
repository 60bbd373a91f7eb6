"""The source simulators: determinism, format contract (SOURCES.md), ground truth, hard cases."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from connectors.taxonomy import DISTRICT_NAMES, district_name, map_category
from simulators import (
    PETITION_COLUMNS,
    PLANNED,
    POLICE_COLUMNS,
    PRIMARY_KEYS,
    SOURCES,
    World,
    generate_world,
    is_valid_id,
    write_sources,
)
from simulators.names import HOMOPHONE_GROUPS, is_homophone_variant

pytestmark = pytest.mark.unit

START = date(2026, 11, 20)
SPAN_START = datetime(2026, 11, 20)
SPAN_END = datetime(2026, 11, 21)
TOKEN = "test-token"
ROOT = Path(__file__).resolve().parents[2]

ID_FIELDS = {
    "petition": ("xfrsfzh", "dsrsfzh"),
    "police": ("报警人身份证号",),
    "hotline": ("id_card",),
    "app": ("id_card",),
    "netizen": (),
}
PHONE_FIELD = {
    "petition": "lxdh",
    "police": "报警人电话",
    "hotline": "caller_phone",
    "app": "phone",
    "netizen": "phone",
}
CATEGORY_FIELD = {
    "petition": "wtlb",
    "police": "警情类别代码",
    "hotline": "category",
    "app": "service_code",
    "netizen": "topic",
}
CONTENT_FIELD = {
    "petition": "nrzy",
    "police": "简要警情",
    "hotline": "content",
    "app": "description",
    "netizen": "content",
}
TIMES = {  # reported-at field, updated-at field, strptime format (None: ISO 8601 with offset)
    "petition": ("djsj", "gxsj", "%Y-%m-%d %H:%M:%S"),
    "police": ("报警时间", "更新时间", "%Y/%m/%d %H:%M:%S"),
    "hotline": ("create_time", "update_time", "%Y-%m-%d %H:%M:%S"),
    "app": ("requested_datetime", "updated_datetime", None),
    "netizen": ("post_time", "update_time", "%Y-%m-%d %H:%M:%S"),
}


def parse(value: str, fmt: str | None) -> datetime:
    if fmt is None:
        return datetime.fromisoformat(value).replace(tzinfo=None)
    return datetime.strptime(value, fmt)


def phone_ok(value: str | None) -> bool:
    text = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", value or ""))
    text = text.removeprefix("+86")
    return re.fullmatch(r"1[3-9]\d{9}|0931[2-8]\d{6}", text) is not None


def district_of(source: str, row: dict[str, Any]) -> str | None:
    if source == "petition":
        return district_name(row["xzqh"])
    if source == "police":
        return district_name(row["管辖区县"])
    if source == "hotline":
        return district_name(row["area"])
    if source == "netizen":
        return next((d for d in DISTRICT_NAMES if d in row["area"]), None)
    address = unicodedata.normalize("NFKC", row["address"])
    return next((d for d in DISTRICT_NAMES if d in address), None)


# -- determinism and shape ----------------------------------------------------------------------------


def test_same_seed_same_rows_and_files(
    world: World, written: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    again = generate_world(seed=7, n_records=5000, start=START, days=1)
    assert again.rows == world.rows and again.truth == world.truth and again.defects == world.defects
    write_sources(again, tmp_path)
    first = sorted(p.relative_to(written[0]) for p in written[0].rglob("*") if p.is_file())
    assert first == sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    for name in first:
        assert (written[0] / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_other_seed_other_world(world: World) -> None:
    other = generate_world(seed=8, n_records=500, start=START, days=1)
    assert other.rows["hotline"][:20] != world.rows["hotline"][:20]


def test_counts_and_proportions(world: World, written: tuple[Path, dict[str, Any]]) -> None:
    counts = {s: len(world.rows[s]) for s in SOURCES}
    assert sum(counts[s] for s in PLANNED) == 5000  # netizen posts echo planned disputes, on top
    assert written[1]["counts"] == counts
    shares = {s: n / 5000 for s, n in counts.items()}
    assert 0.33 < shares["hotline"] < 0.47 and 0.19 < shares["app"] < 0.31
    assert 0.10 < shares["police"] < 0.20 and 0.15 < shares["petition"] < 0.26
    assert 0.02 < shares["netizen"] < 0.10


def test_netizen_posts_echo_planned_disputes_without_changing_the_other_channels(world: World) -> None:
    case_of = {t.record_id: t.case_key for t in world.truth}
    planned_cases = {case_of[rid] for rid in case_of if not rid.startswith("netizen:")}
    posts = [rid for rid in case_of if rid.startswith("netizen:")]
    assert posts and all(case_of[rid] in planned_cases for rid in posts)  # matching can merge them
    hot = Counter(map_category("netizen", r["topic"]) for r in world.rows["netizen"])
    assert hot["逾期交房"] > hot["婚姻家庭"]
    # The posts draw from their own random stream: the planned channels are the world they were before.
    assert world.rows["hotline"][0]["order_no"] == "GD2026112000001"


@pytest.mark.parametrize("source", [pytest.param(s, id=s) for s in SOURCES])
def test_primary_keys_unique_and_ordered(world: World, source: str) -> None:
    keys = [row[PRIMARY_KEYS[source]] for row in world.rows[source]]
    assert len(set(keys)) == len(keys) and keys == sorted(keys)


def test_truth_covers_every_record_once(world: World, written: tuple[Path, dict[str, Any]]) -> None:
    emitted = [f"{s}:{row[PRIMARY_KEYS[s]]}" for s in SOURCES for row in world.rows[s]]
    truth_ids = [t.record_id for t in world.truth]
    assert len(truth_ids) == len(set(truth_ids)) == len(emitted) and set(truth_ids) == set(emitted)
    with (written[0] / "truth.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["record_id", "case_key", "group_key", "person_key"]
    assert [r["record_id"] for r in rows] == truth_ids


# -- validity of clean rows and of injected defects ---------------------------------------------------


@pytest.mark.parametrize("source", [pytest.param(s, id=s) for s in SOURCES])
def test_clean_rows_are_valid(world: World, source: str) -> None:
    reported, updated, fmt = TIMES[source]
    for row in world.rows[source]:
        if f"{source}:{row[PRIMARY_KEYS[source]]}" in world.defects:
            continue
        for field in ID_FIELDS[source]:
            assert not row.get(field) or is_valid_id(row[field]), row
        assert phone_ok(row[PHONE_FIELD[source]]), row
        assert map_category(source, row[CATEGORY_FIELD[source]]) is not None, row
        assert district_of(source, row) in DISTRICT_NAMES, row
        assert (row.get(CONTENT_FIELD[source]) or "").strip(), row
        at, last = parse(row[reported], fmt), parse(row[updated], fmt)
        assert SPAN_START <= at <= last < SPAN_END, row


@pytest.mark.parametrize("source", [pytest.param(s, id=s) for s in SOURCES])
def test_injected_defects_are_bad_and_counted(
    world: World, written: tuple[Path, dict[str, Any]], source: str
) -> None:
    rows = {f"{source}:{row[PRIMARY_KEYS[source]]}": row for row in world.rows[source]}
    injected = {rid: kind for rid, kind in world.defects.items() if rid in rows}
    assert 0.005 < len(injected) / len(rows) < 0.04
    assert Counter(injected.values()) == {k: v for k, v in written[1]["defects"][source].items() if v}
    reported, _, fmt = TIMES[source]
    for rid, kind in injected.items():
        row = rows[rid]
        if kind == "bad_id_check":
            assert any(row.get(f) and not is_valid_id(row[f]) for f in ID_FIELDS[source]), row
        elif kind == "bad_phone":
            assert not phone_ok(row[PHONE_FIELD[source]]), row
        elif kind == "unknown_category":
            assert map_category(source, row[CATEGORY_FIELD[source]]) is None, row
        elif kind == "outside_district":
            assert district_of(source, row) not in DISTRICT_NAMES, row
        elif kind == "empty_content":
            assert not (row.get(CONTENT_FIELD[source]) or "").strip(), row
        elif kind == "future_time":
            assert parse(row[reported], fmt) >= SPAN_END, row
        else:
            assert kind == "bad_time"
            with pytest.raises(ValueError):
                parse(row[reported], fmt)


def test_defects_file_matches(world: World, written: tuple[Path, dict[str, Any]]) -> None:
    with (written[0] / "defects.csv").open(encoding="utf-8", newline="") as handle:
        assert {r["record_id"]: r["kind"] for r in csv.DictReader(handle)} == world.defects


# -- hard cases ---------------------------------------------------------------------------------------


def test_hard_cases_present(world: World) -> None:
    sources_of: dict[str, set[str]] = defaultdict(set)
    per_case = Counter[str]()
    cases_of_person: dict[str, set[str]] = defaultdict(set)
    cases_of_group: dict[str, set[str]] = defaultdict(set)
    for t in world.truth:
        sources_of[t.case_key].add(t.record_id.split(":")[0])
        per_case[t.case_key] += 1
        cases_of_person[t.person_key].add(t.case_key)
        if t.group_key:
            cases_of_group[t.group_key].add(t.case_key)
    n_cases = len(per_case)
    multi = sum(1 for s in sources_of.values() if len(s) > 1)
    assert 0.25 < multi / n_cases < 0.55
    assert (
        sum(1 for c, n in per_case.items() if n > len(sources_of[c])) > 0.02 * n_cases
    )  # same channel twice
    assert sum(1 for n in per_case.values() if n == 1) > 0.4 * n_cases
    assert len(cases_of_group) >= 10 and all(len(c) >= 2 for c in cases_of_group.values())
    assert max(len(c) for c in cases_of_group.values()) >= 8
    assert 0.08 < sum(len(c) for c in cases_of_group.values()) / n_cases < 0.3
    assert sum(1 for c in cases_of_person.values() if len(c) > 1) > 0.03 * len(cases_of_person)
    assert world.stats["namesake_pairs_planted"] >= 10


def test_namesakes_in_one_district(world: World) -> None:
    person = {t.record_id: t.person_key for t in world.truth}
    people: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in world.rows["petition"]:
        if not row["dsrxm"]:  # the visitor is the complainant: name and home district as registered
            people[(row["xfrxm"], row["xzqh"])].add(person[f"petition:{row['xfjbh']}"])
    assert sum(1 for keys in people.values() if len(keys) > 1) >= 3


def test_proxies_and_homophones(world: World) -> None:
    person = {t.record_id: t.person_key for t in world.truth}
    proxies = [r for r in world.rows["petition"] if r["dsrxm"]]
    assert 0.04 < len(proxies) / len(world.rows["petition"]) < 0.25
    assert all(r["dsrsfzh"] != r["xfrsfzh"] and is_valid_id(r["dsrsfzh"]) for r in proxies[:50])
    true_name = {person[f"police:{r['接警单编号']}"]: r["报警人姓名"] for r in world.rows["police"]}
    pairs = [
        (true_name.get(person[f"hotline:{r['order_no']}"]), r["caller_name"]) for r in world.rows["hotline"]
    ]
    known = [(a, b) for a, b in pairs if a]
    homophones = sum(1 for a, b in known if is_homophone_variant(a, b))
    assert 0.05 < homophones / len(known) < 0.25


def test_channel_habits(world: World) -> None:
    app = world.rows["app"]
    assert any(unicodedata.normalize("NFKC", r["phone"]) != r["phone"] for r in app)  # full-width digits
    assert any(" " in r.get("first_name", "") for r in app)
    assert any("lat" not in r for r in app) and any("lat" in r for r in app)
    assert sum(1 for r in app if r["address"].startswith("甘肃省兰州市")) > len(app) / 2
    hotline = world.rows["hotline"]
    assert any(r["caller_phone"].startswith("+86") for r in hotline)
    assert sum(1 for r in hotline if r["id_card"]) < len(hotline) / 4
    assert not any(r["address"].startswith("甘肃省") for r in hotline)
    police = world.rows["police"]
    assert any(r["管辖区县"] in ("城关", "七里河", "安宁", "西固") for r in police)
    assert all(re.fullmatch(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}", r["更新时间"]) for r in police)


def test_homophone_groups_share_pinyin() -> None:
    from pypinyin import lazy_pinyin

    for group in HOMOPHONE_GROUPS:
        assert len(set(lazy_pinyin(list(group)))) == 1, group


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        pytest.param("11010519491231002X", True, id="gb11643-example"),
        pytest.param("110105194912310021", False, id="wrong-check"),
        pytest.param("11010519491331002X", False, id="bad-month"),
        pytest.param("1101051949123100", False, id="short"),
    ],
)
def test_id_check_digit(number: str, valid: bool) -> None:
    assert is_valid_id(number) is valid


# -- files ---------------------------------------------------------------------------------------------


def test_police_files(world: World, written: tuple[Path, dict[str, Any]]) -> None:
    files = sorted((written[0] / "police").glob("jq_*.csv"))
    assert [f.name for f in files] == [f"jq_20261120_{h:02d}00.csv" for h in (0, 6, 12, 18)]
    rows: list[dict[str, str]] = []
    for path in files:
        with path.open(encoding="gb18030", newline="") as handle:
            reader = csv.reader(handle)
            assert tuple(next(reader)) == POLICE_COLUMNS
            rows.extend(dict(zip(POLICE_COLUMNS, r, strict=True)) for r in reader)
    assert sorted(rows, key=lambda r: r["接警单编号"]) == world.rows["police"]
    with pytest.raises(UnicodeDecodeError):
        files[-1].read_bytes().decode("utf-8")


def test_petition_db(world: World, written: tuple[Path, dict[str, Any]]) -> None:
    with sqlite3.connect(written[0] / "petition.db") as connection:
        columns = tuple(r[1] for r in connection.execute("PRAGMA table_info(xf_petition)"))
        assert columns == PETITION_COLUMNS
        stored = connection.execute("SELECT * FROM xf_petition ORDER BY xfjbh").fetchall()
    assert stored == [tuple(r[c] for c in PETITION_COLUMNS) for r in world.rows["petition"]]


def test_jsonl_and_manifest(world: World, written: tuple[Path, dict[str, Any]]) -> None:
    for source in ("hotline", "app"):
        lines = (written[0] / f"{source}.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(line) for line in lines] == world.rows[source]
    manifest = json.loads((written[0] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest == written[1]
    assert (manifest["seed"], manifest["start"], manifest["days"]) == (7, "2026-11-20", 1)
