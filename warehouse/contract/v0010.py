"""Read contract addition of migration 0010: the alert delivery log, for auditors.

Frozen with 0010 (a later change gets a new module and migration). An audit view: who was sent which
alert event on which channel, how many attempts it took and why the last one failed. Addresses are shown
as configured (``${VAR}`` references unexpanded, so no bot token), errors as recorded (masked).
"""

from __future__ import annotations

VIEWS = ("v_audit_alert_delivery",)


def view_sql(dialect: str) -> dict[str, str]:
    """The view's SELECT (the same text on ``sqlite`` and ``postgresql``)."""
    del dialect
    return {
        "v_audit_alert_delivery": """
            SELECT d.delivery_id, d.delivery_key, d.event_id, e.alert_id, a.alert_key, a.rule_id, e.event,
                   e.colour, e.list_name, e.issue_period, e.issue_no, a.district, a.street, e.as_of, d.channel,
                   d.recipient, d.address, d.status, d.attempts, d.last_error, d.created_at, d.last_attempt_at,
                   d.delivered_at
            FROM alert_delivery d
            JOIN alert_event e ON e.event_id = d.event_id
            JOIN alert a ON a.alert_id = e.alert_id""",
    }


VIEW_DOCS = {
    "v_audit_alert_delivery": "Every delivery of an alert event (issued, escalated, downgraded, closed) to a "
    "district's or street's address on one channel: status, attempts, last error and times. At least once: "
    "a pending or failed delivery is retried on the next alerting run.",
}

_COLUMNS = {
    "delivery_id": "Delivery id.",
    "delivery_key": "Idempotency key (SHA-256 of event, channel and address), sent with every attempt "
    "(HTTP header Idempotency-Key, e-mail Message-ID) so that a receiver can drop a repeat.",
    "event_id": "The alert event delivered (v_alert_history.event_id).",
    "alert_id": "The alert.",
    "alert_key": "rule_id:subject_id of the alert.",
    "rule_id": "The rule that fired (alerting/config/rules.yaml).",
    "event": "issued, escalated, downgraded or closed.",
    "colour": "The colour after the event: yellow, orange or red.",
    "list_name": "The list after the event: 提示单, 预警单 or 督办单.",
    "issue_period": "The period the issue number counts in (YYYY-MM).",
    "issue_no": "Issue number on its list in its period (第N期).",
    "district": "The responsible district the alert names.",
    "street": "The responsible street (township) where known.",
    "as_of": "Reference time of the alerting run that recorded the event (UTC).",
    "channel": "The channel (alerting/config/delivery.yaml): webhook or email.",
    "recipient": "Whose address it is: district:<name>, street:<district>/<street>, or default.",
    "address": "The address as configured (a webhook URL or an e-mail address); ${VAR} references are "
    "shown unexpanded, so bot tokens never reach the warehouse.",
    "status": "pending (not tried yet), delivered, failed (retried on the next run) or abandoned (gave up "
    "after the configured number of attempts).",
    "attempts": "Attempts so far, over every run.",
    "last_error": "Why the last attempt failed (masked); NULL once delivered.",
    "created_at": "When the delivery was queued (UTC).",
    "last_attempt_at": "When it was last tried (UTC).",
    "delivered_at": "When the receiver accepted it (UTC); NULL until then.",
}


def column_doc(view: str, column: str) -> str | None:
    """The description of ``view.column``."""
    return _COLUMNS.get(column) if view in VIEWS else None
