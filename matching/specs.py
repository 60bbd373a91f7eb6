"""The small shared types of the matcher: field and blocking-rule specs, and what each stage reads of the settings.

Stages below :mod:`matching.settings` (standardising, blocking) take the settings through the protocols
here, so none of them imports the settings module and the settings module can validate against their
registries without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class FieldSpec:
    """One input column, the standardiser run on it, and the prefix of the columns it writes."""

    column: str
    standardiser: str
    prefix: str


@dataclass(frozen=True)
class BlockingRule:
    """Records that agree exactly on every column (all non-null) become candidate pairs; with
    ``within_days``, only those also reported at most that many days apart (Splink's date-range rules);
    with ``nearest`` too, each record only with the ``nearest`` reports of its block just before it in time
    (a key many unrelated reports share, such as a common sum, then costs a few pairs a record); with
    ``anchor``, only the pairs at least one of whose records has a value in that column (a masked number
    with the whole ones its shown digits fit, not the whole ones with each other); with ``beyond_days`` (and
    ``nearest``), only reports more than that many days apart: a rule reaching further back than another
    on a shorter key spends its ``nearest`` on the older reports the other does not reach; with ``unless``,
    not the records whose value in that column is true (a report an agent filed, on the agent's line)."""

    columns: tuple[str, ...]
    within_days: float | None = None
    nearest: int | None = None
    anchor: str | None = None
    beyond_days: float | None = None
    unless: str | None = None

    @property
    def name(self) -> str:
        """The rule's name in stats and in the ``rules`` column, e.g. ``name_fuzzy+category_norm``."""
        return "+".join(self.columns)

    @property
    def reads(self) -> tuple[str, ...]:
        """The standardised columns the rule reads: its key's columns, its anchor and its ``unless``."""
        return (*self.columns, *(c for c in (self.anchor, self.unless) if c))


def block_on(
    *columns: str,
    within_days: float | None = None,
    nearest: int | None = None,
    anchor: str | None = None,
    beyond_days: float | None = None,
    unless: str | None = None,
) -> BlockingRule:
    """A blocking rule on exact agreement of ``columns`` (Splink's ``block_on``).

    Args:
        columns: the standardised columns that must agree.
        within_days: also require ``reported_at`` at most this many days apart (records without a time
            are then left to the other rules).
        nearest: with ``within_days``, pair each record only with this many of its block's reports
            just before it in time (inside the window).
        anchor: with ``within_days``, pair only the records with a value in this column (``phone_masked``)
            with every record of their block inside the window, and no two records without one: a key
            most records have (a mobile's first and last digits) is then only expanded where it is needed.
        beyond_days: with ``nearest``, pair only reports more than this many days apart (at least 0, less
            than ``within_days``): the nearer ones are an earlier rule's, and the ``nearest`` limit is then
            spent on the reports that rule does not reach.
        unless: leave out the records whose value in this boolean column is true (``content_agent``: a
            grid worker's line is on hundreds of residents' reports, and pairing them on it pairs nobody's
            reports; their other rules still pair them).

    Returns:
        The rule.
    """
    if not columns:
        raise ValueError("block_on needs at least one column")
    if within_days is not None and within_days <= 0:
        raise ValueError("within_days must be positive")
    if nearest is not None and (within_days is None or isinstance(nearest, bool) or not isinstance(nearest, int)
                                or nearest < 1):  # fmt: skip
        raise ValueError("nearest must be a positive whole number, on a rule with within_days")
    if anchor is not None and (within_days is None or nearest is not None or not isinstance(anchor, str)):
        raise ValueError("anchor must be a column name, on a rule with within_days and without nearest")
    if beyond_days is not None and (
        nearest is None or isinstance(beyond_days, bool) or not isinstance(beyond_days, int | float)
        or not 0 <= beyond_days < within_days  # type: ignore[operator]  # nearest implies within_days
    ):  # fmt: skip
        raise ValueError("beyond_days must be a number of days below within_days, on a rule with nearest")
    if unless is not None and not isinstance(unless, str):
        raise ValueError("unless must be a column name")
    return BlockingRule(tuple(columns), within_days, nearest, anchor, beyond_days, unless)


class StandardiseOptions(Protocol):
    """What standardising reads of the settings."""

    @property
    def fields(self) -> tuple[FieldSpec, ...]: ...
    @property
    def default_area_code(self) -> str: ...
    @property
    def divisions(self) -> tuple[str, ...]: ...
    @property
    def workers(self) -> int: ...


class BlockingOptions(Protocol):
    """What blocking reads of the settings."""

    @property
    def blocking_rules(self) -> tuple[BlockingRule, ...]: ...
    @property
    def max_block_size(self) -> int: ...
    @property
    def capped_block_window(self) -> int: ...
