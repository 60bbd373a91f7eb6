"""The file-drop corpus's inputs and observations: good exports to put bad ones beside, and a batch's outcome."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from hub_fixtures import load

from connectors.drop import REJECTED_DIR
from warehouse import make_engine

POLICE = load("police", "jq_rows.json")
COLUMNS = list(POLICE[0])


def police_rows(n: int, start: int = 0) -> list[dict[str, str]]:
    """``n`` valid police records with distinct ids."""
    return [{**POLICE[i % 2], "接警单编号": f"J62010020261120{start + i:05d}"} for i in range(n)]


def csv_bytes(rows: list[dict[str, str]], header: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    """A CSV export of ``rows`` under ``header`` (default: the police columns)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header or COLUMNS)
    writer.writerows([list(r.values()) for r in rows])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    """A workbook whose first sheet holds ``rows`` (bytes differ per call: a workbook keeps its save time)."""
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class Run:
    """What one ingestion of a drop left behind."""

    batch: dict[str, Any]
    held: str | None
    staged: dict[str, dict[str, Any]]
    quarantined: dict[str, list[str]]
    payloads: dict[str, dict[str, Any]]
    folders: dict[str, list[str]] = field(default_factory=dict)


def observe(url: str, batch_id: str, held: str | None, drop: Path) -> Run:
    """What the batch left in the warehouse and the drop's folders; asserts that it balances."""
    engine = make_engine(url)
    with engine.connect() as conn:
        batch = dict(
            conn.execute(sa.text("SELECT * FROM batch WHERE batch_id = :b"), {"b": batch_id}).mappings().one()
        )
        staged = {
            r["source_record_id"]: dict(r)
            for r in conn.execute(
                sa.text("SELECT * FROM complaint_record WHERE batch_id = :b"), {"b": batch_id}
            ).mappings()
        }
        quarantined = {
            rid: json.loads(why) if isinstance(why, str) else why
            for rid, why in conn.execute(
                sa.text("SELECT source_record_id, reasons FROM quarantine_record WHERE batch_id = :b"),
                {"b": batch_id},
            )
        }
        payloads = {
            rid: json.loads(p) if isinstance(p, str) else p
            for rid, p in conn.execute(
                sa.text("SELECT source_record_id, payload FROM landing_record WHERE batch_id = :b"),
                {"b": batch_id},
            )
        }
    engine.dispose()
    folders = {
        where: sorted(p.name for p in (drop / where).iterdir() if p.is_file())
        if (drop / where).is_dir()
        else []
        for where in ("", "archive", REJECTED_DIR)
    }
    run = Run(batch, held, staged, quarantined, payloads, folders)
    assert batch["fetched"] == batch["landed"] + batch["unchanged"] + batch["quarantined"], batch
    return run


def messages(n: int) -> list[dict[str, Any]]:
    """``n`` valid netizen messages with distinct ids."""
    template = load("netizen", "ly_20261120_0600.json")["messages"][0]
    return [{**template, "tid": f"LY2026112000{i:04d}"} for i in range(n)]


def export(messages: list[Any]) -> bytes:
    """A netizen export document holding ``messages``."""
    return json.dumps({"platform": "p", "messages": messages}, ensure_ascii=False).encode()
