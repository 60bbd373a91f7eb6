"""Comparisons that know the domain: names by sound, resident id numbers, Lanzhou addresses, the flat a
buyer names, quoted facts, what a dispute is over."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from matching.comparisons import Comparison, LevenshteinAtThresholds, PairContext, Scorer, TokenOverlap
from matching.facts import down_to_unit
from matching.normalize import is_nickname


class PinyinNameMatch(Comparison):
    """Null, exact characters, same pinyin (章伟/张伟), same dialect-folded pinyin (陈伟/程伟),
    Jaro-Winkler on pinyin >= each threshold, same surname where one side gives only a surname
    (an operator's 张先生), else.

    ``column`` is the field prefix: reads ``<prefix>_norm``, ``_pinyin``, ``_fuzzy`` and ``_surname``.
    """

    kind = "pinyin_name"

    def required_columns(self) -> tuple[str, ...]:
        return tuple(f"{self.column}_{suffix}" for suffix in ("norm", "pinyin", "fuzzy", "surname"))

    @property
    def labels(self) -> tuple[str, ...]:
        thresholds = (f"pinyin_jw>={t:g}" for t in self.thresholds)
        return ("exact", "homophone", "near_homophone", *thresholds, "surname_only", "else")

    def _assign(self, ctx: PairContext) -> np.ndarray:
        norm, pinyin, fuzzy, surname = self.required_columns()
        position, open_, full = self._null_exact(ctx, norm)
        for level, column in ((1, pinyin), (2, fuzzy)):
            lhs, rhs = ctx.pair_codes(column)
            hit = open_ & (lhs >= 0) & (lhs == rhs)
            position[hit] = level
            open_ &= ~hit
        score = ctx.similarity(pinyin, open_, JaroWinkler.normalized_similarity, 1.0)
        self._thresholds(position, open_, score, first=3)
        # A surname-only name (张先生) against anything: surname agreement is all there is to compare.
        lhs, rhs = ctx.pair_codes(surname)
        partial = ~full & (lhs >= 0) & (rhs >= 0)
        position[partial] = np.where(lhs[partial] == rhs[partial], len(self.labels) - 2, len(self.labels) - 1)
        return position


class PinyinNameFrequency(PinyinNameMatch):
    """:class:`PinyinNameMatch` whose exact level is split by how common the name is in the data at hand:
    ``exact_rare`` (at most ``RARE`` other records carry it), ``exact`` (at most ``COMMON``), ``exact_common``.

    One u for "same name" averages 张伟 with names a single person carries: two records sharing a rare
    name are almost surely one person, two sharing a common one mostly namesakes. Each band gets its own
    m and u, estimated like every level (u from random pairs of the input, m by EM), so how much a rare
    name says is learned from the data in front of the matcher (Splink's term-frequency adjustment, as
    levels). The counts are taken over the whole input of ``dedupe``. ``match_incremental`` sees a batch
    and the pool records fetched for it, not a sample of the city's names: there the counts are the whole
    pool's (``pooled_counts``, :mod:`matching.frequencies`), and without them every exact pair is
    ``exact`` (the middle band, whose packaged m/u give the weight one exact level had).
    """

    kind = "pinyin_name_frequency"
    RARE = 3
    COMMON = 15

    def frequency_columns(self) -> tuple[str, ...]:
        return self.required_columns()[:1]

    @property
    def labels(self) -> tuple[str, ...]:
        return ("exact_rare", "exact", "exact_common", *super().labels[1:])

    def _assign(self, ctx: PairContext) -> np.ndarray:
        # The parent's positions already use these labels' length for else and surname_only (the last
        # two); its homophone and threshold levels (1 .. 2 + thresholds) move down past the two new bands.
        position = super()._assign(ctx)
        shifted = np.where((position > 0) & (position <= 2 + len(self.thresholds)), position + 2, position)
        exact = np.flatnonzero(position == 0)
        shifted[exact] = 1
        if len(exact) and ctx.knows_frequency(self.frequency_columns()[0]):
            others = ctx.others_sharing(self.frequency_columns()[0])[ctx.left[exact]]
            shifted[exact] = np.where(others <= self.RARE, 0, np.where(others <= self.COMMON, 1, 2))
        return shifted


class PhoneSharing(LevenshteinAtThresholds):
    """:class:`LevenshteinAtThresholds` whose exact level is split: ``shared`` where more than ``SHARED``
    other records carry the number.

    A number on a few records is a person's; one on dozens is a switchboard, a community office or a
    grid worker filing for the residents, a police station's line, a public phone. Agreeing on it says
    little about who is who, and its own level's m and u, estimated on the input like every level, say
    how little. The counts are the whole input's in ``dedupe`` and the whole pool's in
    ``match_incremental`` (``pooled_counts``); without them no pair is ``shared``.

    Edits are counted with two neighbouring digits swapped as one (optimal string alignment), as a
    digit typed wrong or left out is: 17553238877 written 17535238877 is one slip, not two.
    """

    kind = "phone_sharing"
    scorer: ClassVar[Scorer] = OSA.normalized_similarity
    # More reports than one person's one dispute or a frequent petitioner's year brings on one number.
    SHARED = 30

    def frequency_columns(self) -> tuple[str, ...]:
        return (self.column,)

    @property
    def labels(self) -> tuple[str, ...]:
        return ("exact", "shared", *super().labels[1:])

    def _assign(self, ctx: PairContext) -> np.ndarray:
        # The parent already places else at these labels' last position; its threshold levels
        # (1 .. thresholds) move down one, past shared.
        position = super()._assign(ctx)
        moved = (position >= 1) & (position <= len(self.thresholds))
        shifted = np.where(moved, position + 1, position)
        exact = np.flatnonzero(position == 0)
        if len(exact) and ctx.knows_frequency(self.column):
            shared = ctx.others_sharing(self.column)[ctx.left[exact]] > self.SHARED
            shifted[exact[shared]] = 1
        return shifted


class HandleMatch(Comparison):
    """Null, exact, ``shared`` (the same nickname, carried by more than ``SHARED`` other records), else: the
    handle a board post is written under.

    A board that names each account (游客36667, 网友c0t4a, lz_cgwq936) gives two writers two handles: agreeing
    on one is ``exact``. Where the writer types what to be called (春城三七, 庐州老表), many may type the same
    words. A nickname on a few posts is one writer's (``exact``); one on dozens is no one's in particular,
    and ``shared`` says how little it tells. The counts are the whole input's in ``dedupe``; a pass of
    ``match_incremental`` sees a batch, not how many of the pool's posts carry a nickname, so there every
    agreeing nickname is ``shared``.
    """

    kind = "handle"
    # More posts than one writer's one dispute brings under one nickname.
    SHARED = 3

    @property
    def labels(self) -> tuple[str, ...]:
        return ("exact", "shared", "else")

    def _assign(self, ctx: PairContext) -> np.ndarray:
        position, _, _ = self._null_exact(ctx, self.column)
        exact = np.flatnonzero(position == 0)
        if len(exact):
            chosen = ctx.derived_codes(
                f"{self.column}#nickname", lambda columns: _nicknames(columns[self.column])
            )
            shared = chosen[ctx.left[exact]] > 0
            if ctx.knows_frequency(self.column):
                shared &= ctx.others_sharing(self.column)[ctx.left[exact]] > self.SHARED
            position[exact[shared]] = 1
        return position


def _nicknames(values: np.ndarray) -> np.ndarray:
    """1 where a record's handle is a nickname (:func:`matching.normalize.is_nickname`), else 0."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    table = np.array([int(is_nickname(str(value))) for value in uniques] + [0], dtype=np.int64)
    flags: np.ndarray = table[codes]
    return flags


class MaskedPhoneMatch(Comparison):
    """Null, every digit shown agrees, else: a mobile shown with digits hidden (``<prefix>_masked``:
    138****6658, :mod:`matching._masked_phones`) against a whole mobile (``<prefix>_norm`` where
    ``<prefix>_mobile``) or another masked one. A board prints its writer's number so, and the hotline
    logged it whole: seven digits agreeing in place say one person nearly as surely as the whole number.
    Null unless one side is masked and the other has a mobile (two whole numbers are the phone
    comparison's)."""

    kind = "masked_phone"

    def required_columns(self) -> tuple[str, ...]:
        return (f"{self.column}_masked", f"{self.column}_norm", f"{self.column}_mobile")

    @property
    def labels(self) -> tuple[str, ...]:
        return ("shown_agree", "else")

    def _assign(self, ctx: PairContext) -> np.ndarray:
        masked, norm, mobile = self.required_columns()
        places = ctx.derived_codes(
            f"{masked}#places", lambda columns: mobile_places(columns[masked], columns[norm], columns[mobile])
        )
        kind_l, kind_r = places[ctx.left, -1], places[ctx.right, -1]
        position = np.full(len(ctx.left), -1, dtype=np.int64)
        # Pairs of whole numbers (nearly all) are left null before any digit is read.
        rows = np.flatnonzero((kind_l > 0) & (kind_r > 0) & ((kind_l == _MASKED) | (kind_r == _MASKED)))
        if len(rows):
            left, right = places[ctx.left[rows], :-1], places[ctx.right[rows], :-1]
            agree = ((left == right) | (left == _HIDDEN_PLACE) | (right == _HIDDEN_PLACE)).all(axis=1)
            position[rows] = np.where(agree, 0, 1)
        return position


class MaskedTailMatch(Comparison):
    """Null, the last four digits agree, else: a mobile shown by its last four digits alone
    (``<prefix>_tail_only``: *******6658, :func:`matching._masked_phones.mobile_tail_shown`) against a
    whole mobile's last four or another such number's (``<prefix>_tail``). One number in ten thousand ends
    so by chance: weaker than :class:`MaskedPhoneMatch`'s seven digits, and learnt as its own comparison.
    Null unless one side is shown so (two whole numbers are the phone comparison's)."""

    kind = "masked_tail"

    def required_columns(self) -> tuple[str, ...]:
        return (f"{self.column}_tail_only", f"{self.column}_tail")

    @property
    def labels(self) -> tuple[str, ...]:
        return ("tail_agree", "else")

    def _assign(self, ctx: PairContext) -> np.ndarray:
        only, tail = self.required_columns()
        only_l, only_r = ctx.pair_codes(only)
        tail_l, tail_r = ctx.pair_codes(tail)
        position = np.full(len(only_l), -1, dtype=np.int64)
        rows = ((only_l >= 0) | (only_r >= 0)) & (tail_l >= 0) & (tail_r >= 0)
        position[rows] = np.where(tail_l[rows] == tail_r[rows], 0, 1)
        return position


_WHOLE, _MASKED = 1, 2
_HIDDEN_PLACE = ord("*")


def mobile_places(masked: np.ndarray, norm: np.ndarray, mobile: np.ndarray) -> np.ndarray:
    """Per record, its mobile's eleven places as code points (``*`` for a hidden digit) and, last, what it
    is: 0 no mobile, 1 a whole one, 2 a masked one. The masked number is read where both are given."""
    masked, norm = np.asarray(masked, dtype=object), np.asarray(norm, dtype=object)
    whole = pd.notna(norm) & np.asarray(pd.Series(mobile).fillna(False), dtype=bool)
    shown = pd.notna(masked)
    kind = np.where(shown, _MASKED, np.where(whole, _WHOLE, 0)).astype(np.int32)
    numbers = np.where(shown, masked, np.where(whole, norm, "0" * 11)).astype("<U11")
    places = numbers.view(np.int32).reshape(len(numbers), 11) if len(numbers) else np.zeros((0, 11), np.int32)
    return np.column_stack([places, kind])


class IdNumberMatch(Comparison):
    """Null, exact, similar (a typo: Levenshtein similarity >= each threshold, at most one side valid),
    both valid but different (two people: its own, strongly negative level), else.

    ``column`` is the field prefix: reads ``<prefix>_norm`` and ``<prefix>_valid``.
    """

    kind = "id_number"

    def required_columns(self) -> tuple[str, ...]:
        return (f"{self.column}_norm", f"{self.column}_valid")

    @property
    def labels(self) -> tuple[str, ...]:
        return ("exact", *(f"similarity>={t:g}" for t in self.thresholds), "both_valid_different", "else")

    def _assign(self, ctx: PairContext) -> np.ndarray:
        norm, valid = self.required_columns()
        position, open_, _ = self._null_exact(ctx, norm)
        flags = np.asarray(ctx.columns[valid], dtype=bool)
        conflict = open_ & flags[ctx.left] & flags[ctx.right]
        position[conflict] = len(self.thresholds) + 1
        open_ &= ~conflict
        score = ctx.similarity(norm, open_, Levenshtein.normalized_similarity, 1.0)
        self._thresholds(position, open_, score, first=1)
        return position


class AddressAtThresholds(Comparison):
    """Null, exact folded address, same road + number key, same named place (compound, project,
    landmark), same road, ``fuzz.ratio`` >= each threshold, else.

    ``column`` is the field prefix: reads ``<prefix>_norm``, ``_key``, ``_place`` and ``_road``.
    """

    kind = "address"

    def required_columns(self) -> tuple[str, ...]:
        return tuple(f"{self.column}_{suffix}" for suffix in ("norm", "key", "place", "road"))

    @property
    def labels(self) -> tuple[str, ...]:
        return (
            "exact",
            "same_key",
            "same_place",
            "same_road",
            *(f"ratio>={t:g}" for t in self.thresholds),
            "else",
        )

    def _assign(self, ctx: PairContext) -> np.ndarray:
        norm, key, place, road = self.required_columns()
        position, open_, _ = self._null_exact(ctx, norm)
        for level, column in ((1, key), (2, place), (3, road)):
            lhs, rhs = ctx.pair_codes(column)
            hit = open_ & (lhs >= 0) & (lhs == rhs)
            position[hit] = level
            open_ &= ~hit
        score = ctx.similarity(norm, open_, fuzz.ratio, 100.0)
        self._thresholds(position, open_, score, first=4)
        return position


class AddressCrowding(AddressAtThresholds):
    """:class:`AddressAtThresholds` with one more level, ``crowded``: the address (or its road + number,
    or its named place) agrees, but more than ``CROWDED`` other records of the input carry that value.

    A home address shared by two records says they are one household; a project site, a stalled
    compound or an investment firm's office is written by every member of a group dispute (forty
    buyers, sixty workers), where agreeing on it says little about who is who (Splink's term-frequency
    adjustment, as a level whose m and u are estimated like every other). As with the name's bands, the
    counts are taken over the whole input of ``dedupe``, and over the whole pool in ``match_incremental``
    (``pooled_counts``, :mod:`matching.frequencies`); without them a batch and the records fetched for it
    say nothing of how common a place is, and no pair is ``crowded``.
    """

    kind = "address_crowding"
    CROWDED = 10

    def frequency_columns(self) -> tuple[str, ...]:
        return self.required_columns()[:3]

    @property
    def labels(self) -> tuple[str, ...]:
        base = super().labels
        return (*base[:3], "crowded", *base[3:])

    def _assign(self, ctx: PairContext) -> np.ndarray:
        # The parent already places else at these labels' last position; its same_road and threshold
        # levels (3 .. 3 + thresholds) move down one, past crowded.
        position = super()._assign(ctx)
        moved = (position >= 3) & (position <= 3 + len(self.thresholds))
        shifted = np.where(moved, position + 1, position)
        for level, column in zip((0, 1, 2), self.frequency_columns(), strict=True):
            at = np.flatnonzero(position == level)
            if len(at) == 0 or not ctx.knows_frequency(column):
                continue
            crowded = ctx.others_sharing(column)[ctx.left[at]] > self.CROWDED
            shifted[at[crowded]] = 3
        return shifted


class FactsMatch(Comparison):
    """Null, exact, facts of the types both quote all shared (overlap >= 1) / partly shared (>= each
    further threshold), else (both quote e.g. a sum, and the sums differ).

    ``column`` holds typed fact tokens (``a32000 d20240801``, :func:`matching._content.content_facts`).
    Only types present on both sides count: a text quoting a sum and one quoting a date are not
    comparable (null). The overlap is shared tokens over the smaller side's count of comparable tokens.
    """

    kind = "facts"
    WIDTH = 10  # facts per text compared; sums, dates and names rarely exceed it
    _WIDTH_GROUPS = (1, 2, 3, 4, 6)  # pairs are compared in groups needing at most this many slots

    @property
    def labels(self) -> tuple[str, ...]:
        return ("exact", *(f"overlap>={t:g}" for t in self.thresholds), "else")

    def _no_common_kind(self) -> int:
        """The position of a pair whose texts quote facts of no common kind: null here."""
        return -1

    def _assign(self, ctx: PairContext) -> np.ndarray:
        position, open_, _ = self._null_exact(ctx, self.column)
        hashes, kinds = ctx.token_matrix(self.column, self.WIDTH)
        low, high = ctx.token_bounds(self.column, self.WIDTH)
        rows = np.flatnonzero(open_)
        # Tokens fill each record's slots from the left, so a pair needs only as many slots as its longer
        # side has tokens: most texts quote one to three facts, and the slot-by-slot comparison below is
        # quadratic in the width. Pairs are compared in groups of similar width (same result, ~5x less work).
        counts = ctx.token_counts(self.column, self.WIDTH)
        width = np.maximum(counts[ctx.left[rows]], counts[ctx.right[rows]])
        shared = np.zeros(len(rows), dtype=np.int64)
        comparable = np.zeros(len(rows), dtype=np.int64)
        floor = 0
        for ceiling in (*(w for w in self._WIDTH_GROUPS if w < hashes.shape[1]), hashes.shape[1]):
            group = np.flatnonzero((width > floor) & (width <= ceiling))
            floor = ceiling
            if len(group) == 0:
                continue
            left, right = ctx.left[rows[group]], ctx.right[rows[group]]
            shared[group], comparable[group] = _shared_facts(
                *(a[left, :ceiling] for a in (hashes, kinds, low, high)),
                *(a[right, :ceiling] for a in (hashes, kinds, low, high)),
            )
        score = np.zeros(len(position))
        score[rows] = shared / np.maximum(comparable, 1)
        position[rows[comparable == 0]] = self._no_common_kind()
        open_[rows[comparable == 0]] = False
        self._thresholds(position, open_, score, first=1)
        return position


def _shared_facts(
    lh: np.ndarray, lk: np.ndarray, llo: np.ndarray, lhi: np.ndarray,
    rh: np.ndarray, rk: np.ndarray, rlo: np.ndarray, rhi: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Per pair of token rows (hashes, types, bounds): how many right tokens agree with a left one, and how
    many tokens the smaller side has of a type the other side quotes too."""
    l_in = np.zeros(lk.shape, dtype=bool)
    r_in = np.zeros(rk.shape, dtype=bool)
    matched = np.zeros(rk.shape, dtype=bool)  # right token k agrees with some left token
    for k in range(lh.shape[1]):
        l_in |= (lk == rk[:, k : k + 1]) & (lk != 0)
        r_in |= (rk == lk[:, k : k + 1]) & (rk != 0)
        matched[:, k] = ((lh == rh[:, k : k + 1]) & (lh != 0)).any(axis=1)
    # Bounded facts of one type agree when one lies inside the other: 23000元 in 两万多, 2024年8月1日
    # in 2024年8月. Overlapping ranges (约3万, 三万多) do not. Only pairs with bounds on both sides.
    both = np.flatnonzero(~np.isnan(llo).all(axis=1) & ~np.isnan(rlo).all(axis=1))
    if len(both):
        sk, slo, shi = lk[both], llo[both], lhi[both]
        with np.errstate(invalid="ignore"):  # NaN bounds (not a quantity) compare False
            for k in range(lh.shape[1]):
                r_low, r_high = rlo[both, k : k + 1], rhi[both, k : k + 1]
                nested = (sk == rk[both, k : k + 1]) & (
                    ((slo >= r_low) & (shi <= r_high)) | ((r_low >= slo) & (r_high <= shi))
                )
                matched[both, k] |= nested.any(axis=1)
    return matched.sum(axis=1), np.minimum(l_in.sum(axis=1), r_in.sum(axis=1))


class FactsByKind(FactsMatch):
    """:class:`FactsMatch` with one more level, ``other_kinds``: both texts quote facts but none of a kind
    the other quotes (a sum against a flat). :class:`FactsMatch` calls that null, but it is evidence: two
    reports of one dispute mostly quote the same kinds of fact, one person's two disputes (wages, a
    neighbour) mostly not. Its m and u are estimated like every level's. A side quoting nothing stays null.
    """

    kind = "facts_by_kind"

    @property
    def labels(self) -> tuple[str, ...]:
        return (*super().labels[:-1], "other_kinds", "else")

    def _no_common_kind(self) -> int:
        return len(self.labels) - 2


class MatterWithinTopic(TokenOverlap):
    """Null, the same matters, a matter shared, none shared: the matters two descriptions name
    (``<prefix>_matters``: the heating, the lift, a child's support), asked only of pairs whose topics
    (``<prefix>_topics``: property, family) share one; null for every other pair.

    A matter is part of its topic: two reports over the heating are first two reports on property, which
    the topic comparison weighs. Asked of every pair, the matter would count that agreement a second time
    (the model multiplies its comparisons as if independent). Given a shared topic, it says only what the
    topic does not: which of the topic's disputes this is (a flat's heating or its leaking roof).

    ``column`` is the field prefix (``content``).
    """

    kind = "matter_within_topic"

    def required_columns(self) -> tuple[str, ...]:
        return (f"{self.column}_matters", f"{self.column}_topics")

    def _assign(self, ctx: PairContext) -> np.ndarray:
        matters, topics = self.required_columns()
        position = self._overlap(ctx, matters)
        masks = ctx.token_masks(topics)
        position[(masks[ctx.left] & masks[ctx.right]) == 0] = -1  # no topic in common: not asked
        return position


class FlatInProject(Comparison):
    """Null, the same flat of the same project, else: the flat a report's words name (``<prefix>_flat``:
    6号楼3单元2802室, ``r6-3-2802``; 6栋2802, ``r6-2802``) within the project they name (a ``p`` token of
    ``<prefix>_facts``: 龙鑫花园, ``p龙鑫``). A person comparison: a buyer's flat is her home, however she
    reports it (an anonymous netizen message and an app request with no name share nothing else), and
    two people rarely name one flat of one project. Without the project a flat number is no one's
    (10号楼3单元1203 is in every development), nor without its building (2802室). A flat said without its
    unit (6栋2802) is the one said with it (6号楼3单元2802) as far as it says: people leave the unit out as
    often as they give it. Two units given and different are two flats. Null unless both name a flat and a
    project.

    With ``column`` ``content|address``, a report whose words name no flat in a project is read by the flat
    its address field names at the place it names (贵驷新苑2幢2单元1303室 against 公园路贵驷新苑2-2-1303: the
    caller's home, and the police's note of where the caller lives), compared with another address's flat
    at its place; a flat in the words is compared with a flat in the words."""

    kind = "flat_in_project"

    def __init__(self, column: str, thresholds: Sequence[float] = ()) -> None:
        text, _, address = column.partition("|")
        super().__init__(text, thresholds)
        self.address = address or None

    def required_columns(self) -> tuple[str, ...]:
        text = (f"{self.column}_flat", f"{self.column}_facts")
        return text if self.address is None else (*text, f"{self.address}_flat", f"{self.address}_place")

    @property
    def labels(self) -> tuple[str, ...]:
        return ("exact", "else")

    def _assign(self, ctx: PairContext) -> np.ndarray:
        homes = ctx.derived_codes(f"{self.column}|{self.address}#home", lambda c: self._homes(c, unit=True))
        buildings = ctx.derived_codes(
            f"{self.column}|{self.address}#building", lambda c: self._homes(c, unit=False)
        )
        lhs, rhs = buildings[ctx.left], buildings[ctx.right]
        # one flat: the same building and room in one project, and the same unit where both give one
        one = (lhs == rhs) & (
            (homes[ctx.left] == homes[ctx.right]) | (homes[ctx.left] < 0) | (homes[ctx.right] < 0)
        )
        position = np.where((lhs >= 0) & (rhs >= 0), np.where(one, 0, 1), -1)
        return position

    def _homes(self, columns: Mapping[str, np.ndarray], unit: bool) -> np.ndarray:
        """Per record, a code for its home (:func:`flat_in_project`), else its address's flat at its place."""
        homes = flat_in_project(
            columns[f"{self.column}_flat"], columns[f"{self.column}_facts"], unit, codes=False
        )
        if self.address is not None:
            # the place as the address names it, marked apart from a project token of the words (p:贵驷新苑)
            places = pd.Series(columns[f"{self.address}_place"], dtype=object).str.replace(
                " ", "", regex=False
            )
            at_address = flat_in_project(
                columns[f"{self.address}_flat"], ("p:" + places).to_numpy(), unit, codes=False
            )
            homes = np.where(pd.isna(homes), at_address, homes)
        out: np.ndarray = pd.factorize(homes, use_na_sentinel=True)[0]
        return out


