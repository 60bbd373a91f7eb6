"""Task bodies of matching and publishing: in one step (the embedded DAG) or as plan → partitions → publish.

Both read the same records (every staged record not in a case yet, and the pooled records sharing a
blocking key with them) and publish the same way; the partitioned path hands data between its tasks
through the warehouse's ``match_run*`` work tables, so partitions can run on any worker.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from orchestration.ingest import use_hash_key

PARTITIONS_ENV = "HUB_MATCH_PARTITIONS"
_READS = 3  # passes a reviewer's corrections may interrupt before the task fails (and Airflow retries it)
DEFAULT_PARTITIONS = 8
FIT_RECORDS_ENV = "HUB_MODEL_RECORDS"
DEFAULT_FIT_RECORDS = 200_000
# The pool fits the matcher again once it holds a quarter more records than at the last fit.
REFIT_GROWTH = 1.25
log = logging.getLogger(__name__)


def default_partitions() -> int:
    """The pool DAG's partition count: ``HUB_MATCH_PARTITIONS``, else 8 (the result is the same for any)."""
    return max(1, int(os.environ.get(PARTITIONS_ENV, DEFAULT_PARTITIONS)))


def batch_ids_from_events(events: Mapping[Any, Iterable[Any]] | None) -> list[str]:
    """The batch ids the source DAGs attached (``extra["batch_id"]``) to the asset events of a run."""
    found = {
        str(e.extra["batch_id"])
        for evs in (events or {}).values()
        for e in evs
        if getattr(e, "extra", None) and e.extra.get("batch_id")
    }
    return sorted(found)


def _task_settings() -> Any:
    """The packaged matching settings on one core: Airflow runs the pool's tasks (the partitions above
    all) side by side, and a Celery pool process may not start processes of its own."""
    from matching import load_settings

    return dataclasses.replace(load_settings(), workers=1)


def _read_pass(
    engine: Any, batch_ids: Sequence[str], settings: Any, standardised: bool = False
) -> tuple[Any, Any]:
    """The new records to place and the pooled records sharing a blocking key with them.

    With ``standardised``, both come with every standardised column (each record standardised once:
    the new records' blocking keys are read from them).
    """
    import pandas as pd

    from matching import probe_keys
    from matching.normalize import standardise
    from warehouse import CANDIDATE_COLUMNS, pool_candidates, unmatched_records

    new = pd.DataFrame(unmatched_records(engine, list(batch_ids)))
    if new.empty:
        return new, None
    if standardised:
        new = standardise(new, settings)
    keys = probe_keys(new, settings)
    existing = pd.DataFrame(pool_candidates(engine, keys.to_dict("records")), columns=list(CANDIDATE_COLUMNS))
    if standardised:
        existing = standardise(existing, settings)
    return new, existing


def _decisions(engine: Any, pooled: Any = None) -> Any:
    """Reviewers' verdicts and corrections' links; with the pass's pooled records (a frame with ``record_id``
    and ``case_id``), a verdict keeping two records apart also keeps their cases apart."""
    import pandas as pd

    from warehouse.review import pass_decisions

    cases = None if pooled is None else dict(zip(pooled["record_id"], pooled["case_id"], strict=True))
    return pd.DataFrame(pass_decisions(engine, cases), columns=["record_id_l", "record_id_r", "decision"])


def _fit_records() -> int:
    """How many of the pool's most recent records a fit reads: ``HUB_MODEL_RECORDS``, else 200,000."""
    return max(1, int(os.environ.get(FIT_RECORDS_ENV, DEFAULT_FIT_RECORDS)))


