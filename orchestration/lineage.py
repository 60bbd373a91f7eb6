"""OpenLineage for the hub's tasks: what each task reads and writes, and the batch it handled.

The Airflow provider ``apache-airflow-providers-openlineage`` emits a START and a COMPLETE (or FAIL)
event for every task. A ``@task`` tells it nothing about data, so :class:`HubTaskExtractor` (registered
through ``[openlineage] extractors``) names each task's datasets — the source's endpoint, database
table or drop folder; the warehouse's landing, staging, pool and alerting tables; the read-contract
views a publish changes and the alerting reads — and adds the batch ids and counts as the ``hubBatch``
run facet. Names follow the OpenLineage naming spec (:mod:`connectors.lineage`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from airflow.providers.openlineage.extractors.base import BaseExtractor, OperatorLineage
from attrs import define, field
from openlineage.client.event_v2 import Dataset
from openlineage.client.facet_v2 import RunFacet

log = logging.getLogger(__name__)
Lineage = OperatorLineage[Dataset, RunFacet]

LANDING = ("batch", "landing_record")
STAGING = (
    "complaint_record",
    "quarantine_record",
    "held_record",
    "validation_run",
    "dq_result",
    "batch_gate",
)
POOL = ("complaint_case", "case_member", "case_history", "case_group", "match_pair", "match_key")
MATCH_WORK = ("match_run", "match_run_record", "match_run_member", "match_run_pair")
# The read contract's views over the pool: a publish changes what they show, and alerting reads them.
POOL_VIEWS = ("v_case", "v_case_member", "v_alert_feed", "v_group", "v_time_limit", "v_daily_counts")
ALERTING = ("alert", "alert_event", "alert_issue", "alert_run", "time_limit_clock")
ALERT_VIEWS = ("v_alert", "v_alert_history", "v_time_limit_clock")
FACET_SCHEMA = "https://complaint-hub.invalid/spec/facets/HubBatchRunFacet.json"


@define
class HubBatchRunFacet(RunFacet):
    """The extraction batches a task run handled and what it counted (landed, quarantined, cases...)."""

    batchIds: list[str] = field(factory=list)  # noqa: N815  (OpenLineage facets are camelCase)
    counts: dict[str, Any] = field(factory=dict)

    @staticmethod
    def _get_schema() -> str:
        return FACET_SCHEMA


@dataclass(frozen=True)
class TaskData:
    """What one task run read and wrote (``(namespace, name)`` pairs) and which batches it handled."""

    inputs: tuple[tuple[str, str], ...] = ()
    outputs: tuple[tuple[str, str], ...] = ()
    batch_ids: tuple[str, ...] = ()
    counts: Mapping[str, Any] | None = None


def warehouse(*tables: str) -> tuple[tuple[str, str], ...]:
    """The warehouse's ``tables`` (or views) as datasets of the configured warehouse."""
    from connectors.lineage import sql_dataset
    from warehouse.engine import database_url

    url = database_url()
    return tuple(sql_dataset(url, t) for t in tables)


def _source_of(batch_id: str) -> str:
    return batch_id.split(":", 1)[0]


def _source_dataset(source: str) -> tuple[tuple[str, str], ...]:
    from connectors import connector_from_airflow

    return (connector_from_airflow(source).lineage_dataset(),)


def _extract(args: Mapping[str, Any], result: Any, dag_id: str) -> TaskData:
    source = args.get("source") or dag_id.removeprefix("complaint_source_")
    outputs = warehouse(*LANDING, "source_file") if _is_drop(source) else warehouse(*LANDING)
    return TaskData(_source_dataset(source), outputs, (result,) if result else ())


def _archive(args: Mapping[str, Any], result: Any, dag_id: str) -> TaskData:
    from connectors.lineage import file_dataset

    batch_id = str(args["batch_id"])
    if not _is_drop(_source_of(batch_id)):
        return TaskData(batch_ids=(batch_id,))
    (drop,) = _source_dataset(_source_of(batch_id))
    archive = file_dataset(f"{drop[1]}/archive")
    counts = {"files_moved": result} if result is not None else None
    return TaskData(
        (drop, *warehouse("source_file")), (archive, *warehouse("source_file")), (batch_id,), counts
    )


def _validate(args: Mapping[str, Any], result: Any, dag_id: str) -> TaskData:
    batch_id = str(args["batch_id"])
    return TaskData(warehouse(*LANDING), warehouse(*STAGING), (batch_id,), result)


