"""Benchmark the matcher on worlds it was not fitted to: draw K worlds from wide ranges of every simulator
knob (simulators/knobs.py), and run ``python -m matching dedupe`` on each with the packaged settings.

    python benchmarks/match_robustness.py --records 20000 --worlds 6 --seed 1
    python benchmarks/match_robustness.py --records 5000 --worlds 4 --knob late_repeat_share=0.8
    python benchmarks/match_robustness.py --records 20000 --worlds 6 --city chengdu [--list-divisions]
    python benchmarks/match_robustness.py --records 20000 --worlds 6 --shared-phone 0.05

Each world is written as the CSV a user would hand the CLI (``record_id, source, reported_at`` as
ISO-8601 +08:00, ``name, phone, id_number, address, district, category, content``; no street, community
or grid), mapped from the simulated raw rows by the connectors (``--city``: with another city's province,
city and district names in the address and district fields, simulators/cities.py); rows carrying an injected defect are
left out (validation quarantines them before matching). The CLI's own ``main`` runs on it in-process,
and its clusters are scored pairwise against the world's ground truth (a case is one complainant's one
dispute). One line per world, then exactly one machine-readable line:
``RESULT worlds=K min_f1=… median_f1=… min_precision=… max_seconds=…`` (seconds: the dedupe command).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402
import yaml  # noqa: E402

from connectors.base import RecordError  # noqa: E402
from connectors.registry import connector_class  # noqa: E402
from matching import load_settings, pairwise_scores, standardise  # noqa: E402
from matching.__main__ import main as matching_cli  # noqa: E402
from matching.settings import DEFAULT_SETTINGS  # noqa: E402
from simulators.cities import CITIES, City, relocate_address, relocate_district  # noqa: E402
from simulators.knobs import WorldKnobs  # noqa: E402
from simulators.world import PRIMARY_KEYS, World, generate_world  # noqa: E402

COLUMNS = ("record_id", "source", "reported_at", "name", "phone", "id_number", "address", "district", "category",
           "content")  # fmt: skip
START = date(2026, 1, 1)


@dataclass(frozen=True)
class Outcome:
    """One world's result."""

    index: int
    knobs: WorldKnobs
    records: int
    precision: float
    recall: float
    f1: float
    seconds: float
    linkable: float


def write_canonical(
    world: World, path: Path, city: City | None = None, shared_phone: float = 0.0, seed: int = 0
) -> int:
    """Write the world's records, mapped by the connectors, as the CLI's input CSV (moved to ``city``'s
    division names if given; ``shared_phone`` of the records, drawn with ``seed``, giving a community
    office's number, one of three per district, in place of the person's own); returns the row count."""
    offices = random.Random(f"shared-phone:{seed}")
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS)
        for source, raws in world.rows.items():
            connector = connector_class(source)
            key = PRIMARY_KEYS[source]
            for raw in raws:
                if f"{source}:{raw[key]}" in world.defects:
                    continue
                try:
                    record = connector.to_record(raw)
                except RecordError:
                    continue
                reported = record.reported_at.isoformat() if record.reported_at is not None else ""
                address, district = record.address or "", record.district or ""
                phone = record.phone or ""
                if shared_phone and offices.random() < shared_phone:
                    office = offices.randrange(3)  # 0931-6 plus the district's and the office's digits
                    phone = f"0931-6{sum(map(ord, district)) % 10_000:04d}{office:02d}"
                if city is not None:
                    address, district = relocate_address(address, city), relocate_district(district, city)
                out.writerow((record.record_id, record.source, reported, record.name or "", phone,
                              record.id_number or "", address, district,
                              record.category or "", record.content or ""))  # fmt: skip
                written += 1
    return written


def linkable_share(path: Path, truth: dict[str, str]) -> float:
    """The recall ceiling of identifiers: the share of true pairs whose records chain, inside their case,
    through an equal phone, id number, full name or address *as the matcher standardises them* (a phone
    written +86 138-9311-2345, a homophone 章伟, 永昌路88号院 count; 张先生 does not). Pairs without one need
    the dispute's own words (facts) or a chain through other records."""
    settings = load_settings()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    std = standardise(frame, settings)
    records = std["record_id"].astype(str).tolist()
    parent = list(range(len(records)))

    def root(position: int) -> int:
        while parent[position] != position:
            parent[position] = parent[parent[position]]
            position = parent[position]
        return position

    first: dict[tuple[str, str, object], int] = {}
    for column in ("phone_norm", "id_norm", "name_fuzzy", "address_key"):
        for position, value in enumerate(std[column].to_numpy(dtype=object)):
            if value is None or value != value:  # None or NaN: no identifier
                continue
            other = first.setdefault((truth[records[position]], column, value), position)
            parent[root(position)] = root(other)
    linked = {record: f"{truth[record]}|{root(p)}" for p, record in enumerate(records)}
    scores = pairwise_scores({record: truth[record] for record in records}, linked)
    return float(scores["recall"])