def _pool_model(engine: Any, settings: Any) -> Any:
    """The model fitted on the pool's own records (:mod:`matching.fitting`): the newest fit under these
    settings, made again first when there is none and the pool holds enough records to fit
    (``training.min_records``), or when the pool has grown by a quarter since it; ``None`` while the
    pool is too small (the packaged model then)."""
    import time

    import pandas as pd

    from matching.fitting import fit_parameters, settings_digest
    from matching.supervision import parameters_from_dict, parameters_to_dict
    from warehouse.pool.fitted_models import latest_fit, pooled_count, recent_pooled_records, store_fit
    from warehouse.pool.pooling import MATCH_COLUMNS

    digest = settings_digest(settings)
    fit, pooled = latest_fit(engine, digest), pooled_count(engine)
    if fit is not None and pooled < REFIT_GROWTH * fit["pool_records"]:
        return parameters_from_dict(fit["parameters"])
    if pooled < settings.training.min_records:
        return parameters_from_dict(fit["parameters"]) if fit is not None else None
    began = time.perf_counter()
    frame = pd.DataFrame(recent_pooled_records(engine, _fit_records()), columns=list(MATCH_COLUMNS))
    parameters, stats = fit_parameters(frame, settings, population=pooled)
    seconds = time.perf_counter() - began
    unreliable = [str(message) for message in stats.get("unreliable", [])]
    if stats.get("skipped"):
        unreliable.append(str(stats["skipped"]))
    store_fit(engine, digest, len(frame), pooled, parameters_to_dict(parameters), unreliable, seconds)
    log.info(
        "fitted the matcher on the pool's %d most recent records (of %d) in %.1fs; kept from the settings: %s",
        len(frame),
        pooled,
        seconds,
        "; ".join(unreliable) or "nothing",
    )
    return parameters


def _parameters(engine: Any, settings: Any) -> Any:
    """The model the pass scores with: the one fitted on the pool's own records (the packaged one while
    the pool is too small to fit), its m learnt from reviewers' verdicts where they label enough pairs
    (:mod:`matching.supervision`)."""
    from matching.supervision import supervised_parameters
    from warehouse.review import labelled_pairs

    parameters, stats = supervised_parameters(
        settings, labelled_pairs(engine), start=_pool_model(engine, settings)
    )
    if stats["labels_same"] or stats["labels_different"]:
        log.info(
            "reviewers' labels: %d same, %d different; m learnt for %s; packaged m kept for %s (too few labels)",
            stats["labels_same"],
            stats["labels_different"],
            ", ".join(stats["learnt"]) or "none",
            ", ".join(stats["unreliable"]) or "none",
        )
    return parameters


def _pooled_counts(engine: Any, new: Any, settings: Any) -> dict[str, dict[str, int]]:
    """How many pooled records carry each name and place the new records carry (the matcher weighs them
    by how common they are in the whole pool, not in the few records a pass fetches)."""
    import pandas as pd

    from matching.frequencies import counts_by_column, frequency_keys
    from warehouse import pool_value_counts

    keys = frequency_keys(new, settings)[["rule", "key"]].drop_duplicates()
    counted = pool_value_counts(engine, keys.to_dict("records"))
    return counts_by_column(pd.DataFrame(counted, columns=["rule", "key", "records"]))


def _publish(
    engine: Any, result: Any, new: Any, settings: Any, batch_ids: Sequence[str], version: int | None = None
) -> dict[str, int]:
    from matching.frequencies import pool_keys
    from warehouse import publish_matches

    keys = pool_keys(new, settings)
    return publish_matches(
        engine,
        result.assignments.to_dict("records"),
        result.merges.to_dict("records"),
        result.pairs.to_dict("records"),
        keys.to_dict("records"),
        batch_ids=list(batch_ids),
        read_at_version=version,
    )


def _with_unpooled(engine: Any, batch_ids: Sequence[str]) -> list[str]:
    """The run's batches and every staged batch no publish has taken in yet (one whose pool run failed
    for good, or was never triggered): this run catches them up."""
    from warehouse import unpooled_batches

    behind = sorted(set(unpooled_batches(engine)) - set(batch_ids))
    if behind:
        log.info(
            "catching up %d batch(es) no pool run took in: %s%s",
            len(behind),
            ", ".join(behind[:10]),
            " …" if len(behind) > 10 else "",
        )
    return sorted({*batch_ids, *behind})


