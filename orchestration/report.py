"""Task body of the daily quality report: the auditors' page for every day a pool update touched."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

SHANGHAI = "Asia/Shanghai"


def pool_batch_ids(events: Mapping[Any, Iterable[Any]] | None) -> list[str]:
    """The batches the triggering pool updates published (their events' ``extra["batch_ids"]``)."""
    return sorted(
        {
            str(b)
            for evs in (events or {}).values()
            for e in evs
            for b in (getattr(e, "extra", None) or {}).get("batch_ids", [])
        }
    )


def report_days(batch_ids: Sequence[str], fallback: datetime | None) -> list[date]:
    """The Beijing days whose batches a pool update published (their windows' start days).

    Args:
        batch_ids: the batches of the pool update (the POOL event's ``extra["batch_ids"]``).
        fallback: with no batches (a manual run), report the Beijing day before this moment.
    """
    from zoneinfo import ZoneInfo

    import sqlalchemy as sa

    from warehouse import make_engine

    zone = ZoneInfo(SHANGHAI)
    days: set[date] = set()
    if batch_ids:
        from warehouse.schema import Batch, table_of

        t = table_of(Batch)
        engine = make_engine()
        with engine.connect() as conn:
            starts = conn.execute(
                sa.select(t.c.window_start).where(t.c.batch_id.in_(list(batch_ids)))
            ).scalars()
            days = {start.astimezone(zone).date() for start in starts if start is not None}
        engine.dispose()
    if not days and fallback is not None:
        days = {date.fromordinal(fallback.astimezone(zone).date().toordinal() - 1)}
    return sorted(days)


def write_quality_reports(days: Sequence[date], out: Path | None = None) -> list[str]:
    """Write the auditors' report (``audit-<day>.html``) of each day into ``out``.

    Args:
        days: the days to report.
        out: the folder (default ``<HUB_DATA_DIR or var>/reports``).

    Returns:
        The pages written.
    """
    from warehouse import make_engine
    from warehouse.quality.audit_report import write_report

    folder = out or Path(os.environ.get("HUB_DATA_DIR", "var")).resolve() / "reports"
    engine = make_engine()
    pages = [str(write_report(engine, day, folder)) for day in days]
    engine.dispose()
    return pages