def write_truth(world: World, path: Path) -> None:
    """Write ``record_id,case_key,group_key`` (what ``python -m matching evaluate --truth`` reads)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(("record_id", "case_key", "group_key"))
        out.writerows((row.record_id, row.case_key, row.group_key) for row in world.truth)


def run_world(
    index: int,
    knobs: WorldKnobs,
    seed: int,
    records: int,
    days: int,
    keep: Path | None = None,
    city: str | None = None,
    shared_phone: float = 0.0,
    list_divisions: bool = False,
) -> Outcome:
    """Generate one world, dedupe it through the CLI, and score the clusters against its truth.

    Args:
        index: the world's number in this run.
        knobs: its knobs.
        seed: its seed.
        records: records across the four planned channels.
        days: its span.
        keep: a directory to keep ``world<index>/{canonical,clusters,truth}.csv`` and ``knobs.txt`` in.
        city: write its division names (a key of ``simulators.cities.CITIES``) instead of Lanzhou's.
        shared_phone: the share of records giving a community office's number (:func:`write_canonical`).
        list_divisions: give the matcher ``city``'s districts in its settings (``divisions``), as a city
            adapting it would; otherwise it reads them by their form.

    Returns:
        The world's :class:`Outcome`.
    """
    world = generate_world(seed=seed, n_records=records, start=START, days=days, knobs=knobs)
    truth = {row.record_id: row.case_key for row in world.truth}
    with tempfile.TemporaryDirectory(prefix="robustness-") as tmp:
        folder = Path(tmp) if keep is None else keep / f"world{index}"
        folder.mkdir(parents=True, exist_ok=True)
        canonical, clusters = folder / "canonical.csv", folder / "clusters.csv"
        written = write_canonical(world, canonical, CITIES[city] if city else None, shared_phone, seed)
        if keep is not None:
            write_truth(world, folder / "truth.csv")
            (folder / "knobs.txt").write_text(f"seed={seed} days={days}\n{knobs.short()}\n", encoding="utf-8")
        del world
        argv = ["dedupe", "--input", str(canonical), "--output", str(clusters)]
        if city and list_divisions:
            settings = yaml.safe_load(DEFAULT_SETTINGS.read_text(encoding="utf-8"))
            settings["divisions"] = list(CITIES[city].districts.values())
            (folder / "settings.yaml").write_text(
                yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8"
            )
            argv += ["--settings", str(folder / "settings.yaml")]
        began = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            status = matching_cli(argv)
        seconds = time.perf_counter() - began
        if status != 0:
            raise RuntimeError(f"world {index}: dedupe exited with {status}")
        linkable = linkable_share(canonical, truth)
        with clusters.open(encoding="utf-8", newline="") as handle:
            predicted = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(handle)}
    scores = pairwise_scores(truth, predicted)
    return Outcome(index, knobs, written, float(scores["precision"]), float(scores["recall"]),
                   float(scores["f1"]), seconds, linkable)  # fmt: skip


def draw_worlds(seed: int, count: int, overrides: list[str], defaults: bool = False) -> list[WorldKnobs]:
    """``count`` knob sets drawn from one stream seeded by ``seed`` (or the defaults), ``overrides`` pinned."""
    rng = random.Random(f"robustness:{seed}")
    return [
        (WorldKnobs() if defaults else WorldKnobs.draw(rng)).with_overrides(overrides) for _ in range(count)
    ]


def sweep_worlds(overrides: list[str]) -> list[WorldKnobs]:
    """One world per knob: that knob at the far end of its drawn range (from its default), the rest default."""
    worlds = []
    for spec in fields(WorldKnobs):
        lo, hi = spec.metadata["range"]
        far = hi if hi - spec.default >= spec.default - lo else lo
        worlds.append(replace(WorldKnobs(), **{spec.name: far}).with_overrides(overrides))
    return worlds


def _line(outcome: Outcome, only_changed: bool) -> str:
    knobs = outcome.knobs
    said = " ".join(f"{k}={v:g}" for k, v in knobs.changed().items()) if only_changed else knobs.short()
    return (f"world {outcome.index:2d}  records={outcome.records:,}  P={outcome.precision:.4f} "
            f"R={outcome.recall:.4f} F1={outcome.f1:.4f} linkable={outcome.linkable:.3f}  {outcome.seconds:6.1f}s  "
            f"[{said or 'defaults'}]")  # fmt: skip


def add_world_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that say which worlds to draw: ``--records``, ``--worlds``, ``--seed``, ``--days``
    (this benchmark's and ``match_daily.py``'s, which draws the same worlds)."""
    parser.add_argument(
        "--records", type=int, default=20_000, help="records per world (four planned channels)"
    )
    parser.add_argument("--worlds", type=int, default=6, help="worlds to draw")
    parser.add_argument("--seed", type=int, default=1, help="seeds the knob draws and each world")
    parser.add_argument(
        "--days", type=int, default=0, help="span in days (default: 1 day per 1,000 records, >= 180)"
    )