def match_and_publish(batch_ids: Sequence[str]) -> dict[str, int]:
    """Match every staged, unplaced record against each other and the pool; publish in one transaction."""
    from matching import match_incremental
    from warehouse import PoolChanged, current_pool_version, make_engine, refresh_pool

    use_hash_key()
    engine, settings = make_engine(), _task_settings()
    batch_ids = _with_unpooled(engine, batch_ids)
    for attempt in range(1, _READS + 1):
        version = current_pool_version(engine)
        new, existing = _read_pass(engine, batch_ids, settings)
        if (
            new.empty
        ):  # nothing to place; pooled records re-staged with a new status still refresh their cases
            return refresh_pool(engine, batch_ids)
        decisions, parameters = _decisions(engine, existing), _parameters(engine, settings)
        pooled_counts = _pooled_counts(engine, new, settings)
        result = match_incremental(
            new, existing, settings, decisions=decisions, parameters=parameters, pooled_counts=pooled_counts
        )
        try:
            counts = _publish(engine, result, new, settings, batch_ids, version)
            break
        except PoolChanged:  # a reviewer's correction landed meanwhile: read the pool as it is now
            if attempt == _READS:
                raise
            log.warning(
                "a reviewer corrected the pool during this pass: matching again (%d/%d)", attempt + 1, _READS
            )
    engine.dispose()
    return counts


def plan_pass(run_id: str, batch_ids: Sequence[str], partitions: int) -> list[int]:
    """Snapshot the pass's records and give each candidate block to a partition (stable hash of its key).

    Returns:
        The partitions that own at least one block (their scoring is the mapped task).
    """
    import pandas as pd

    from matching.frequencies import value_totals
    from matching.incremental import prepare_incremental
    from matching.partitions import plan_partitions, standardise_pass
    from matching.supervision import parameters_to_dict
    from warehouse import current_pool_version, make_engine
    from warehouse.pool.match_runs import save_plan

    use_hash_key()
    engine, settings = make_engine(), _task_settings()
    batch_ids = _with_unpooled(engine, batch_ids)
    version = current_pool_version(engine)
    # Standardised once here; the records go to the work table with their standardised columns, so the
    # partitions and the publish read them instead of standardising again.
    new, existing = _read_pass(engine, batch_ids, settings, standardised=True)
    records: list[dict[str, Any]] = []
    members: list[tuple[int, str]] = []
    totals: dict[str, dict[str, int]] | None = None
    if not new.empty:
        combined, is_new = prepare_incremental(new, existing)
        combined = standardise_pass(combined, settings)  # a no-op unless some field is still missing
        totals = value_totals(combined, is_new, _pooled_counts(engine, new, settings))
        plan = plan_partitions(combined, is_new, settings, partitions)
        snapshot = combined.assign(is_new=is_new).astype(object)
        records = snapshot.where(pd.notna(snapshot), None).to_dict("records")
        members = list(zip(plan["shard"].astype(int), plan["record_id"], strict=True))
    # The model is fitted once, here: every partition of the pass scores with the same parameters.
    parameters = parameters_to_dict(_parameters(engine, settings))
    save_plan(engine, run_id, partitions, batch_ids, records, members, parameters, version, totals)
    engine.dispose()
    shards = sorted({shard for shard, _ in members})
    log.info(
        "pass %s: %d records (%d new), %d partition memberships in %d of %d partitions",
        run_id,
        len(records),
        sum(bool(r["is_new"]) for r in records),
        len(members),
        len(shards),
        partitions,
    )
    return shards


def _frame(rows: list[dict[str, Any]]) -> Any:
    """The work table's records as the plan had them: standardised columns typed as ``standardise`` writes them."""
    import pandas as pd

    from warehouse.pool.match_runs import STANDARDISED_COLUMNS, STORED_COLUMNS

    frame = pd.DataFrame(rows, columns=[*STORED_COLUMNS, "is_new"])
    for column in STANDARDISED_COLUMNS:
        values = frame[column]
        if column.endswith(("_mobile", "_valid")):
            frame[column] = values.astype(object).fillna(False).astype(bool)
        elif column.endswith("_days"):
            frame[column] = pd.to_numeric(values.astype(object), errors="coerce").astype("float64")
        else:  # object columns with None for null (not the str dtype with NaN pandas would infer)
            frame[column] = pd.Series(
                values.astype(object).where(values.notna(), None), index=frame.index, dtype=object
            )
    return frame


