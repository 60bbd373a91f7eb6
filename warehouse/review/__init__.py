"""Review and corrections: the queue of what waits for a person, verdicts on pairs, corrections of cases.

The functions a console or a command line calls; each takes the warehouse engine. Errors a caller should
show the user are :class:`InvalidInput` (and its :class:`NotFound`); nothing here half-applies.
"""

from __future__ import annotations

from warehouse.review.constraints import labelled_pairs, pass_decisions
from warehouse.review.corrections import confirm_case, merge_cases, move_record, split_case
from warehouse.review.decisions import VERDICTS, decide, decide_bulk
from warehouse.review.errors import InvalidInput, NotFound
from warehouse.review.items import review_item
from warehouse.review.queue import review_queue
from warehouse.review.records import ROLES

__all__ = [
    "ROLES",
    "VERDICTS",
    "InvalidInput",
    "NotFound",
    "confirm_case",
    "decide",
    "decide_bulk",
    "labelled_pairs",
    "merge_cases",
    "move_record",
    "pass_decisions",
    "review_item",
    "review_queue",
    "split_case",
]
