"""Task body of alert delivery: after the alerting run committed, send every alert event not delivered yet."""

from __future__ import annotations

import logging
import os
from typing import Any

SMTP_CONN = "hub_smtp"  # optional Airflow connection: host, port, login, password of the mail server
log = logging.getLogger(__name__)


def use_smtp_connection() -> None:
    """Hand the e-mail channel the Airflow connection ``hub_smtp`` when one is defined, as the
    ``HUB_SMTP_*`` variables ``alerting/config/delivery.yaml`` names (the environment wins if already set)."""
    if os.environ.get("HUB_SMTP_HOST"):
        return
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = Connection.get(SMTP_CONN)
    except AirflowNotFoundException:
        return
    values = {"HUB_SMTP_HOST": conn.host, "HUB_SMTP_PORT": conn.port, "HUB_SMTP_USER": conn.login,
              "HUB_SMTP_PASSWORD": conn.password}  # fmt: skip
    for name, value in values.items():
        if value:
            os.environ.setdefault(name, str(value))


def deliver_pending() -> dict[str, Any]:
    """Queue the new alert events and send every pending or failed delivery (``alerting.delivery``).

    Returns:
        The run's counts (queued, delivered and failed per channel, abandoned so far).
    """
    from alerting.delivery import deliver_alerts
    from warehouse import make_engine

    use_smtp_connection()
    engine = make_engine()
    try:
        summary = deliver_alerts(engine)
    finally:
        engine.dispose()
    log.info("alert delivery: %s", summary)
    return summary
