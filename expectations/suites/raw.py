"""The raw shape a source promises: the columns its payloads must carry, and the ones it may carry."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RawSchema:
    """A source's raw columns, declared next to its suite and checked by the schema-drift gate.

    Attributes:
        required: columns without which the connector cannot build the record the suite expects
            (primary key, times, category code, content, the source's required contact/district).
            One missing from most of a batch's rows means the source changed its export.
        known: every column the source is documented to send (``connectors/SOURCES.md``); a key outside
            it, appearing while a required one disappears, is reported as the likely new name.
    """

    required: tuple[str, ...]
    known: tuple[str, ...]

    def __post_init__(self) -> None:
        missing = set(self.required) - set(self.known)
        if missing:
            raise ValueError(f"required raw columns {sorted(missing)} are not among the known ones")
