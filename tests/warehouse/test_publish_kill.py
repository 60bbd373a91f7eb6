"""A publish killed midway (SIGKILL, not an exception) leaves the pool as it was; the next run completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from pool_data import DAY, clustered_pass

from warehouse import land_batch, make_engine, migrate, open_batch, publish_matches, read_landed, stage_batch
from warehouse.schema import Base

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
RECORDS = 60_000
POOL_TABLES = ("complaint_case", "case_member", "case_history", "match_key", "match_pair", "case_group")
APP = "hub-kill-test-publish"
# The child publishes every staged record, 3 to a case, in bulk mode (foreign keys and indexes dropped
# and rebuilt inside the transaction), so the kill also lands in the middle of DDL.
CHILD = """
import sys
import sqlalchemy as sa
import warehouse.load.bulk_mode as bulk
from warehouse import make_engine, publish_matches
from pool_data import clustered_pass
bulk.BULK_MIN_ROWS = 1_000
engine = make_engine(sys.argv[1], connect_args={"application_name": sys.argv[2],
                     "options": "-c client_connection_check_interval=200"})
with engine.connect() as conn:
    ids = [r for (r,) in conn.execute(sa.text("SELECT record_id FROM complaint_record ORDER BY record_id"))]
print("publishing", flush=True)
publish_matches(engine, *clustered_pass(ids))
print("published", flush=True)
"""


def _stage_many(engine: sa.Engine) -> None:
    batch = open_batch(engine, "app", DAY.key, DAY.start, DAY.end)
    land_batch(engine, batch, "app", ((f"K{i:06d}", f"h{i}", {"i": i}) for i in range(RECORDS)))
    records = [
        {
            "record_id": f"app:{rid}",
            "source": "app",
            "source_record_id": rid,
            "landing_id": lid,
            "reported_at": DAY.start,
            "phone": f"1380{int(rid[1:]) // 3:07d}",
            "category": "劳资欠薪",
            "content": f"来电人反映其在宏泰华府项目务工,被拖欠工资{rid}",
            "district": "城关区",
        }
        for lid, rid, _ in read_landed(engine, batch)
    ]
    stage_batch(engine, batch, records, [], [])


def _counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: int(conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in POOL_TABLES}


def _backend(engine: sa.Engine) -> tuple[str, str] | None:
    with engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT state, query FROM pg_stat_activity WHERE application_name = :a"), {"a": APP}
        ).first()
    return None if row is None else (row[0], row[1])


def test_a_killed_publish_leaves_the_pool_unchanged_and_the_next_run_completes_it(postgres_url: str) -> None:
    migrate(postgres_url)
    engine = make_engine(postgres_url)
    _stage_many(engine)
    assert set(_counts(engine).values()) == {0}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, postgres_url, APP],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests' / '_support'}"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    writing = (
        "INSERT INTO case_member",
        "INSERT INTO complaint_case",
        "INSERT INTO case_history",
        "UPDATE complaint_case",
        "INSERT INTO match_key",
        "INSERT INTO match_pair",
    )
    deadline, seen = time.monotonic() + 120, None
    while time.monotonic() < deadline and child.poll() is None:
        seen = _backend(engine)
        if seen and seen[0] == "active" and seen[1].lstrip().startswith(writing):
            break
        time.sleep(0.05)
    assert child.poll() is None, f"the publish ended before it could be killed: {child.communicate()}"
    assert seen is not None and seen[1].lstrip().startswith(writing), seen
    os.kill(
        child.pid, signal.SIGKILL
    )  # the process dies mid-statement: no exception handler, no rollback call
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 60
    while _backend(engine) is not None and time.monotonic() < deadline:  # the server notices the dead client
        time.sleep(0.1)
    assert _backend(engine) is None

    assert set(_counts(engine).values()) == {0}  # nothing of the killed publish is visible

    with engine.connect() as conn:  # the next run: the same pass the child was publishing
        ids = [
            r for (r,) in conn.execute(sa.text("SELECT record_id FROM complaint_record ORDER BY record_id"))
        ]
    publish_matches(engine, *clustered_pass(ids))
    counts = _counts(engine)
    assert (counts["complaint_case"], counts["case_member"], counts["match_key"]) == (
        RECORDS // 3,
        RECORDS,
        RECORDS,
    )
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:  # the foreign keys and indexes the killed bulk load dropped are all there
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    engine.dispose()
