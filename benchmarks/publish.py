"""Benchmark loading the pool on PostgreSQL: stage N canonical records (COPY) and publish them as cases.

    python benchmarks/publish.py --rows 1000000 [--repeat 3] [--admin-url postgresql://postgres@127.0.0.1/postgres]

Each repeat runs in a fresh throwaway database (created from ``--admin-url``, default
``HUB_TEST_POSTGRES_URL`` or the local server). The records are synthetic but shaped like the pool's:
every 3 consecutive records are one complainant's one dispute reported on 3 channels (one case), one
case in 16 belongs to a group of 12 naming the same project, contents are ~50-character Chinese texts.
Matching is not run (it is benchmarked by ``benchmarks/match.py``): the assignments are those clusters,
with 2 scored pairs per case as evidence and one blocking key per record (the phone); ``--evidence keys``
publishes the keys but no pairs, ``--evidence none`` neither.

Stages (each one transaction, timed separately):
  land      the raw payloads (setup, not in the RESULT)
  stage     canonical records -> staging, keyed hashes and topics derived, COPY (``copy_rows_per_s``)
  publish   cases, members, history, keys, evidence, golden records and groups (``publish_rows_per_s``)

The last line is ``RESULT rows=N copy_rows_per_s=… publish_rows_per_s=…`` (medians over the repeats).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

from connectors.base import SHANGHAI  # noqa: E402
from warehouse import (  # noqa: E402
    land_batch,
    make_engine,
    migrate,
    open_batch,
    publish_matches,
    read_landed,
    stage_batch,
    with_driver,
)

SOURCES = ("petition", "hotline", "police", "app")
DISTRICTS = ("城关区", "七里河区", "西固区", "安宁区", "红古区", "永登县", "皋兰县", "榆中县")
CATEGORIES = ("劳资欠薪", "逾期交房", "物业纠纷", "邻里纠纷", "消费维权", "医疗纠纷", "交通事故", "其他")
STATUS = {"petition": "已受理", "hotline": "已派单", "police": "已调解", "app": "open"}
BRAND = "宏泰鑫华盛恒达金瑞隆兴安鼎丰源祥和信诚德润通博嘉利汇昌永辉腾龙海天中宇新建福远富顺"
START = datetime(2026, 8, 1, tzinfo=SHANGHAI)
# Where the throwaway databases are created (``--admin-url``).
ADMIN_URL = os.environ.get("HUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def records(n: int) -> list[dict[str, Any]]:
    """``n`` canonical records: cases of 3 reports, one case in 16 in a group of 12 naming one project."""
    out = []
    for i in range(n):
        case, source = i // 3, SOURCES[i % 4]
        group = case // 12 if case % 16 == 0 else None
        brand = BRAND[(group if group is not None else case) % len(BRAND)] + BRAND[(case // 7) % len(BRAND)]
        category = CATEGORIES[0] if group is not None else CATEGORIES[case % len(CATEGORIES)]
        reported = START + timedelta(seconds=(case * 7919) % (90 * 86400) + (i % 3) * 5400)
        project = f"{brand}华府二期项目" if group is not None else f"{brand}{case % 997}号院"
        out.append(
            {
                "record_id": f"{source}:B{i:09d}",
                "source": source,
                "source_record_id": f"B{i:09d}",
                "reported_at": reported,
                "name": "张" + BRAND[case % 40] + BRAND[(case // 40) % 40],
                "phone": f"13{case % 10}{case:08d}"[-11:],
                "id_number": f"620102{case:011d}X"[:18] if i % 3 else None,
                "address": f"甘肃省兰州市{DISTRICTS[case % 8]}南昌路{case % 500}号",
                "district": DISTRICTS[case % 8],
                "street": None,
                "community": None,
                "grid": None,
                "category": category,
                "source_category": None,
                # Canonical text is NFKC-folded by the connectors: ASCII punctuation, as here.
                "content": f"来电人反映其在{project}务工,甘肃{brand}建筑工程有限公司拖欠其工资{case % 90 + 10}000元,"
                "多次讨要无果,要求尽快支付。",
                "status": STATUS[source],
                "received_at": reported,
                "contacted_at": None,
                "dispatched_at": reported + timedelta(hours=3) if i % 2 else None,
                "resolved_at": None,
                "followed_up_at": None,
                "updated_at": reported,
            }
        )
    return out


def matching_pass(
    rows: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, str]]]:
    """Assignments (3 records per case), 2 evidence pairs per case and one blocking key per record."""
    assignments, pairs, keys = [], [], []
    for i, row in enumerate(rows):
        first = rows[i - i % 3]["record_id"]
        assignments.append(
            {
                "record_id": row["record_id"],
                "case_id": f"c-{i // 3:09d}",
                "is_new_case": True,
                "match_probability": None if i % 3 == 0 else 0.97,
                "matched_record_id": None if i % 3 == 0 else first,
            }
        )
        if i % 3:
            left, right = sorted((first, row["record_id"]))
            pairs.append(
                {
                    "record_id_l": left,
                    "record_id_r": right,
                    "match_weight": 11.5,
                    "match_probability": 0.97,
                    "decision": "merge",
                    "gamma_name": 3,
                    "gamma_phone": 2,
                }
            )
        keys.append({"record_id": row["record_id"], "rule": "phone_norm", "key": str(row["phone"])})
    return assignments, pairs, keys


def server_cpu(database: str) -> float:
    """CPU seconds used so far by the PostgreSQL backends serving ``database`` (found by process title).

    With the client's own CPU time this tells, on a loaded machine, what a stage costs each side.
    """
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and database.encode() in (proc / "cmdline").read_bytes():
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            continue
    return total


@contextmanager
def fresh_database(admin_url: str) -> Iterator[tuple[str, str]]:
    """A throwaway, migrated warehouse database created from ``admin_url``: yields ``(url, name)``, then drops it.

    The keyed hashes use a fixed benchmark key unless ``HUB_HASH_KEY`` names one.
    """
    os.environ.setdefault("HUB_HASH_KEY", "benchmark-key-" + "0" * 32)
    name = f"hub_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(with_driver(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(with_driver(admin_url)).set(database=name).render_as_string(hide_password=False)
    try:
        migrate(url)
        yield url, name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def load_pool(url: str, name: str, n: int, evidence: str = "all") -> dict[str, float]:
    """Land, stage and publish ``n`` records into the database ``name`` at ``url``; print and return the rates."""
    engine = make_engine(url)
    rows = records(n)
    batch = open_batch(engine, "bench", "w", START, START + timedelta(days=90))
    began = time.perf_counter()
    land_batch(
        engine, batch, "bench", ((r["source_record_id"], f"h{i}", {"n": i}) for i, r in enumerate(rows))
    )
    landing_ids = {rid: lid for lid, rid, _ in read_landed(engine, batch)}
    for row in rows:
        row["landing_id"] = landing_ids[row["source_record_id"]]
    land_s = time.perf_counter() - began
    began, cpu, server = time.perf_counter(), time.process_time(), server_cpu(name)
    stage_batch(engine, batch, rows, [], [])
    stage_s = time.perf_counter() - began
    stage_cpu = (time.process_time() - cpu, server_cpu(name) - server)
    assignments, pairs, keys = matching_pass(rows)
    pairs = pairs if evidence == "all" else []
    keys = keys if evidence != "none" else []
    del rows
    began, cpu, server = time.perf_counter(), time.process_time(), server_cpu(name)
    counts = publish_matches(engine, assignments, [], pairs, keys)
    publish_s = time.perf_counter() - began
    publish_cpu = (time.process_time() - cpu, server_cpu(name) - server)
    with engine.connect() as conn:
        cases = conn.execute(sa.text("SELECT count(*) FROM complaint_case")).scalar_one()
        groups = conn.execute(sa.text("SELECT count(*) FROM case_group")).scalar_one()
    engine.dispose()
    assert cases == (n + 2) // 3, (cases, n)
    print(
        f"  land {land_s:.1f}s  stage {stage_s:.1f}s ({n / stage_s:,.0f} rows/s; CPU client "
        f"{stage_cpu[0]:.1f}s server {stage_cpu[1]:.1f}s)  publish {publish_s:.1f}s ({n / publish_s:,.0f} rows/s; "
        f"CPU client {publish_cpu[0]:.1f}s server {publish_cpu[1]:.1f}s)  cases {cases:,}  groups {groups:,}  "
        f"{counts}",
        flush=True,
    )
    return {"copy": n / stage_s, "publish": n / publish_s}


def run_once(admin_url: str, n: int, evidence: str = "all") -> dict[str, float]:
    """One repeat in a fresh database: land, stage, publish; return the timings."""
    with fresh_database(admin_url) as (url, name):
        return load_pool(url, name, n, evidence)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per repeat and the RESULT line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--evidence",
        choices=("all", "keys", "none"),
        default="all",
        help="what the pass carries besides assignments: pairs and keys, keys, nothing",
    )
    parser.add_argument("--admin-url", default=ADMIN_URL)
    args = parser.parse_args(argv)
    runs = [run_once(args.admin_url, args.rows, args.evidence) for _ in range(args.repeat)]
    copy = statistics.median(r["copy"] for r in runs)
    publish = statistics.median(r["publish"] for r in runs)
    print(
        f"RESULT rows={args.rows} copy_rows_per_s={copy:.0f} publish_rows_per_s={publish:.0f} "
        f"repeats={args.repeat} evidence={args.evidence}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
