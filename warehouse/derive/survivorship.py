"""Survivorship settings as data: per golden field a rule, topic patterns and group rules, validated on load."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from warehouse.schema import ComplaintCase, StagedRecord, UtcDateTime, table_of

SETTINGS_PATH = Path(__file__).with_name("survivorship.yaml")
RULES = (
    "source_trust",
    "most_recent",
    "earliest",
    "most_complete",
    "longest",
    "most_advanced",
    "best_rank",
    "first_time",
    "last_time",
)
# Derived columns of the staged record that may feed golden fields besides the canonical ones.
_RECORD_COLUMNS = frozenset(c.name for c in table_of(StagedRecord).columns)
_CASE_COLUMNS = frozenset(c.name for c in table_of(ComplaintCase).columns)
_TIME_COLUMNS = frozenset(c.name for c in table_of(StagedRecord).columns if isinstance(c.type, UtcDateTime))


class SurvivorshipError(ValueError):
    """The survivorship settings are invalid; raised at load so nothing half-applies."""


@dataclass(frozen=True)
class FieldRule:
    """How one golden field is chosen: the rule, the member column it reads, and the rule's extra column."""

    name: str
    rule: str
    column: str
    rank_column: str | None = None

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise SurvivorshipError(
                f"field {self.name}: unknown rule {self.rule!r} (known: {', '.join(RULES)})"
            )
        if self.name not in _CASE_COLUMNS:
            raise SurvivorshipError(f"field {self.name}: complaint_case has no such column")
        for column in (self.column, self.rank_column):
            if column is not None and column not in _RECORD_COLUMNS:
                raise SurvivorshipError(f"field {self.name}: complaint_record has no column {column!r}")
        if self.rule in ("first_time", "last_time") and self.column not in _TIME_COLUMNS:
            raise SurvivorshipError(f"field {self.name}: {self.rule} applies to time columns only")
        if (self.rule == "best_rank") != (self.rank_column is not None):
            raise SurvivorshipError(
                f"field {self.name}: rank_column goes with rule best_rank, and only with it"
            )


@dataclass(frozen=True)
class TopicPattern:
    """One way of naming a topic: a compiled pattern whose first group is the name, and its rank."""

    rank: int
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class TopicRules:
    """Where a record's topic comes from (description patterns, then address patterns) and how names fold."""

    content: tuple[TopicPattern, ...]
    address: tuple[TopicPattern, ...]
    strip_prefix: re.Pattern[str]
    strip_suffix: re.Pattern[str]
    stopwords: frozenset[str]


@dataclass(frozen=True)
class GroupRules:
    """Which categories form groups, which of them are keyed by district too, and the size that makes one."""

    categories: tuple[str, ...]
    by_district: tuple[str, ...]
    min_cases: int

    def __post_init__(self) -> None:
        if self.min_cases < 2:
            raise SurvivorshipError("groups.min_cases must be at least 2: one case is not a hotspot")
        if not set(self.by_district) <= set(self.categories):
            raise SurvivorshipError("groups.by_district lists a category that forms no groups")


@dataclass(frozen=True)
class Survivorship:
    """The whole survivorship configuration (``warehouse/derive/survivorship.yaml``)."""

    trust: tuple[str, ...]
    completeness: tuple[str, ...]
    fields: tuple[FieldRule, ...]
    status_stages: tuple[tuple[str, tuple[str, ...]], ...]
    topics: TopicRules
    groups: GroupRules

    def __post_init__(self) -> None:
        unknown = set(self.completeness) - _RECORD_COLUMNS
        if unknown:
            raise SurvivorshipError(f"completeness: complaint_record has no column(s) {sorted(unknown)}")
        if not self.trust:
            raise SurvivorshipError("trust must list at least one source")
        words = [w for _, stage_words in self.status_stages for w in stage_words]
        if len(words) != len(set(words)):
            raise SurvivorshipError("status_stages: a status word is listed under two stages")

    def stage_of(self) -> dict[str, tuple[int, str]]:
        """Each status word's stage: ``word -> (rank, stage name)``, rank 1 for the first stage."""
        return {w: (i, stage) for i, (stage, words) in enumerate(self.status_stages, 1) for w in words}


def _patterns(entries: list[dict[str, Any]], where: str) -> tuple[TopicPattern, ...]:
    out = []
    for i, entry in enumerate(entries):
        try:
            compiled = re.compile(str(entry["pattern"]))
        except (KeyError, re.error) as exc:
            raise SurvivorshipError(f"topics.{where}[{i}]: {exc}") from exc
        if compiled.groups < 1:
            raise SurvivorshipError(f"topics.{where}[{i}]: the pattern needs a group capturing the name")
        out.append(TopicPattern(int(entry["rank"]), compiled))
    return tuple(out)


def parse_survivorship(raw: dict[str, Any]) -> Survivorship:
    """Validate a parsed YAML document into :class:`Survivorship`.

    Raises:
        SurvivorshipError: on any unknown rule, column, stage overlap or bad pattern.
    """
    try:
        fields = tuple(
            FieldRule(name, spec["rule"], spec.get("column", name), spec.get("rank_column"))
            for name, spec in raw["fields"].items()
        )
        topics = raw["topics"]
        groups = raw["groups"]
        return Survivorship(
            trust=tuple(raw["trust"]),
            completeness=tuple(raw["completeness"]),
            fields=fields,
            status_stages=tuple((stage, tuple(words)) for stage, words in raw["status_stages"].items()),
            topics=TopicRules(
                _patterns(topics["content"], "content"),
                _patterns(topics["address"], "address"),
                re.compile(topics["strip_prefix"]),
                re.compile(topics["strip_suffix"]),
                frozenset(topics.get("stopwords", ())),
            ),
            groups=GroupRules(
                tuple(groups["categories"]),
                tuple(groups.get("by_district", ())),
                int(groups.get("min_cases", 2)),
            ),
        )
    except KeyError as exc:
        raise SurvivorshipError(f"survivorship settings lack {exc.args[0]!r}") from exc


@lru_cache(maxsize=4)
def load_survivorship(path: str | None = None) -> Survivorship:
    """Load and validate the survivorship settings (default: the packaged ``survivorship.yaml``).

    PyYAML is the project's settings reader (matching and connectors use it too); it is imported here
    only, so the rest of the warehouse stays on SQLAlchemy and the standard library.
    """
    import yaml

    text = Path(path or SETTINGS_PATH).read_text(encoding="utf-8")
    return parse_survivorship(yaml.safe_load(text))
