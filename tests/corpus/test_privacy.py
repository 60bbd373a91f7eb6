"""Bad-input corpus, privacy and engine parity: each hostile value through extract_window → validate_batch.

Every case is one netizen export (the message board's JSON drop, whose parser hands on NaN, Infinity,
1e400, NUL, lone surrogates and ids of any JSON type as sent) in one batch with 300 good messages (so that the quarantine-rate gate passes),
run once per engine; each case states its outcome, the same on SQLite and PostgreSQL. The PostgreSQL run
then pools the batch and reads every view as the reader and the auditor: no phone or id number of the
corpus, however it was written, may come back raw.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from orchestration.ingest import extract_window, prepare_warehouse, validate_batch

pytestmark = pytest.mark.integration

SHANGHAI = ZoneInfo("Asia/Shanghai")
START, END = datetime(2026, 12, 1, tzinfo=SHANGHAI), datetime(2026, 12, 2, tzinfo=SHANGHAI)
GOOD_ROWS = 300
# The numbers of the corpus as they are written, and the raw forms no view may show.
WRITTEN = [
    "138-9311-2345",
    "138 9311 2345",
    "+8613912345678",
    "620102 19870315 1236",
    "１３７１２３４５６７８",
    "0931-8123456",
    "620102-1987-0315-123X",
]
RAW = {"13893112345", "13912345678", "620102198703151236", "13712345678", "09318123456", "62010219870315123X"}
# 1e400 is valid JSON and parses as infinity; json.dumps cannot write it, so it is put in the text.
E400 = "__1e400__"


def message(tid: Any, **fields: Any) -> dict[str, Any]:
    """A message that passes the netizen suite, with ``fields`` replaced."""
    return {
        "tid": tid,
        "title": "欠薪",
        "content": "宏泰华府项目拖欠农民工工资三个月,请尽快处理",
        "post_time": "2026-12-01 10:00:00",
        "update_time": "2026-12-01 11:00:00",
        "real_name": "张伟",
        "phone": "13800000000",
        "area": "甘肃省兰州市城关区",
        "address": "城关区永昌路88号",
        "topic": "劳动社保/拖欠工资",
        "status": "已受理",
        **fields,
    }


@dataclass(frozen=True)
class Case:
    """One hostile message and what must become of it: ``staged``, or quarantined with ``reason``."""

    fields: dict[str, Any]
    reason: str | None = None
    tid: Any = None


CASES = [
    pytest.param(Case({"content": "拖欠\x00工资"}, "NUL character in 'content'"), id="NUL in content"),
    pytest.param(Case({"real_name": "张\x00伟"}, "NUL character in 'real_name'"), id="NUL in name"),
    pytest.param(Case({}, "NUL character in 'tid'", tid="N\x00UL"), id="NUL in id"),
    pytest.param(Case({"content": "拖欠\ud800工资"}, "lone surrogate in 'content'"), id="lone surrogate"),
    pytest.param(Case({"address": "永昌路\udc00号"}, "lone surrogate in 'address'"), id="lone low surrogate"),
    pytest.param(Case({"title": float("nan")}, "nan in 'title'"), id="NaN"),
    pytest.param(Case({"title": float("inf")}, "inf in 'title'"), id="Infinity"),
    pytest.param(Case({"title": float("-inf")}, "-inf in 'title'"), id="-Infinity"),
    pytest.param(Case({"title": E400}, "inf in 'title'"), id="1e400"),
    pytest.param(Case({"title": {"n": [1, float("nan")]}}, "nan in 'n'"), id="NaN nested"),
    pytest.param(Case({}, "has 121 characters, more than 120", tid="A" * 121), id="id of 121 characters"),
    pytest.param(Case({}, "has 128 characters, more than 120", tid="B" * 128), id="id of 128 characters"),
    pytest.param(Case({}, None, tid="C" * 120), id="id of 120 characters staged"),
    pytest.param(Case({}, "'tid' is a dict, not text or a number", tid={"a": 1}), id="object id"),
    pytest.param(Case({}, "'tid' is a bool, not text or a number", tid=True), id="boolean id"),
    pytest.param(Case({}, "'tid' is a list, not text or a number", tid=[1]), id="list id"),
    pytest.param(Case({}, None, tid=4242), id="integer id staged"),
    pytest.param(Case({"update_time": "昨天"}, "updated_at: unreadable time"), id="unreadable update time"),
    pytest.param(
        Case({"update_time": "2026-12-01 01:4"}, "updated_at: unreadable"), id="cut-off update time"
    ),
    pytest.param(
        Case({"update_time": "9999-12-31 23:59:59"}, "updated_at: year 9999"), id="update time 9999"
    ),
    pytest.param(Case({"reply_time": "0001-01-01 00:00:00"}, "resolved_at: year 1 "), id="reply time year 1"),
    pytest.param(Case({"reply_time": "soon"}, "resolved_at: unreadable time"), id="unreadable reply time"),
    pytest.param(Case({"update_time": None, "reply_time": ""}, None), id="absent times staged"),
    pytest.param(Case({"phone": "１３８９３１１２３４５"}, None), id="full-width phone staged"),
    # Sizes past a column's width are judged by validation first, on both engines alike.
    pytest.param(Case({"phone": "1" * 50}, "phone: "), id="phone of 50 digits"),
    pytest.param(Case({"real_name": "张" * 101}, "name: "), id="name of 101 characters"),
    pytest.param(Case({"content": "拖欠" * 3000}, "content: "), id="content of 6000 characters"),
    pytest.param(Case({"status": "已受理" * 20}, "status: "), id="status of 60 characters"),
    pytest.param(Case({"area": "甘肃省" * 30, "address": None}, "district: "), id="area of 90 characters"),
    # Typed into fields the views show as stored (status) or mask (name): staged, shown masked.
    pytest.param(Case({"status": "已受理,回电138-9311-2345"}, None), id="phone in status staged"),
    pytest.param(Case({"real_name": "620102198703151236"}, None), id="id number as name staged"),
    # Numbers written as people write them, in staged free text (the views mask them) and in a sample.
    *[
        pytest.param(Case({"content": f"拖欠工资,电话{number},请回电"}, None), id=f"written {number} staged")
        for number in WRITTEN
    ],
    pytest.param(
        Case({"address": "城关区," + ",".join(WRITTEN) + ",永昌路" * 170}, "address"),
        id="numbers in an overlong address sampled",
    ),
]


def _case(param: Any) -> Case:
    case: Case = param.values[0]
    return case


def _export(case: Case, tid: str) -> str:
    text = json.dumps({"messages": [message(case.tid if case.tid is not None else tid, **case.fields)]})
    return text.replace(json.dumps(E400), "1e400")


@dataclass(frozen=True)
class Run:
    """The corpus batch on one engine: its counts and, per case file, the outcome."""

    url: str
    batch_id: str
    counts: dict[str, Any]
    outcomes: dict[str, list[str] | None]  # file -> reasons (None: staged)


def _outcomes(engine: sa.Engine, batch_id: str) -> dict[str, list[str] | None]:
    with engine.connect() as conn:
        landed = conn.execute(
            sa.text("SELECT landing_id, payload FROM landing_record WHERE batch_id = :b"), {"b": batch_id}
        ).all()
        staged = {r[0] for r in conn.execute(sa.text("SELECT landing_id FROM complaint_record"))}
        held: dict[int, Any] = dict(
            conn.execute(sa.text("SELECT landing_id, reasons FROM quarantine_record")).all()
        )
    outcomes: dict[str, list[str] | None] = {}
    for landing_id, payload in landed:
        payload = json.loads(payload) if isinstance(payload, str) else payload
        reasons = held.get(landing_id)
        outcomes[payload["_file"]] = (
            None if landing_id in staged else (json.loads(reasons) if isinstance(reasons, str) else reasons)
        )
    return outcomes


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """Drop every case and the good messages, extract and validate them as the DAG does, once per engine."""
    root = tmp_path_factory.mktemp(f"privacy-{request.param}")
    url, admin = f"sqlite:///{root / 'hub.db'}", None
    if request.param == "postgresql":
        from warehouse.engine import with_driver

        admin_url = request.getfixturevalue("postgres_admin_url")
        name = f"hub_test_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(with_driver(admin_url), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = sa.make_url(with_driver(admin_url)).set(database=name).render_as_string(hide_password=False)
    drop = root / "netizen"
    drop.mkdir()
    for number, param in enumerate(CASES):
        (drop / f"case-{number:02d}.json").write_text(_export(_case(param), f"case-{number}"), "utf-8")
    good = [message(f"good-{n}", phone=f"1380000{n:04d}") for n in range(GOOD_ROWS)]
    (drop / "good.json").write_text(json.dumps({"messages": good}, ensure_ascii=False), "utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HUB_DATABASE_URL", url)
        env.setenv("HUB_DATA_DIR", str(root))
        env.setenv("HUB_HASH_KEY", "corpus-key-" + "k" * 40)
        env.setenv(
            "AIRFLOW_CONN_COMPLAINTS_NETIZEN", json.dumps({"conn_type": "fs", "extra": {"path": str(drop)}})
        )
        prepare_warehouse()
        batch_id = extract_window("netizen", START, END, "corpus")
        counts = validate_batch(batch_id, END)
        from warehouse import make_engine

        engine = make_engine(url)
        try:
            yield Run(url, batch_id, counts, _outcomes(engine, batch_id))
        finally:
            engine.dispose()
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_the_corpus_batch_balances(corpus: Run) -> None:
    counts = corpus.counts
    assert counts["fetched"] == len(CASES) + GOOD_ROWS
    assert counts["fetched"] == counts["landed"] + counts["unchanged"] + counts["quarantined"], counts
    held = sum(_case(param).reason is not None for param in CASES)
    assert (counts["landed"], counts["quarantined"]) == (len(CASES) + GOOD_ROWS - held, held)


@pytest.mark.parametrize("case", CASES)
def test_each_case_meets_its_outcome(corpus: Run, case: Case) -> None:
    number = next(n for n, param in enumerate(CASES) if _case(param) is case)
    reasons = corpus.outcomes[f"case-{number:02d}.json"]
    if case.reason is None:
        assert reasons is None, reasons
    else:
        assert reasons is not None and any(case.reason in why for why in reasons), reasons
        # A reason names the field, never the value: no number of the corpus in it.
        assert not _raw_numbers(" ".join(reasons)), reasons


def _raw_numbers(text: str) -> set[str]:
    """The corpus' raw phones and ids that ``text`` shows, however they are written in it."""
    folded = re.sub(r"[^0-9X]", "", unicodedata.normalize("NFKC", text).upper())
    return {number for number in RAW if number in folded}


