"""The data engineers' notices: a failed task, or a batch held at a gate, told through the alert channels.

``EngineerNotifier`` is an Airflow notifier (``airflow.sdk.BaseNotifier``); :func:`notify_args` puts it in
the ``on_failure_callback`` of every DAG's default arguments (``orchestration.schedules``, and the two DAGs
with their own defaults), so it is configured in one place. A held batch gets its own notice: which
gate held it, the commands that release or reject it, and its page in the console. Addresses and channels
are the ``engineering`` ones of ``alerting/config/delivery.yaml``. Sending never raises: a notice that
cannot be delivered is logged, and the task's own failure stands as it is.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from typing import Any

from airflow.sdk import BaseNotifier

log = logging.getLogger(__name__)
ERROR_LINES = 12  # the tail of the exception's text the notice quotes


class EngineerNotifier(BaseNotifier):
    """On a task's failure: a held-batch notice when a gate held the batch, else a failure notice."""

    def notify(self, context: Any) -> None:
        from alerting.delivery.config import DeliveryConfig
        from orchestration.delivery import use_smtp_connection

        use_smtp_connection()
        config = DeliveryConfig.load()
        where = task_place(context)
        error = context.get("exception")
        held = held_batch(error)
        console = config.console()
        title, text = (
            held_notice(held.batch_id, held.gates, console, where)
            if held is not None
            else failure_notice(error, where)
        )
        key = hashlib.sha256("\x1f".join(str(v) for v in where.values()).encode()).hexdigest()
        results = send_notice(config, title, text, key)
        log.info("engineers' notice %r: %s", title, results or "no engineering address is configured")


def task_place(context: Any) -> dict[str, Any]:
    """Where a notice comes from: the DAG, task, map index, run, try and the task log's link."""
    ti = context.get("ti") or context.get("task_instance")
    return {
        "dag_id": getattr(ti, "dag_id", None) or getattr(context.get("dag"), "dag_id", "?"),
        "task_id": getattr(ti, "task_id", "?"),
        "map_index": getattr(ti, "map_index", -1),
        "run_id": context.get("run_id") or getattr(ti, "run_id", "?"),
        "try_number": getattr(ti, "try_number", 0),
        "log_url": getattr(ti, "log_url", ""),
    }


def announce_held(held: Any, context: Any) -> dict[str, str]:
    """Tell the engineers a batch is held when the task does not fail for it (the source DAGs, which ask
    ``complaint_batch_approval`` for the decision instead): the same notice the failure callback sends,
    plus where to answer in Airflow. One notice per batch and run (its idempotency key); never raises."""
    from alerting.delivery.config import DeliveryConfig
    from orchestration.approval import approval_run_id
    from orchestration.delivery import use_smtp_connection

    try:
        use_smtp_connection()
        config = DeliveryConfig.load()
        where = task_place(context)
        title, text = held_notice(held.batch_id, held.gates, config.console(), where)
        text += f"\nAirflow：Browse → Required Actions，complaint_batch_approval 运行 {approval_run_id(held.batch_id)}"
        key = hashlib.sha256(f"held\x1f{held.batch_id}\x1f{where['run_id']}".encode()).hexdigest()
        results = send_notice(config, title, text, key)
    except Exception as exc:  # noqa: BLE001 - a notice must never turn the run red
        log.warning("the held batch's notice was not sent: %s", type(exc).__name__)
        return {}
    log.info("engineers' notice %r: %s", title, results or "no engineering address is configured")
    return results


def notify_args() -> dict[str, Any]:
    """Default arguments every DAG takes: the engineers' notifier on task failure."""
    return {"on_failure_callback": [EngineerNotifier()]}


def held_batch(error: BaseException | None) -> Any:
    """The ``BatchHeld`` behind a task's failure (raised itself, or the cause of the task's fail
    exception), else ``None``."""
    from warehouse.quality.holds import BatchHeld

    while error is not None:
        if isinstance(error, BatchHeld):
            return error
        error = error.__cause__
    return None


def held_notice(
    batch_id: str, gates: tuple[tuple[str, str], ...], console: str, where: Mapping[str, Any]
) -> tuple[str, str]:
    """Title and text of a held batch's notice: the gates, the commands, the console and the task log."""
    from urllib.parse import quote

    from warehouse.derive.columns import mask_identities

    why = "；".join(f"{gate}: {mask_identities(reason)}" for gate, reason in gates) or "a gate failed"
    title = f"【数据暂扣】批次 {batch_id} 被质量闸门暂扣（{', '.join(g for g, _ in gates) or 'gate'}）"
    text = "\n".join(
        [
            title,
            f"原因：{why}",
            "本批次未发布到 staging 与数据池；复核后二选一：",
            f"  hub warehouse batch show {batch_id}",
            f"  hub warehouse batch release {batch_id} --by NAME --reason TEXT   # 发布（下次运行匹配入池）",
            f"  hub warehouse batch reject {batch_id} --by NAME --reason TEXT    # 拒收（整批计入隔离）",
            f"控制台：{console}/batches/{quote(batch_id, safe='')}",
            f"任务：{where['dag_id']}.{where['task_id']} · {where['run_id']}",
            f"日志：{where['log_url']}",
        ]
    )
    return title, text


def failure_notice(error: BaseException | None, where: Mapping[str, Any]) -> tuple[str, str]:
    """Title and text of a failed task's notice: where, the error's last lines (masked), the task log."""
    from warehouse.derive.columns import mask_identities

    mapped = f"[{where['map_index']}]" if where["map_index"] not in (None, -1) else ""
    task = f"{where['dag_id']}.{where['task_id']}{mapped}"
    reason = (
        "\n".join(f"{type(error).__name__}: {error}".splitlines()[-ERROR_LINES:])
        if error
        else "(no exception)"
    )
    title = f"【任务失败】{task}（第 {where['try_number']} 次尝试）"
    text = "\n".join(
        [
            title,
            f"运行：{where['run_id']}",
            f"错误：{mask_identities(reason)}",
            f"日志：{where['log_url']}",
        ]
    )
    return title, text


def send_notice(config: Any, title: str, text: str, key: str) -> dict[str, str]:
    """Send a notice to every engineering address, retrying as configured; never raises.

    Returns:
        ``{"<channel> <address as written>": "delivered" or the reason it was not}``.
    """
    import os

    from alerting.delivery.channels import open_sender, send_with_retry
    from alerting.delivery.messages import Message

    env = dict(os.environ)
    message = Message(
        title, f"### {title}\n\n" + "\n".join(f"- {line}" for line in text.splitlines()[1:]), text
    )
    results: dict[str, str] = {}
    for target in config.engineering_targets(env):
        sender = open_sender(config.channels[target.channel], config.retry.timeout_seconds, env)
        try:
            _, error = send_with_retry(sender, target.address, message, key, config.retry)
        except Exception as exc:  # a notifier must never turn into another failure
            error = f"{type(exc).__name__}"
        finally:
            sender.close()
        results[f"{target.channel} {target.address}"] = error or "delivered"
    return results
