"""Alert delivery: each alert event pushed to its district (and street) by webhook and e-mail, at least once."""

from __future__ import annotations

from alerting.delivery.config import DeliveryConfig, Retry, Target
from alerting.delivery.messages import Message, alert_message
from alerting.delivery.run import deliver_alerts

__all__ = ["DeliveryConfig", "Message", "Retry", "Target", "alert_message", "deliver_alerts"]