def test_the_reader_and_the_auditor_read_no_raw_number_in_any_view(corpus: Run) -> None:
    """The corpus pooled, then every view read as each role: numbers come back masked, whatever their form."""
    if not corpus.url.startswith("postgresql"):
        pytest.skip("database roles exist on PostgreSQL only")
    from orchestration.pool import match_and_publish
    from warehouse import make_engine
    from warehouse.access.roles import RoleNames, drop_roles, setup_roles

    match_and_publish([corpus.batch_id])
    engine, suffix = make_engine(corpus.url), uuid.uuid4().hex[:8]
    names = RoleNames(f"t{suffix}_loader", f"t{suffix}_reader", f"t{suffix}_auditor")
    granted = setup_roles(engine, names)
    shown: dict[str, str] = {}
    try:
        for role, views in ((names.reader, granted["reader"]), (names.auditor, granted["auditor"])):
            with engine.connect() as conn:
                conn.execute(sa.text(f'SET ROLE "{role}"'))
                for view in views:
                    rows = conn.execute(sa.text(f'SELECT * FROM "{view}"')).all()
                    shown[f"{role} {view}"] = json.dumps(
                        [list(r) for r in rows], default=str, ensure_ascii=False
                    )
                conn.execute(sa.text("RESET ROLE"))
    finally:
        drop_roles(engine, names)
        engine.dispose()
    # There was something to leak: the members' descriptions and the address sample, masked.
    assert "138****2345" in shown[f"{names.reader} v_case_member"]
    assert "620****************3X" in shown[f"{names.auditor} v_audit_dq_result"]
    leaks = {view: _raw_numbers(text) for view, text in shown.items() if _raw_numbers(text)}
    assert leaks == {}