def span_days(args: argparse.Namespace) -> int:
    """The worlds' span: ``--days``, else one day per 1,000 records and at least 180."""
    return int(args.days or max(180, args.records // 1000))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark: one line per world, then the RESULT line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_world_arguments(parser)
    parser.add_argument(
        "--knob", action="append", default=[], metavar="NAME=VALUE",
        help="pin a knob in every world (field name or short name; repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--defaults", action="store_true", help="start every world from the default knobs instead of a draw"
    )
    parser.add_argument(
        "--sweep", action="store_true",
        help="one world per knob at the far end of its range, the others default (ignores --worlds)",
    )  # fmt: skip
    parser.add_argument("--keep", type=Path, help="keep each world's CSVs (canonical, clusters, truth) here")
    parser.add_argument("--jobs", type=int, default=1, help="worlds run in parallel (timings then overlap)")
    parser.add_argument(
        "--city", choices=sorted(CITIES),
        help="write the worlds with this city's province, city and district names (default: Lanzhou's)",
    )  # fmt: skip
    parser.add_argument(
        "--list-divisions", action="store_true",
        help="with --city: give the matcher the city's districts in its settings (divisions), as a city would",
    )  # fmt: skip
    parser.add_argument(
        "--shared-phone", type=float, default=0.0, metavar="SHARE",
        help="this share of records gives a community office's number (three per district), not its own",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.list_divisions and not args.city:
        parser.error("--list-divisions needs --city")
    days = span_days(args)
    try:
        if args.sweep:
            worlds = sweep_worlds(args.knob)
        else:
            worlds = draw_worlds(args.seed, args.worlds, args.knob, args.defaults)
    except ValueError as error:
        parser.error(str(error))
    only_changed = args.defaults or args.sweep
    jobs = [(i, knobs, args.seed * 1000 + i, args.records, days, args.keep, args.city, args.shared_phone,
             args.list_divisions)
            for i, knobs in enumerate(worlds)]  # fmt: skip
    drawn = "one knob at a time" if args.sweep else "default knobs" if args.defaults else "drawn knobs"
    place = f", moved to {args.city}" if args.city else ""
    place += " (its divisions in the settings)" if args.city and args.list_divisions else ""
    place += f", {args.shared_phone:.0%} giving an office's phone" if args.shared_phone else ""
    print(
        f"{len(worlds)} worlds x {args.records:,} records over {days} days, {drawn}{place}, packaged settings"
    )
    outcomes: list[Outcome] = []
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            for outcome in pool.map(run_world, *zip(*jobs, strict=True)):
                print(_line(outcome, only_changed), flush=True)
                outcomes.append(outcome)
    else:
        for job in jobs:
            outcome = run_world(*job)
            print(_line(outcome, only_changed), flush=True)
            outcomes.append(outcome)
    f1s = [o.f1 for o in outcomes]
    print(
        f"RESULT worlds={len(outcomes)} min_f1={min(f1s):.4f} median_f1={statistics.median(f1s):.4f} "
        f"min_precision={min(o.precision for o in outcomes):.4f} "
        f"max_seconds={max(o.seconds for o in outcomes):.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
