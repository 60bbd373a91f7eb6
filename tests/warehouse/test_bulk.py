"""PostgreSQL bulk paths: COPY of awkward text, staging by COPY with its upsert fallback, bulk-mode publish."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from pool_data import DAY, clustered_pass, rows

import warehouse.load.bulk_mode as bulk_mode
from warehouse import land_batch, make_engine, migrate, open_batch, publish_matches, read_landed, stage_batch
from warehouse.load.pg_copy import fast_copy
from warehouse.schema import Base, StagedRecord, table_of

pytestmark = pytest.mark.integration
AWKWARD = [
    "\\N",
    "tab\there",
    "new\nline",
    "back\\slash \\N",
    "ctrl \x1f\x1e\x1d marks",
    "",
    "普通文本",
    "cr\r",
]


def test_copy_keeps_tabs_newlines_backslashes_and_control_characters(postgres_url: str) -> None:
    migrate(postgres_url)
    engine = make_engine(postgres_url)
    batch = open_batch(engine, "app", DAY.key, DAY.start, DAY.end)
    land_batch(engine, batch, "app", [(str(i), f"h{i}", {"i": i}) for i in range(len(AWKWARD))])
    landing = {rid: lid for lid, rid, _ in read_landed(engine, batch)}
    records = [
        {
            "record_id": f"app:{i}",
            "source": "app",
            "source_record_id": str(i),
            "batch_id": batch,
            "landing_id": landing[str(i)],
            "reported_at": DAY.start,
            "content": text,
            "name": None,
        }
        for i, text in enumerate(AWKWARD)
    ]
    with engine.begin() as conn:
        fast_copy(
            conn,
            table_of(StagedRecord),
            records,
            [
                "record_id",
                "source",
                "source_record_id",
                "batch_id",
                "landing_id",
                "reported_at",
                "content",
                "name",
            ],
        )
    stored = {
        r["record_id"]: r
        for r in rows(engine, "SELECT record_id, content, name, reported_at FROM complaint_record")
    }
    assert [stored[f"app:{i}"]["content"] for i in range(len(AWKWARD))] == AWKWARD
    assert all(r["name"] is None for r in stored.values())
    engine.dispose()


def test_binary_and_text_copy_store_the_same_values(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every type the binary encoder takes, NULLs, awkward text and several chunks, copied both ways."""
    from datetime import UTC, datetime, timedelta, timezone

    from sqlalchemy.dialects import postgresql

    import warehouse.load.pg_copy as copy_module

    meta = sa.MetaData()
    typed = sa.Table(
        "typed_copy",
        meta,
        sa.Column("k", sa.Integer, primary_key=True),
        sa.Column("big", sa.BigInteger),
        sa.Column("small", sa.SmallInteger),
        sa.Column("x", sa.Float),
        sa.Column("flag", sa.Boolean),
        sa.Column("at", sa.DateTime(timezone=True)),
        sa.Column("code", sa.String(20)),
        sa.Column("text", sa.Text),
        sa.Column("doc", postgresql.JSONB),
        sa.Column("plain", sa.JSON),
    )
    beijing = timezone(timedelta(hours=8))
    data = [
        {
            "k": i,
            "big": 2**40 + i if i % 5 else None,
            "small": i % 300 - 150,
            "x": i / 7 if i % 3 else None,
            "flag": bool(i % 2) if i % 4 else None,
            "at": datetime(1999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
            + timedelta(seconds=i, microseconds=i)
            if i % 6
            else datetime(2026, 11, 20, 9, 30, 0, 123, tzinfo=beijing),
            "code": ["城关区", "七里河区", None, 42][i % 4],
            "text": AWKWARD[i % len(AWKWARD)] + f"{i}" if i % 9 else None,
            "doc": [None, {"to": "城关区司法所", "n": i}, {}, [1, "退单\t原因"], "text"][i % 5],
            "plain": {"at": datetime(2026, 11, 20, tzinfo=beijing), "s": AWKWARD[i % len(AWKWARD)]}
            if i % 2
            else None,
        }
        for i in range(12_345)
    ]
    engine = make_engine(postgres_url)
    stored = {}
    for fmt in ("binary", "text"):
        if fmt == "text":  # what a table with a type the encoder does not take gets
            monkeypatch.setattr(copy_module, "binary_encoders", lambda *_: None)
        with engine.begin() as conn:
            typed.drop(conn, checkfirst=True)
            typed.create(conn)
            fast_copy(conn, typed, data)
            stored[fmt] = [tuple(r) for r in conn.execute(sa.select(typed).order_by(typed.c.k))]
            typed.drop(conn)
    assert stored["binary"] == stored["text"]
    assert len(stored["binary"]) == len(data)
    first = stored["binary"][1]
    assert first[5] == datetime(2000, 1, 1, 0, 0, 1, tzinfo=UTC) and first[6] == "七里河区"
    assert stored["binary"][3][6] == "42" and stored["binary"][0][7] is None
    assert stored["binary"][1][8] == {"to": "城关区司法所", "n": 1} and stored["binary"][0][8] is None
    assert stored["binary"][1][9]["at"] == "2026-11-20 00:00:00+08:00"  # default=str, as the text COPY
    engine.dispose()


def _stage(engine: sa.Engine, n: int, key: str, content: str) -> None:
    batch = open_batch(engine, "app", key, DAY.start, DAY.end)
    land_batch(
        engine, batch, "app", ((f"B{i:05d}", f"{content}{i}", {"i": i, "c": content}) for i in range(n))
    )
    records = [
        {
            "record_id": f"app:{rid}",
            "source": "app",
            "source_record_id": rid,
            "landing_id": lid,
            "reported_at": DAY.start,
            "phone": f"1380{int(rid[1:]) // 3:07d}",
            "category": "劳资欠薪",
            "district": "城关区",
            "content": f"{content}:来电人反映其在宏泰华府项目务工",
        }
        for lid, rid, _ in read_landed(engine, batch)
    ]
    stage_batch(engine, batch, records, [], [])


def test_bulk_mode_stages_and_publishes_and_leaves_every_constraint_in_place(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    monkeypatch.setattr(bulk_mode, "BULK_MIN_ROWS", 1_000)
    migrate(postgres_url)
    engine = make_engine(postgres_url)
    _stage(engine, 3_000, "first", "v1")  # new records: one COPY straight into the table
    _stage(engine, 3_000, "second", "v2")  # the same records changed: the upsert fallback
    assert {r["content"][:2] for r in rows(engine, "SELECT content FROM complaint_record")} == {"v2"}
    with engine.connect() as conn:
        ids = [
            r for (r,) in conn.execute(sa.text("SELECT record_id FROM complaint_record ORDER BY record_id"))
        ]
    counts = publish_matches(engine, *clustered_pass(ids))
    assert (counts["new_cases"], counts["new_groups"]) == (1_000, 1)
    (group,) = rows(engine, "SELECT n_cases, n_complainants FROM v_group")
    assert group == {"n_cases": 1_000, "n_complainants": 1_000}
    assert (
        publish_matches(engine, *clustered_pass(ids))["cases_refreshed"] == 0
    )  # idempotent in bulk mode too
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    engine.dispose()
