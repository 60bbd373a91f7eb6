"""Bad-input corpus, roles: phones and id numbers written plainly anywhere in a police export reach
neither the reader nor the auditor raw, through any view (PostgreSQL only: the roles exist there).

The export goes the real way (drop → land → GX row checks and batch gates → stage/quarantine → match and
publish); then each role reads every view it may, and no value of any row may hold the raw number.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from hub_fixtures import DAY

from connectors.police import PoliceConnector
from expectations.batch import check_batch
from orchestration.pool import match_and_publish
from warehouse import (
    apply_gates,
    batch_profile,
    land_files,
    make_engine,
    migrate,
    new_files,
    open_batch,
    read_landed,
)
from warehouse.access.roles import RoleNames, contract_views, drop_roles, setup_roles

pytestmark = pytest.mark.integration
PHONE, ID_NUMBER = "13893112345", "620102198703151236"
PHONE_MASKED, ID_MASKED = "138****2345", "620102********1236"
ROW = {
    "报警时间": "2026/11/20 14:03:11",
    "报警人姓名": "张伟",
    "报警人电话": PHONE,
    "报警人身份证号": ID_NUMBER,
    "发案地址": "城关区永昌路88号",
    "管辖区县": "城关",
    "警情类别代码": "JF01",
    "简要警情": "报警称被拖欠工资",
    "处警状态": "已处警",
    "更新时间": "2026/11/20 15:00:00",
}
# (case, the record's changes to ROW, where it ends). One batch holds them all, as a real export would:
# each role then reads every view once over the whole corpus.
CASES: list[tuple[str, dict[str, str], str]] = [
    ("phone and id in their own columns", {}, "staged"),
    ("both in the description", {"简要警情": f"报警称被拖欠工资,回电{PHONE},身份证{ID_NUMBER}"}, "staged"),
    ("with punctuation around", {"简要警情": f"回电{PHONE}。身份证号:{ID_NUMBER}。"}, "staged"),
    ("phone in the address", {"发案地址": f"城关区永昌路88号,电话{PHONE}"}, "staged"),
    ("phone only in the text", {"报警人电话": "", "简要警情": f"来电{PHONE}称被拖欠工资"}, "staged"),
    ("phone in the name", {"报警人姓名": f"张伟{PHONE}"}, "staged"),
    ("phone as the category code", {"警情类别代码": PHONE}, "quarantined: category"),
    (
        "phone and id swapped (GX samples)",
        {"报警人电话": ID_NUMBER, "报警人身份证号": PHONE},
        "quarantined: id_number, phone",
    ),
    (
        "unreadable report time, numbers in the text",
        {"报警时间": "2026/13/45 99:00:00", "简要警情": f"回电{PHONE},身份证{ID_NUMBER}"},
        "quarantined: reported_at",
    ),
]


def _export(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("gb18030")


@contextmanager
def pooled(
    url: str, drop: Path, cases: list[tuple[str, dict[str, str], str]]
) -> Iterator[tuple[sa.Engine, RoleNames, dict[str, str]]]:
    """``cases`` in one export among clean records, landed, checked, staged or quarantined and pooled;
    fresh roles (cluster-wide: a unique prefix, dropped afterwards). Yields each case's outcome."""
    migrate(url)
    engine = make_engine(url)
    # Clean records around the corpus, so the quarantine-rate gate judges a batch like a real one.
    clean = [ROW | {"报警人电话": f"1390931{n:04d}", "报警人身份证号": ""} for n in range(40)]
    rows = [
        {"接警单编号": f"J{n:03d}"} | row
        for n, row in enumerate([ROW | changes for _, changes, _ in cases] + clean, start=1)
    ]
    drop.mkdir()
    (drop / "jq_20261120_2200.csv").write_bytes(_export(rows))
    connector = PoliceConnector(drop)
    batch_id = open_batch(engine, "police", DAY.key, DAY.start, DAY.end)
    files = new_files(engine, "police", connector.list_files())
    land_files(engine, batch_id, "police", files, connector.keyed(connector.read_files(files)))
    checked = check_batch(
        PoliceConnector,
        read_landed(engine, batch_id),
        reference_time=DAY.end,
        profile=batch_profile(engine, batch_id),
    )
    apply_gates(engine, batch_id, checked)
    match_and_publish([batch_id])  # the warehouse of HUB_DATABASE_URL
    suffix = uuid.uuid4().hex[:8]
    names = RoleNames(f"c{suffix}_loader", f"c{suffix}_reader", f"c{suffix}_auditor")
    setup_roles(engine, names)
    try:
        ids = {f"J{n:03d}": name for n, (name, _, _) in enumerate(cases, start=1)}
        outcome = dict.fromkeys(ids.values(), "")
        with engine.connect() as conn:
            for (rid,) in conn.execute(sa.text("SELECT source_record_id FROM complaint_record")):
                if rid in ids:
                    outcome[ids[rid]] = "staged"
            for rid, reasons in conn.execute(
                sa.text("SELECT source_record_id, reasons FROM quarantine_record")
            ):
                if rid in ids:
                    columns = sorted({reason.split(":")[0] for reason in reasons})
                    outcome[ids[rid]] = f"quarantined: {', '.join(columns)}"
            batch = dict(
                conn.execute(sa.text("SELECT * FROM batch WHERE batch_id = :b"), {"b": batch_id})
                .mappings()
                .one()
            )
        assert batch["fetched"] == batch["landed"] + batch["unchanged"] + batch["quarantined"], batch
        assert batch["status"] == "staged", batch
        yield engine, names, outcome
    finally:
        drop_roles(engine, names)
        engine.dispose()


