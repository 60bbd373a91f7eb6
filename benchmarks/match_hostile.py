"""Benchmark the matcher on hostile input: the drawn worlds of ``match_robustness.py``, each written again
with one family of defects real exports carry, deduplicated through the CLI and scored against the same truth.

    python benchmarks/match_hostile.py --records 20000 --worlds 4 --seed 2

Each family changes one thing and leaves the rest of the file clean. Most keep the information and change
its form (a report time written as a date, a channel's categories as codes); the cost of those is their F1
against the clean file's. A placeholder (不详, NULL, 000000000000000000) says no more than an empty cell, so
its cost is against the same records left empty (``blank_*``, also run). A channel sent without report
times loses information; it is measured against the clean file, as what that loss costs.

One line per family: per world its F1 and the cost, then exactly one machine-readable line:
``RESULT worlds=K families=N clean_min_f1=… worst_cost=… worst_family=…`` (the cost: the drop in F1 from its
yardstick, the largest over worlds and over the families that are no yardstick).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.match_robustness import START, add_world_arguments, draw_worlds, span_days, write_canonical  # noqa: E402
from matching import pairwise_scores  # noqa: E402
from matching.__main__ import main as matching_cli  # noqa: E402
from simulators.world import generate_world  # noqa: E402

PLACEHOLDERS = ("无", "不详", "NULL", "地址不详", "未提供", "暂无", "#N/A", "同上")
NAME_PLACEHOLDERS = ("网民", "网友", "NULL", "匿名用户")
ID_PLACEHOLDERS = ("000000000000000000", "111111111111111111", "123456789012345678")
SOURCE_LABELS = {"petition": "信访", "police": "110警情", "hotline": "12345热线", "app": "城市服务APP",
                 "netizen": "网民留言"}  # fmt: skip
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _chosen(frame: pd.DataFrame, share: float, salt: int) -> np.ndarray:
    """The same ``share`` of rows for every family that salts with ``salt`` (a placeholder and its blank)."""
    return np.random.default_rng(salt).random(len(frame)) < share


def _typed(frame: pd.DataFrame, rows: np.ndarray, column: str, words: tuple[str, ...], salt: int) -> None:
    frame.loc[rows, column] = np.asarray(words)[
        np.random.default_rng(salt).integers(0, len(words), rows.sum())
    ]


def _local_times(frame: pd.DataFrame, rows: np.ndarray, layout: str) -> None:
    stamps = pd.to_datetime(frame.loc[rows, "reported_at"], utc=True, format="ISO8601")
    frame.loc[rows, "reported_at"] = stamps.dt.tz_convert("Asia/Shanghai").dt.strftime(layout)


def placeholders(frame: pd.DataFrame) -> None:
    """30% of the addresses, districts and categories typed 无, 不详, NULL, 暂无 ..."""
    rows = _chosen(frame, 0.3, 1)
    for salt, column in enumerate(("address", "district", "category")):
        _typed(frame, rows, column, PLACEHOLDERS, salt)


def blank_placeholders(frame: pd.DataFrame) -> None:
    """The same addresses, districts and categories left empty."""
    frame.loc[_chosen(frame, 0.3, 1), ["address", "district", "category"]] = ""


def name_roles(frame: pd.DataFrame) -> None:
    """A fifth of the netizens' names typed 网民, 网友, NULL, 匿名用户."""
    _typed(
        frame,
        _chosen(frame, 0.2, 2) & (frame["source"] == "netizen").to_numpy(),
        "name",
        NAME_PLACEHOLDERS,
        3,
    )


def blank_name_roles(frame: pd.DataFrame) -> None:
    """The same names left empty."""
    frame.loc[_chosen(frame, 0.2, 2) & (frame["source"] == "netizen").to_numpy(), "name"] = ""


def id_zeros(frame: pd.DataFrame) -> None:
    """A fifth of the empty id numbers typed 000000000000000000, 111111111111111111, 123456789012345678."""
    _typed(
        frame, _chosen(frame, 0.2, 4) & (frame["id_number"] == "").to_numpy(), "id_number", ID_PLACEHOLDERS, 5
    )


