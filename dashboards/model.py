"""What a dashboard bundle is made of: databases, datasets on the read contract, charts, dashboards.

Small frozen declarations that :mod:`dashboards.bundle` renders into Superset's import format (the
YAML files of an exported bundle). Every object gets a stable UUID from its key, so a re-import
updates the same dashboard instead of adding a copy.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

# Names the bundle's objects: uuid5(NAMESPACE, "<kind>:<key>") never changes for the same key.
NAMESPACE = uuid.UUID("5b7c1f0e-3a52-4d1b-9d0f-6c1e7a2f4b80")


def stable_uuid(kind: str, key: str) -> str:
    """The UUID of the bundle object ``kind``/``key`` (the same on every export)."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


@dataclass(frozen=True)
class Database:
    """A Superset database entry: the warehouse as one of its roles (reader or auditor).

    Args:
        key: file name and UUID key (``hub_reader``).
        name: the name shown in Superset.
        role: the warehouse role it connects as (its views are the only ones it may read).
        uri: the URI kept in the committed bundle (password masked); ``make dashboards`` replaces it.
    """

    key: str
    name: str
    role: str
    uri: str

    @property
    def uuid(self) -> str:
        return stable_uuid("database", self.key)


@dataclass(frozen=True)
class Metric:
    """A saved metric of a dataset: an aggregate SQL expression valid on SQLite and PostgreSQL."""

    name: str
    expression: str
    label: str
    description: str
    d3format: str | None = None


@dataclass(frozen=True)
class Dataset:
    """A dataset on one read-contract view (``view``), or a SQL query over such views (``sql``).

    Args:
        key: the dataset's name in Superset (the view's name for a physical dataset).
        database: the role's database it reads through.
        description: what it is for.
        view: the ``v_*`` view of a physical dataset.
        sql: the query of a virtual dataset; it reads only ``v_*`` views.
        columns: for a virtual dataset, ``(name, type, description)`` of its columns (a view's come
            from the data dictionary).
        metrics: saved metrics the charts use.
        main_dttm_col: the time column time filters apply to.
    """

    key: str
    database: Database
    description: str
    view: str | None = None
    sql: str | None = None
    columns: tuple[tuple[str, str, str], ...] = ()
    metrics: tuple[Metric, ...] = ()
    main_dttm_col: str | None = None

    def __post_init__(self) -> None:
        if (self.view is None) == (self.sql is None):
            raise ValueError(f"dataset {self.key}: give exactly one of view or sql")
        if self.view is not None and not self.view.startswith("v_"):
            raise ValueError(f"dataset {self.key}: {self.view} is not a read-contract view (v_*)")

    @property
    def uuid(self) -> str:
        return stable_uuid("dataset", self.key)


@dataclass(frozen=True)
class Chart:
    """A chart: a Superset visualisation type and its form data over one dataset.

    Args:
        key: file name and UUID key.
        title: the chart's name on the dashboard.
        dataset: what it queries.
        viz_type: Superset's visualisation (``echarts_timeseries_bar``, ``pie``, ``table``, ...).
        params: the visualisation's form data, without the datasource (set at import).
        description: what it shows, for the chart's tooltip.
    """

    key: str
    title: str
    dataset: Dataset
    viz_type: str
    params: dict[str, Any]
    description: str

    @property
    def uuid(self) -> str:
        return stable_uuid("chart", self.key)


@dataclass(frozen=True)
class Dashboard:
    """A dashboard: rows of ``(chart, width)`` on Superset's 12-column grid, each row ``height`` units high."""

    key: str
    title: str
    slug: str
    description: str
    rows: tuple[tuple[tuple[Chart, int], ...], ...]
    heights: tuple[int, ...] = field(default=())

    def __post_init__(self) -> None:
        for row in self.rows:
            width = sum(w for _, w in row)
            if width > 12:
                raise ValueError(f"dashboard {self.key}: a row is {width} columns wide (the grid has 12)")
        if self.heights and len(self.heights) != len(self.rows):
            raise ValueError(f"dashboard {self.key}: one height per row")

    @property
    def uuid(self) -> str:
        return stable_uuid("dashboard", self.key)

    @property
    def charts(self) -> list[Chart]:
        return [chart for row in self.rows for chart, _ in row]
