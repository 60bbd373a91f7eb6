"""Expectation suites per source, and the canonical suite any other source falls back to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import great_expectations as gx

from expectations.suites import app, canonical, hotline, netizen, petition, police
from expectations.suites.canonical import WINDOW_END_PARAMETER, canonical_expectations, source_expectations
from expectations.suites.raw import RawSchema

SUITES: dict[str, Callable[..., gx.ExpectationSuite]] = {
    petition.SOURCE: petition.build_suite,
    police.SOURCE: police.build_suite,
    hotline.SOURCE: hotline.build_suite,
    app.SOURCE: app.build_suite,
    netizen.SOURCE: netizen.build_suite,
}
"""Explicit registry: source name -> suite builder. Adding a source adds one line here."""

RAW_SCHEMAS: dict[str, RawSchema] = {
    petition.SOURCE: petition.RAW_SCHEMA,
    police.SOURCE: police.RAW_SCHEMA,
    hotline.SOURCE: hotline.RAW_SCHEMA,
    app.SOURCE: app.RAW_SCHEMA,
    netizen.SOURCE: netizen.RAW_SCHEMA,
}
"""Source name -> the raw columns its payloads must carry (the schema-drift gate); one line per source."""


def build_suite_for(source: str, **params: Any) -> gx.ExpectationSuite:
    """The suite for ``source``; a source without its own suite gets the canonical one.

    The fallback adds the checks tying rows to the source (``source`` value and ``record_id``
    prefix), so a new source is validated before it has a suite of its own.

    Args:
        source: the source name, e.g. ``"police"``.
        **params: tolerances, as for :func:`~expectations.suites.canonical.canonical_expectations`.

    Returns:
        The suite.
    """
    builder = SUITES.get(source)
    if builder is not None:
        return builder(**params)
    mostly = float(params.get("mostly", 1.0))
    return canonical.make_suite(
        f"complaints.{source}",
        [*canonical_expectations(**params), *source_expectations(source, mostly=mostly)],
    )


__all__ = [
    "RAW_SCHEMAS",
    "SUITES",
    "WINDOW_END_PARAMETER",
    "RawSchema",
    "build_suite_for",
    "canonical_expectations",
    "source_expectations",
]