def police_without_times(frame: pd.DataFrame) -> None:
    """The police reports sent without a report time."""
    frame.loc[frame["source"] == "police", "reported_at"] = ""


def trunk_zero(frame: pd.DataFrame) -> None:
    """The hotline's mobiles as its switchboard logs them, with the trunk 0 (013893112345)."""
    rows = (frame["source"] == "hotline") & frame["phone"].str.fullmatch(r"1\d{10}")
    frame.loc[rows, "phone"] = "0" + frame.loc[rows, "phone"]


def dates_only(frame: pd.DataFrame) -> None:
    """Every report time as its local date (2026-03-04)."""
    _local_times(frame, np.ones(len(frame), dtype=bool), "%Y-%m-%d")


def local_layout(frame: pd.DataFrame) -> None:
    """The app's report times as naive local times in another layout (2026/03/04 10:22:00)."""
    _local_times(frame, (frame["source"] == "app").to_numpy(), "%Y/%m/%d %H:%M:%S")


def locale_times(frame: pd.DataFrame) -> None:
    """The hotline's report times as a Chinese Windows locale writes them (2026/3/4 下午 3:22:00), the
    petitions' as Java's Date.toString (Wed Mar 04 15:22:00 CST 2026)."""
    hotline = (frame["source"] == "hotline").to_numpy()
    stamps = pd.to_datetime(frame.loc[hotline, "reported_at"], utc=True, format="ISO8601")
    local = stamps.dt.tz_convert("Asia/Shanghai")
    words = np.where(local.dt.hour < 12, "上午", "下午")
    hour = (local.dt.hour + 11) % 12 + 1
    frame.loc[hotline, "reported_at"] = (
        local.dt.strftime("%Y/") + local.dt.month.astype(str) + "/" + local.dt.day.astype(str) + " " + words
        + " " + hour.astype(str) + local.dt.strftime(":%M:%S")
    )  # fmt: skip
    _local_times(frame, (frame["source"] == "petition").to_numpy(), "%a %b %d %H:%M:%S CST %Y")


def category_codes(frame: pd.DataFrame) -> None:
    """The hotline's categories as its own codes (H003), which no other channel shares."""
    codes = {name: f"H{i:03d}" for i, name in enumerate(sorted(set(frame["category"])))}
    rows = frame["source"] == "hotline"
    frame.loc[rows, "category"] = frame.loc[rows, "category"].map(codes)


def category_paths(frame: pd.DataFrame) -> None:
    """The hotline's categories as paths down its own tree (民生诉求/劳动保障/劳资纠纷)."""
    rows = frame["source"] == "hotline"
    labels = frame.loc[rows, "category"]
    frame.loc[rows, "category"] = "民生诉求/" + labels.map(_heading) + "/" + labels


def _heading(category: str) -> str:
    """A made-up parent heading: one per first character, as a tree groups its labels."""
    return ("劳动保障", "城乡建设", "社会治安", "市场监管")[ord(category[:1] or " ") % 4]


def excel_times(frame: pd.DataFrame) -> None:
    """The app's report times as an Excel sheet saves them: serial days of local time (46023.4375)."""
    rows = (frame["source"] == "app").to_numpy()
    stamps = pd.to_datetime(frame.loc[rows, "reported_at"], utc=True, format="ISO8601")
    local = stamps.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    serial = (local - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)
    frame.loc[rows, "reported_at"] = serial.map("{:.6f}".format)


def web_markup(frame: pd.DataFrame) -> None:
    """The netizens' messages as a board exports them: paragraphs and line breaks as tags, a non-breaking
    space between a number and its unit (3&nbsp;万元), 年 and 元 as character references."""
    rows = frame["source"] == "netizen"
    text = frame.loc[rows, "content"].fillna("")
    text = text.str.replace("，", "，<br/>", regex=False).str.replace(
        r"(\d)([万元])", r"\1&nbsp;\2", regex=True
    )
    text = text.str.replace("年", "&#24180;", regex=False).str.replace("元", "&#x5143;", regex=False)
    frame.loc[rows, "content"] = "<p>" + text + "</p>"


