"""Staging hand-made or simulated canonical records for the pool tests (land a payload per record, then
stage it)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from connectors.base import SHANGHAI, RecordError, Window, payload_hash
from connectors.registry import connector_class
from warehouse import land_batch, open_batch, read_landed, stage_batch

DAY = Window(datetime(2026, 11, 20, tzinfo=SHANGHAI), datetime(2026, 11, 21, tzinfo=SHANGHAI))


def simulated_records(rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """A simulated world's raw rows (``World.rows``) as canonical records, mapped by their connectors
    (rows a connector rejects are left out, as validation would quarantine them)."""
    records = []
    for source, raws in rows.items():
        connector = connector_class(source).__new__(connector_class(source))  # to_record needs no transport
        for raw in raws:
            try:
                records.append(connector.to_record(raw).as_dict())
            except RecordError:
                continue
    return records


def records_by_day(
    rows: dict[str, list[dict[str, Any]]], start: date, days: int
) -> list[list[dict[str, Any]]]:
    """:func:`simulated_records` with a report time, one list per Beijing day from ``start`` (earlier
    reports fall on the first day, later ones on the last)."""
    by_day: list[list[dict[str, Any]]] = [[] for _ in range(days)]
    for rec in simulated_records(rows):
        if rec["reported_at"] is not None:
            offset = (rec["reported_at"].astimezone(SHANGHAI).date() - start).days
            by_day[min(max(offset, 0), days - 1)].append(rec)
    return by_day


def at(hour: float, day: int = 0) -> datetime:
    """A Beijing time on the test day (``day`` days later)."""
    return DAY.start + timedelta(days=day, hours=hour)


def record(record_id: str, **fields: Any) -> dict[str, Any]:
    """A canonical record ``<source>:<id>`` with the given fields (reported at 09:00 unless given)."""
    source, _, source_record_id = record_id.partition(":")
    return {
        "record_id": record_id,
        "source": source,
        "source_record_id": source_record_id,
        "reported_at": fields.pop("reported_at", at(9)),
        **fields,
    }


def stage(
    engine: sa.Engine, records: list[dict[str, Any]], window: Window = DAY, key: str | None = None
) -> list[str]:
    """Land and stage ``records`` (one batch per source); return the batch ids.

    A record staged again with other fields lands as a new version in the new batch, as a status
    update from a source would.
    """
    batches = []
    for source in sorted({r["source"] for r in records}):
        mine = [r for r in records if r["source"] == source]
        batch = open_batch(engine, source, key or window.key, window.start, window.end)
        payloads = {r["source_record_id"]: {k: str(v) for k, v in r.items()} for r in mine}
        land_batch(engine, batch, source, [(rid, payload_hash(p), p) for rid, p in payloads.items()])
        landing = {rid: lid for lid, rid, _ in read_landed(engine, batch)}
        rows = [
            {**r, "landing_id": landing[r["source_record_id"]]}
            for r in mine
            if r["source_record_id"] in landing
        ]
        stage_batch(engine, batch, rows, [], [])
        batches.append(batch)
    return batches


def assign(
    record_id: str, case_id: str, new: bool = True, probability: float | None = None
) -> dict[str, Any]:
    """One assignment of a matching pass."""
    return {
        "record_id": record_id,
        "case_id": case_id,
        "is_new_case": new,
        "match_probability": probability,
        "matched_record_id": None,
    }


def pool_wage_claims(engine: sa.Engine, content: str, n: int = 3, **fields: Any) -> None:
    """``n`` dispatched hotline reports of unpaid wages, one an hour from 09:00 with phones of their own,
    each published as its own case: a group dispute the alerting rules raise (``fields``: district, street)."""
    from warehouse import publish_matches

    stage(
        engine,
        [
            record(
                f"hotline:w{i}",
                reported_at=at(9 + i),
                category="劳资欠薪",
                phone=f"1380000000{i}",
                content=content,
                status="已派单",
                received_at=at(9 + i),
                dispatched_at=at(10 + i),
                **fields,
            )
            for i in range(n)
        ],
    )
    publish_matches(engine, [assign(f"hotline:w{i}", f"c{i}") for i in range(n)], [], [], [])


def rows(engine: sa.Engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    """The rows of a query as dicts."""
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.text(sql), params).mappings()]


def clustered_pass(
    ids: list[str],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, str]]]:
    """A synthetic matching pass over ``ids``: 3 records per new case, an evidence pair per joining record,
    one blocking key per record (``publish_matches``'s arguments)."""
    assignments = [
        {
            "record_id": rid,
            "case_id": f"k-{i // 3:07d}",
            "is_new_case": True,
            "match_probability": None if i % 3 == 0 else 0.95,
            "matched_record_id": None,
        }
        for i, rid in enumerate(ids)
    ]
    pairs = [
        {
            "record_id_l": ids[i - i % 3],
            "record_id_r": rid,
            "match_weight": 10.0,
            "match_probability": 0.95,
            "decision": "merge",
            "gamma_phone": 2,
        }
        for i, rid in enumerate(ids)
        if i % 3
    ]
    keys = [{"record_id": rid, "rule": "phone_norm", "key": f"1380{i // 3:07d}"} for i, rid in enumerate(ids)]
    return assignments, [], pairs, keys
