"""Render the declared dashboards into Superset's import bundle: YAML files under ``dashboards/assets/``.

The layout is Superset's own export (``metadata.yaml``, ``databases/``, ``datasets/<database>/``,
``charts/``, ``dashboards/``), so ``superset import-dashboards`` (or Settings → Import dashboards)
reads the folder zipped. ``python -m dashboards export`` rewrites it; a test fails while the
committed files differ from what the declarations render.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from dashboards.auditor import AUDITOR_DASHBOARD
from dashboards.command_centre import COMMAND_CENTRE
from dashboards.contract import read_views
from dashboards.model import Chart, Dashboard, Database, Dataset

ASSETS = Path(__file__).resolve().parent / "assets"
DASHBOARDS = (COMMAND_CENTRE, AUDITOR_DASHBOARD)
VERSION = "1.0.0"
# The lists' colours on every chart that splits by colour or list (Superset's label_colors).
LABEL_COLOURS = {
    "red": "#D9363E",
    "orange": "#F08C00",
    "yellow": "#E8C21A",
    "督办单": "#D9363E",
    "预警单": "#F08C00",
    "提示单": "#E8C21A",
    "overdue": "#D9363E",
    "done_late": "#F08C00",
    "due_soon": "#E8C21A",
    "on_time": "#5AC189",
    "done": "#1A85A0",
    "held": "#D9363E",
    "passed": "#5AC189",
}


def _database(db: Database) -> dict[str, Any]:
    return {
        "database_name": db.name,
        "sqlalchemy_uri": db.uri,
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_csv_upload": False,
        "extra": {"allows_virtual_table_explore": True, "metadata_params": {}, "engine_params": {}},
        "uuid": db.uuid,
        "version": VERSION,
    }


def _columns(dataset: Dataset) -> list[dict[str, Any]]:
    if dataset.view is not None:
        views = read_views()
        if dataset.view not in views:
            raise ValueError(f"dataset {dataset.key}: {dataset.view} is not in the data dictionary")
        triples = [(c.name, c.type, c.description) for c in views[dataset.view]]
    else:
        triples = list(dataset.columns)
    return [
        {
            "column_name": name,
            "verbose_name": None,
            "is_dttm": kind.split("(")[0].strip().lower() in ("timestamp", "date"),
            "is_active": True,
            "type": kind.upper(),
            "groupby": True,
            "filterable": True,
            "expression": None,
            "description": description,
            "python_date_format": None,
        }
        for name, kind, description in triples
    ]


def _dataset(dataset: Dataset) -> dict[str, Any]:
    return {
        "table_name": dataset.key,
        "main_dttm_col": dataset.main_dttm_col,
        "description": dataset.description,
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "schema": None,
        "sql": dataset.sql,
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "uuid": dataset.uuid,
        "metrics": [
            {
                "metric_name": m.name,
                "verbose_name": m.label,
                "metric_type": None,
                "expression": m.expression,
                "description": m.description,
                "d3format": m.d3format,
                "extra": {},
                "warning_text": None,
            }
            for m in dataset.metrics
        ],
        "columns": _columns(dataset),
        "version": VERSION,
        "database_uuid": dataset.database.uuid,
    }


def _chart(chart: Chart) -> dict[str, Any]:
    return {
        "slice_name": chart.title,
        "description": chart.description,
        "certified_by": None,
        "certification_details": None,
        "viz_type": chart.viz_type,
        "params": {**chart.params, "viz_type": chart.viz_type},
        "query_context": None,
        "cache_timeout": None,
        "uuid": chart.uuid,
        "version": VERSION,
        "dataset_uuid": chart.dataset.uuid,
    }


def _position(dashboard: Dashboard) -> dict[str, Any]:
    """Superset's layout tree: root → grid → rows → charts (ids are the keys, chartId fixed at import)."""
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": dashboard.title}},
    }
    chart_id = 0
    for index, row in enumerate(dashboard.rows):
        row_id = f"ROW-{dashboard.key}-{index + 1}"
        position["GRID_ID"]["children"].append(row_id)
        height = dashboard.heights[index] if dashboard.heights else 50
        children = []
        for chart, width in row:
            chart_id += 1
            node_id = f"CHART-{chart.key}"
            children.append(node_id)
            position[node_id] = {
                "type": "CHART",
                "id": node_id,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "meta": {
                    "chartId": chart_id,
                    "width": width,
                    "height": height,
                    "sliceName": chart.title,
                    "uuid": chart.uuid,
                },
            }
        position[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": children,
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
    return position


def _dashboard(dashboard: Dashboard) -> dict[str, Any]:
    return {
        "dashboard_title": dashboard.title,
        "description": dashboard.description,
        "css": "",
        "slug": dashboard.slug,
        "uuid": dashboard.uuid,
        "position": _position(dashboard),
        "metadata": {
            "color_scheme": "supersetColors",
            "label_colors": LABEL_COLOURS,
            "shared_label_colors": [],
            "refresh_frequency": 0,
            "expanded_slices": {},
            "timed_refresh_immune_slices": [],
            "cross_filters_enabled": True,
            "default_filters": "{}",
            "chart_configuration": {},
            "native_filter_configuration": [],
        },
        "version": VERSION,
        "published": True,
    }


def _dump(data: dict[str, Any]) -> str:
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))


def render(dashboards: tuple[Dashboard, ...] = DASHBOARDS) -> dict[str, str]:
    """Every file of the bundle, by path relative to the bundle's folder."""
    charts = {c.key: c for d in dashboards for c in d.charts}
    datasets = {c.dataset.key: c.dataset for c in charts.values()}
    databases = {d.database.key: d.database for d in datasets.values()}
    # No "type": Superset's dashboard import and its assets import (which overwrites) both accept it then.
    files = {"metadata.yaml": _dump({"version": VERSION})}
    files.update({f"databases/{key}.yaml": _dump(_database(db)) for key, db in sorted(databases.items())})
    files.update(
        {
            f"datasets/{ds.database.key}/{key}.yaml": _dump(_dataset(ds))
            for key, ds in sorted(datasets.items())
        }
    )
    files.update({f"charts/{key}.yaml": _dump(_chart(chart)) for key, chart in sorted(charts.items())})
    files.update({f"dashboards/{d.key}.yaml": _dump(_dashboard(d)) for d in dashboards})
    return files


def write(folder: Path = ASSETS) -> list[str]:
    """Write the bundle into ``folder``, removing YAML files it no longer has; returns the paths written."""
    files = render()
    for stale in folder.rglob("*.yaml") if folder.exists() else ():
        if stale.relative_to(folder).as_posix() not in files:
            stale.unlink()
    for path, text in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return sorted(files)


def stale(folder: Path = ASSETS) -> list[str]:
    """Paths whose committed text differs from what the declarations render (missing and extra ones too)."""
    files = render()
    committed = (
        {p.relative_to(folder).as_posix() for p in folder.rglob("*.yaml")} if folder.exists() else set()
    )
    differing = [
        path
        for path, text in files.items()
        if not (folder / path).exists() or (folder / path).read_text(encoding="utf-8") != text
    ]
    return sorted(set(differing) | (committed - set(files)))
