"""Matching settings as data: the YAML model, loaded into a frozen, validated :class:`MatchSettings`."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from matching.comparison_library import build_comparison
from matching.comparisons import Comparison
from matching.normalize import STANDARDISERS
from matching.specs import BlockingRule, FieldSpec, block_on

log = logging.getLogger(__name__)
DEFAULT_SETTINGS = Path(__file__).with_name("settings.yaml")
MODEL_PARTS = ("person", "dispute")
GUARDS = ("id_number", "mobile_and_name", "facts")  # the default when a settings file names none
# name_without_contact reads these comparisons' levels (see matching.clustering.name_without_contact).
KNOWN_GUARDS = (*GUARDS, "name_without_contact", "topics", "matters")
CONTACT_COMPARISONS = ("name", "phone", "id")


@dataclass(frozen=True)
class ComparisonSpec:
    """One comparison: what it compares, how, which model part it informs, and its parameters per level.

    ``m``, ``u`` and ``u_same_person`` are listed per non-null level, best level first (the order of
    ``labels``): m = P(level | same case or, for person comparisons, same person), u = P(level | two
    different people), u_same_person = P(level | same person, another dispute), dispute comparisons only.
    """

    name: str
    column: str
    comparison: str
    thresholds: tuple[float, ...]
    part: str
    m: tuple[float, ...]
    u: tuple[float, ...]
    u_same_person: tuple[float, ...] = ()

    def build(self) -> Comparison:
        """The comparison object."""
        return build_comparison(self.comparison, self.column, self.thresholds)


@dataclass(frozen=True)
class TrainingSpec:
    """How ``dedupe`` (re-)estimates the model: u from random pairs, m by EM on blocked pairs."""

    estimate_u: bool = True
    estimate_m: bool = True
    estimate_prior: bool = True
    min_records: int = 2_000
    u_sample_pairs: int = 1_000_000
    u_sample_similarity: int = 100_000
    em_iterations: int = 25
    em_tolerance: float = 1e-4
    em_min_pairs: int = 200
    em_pseudo_count: float = 10.0
    u_pseudo_count: float = 20.0
    label_weight: float = 10.0
    independent_disputes: tuple[str, ...] = ()
    # Comparisons whose u is kept as written, not estimated from random pairs (see settings.yaml).
    fixed_u: tuple[str, ...] = ()
    em_rules: tuple[tuple[str, ...], ...] = ()
    rounds: int = 2
    seed: int = 20261120


@dataclass(frozen=True)
class MatchSettings:
    """The whole matching model; validated on construction so a bad file fails at load, not mid-run."""

    fields: tuple[FieldSpec, ...]
    blocking_rules: tuple[BlockingRule, ...]
    comparisons: tuple[ComparisonSpec, ...]
    prior_person: float
    prior_dispute: float
    merge_threshold: float
    review_threshold: float
    max_block_size: int = 400
    capped_block_window: int = 8
    guards: tuple[str, ...] = GUARDS
    default_area_code: str = "0931"
    # A city's own districts and counties, read in addresses and district fields as Lanzhou's are (their
    # short forms too: 锦江 for 锦江区); any other is read by its form.
    divisions: tuple[str, ...] = ()
    workers: int = 1
    training: TrainingSpec = field(default_factory=TrainingSpec)
    input_columns: tuple[str, ...] = ()
    # proxy_reports: the column flagging a report filed for someone else, and the comparisons whose
    # disagreement on such a report is no evidence (the filer's own phone, home, district).
    proxy_flag: str | None = None
    filer_comparisons: tuple[str, ...] = ()
    # and the column flagging a report an agent filed for a resident (a grid worker), with the comparisons
    # whose agreement on it is no evidence either (the agent's phone, which it files many residents' from).
    agent_flag: str | None = None
    agent_comparisons: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        known = set(self.input_columns) | {"record_id"}
        for spec in self.fields:
            if spec.standardiser not in STANDARDISERS:
                raise ValueError(
                    f"unknown standardiser {spec.standardiser!r}; known: {sorted(STANDARDISERS)}"
                )
            if self.input_columns and spec.column not in self.input_columns:
                raise ValueError(f"field column {spec.column!r} is not an input column")
            outputs = STANDARDISERS[spec.standardiser].outputs(spec.prefix)
            standardiser = STANDARDISERS[spec.standardiser]
            # A field that fills (replaces, or completes where empty) what an earlier field wrote needs one.
            if (standardiser.fills or standardiser.fills_missing) and not set(outputs) <= known:
                raise ValueError(
                    f"field {spec.standardiser} on {spec.column!r} fills {sorted(set(outputs) - known)}, "
                    "which no earlier field writes"
                )
            known.update(outputs)
        for rule in self.blocking_rules:
            missing = [c for c in rule.reads if c not in known]
            if missing:
                raise ValueError(f"blocking rule {rule.name} uses unknown column(s) {missing}")
        # A rule is known by its columns (in the pairs' rules column, the stats and a pool's stored block
        # keys): two on one set of columns would be one name for two windows.
        seen = [rule.name for rule in self.blocking_rules]
        twice = sorted({name for name in seen if seen.count(name) > 1})
        if twice:
            raise ValueError(
                f"blocking rules {twice} appear more than once: one rule per set of columns (keep the "
                "longer window, or add a column to tell them apart)"
            )
        names = [c.name for c in self.comparisons]
        if len(set(names)) != len(names):
            raise ValueError(f"comparison names repeat: {names}")
        # A division is named in full (锦江区, 金堂县, 天府新区): its short form is derived, and a bare
        # word would be read off the start of every address that begins with it.
        odd = [d for d in self.divisions if len(d) < 2 or not d.endswith(("区", "县", "市", "旗"))]
        if odd:
            raise ValueError(f"divisions must be full names ending 区, 县, 市 or 旗: {odd}")
        for comparison_spec in self.comparisons:
            self._validate_comparison(comparison_spec, known)
        for label, value in (("prior_person", self.prior_person), ("prior_dispute", self.prior_dispute)):
            if not 0.0 < value < 1.0:
                raise ValueError(f"{label} must be in (0, 1), got {value}")
        if not 0.0 < self.review_threshold < self.merge_threshold < 1.0:
            raise ValueError(
                f"thresholds must satisfy 0 < review ({self.review_threshold}) < merge ({self.merge_threshold}) < 1"
            )
        if self.workers == 0 or self.workers < -1:
            raise ValueError("workers must be >= 1, or -1 for every core")
        if self.max_block_size < 2 or self.capped_block_window < 0:
            raise ValueError("max_block_size must be >= 2 and capped_block_window >= 0")
        dispute_names = {c.name for c in self.comparisons if c.part == "dispute"}
        if not set(self.training.independent_disputes) <= dispute_names:
            raise ValueError(
                f"training.independent_disputes must name dispute comparisons: {self.training.independent_disputes}"
            )
        unknown_fixed = set(self.training.fixed_u) - {c.name for c in self.comparisons}
        if unknown_fixed:
            raise ValueError(f"training.fixed_u must name comparisons: {sorted(unknown_fixed)}")
        rule_columns = {rule.columns for rule in self.blocking_rules}
        for columns in self.training.em_rules:
            if tuple(columns) not in rule_columns:
                raise ValueError(f"training.em_rules: {list(columns)} is not one of the blocking rules")
        unknown_guards = set(self.guards) - set(KNOWN_GUARDS)
        if unknown_guards:
            raise ValueError(f"unknown guard(s) {sorted(unknown_guards)}; known: {KNOWN_GUARDS}")
        if self.filer_comparisons and self.proxy_flag not in known:
            raise ValueError(f"proxy_reports: flag {self.proxy_flag!r} is not a column the fields write")
        if self.agent_comparisons and self.agent_flag not in known:
            raise ValueError(
                f"proxy_reports: agent_flag {self.agent_flag!r} is not a column the fields write"
            )
        unknown_filer = (set(self.filer_comparisons) | set(self.agent_comparisons)) - set(names)
        if unknown_filer:
            raise ValueError(f"proxy_reports: unknown comparison(s) {sorted(unknown_filer)}")
        absent = set(CONTACT_COMPARISONS) - {c.name for c in self.comparisons}
        if "name_without_contact" in self.guards and absent:
            raise ValueError(f"guard name_without_contact needs the comparisons {sorted(absent)}")

    @staticmethod
    def _validate_comparison(spec: ComparisonSpec, known: set[str]) -> None:
        comparison = spec.build()
        missing = [c for c in comparison.required_columns() if c not in known]
        if missing:
            raise ValueError(f"comparison {spec.name!r} reads unknown column(s) {missing}")
        if spec.part not in MODEL_PARTS:
            raise ValueError(f"comparison {spec.name!r}: part must be one of {MODEL_PARTS}")
        if spec.part == "dispute" and not spec.u_same_person:
            raise ValueError(f"dispute comparison {spec.name!r} needs u_same_person")
        checks = [("m", spec.m), ("u", spec.u)] + (
            [("u_same_person", spec.u_same_person)] if spec.u_same_person else []
        )
        for label, values in checks:
            if len(values) != len(comparison.labels):
                raise ValueError(
                    f"comparison {spec.name!r}: {len(values)} {label} values for levels {comparison.labels}"
                )
            if any(not 0.0 < v < 1.0 for v in values):
                raise ValueError(f"comparison {spec.name!r}: {label} values must be in (0, 1)")

    @property
    def comparison_objects(self) -> tuple[Comparison, ...]:
        """The comparisons, built."""
        return tuple(spec.build() for spec in self.comparisons)

    @property
    def comparison_columns(self) -> tuple[str, ...]:
        """Every standardised column some comparison reads."""
        return tuple(
            dict.fromkeys(c for comparison in self.comparison_objects for c in comparison.required_columns())
        )

    def with_parameters(
        self, m: Mapping[str, Sequence[float]], u: Mapping[str, Sequence[float]],
        u_same_person: Mapping[str, Sequence[float]] | None = None,
        prior_person: float | None = None, prior_dispute: float | None = None,
    ) -> MatchSettings:  # fmt: skip
        """A copy with trained parameters (Splink's saved model), e.g. to pin them for incremental runs."""
        same = u_same_person or {}
        specs = tuple(
            replace(s, m=_rounded(m.get(s.name, s.m)), u=_rounded(u.get(s.name, s.u)),
                    u_same_person=_rounded(same.get(s.name, s.u_same_person)))
            for s in self.comparisons
        )  # fmt: skip
        return replace(self, comparisons=specs, prior_person=prior_person or self.prior_person,
                       prior_dispute=prior_dispute or self.prior_dispute)  # fmt: skip


def _rounded(values: Sequence[float]) -> tuple[float, ...]:
    return tuple(float(f"{float(v):.6g}") for v in values)


def settings_from_dict(data: Mapping[str, Any]) -> MatchSettings:
    """Build settings from the YAML structure (see ``settings.yaml``).

    Raises:
        ValueError: on any unknown key, name or column, or inconsistent values.
    """
    allowed = {"input_columns", "fields", "blocking", "comparisons", "model", "thresholds", "clustering",
               "training", "default_area_code", "divisions", "workers", "proxy_reports"}  # fmt: skip
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"unknown settings key(s) {sorted(unknown)}")
    blocking = data.get("blocking", {})
    model = data.get("model", {})
    thresholds = data.get("thresholds", {})
    proxies = data.get("proxy_reports") or {}
    unknown_proxies = set(proxies) - {"flag", "filer_comparisons", "agent_flag", "agent_comparisons"}
    if unknown_proxies:
        raise ValueError(f"proxy_reports: unknown key(s) {sorted(unknown_proxies)}")
    try:
        return MatchSettings(
            input_columns=tuple(data.get("input_columns", ())),
            fields=tuple(FieldSpec(**f) for f in data["fields"]),
            blocking_rules=tuple(_rule(rule) for rule in blocking["rules"]),
            max_block_size=int(blocking.get("max_block_size", 400)),
            capped_block_window=int(blocking.get("capped_block_window", 8)),
            comparisons=tuple(
                ComparisonSpec(
                    name=c.get("name", c["column"]),
                    column=c["column"],
                    comparison=c["comparison"],
                    thresholds=tuple(c.get("thresholds", ())),
                    part=c.get("part", "person"),
                    m=tuple(float(v) for v in c["m"]),
                    u=tuple(float(v) for v in c["u"]),
                    u_same_person=tuple(float(v) for v in c.get("u_same_person", ())),
                )
                for c in data["comparisons"]
            ),  # fmt: skip
            prior_person=float(model["prior_person"]),
            prior_dispute=float(model["prior_dispute"]),
            merge_threshold=float(thresholds["merge"]),
            review_threshold=float(thresholds["review"]),
            guards=tuple(data.get("clustering", {}).get("guards", GUARDS)),
            default_area_code=str(data.get("default_area_code", "0931")),
            divisions=tuple(str(d) for d in data.get("divisions") or ()),
            workers=int(data.get("workers", 1)),
            training=_training(data.get("training", {})),
            proxy_flag=proxies.get("flag"),
            filer_comparisons=tuple(proxies.get("filer_comparisons", ())),
            agent_flag=proxies.get("agent_flag"),
            agent_comparisons=tuple(proxies.get("agent_comparisons", ())),
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"invalid matching settings: {error!r}") from error


