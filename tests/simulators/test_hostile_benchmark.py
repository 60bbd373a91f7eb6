"""benchmarks/match_hostile.py: each family changes only what it says, and the run ends with its RESULT line."""

from __future__ import annotations

import re
from types import ModuleType

import pandas as pd
import pytest
from benchmark_scripts import load_benchmark

from benchmarks.match_robustness import START, write_canonical
from simulators import generate_world

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_benchmark("match_hostile.py", "match_hostile")


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    world = generate_world(seed=5, n_records=800, start=START, days=60)
    path = tmp_path_factory.mktemp("hostile") / "world.csv"
    write_canonical(world, path)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def test_a_placeholder_and_its_blank_touch_the_same_cells(bench: ModuleType, clean: pd.DataFrame) -> None:
    typed, blank = clean.copy(), clean.copy()
    bench.placeholders(typed)
    bench.blank_placeholders(blank)
    changed = (typed != clean).any(axis=1)
    assert changed.mean() == pytest.approx(0.3, abs=0.06)
    assert (changed == (blank != clean).any(axis=1)).all()
    assert set(typed.loc[changed, "district"]) <= set(bench.PLACEHOLDERS)
    assert (blank.loc[changed, ["address", "district", "category"]] == "").all().all()
    untouched = [c for c in clean.columns if c not in ("address", "district", "category")]
    assert typed[untouched].equals(clean[untouched])


@pytest.mark.parametrize(
    ("family", "columns"),
    [
        ("name_roles", {"name"}),
        ("id_zeros", {"id_number"}),
        ("police_without_times", {"reported_at"}),
        ("trunk_zero", {"phone"}),
        ("dates_only", {"reported_at"}),
        ("local_layout", {"reported_at"}),
        ("locale_times", {"reported_at"}),
        ("category_codes", {"category"}),
        ("category_paths", {"category"}),
        ("excel_times", {"reported_at"}),
        ("web_markup", {"content"}),
        ("pinyin_names", {"name"}),
        ("landline_first", {"phone"}),
        ("ocr_digits", {"phone", "id_number"}),
        ("kin_wording", {"content"}),
        ("source_labels", {"source"}),
        ("traditional", {"name", "address", "content"}),
        ("full_width", {"phone", "address", "content"}),
        ("id_layout", {"id_number"}),
    ],
)
def test_each_family_changes_only_its_columns(
    bench: ModuleType, clean: pd.DataFrame, family: str, columns: set[str]
) -> None:
    frame = clean.copy()
    next(f for f in bench.FAMILIES if f.name == family).apply(frame)
    changed = {c for c in clean.columns if not frame[c].equals(clean[c])}
    assert changed and changed <= columns
    assert frame["record_id"].equals(clean["record_id"])


def test_run_ends_with_one_result_line(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--records", "600", "--worlds", "1", "--seed", "3", "--family", "placeholders"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[0] for line in lines[1:-1]] == ["clean", "blank_placeholders", "placeholders"]
    assert re.fullmatch(
        r"RESULT worlds=1 families=2 clean_min_f1=[01]\.\d{4} worst_cost=-?\d\.\d{4} "
        r"worst_family=placeholders seconds=\d+\.\d",
        lines[-1],
    )
