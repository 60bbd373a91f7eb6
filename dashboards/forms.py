"""Form data of the few Superset visualisations the dashboards use, built from a handful of arguments.

Each function returns the ``params`` Superset stores for a chart of that type (the datasource is filled
in at import). Metrics are the datasets' saved metrics, by name.
"""

from __future__ import annotations

import json
from typing import Any

NO_TIME_FILTER = "No filter"


def where(sql: str) -> dict[str, Any]:
    """A WHERE filter written in SQL (valid on SQLite and PostgreSQL)."""
    return {"expressionType": "SQL", "sqlExpression": sql, "clause": "WHERE"}


def _common(viz_type: str, filters: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    return {"viz_type": viz_type, "adhoc_filters": list(filters), "time_range": NO_TIME_FILTER}


def big_number(metric: str, subheader: str, *filters: dict[str, Any]) -> dict[str, Any]:
    """One number: ``metric`` over the (filtered) dataset."""
    return {
        **_common("big_number_total", filters),
        "metric": metric,
        "subheader": subheader,
        "header_font_size": 0.4,
        "subheader_font_size": 0.15,
        "y_axis_format": "SMART_NUMBER",
    }


def bars(
    x_axis: str,
    metrics: tuple[str, ...],
    *filters: dict[str, Any],
    groupby: tuple[str, ...] = (),
    time_grain: str | None = None,
    stacked: bool = True,
    horizontal: bool = False,
    y_format: str = "SMART_NUMBER",
) -> dict[str, Any]:
    """Bars along ``x_axis`` (a day with ``time_grain="P1D"``, or a category), one series per ``groupby`` value."""
    params = {
        **_common("echarts_timeseries_bar", filters),
        "x_axis": x_axis,
        "metrics": list(metrics),
        "groupby": list(groupby),
        "orientation": "horizontal" if horizontal else "vertical",
        "stack": "Stack" if stacked and groupby else None,
        "row_limit": 10000,
        "show_legend": bool(groupby),
        "legendType": "scroll",
        "legendOrientation": "top",
        "x_axis_sort_asc": True,
        "y_axis_format": y_format,
        "truncateYAxis": False,
        "rich_tooltip": True,
    }
    if time_grain:
        params["time_grain_sqla"] = time_grain
        params["x_axis_time_format"] = "%Y-%m-%d"
    return params


def pie(metric: str, groupby: str, *filters: dict[str, Any]) -> dict[str, Any]:
    """A donut of ``metric`` by ``groupby``."""
    return {
        **_common("pie", filters),
        "metric": metric,
        "groupby": [groupby],
        "row_limit": 50,
        "donut": True,
        "show_labels": True,
        "label_type": "key_percent",
        "labels_outside": True,
        "show_legend": False,
        "sort_by_metric": True,
    }


def table(
    columns: tuple[str, ...],
    *filters: dict[str, Any],
    order_by: tuple[tuple[str, bool], ...] = (),
    row_limit: int = 100,
) -> dict[str, Any]:
    """Rows of the dataset as they are (``columns``), ordered by ``(column, ascending)`` pairs."""
    return {
        **_common("table", filters),
        "query_mode": "raw",
        "all_columns": list(columns),
        "order_by_cols": [json.dumps([column, ascending]) for column, ascending in order_by],
        "row_limit": row_limit,
        "server_pagination": False,
        "include_search": True,
        "page_length": 0,
        "table_timestamp_format": "%Y-%m-%d %H:%M",
    }


def summary_table(
    groupby: tuple[str, ...],
    metrics: tuple[str, ...],
    *filters: dict[str, Any],
    sort_by: str | None = None,
    row_limit: int = 100,
) -> dict[str, Any]:
    """``metrics`` per ``groupby`` combination, largest ``sort_by`` first (else in ``groupby`` order)."""
    params: dict[str, Any] = {
        **_common("table", filters),
        "query_mode": "aggregate",
        "groupby": list(groupby),
        "metrics": list(metrics),
        "row_limit": row_limit,
        "server_pagination": False,
        "order_desc": True,
        "show_cell_bars": True,
        "page_length": 0,
    }
    if sort_by:
        params["timeseries_limit_metric"] = sort_by
    return params