def pinyin_names(frame: pd.DataFrame) -> None:
    """A third of the app users' names typed in pinyin, surname first (张伟 -> Zhang Wei)."""
    from pypinyin import lazy_pinyin

    rows = (
        (frame["source"] == "app")
        & frame["name"].str.fullmatch(r"[\u4e00-\u9fff]{2,4}")
        & _chosen(frame, 0.34, 7)
    )

    def spelt(name: str) -> str:
        syllables = lazy_pinyin(name)
        return " ".join([syllables[0].title(), "".join(syllables[1:]).title()])

    frame.loc[rows, "name"] = frame.loc[rows, "name"].map(spelt)


def landline_first(frame: pd.DataFrame) -> None:
    """A third of the hotline's mobiles logged after the landline the call came from
    (0931-8xxxxxx/13893112345), one landline per call."""
    rows = (
        (frame["source"] == "hotline") & frame["phone"].str.fullmatch(r"1\d{10}") & _chosen(frame, 0.34, 11)
    )
    lines = np.random.default_rng(11).integers(0, 1_000_000, rows.sum())
    mobiles = frame.loc[rows, "phone"]
    frame.loc[rows, "phone"] = [f"0931-8{n:06d}/{m}" for n, m in zip(lines, mobiles, strict=True)]


def ocr_digits(frame: pd.DataFrame) -> None:
    """The petitions' phones and id numbers as read from letters by OCR: O for 0, l for 1."""
    rows = frame["source"] == "petition"
    for column in ("phone", "id_number"):
        frame.loc[rows, column] = frame.loc[rows, column].str.replace("0", "O").str.replace("1", "l")


# The filer's relation to the person (信访人系当事人X的妻子) turned round: the person is her husband (其丈夫X).
KIN_OF_FILER = {"妻子": "丈夫", "丈夫": "妻子", "儿子": "父亲", "女儿": "母亲"}
_FILED_FOR = r"信访人系当事人(?P<name>[\u4e00-\u9fff]{2,4})的(?P<relation>妻子|丈夫|儿子|女儿)[,，]代为来访。"


def kin_wording(frame: pd.DataFrame) -> None:
    """The petitions filed by a relative worded as a hotline operator writes them: 信访人系当事人陈春德的妻子，
    代为来访。反映… as 信访人为其丈夫陈春德来访。反映…"""
    frame["content"] = frame["content"].str.replace(
        _FILED_FOR, lambda m: f"信访人为其{KIN_OF_FILER[m['relation']]}{m['name']}来访。", regex=True
    )


def source_labels(frame: pd.DataFrame) -> None:
    """The channels named in Chinese (12345热线, 110警情 ...)."""
    frame["source"] = frame["source"].map(SOURCE_LABELS).fillna(frame["source"])


def traditional(frame: pd.DataFrame) -> None:
    """The petitions' names, addresses and descriptions in traditional characters (OpenCC s2t)."""
    from opencc import OpenCC

    convert, rows = OpenCC("s2t").convert, frame["source"] == "petition"
    for column in ("name", "address", "content"):
        frame.loc[rows, column] = frame.loc[rows, column].map(convert)


def full_width(frame: pd.DataFrame) -> None:
    """Full-width digits in phones, addresses and descriptions."""
    for column in ("phone", "address", "content"):
        frame[column] = frame[column].str.translate(FULL_WIDTH)


def id_layout(frame: pd.DataFrame) -> None:
    """Id numbers grouped with spaces and a lower-case x (620102 19870315 123x)."""
    frame["id_number"] = (
        frame["id_number"].str.lower().str.replace(r"^(\d{6})(\d{8})(\w{4})$", r"\1 \2 \3", regex=True)
    )


@dataclass(frozen=True)
class Family:
    """One family of defects, and the file its cost is measured against (``None``: the clean one)."""

    name: str
    apply: Callable[[pd.DataFrame], None]
    yardstick: str | None = None


