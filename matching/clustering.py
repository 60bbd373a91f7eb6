"""Clustering: connected components over merge edges, with guards against chaining two people into one case.

Edges are taken in descending weight by a union-find that refuses a union when the two clusters hold
different valid id numbers, unless the ids were given under different names and the clusters share a
mobile or a home (``id_number``: a relative filing with her own id from the family's mobile is the same
complainant's case), hold two records that differ in both mobile and name with no id number, home, or
name at one road and number in common (``mobile_and_name``), quote sums (or flats, or projects) none
of which the other quotes (``facts``: one person's two disputes chain through a report that quotes
nothing), or hold a pair a reviewer called different, or (``name_without_contact``) name two different
people and share no phone or id number (:func:`name_without_contact`), or (``topics``, ``matters``) name
disjoint topics (matters) and would be joined through a report naming none (a police line 纠纷求助 paired
with each of one caller's disputes; 邻里纠纷 with each of her quarrels with neighbours).
Components that cannot trip a guard (the vast majority) are labelled by vectorised connected
components; only the rest go through the Python union-find, so 1M records cluster in seconds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz.distance import JaroWinkler

from matching._address import village_house
from matching._arrays import sorted_unique, unique_inverse
from matching.blocking import column_codes
from matching.facts import down_to_unit


def case_id_for(record_id: str) -> str:
    """The deterministic case id of a cluster whose smallest record id is ``record_id``."""
    return "case-" + hashlib.sha1(record_id.encode("utf-8")).hexdigest()[:16]


def cluster_ids(ids: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """``case_id_for`` of each record's cluster, hashing each cluster once.

    Args:
        ids: record ids sorted ascending (position order is id order).
        labels: per record, its cluster's smallest member position.
    """
    unique, inverse = unique_inverse(labels)
    names = np.array([case_id_for(str(ids[k])) for k in unique], dtype=object)
    out: np.ndarray = names[inverse.ravel()]
    return out


def name_without_contact(
    gammas: Mapping[str, np.ndarray], exact: Mapping[str, int], anchored: np.ndarray | None = None,
    household: np.ndarray | None = None, crowded: np.ndarray | None = None, near: np.ndarray | None = None,
) -> np.ndarray:  # fmt: skip
    """Per pair: no ``phone`` or ``id`` number in common (neither at its exact level, gamma
    ``exact[name]``) and two names that disagree outright (the ``name`` comparison's last level, gamma 0:
    not a homophone, not a near spelling) unless the two reports name the same flat (``household``,
    :func:`shared_anchors`), or an operator's 张先生 against a 张 who gave another phone
    (``surname_only`` with phones that differ) unless the two reports quote the same sum or flat
    (``anchored``): the members of one group dispute are owed different sums and bought different flats
    (on the 24 drawn 20k worlds of seeds 1 and 2, 731 of the 736 such pairs scoring >= 0.8 were one case;
    without a shared sum or flat, 1,035 of 6,119). The same holds for 张先生 against a 张 when one of
    them gave no phone and their addresses agree only at a place many records write (``crowded``: a
    group's site, where every member with that surname would agree as much): of such pairs scoring >= 0.8
    without a shared sum or flat, 1,046 were one case and 3,365 two. And for two full names that are only
    a near spelling of each other (``near``: the name comparison's Jaro-Winkler levels, 王娅 / 王燕, not a
    homophone) at such a site with no phone in common: 171 one case, 2,878 two.

    Such a pair is two people by everything that names a person; what makes the model sure of it is the
    dispute (same project, same sums, same day), which the members of one group dispute share (ten
    buyers of one stalled project report it the same morning). Under the ``name_without_contact``
    guard its edge does not join clusters; the pair keeps its score and decision, and a reviewer's
    *same* still joins it. Two full names that disagree are one household, not strangers, when the two
    reports name one flat (a husband filing under his own name for his wife's flat: of the pairs scoring
    >= 0.8 on those worlds, 284 were one case and 3 two); a shared sum does not make them one (638 and 461:
    group members quote the group's total). The guard also refuses, in the union-find, to join two
    clusters that name two different people (full names below :data:`SIMILAR_NAME` in pinyin) and share
    no phone or id number, so an honorific 张先生 cannot chain two members of one group.
    """
    name, phone = gammas["name"], gammas["phone"]
    untied = phone == 0
    if crowded is not None:
        untied |= (phone == -1) & crowded
    # Names that agree only in part: 张先生 against a 张 with no phone in common (another one, or at a
    # group's site none), or a near spelling (王娅 / 王燕) at a group's site. A shared sum or flat excuses.
    partly = (name == 1) & untied
    if crowded is not None and near is not None:
        partly |= near & crowded & (phone <= 0)
    if anchored is not None:
        partly &= ~anchored
    full = name == 0
    if household is not None:
        full &= ~household
    result: np.ndarray = (full | partly) & (phone != exact["phone"]) & (gammas["id"] != exact["id"])
    if "masked_phone" in gammas and "masked_phone" in exact:
        # A board's masked number whose every shown digit is the other's mobile is a phone in common.
        result &= gammas["masked_phone"] != exact["masked_phone"]
    return result


def shared_anchors(
    frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, homes: list[np.ndarray] | None = None,
    codes: dict[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Per pair, ``(anchored, household)``.

    ``household``: the two records name one flat down to its unit, in the address (``address_flat``) or in
    the words (``content_flat``), either in either (14号楼5单元1403 as one's home, 14栋5单元1403室 in the other's
    complaint), or one village house down to its number in the address (五一村11社118号): one household's.
    A room without a unit (an office's 1501室) is no home, nor is a village group (华林村9社). ``homes``:
    :func:`home_flats` of the frame, when already read. ``anchored``: that, or the same largest sum or the
    same flat in the words (``content_sum``, ``content_flat``:
    :func:`matching.facts.fact_anchors`). ``codes``: factor codes of those columns already taken
    (:func:`matching.blocking.column_codes`). Columns the frame lacks are never shared.
    """
    anchored = np.zeros(len(left), dtype=bool)
    for column in ("content_sum", "content_flat"):
        if column in frame:
            values = column_codes(frame, column, codes)
            anchored |= (values[left] == values[right]) & (values[left] >= 0)
    household = np.zeros(len(left), dtype=bool)
    homes = home_flats(frame) if homes is None else homes
    for mine in homes:
        for theirs in homes:
            household |= (mine[left] == theirs[right]) & (mine[left] >= 0)
    return anchored | household, household


def claims_at_one_home(
    frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, address_agrees: np.ndarray,
    codes: dict[str, np.ndarray] | None = None,
) -> np.ndarray:  # fmt: skip
    """Per pair: the two reports quote the same largest sum (``content_sum``) from one home: one household's
    claim, filed by two of its people (a wife on the app under her own name, her husband's petition about
    his wages). The address agrees (``address_agrees``: the address comparison's exact, road-and-number or
    place level, not ``crowded``), at most :data:`HOUSEHOLD_NAMES` full names of the input write it
    (``address_key``, ``name_pinyin``), and it is not the dispute's site: no project or company either
    report's words name (``content_facts``) is in it, for two buyers of one stalled project quote one
    price from its site. ``codes``: factor codes already taken (:func:`matching.blocking.column_codes`).
    Columns the frame lacks are never shared."""
    found: np.ndarray = np.zeros(len(left), dtype=bool)
    needed = {"content_sum", "content_facts", "address_key", "address_norm", "name_pinyin"}
    if not needed <= set(frame.columns):
        return found
    sums = column_codes(frame, "content_sum", codes)
    found = address_agrees & (sums[left] == sums[right]) & (sums[left] >= 0)
    if not found.any():
        return found
    keys = column_codes(frame, "address_key", codes)
    found &= keys[left] >= 0
    # Names are counted only at the addresses of those pairs (a few thousand of a million records' keys).
    wanted = np.zeros(int(keys.max(initial=-1)) + 1, dtype=bool)
    wanted[keys[left[found]]] = True
    members = np.flatnonzero((keys >= 0) & wanted[np.maximum(keys, 0)])
    pinyin = frame["name_pinyin"].to_numpy(dtype=object)[members]
    names = _distinct_per_label(keys[members], pinyin, size=len(wanted))
    found[found] = names[keys[left[found]]] <= HOUSEHOLD_NAMES
    # The few pairs left are read one by one: the words' projects and companies against the two addresses.
    facts = frame["content_facts"].to_numpy(dtype=object)
    addresses = frame["address_norm"].to_numpy(dtype=object)
    for k in np.flatnonzero(found).tolist():
        a, b = int(left[k]), int(right[k])
        written = f"{addresses[a]} {addresses[b]}"
        named = [token[1:] for value in (facts[a], facts[b]) if isinstance(value, str)
                 for token in value.split() if token[0] in "po"]  # fmt: skip
        found[k] = not any(all(char in written for char in name) for name in named)
    return found


def home_flats(frame: pd.DataFrame) -> list[np.ndarray]:
    """Per record, in one code space (-1: none), the home its address names (the flat down to its unit,
    ``address_flat``, else the village house, from ``address_norm`` and ``address_place``:
    :func:`matching._address.village_house`) and the flat its words name (``content_flat``). An address's
    flat that more full names write than a family's is none (:func:`_crowded_flats`)."""
    columns: list[np.ndarray] = []
    villages = "address_norm" in frame and "address_place" in frame
    if "address_flat" in frame or villages:
        none = np.full(len(frame), None, dtype=object)
        flats = frame["address_flat"].to_numpy(dtype=object) if "address_flat" in frame else none
        columns.append(np.where(pd.isna(flats), _village_houses(frame), flats) if villages else flats)
    if "content_flat" in frame:
        columns.append(frame["content_flat"].to_numpy(dtype=object))
    if not columns:
        return []
    codes, values = pd.factorize(np.concatenate(columns), use_na_sentinel=True)
    # building-unit-room (r14-5-1403), judged once per distinct flat; -1 (none) stays none
    unit = np.array([down_to_unit(value) for value in values.tolist()] + [False])
    codes = np.where(unit[codes], codes, -1)
    n = len(frame)
    homes = [codes[k * n : (k + 1) * n] for k in range(len(columns))]
    if "address_flat" in frame and "address_place" in frame and "name_pinyin" in frame:
        homes[0] = np.where(_crowded_flats(frame), -1, homes[0])
    return homes


def _crowded_flats(frame: pd.DataFrame) -> np.ndarray:
    """Per record, whether the flat its address names, at the place it names (``address_flat`` at
    ``address_place``), is written by more than :data:`HOME_NAMES` full names of the input: no home but an
    office a firm registers its clients at, a dormitory, or a form's default (Changchun's set writes
    1栋1单元101 for 7% of its people), whose strangers the household excuse would join."""
    flats = frame["address_flat"].to_numpy(dtype=object)
    places = frame["address_place"].to_numpy(dtype=object)
    known = pd.notna(flats) & pd.notna(places)
    crowded = np.zeros(len(frame), dtype=bool)
    if not known.any():
        return crowded
    keys = pd.factorize(flats[known] + "@" + places[known])[0]
    names = _distinct_per_label(keys, frame["name_pinyin"].to_numpy(dtype=object)[known])
    crowded[known] = names[keys] > HOME_NAMES
    return crowded


def _village_houses(frame: pd.DataFrame) -> np.ndarray:
    """Per record, the village house its address names (``v五一村-11-118``), else ``None``; judged once per
    distinct folded address naming a village (its place taken from the first record writing it)."""
    codes, norms = pd.factorize(frame["address_norm"].to_numpy(dtype=object), use_na_sentinel=True)
    table = np.full(len(norms) + 1, None, dtype=object)
    village = pd.Series(norms, dtype=object).str.contains("村", regex=False).to_numpy(dtype=bool)
    rural = np.flatnonzero(village)
    if len(rural):
        places = frame["address_place"].to_numpy(dtype=object)
        first = np.full(len(norms), -1, dtype=np.int64)
        present = np.flatnonzero(codes >= 0)
        first[codes[present][::-1]] = present[::-1]  # the earliest record writing each address
        pairs = zip(norms[rural].tolist(), places[first[rural]].tolist(), strict=True)
        table[rural] = [village_house(norm, place) for norm, place in pairs]
    out: np.ndarray = table[codes]
    return out


def connected_components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Component label (the smallest member position) per node, by min-label hooking and pointer jumping."""
    labels = np.arange(n, dtype=np.int64)
    if len(left) == 0:
        return labels
    while True:
        low = np.minimum(labels[left], labels[right])
        new = labels.copy()
        for ends in (left, right, labels[left], labels[right]):
            np.minimum.at(new, ends, low)
        while not np.array_equal(new[new], new):
            new = new[new]
        if np.array_equal(new, labels):
            return labels
        labels = new


@dataclass
class GuardData:
    """Per-record identity evidence the guards read (positions align with the clustered records)."""

    valid_id: np.ndarray  # object: the id number when valid, else None
    mobile: np.ndarray  # object: the mobile number, else None
    name: np.ndarray  # object: the dialect-folded pinyin name, else None
    guards: tuple[str, ...] = ("id_number", "mobile_and_name")
    cannot_link: list[tuple[int, int]] = field(default_factory=list)
    existing_case: np.ndarray | None = None  # incremental: code of the record's existing case, -1 if new
    facts: np.ndarray | None = (
        None  # object: the sums, flats, projects and durations a record quotes ("a32000 r7-5-902 t3m"), else None
    )
    # name_without_contact: the full name's pinyin (None for 张先生 or no name), and the phone and id
    # number as written (valid or not), for the cluster-level check.
    pinyin: np.ndarray | None = None
    phone: np.ndarray | None = None
    id_number: np.ndarray | None = None
    # The mobile's first three and last four digits (phone_key), which a masked number shows (138****6658):
    # a board's masked number and the hotline's whole one are a phone in common, as they are for a pair.
    phone_key: np.ndarray | None = None
    # name_without_contact and mobile_and_name: the homes a record names, one array per place it may name
    # one (its address: a flat down to the unit or a village house; its words: a flat; a code each, -1
    # none). Two clusters naming one home are one household's, not two strangers (as for a pair:
    # shared_anchors).
    homes: list[np.ndarray] | None = None
    # mobile_and_name: per record, whether it is a report filed for someone else (its mobile the filer's).
    proxy: np.ndarray | None = None
    # mobile_and_name: per record, its name (name_fuzzy) at its road and number (address_key), else None.
    residents: np.ndarray | None = None
    # facts: the day each record was reported (reported_days), which dates the durations it quotes.
    days: np.ndarray | None = None
    # facts: the employers and projects a record names, whole ("o天腾 p红星嘉园"), else None. One person's
    # reports naming one of them are one dispute whatever sums and durations they quote
    # (_UnionFind.one_person_one_subject).
    subjects: np.ndarray | None = None
    # topics: what each record's words say the dispute is about ("wages housing"), else None; matters:
    # what inside its topic ("heating"), else None.
    topics: np.ndarray | None = None
    matters: np.ndarray | None = None

    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame, guards: tuple[str, ...], proxy_flag: str | None = None,
        homes: list[np.ndarray] | None = None, agent_flag: str | None = None,
    ) -> GuardData:  # fmt: skip
        """Read ``id_norm``/``id_valid``, ``phone_norm``/``phone_mobile``, ``name_fuzzy``, ``content_facts``
        (with ``reported_days``; a ``content_group`` text's sums are not guarded),
        the homes (:func:`home_flats`, or ``homes`` when the pair check has read them), the ``proxy_flag``
        column (a report filed for someone else), the ``agent_flag`` column (filed by an agent, whose line
        is no contact of the person's) and (guard ``topics``) ``content_topics`` when present."""
        n = len(frame)
        none = np.full(n, None, dtype=object)
        valid_id = none.copy()
        if "id_norm" in frame and "id_valid" in frame:
            flags = frame["id_valid"].to_numpy(dtype=bool)
            valid_id[flags] = frame["id_norm"].to_numpy(dtype=object)[flags]
        mobile = none.copy()
        if "phone_norm" in frame and "phone_mobile" in frame:
            flags = frame["phone_mobile"].to_numpy(dtype=bool)
            mobile[flags] = frame["phone_norm"].to_numpy(dtype=object)[flags]
        name = frame["name_fuzzy"].to_numpy(dtype=object) if "name_fuzzy" in frame else none
        facts = days = subjects = None
        if "facts" in guards and "content_facts" in frame:
            codes, values = pd.factorize(frame["content_facts"].to_numpy(dtype=object), use_na_sentinel=True)
            table = np.array([_guarded_facts(v) for v in values.tolist()] + [None], dtype=object)
            facts = table[codes]
            if "content_group" in frame:
                # A text speaking for many people's money (及13名工友, 其本人被欠): its sums are a crew's or
                # a total as often as the filer's own, and are not held against another report's.
                group = frame["content_group"].fillna(False).to_numpy(dtype=bool) & (codes >= 0)
                unsummed = np.array([_guarded_facts(v, _GUARDED_BUT_SUMS) for v in values.tolist()] + [None],
                                    dtype=object)  # fmt: skip
                facts[group] = unsummed[codes[group]]
            if "reported_days" in frame:
                days = frame["reported_days"].to_numpy(dtype=float)
            named = np.array([_subjects(v) for v in values.tolist()] + [None], dtype=object)
            subjects = named[codes]
        pinyin = phone = id_number = phone_key = None
        if "name_without_contact" in guards and "name_pinyin" in frame:
            pinyin = frame["name_pinyin"].to_numpy(dtype=object)
            phone = frame["phone_norm"].to_numpy(dtype=object) if "phone_norm" in frame else none
            id_number = frame["id_norm"].to_numpy(dtype=object) if "id_norm" in frame else none
            phone_key = frame["phone_key"].to_numpy(dtype=object) if "phone_key" in frame else none
            if agent_flag and agent_flag in frame:
                # An agent's line (a grid worker's, a lawyer's, a worker filing for his workmates) is on many
                # people's reports: sharing it says nothing of whose dispute a report is, so it excuses no
                # two names or sums as a person's own phone does.
                agent = frame[agent_flag].fillna(False).to_numpy(dtype=bool)
                phone, phone_key = phone.copy(), phone_key.copy()
                phone[agent] = None
                phone_key[agent] = None
        if "name_without_contact" in guards or "mobile_and_name" in guards:
            homes = home_flats(frame) if homes is None else homes
        topics = matters = None
        if "topics" in guards and "content_topics" in frame:
            topics = frame["content_topics"].to_numpy(dtype=object)
        if "matters" in guards and "content_matters" in frame:
            matters = frame["content_matters"].to_numpy(dtype=object)
        proxy = residents = None
        if "mobile_and_name" in guards and proxy_flag and proxy_flag in frame:
            proxy = frame[proxy_flag].fillna(False).to_numpy(dtype=bool)
        if "mobile_and_name" in guards and "address_key" in frame and "name_fuzzy" in frame:
            names, keys = (
                frame["name_fuzzy"].to_numpy(dtype=object),
                frame["address_key"].to_numpy(dtype=object),
            )
            both = pd.notna(names) & pd.notna(keys)
            residents = none.copy()
            residents[both] = names[both] + "@" + keys[both]
        return cls(valid_id, mobile, name, guards, facts=facts, pinyin=pinyin, phone=phone,
                   id_number=id_number, phone_key=phone_key, homes=homes, proxy=proxy, topics=topics,
                   matters=matters, days=days, residents=residents, subjects=subjects)  # fmt: skip


def _guarded_facts(value: str, kinds: tuple[str, ...] | None = None) -> str | None:
    """The facts every report of one dispute repeats, so that two clusters quoting different ones are two
    disputes: sums (``a``), flats (``r``), projects (``p``: one person's two stalled flats in two
    developments; a project's reports disagree on it about once in two thousand, where one person's
    other disputes do nine times in ten), durations (``t``: how long it has gone on, dated by the
    report, :func:`_by_type`) and number plates (``v``: one person's two accidents, 吉AH4096 rear-ending
    her in March and 吉AH8001 in October). ``kinds``: only these (default :data:`GUARDED_FACTS`)."""
    kept = [token for token in value.split() if token[:1] in (kinds or GUARDED_FACTS)]
    return " ".join(kept) or None


def _subjects(value: str) -> str | None:
    """The employers (``o``) and projects (``p``) among a record's facts, whole tokens."""
    kept = [token for token in value.split() if token[:1] in "op"]
    return " ".join(kept) or None


GUARDED_FACTS = ("a", "r", "p", "t", "v")
# One person's two sums this near are one sum said two ways (_UnionFind._one_person_near_sums).
NEAR_SUM_RATIO = 1.1
# A whole debt is what was paid plus what is left to within 1% (57100 against 40000 and 17000): closer than
# near sums, as three sums must agree. A cluster quoting more sums than this is too many reports' sums to
# add in pairs without finding some whole by chance.
PART_PAID_SLACK = 0.01
PART_PAID_MAX_SUMS = 6
_GUARDED_BUT_SUMS = ("r", "p", "t")  # a text speaking for a group (content_group): its sums are not guarded
# A family: the person, a spouse, a grown child. An address more full names write is a site, not a home.
HOUSEHOLD_NAMES = 3
# A home, down to its unit and room: a family's names and a few more (a name misheard, a relative filing for
# them under her own). More, and the flat is a site or an office, not a home (:func:`home_flats`).
HOME_NAMES = 6
# Two sums agree when one is the other said less precisely (_rounded_alike) and they are within this share
# of the larger: a sum said to two significant figures (2.6万 for 25,630 is 1.4% off; 1.1千 for 1,050, 4.8%;
# 二万三 for 23,600, 2.5%).
SUM_ROUNDING = 0.05
# Two durations agree when they say the dispute began within this many months of each other (each is read
# as the month of its report less the duration: 拖了3个月 in June against 5个月 in August).
DURATION_MONTHS = 1
MONTH_DAYS = 30.4375
# Two full names at least this similar in pinyin (Jaro-Winkler) may be one person's (a typo, a dropped
# character: the name comparison's pinyin_jw level); below it, and with no phone or id number in common,
# name_without_contact keeps their clusters apart.
SIMILAR_NAME = 0.9


def _distinct_per_label(labels: np.ndarray, values: np.ndarray, size: int | None = None) -> np.ndarray:
    """Per label (0 .. max, or 0 .. ``size`` - 1 at least), how many distinct non-null ``values`` its
    records hold."""
    codes = pd.factorize(values, use_na_sentinel=True)[0] if values.dtype == object else values
    present = codes >= 0
    pairs = sorted_unique(labels[present].astype(np.int64) * (int(codes.max(initial=0)) + 1) + codes[present])
    minlength = len(labels) if size is None else size
    counts: np.ndarray = np.bincount(pairs // (int(codes.max(initial=0)) + 1), minlength=minlength)
    return counts


def _facts_may_conflict(labels: np.ndarray, facts: np.ndarray) -> np.ndarray:
    """Per label: its records quote two different facts of one kind (two sums, two projects), which the
    facts guard may refuse. A sum quoted by one report and a project by another cannot conflict, nor can
    one sum quoted with and without the project: most of a million records' components are such."""
    codes, values = pd.factorize(facts, use_na_sentinel=True)
    tokens = [value.split() for value in values.tolist()]
    per_value = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    flat = [token for group in tokens for token in group]
    token_codes = pd.factorize(np.array(flat, dtype=object))[0]
    kind_codes = pd.factorize(np.array([token[0] for token in flat], dtype=object))[0]
    starts = np.concatenate([[0], np.cumsum(per_value)])
    present = np.flatnonzero(codes >= 0)
    repeat = per_value[codes[present]]
    record = np.repeat(present, repeat)
    # each record's tokens: the positions starts[value] .. starts[value + 1] of the flat token list
    offsets = np.arange(int(repeat.sum())) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    position = np.repeat(starts[codes[present]], repeat) + offsets
    kinds = int(kind_codes.max(initial=0)) + 1
    keys = labels[record].astype(np.int64) * kinds + kind_codes[position]
    counts = _distinct_per_label(keys, token_codes[position])
    conflict = np.zeros(len(labels), dtype=bool)
    conflict[np.flatnonzero(counts > 1) // kinds] = True
    return conflict


def _suspicious(labels: np.ndarray, data: GuardData) -> np.ndarray:
    """Component labels where some union could trip a guard (the rest need no sequential pass)."""
    bad = np.zeros(len(labels), dtype=bool)
    if data.existing_case is not None:
        # Two existing cases in one component: the sequential pass names the bridging record.
        bad |= _distinct_per_label(labels, data.existing_case) > 1
    if "id_number" in data.guards:
        bad |= _distinct_per_label(labels, data.valid_id) > 1
    if "mobile_and_name" in data.guards:
        bad |= (_distinct_per_label(labels, data.mobile) > 1) & (_distinct_per_label(labels, data.name) > 1)
    if data.facts is not None:
        bad |= _facts_may_conflict(labels, data.facts)
    if data.pinyin is not None:
        bad |= _distinct_per_label(labels, data.pinyin) > 1
    for subjects in (data.topics, data.matters):
        if subjects is None:
            continue
        # Only through a report naming no topic (matter) can two topics' clusters be refused: components
        # without one need no sequential pass (most components naming two topics have none).
        silent = np.bincount(labels[pd.isna(subjects)], minlength=len(labels)) > 0
        bad |= silent & (_distinct_per_label(labels, subjects) > 1)
    flagged = set(np.flatnonzero(bad).tolist())
    flagged.update(int(labels[a]) for a, b in data.cannot_link if labels[a] == labels[b])
    return np.fromiter(flagged, dtype=np.int64, count=len(flagged))


def _present(value: Any) -> set[str]:
    """``{value}`` when it is a non-empty string, else the empty set."""
    return {value} if isinstance(value, str) and value else set()


_NO_WORDS: frozenset[str] = frozenset()
# The empty set the union-find's members without a value share (_UnionFind): never grown in place.
_EMPTY: frozenset[Any] = frozenset()


def _joined(kept: AbstractSet[Any], gone: AbstractSet[Any]) -> AbstractSet[Any]:
    """``kept`` with ``gone``'s values, ``gone`` being a joined root's set that no one else holds: in place
    where ``kept`` is a set of its own, else a new set (the shared empty one is never grown)."""
    if not gone:
        return kept
    if not kept:
        return gone
    if isinstance(kept, set):
        kept |= gone
        return kept
    return {*kept, *gone}


def _words(value: Any) -> frozenset[str]:
    return frozenset(value.split()) if isinstance(value, str) else _NO_WORDS


def _by_type(value: str | None, day: float | None = None) -> dict[str, set[str]]:
    """A record's guarded facts by kind: a project by its characters (碧桂 and 桂园 are one 碧桂园); a
    duration as itself (a forwarded text repeats it weeks later) and, reported on ``day``, as the months
    around the one it says the dispute began in (``s`` tokens): the same 邻居家狗叫 said to have gone on 7
    months in April and 3 months in June began in September and in March, two disputes; 3 months in June
    and 5 in August is one. A span of days shorter than a month is left out: what it says is how long
    someone waited at a door or stayed in hospital, not how long the dispute has gone on."""
    grouped: dict[str, set[str]] = {}
    for token in (value or "").split():
        if token[0] == "p":
            grouped.setdefault("p", set()).update(token[1:])
        elif token[0] == "t":
            if token[-1] == "d" and float(token[1:-1]) < MONTH_DAYS:
                continue  # 圪蹴了一天, 住院半个月: a wait or a stay, not how long the dispute has gone on
            durations = grouped.setdefault("t", set())
            durations.add(token)
            if day is not None and day == day:  # not NaN
                months = float(token[1:-1]) / (1.0 if token[-1] == "m" else MONTH_DAYS)
                began = int(day // MONTH_DAYS - months)
                durations.update(f"s{m}" for m in range(began - DURATION_MONTHS, began + DURATION_MONTHS + 1))
        else:
            grouped.setdefault(token[0], set()).add(token)
    return grouped


def _alike(kind: str, tokens: set[str], others: set[str]) -> bool:
    """Whether two clusters' facts of one kind, none of them equal, are one fact said two ways: a sum said
    less precisely (:func:`_sums_near`), a flat said without its unit (:func:`_flats_near`), a plate
    with a character misheard (:func:`_plates_near`)."""
    if kind == "a":
        return _sums_near(tokens, others)
    if kind == "v":
        return _plates_near(tokens, others)
    return kind == "r" and _flats_near(tokens, others)


def _plates_near(plates: set[str], others: set[str]) -> bool:
    """Whether a plate of one cluster is another's with one character misheard or mistyped (``v`` tokens:
    吉AH4096 and 吉AH4O96)."""
    return any(
        len(x) == len(y) and sum(c != d for c, d in zip(x, y, strict=True)) <= 1
        for x in plates
        for y in others
    )


def _flats_near(flats: set[str], others: set[str]) -> bool:
    """Whether a flat of one cluster is another's said without its unit (``r`` tokens): 29号楼1501室 and
    29栋1单元1501 are one flat as far as the first says (a building's units repeat room numbers, so the
    unit-less one could be another unit's 1501, and the model, not the guard, weighs that)."""
    return bool(
        _unitless(flats) & _with_unit_dropped(others) or _unitless(others) & _with_unit_dropped(flats)
    )


def _unitless(flats: set[str]) -> set[str]:
    return {token for token in flats if token.count("-") == 1}


def _with_unit_dropped(flats: set[str]) -> set[str]:
    """``r29-1501`` for ``r29-1-1501``: the flats named down to their unit, without it."""
    return {f"{token.split('-')[0]}-{token.split('-')[2]}" for token in flats if token.count("-") == 2}


def _sums_near(sums: set[str], others: set[str]) -> bool:
    """Whether a sum of one cluster is another's said less precisely (``a`` tokens): 2.56万 and 25630元,
    5700 and 5720 are one sum said twice, not two disputes' sums."""
    values = [int(float(token[1:])) for token in others]
    return any(_rounded_alike(x, y) for x in (int(float(token[1:])) for token in sums) for y in values)


def _sums_within(sums: set[str], others: set[str], ratio: float) -> bool:
    """Whether a sum of one cluster and one of another (``a`` tokens) are within ``ratio`` of each other."""
    values = [float(token[1:]) for token in others]
    return any(
        0 < min(x, y) and max(x, y) <= ratio * min(x, y)
        for x in (float(token[1:]) for token in sums)
        for y in values
    )


def _paid_in_part(sums: set[str], others: set[str]) -> bool:
    """Whether a sum of ``sums`` (``a`` tokens) is two different sums of ``others`` added, within
    :data:`PART_PAID_SLACK` of it."""
    values = sorted({float(token[1:]) for token in others})
    if len(values) < 2 or len(values) > PART_PAID_MAX_SUMS:
        return False
    added = [x + y for i, x in enumerate(values) for y in values[i + 1 :]]
    return any(
        abs(total - whole) <= PART_PAID_SLACK * whole
        for whole in (float(t[1:]) for t in sums)
        for total in added
    )


def _rounded_alike(x: int, y: int) -> bool:
    """Whether the more precise of two sums, cut or rounded where the other stops, is the other, and they
    are within :data:`SUM_ROUNDING` of each other: 25600 for 25630, 二万三 for 23600 (people drop the rest
    as often as they round it), not 25700 for 25630, nor 20000 for 15000."""
    if abs(x - y) > SUM_ROUNDING * max(x, y):
        return False
    coarse, fine = (x, y) if _trailing_zeros(x) >= _trailing_zeros(y) else (y, x)
    step = int(10 ** _trailing_zeros(coarse))
    return coarse in (fine // step * step, (fine + step // 2) // step * step)


def _trailing_zeros(value: int) -> int:
    zeros = 0
    while value and value % 10 == 0:
        value //= 10
        zeros += 1
    return zeros


def _named_in(names: AbstractSet[str], others: AbstractSet[str]) -> bool:
    """Whether every one of ``names`` is (nearly) one of ``others``."""
    return all(
        any(JaroWinkler.normalized_similarity(name, other) >= SIMILAR_NAME for other in others)
        for name in names
    )


def _one_side_holds(mobiles: set[str], others: set[str]) -> bool:
    """Whether one cluster's mobiles are all among the other's: it brings no new number, so a member with
    another name is a household's (a wife filing for her husband from his phone), not a stranger."""
    return bool(mobiles and others) and (mobiles <= others or others <= mobiles)


class _UnionFind:
    """Union-find whose roots carry the identity sets the guards compare."""

    def __init__(self, members: np.ndarray, data: GuardData) -> None:
        # Each evidence column read for all members at once (one fancy index and tolist), not value by value.
        at = members.tolist()
        blank = [None] * len(at)

        def column(values: np.ndarray | None) -> list[Any]:
            return blank if values is None else values[members].tolist()

        self.parent = {p: p for p in at}
        # A member without a value holds the one shared empty set (_EMPTY), grown only by _joined: an empty
        # set of its own for each member and kind was most of this structure's memory at a million records.
        self.ids: dict[int, AbstractSet[str]] = {
            p: {v} if v is not None else _EMPTY for p, v in zip(at, column(data.valid_id), strict=True)
        }
        # (mobile, name) of members that have both: two such members differing in both are two people,
        # unless one cluster's mobiles are all the other's (_one_side_holds).
        self.contacts: dict[int, AbstractSet[tuple[str, str]]] = {
            p: {(mobile, name)} if mobile and name else _EMPTY
            for p, mobile, name in zip(at, column(data.mobile), column(data.name), strict=True)
        }
        # Mobiles per cluster: two clusters holding different id numbers and one mobile are one household's
        # (a daughter filing for her father from the family's mobile, with her own id), not two strangers.
        self.mobiles: dict[int, AbstractSet[str]] = {
            p: {mobile} if mobile else _EMPTY for p, mobile in zip(at, column(data.mobile), strict=True)
        }
        self.forbidden: dict[int, AbstractSet[int]] = dict.fromkeys(at, _EMPTY)
        # Sums, flats, projects and durations (dated by their reports) quoted per fact type: two clusters
        # quoting sums, none of them shared, are two disputes.
        self.facts: dict[int, dict[str, set[str]]] = {
            p: _by_type(v, d) for p, v, d in zip(at, column(data.facts), column(data.days), strict=True)
        }
        # Full names (pinyin) and phones / id numbers per cluster: two clusters naming two different people
        # and sharing no phone or id number are two people (name_without_contact). A cluster whose names
        # are all (nearly) names of the other names no one new: 吴庆荣 joins 吴庆荣 and 昊庆荣, a typo of
        # him already in that cluster.
        self.names: dict[int, AbstractSet[str]] = {
            p: {v} if isinstance(v, str) and v else _EMPTY
            for p, v in zip(at, column(data.pinyin), strict=True)
        }
        # The names the id numbers were given under: two ids under one name are two namesakes.
        self.holders: dict[int, AbstractSet[str]] = {
            p: {name} if number is not None and name else _EMPTY
            for p, number, name in zip(at, column(data.valid_id), column(data.name), strict=True)
        }
        self.contact: dict[int, AbstractSet[str]] = {
            p: (
                {f"p{v}" for v in _present(phone)}
                | {f"i{v}" for v in _present(number)}
                | {f"k{v}" for v in _present(key)}
            )
            or _EMPTY
            for p, phone, number, key in zip(
                at, column(data.phone), column(data.id_number), column(data.phone_key), strict=True
            )
        }
        # The homes (flats down to the unit, village houses) a cluster names: two naming one are one household
        # (a wife and her husband, each with a name and a mobile of their own), which neither the
        # name_without_contact nor the mobile_and_name check refuses.
        self.homes: dict[int, AbstractSet[int]] = dict.fromkeys(at, _EMPTY)
        for codes in data.homes or ():
            for p, code in zip(at, codes[members].tolist(), strict=True):
                if code >= 0:
                    self.homes[p] = {*self.homes[p], code}
        # Mobiles on reports filed for someone else (信访人系当事人秦世琦的妻子, read under his name): the filer's
        # own. Her reports from that mobile under her own name act for him; the mobile_and_name check does not
        # count them as a second person against his reports from his own mobile.
        self.filers: dict[int, AbstractSet[str]] = {
            p: {mobile} if flag and mobile else _EMPTY
            for p, flag, mobile in zip(at, column(data.proxy), column(data.mobile), strict=True)
        }
        # One name at one road and number in both clusters: one person (a namesake is another person unless
        # phone, id or address say otherwise), whatever other names the family's mobile brought to either.
        self.residents: dict[int, AbstractSet[str]] = {
            p: {v} if v else _EMPTY for p, v in zip(at, column(data.residents), strict=True)
        }
        # Topics and matters per record and per cluster: a report naming none must not chain two clusters
        # about different things (topics, matters).
        self.record_topics = {p: _words(v) for p, v in zip(at, column(data.topics), strict=True)}
        self.topics: dict[int, AbstractSet[str]] = {
            p: set(w) or _EMPTY for p, w in self.record_topics.items()
        }
        self.record_matters = {p: _words(v) for p, v in zip(at, column(data.matters), strict=True)}
        self.subjects: dict[int, AbstractSet[str]] = {
            p: set(_words(v)) or _EMPTY for p, v in zip(at, column(data.subjects), strict=True)
        }
        self.matters: dict[int, AbstractSet[str]] = {
            p: set(w) or _EMPTY for p, w in self.record_matters.items()
        }
        self.size = dict.fromkeys(self.parent, 1)
        self.guards = data.guards
        for a, b in data.cannot_link:
            if a in self.parent and b in self.parent:
                self.forbidden[a] = {*self.forbidden[a], b}
                self.forbidden[b] = {*self.forbidden[b], a}
        self.members: dict[int, AbstractSet[int]] = {p: {p} for p in self.parent}

    def find(self, node: int) -> int:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def allowed(self, a: int, b: int, household: bool = False) -> bool:
        if self.forbidden[a] & self.members[b] or self.forbidden[b] & self.members[a]:
            return False
        one_home = bool(household or self.homes[a] & self.homes[b])
        if (
            "id_number" in self.guards
            and self.ids[a]
            and self.ids[b]
            and not self.ids[a] & self.ids[b]
            and not self._household_of_two_names(a, b, one_home)
        ):
            return False
        for kind, tokens in self.facts[a].items():
            other = self.facts[b].get(kind)
            if other and not tokens & other and not _alike(kind, tokens, other):
                if kind == "r":
                    if not (self._one_person_one_sum(a, b) or self._one_person_one_employer(a, b)):
                        return False
                elif kind not in ("a", "t", "p") or not (
                    self._one_person_one_subject(a, b)
                    or (kind == "a" and self._one_person_near_sums(a, b, tokens, other))
                    or (kind in ("t", "p") and self._one_person_one_sum(a, b))
                    or self._one_person_paid_in_part(a, b)
                    or (kind == "a" and self._one_person_one_topic(a, b))
                ):
                    return False
        if self.names[a] and self.names[b] and not self.contact[a] & self.contact[b] and not one_home:
            if not (_named_in(self.names[a], self.names[b]) or _named_in(self.names[b], self.names[a])):
                return False
        if (
            "mobile_and_name" in self.guards
            and not self.ids[a] & self.ids[b]
            and not one_home
            and not self.residents[a] & self.residents[b]
            and not _one_side_holds(
                {mobile for mobile, _ in self.contacts[a]}, {mobile for mobile, _ in self.contacts[b]}
            )
        ):
            for mobile, name in self.contacts[a]:
                if mobile in self.filers[a]:
                    continue
                if any(
                    mobile != other_mobile and name != other_name and other_mobile not in self.filers[b]
                    for other_mobile, other_name in self.contacts[b]
                ):
                    return False
        return True

    def _one_person_near_sums(self, a: int, b: int, sums: set[str], others: set[str]) -> bool:
        """Two clusters sharing a phone or id number whose sums include two within a tenth of each other: one
        person's one sum, remembered or rounded another way (28100 and 30000 lent, 46000 paid and 约4.41万).
        Not without the phone or id: a group's members quote sums as near."""
        return bool(self.contact[a] & self.contact[b]) and _sums_within(sums, others, NEAR_SUM_RATIO)

    def _one_person_paid_in_part(self, a: int, b: int) -> bool:
        """Two clusters sharing a phone or id number where one's sum is two of the other's added (within
        :data:`PART_PAID_SLACK`): the whole debt against what was paid and what is left (拖欠22900 in June;
        已付6800元，剩余16100 in July), or 共计4万 with 中途给了一万七 against 57100 in the next report. One
        person's one dispute, whatever each report says of how long it has gone on."""
        if not self.contact[a] & self.contact[b]:
            return False
        sums, others = self.facts[a].get("a"), self.facts[b].get("a")
        if not sums or not others:
            return False
        return _paid_in_part(sums, others) or _paid_in_part(others, sums)

    def _one_person_one_sum(self, a: int, b: int) -> bool:
        """Two clusters sharing a phone or id number and quoting one sum: one person's one dispute, however
        long each report says it has gone on (拖了半年多 in May, 将近一年 in September, both from a guess) and
        whichever estate it names (the petition office writes where the petitioner lives: 住太行小区13幢, 嘉隆公司
        拖欠其劳务费, against the site 华宇丽景工地 in her report to the police)."""
        sums, others = self.facts[a].get("a"), self.facts[b].get("a")
        return bool(sums and others and sums & others and self.contact[a] & self.contact[b])

    def _one_person_one_subject(self, a: int, b: int) -> bool:
        """Two clusters sharing a phone or id number and naming one employer or project: one person's one
        dispute, whatever sums and durations its reports quote (the total paid against the balance left,
        花了5000元 and 余额3170元; a wage owed when it was 4.1万 and when it had grown to 52,100; 拖了半年 and
        16个月没领到工资, or two months' wages said as 二个月工资). Not without the phone or id: a group's
        members name one employer, and their own sums are what keeps them apart."""
        return bool(self.subjects[a] & self.subjects[b] and self.contact[a] & self.contact[b])

    def _one_person_one_employer(self, a: int, b: int) -> bool:
        """Two clusters sharing a phone or id number and naming one employer or company (an ``o`` token): one
        person's one dispute, whichever flats their reports name. A worker's reports name flats that are not
        the dispute's: the flat he worked on at the site (我在万嘉国际十四栋2802的工地打工) and, at the petition
        office, his home (住宏源新村14-2-3105); on Haikou's and Qingdao's sets such pairs were most of the
        true pairs the flats kept apart. A project or estate (``p``) shared does not do: an owner's estate is
        her home, and her leaking roof at one flat and the heating at another are two disputes (on the drawn
        worlds, excusing those cost precision in 9 of 12)."""
        return bool(
            {t for t in self.subjects[a] if t[0] == "o"} & self.subjects[b]
            and self.contact[a] & self.contact[b]
        )

    def _one_person_one_topic(self, a: int, b: int) -> bool:
        """Two clusters sharing a phone or id number, their words about the same topics (and, where both
        name matters, a matter in common), naming no employer or project they disagree on: one person's one
        dispute whose sums drift from report to report (彩礼18.8万 in June, 7.11万 at the petition
        office in October after part was returned; a deposit of 4200 and then 2700 kept by one landlord; a
        debt of 13300 and later 5000多 after a payment). A person's other dispute on the same topic names
        another company or project (a prepaid card at one shop, a refund at another) or another matter (a
        divorce, then a child's support), or began at another time (durations still guard: the neighbour's
        dog said in April to have barked for 7 months and in June for 3). Not without the phone or id: a
        group's members write about one topic, and their own sums are what keeps them apart. The topics and
        matters are read only under the ``topics`` and ``matters`` guards: a settings file without them has
        no such exception to the facts guard."""
        if not self.contact[a] & self.contact[b] or not self.topics[a] or self.topics[a] != self.topics[b]:
            return False
        if self.matters[a] and self.matters[b] and not self.matters[a] & self.matters[b]:
            return False
        return not (self.subjects[a] and self.subjects[b] and not self.subjects[a] & self.subjects[b])

    def _household_of_two_names(self, a: int, b: int, one_home: bool) -> bool:
        """Two clusters holding different id numbers given under different names, with a mobile or a home in
        common: a relative filing with her own id (one case). Ids given under one name are two namesakes,
        whatever they share (a mobile that a false merge of one of them brought in)."""
        return bool(one_home or self.mobiles[a] & self.mobiles[b]) and not self.holders[a] & self.holders[b]

    def union(self, a: int, b: int, force: bool = False, household: bool = False) -> bool:
        """Join the clusters of ``a`` and ``b`` unless a guard forbids it (``force`` skips the id/name guards;
        ``household``: the edge's two reports are one household's claim, which the name checks accept as
        they accept two clusters naming one home)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        blocked = self.forbidden[ra] & self.members[rb] or self.forbidden[rb] & self.members[ra]
        if blocked or (
            not force and not (self.allowed(ra, rb, household) and self._subjects_allow(a, b, ra, rb))
        ):
            return False
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size.pop(rb)
        for sets in (self.ids, self.contacts, self.mobiles, self.holders, self.names, self.contact, self.homes,
                     self.filers, self.residents, self.forbidden, self.members, self.topics, self.subjects,
                     self.matters):  # fmt: skip
            sets[ra] = _joined(sets[ra], sets.pop(rb))
        for kind, tokens in self.facts.pop(rb).items():
            self.facts[ra].setdefault(kind, set()).update(tokens)
        return True

    def _subjects_allow(self, a: int, b: int, ra: int, rb: int) -> bool:
        """An edge with a topic-less end may not join two clusters whose topics are disjoint, nor one with a
        matter-less end two clusters whose matters are (an edge whose two reports both name them was
        judged on them by the model)."""
        for record, cluster in ((self.record_topics, self.topics), (self.record_matters, self.matters)):
            if record[a] and record[b]:
                continue
            if cluster[ra] and cluster[rb] and not cluster[ra] & cluster[rb]:
                return False
        return True


def guarded_components(
    n: int, left: np.ndarray, right: np.ndarray, weight: np.ndarray, data: GuardData,
    forced: np.ndarray | None = None, households: np.ndarray | None = None,
) -> tuple[np.ndarray, list[tuple[int, int]]]:  # fmt: skip
    """Cluster labels (smallest member position) over the edges, honouring the guards.

    Args:
        n: number of records.
        left, right: edge end positions.
        weight: edge weights; higher weights are joined first.
        data: the guard evidence and cannot-link pairs.
        forced: per edge, whether it is a reviewer's "same" (joined first, id/name guards skipped).
        households: per edge, whether its two reports are one household's claim (:func:`claims_at_one_home`):
            the name checks do not refuse it.

    Returns:
        ``(labels, joins)``: labels per record and, for edges processed sequentially, the (a, b) edges
        that actually joined two clusters (the incremental mode reads bridging records from them).
    """
    forced = np.zeros(len(left), dtype=bool) if forced is None else forced
    households = np.zeros(len(left), dtype=bool) if households is None else households
    labels = connected_components(n, left, right)
    suspicious = _suspicious(labels, data)
    if len(suspicious) == 0:
        return labels, []
    in_bad = np.isin(labels, suspicious)
    edge_bad = in_bad[left]
    members = np.flatnonzero(in_bad)
    uf = _UnionFind(members, data)
    order = np.lexsort((right[edge_bad], left[edge_bad], -weight[edge_bad], ~forced[edge_bad]))
    joins = []
    edges = zip(left[edge_bad][order].tolist(), right[edge_bad][order].tolist(), forced[edge_bad][order].tolist(),
                households[edge_bad][order].tolist(), strict=True)  # fmt: skip
    for a, b, f, h in edges:
        if uf.find(a) != uf.find(b) and uf.union(a, b, force=f, household=h):
            joins.append((a, b))
    roots = np.array([uf.find(int(p)) for p in members], dtype=np.int64)
    smallest = pd.Series(members).groupby(roots).transform("min").to_numpy()
    labels = labels.copy()
    labels[members] = smallest
    return labels, joins
