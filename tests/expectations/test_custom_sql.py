"""The custom expectations' SQL implementations give the pandas verdicts on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import great_expectations as gx
import pytest
import sqlalchemy as sa
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from connectors.base import SHANGHAI
from expectations.custom import (
    ExpectColumnValuesToBeCleanText,
    ExpectColumnValuesToBeSaneReportTime,
    ExpectColumnValuesToBeValidPhone,
    ExpectColumnValuesToBeValidResidentId,
    ExpectPhoneOrIdNumber,
)

pytestmark = pytest.mark.integration

END = datetime(2026, 11, 21, tzinfo=SHANGHAI)

# (id_number, phone, content, reported_at): one row per case, ASCII only (SQL does no NFKC).
ROWS: dict[str, tuple[Any, ...]] = {
    "good": ("620102198703151236", "+86 138-9311-2345", "被拖欠工资", END - timedelta(hours=1)),
    "lower-x": ("11010519491231002x", "(0931)8123456", "一\n二", END + timedelta(minutes=10)),
    "legacy": ("620102870315123", "010-62345678", "ok", datetime(2000, 1, 1, tzinfo=SHANGHAI)),
    "bad-check": ("620102198703151230", "138931123456", "bell\x07", END + timedelta(minutes=11)),
    "feb-30": ("620102198702301239", "8123456", "   ", datetime(1999, 12, 31, tzinfo=SHANGHAI)),
    "region-00": ("000000198703151232", "0931-0123456", "c1\x85", END),
    "no-contact": (None, None, "\ufffd", END),
}
FAILING = {
    "expect_column_values_to_be_valid_resident_id": ["bad-check", "feb-30", "region-00"],
    "expect_column_values_to_be_valid_phone": ["bad-check", "feb-30", "region-00"],
    "expect_column_values_to_be_clean_text": ["bad-check", "feb-30", "no-contact", "region-00"],
    "expect_column_values_to_be_sane_report_time": ["bad-check", "feb-30"],
    "expect_phone_or_id_number": ["no-contact"],
}


def _load(url: str) -> None:
    table = sa.Table(
        "records",
        sa.MetaData(),
        sa.Column("record_id", sa.String(32), primary_key=True),
        sa.Column("id_number", sa.String(32)),
        sa.Column("phone", sa.String(32)),
        sa.Column("content", sa.Text),
        sa.Column("reported_at", sa.DateTime(timezone=True)),
    )
    engine = sa.create_engine(url)
    try:
        table.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(
                table.insert(),
                [
                    dict(
                        zip(
                            ("record_id", "id_number", "phone", "content", "reported_at"),
                            (key, *row),
                            strict=True,
                        )
                    )
                    for key, row in ROWS.items()
                ],
            )
    finally:
        engine.dispose()


def test_sql_verdicts_match(warehouse_url: str) -> None:
    _load(warehouse_url)
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    sources = context.data_sources
    source = (
        sources.add_sqlite("db", connection_string=warehouse_url)
        if warehouse_url.startswith("sqlite")
        else sources.add_postgres("db", connection_string=warehouse_url)
    )
    batch = (
        source.add_table_asset("records", table_name="records")
        .add_batch_definition_whole_table("all")
        .get_batch()
    )
    suite = gx.ExpectationSuite(
        name="sql",
        expectations=[
            ExpectColumnValuesToBeValidResidentId(),
            ExpectColumnValuesToBeValidPhone(),
            ExpectColumnValuesToBeCleanText(),
            ExpectColumnValuesToBeSaneReportTime(reference_time=END),
            ExpectPhoneOrIdNumber(),
        ],
    )
    result = batch.validate(
        suite,
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["record_id"]},
    )
    found = {}
    for item in result.results:
        assert "'raised_exception': True" not in str(item.exception_info), item.exception_info
        assert item.expectation_config is not None  # a result always carries its expectation
        found[item.expectation_config.type] = sorted(
            row["record_id"] for row in item.result["unexpected_index_list"]
        )
    assert found == FAILING
