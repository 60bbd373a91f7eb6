"""The comparison library: every comparison the settings can name, registered once (Splink's facade)."""

from __future__ import annotations

from collections.abc import Sequence

from matching.comparisons import (
    Comparison,
    DateDiffAtThresholds,
    ExactMatch,
    JaroWinklerAtThresholds,
    LevenshteinAtThresholds,
    RatioAtThresholds,
    TokenOverlap,
    TokenSetAtThresholds,
)
from matching.domain_comparisons import (
    AddressAtThresholds,
    AddressCrowding,
    FactsByKind,
    FactsMatch,
    FlatInProject,
    HandleMatch,
    IdNumberMatch,
    MaskedPhoneMatch,
    MaskedTailMatch,
    MatterWithinTopic,
    PhoneSharing,
    PinyinNameFrequency,
    PinyinNameMatch,
)

# Comparison name (as written in settings.yaml) -> class.
COMPARISONS: dict[str, type[Comparison]] = {
    cls.kind: cls
    for cls in (
        ExactMatch,
        JaroWinklerAtThresholds,
        LevenshteinAtThresholds,
        RatioAtThresholds,
        TokenSetAtThresholds,
        TokenOverlap,
        DateDiffAtThresholds,
        PinyinNameMatch,
        PinyinNameFrequency,
        IdNumberMatch,
        PhoneSharing,
        HandleMatch,
        MaskedPhoneMatch,
        MaskedTailMatch,
        FactsMatch,
        FactsByKind,
        AddressAtThresholds,
        AddressCrowding,
        FlatInProject,
        MatterWithinTopic,
    )
}


def build_comparison(kind: str, column: str, thresholds: Sequence[float] = ()) -> Comparison:
    """Instantiate the comparison registered as ``kind``.

    Args:
        kind: the comparison's name in the settings (``jaro_winkler_at_thresholds``, ``pinyin_name`` ...).
        column: the standardised column (or field prefix) it reads.
        thresholds: its threshold levels.

    Returns:
        The comparison.

    Raises:
        ValueError: for an unknown name, listing the known ones.
    """
    if kind not in COMPARISONS:
        raise ValueError(f"unknown comparison {kind!r}; known: {sorted(COMPARISONS)}")
    return COMPARISONS[kind](column, thresholds)


__all__ = [
    "COMPARISONS",
    "AddressAtThresholds",
    "DateDiffAtThresholds",
    "ExactMatch",
    "FactsByKind",
    "FactsMatch",
    "IdNumberMatch",
    "JaroWinklerAtThresholds",
    "LevenshteinAtThresholds",
    "PinyinNameFrequency",
    "PinyinNameMatch",
    "RatioAtThresholds",
    "TokenSetAtThresholds",
    "build_comparison",
]