def score_shard(run_id: str, shard: int) -> int:
    """Score one partition's candidate pairs and store them (replacing an earlier try's).

    Returns:
        How many pairs the partition scored.
    """
    from matching.partitions import score_partition
    from matching.supervision import parameters_from_dict
    from warehouse import make_engine
    from warehouse.pool.match_runs import match_run, run_records, save_partition_pairs

    engine, settings = make_engine(), _task_settings()
    plan = match_run(engine, run_id)
    if plan is None:
        raise RuntimeError(f"no matching plan for run {run_id!r}: run its plan task first")
    frame = _frame(run_records(engine, run_id, shard))
    records = frame.drop(columns=["is_new"])
    parameters = parameters_from_dict(plan["parameters"]) if plan["parameters"] else None
    pairs = score_partition(
        records,
        frame["is_new"].to_numpy(dtype=bool),
        settings,
        shard,
        plan["partitions"],
        parameters,
        plan["value_counts"],
    )
    gamma = [c for c in pairs.columns if c.startswith("gamma_")]
    # The comparison levels travel as one JSON column: {comparison: level} per pair.
    levels = pairs[gamma].rename(columns=lambda c: c.removeprefix("gamma_")).to_dict("records")
    rows = pairs.drop(columns=gamma).assign(levels=levels).to_dict("records")
    written = save_partition_pairs(engine, run_id, shard, rows)
    engine.dispose()
    return written


def publish_pass(run_id: str) -> dict[str, Any]:
    """Union the partitions' pairs, cluster the whole pass and publish it in one transaction.

    Idempotent: the work rows are deleted only after the publish commits, and a retry after that finds
    no plan and publishes nothing new.

    Returns:
        What was written, and ``batch_ids``: the batches of the pass.
    """
    import pandas as pd

    from matching.linker import prepare_frame
    from matching.partitions import combine_partitions
    from warehouse import PoolChanged, make_engine, refresh_pool
    from warehouse.pool.match_runs import drop_match_run, match_run, partition_pairs, run_records

    use_hash_key()
    engine, settings = make_engine(), _task_settings()
    plan = match_run(engine, run_id)
    if plan is None:
        log.info("pass %s: no plan (already published)", run_id)
        return {}
    # Sorted by Python's order of the ids (the database's collation may differ): positions are id order.
    frame = prepare_frame(_frame(run_records(engine, run_id)))
    batch_ids = list(plan["batch_ids"])
    if frame.empty:
        counts = refresh_pool(engine, batch_ids)
    else:
        is_new = frame["is_new"].to_numpy(dtype=bool)
        combined = frame.drop(columns=["is_new"])
        pairs = pd.DataFrame(partition_pairs(engine, run_id))
        if len(pairs):
            levels = pd.DataFrame(pairs.pop("levels").tolist(), index=pairs.index).add_prefix("gamma_")
            pairs = pd.concat([pairs, levels], axis=1)
        else:
            pairs = pd.DataFrame(
                columns=[
                    "record_id_l",
                    "record_id_r",
                    "rule_bits",
                    *(f"gamma_{c.name}" for c in settings.comparisons),
                    "person_weight",
                    "dispute_weight",
                    "match_weight",
                    "match_probability",
                ]
            )
        decisions = _decisions(engine, combined.loc[~is_new, ["record_id", "case_id"]])
        result = combine_partitions(combined, is_new, [pairs], settings, decisions)
        try:
            counts = _publish(engine, result, combined[is_new], settings, batch_ids, plan["pool_version"])
        except PoolChanged:  # a reviewer's correction since the plan: its snapshot is stale, match again
            log.warning(
                "pass %s: a reviewer corrected the pool since the plan: matching the pass again", run_id
            )
            counts = match_and_publish(batch_ids)
    drop_match_run(engine, run_id)
    engine.dispose()
    return {"batch_ids": batch_ids, **counts}
