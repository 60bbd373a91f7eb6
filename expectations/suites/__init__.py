"""Expectation suites per source, found from the connector registry, and the canonical fallback.

A registered connector names its suite module (``suite = "expectations.suites.police"``), which declares
``SUITE = SourceSuite(...)``; every suite is built by one builder from that declaration. ``SUITES`` and
``RAW_SCHEMAS`` are read-only views derived from the registry, not lists kept beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any, TypeVar

import great_expectations as gx

from connectors.base import BaseConnector
from connectors.registry import CONNECTORS, connector_class
from expectations.suites.canonical import WINDOW_END_PARAMETER, canonical_expectations, source_expectations
from expectations.suites.declaration import CANONICAL, SourceSuite, build_source_suite, declared_suite
from expectations.suites.raw import RawSchema

_T = TypeVar("_T")


def suite_of(source: str) -> SourceSuite | None:
    """The suite declaration of a registered ``source``, or ``None`` (unregistered, or no suite of its own)."""
    try:
        return declared_suite(connector_class(source))
    except KeyError:
        return None


def raw_schema(connector: type[BaseConnector]) -> RawSchema | None:
    """The raw columns the connector's source declares (the schema-drift gate), or ``None``."""
    declared = declared_suite(connector)
    return declared.raw if declared is not None else None


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
    return build_source_suite(source, suite_of(source) or CANONICAL, **params)


class _BySource(Mapping[str, _T]):
    """A read-only view of the registered sources that declare a suite, mapped through ``pick``."""

    def __init__(self, pick: Callable[[type[BaseConnector]], _T | None]) -> None:
        self._pick = pick

    def _items(self) -> dict[str, _T]:
        picked = {cls.source: self._pick(cls) for cls in CONNECTORS}
        return {source: value for source, value in picked.items() if value is not None}

    def __getitem__(self, source: str) -> _T:
        return self._items()[source]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())


SUITES: Mapping[str, Callable[..., gx.ExpectationSuite]] = _BySource(
    lambda cls: partial(build_suite_for, cls.source) if cls.suite is not None else None
)
"""Source name -> suite builder, for every registered source with a suite module (derived)."""

RAW_SCHEMAS: Mapping[str, RawSchema] = _BySource(raw_schema)
"""Source name -> the raw columns its payloads must carry (derived from the suite declarations)."""


__all__ = [
    "RAW_SCHEMAS",
    "SUITES",
    "WINDOW_END_PARAMETER",
    "RawSchema",
    "SourceSuite",
    "build_suite_for",
    "canonical_expectations",
    "raw_schema",
    "source_expectations",
    "suite_of",
]