FAMILIES = (
    Family("blank_placeholders", blank_placeholders),
    Family("placeholders", placeholders, "blank_placeholders"),
    Family("blank_name_roles", blank_name_roles),
    Family("name_roles", name_roles, "blank_name_roles"),
    Family("id_zeros", id_zeros),
    Family("police_without_times", police_without_times),
    Family("trunk_zero", trunk_zero),
    Family("dates_only", dates_only),
    Family("local_layout", local_layout),
    Family("locale_times", locale_times),
    Family("category_codes", category_codes),
    Family("category_paths", category_paths),
    Family("excel_times", excel_times),
    Family("web_markup", web_markup),
    Family("pinyin_names", pinyin_names),
    Family("landline_first", landline_first),
    Family("ocr_digits", ocr_digits),
    Family("kin_wording", kin_wording),
    Family("source_labels", source_labels),
    Family("traditional", traditional),
    Family("full_width", full_width),
    Family("id_layout", id_layout),
)


def dedupe_f1(frame: pd.DataFrame, truth: dict[str, str], folder: Path, name: str) -> float:
    """Write ``frame`` as the CLI's input, run ``dedupe`` on it, and score its clusters."""
    source, output = folder / f"{name}.csv", folder / f"{name}-clusters.csv"
    frame.to_csv(source, index=False, encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        status = matching_cli(["dedupe", "--input", str(source), "--output", str(output)])
    if status != 0:
        raise RuntimeError(f"{name}: dedupe exited with {status}")
    clusters = pd.read_csv(output, dtype=str, keep_default_na=False)
    return float(
        pairwise_scores(truth, dict(zip(clusters["record_id"], clusters["cluster_id"], strict=True)))["f1"]
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark: a line per family, then the RESULT line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_world_arguments(parser)
    parser.add_argument("--family", action="append", choices=[f.name for f in FAMILIES],
                        help="run only these families (repeatable; their yardsticks run too)")  # fmt: skip
    args = parser.parse_args(argv)
    chosen = [f for f in FAMILIES if not args.family or f.name in args.family
              or any(g.yardstick == f.name and g.name in args.family for g in FAMILIES)]  # fmt: skip
    days = span_days(args)
    print(
        f"{args.worlds} worlds x {args.records:,} records over {days} days, {len(chosen)} families, packaged settings"
    )
    scores: dict[str, list[float]] = {"clean": []}
    started = time.perf_counter()
    for index, knobs in enumerate(draw_worlds(args.seed, args.worlds, [])):
        world = generate_world(seed=args.seed * 1000 + index, n_records=args.records, start=START, days=days,
                               knobs=knobs)  # fmt: skip
        truth = {row.record_id: row.case_key for row in world.truth}
        with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
            folder = Path(tmp)
            write_canonical(world, folder / "world.csv")
            del world
            clean = pd.read_csv(folder / "world.csv", dtype=str, keep_default_na=False, encoding="utf-8")
            scores["clean"].append(dedupe_f1(clean, truth, folder, "clean"))
            for family in chosen:
                frame = clean.copy()
                family.apply(frame)
                scores.setdefault(family.name, []).append(dedupe_f1(frame, truth, folder, family.name))
    worst = ("", -1.0)
    yardsticks = {f.yardstick for f in FAMILIES}
    print(f"{'clean':22s} F1 " + " ".join(f"{f1:.4f}" for f1 in scores["clean"]))
    for family in chosen:
        against = scores[family.yardstick or "clean"]
        costs = [base - f1 for base, f1 in zip(against, scores[family.name], strict=True)]
        print(f"{family.name:22s} F1 " + " ".join(f"{f1:.4f}" for f1 in scores[family.name])
              + f"  cost vs {family.yardstick or 'clean'}: " + " ".join(f"{c:+.4f}" for c in costs))  # fmt: skip
        if family.name not in yardsticks and max(costs) > worst[1]:
            worst = (family.name, max(costs))
    print(f"RESULT worlds={args.worlds} families={len(chosen)} clean_min_f1={min(scores['clean']):.4f} "
          f"worst_cost={worst[1]:.4f} worst_family={worst[0]} seconds={time.perf_counter() - started:.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
