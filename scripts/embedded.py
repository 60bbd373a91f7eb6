"""The embedded default run: simulators + `airflow dags test` on SQLite, shared by `make demo` and the tests."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DAG_ID = "complaint_hub"


@dataclass(frozen=True)
class Embedded:
    """Where one embedded installation keeps its state."""

    var: Path
    database_url: str

    @property
    def sources(self) -> Path:
        return self.var / "sources"


def airflow_env(emb: Embedded, sim_url: str, token: str) -> dict[str, str]:
    """Environment for Airflow and the hub: everything under ``emb.var``, nothing in ``~/airflow``.

    Secrets reach the connectors only as Airflow connections (here from ``AIRFLOW_CONN_*``, one per
    registered source, each from its connector's ``connection_template``).
    """
    from connectors.registry import airflow_connections

    home = emb.var / "airflow"
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
            "GX_ANALYTICS_ENABLED": "False",
            "HUB_TASK_RETRIES": "0",
            "HUB_DATA_DIR": str(emb.var),
            "HUB_DATABASE_URL": emb.database_url,
            "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
            **airflow_connections(base_url=sim_url, token=token, data_dir=str(emb.sources)),
            **openlineage_env(emb),
        }
    )
    return env


def openlineage_env(emb: Embedded) -> dict[str, str]:
    """OpenLineage through Airflow's provider: the hub's extractor, and a transport.

    The transport is the file transport (one JSON event per file, ``<var>/lineage/ol-*.json``), unless
    ``HUB_OPENLINEAGE_URL`` names an OpenLineage backend (Marquez: ``http://localhost:5000``), which then
    receives the events over HTTP; ``AIRFLOW__OPENLINEAGE__TRANSPORT`` set by hand wins over both.
    """
    url = os.environ.get("HUB_OPENLINEAGE_URL")
    if url:
        transport = {"type": "http", "url": url, "endpoint": "api/v1/lineage", "timeout": 5}
    else:
        (emb.var / "lineage").mkdir(parents=True, exist_ok=True)
        transport = {"type": "file", "log_file_path": str(emb.var / "lineage" / "ol"), "append": False}
    return {
        "AIRFLOW__OPENLINEAGE__NAMESPACE": os.environ.get("AIRFLOW__OPENLINEAGE__NAMESPACE", "complaint-hub"),
        "AIRFLOW__OPENLINEAGE__EXTRACTORS": "orchestration.lineage.HubTaskExtractor",
        # Emit from a thread of the task process, not a forked child: the extractor reads the task's
        # XCom result and the source's Airflow connection, which a forked child cannot (it hangs on
        # the supervisor's channel until the listener kills it, and the event is lost).
        "AIRFLOW__OPENLINEAGE__EXECUTE_IN_THREAD": "True",
        "AIRFLOW__OPENLINEAGE__TRANSPORT": os.environ.get(
            "AIRFLOW__OPENLINEAGE__TRANSPORT", json.dumps(transport)
        ),
    }


def generate_sources(emb: Embedded, seed: int, records: int, start: str, days: int) -> dict[str, Any]:
    """Write the four simulated sources and the ground truth under ``emb.sources``."""
    cmd = [
        sys.executable,
        "-m",
        "simulators",
        "generate",
        "--seed",
        str(seed),
        "--records",
        str(records),
        "--start",
        start,
        "--days",
        str(days),
        "--out",
        str(emb.sources),
    ]
    subprocess.run(cmd, check=True, cwd=ROOT)
    manifest: dict[str, Any] = json.loads((emb.sources / "manifest.json").read_text(encoding="utf-8"))
    return manifest


@contextmanager
def simulator_server(emb: Embedded, token: str) -> Iterator[str]:
    """Serve the hotline and app simulators on a free local port for the duration of the block."""
    port_file = emb.var / "simulator.url"
    port_file.unlink(missing_ok=True)
    env = {**os.environ, "HUB_SIM_TOKEN": token}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulators",
            "serve",
            "--data",
            str(emb.sources),
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--port-file",
            str(port_file),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the simulator server did not start")
            time.sleep(0.1)
        yield port_file.read_text().strip()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def run_dag(
    env: dict[str, str], logical_date: str, dag_id: str = DAG_ID, conf: dict[str, Any] | None = None
) -> None:
    """Run a DAG once with ``airflow dags test`` (default: the hub DAG, after migrating Airflow's metadata),
    with ``conf`` as the run's conf; its whole output goes to ``<data dir>/last_<dag_id>.log``."""
    airflow = str(Path(sys.executable).with_name("airflow"))
    if dag_id == DAG_ID:
        subprocess.run([airflow, "db", "migrate"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    command = [airflow, "dags", "test", dag_id, logical_date, *(["--conf", json.dumps(conf)] if conf else [])]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    log = Path(env["HUB_DATA_DIR"]) / f"last_{dag_id}.log"
    log.write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0 or "state=failed" in result.stdout + result.stderr:
        tail = "\n".join(line[:400] for line in (result.stdout + result.stderr).splitlines()[-40:])
        raise RuntimeError(f"airflow dags test {dag_id} failed (full log: {log}):\n{tail}")


def summarise(database_url: str, truth_csv: Path) -> dict[str, Any]:
    """Per-source accounting, pool size and pairwise precision/recall against the simulators' truth."""
    import csv

    import sqlalchemy as sa

    from matching.evaluation import pairwise_scores
    from warehouse import make_engine

    engine = make_engine(database_url)
    with engine.connect() as conn:
        batches = conn.execute(
            sa.text(
                "SELECT source, SUM(fetched), SUM(landed), SUM(unchanged), SUM(quarantined) FROM batch GROUP BY source"
            )
        ).all()
        members: dict[str, str] = dict(
            conn.execute(sa.text("SELECT record_id, case_id FROM case_member")).tuples().all()
        )
        cases = conn.execute(
            sa.text("SELECT count(*) FROM complaint_case WHERE status <> 'merged'")
        ).scalar_one()
        reasons: Counter[str] = Counter()
        for (payload,) in conn.execute(sa.text("SELECT reasons FROM quarantine_record")):
            for reason in json.loads(payload) if isinstance(payload, str) else payload:
                reasons[reason.split(":")[0]] += 1
        pool_tables = {
            t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in (
                "complaint_case",
                "case_member",
                "case_history",
                "match_pair",
                "complaint_record",
                "landing_record",
                "quarantine_record",
                "batch",
            )
        }
    engine.dispose()
    with truth_csv.open(encoding="utf-8") as handle:
        truth = {row["record_id"]: row["case_key"] for row in csv.DictReader(handle)}
    pooled_truth = {rid: truth[rid] for rid in members if rid in truth}
    scores = pairwise_scores(pooled_truth, members)
    return {
        "sources": {
            s: {"fetched": int(f), "landed": int(ld), "unchanged": int(u), "quarantined": int(q)}
            for s, f, ld, u, q in batches
        },
        "cases": int(cases),
        "records_in_pool": len(members),
        "precision": round(float(scores["precision"]), 4),
        "recall": round(float(scores["recall"]), 4),
        "f1": round(float(scores["f1"]), 4),
        "quarantine_by_field": dict(reasons.most_common()),
        "table_rows": pool_tables,
    }


ALERTS_DAG_ID = "complaint_alerts"


def run_alerts_dag(env: dict[str, str], logical_date: str) -> None:
    """Run the alerting DAG once: a ``dags test`` of the DAG that updates the pool records the Asset event
    but does not run its consumers (STACK.md), so the demo runs it itself."""
    run_dag(env, logical_date, ALERTS_DAG_ID)


def replay_alerts(database_url: str, first: str, last: str) -> list[dict[str, Any]]:
    """Evaluate the alerts at the end of each Beijing day from ``first`` to ``last`` (ISO days), as the
    pool's daily runs would have: each run sees only the reports and handling events up to its time, so
    the lists, clocks and escalations move day by day. Returns each run's summary."""
    from datetime import date, datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from alerting import run_alerts
    from warehouse import make_engine

    engine = make_engine(database_url)
    day, results = date.fromisoformat(first), []
    runs = logging.getLogger("alerting.run")
    level = runs.level
    runs.setLevel(logging.ERROR)  # each run's warnings are in its summary: the demo prints them once
    try:
        while day <= date.fromisoformat(last):
            as_of = datetime.combine(day + timedelta(days=1), time(), tzinfo=ZoneInfo("Asia/Shanghai"))
            results.append(run_alerts(engine, as_of, f"demo-replay-{day.isoformat()}"))
            day += timedelta(days=1)
    finally:
        runs.setLevel(level)
        engine.dispose()
    return results


SCORECARD_METRICS = ("close_on_time", "satisfaction", "repeat")


def scorecard_summary(database_url: str, period: str) -> dict[str, Any]:
    """City-wide 按期办结率, 群众满意率 and 重复投诉率 of the month ``period`` (``v_scorecard``), and each
    district's 按期办结率."""
    import sqlalchemy as sa

    from warehouse import make_engine

    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT dimension, unit, metric, metric_name, numerator, denominator, rate FROM v_scorecard "
                "WHERE period_kind = 'month' AND period = :period AND dimension IN ('city', 'district')"
            ),
            {"period": period},
        ).all()
    engine.dispose()
    city = {
        r.metric: {
            "name": r.metric_name,
            "numerator": int(r.numerator),
            "denominator": int(r.denominator),
            "rate": None if r.rate is None else round(float(r.rate), 4),
        }
        for r in rows
        if r.dimension == "city" and r.metric in SCORECARD_METRICS
    }
    districts = {
        r.unit: None if r.rate is None else round(float(r.rate), 4)
        for r in rows
        if r.dimension == "district" and r.metric == "close_on_time"
    }
    return {"period": period, "city": city, "district_close_on_time": dict(sorted(districts.items()))}


def alert_levels(database_url: str) -> dict[str, Any]:
    """Open alerts by responsible level, and how many were raised a level (``v_alert``, ``v_alert_history``)."""
    import sqlalchemy as sa

    from warehouse import make_engine

    engine = make_engine(database_url)
    with engine.connect() as conn:
        levels: dict[str, int] = dict(
            conn.execute(sa.text("SELECT level, count(*) FROM v_alert WHERE status = 'open' GROUP BY level"))
            .tuples()
            .all()
        )
        raised = conn.execute(
            sa.text("SELECT count(*) FROM v_alert_history WHERE event = 'level_raised'")
        ).scalar_one()
    engine.dispose()
    return {"open_by_level": {str(k): int(v) for k, v in levels.items()}, "level_raised": int(raised)}


@contextmanager
def delivery_sinks(emb: Embedded) -> Iterator[dict[str, str]]:
    """A local group-bot webhook and mail server for the block (``scripts/sinks.py``), writing what they
    receive under ``<var>/demo/webhook`` and ``<var>/demo/mail``; yields the environment that points
    ``alerting/config/delivery.yaml``'s addresses and the engineers' notices at them."""
    from sinks import MailSink, WebhookSink

    with WebhookSink(emb.var / "demo" / "webhook") as hook, MailSink(emb.var / "demo" / "mail") as mail:
        yield {
            "HUB_ALERT_WEBHOOK": f"{hook.url}/bot",
            "HUB_ENGINEERING_WEBHOOK": f"{hook.url}/engineering",
            "HUB_SMTP_HOST": "127.0.0.1",
            "HUB_SMTP_PORT": str(mail.port),
        }


def delivery_counts(database_url: str, since: Any = None) -> dict[str, int]:
    """Alert deliveries made since ``since`` (default: ever) by channel type (``webhook``, ``email``), and
    ``failed``: those still undelivered (failed, pending or abandoned), from ``v_audit_alert_delivery``."""
    import sqlalchemy as sa

    from alerting.delivery import DeliveryConfig
    from warehouse import make_engine

    kinds = {name: channel.type for name, channel in DeliveryConfig.load().channels.items()}
    counts = {"webhook": 0, "email": 0, "failed": 0}
    engine = make_engine(database_url)
    with engine.connect() as conn:
        for channel, status, delivered_at in conn.execute(
            sa.text("SELECT channel, status, delivered_at FROM v_audit_alert_delivery")
        ):
            if status != "delivered":
                counts["failed"] += 1
            elif since is None or _utc(delivered_at) >= since:
                counts[kinds.get(channel, channel)] = counts.get(kinds.get(channel, channel), 0) + 1
    engine.dispose()
    return counts


def _utc(value: Any) -> Any:
    from datetime import UTC, datetime

    if isinstance(value, str):  # SQLite returns the stored text through a plain text query
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def alert_counts(database_url: str) -> dict[str, int]:
    """Open alerts by colour, read through the reader view ``v_alert``."""
    import sqlalchemy as sa

    from warehouse import make_engine

    engine = make_engine(database_url)
    with engine.connect() as conn:
        counts: dict[str, int] = dict(
            conn.execute(
                sa.text("SELECT colour, count(*) FROM v_alert WHERE status = 'open' GROUP BY colour")
            )
            .tuples()
            .all()
        )
    engine.dispose()
    return {colour: int(counts.get(colour, 0)) for colour in ("yellow", "orange", "red")}
