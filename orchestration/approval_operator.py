"""The human-in-the-loop task of ``complaint_batch_approval``: Release or Reject a held batch, with a reason."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.providers.standard.operators.hitl import HITLOperator
from airflow.sdk import Param

from orchestration.approval import REASON, REJECT, RELEASE

# A response without a reason fails that try; the retry asks again (the provider clears the answer).
ASK_AGAIN = 5


class BatchDecisionOperator(HITLOperator):
    """Release or Reject, with a required reason; waits for a person, however long that takes.

    No timeout and no default option: a held batch is never settled by the clock (the provider's
    known race of a response with a timeout cannot happen). ``execution_timeout`` is cleared so the
    DAG's default cannot become a response timeout.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("params", None)  # the DAG's, which Airflow passes down: the form asks for the reason only
        super().__init__(
            options=[RELEASE, REJECT],
            multiple=False,
            params={
                REASON: Param(
                    "",
                    type="string",
                    title="Reason",
                    description="Why you release or reject the batch (required, shown to auditors).",
                )
            },
            execution_timeout=None,
            retries=ASK_AGAIN,
            retry_delay=timedelta(seconds=5),
            retry_exponential_backoff=False,
            **kwargs,
        )

    def execute_complete(self, context: Any, event: dict[str, Any]) -> Any:
        """Refuse a response without a reason: this try fails and the next one asks again."""
        response = super().execute_complete(context, event)
        if not str((response.get("params_input") or {}).get(REASON) or "").strip():
            raise ValueError("a decision on a held batch needs a reason: answer again with one")
        return response
