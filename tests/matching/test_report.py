"""The matching report: every section on one offline page, personal data masked, and numbers that add up."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from offline_browser import require_chromium
from pool_data import simulated_records

from chinese_text.identities import keep_ends as mask
from matching import DedupeResult, MatchSettings, dedupe
from matching.__main__ import main
from matching._masking import mask_free_text, mask_name
from matching._report_pairs import contributions, sample_pairs
from matching.report import build_report, calibration, threshold_sweep
from simulators.world import generate_world

from .conftest import COLUMNS, frame, wage_case

pytestmark = pytest.mark.unit

SECTIONS = ("summary", "training", "weights", "histogram", "pairs", "clusters", "blocking", "truth")
PROBE = """({svgs: document.querySelectorAll('svg').length, scripts: document.scripts.length,
  weights: document.querySelectorAll('svg.weights').length, waterfalls: document.querySelectorAll('svg.waterfall').length,
  bars: document.querySelectorAll('svg.histogram rect').length, sections: document.querySelectorAll('h2').length,
  narrowest: Math.min(...Array.from(document.querySelectorAll('svg')).map(s => s.getBoundingClientRect().width))})"""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, pd.DataFrame]:
    """A month of simulated reports as the canonical CSV a user would pass, and its truth (case_key)."""
    simulated = generate_world(seed=11, n_records=3000, start=date(2026, 11, 1), days=30)
    records = pd.DataFrame(simulated_records(simulated.rows))[list(COLUMNS)]
    folder = tmp_path_factory.mktemp("report")
    records.to_csv(folder / "in.csv", index=False, encoding="utf-8")
    pd.DataFrame(simulated.truth).to_csv(folder / "truth.csv", index=False, encoding="utf-8")
    return folder / "in.csv", folder / "truth.csv", records


@pytest.fixture(scope="module")
def page(world: tuple[Path, Path, pd.DataFrame]) -> Path:
    """The report as ``python -m matching report`` writes it."""
    source, truth, _ = world
    out = source.with_name("report.html")
    assert main(["report", "--input", str(source), "--truth", str(truth), "--output", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def run(world: tuple[Path, Path, pd.DataFrame], settings: MatchSettings) -> DedupeResult:
    return dedupe(world[2], settings)


def test_the_page_has_every_section_and_a_chart_for_each_comparison(
    page: Path, settings: MatchSettings
) -> None:
    html = page.read_text(encoding="utf-8")
    assert [s for s in SECTIONS if f'<h2 id="{s}">' not in html] == []
    assert html.count('<svg class="weights"') == len(settings.comparisons)
    assert html.count('<svg class="histogram"') == 1 and html.count('<svg class="columns"') == 1
    assert html.count('<svg class="waterfall"') >= 6  # near-misses on both sides of both thresholds, randoms
    assert html.count('<svg class="lines"') == 2  # precision / recall / F1, reliability diagram
    assert "closest below the merge threshold" in html and "closest above the merge threshold" in html
    assert "expected calibration error" in html and "F1-maximising threshold" in html
    for name in settings.comparisons:
        assert f"<h3>{name.name}</h3>" in html


def test_the_blocking_table_says_what_a_nearest_limit_left_out(page: Path, run: DedupeResult) -> None:
    left_out = run.stats["blocking"]["beyond_nearest"]["content_sum"]
    assert f"<td>5: {left_out:,} pairs left out</td>" in page.read_text(encoding="utf-8")


def test_the_page_fetches_nothing(page: Path) -> None:
    html = page.read_text(encoding="utf-8").lower()
    for needle in ("http://", "https://", "<script", "<link", "src=", "url(", "@import", "//cdn"):
        assert needle not in html, needle


def test_no_phone_or_id_number_of_the_input_appears_unmasked(
    page: Path, world: tuple[Path, Path, pd.DataFrame]
) -> None:
    html = page.read_text(encoding="utf-8")
    records = world[2]
    exposed = []
    for column in ("phone", "id_number"):
        for value in records[column].dropna().astype(str):
            digits = re.sub(r"\D", "", value)
            if len(digits) >= 7 and (value in html or digits in html):
                exposed.append(value)
    assert exposed == []
    # Names in the side-by-side tables keep only their first character.
    shown = re.findall(r"<tr><td>name</td><td>([^<]*)</td><td>([^<]*)</td></tr>", html)
    assert shown and all(re.fullmatch(r".\*+|", v) for pair in shown for v in pair), shown[:5]


def test_the_page_renders_offline_in_chromium(page: Path, settings: MatchSettings, tmp_path: Path) -> None:
    require_chromium()
    from headless import render

    rendered = render(page, tmp_path / "report.png", probe=PROBE, settle=0.3)
    assert rendered.failed == {} and rendered.errors == []
    probe: dict[str, Any] = rendered.probe
    assert probe["scripts"] == 0 and probe["sections"] == len(SECTIONS), probe
    assert probe["weights"] == len(settings.comparisons) and probe["waterfalls"] >= 6, probe
    assert probe["bars"] > 10 and probe["narrowest"] > 300, probe
    assert rendered.screenshot is not None and rendered.screenshot.stat().st_size > 50_000


def test_each_waterfall_adds_up_to_its_pairs_match_weight(run: DedupeResult, settings: MatchSettings) -> None:
    sampled = sample_pairs(run.pairs, settings, seed=1)
    assert len(sampled) >= 6
    gamma_columns = [c for c in run.pairs.columns if c.startswith("gamma_")]
    for position, _ in sampled:
        row = run.pairs.iloc[position]
        steps = contributions({c[6:]: int(row[c]) for c in gamma_columns}, run.parameters, settings)
        assert [name for name, _, _ in steps][: len(settings.comparisons) + 1] == [
            "prior",
            *(c.name for c in settings.comparisons),
        ]
        assert sum(value for _, _, value in steps) == pytest.approx(row["match_weight"], abs=1e-6)


def test_calibration_and_sweep_on_the_world_agree_with_a_plain_count(
    run: DedupeResult, world: tuple[Path, Path, pd.DataFrame], settings: MatchSettings
) -> None:
    truth = pd.read_csv(world[1], dtype=str).set_index("record_id")["case_key"]
    pairs = run.pairs
    same = (truth.reindex(pairs["record_id_l"].astype(str)).to_numpy()
            == truth.reindex(pairs["record_id_r"].astype(str)).to_numpy())  # fmt: skip
    probability = pairs["match_probability"].to_numpy()
    plain = pd.DataFrame({"bin": np.minimum((probability * 10).astype(int), 9), "p": probability, "y": same})
    by_bin = plain.groupby("bin").agg(n=("p", "size"), p=("p", "mean"), y=("y", "mean"))
    expected = float((by_bin["n"] * (by_bin["p"] - by_bin["y"]).abs()).sum() / len(plain))
    result = calibration(pairs, truth.to_dict())
    assert result["pairs"] == len(pairs) and result["ece"] == pytest.approx(expected)
    assert result["matches"] == int(same.sum())
    merged = (pairs["decision"] == "merge").to_numpy()
    sweep = threshold_sweep(
        pairs, truth.to_dict(), true_pairs=10**6, thresholds=np.array([settings.merge_threshold])
    )
    assert sweep["precision"][0] == pytest.approx((same & merged).sum() / merged.sum())
    assert sweep["recall"][0] == pytest.approx((same & merged).sum() / 10**6)


@pytest.mark.parametrize(
    "categorical", [pytest.param(False, id="string ids"), pytest.param(True, id="categorical ids")]
)
def test_calibration_error_and_best_threshold_on_known_pairs(categorical: bool) -> None:
    pairs = pd.DataFrame({
        "record_id_l": ["a", "b", "c", "d", "x"],
        "record_id_r": ["b", "c", "e", "f", "y"],
        "match_probability": [0.95, 0.6, 0.7, 0.05, 0.15],
    })  # fmt: skip
    if categorical:
        ids = sorted(set(pairs["record_id_l"]) | set(pairs["record_id_r"]))
        for side in ("record_id_l", "record_id_r"):
            pairs[side] = pd.Categorical(pairs[side], categories=ids, ordered=True)
    truth = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "3", "f": "4"}  # x and y are unknown to it
    result = calibration(pairs, truth)
    # bins: 0.05 (no match), 0.6 (match), 0.7 (no match), 0.95 (match): gaps .05, .4, .7, .05
    assert result["pairs"] == 4 and result["matches"] == 2
    assert result["ece"] == pytest.approx((0.05 + 0.4 + 0.7 + 0.05) / 4)
    assert [b["pairs"] for b in result["bins"]] == [1, 0, 0, 0, 0, 0, 1, 1, 0, 1]
    sweep = threshold_sweep(pairs, truth, true_pairs=3)  # a, b, c: three true pairs, two scored
    at = {round(float(t), 2): i for i, t in enumerate(sweep["thresholds"])}
    assert sweep["precision"][at[0.5]] == pytest.approx(2 / 3) and sweep["recall"][at[0.5]] == pytest.approx(
        2 / 3
    )
    assert sweep["precision"][at[0.9]] == 1.0 and sweep["recall"][at[0.9]] == pytest.approx(1 / 3)
    assert sweep["best_threshold"] == 0.6 and sweep["best_f1"] == pytest.approx(2 / 3)
    assert sweep["blocked_true_pairs"] == 2


@pytest.mark.parametrize(
    ("masker", "value", "shown"),
    [
        pytest.param(mask, "13893112345", "138******45", id="mobile"),
        pytest.param(mask, "620102198703151236", "620*************36", id="id number"),
        pytest.param(mask, "96110", "*****", id="short number all stars"),
        pytest.param(mask_name, "张伟", "张*", id="two-character name"),
        pytest.param(mask_name, "欧阳娜娜", "欧***", id="compound surname"),
        pytest.param(mask_name, "", "", id="no name"),
        pytest.param(
            mask_free_text, "电话13893112345,欠薪1460000元", "电话138******45,欠薪1460000元", id="sum kept"
        ),
        pytest.param(
            mask_free_text,
            "身份证６２０１０２１９８７０３１５１２３Ｘ",
            "身份证６２０*************３Ｘ",
            id="full-width id",
        ),
        pytest.param(
            mask_free_text, "手机 138-9311-2345 联系", "手机 138********45 联系", id="spaced mobile"
        ),
        pytest.param(
            mask_free_text, "2026年3月欠工资32000元", "2026年3月欠工资32000元", id="dates and sums stay"
        ),
    ],
)
def test_masking(masker: Any, value: str, shown: str) -> None:
    assert masker(value) == shown


def test_a_run_too_small_to_train_warns_and_still_explains_its_pairs(settings: MatchSettings) -> None:
    records = frame(wage_case())
    html = build_report(records, dedupe(records, settings), settings)
    training = html.split('<h2 id="training">', 1)[1].split("<h2", 1)[0]
    assert 'class="warning"' in training and "skipped" in training
    assert '<h2 id="truth">' not in html and html.count('<svg class="waterfall"') >= 1
    assert "13893112345" not in html and "620102198703151236" not in html
    one = records.iloc[:1]  # no pair at all: every section still renders, the truth one included
    html = build_report(one, dedupe(one, settings), settings, {"petition:XF1": "case-1"})
    assert html.count("<h2 ") == len(SECTIONS) and "No scored pairs to explain." in html