def flat_in_project(
    flats: np.ndarray, facts: np.ndarray, unit: bool = True, codes: bool = True
) -> np.ndarray:
    """Per record, a code for the flat its words name within the first project they name (``r6-3-2802``
    with ``p龙鑫``), -1 for none; judged once per distinct flat and facts.

    Args:
        flats: the flats (``r`` tokens) the texts name.
        facts: the texts' fact tokens, for the project.
        unit: ``True``: only flats named down to their unit, as named; ``False``: every flat named with its
            building (``r6-2802`` too), without its unit (``r6-3-2802`` as ``r6-2802``).
        codes: ``False``: the homes themselves (``r6-3-2802@p龙鑫``, ``None`` for none), not their codes.
    """
    flats, facts = np.asarray(flats, dtype=object), np.asarray(facts, dtype=object)
    named = pd.notna(flats) & pd.notna(facts)
    homes = np.full(len(flats), None, dtype=object)
    if named.any():
        pairs = pd.Series(flats[named]).str.cat(pd.Series(facts[named]), sep=" ").to_numpy(dtype=object)
        found, distinct = pd.factorize(pairs)
        table = np.array(
            [_flat_and_project(value, unit) for value in distinct.tolist()] + [None], dtype=object
        )
        homes[named] = table[found]
    if not codes:
        return homes
    out: np.ndarray = pd.factorize(homes, use_na_sentinel=True)[0]
    return out


def _flat_and_project(flat_and_facts: str, unit: bool = True) -> str | None:
    flat, *facts = flat_and_facts.split()
    projects = sorted(token for token in facts if token[0] == "p")
    if not projects or not flat.startswith("r"):
        return None
    if unit:
        return f"{flat}@{projects[0]}" if down_to_unit(flat) else None
    parts = flat.split("-")
    return f"{parts[0]}-{parts[-1]}@{projects[0]}" if len(parts) in (2, 3) else None
