"""What varies between cities and channels: the knobs of a simulated world, with their defaults and wide ranges.

The defaults reproduce the original world exactly for a given seed (behaviours the original world did
not have are off, and behaviours it had keep their original rates), except for the handling events
(``simulators/handling.py``): they are on, drawn from a stream of their own, and set the status and
handling-time fields they imply (dispatch, finish, acceptance, reply and update times). :meth:`WorldKnobs.draw` draws a
world from ranges much wider than our own defaults, to see how the matcher holds on data shaped
differently from what it was fitted to (``benchmarks/match_robustness.py``).
"""

from __future__ import annotations

import random
from dataclasses import Field, dataclass, field, fields, replace
from typing import Any

from simulators.mix import K_CUM, P_GROUP, P_NAMESAKE_PAIR, P_PROXY_ELDERLY, P_PROXY_OTHER, P_REPORTED_AGAIN

CHANNEL_NAMES = ("petition", "police", "hotline", "app", "netizen")


def _knob(default: float, lo: float, hi: float, unit: str, abbr: str, doc: str, aside: bool = False) -> Any:
    """A knob: its default, the range :meth:`WorldKnobs.draw` draws it from, its unit and short name.
    ``aside``: drawn from a stream of its own (a knob added after the benchmarks' worlds were fixed)."""
    metadata = {"range": (lo, hi), "unit": unit, "abbr": abbr, "doc": doc, "aside": aside}
    return field(default=default, metadata=metadata)


def _drawn(spec: Field[Any], rng: random.Random) -> Any:
    """A knob's value drawn uniformly from its range (an integer knob's rounded)."""
    lo, hi = spec.metadata["range"]
    value = lo + (hi - lo) * rng.random()
    return round(value) if isinstance(spec.default, int) else round(value, 4)


