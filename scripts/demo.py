"""`make demo`: simulate two weeks of the sources, run the hub DAG with `airflow dags test` on SQLite over
them, evaluate the alerts at the end of every day, write the bulletins, summarise.

The step running shows on stderr with its elapsed time, only on a terminal (``--progress`` /
``--no-progress`` decide); the summary goes to stdout as before.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hub.progress import stage, stages

sys.path.insert(0, str(Path(__file__).resolve().parent))

import embedded  # noqa: E402
from embedded import ROOT, Embedded, airflow_env, generate_sources, run_dag, simulator_server, summarise  # noqa: E402

START, LAST, DAYS = "2026-11-07", "2026-11-20", 14
# A manual run of a data-interval timetable covers the interval that ENDS at its logical date; its conf
# widens it to the two simulated weeks: [2026-11-07 00:00, 2026-11-21 00:00) Beijing time.
LOGICAL_DATE = "2026-11-21T00:00:00+08:00"


@contextmanager
def _step(show: bool, description: str) -> Iterator[None]:
    """One step's spinner and elapsed time on stderr; a display per step, so that the demo's own lines
    (stdout) are printed between displays, never redirected into one."""
    with stages(show, redirect=False) as progress, stage(progress, description):
        yield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--records", type=int, default=6000)
    parser.add_argument("--var", type=Path, default=ROOT / "var")
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show the running step on stderr (default: only on a terminal)",
    )
    args = parser.parse_args()

    emb = Embedded(var=args.var.resolve(), database_url=f"sqlite:///{args.var.resolve() / 'hub.db'}")
    began = time.monotonic()
    # `simulators generate` shows its own stages on the same terminal.
    manifest = generate_sources(emb, args.seed, args.records, START, days=DAYS)
    print(
        f"simulated {sum(manifest['counts'].values())} source records (seed {args.seed}) into {emb.sources}"
    )
    token = secrets.token_urlsafe(16)  # a fresh secret per run: it lives only in the environment
    show = sys.stderr.isatty() if args.progress is None else args.progress
    with simulator_server(emb, token) as url:
        print(f"hotline and app simulators serving at {url}; running `airflow dags test complaint_hub`…")
        with _step(
            show, f"airflow dags test complaint_hub over {DAYS} days (extract, validate, match, publish)"
        ):
            run_dag(airflow_env(emb, url, token), LOGICAL_DATE, conf={"window_days": DAYS})
        print(f"evaluating the alerts at the end of each day from {START} (clocks, 三色三单, escalation)…")
        with _step(show, "alerting at the end of each simulated day"):
            replayed = embedded.replay_alerts(
                emb.database_url, START, (date.fromisoformat(LAST) - timedelta(days=1)).isoformat()
            )
        for warning in dict.fromkeys(w for run in replayed[-1:] for w in run.get("warnings", [])):
            print(f"warning: {warning}")
        print("running `airflow dags test complaint_alerts` (the pool's asset consumer) for the last day…")
        delivering_since = datetime.now(UTC)
        with embedded.delivery_sinks(emb) as sinks:
            print(f"delivering to a local webhook sink and mail server: {emb.var / 'demo'}/{{webhook,mail}}")
            with _step(show, "airflow dags test complaint_alerts (clocks, 三色三单, bulletins, delivery)"):
                embedded.run_alerts_dag({**airflow_env(emb, url, token), **sinks}, LOGICAL_DATE)
    with _step(show, "summarising against the simulators' ground truth"):
        summary = summarise(emb.database_url, emb.sources / "truth.csv")
        summary["alerts"] = embedded.alert_counts(emb.database_url)
        summary["escalation"] = embedded.alert_levels(emb.database_url)
        summary["scorecard"] = embedded.scorecard_summary(emb.database_url, LAST[:7])
        summary["delivered"] = embedded.delivery_counts(emb.database_url, delivering_since)
        summary["delivered_in_all_runs"] = embedded.delivery_counts(emb.database_url)
    summary["days"] = DAYS
    summary["bulletin"] = str(emb.var / "bulletins" / "daily" / LAST / "index.html")
    summary["seconds"] = round(time.monotonic() - began, 1)
    out = emb.var / "demo" / "summary.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    print_summary(summary)
    print(f"\nsummary written to {out}")


def print_summary(summary: dict[str, Any]) -> None:
    print(f"\n{'source':<10}{'fetched':>9}{'landed':>9}{'unchanged':>11}{'quarantined':>13}")
    for source, c in sorted(summary["sources"].items()):
        print(f"{source:<10}{c['fetched']:>9}{c['landed']:>9}{c['unchanged']:>11}{c['quarantined']:>13}")
    print(f"\npool: {summary['records_in_pool']} records in {summary['cases']} cases")
    print(
        f"matching vs ground truth: precision {summary['precision']:.3f}  recall {summary['recall']:.3f}"
        f"  F1 {summary['f1']:.3f}"
    )
    if summary["quarantine_by_field"]:
        reasons = ", ".join(f"{k} {v}" for k, v in summary["quarantine_by_field"].items())
        print(f"quarantined by failing field: {reasons}")
    if "alerts" in summary:
        print("open alerts (三色三单): " + ", ".join(f"{c} {n}" for c, n in summary["alerts"].items()))
    if "escalation" in summary:
        levels = ", ".join(f"{k} {v}" for k, v in sorted(summary["escalation"]["open_by_level"].items()))
        print(
            f"responsible levels of open alerts: {levels}; raised a level: {summary['escalation']['level_raised']}"
        )
    if "scorecard" in summary:
        rates = summary["scorecard"]["city"]
        print(
            f"scorecard {summary['scorecard']['period']} (city): "
            + ", ".join(
                f"{m['name']} {'—' if m['rate'] is None else format(m['rate'], '.1%')}"
                f" ({m['numerator']}/{m['denominator']})"
                for m in rates.values()
            )
        )
        print(f"bulletin: {summary['bulletin']}")
    if "delivered" in summary:
        d = summary["delivered"]
        print(f"delivered this run: webhook {d['webhook']}, e-mail {d['email']}; undelivered {d['failed']}")


if __name__ == "__main__":
    main()
