"""SQL text for golden records: each survivorship rule as an integer ranking key, and small dialect helpers."""

from __future__ import annotations

from collections.abc import Sequence

from warehouse.derive.survivorship import FieldRule, Survivorship

# Members per case stay far below this, so ``rule_rank * POSITIONS + position`` orders by rule first.
POSITIONS = 1_048_576
# Columns every member row carries into the aggregate, besides the golden fields' own.
_BASE = ("record_id", "source", "reported_at", "phone_hash", "id_number_hash")
# Time keys count seconds up to 2100-01-01, so ``rule_rank * POSITIONS`` stays inside a BIGINT.
_LAST_SECOND = 4_102_444_800


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _case(column: str, mapping: Sequence[tuple[str, object]], default: str) -> str:
    whens = " ".join(f"WHEN {_literal(word)} THEN {value}" for word, value in mapping)
    return f"CASE {column} {whens} ELSE {default} END"


def _rule_rank(rule: FieldRule, settings: Survivorship, dialect: str) -> str:
    """The part of a member's key that the rule decides (smaller wins); ties fall to the position."""
    column = f"r.{rule.column}"
    if rule.rule == "source_trust":
        return _case("r.source", [(s, i) for i, s in enumerate(settings.trust)], str(len(settings.trust)))
    if rule.rule == "most_complete":
        filled = " + ".join(f"CASE WHEN r.{c} IS NULL THEN 0 ELSE 1 END" for c in settings.completeness)
        return f"({len(settings.completeness)} - ({filled}))"
    if rule.rule == "longest":
        return f"(1000000 - coalesce(length({column}), 0))"
    if rule.rule == "most_advanced":
        stages = [(word, rank) for word, (rank, _) in settings.stage_of().items()]
        return f"({len(settings.status_stages) + 1} - {_case(column, stages, '0')})"
    if rule.rule == "best_rank":
        return f"coalesce(r.{rule.rank_column}, 32767)"
    if rule.rule in ("first_time", "last_time"):
        seconds = (
            f"CAST(EXTRACT(EPOCH FROM {column}) AS BIGINT)"
            if dialect == "postgresql"
            else f"CAST(strftime('%s', {column}) AS INTEGER)"
        )
        return seconds if rule.rule == "first_time" else f"({_LAST_SECOND} - {seconds})"
    return "0"  # most_recent and earliest are decided by the position alone


def _value(rule: FieldRule, settings: Survivorship) -> str:
    if rule.rule == "most_advanced":  # the stage's name; a word of no stage is kept as it is
        stages = [(word, _literal(stage)) for word, (_, stage) in settings.stage_of().items()]
        return _case(rule.column, stages, rule.column)
    return rule.column


def golden_select(settings: Survivorship, dialect: str, scope: str, members: str = "case_member") -> str:
    """The SELECT producing one row per case in ``scope``: summary columns, each golden field ``f`` and the
    record that supplied it ``f__src``, and the group key.

    Args:
        settings: the survivorship settings.
        dialect: ``sqlite`` or ``postgresql``.
        scope: the table (or parenthesised subquery) listing the cases (``case_id`` column).
        members: the table of ``(record_id, case_id)`` memberships to read.
    """
    position = "row_number() OVER o"
    columns = dict.fromkeys([*_BASE, *(f.column for f in settings.fields)])
    keys, winners, values = [], [], []
    for f in settings.fields:
        tiebreak = f"({POSITIONS} - {position})" if f.rule == "earliest" else position
        keys.append(
            f"CASE WHEN r.{f.column} IS NULL THEN NULL "
            f"ELSE CAST({_rule_rank(f, settings, dialect)} AS BIGINT) * {POSITIONS} + {tiebreak} END AS k_{f.name}"
        )
        winners.append(f"min(k_{f.name}) OVER (PARTITION BY case_id) AS w_{f.name}")
        values.append(f"max(CASE WHEN k_{f.name} = w_{f.name} THEN {_value(f, settings)} END) AS {f.name}")
        values.append(f"max(CASE WHEN k_{f.name} = w_{f.name} THEN record_id END) AS {f.name}__src")
    channels = (
        "string_agg(DISTINCT source, ',' ORDER BY source)"
        if dialect == "postgresql"
        else "CAST(NULL AS TEXT)"
    )  # SQLite: filled by a second statement (see golden.refresh_golden)
    members = (
        f"SELECT m.case_id, {', '.join(f'r.{c}' for c in columns)}, {', '.join(keys)} "
        f"FROM {scope} s JOIN {members} m ON m.case_id = s.case_id "
        "JOIN complaint_record r ON r.record_id = m.record_id "
        "WINDOW o AS (PARTITION BY m.case_id ORDER BY r.reported_at DESC, r.record_id)"
    )
    ranked = f"SELECT x.*, {', '.join(winners)} FROM ({members}) x"
    aggregate = (
        f"SELECT case_id, count(*) AS n_records, count(DISTINCT source) AS n_channels, "
        f"{channels} AS channels, "
        "count(DISTINCT coalesce(phone_hash, id_number_hash)) AS n_complainants, "
        "min(reported_at) AS first_reported_at, max(reported_at) AS last_reported_at, "
        f"{', '.join(values)} FROM ({ranked}) y GROUP BY case_id"
    )
    return f"SELECT g.*, {group_key(settings, 'g')} AS group_key FROM ({aggregate}) g"


def group_key(settings: Survivorship, alias: str) -> str:
    """``category|topic`` (plus ``|district`` for home-based categories) of a case, NULL when it forms no group."""
    rules = settings.groups
    listed = ", ".join(_literal(c) for c in rules.categories)
    by_district = ", ".join(_literal(c) for c in rules.by_district) or "NULL"
    return (
        f"CASE WHEN {alias}.category IN ({listed}) AND {alias}.topic IS NOT NULL "
        f"THEN {alias}.category || '|' || {alias}.topic || CASE WHEN {alias}.category IN ({by_district}) "
        f"THEN '|' || coalesce({alias}.district, '') ELSE '' END END"
    )


def json_object(dialect: str, pairs: Sequence[tuple[str, str]]) -> str:
    """A JSON object built in SQL from ``(key, expression)`` pairs."""
    function = "jsonb_build_object" if dialect == "postgresql" else "json_object"
    return f"{function}({', '.join(f'{_literal(k)}, {v}' for k, v in pairs)})"


def null_safe_differs(dialect: str, left: str, right: str) -> str:
    """``left`` and ``right`` differ, NULLs compared as values."""
    return f"{left} IS DISTINCT FROM {right}" if dialect == "postgresql" else f"{left} IS NOT {right}"
