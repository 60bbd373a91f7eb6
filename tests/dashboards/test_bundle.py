"""The Superset bundle: committed as rendered, only read-contract views, every chart's fields on its
dataset, queries valid on SQLite and PostgreSQL, and the warehouse URIs the deployment gives Superset."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from dashboards import ASSETS, DASHBOARDS, deploy, stale
from dashboards.auditor import AUDITOR_DASHBOARD
from dashboards.command_centre import COMMAND_CENTRE
from dashboards.contract import read_views
from dashboards.datasets import AUDITOR, DATASETS, READER
from dashboards.model import Chart, Dashboard, Dataset

CHARTS = [chart for dashboard in DASHBOARDS for chart in dashboard.charts]


def _relations(sql: str) -> set[str]:
    return set(re.findall(r"\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)", sql, re.IGNORECASE))


def _fields(chart: Chart) -> set[str]:
    """Every column a chart's form data names."""
    params = chart.params
    names = {params.get("x_axis"), *params.get("groupby", ()), *params.get("all_columns", ())}
    names |= {re.sub(r'^\["|",.*$', "", order) for order in params.get("order_by_cols", ())}
    return {name for name in names if name}


def _metrics(chart: Chart) -> set[str]:
    params = chart.params
    return {
        m
        for m in (params.get("metric"), *params.get("metrics", ()), params.get("timeseries_limit_metric"))
        if m
    }


def _columns(dataset: Dataset) -> set[str]:
    if dataset.view:
        return {c.name for c in read_views()[dataset.view]}
    return {name for name, _, _ in dataset.columns}


@pytest.mark.unit
def test_the_committed_bundle_is_what_the_declarations_render() -> None:
    assert stale() == [], "run `python -m dashboards export` and commit dashboards/assets/"


@pytest.mark.unit
@pytest.mark.parametrize("dataset", DATASETS, ids=lambda d: d.key)
def test_datasets_read_only_their_roles_views(dataset: Dataset) -> None:
    views = read_views()
    read = {dataset.view} if dataset.view else _relations(dataset.sql or "")
    assert read and read <= set(views), f"{dataset.key} reads {read - set(views)}, not in the read contract"
    # The reader role may not select an audit view: a reader dataset on one would fail on PostgreSQL.
    if any(v.startswith("v_audit_") for v in read):
        assert dataset.database is AUDITOR, dataset.key
    else:
        assert dataset.database is READER, dataset.key


@pytest.mark.unit
@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.key)
def test_every_chart_names_fields_and_metrics_of_its_dataset(chart: Chart) -> None:
    assert _fields(chart) <= _columns(chart.dataset), _fields(chart) - _columns(chart.dataset)
    assert _metrics(chart) <= {m.name for m in chart.dataset.metrics}, chart.key


@pytest.mark.unit
@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=lambda d: d.key)
def test_dashboards_lay_out_each_of_their_charts_once(dashboard: Dashboard) -> None:
    text = (ASSETS / "dashboards" / f"{dashboard.key}.yaml").read_text(encoding="utf-8")
    position = yaml.safe_load(text)["position"]
    placed = [
        node["meta"]["uuid"]
        for node in position.values()
        if isinstance(node, dict) and node["type"] == "CHART"
    ]
    assert sorted(placed) == sorted(c.uuid for c in dashboard.charts)
    assert len(set(placed)) == len(placed)


@pytest.mark.unit
def test_the_command_centre_covers_what_the_centre_watches() -> None:
    read = {(c.dataset.view or c.dataset.key) for c in COMMAND_CENTRE.charts}
    assert {
        "v_daily_counts",
        "v_case",
        "v_alert",
        "v_time_limit_clock",
        "v_group",
        "repeat_complainants",
    } <= read
    axes = {str(c.params.get("x_axis")) for c in COMMAND_CENTRE.charts} | {
        g for c in COMMAND_CENTRE.charts for g in c.params.get("groupby", ())
    }
    assert {"report_date", "district", "channel", "category", "step"} <= axes
    assert {c.dataset.database for c in AUDITOR_DASHBOARD.charts} == {AUDITOR}


@pytest.mark.integration
@pytest.mark.parametrize("dataset", DATASETS, ids=lambda d: d.key)
def test_every_metric_and_column_runs_on_both_engines(migrated_url: str, dataset: Dataset) -> None:
    from warehouse import make_engine

    relation = dataset.view or f"({dataset.sql}) AS q"
    columns = ", ".join(sorted(_columns(dataset)))
    metrics = ", ".join(f"{m.expression} AS {m.name}" for m in dataset.metrics)
    engine = make_engine(migrated_url)
    with engine.connect() as conn:
        conn.execute(sa.text(f"SELECT {columns} FROM {relation} LIMIT 1")).all()
        conn.execute(sa.text(f"SELECT {metrics} FROM {relation}")).all()
    engine.dispose()


@pytest.mark.unit
def test_superset_reads_the_embedded_warehouse_read_only(tmp_path: Path) -> None:
    uri = deploy.role_uri(f"sqlite:///{tmp_path / 'hub.db'}", "reader")
    assert uri == f"sqlite:///file:{tmp_path / 'hub.db'}?mode=ro&uri=true"


@pytest.mark.unit
def test_superset_reads_postgresql_as_the_roles_never_as_the_owner(monkeypatch: pytest.MonkeyPatch) -> None:
    owner = "postgresql://hub:owner-secret@db:5432/warehouse"
    monkeypatch.delenv("HUB_READER_PASSWORD", raising=False)
    monkeypatch.delenv("HUB_SUPERSET_READER_URL", raising=False)
    with pytest.raises(ValueError, match="HUB_READER_PASSWORD"):
        deploy.role_uri(owner, "reader")
    monkeypatch.setenv("HUB_READER_PASSWORD", "reader-secret")
    monkeypatch.setenv("HUB_AUDITOR_PASSWORD", "auditor-secret")
    monkeypatch.setenv("HUB_ROLE_AUDITOR", "city_auditor")
    assert (
        deploy.role_uri(owner, "reader") == "postgresql+psycopg2://hub_reader:reader-secret@db:5432/warehouse"
    )
    assert (
        deploy.role_uri(owner, "auditor")
        == "postgresql+psycopg2://city_auditor:auditor-secret@db:5432/warehouse"
    )
    bundle = zipfile.ZipFile(io.BytesIO(deploy.bundle_zip(owner)))
    databases = {
        name: yaml.safe_load(bundle.read(name))["sqlalchemy_uri"]
        for name in bundle.namelist()
        if name.startswith("hub_dashboards/databases/")
    }
    assert databases == {
        "hub_dashboards/databases/hub_reader.yaml": deploy.role_uri(owner, "reader"),
        "hub_dashboards/databases/hub_auditor.yaml": deploy.role_uri(owner, "auditor"),
    }
    assert not any("owner-secret" in bundle.read(name).decode() for name in bundle.namelist())