@pytest.mark.parametrize(
    ("engine_kind", "rows"),
    [
        pytest.param("sqlite", 50, id="sqlite"),
        pytest.param("postgresql", 50, id="postgresql insert"),
        # Enough rows that PostgreSQL lands them by COPY, whose error quotes the row in its context.
        pytest.param("postgresql", 2500, id="postgresql copy"),
    ],
)
def test_a_failing_landing_logs_no_raw_number(
    engine_kind: str,
    rows: int,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The warehouse refuses every landed row; the task's error and its whole log hold no phone or id.

    On PostgreSQL a CHECK constraint refuses them, whose error detail quotes the whole failing row.
    """
    url = (
        f"sqlite:///{tmp_path / 'hub.db'}"
        if engine_kind == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    from warehouse import make_engine, migrate

    migrate(url)
    engine = make_engine(url)
    refuse = (
        "CREATE TRIGGER refuse BEFORE INSERT ON landing_record BEGIN SELECT RAISE(ABORT, 'refused'); END"
        if engine_kind == "sqlite"
        else "ALTER TABLE landing_record ADD CONSTRAINT refused CHECK (source <> 'netizen') NOT VALID"
    )
    with engine.begin() as conn:
        conn.execute(sa.text(refuse))
    engine.dispose()
    drop = tmp_path / "netizen"
    drop.mkdir()
    # PostgreSQL quotes the first 64 bytes of each column of a failing row: "tel" sorts first in jsonb.
    messages = [
        message(f"m{n}", tel=WRITTEN[n % len(WRITTEN)], content=f"电话{WRITTEN[n % len(WRITTEN)]}")
        for n in range(rows)
    ]
    (drop / "export.json").write_text(json.dumps({"messages": messages}, ensure_ascii=False), "utf-8")
    caplog.set_level("DEBUG")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HUB_DATABASE_URL", url)
        env.setenv(
            "AIRFLOW_CONN_COMPLAINTS_NETIZEN", json.dumps({"conn_type": "fs", "extra": {"path": str(drop)}})
        )
        with pytest.raises(Exception) as failure:
            extract_window("netizen", START, END, "failing")
    assert "refused" in str(failure.value)
    # Every error a traceback prints: the causes, and the contexts not suppressed (``raise … from None``).
    chain: list[str] = []
    error: BaseException | None = failure.value
    while error is not None:
        chain.append(f"{type(error).__name__}: {error}")
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    logged = caplog.text + "\n".join(chain) + failure.getrepr(style="long").__str__()
    assert not _raw_numbers(logged), logged[-2000:]


@pytest.mark.unit
def test_the_id_limit_is_the_columns_width_and_validation_fits_every_column() -> None:
    """One id limit (connectors.base) for validation and every source_record_id column; no validation
    limit lets through a text its staging column cannot hold (PostgreSQL would refuse it, SQLite not)."""
    from connectors.base import SOURCE_ID_MAX_LENGTH
    from expectations.suites.canonical import _OTHER_TEXT_LIMITS, DEFAULT_NAME_MAX_LENGTH
    from warehouse.schema import Base

    widths = {
        f"{table.name}.{column.name}": getattr(column.type, "length", None)
        for table in Base.metadata.tables.values()
        for column in table.columns
        if column.name == "source_record_id"
    }
    assert len(widths) >= 4 and set(widths.values()) == {SOURCE_ID_MAX_LENGTH}, widths
    staged = Base.metadata.tables["complaint_record"].columns
    limits = {**_OTHER_TEXT_LIMITS, "name": DEFAULT_NAME_MAX_LENGTH}
    # A column without a length (Text) holds any text; 10**9 stands for it.
    width: dict[str, int] = {
        name: getattr(staged[name].type, "length", None) or 10**9 for name in [*limits, "record_id", "source"]
    }
    assert {c: n for c, n in limits.items() if n > width[c]} == {}
    assert width["record_id"] >= width["source"] + 1 + SOURCE_ID_MAX_LENGTH
