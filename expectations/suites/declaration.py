"""A source's suite as a declaration, and the one builder every source's suite comes from.

A source's suite module (named by its connector's ``suite``, e.g. ``expectations.suites.police``)
holds ``SUITE = SourceSuite(...)``: its raw schema and what it requires beyond the canonical checks.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import great_expectations as gx

from connectors.base import BaseConnector
from expectations.suites.canonical import canonical_expectations, make_suite, source_expectations
from expectations.suites.raw import RawSchema


@dataclass(frozen=True)
class SourceSuite:
    """What one source's suite checks beyond the canonical record.

    Attributes:
        raw: the raw columns its payloads carry (the schema-drift gate); ``None``: no gate.
        require_district: every row needs a district (the default of ``require_district``).
        require_contact: every row needs a phone or an identity number (the default of ``require_contact``).
        not_null: canonical columns every row of this source has (its mandatory contact field).
    """

    raw: RawSchema | None = None
    require_district: bool = False
    require_contact: bool = True
    not_null: tuple[str, ...] = ()


CANONICAL = SourceSuite()
"""What a source without a suite of its own is checked against: the canonical suite alone."""


def declared_suite(connector: type[BaseConnector]) -> SourceSuite | None:
    """The ``SUITE`` of the module the connector's ``suite`` names, or ``None`` when it names none.

    Raises:
        TypeError: the module holds no ``SUITE`` of type :class:`SourceSuite`.
    """
    if connector.suite is None:
        return None
    declared = getattr(importlib.import_module(connector.suite), "SUITE", None)
    if not isinstance(declared, SourceSuite):
        raise TypeError(
            f"{connector.suite} (suite of {connector.__name__}) declares no SUITE = SourceSuite(...)"
        )
    return declared


def build_source_suite(source: str, declared: SourceSuite, **params: Any) -> gx.ExpectationSuite:
    """The suite ``complaints.<source>``: the canonical checks, the source's identity, its own requirements.

    Args:
        source: the source name, e.g. ``"police"``.
        declared: the source's declaration (:data:`CANONICAL` for a source without one).
        **params: tolerances, as for :func:`~expectations.suites.canonical.canonical_expectations`;
            ``require_district`` and ``require_contact`` default to the declaration's.

    Returns:
        The suite.
    """
    options: dict[str, Any] = {
        "require_district": declared.require_district,
        "require_contact": declared.require_contact,
        **params,
    }
    mostly = float(options.get("mostly", 1.0))
    return make_suite(
        f"complaints.{source}",
        [
            *canonical_expectations(**options),
            *source_expectations(source, mostly=mostly),
            *(
                gx.expectations.ExpectColumnValuesToNotBeNull(column=c, mostly=mostly)
                for c in declared.not_null
            ),
        ],
    )
