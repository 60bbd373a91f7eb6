"""The simulated world: every source's raw rows plus the ground truth of which rows are one case."""

from __future__ import annotations

import gc
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import Any, NamedTuple

from simulators.channels import Renderer, Row
from simulators.defects import DEFECT_RATE, KINDS, inject
from simulators.event_rows import event_counts
from simulators.knobs import DEFAULT_KNOBS, WorldKnobs
from simulators.mix import CHANNELS, DAY
from simulators.names import is_homophone_variant
from simulators.netizen import echo_posts
from simulators.planner import Plan, Planner, Report
from simulators.variation import active, vary

PLANNED: tuple[str, ...] = ("petition", "police", "hotline", "app")
"""The channels the planner draws reports for; ``n_records`` counts their records."""
SOURCES: tuple[str, ...] = (*PLANNED, "netizen")
"""Every simulated source: the planned channels plus netizen posts, which echo planned disputes."""
PRIMARY_KEYS: dict[str, str] = {
    "petition": "xfjbh",
    "police": "接警单编号",
    "hotline": "order_no",
    "app": "service_request_id",
    "netizen": "tid",
}
# Primary keys: prefix + YYYYMMDD + a per-day sequence of this width (wider when a day overflows it).
_PK_FORMATS = {"petition": ("XF", 6), "police": ("J620100", 5), "hotline": ("GD", 5), "app": ("XL", 6)}
GENERATOR_VERSION = 1


class TruthRow(NamedTuple):
    """Ground truth for one emitted record (``group_key`` is empty outside group disputes)."""

    record_id: str
    case_key: str
    group_key: str
    person_key: str


@dataclass
class World:
    """What :func:`generate_world` returns.

    Attributes:
        seed, start, days, n_records: the generation parameters.
        rows: source -> raw rows exactly as SOURCES.md describes them, in primary-key order.
        truth: one :class:`TruthRow` per emitted record.
        defects: record id -> injected defect kind, for the rows validation must quarantine.
        stats: counts of the hard cases (see :func:`generate_world`).
        knobs: what shaped this world (:class:`~simulators.knobs.WorldKnobs`).
    """

    seed: int
    start: date
    days: int
    n_records: int
    rows: dict[str, list[Row]]
    truth: list[TruthRow]
    defects: dict[str, str] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    knobs: WorldKnobs = DEFAULT_KNOBS

    @property
    def span_start(self) -> datetime:
        """The span's start, naive Beijing time."""
        return datetime(self.start.year, self.start.month, self.start.day)

    @property
    def span_end(self) -> datetime:
        """The span's exclusive end, naive Beijing time."""
        return self.span_start + timedelta(days=self.days)

    def manifest(self) -> dict[str, Any]:
        """The generation parameters, counts per source, injected defects per source and kind, stats, the
        handling events per source and type, and the knobs that differ from the defaults (only when some do)."""
        defects: dict[str, dict[str, int]] = {s: dict.fromkeys(KINDS[s], 0) for s in SOURCES}
        for record_id, kind in self.defects.items():
            defects[record_id.split(":", 1)[0]][kind] += 1
        manifest: dict[str, Any] = {
            "generator_version": GENERATOR_VERSION,
            "seed": self.seed,
            "start": self.start.isoformat(),
            "days": self.days,
            "span": {
                "start": self.span_start.isoformat() + "+08:00",
                "end": self.span_end.isoformat() + "+08:00",
            },
            "n_records": self.n_records,
            "counts": {s: len(self.rows[s]) for s in SOURCES},
            "defects": defects,
            "defect_totals": {s: sum(defects[s].values()) for s in SOURCES},
            "stats": self.stats,
            "events": {s: event_counts(s, self.rows[s]) for s in SOURCES},
        }
        changed = self.knobs.changed()
        if changed:  # a default world's manifest stays as it always was
            manifest["knobs"] = changed
        return manifest


def _assign_keys(plan: Plan, start: date) -> dict[str, list[tuple[str, Report]]]:
    """Number each channel's reports in time order, per day, as the source system would."""
    by_channel: dict[str, list[Report]] = {c: [] for c in CHANNELS}
    for report in plan.reports:
        by_channel[report.channel].append(report)
    keyed: dict[str, list[tuple[str, Report]]] = {}
    for channel, reports in by_channel.items():
        reports.sort(key=attrgetter("t"))  # stable: ties keep planning order
        prefix, width = _PK_FORMATS[channel]
        out: list[tuple[str, Report]] = []
        append = out.append
        current, seq, head = -1, 0, ""
        for report in reports:
            day = report.t // DAY
            if day != current:
                current, seq = day, 0
                head = f"{prefix}{start + timedelta(days=day):%Y%m%d}"
            seq += 1
            append((head + str(seq).zfill(width), report))
        keyed[channel] = out
    return keyed