def _rule(data: Any) -> BlockingRule:
    """A blocking rule from YAML: a list of columns, or ``{columns: [...], within_days: N, nearest: K}`` (and
    ``beyond_days: D``, or ``anchor: column`` instead of ``nearest``)."""
    if isinstance(data, Mapping):
        unknown = set(data) - {"columns", "within_days", "nearest", "anchor", "beyond_days", "unless"}
        if unknown:
            raise ValueError(f"blocking rule: unknown key(s) {sorted(unknown)}")
        return block_on(
            *data["columns"], within_days=data.get("within_days"), nearest=data.get("nearest"),
            anchor=data.get("anchor"), beyond_days=data.get("beyond_days"), unless=data.get("unless"),
        )  # fmt: skip
    return block_on(*data)


def _training(data: Mapping[str, Any]) -> TrainingSpec:
    values = dict(data)
    if values.pop("dispute_gate", None) is not None:
        # Settings saved before the dispute part was trained by one joint EM (training.dispute_sessions).
        log.warning("matching settings: training.dispute_gate is no longer used and is ignored")
    values["em_rules"] = tuple(tuple(rule) for rule in values.get("em_rules", ()))
    values["independent_disputes"] = tuple(values.get("independent_disputes", ()))
    values["fixed_u"] = tuple(values.get("fixed_u", ()))
    return TrainingSpec(**values)