@pytest.fixture
def corpus_pool(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[sa.Engine, RoleNames, dict[str, str]]]:
    """The corpus of ``CASES``, pooled, with its roles."""
    monkeypatch.setenv("HUB_DATABASE_URL", postgres_url)
    with pooled(postgres_url, tmp_path / "drop", CASES) as pool:
        yield pool


def _seen(engine: sa.Engine, role: str, views: list[str]) -> dict[str, str]:
    """Every value of every row of each view, as ``role`` reads it."""
    with engine.connect() as conn:
        conn.execute(sa.text(f'SET ROLE "{role}"'))
        try:
            return {
                view: "\n".join(
                    str(v) for row in conn.execute(sa.text(f'SELECT * FROM "{view}"')) for v in row
                )
                for view in views
            }
        finally:
            conn.execute(sa.text("RESET ROLE"))


def test_every_case_ends_where_expected(corpus_pool: tuple[sa.Engine, RoleNames, dict[str, str]]) -> None:
    _, _, outcome = corpus_pool
    assert outcome == {name: expected for name, _, expected in CASES}


@pytest.mark.parametrize("kind", ["reader", "auditor"])
def test_no_view_shows_a_raw_phone_or_id(
    corpus_pool: tuple[sa.Engine, RoleNames, dict[str, str]], kind: str
) -> None:
    engine, names, _ = corpus_pool
    with engine.connect() as conn:
        reader_views, audit_views = contract_views(conn)
    views = reader_views + (audit_views if kind == "auditor" else [])
    seen = _seen(engine, getattr(names, kind), views)
    leaks = {
        view: [line for line in text.splitlines() if PHONE in line or ID_NUMBER in line]
        for view, text in seen.items()
        if PHONE in text or ID_NUMBER in text
    }
    assert not leaks, leaks
    everything = "\n".join(seen.values())
    # The numbers are there, masked: the views were not simply empty.
    assert PHONE_MASKED in everything and ID_MASKED in everything
    # Typed into the description, they are masked in place (however the masking renders them).
    typed = re.findall(r"回电(1[\d*]{10}),身份证([\dXx*]{18})", seen["v_case_member"])
    assert typed and all("*" in phone and "*" in id_number for phone, id_number in typed), typed
    if kind == "auditor":  # the swapped columns failed GX: the auditor sees their samples, masked
        with engine.connect() as conn:
            conn.execute(sa.text(f'SET ROLE "{names.auditor}"'))
            samples = conn.execute(
                sa.text(
                    "SELECT column_name, sample FROM v_audit_dq_result "
                    "WHERE NOT success AND column_name IN ('phone', 'id_number')"
                )
            ).all()
            conn.execute(sa.text("RESET ROLE"))
        assert {column for column, _ in samples} == {"phone", "id_number"}
        assert all(sample and all("*" in value for value in sample) for _, sample in samples), samples
        assert all(f"J{n:03d}" in seen["v_audit_quarantine"] for n in range(7, len(CASES) + 1))


# The staged status itself is masked (warehouse.derive.columns: short fields the views show as stored).
def test_a_number_typed_into_the_status_is_not_shown_raw(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", postgres_url)
    case = ("phone in the status", {"处警状态": f"已处警 回电{PHONE}"}, "staged")
    with pooled(postgres_url, tmp_path / "drop", [case]) as (engine, names, outcome):
        assert outcome == {case[0]: "staged"}
        with engine.connect() as conn:
            reader_views, _ = contract_views(conn)
        seen = _seen(engine, names.reader, reader_views)
        assert "已处警 回电" in seen["v_case_member"]
        assert not [view for view, text in seen.items() if PHONE in text]