def generate_world(
    seed: int = 7,
    n_records: int = 5000,
    start: date = date(2026, 11, 20),
    days: int = 1,
    knobs: WorldKnobs = DEFAULT_KNOBS,
) -> World:
    """Generate every source's raw rows and the ground truth, deterministically from ``seed``.

    Args:
        seed: the only source of randomness (``random.Random(seed)``).
        n_records: total number of source records across the four planned channels; netizen posts
            (echoes of some of the same disputes, about 5% more) come on top.
        start: first day of the span (Beijing time, midnight).
        days: length of the span in days; every report and update time lies in ``[start, start + days)``
            except injected future/unparseable report times.
        knobs: what varies between cities and channels; the defaults give the original world exactly
            (behaviours they leave off draw from a stream of their own, seeded from ``seed``).

    Returns:
        The :class:`World`.
    """
    if n_records < 0 or days < 1:
        raise ValueError("n_records must be >= 0 and days >= 1")
    collecting = gc.isenabled()
    gc.disable()  # millions of acyclic objects: the cyclic collector would only rescan them
    try:
        return _generate(seed, n_records, start, days, knobs)
    finally:
        if collecting:
            gc.enable()


def _generate(seed: int, n_records: int, start: date, days: int, knobs: WorldKnobs) -> World:
    rng = random.Random(seed)
    krng = random.Random(f"knobs:{seed}")
    plan = Planner(rng, start, days, knobs, krng).run(n_records)
    renderer = Renderer(rng, start, days, knobs, krng, random.Random(f"events:{seed}"))
    varying = active(knobs)
    keyed = _assign_keys(plan, start)
    rows: dict[str, list[Row]] = {}
    truth: list[TruthRow] = []
    defects: dict[str, str] = {}
    names = Counter[str]()
    rand = rng.random
    for source in PLANNED:
        out: list[Row] = []
        render = getattr(renderer, source)
        hotline = source == "hotline"
        for pk, report in keyed[source]:
            row = render(report, pk)
            if varying:
                vary(source, row, report, knobs, krng)
            record_id = f"{source}:{pk}"
            if rand() < DEFECT_RATE:
                defects[record_id] = inject(source, row, report, rng, renderer.base, renderer.span)
            dispute = report.dispute
            truth.append(TruthRow(record_id, dispute.key, dispute.group_key, dispute.person.key))
            if hotline:
                names[_name_kind(row["caller_name"], dispute.person.name)] += 1
            out.append(row)
        rows[source] = out
    rows["netizen"], posts, post_defects = echo_posts(plan, seed, start, days, knobs)
    for pk, report in posts:
        dispute = report.dispute
        truth.append(TruthRow(f"netizen:{pk}", dispute.key, dispute.group_key, dispute.person.key))
    defects.update(post_defects)
    stats = _stats(plan, names, rows)
    return World(seed, start, days, n_records, rows, truth, defects, stats, knobs)


def _name_kind(typed_name: str, real: str) -> str:
    if typed_name == real:
        return "exact"
    if typed_name.endswith(("先生", "女士")):
        return "honorific"
    return "homophone" if is_homophone_variant(real, typed_name) else "other"


def _stats(plan: Plan, names: Counter[str], rows: dict[str, list[Row]]) -> dict[str, Any]:
    n = max(1, len(plan.disputes))
    per_person: Counter[str] = Counter()
    by_name: dict[tuple[str, str], str] = {}
    namesakes = multi = repeat_channel = grouped = 0
    groups: set[str] = set()
    for d in plan.disputes:
        person = d.person
        per_person[person.key] += 1
        channels = d.channels
        distinct = (channels & 1) + (channels >> 1 & 1) + (channels >> 2 & 1) + (channels >> 3 & 1)
        multi += distinct > 1
        repeat_channel += d.reports > distinct
        if d.group_key:
            grouped += 1
            groups.add(d.group_key)
        home = (person.name, person.home.district)
        first = by_name.setdefault(home, person.key)
        if first != person.key and first != "*":
            namesakes += 1
            by_name[home] = "*"
    kept = per_person.keys()
    hotline = max(1, len(rows["hotline"]))
    return {
        "disputes": len(plan.disputes),
        "complainants": len(per_person),
        "multi_channel_disputes": multi,
        "multi_channel_share": round(multi / n, 4),
        "same_channel_repeat_disputes": repeat_channel,
        "groups": len(groups),
        "group_disputes": grouped,
        "group_share": round(grouped / n, 4),
        "repeat_complainants": sum(1 for v in per_person.values() if v > 1),
        "namesake_pairs_planted": sum(1 for a, b in plan.namesake_pairs if a.key in kept and b.key in kept),
        "namesake_sets_same_district": namesakes,
        "proxy_petitions": sum(1 for r in rows["petition"] if r["dsrxm"]),
        "hotline_name_forms": dict(sorted(names.items())),
        "hotline_homophone_share": round(names["homophone"] / hotline, 4),
    }