def load_settings(path: str | Path | None = None) -> MatchSettings:
    """Load and validate settings from YAML.

    Args:
        path: a settings file; ``None`` loads the packaged default ``matching/settings.yaml``.

    Returns:
        The validated, frozen settings.
    """
    with Path(path or DEFAULT_SETTINGS).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"settings file {path} is not a mapping")
    return settings_from_dict(data)


def settings_to_dict(settings: MatchSettings) -> dict[str, Any]:
    """The YAML structure of ``settings`` (round-trips through :func:`settings_from_dict`)."""
    return {
        "input_columns": list(settings.input_columns),
        "fields": [{"column": f.column, "standardiser": f.standardiser, "prefix": f.prefix} for f in settings.fields],
        "blocking": {"rules": [{"columns": list(r.columns), "within_days": r.within_days,
                                **({"nearest": r.nearest} if r.nearest else {}),
                                **({"beyond_days": r.beyond_days} if r.beyond_days is not None else {}),
                                **({"anchor": r.anchor} if r.anchor else {}),
                                **({"unless": r.unless} if r.unless else {})} if r.within_days or r.unless
                               else list(r.columns) for r in settings.blocking_rules],
                     "max_block_size": settings.max_block_size,
                     "capped_block_window": settings.capped_block_window},
        "comparisons": [{"name": c.name, "column": c.column, "comparison": c.comparison,
                         "thresholds": list(c.thresholds), "part": c.part, "m": list(c.m), "u": list(c.u),
                         **({"u_same_person": list(c.u_same_person)} if c.u_same_person else {})}
                        for c in settings.comparisons],
        "model": {"prior_person": settings.prior_person, "prior_dispute": settings.prior_dispute},
        "thresholds": {"merge": settings.merge_threshold, "review": settings.review_threshold},
        "clustering": {"guards": list(settings.guards)},
        "training": {**{k: getattr(settings.training, k) for k in TrainingSpec.__dataclass_fields__},
                     "em_rules": [list(rule) for rule in settings.training.em_rules],
                     "independent_disputes": list(settings.training.independent_disputes),
                     "fixed_u": list(settings.training.fixed_u)},
        "default_area_code": settings.default_area_code,
        **({"divisions": list(settings.divisions)} if settings.divisions else {}),
        "workers": settings.workers,
        **({"proxy_reports": {"flag": settings.proxy_flag,
                              "filer_comparisons": list(settings.filer_comparisons),
                              **({"agent_flag": settings.agent_flag,
                                  "agent_comparisons": list(settings.agent_comparisons)}
                                 if settings.agent_comparisons else {})}}
           if settings.filer_comparisons or settings.agent_comparisons else {}),
    }  # fmt: skip


def dump_settings(settings: MatchSettings, path: str | Path) -> None:
    """Write ``settings`` as YAML (e.g. after training, to pin the parameters for incremental runs)."""
    text = yaml.safe_dump(settings_to_dict(settings), allow_unicode=True, sort_keys=False)
    Path(path).write_text(text, encoding="utf-8")


def logit2(probability: float) -> float:
    """log2(p / (1 - p)): a probability as a match weight."""
    return math.log2(probability / (1.0 - probability))