def _publish(args: Mapping[str, Any], result: Any, dag_id: str) -> TaskData:
    batch_ids = tuple(str(b) for b in args.get("batch_ids") or (result or {}).get("batch_ids") or ())
    counts = {k: v for k, v in (result or {}).items() if k != "batch_ids"} or None
    reads = warehouse("complaint_record", *POOL, *(MATCH_WORK if dag_id == "complaint_pool" else ()))
    return TaskData(reads, warehouse(*POOL, *POOL_VIEWS), batch_ids, counts)


def _plan(args: Mapping[str, Any], result: Any, dag_id: str) -> TaskData:
    return TaskData(warehouse("batch", "complaint_record", "match_key"), warehouse(*MATCH_WORK[:3]))


def _score(args: Mapping[str, Any], result: Any, dag_id: str) -> TaskData:
    counts = {"pairs": result} if result is not None else None
    return TaskData(warehouse(*MATCH_WORK[:3]), warehouse("match_run_pair"), (), counts)


def _evaluate(args: Mapping[str, Any], result: Any, dag_id: str) -> TaskData:
    counts = {"as_of": result} if result else None
    return TaskData(warehouse(*POOL_VIEWS, "v_alert"), warehouse(*ALERTING, *ALERT_VIEWS), (), counts)


def _bulletins(args: Mapping[str, Any], result: Any, dag_id: str) -> TaskData:
    from connectors.lineage import file_dataset
    from warehouse.engine import data_dir

    return TaskData(
        warehouse("v_alert", "v_time_limit_clock", "v_daily_counts"),
        (file_dataset(data_dir() / "bulletins"),),
    )


def _is_drop(source: str) -> bool:
    from connectors import FileDropConnector, connector_class

    return issubclass(connector_class(source), FileDropConnector)


# task id -> what its run read and wrote, from its arguments, its result (None at START) and its DAG.
TASKS: dict[str, Callable[[Mapping[str, Any], Any, str], TaskData]] = {
    "extract": _extract,
    "archive_files": _archive,
    "validate": _validate,
    "match_and_publish": _publish,
    "plan": _plan,
    "score": _score,
    "publish": _publish,
    "evaluate": _evaluate,
    "bulletins": _bulletins,
}


def task_data(task_id: str, dag_id: str, args: Mapping[str, Any], result: Any) -> TaskData | None:
    """What the task ``task_id`` of ``dag_id`` read and wrote; None for a task that touches no data."""
    describe = TASKS.get(task_id)
    return describe(args, result, dag_id) if describe else None


def _arguments(op: Any) -> dict[str, Any]:
    """The task function's arguments by name, positional ones too (``validate(batch_id)``)."""
    import inspect

    bound = inspect.signature(op.python_callable).bind_partial(*(op.op_args or ()), **(op.op_kwargs or {}))
    return dict(bound.arguments)


def _datasets(pairs: Sequence[tuple[str, str]]) -> list[Dataset]:
    return [Dataset(namespace=namespace, name=name) for namespace, name in dict.fromkeys(pairs)]


class HubTaskExtractor(BaseExtractor):
    """The provider's extractor for the hub's ``@task`` functions: datasets by task, batch as a run facet."""

    @classmethod
    def get_operator_classnames(cls) -> list[str]:
        return ["_PythonDecoratedOperator"]

    def _execute_extraction(self) -> Lineage | None:
        return self._lineage(None)

    def extract_on_complete(self, task_instance: Any) -> Lineage | None:
        result = task_instance.xcom_pull(task_ids=task_instance.task_id, map_indexes=task_instance.map_index)
        return self._lineage(result)

    def extract_on_failure(self, task_instance: Any) -> Lineage | None:
        return self._lineage(None)

    def _lineage(self, result: Any) -> Lineage | None:
        op = self.operator
        try:
            data = task_data(op.task_id, op.dag_id, _arguments(op), result)
        except Exception:  # lineage must never fail a task: say so and emit the event without datasets
            log.warning("OpenLineage: no datasets for %s.%s", op.dag_id, op.task_id, exc_info=True)
            return Lineage()
        if data is None:
            return Lineage()
        facets: dict[str, Any] = {}
        if data.batch_ids or data.counts:
            facets["hubBatch"] = HubBatchRunFacet(
                batchIds=list(data.batch_ids), counts=dict(data.counts or {})
            )
        return OperatorLineage(
            inputs=_datasets(data.inputs), outputs=_datasets(data.outputs), run_facets=facets
        )