@dataclass(frozen=True)
class WorldKnobs:
    """The knobs of a world; every field is documented in its metadata (``doc``, ``unit``, drawn ``range``).

    Shares are fractions in ``[0, 1]``; ``category_off_<channel>`` is that channel's share of reports filed
    under another category than the dispute's. See ``docs/simulator-worlds.md`` for the table.
    """

    # -- how many reports a dispute gets, and how far apart they come
    multi_channel_share: float = _knob(round(1 - K_CUM[0], 2), 0.15, 0.75, "share", "multi",
        "disputes reported on two or more channels")  # fmt: skip
    reported_again: float = _knob(P_REPORTED_AGAIN, 0.0, 0.4, "share", "again",
        "disputes reported a second time on one channel (calling 12345 again)")  # fmt: skip
    repeat_gap_hours: float = _knob(4.0, 0.25, 12.0, "hours", "gap",
        "mean gap of a same-day follow-up report after the first (exponential, capped at one day)")  # fmt: skip
    late_repeat_share: float = _knob(0.0, 0.0, 1.0, "share", "late",
        "follow-up reports that come days to months after the first (after the 5-working-day limit)")  # fmt: skip
    late_repeat_days: float = _knob(14.0, 1.0, 60.0, "days", "lated",
        "median gap of a late follow-up (log-normal)")  # fmt: skip
    late_repeat_sigma: float = _knob(0.8, 0.2, 1.5, "log", "lates",
        "spread (sigma of the logarithm) of late gaps")  # fmt: skip
    # -- which category each channel files a dispute under
    category_off_petition: float = _knob(0.0, 0.0, 0.7, "share", "cpe",
        "petition reports under another category (the clerk's nearest or any other)")  # fmt: skip
    category_off_police: float = _knob(0.0, 0.0, 0.7, "share", "cpo",
        "police reports under another category (mostly 其他: civil disputes filed as other)")  # fmt: skip
    category_off_hotline: float = _knob(0.0, 0.0, 0.7, "share", "cho",
        "hotline orders under the nearest other category of the operator's tree")  # fmt: skip
    category_off_app: float = _knob(0.0, 0.0, 0.7, "share", "cap",
        "app requests under the nearest other category (the citizen picks what looks close)")  # fmt: skip
    category_off_netizen: float = _knob(0.0, 0.0, 0.7, "share", "cne",
        "message-board posts under the nearest other topic")  # fmt: skip
    # -- how the facts are written
    colloquial_amounts: float = _knob(0.0, 0.0, 0.8, "share", "amt",
        "sums written as people say them: 171800块, 3.2w, 八万七千六百元, 三万二, 两万多, 千把块, 十几万")  # fmt: skip
    colloquial_dates: float = _knob(0.0, 0.0, 0.8, "share", "date",
        "dates and periods written relative to the report: 上个月, 去年10月, 这半年, 三个月, 前年")  # fmt: skip
    short_names: float = _knob(0.0, 0.0, 0.8, "share", "short",
        "reports naming a company or project in another form (宏泰公司 / 甘肃宏泰建筑工程有限公司, 鑫源华府 / 鑫源华府二期项目)")  # fmt: skip
    fact_omission: float = _knob(0.0, 0.0, 0.4, "share", "omit",
        "chance, per report and fact (sum, date, company, project, flat), that the writer leaves it out")  # fmt: skip
    police_terse: float = _knob(0.0, 0.0, 0.9, "share", "terse",
        "police lines that carry no fact at all (报警称劳资纠纷, 纠纷求助)")  # fmt: skip
    shared_text: float = _knob(0.0, 0.0, 0.5, "share", "copy",
        "later office reports (petition, police, hotline) copying an earlier report's text (a forwarded order)")  # fmt: skip
    # -- who is named, and how
    no_phone: float = _knob(0.0, 0.0, 0.4, "share", "nophone",
        "records whose phone is left empty (on top of the channels' own habits)")  # fmt: skip
    no_id: float = _knob(0.0, 0.0, 0.6, "share", "noid",
        "records whose id number is left empty (the hotline already asks for it in 12% of calls only)")  # fmt: skip
    proxy_elderly: float = _knob(P_PROXY_ELDERLY, 0.0, 0.8, "share", "pxold",
        "petitions a relative files for a complainant aged 62 or more")  # fmt: skip
    proxy_other: float = _knob(P_PROXY_OTHER, 0.0, 0.3, "share", "pxyoung",
        "petitions a relative files for a younger complainant")  # fmt: skip
    proxy_calls: float = _knob(0.0, 0.0, 0.15, "share", "pxcall",
        "police, hotline and app reports a relative files (own phone, own home address)")  # fmt: skip
    proxy_own_name: float = _knob(0.0, 0.0, 0.5, "share", "pxname",
        "proxy reports under the relative's own name and id instead of the complainant's")  # fmt: skip
    hotline_homophone: float = _knob(0.12, 0.0, 0.3, "share", "hhomo",
        "hotline names typed with a homophone (章伟 for 张伟)")  # fmt: skip
    hotline_near_homophone: float = _knob(0.03, 0.0, 0.1, "share", "hnear",
        "hotline names typed with an accent's near-homophone (林/玲, 陈/程)")  # fmt: skip
    hotline_honorific: float = _knob(0.05, 0.0, 0.3, "share", "hhon",
        "hotline callers recorded as 张先生 / 王女士 only")  # fmt: skip
    app_homophone: float = _knob(0.02, 0.0, 0.1, "share", "ahomo",
        "app names typed with a homophone")  # fmt: skip
    name_typos: float = _knob(0.0, 0.0, 0.1, "share", "ntypo",
        "records on any channel with a typo in the name (homophone, look-alike, dropped character)")  # fmt: skip
    address_typos: float = _knob(0.0, 0.0, 0.1, "share", "atypo",
        "records with a typo in the address (homophone, wrong number, 号/栋 swapped)")  # fmt: skip
    popular_names: float = _knob(0.10, 0.02, 0.4, "share", "popular",
        "given names drawn from the era's most popular few (伟, 芳, 建国): namesake density")  # fmt: skip
    namesake_pairs: float = _knob(P_NAMESAKE_PAIR, 0.0, 0.05, "per step", "twins",
        "planning steps that plant two same-named people in one district")  # fmt: skip
    # -- group disputes (many buyers of one project: separate cases, one group)
    group_share: float = _knob(P_GROUP, 0.0, 0.06, "per step", "group",
        "planning steps that start a group dispute")  # fmt: skip
    group_size_mean: float = _knob(7.0, 1.0, 40.0, "people", "gsize",
        "mean members of a group beyond the first five (exponential)")  # fmt: skip
    group_size_max: int = _knob(30, 10, 200, "people", "gmax", "largest group")  # fmt: skip
    # -- how the offices handle what they receive (simulators/handling.py; their own stream)
    dispatch_minutes: float = _knob(10.0, 2.0, 240.0, "minutes", "dispatch",
        "median minutes from a 12345 call (or an app request's acceptance) to its dispatch (log-normal)")  # fmt: skip
    acknowledge_minutes: float = _knob(12.0, 2.0, 240.0, "minutes", "ack",
        "median minutes from dispatch to the unit's 签收, and from 签收 to its call to the citizen")  # fmt: skip
    send_back_share: float = _knob(0.07, 0.0, 0.25, "share", "sendback",
        "12345 orders a unit sends back as not its business (退单), re-dispatched elsewhere; app half as many")  # fmt: skip
    resolve_days: float = _knob(3.0, 0.5, 10.0, "days", "resolve",
        "median calendar days from 签收 to 办结 of a 12345 or app order (log-normal; limit 5 working days)")  # fmt: skip
    petition_resolve_days: float = _knob(25.0, 5.0, 60.0, "days", "presolve",
        "median calendar days from 交办 to the written reply of a petition (limit 60 days)")  # fmt: skip
    extension_share: float = _knob(0.5, 0.0, 1.0, "share", "extend",
        "orders and petitions that will miss their limit and ask for an extension (延期申请) first")  # fmt: skip
    extension_approval: float = _knob(0.85, 0.0, 1.0, "share", "approve",
        "extension requests approved (the rest are denied and reminded 催办 like the others)")  # fmt: skip
    follow_up_share: float = _knob(0.9, 0.0, 1.0, "share", "followup",
        "closed 12345 orders followed up by phone (回访); petitions, app and board ratings are rarer")  # fmt: skip
    dissatisfied_share: float = _knob(0.07, 0.0, 0.4, "share", "unhappy",
        "follow-ups rated 不满意 (1-2 stars); petitions twice as often, reopened orders half as often")  # fmt: skip
    basically_satisfied_share: float = _knob(0.13, 0.0, 0.4, "share", "basic",
        "follow-ups rated 基本满意 (3 stars); the rest 满意 (4-5 stars)")  # fmt: skip
    reopen_share: float = _knob(0.6, 0.0, 1.0, "share", "reopen",
        "不满意 orders sent back for handling again (重办)")  # fmt: skip
    not_accepted_share: float = _knob(0.08, 0.0, 0.4, "share", "notacc",
        "petitions not accepted (不予受理) within the 15 days")  # fmt: skip
    review_share: float = _knob(0.4, 0.0, 1.0, "share", "review",
        "不满意 petitioners who ask for 复查 (and, if upheld, sometimes 复核)")  # fmt: skip
    police_transfer_share: float = _knob(0.3, 0.0, 0.8, "share", "transfer",
        "incidents the police transfer (移交) instead of closing on the spot")  # fmt: skip
    # -- how the app and the board show a mobile (last, so that a drawn world's other knobs are as before)
    masked_phones: float = _knob(0.0, 0.0, 0.6, "share", "mask",
        "app and board reports whose mobile is shown with digits hidden, one of four ways (138****6658, "
        "139*****928, 1381234****, *******6658)", aside=True)  # fmt: skip

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            unit = spec.metadata["unit"]
            if unit == "share" and not 0.0 <= value <= 1.0:
                raise ValueError(f"{spec.name}={value}: a share must lie in [0, 1]")
            if unit == "per step" and not 0.0 <= value <= 0.2:
                raise ValueError(f"{spec.name}={value}: a per-step probability must lie in [0, 0.2]")
            if unit in ("hours", "minutes", "days", "log", "people") and value <= 0:
                raise ValueError(f"{spec.name}={value}: must be positive")
        if self.dissatisfied_share + self.basically_satisfied_share > 1.0:
            raise ValueError("dissatisfied_share + basically_satisfied_share must not exceed 1")
        if self.group_size_max < 5:
            raise ValueError("group_size_max must be >= 5 (a group has at least five members)")

    @classmethod
    def draw(cls, rng: random.Random) -> WorldKnobs:
        """A world drawn uniformly from every knob's wide range (integers rounded).

        Args:
            rng: the source of the draw (one ``random()`` per knob, in field order; a knob drawn ``aside``
                takes none, but a stream seeded by the other knobs' values, so that adding one moves no
                world a seed drew before).

        Returns:
            The knobs.
        """
        values: dict[str, Any] = {}
        aside = [spec for spec in fields(cls) if spec.metadata["aside"]]
        for spec in fields(cls):
            if not spec.metadata["aside"]:
                values[spec.name] = _drawn(spec, rng)
        own = random.Random(repr(sorted(values.items())))
        for spec in aside:
            values[spec.name] = _drawn(spec, own)
        return cls(**values)

    def category_off(self, channel: str) -> float:
        """The share of ``channel``'s reports filed under another category."""
        return float(getattr(self, f"category_off_{channel}"))

    def changed(self) -> dict[str, Any]:
        """The knobs that differ from the defaults."""
        default = WorldKnobs()
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        }

    def short(self) -> str:
        """Every knob as ``abbr=value``, on one line."""
        return " ".join(f"{f.metadata['abbr']}={getattr(self, f.name):g}" for f in fields(self))

    def with_overrides(self, pairs: list[str] | tuple[str, ...]) -> WorldKnobs:
        """These knobs with ``name=value`` overrides (``name`` is a field name or its short name).

        Raises:
            ValueError: an unknown knob or a value that does not parse.
        """
        by_name = {f.name: f for f in fields(self)} | {f.metadata["abbr"]: f for f in fields(self)}
        changes: dict[str, Any] = {}
        for pair in pairs:
            name, _, text = pair.partition("=")
            spec = by_name.get(name.strip())
            if spec is None or not text:
                raise ValueError(f"unknown knob or missing value: {pair!r}")
            changes[spec.name] = int(text) if isinstance(spec.default, int) else float(text)
        return replace(self, **changes)


DEFAULT_KNOBS = WorldKnobs()
