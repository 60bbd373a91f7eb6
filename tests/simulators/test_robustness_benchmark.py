"""benchmarks/match_robustness.py: the CSV it hands the dedupe CLI, its ceiling, and its RESULT line."""

from __future__ import annotations

import csv
import re
from dataclasses import fields
from datetime import date
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
from benchmark_scripts import load_benchmark

from matching import load_settings, standardise
from simulators import generate_world
from simulators.cities import CITIES
from simulators.knobs import WorldKnobs

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_benchmark("match_robustness.py", "match_robustness")


def test_canonical_csv_has_only_the_user_columns(bench: ModuleType, tmp_path: Path) -> None:
    world = generate_world(
        seed=2, n_records=1500, start=date(2026, 1, 1), days=30, knobs=WorldKnobs(no_phone=0.3)
    )
    path = tmp_path / "canonical.csv"
    written = bench.write_canonical(world, path)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(bench.COLUMNS) and len(rows) == written
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", r["reported_at"]) for r in rows)
    ids = {r["record_id"] for r in rows}
    assert not ids & world.defects.keys() and len(ids) == len(world.truth) - len(world.defects)
    assert sum(not r["phone"] for r in rows) / len(rows) == pytest.approx(0.3, abs=0.05)
    truth = {t.record_id: t.case_key for t in world.truth}
    assert 0.9 < bench.linkable_share(path, truth) <= 1.0


@pytest.mark.parametrize("name", sorted(CITIES))
def test_a_world_moved_to_another_city_folds_as_lanzhous(
    bench: ModuleType, tmp_path: Path, name: str
) -> None:
    # The keys the matcher blocks and compares on are the Lanzhou world's, though no gazetteer knows the
    # city, bar an address starting with a district's short form (锦江白塔街), which nothing tells from a
    # road's name there.
    world = generate_world(seed=5, n_records=2000, start=date(2026, 1, 1), days=30)
    bench.write_canonical(world, tmp_path / "lanzhou.csv")
    bench.write_canonical(world, tmp_path / "moved.csv", CITIES[name])
    settings = load_settings()
    before, after = (
        standardise(
            pd.read_csv(tmp_path / f"{f}.csv", dtype=str, keep_default_na=False, na_values=[""]), settings
        )
        for f in ("lanzhou", "moved")
    )
    assert not after["address"].str.contains("^(?:甘肃|兰州)|城关区|七里河区", na=False).any()
    named = before["address_key"].notna()
    assert named.sum() > 1500
    assert (before["address_key"] == after["address_key"])[
        named
    ].mean() >= 0.9  # 0.94; 0.23 before other cities were read by form
    assert (before["address_flat"].fillna("") == after["address_flat"].fillna("")).all()
    # One division each side: the district field compares as it did, division for division.
    pairs = set(zip(before["district_norm"].fillna(""), after["district_norm"].fillna(""), strict=True))
    assert len({b for b, _ in pairs}) == len({a for _, a in pairs}) == len(pairs)
    assert after["district_norm"].notna().sum() == before["district_norm"].notna().sum()


def test_shared_phone_gives_a_share_of_records_an_offices_number(bench: ModuleType, tmp_path: Path) -> None:
    world = generate_world(seed=2, n_records=1500, start=date(2026, 1, 1), days=30)
    bench.write_canonical(world, tmp_path / "canonical.csv", shared_phone=0.1)
    rows = pd.read_csv(tmp_path / "canonical.csv", dtype=str, keep_default_na=False)
    office = rows["phone"].str.startswith("0931-6")
    assert office.mean() == pytest.approx(0.1, abs=0.03)
    assert rows[office].groupby("district")["phone"].nunique().max() <= 3


def test_a_moved_world_runs_with_its_divisions_in_the_settings(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--records", "2500", "--worlds", "1", "--days", "60", "--city", "chengdu", "--list-divisions"]
    assert bench.main([*argv, "--keep", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert "moved to chengdu (its divisions in the settings)" in lines[0] and lines[-1].startswith("RESULT")
    written = load_settings(tmp_path / "world0" / "settings.yaml")
    assert written.divisions == tuple(CITIES["chengdu"].districts.values())


def test_run_prints_a_line_per_world_and_one_result(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.main(["--records", "2500", "--worlds", "2", "--days", "60", "--knob", "cpo=0.5"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[:2] for line in lines[1:3]] == [["world", "0"], ["world", "1"]]
    assert all("cpo=0.5 " in line for line in lines[1:3])
    assert re.fullmatch(
        r"RESULT worlds=2 min_f1=[01]\.\d{4} median_f1=[01]\.\d{4} min_precision=[01]\.\d{4} max_seconds=\d+\.\d",
        lines[-1],
    )
    assert sum(line.startswith("RESULT") for line in lines) == 1


def test_sweep_moves_one_knob_each_to_the_far_end_of_its_range(bench: ModuleType) -> None:
    worlds = bench.sweep_worlds([])
    assert len(worlds) == len(fields(WorldKnobs))
    for spec, knobs in zip(fields(WorldKnobs), worlds, strict=True):
        assert list(knobs.changed()) == [spec.name]
        assert getattr(knobs, spec.name) in spec.metadata["range"]
