"""The record contract shared by every stage: the canonical record, the window, the connector base."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from connectors._payload import canonical_json, landable
from connectors._payload import payload_hash as payload_hash  # part of the record contract since v1
from connectors._payload import storable_payload as storable_payload
from connectors.events import EventMap, HandlingEvent, event_times, read_events

# Where a row sits in what was fetched (file drops, JSON messages, API pages): lineage, not content.
LINEAGE_FIELDS = ("_file", "_line", "_page", "_item")

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Late updates inside this margin before a window's start are fetched again; the idempotent
# landing upsert absorbs the repeats (DESIGN §6.3).
DEFAULT_OVERLAP = timedelta(minutes=30)


@dataclass(frozen=True)
class ComplaintRecord:
    """One source record after standardisation (DESIGN §5). Field names are a contract: add, never rename."""

    record_id: str
    source: str
    source_record_id: str
    reported_at: datetime | None
    name: str | None = None
    phone: str | None = None
    id_number: str | None = None
    address: str | None = None
    district: str | None = None
    street: str | None = None
    community: str | None = None
    grid: str | None = None
    category: str | None = None
    source_category: str | None = None
    content: str | None = None
    status: str | None = None
    received_at: datetime | None = None
    contacted_at: datetime | None = None
    dispatched_at: datetime | None = None
    resolved_at: datetime | None = None
    followed_up_at: datetime | None = None
    updated_at: datetime | None = None
    # The handling events the source recorded (派单, 签收, 退单, 延期, 催办, 办结, 回访 …), in time order;
    # a later version of the record carries the whole list again and supersedes the earlier one.
    events: tuple[HandlingEvent, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Return the record as a plain dict (datetimes kept as datetimes; events as a list of dicts)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["events"] = [event.as_row() for event in self.events]
        return values


RECORD_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ComplaintRecord))
TIME_FIELDS: tuple[str, ...] = (
    "reported_at",
    "received_at",
    "contacted_at",
    "dispatched_at",
    "resolved_at",
    "followed_up_at",
    "updated_at",
)


SOURCE_ID_MAX_LENGTH = 120
"""Most characters of a source record id: validation's limit (``expectations.suites.canonical``) and the
width of every ``source_record_id`` column of the warehouse (checked by ``tests/corpus/test_privacy.py``,
as ``warehouse`` imports nothing of ``connectors``). A longer id is landed under a key of its content and
quarantined, on either engine."""

# Years a time field may name: 9999-12-31 and 0001-01-01 are placeholders or typos, not times.
TIME_YEARS = range(1900, 2101)


@dataclass(frozen=True)
class Window:
    """A half-open extraction interval ``[start, end)``, both ends timezone-aware."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Window bounds must be timezone-aware")
        if self.end <= self.start:
            raise ValueError(f"Window end {self.end} is not after start {self.start}")

    def contains(self, moment: datetime) -> bool:
        """Whether ``moment`` falls inside ``[start, end)``."""
        return self.start <= moment < self.end

    def widened(self, overlap: timedelta = DEFAULT_OVERLAP) -> Window:
        """The window with its start moved back by ``overlap`` to catch late updates."""
        return Window(self.start - overlap, self.end)

    @property
    def key(self) -> str:
        """A compact, stable text form used in batch ids."""
        fmt = "%Y%m%dT%H%M%SZ"
        return f"{self.start.astimezone(UTC):{fmt}}-{self.end.astimezone(UTC):{fmt}}"


@dataclass(frozen=True)
class Standardised:
    """The outcome of mapping a batch: the records, and the rows that could not be mapped with why."""

    records: list[ComplaintRecord]
    errors: dict[str, str]


class RecordError(ValueError):
    """A raw row that cannot be turned into a record at all; it is quarantined with this message."""


def _key_problem(value: Any, primary_key: str) -> str | None:
    """Why a primary key value cannot name a record (``None``: it can)."""
    return _key_of(value, primary_key)[1]


def _key_of(value: Any, primary_key: str) -> tuple[str | None, str | None]:
    """``(source record id, None)`` for a usable primary key value, else ``(None, why not)``."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | type(None)):
        return None, f"primary key {primary_key!r} is a {type(value).__name__}, not text or a number"
    text = _clean_text(value)
    if text is not None and len(text) > SOURCE_ID_MAX_LENGTH:
        return (
            None,
            f"primary key {primary_key!r} has {len(text)} characters, more than {SOURCE_ID_MAX_LENGTH}",
        )
    return text, None


def parse_time(value: Any, formats: tuple[str, ...] = ()) -> datetime | None:
    """Parse a source timestamp into an aware Asia/Shanghai datetime, or ``None`` when absent or unreadable.

    Naive values are taken as Beijing time, which is what every source here writes.

    Args:
        value: a datetime, an ISO-8601 string, or a string in one of ``formats``.
        formats: extra ``strptime`` formats the source uses.

    Returns:
        The aware datetime, or ``None``.
    """
    if value is None or value == "":
        return None
    moment: datetime | None = None
    if isinstance(value, str) and _TRUNCATED_TIME.search(value):
        return None  # 01:4 is a cut-off 01:4x, not 01:04
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        text = value.strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            for fmt in formats:
                try:
                    moment = datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI)


_TRUNCATED_TIME = re.compile(r":\d(?!\d)")


def _served_later(cursor: datetime | None, first: datetime | None) -> bool:
    """Whether an API copy of a record, served after a first copy with other content, is its newer state:
    yes unless its cursor time is unreadable while the first's is not, or earlier than the first's."""
    if cursor is None:
        return first is None
    return first is None or cursor >= first


def _clean_text(value: Any) -> str | None:
    if value is None:
        return None
    # NFKC folds full-width digits and letters (citizens type １３８…) to their ASCII forms.
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text or None


_PHONE_SEPARATORS = re.compile(r"[\s\-()（）.]")


def clean_phone(value: str | None) -> str | None:
    """Strip separators and the country prefix: ``+86 138-9311-2345`` -> ``13893112345``.

    Landlines keep their area code (``0931-8123456`` -> ``09318123456``); anything else is left as sent,
    for validation to judge.
    """
    if value is None:
        return None
    digits = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", value))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix) and len(digits) > len(prefix) + 6:
            digits = digits[len(prefix) :]
            break
    return digits or None


def clean_id_number(value: str | None) -> str | None:
    """Upper-case the check digit ``x`` and drop inner spaces; validity is judged by validation."""
    if value is None:
        return None
    return re.sub(r"\s", "", value).upper() or None


def _checked_time(
    canonical: str, column: str, value: Any, formats: tuple[str, ...], judged: bool
) -> datetime | None:
    """A time field's value; one that is present but unreadable or out of range is a :class:`RecordError`.

    The report time's column is the exception (``judged``: ``reported_at`` and any field read from the
    same column): validation judges it (missing, in the future, too old) and names the failing
    expectation, so an unreadable one is left ``None`` for it.
    """
    moment = parse_time(value, formats)
    if judged:
        return moment
    if moment is None and not (value is None or (isinstance(value, str) and not value.strip())):
        raise RecordError(f"{canonical}: unreadable time in {column!r}")
    if moment is not None and moment.year not in TIME_YEARS:
        raise RecordError(f"{canonical}: year {moment.year} in {column!r} is not a real time")
    return moment


class BaseConnector:
    """Maps one source's raw rows onto :class:`ComplaintRecord`, and declares everything else about the source.

    Subclasses declare the source as class attributes and implement :meth:`fetch_raw` (transport only).
    ``field_map`` maps canonical field -> source column; ``time_formats`` lists the source's own
    timestamp formats. The rest is what the other stages find from the registry entry alone (adding a
    source touches no DAG, gate or runner):

    - ``suite``: the dotted path of the module declaring the source's expectation suite and raw schema
      (a string, so that ``connectors`` imports nothing of ``expectations``; ``None``: the canonical suite);
    - ``schedule``: the source DAG's run policy over ``orchestration/schedules.yaml``'s defaults
      (``cron``, ``execution_timeout_minutes``, …);
    - ``connection_template``: the Airflow connection ``conn_id`` the embedded runner and compose create
      for the source's simulator, with ``{base_url}``, ``{token}``, ``{data_dir}`` and ``{source}``
      filled in (a real deployment defines ``conn_id`` itself);
    - the category codes: the source's block of ``config/categories.yaml`` (:meth:`category_codes`).
    """

    source: ClassVar[str]
    conn_id: ClassVar[str]
    primary_key: ClassVar[str]
    cursor_field: ClassVar[str]
    field_map: ClassVar[Mapping[str, str]] = {}
    time_formats: ClassVar[tuple[str, ...]] = ()
    suite: ClassVar[str | None] = None
    schedule: ClassVar[Mapping[str, Any]] = {}
    connection_template: ClassVar[Mapping[str, Any]] = {}
    event_map: ClassVar[EventMap | None] = None

    @classmethod
    def category_codes(cls) -> dict[str, str]:
        """The source's own category codes -> unified category (its block of ``config/categories.yaml``)."""
        from connectors.taxonomy import source_category_codes

        return source_category_codes(cls.source)

    @classmethod
    def from_connection(cls, conn: Any) -> BaseConnector:
        """Build the connector from an Airflow connection (or any object with its attributes)."""
        raise NotImplementedError

    def fetch_raw(self, window: Window) -> Iterator[dict[str, Any]]:
        """Yield the source's raw rows updated inside ``window`` (widened by the overlap)."""
        raise NotImplementedError

    def lineage_dataset(self) -> tuple[str, str]:
        """Where the source's records come from, as OpenLineage's ``(namespace, name)`` (:mod:`connectors.lineage`)."""
        raise NotImplementedError(f"{type(self).__name__} does not say where its records come from")

    def keyed(self, raws: Iterable[dict[str, Any]]) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """``(source_record_id, payload_hash, payload)`` for each raw row: what landing takes.

        A row either engine would refuse (NUL, a lone surrogate, NaN/Infinity, an id that is not text or
        a number or is longer than :data:`SOURCE_ID_MAX_LENGTH`) is landed in a storable form with an
        ``_error`` naming the field, so that it is quarantined with that reason on SQLite and PostgreSQL
        alike rather than crashing one of them.

        A record the same fetch returns again with other content is never passed silently:

        - from an API (rows without file lineage), the copy served later is the source's newer state of
          the record unless its cursor time is missing or earlier than the first copy's: it is landed as
          the record's version, marked ``_supersedes`` (where the first copy was), and landing
          quarantines the copy it superseded, with the reason (:func:`warehouse.load.batches.land_in`);
        - otherwise (two rows of a file drop, or an API copy older than the first) the first stands, and
          the other becomes an ``_error`` row keyed by its content (``_duplicate_of`` names where the
          first was), quarantined beside it.

        The same record again (an overlapping re-export, a record both passes of a fetch return) is
        landed once.
        """
        # id -> (content hash without lineage, where it was first, its cursor time)
        first: dict[str, tuple[str, str, datetime | None]] = {}
        for position, raw in enumerate(raws, start=1):
            payload, data, problems = landable(raw)
            key_problem = _key_problem(payload.get(self.primary_key), self.primary_key)
            problems += [key_problem] if key_problem else []
            if problems:
                earlier = [str(raw["_error"])] if raw.get("_error") else []
                payload = {**payload, "_error": "; ".join(earlier + problems)}
                data = canonical_json(payload).encode("utf-8")
            elif not payload.get("_error"):
                key = self.record_key(payload)
                lineage = [k for k in LINEAGE_FIELDS if k in payload]
                content = (
                    payload_hash({k: v for k, v in payload.items() if k not in lineage})
                    if lineage
                    else hashlib.blake2b(data, digest_size=16).hexdigest()
                )
                where = ", ".join(f"{k[1:]} {payload[k]}" for k in lineage) or f"item {position} of the fetch"
                cursor = parse_time(payload.get(self.cursor_field), self.time_formats)
                seen = first.setdefault(key, (content, where, cursor))
                if seen[0] != content and not lineage and _served_later(cursor, seen[2]):
                    first[key] = (content, where, cursor)
                    # The newer state: landing quarantines the first copy in favour of this one.
                    payload = {**payload, "_supersedes": seen[1]}
                    data = canonical_json(payload).encode("utf-8")
                elif seen[0] != content:
                    payload = {
                        **payload,
                        "_error": f"duplicate id {key}: a different record with this id came first ({seen[1]})",
                        "_duplicate_of": seen[1],
                    }
                    data = canonical_json(payload).encode("utf-8")
            # The key from the subclass's rule (a file drop keys set-aside files its way).
            yield self.record_key(payload), hashlib.sha256(data).hexdigest(), payload

    def record_key(self, raw: Mapping[str, Any]) -> str:
        """The source record id of a raw row; a row without a usable one (none, not text or a number, too
        long), or a second version of a record in one fetch, is keyed by its content so it can be landed
        and quarantined rather than dropped or taken for the first."""
        if raw.get("_duplicate_of"):
            return f"duplicate-{payload_hash(raw)[:16]}"
        key = _key_of(raw.get(self.primary_key), self.primary_key)[0]
        return key if key is not None else f"unkeyed-{payload_hash(raw)[:16]}"

    @classmethod
    def standardise(cls, rows: Iterable[tuple[str, Mapping[str, Any]]]) -> Standardised:
        """Map ``(source_record_id, raw)`` rows; a row that cannot be mapped is kept with its reason."""
        records: list[ComplaintRecord] = []
        errors: dict[str, str] = {}
        for key, raw in rows:
            try:
                records.append(cls.to_record(raw))
            except RecordError as exc:
                errors[key] = f"unmappable: {exc}"
        return Standardised(records, errors)

    @classmethod
    def to_record(cls, raw: Mapping[str, Any]) -> ComplaintRecord:
        """Map one raw row to the canonical record.

        Only structural problems raise (:class:`RecordError`: no primary key); a bad value becomes
        ``None`` or is kept as sent so that validation can name the failing expectation.
        """
        from connectors.taxonomy import district_name, map_category

        if raw.get("_error"):
            where = ", ".join(f"{key[1:]} {raw[key]}" for key in ("_file", "_line", "_item") if key in raw)
            raise RecordError(f"{raw['_error']} ({where})" if where else str(raw["_error"]))
        key_problem = _key_problem(raw.get(cls.primary_key), cls.primary_key)
        if key_problem:
            raise RecordError(key_problem)
        source_id = _clean_text(raw.get(cls.primary_key))
        if source_id is None:
            raise RecordError(f"missing primary key {cls.primary_key!r}")
        values: dict[str, Any] = {}
        for canonical, column in cls.field_map.items():
            raw_value = raw.get(column)
            if canonical in TIME_FIELDS:
                judged = column == cls.field_map.get("reported_at")
                values[canonical] = _checked_time(canonical, column, raw_value, cls.time_formats, judged)
            else:
                values[canonical] = _clean_text(raw_value)
        values.update({k: _clean_text(v) if isinstance(v, str) else v for k, v in cls.derive(raw).items()})
        source_category = values.get("source_category")
        values["category"] = map_category(cls.source, source_category)
        values["district"] = district_name(values.get("district"))
        values["phone"] = clean_phone(values.get("phone"))
        values["id_number"] = clean_id_number(values.get("id_number"))
        if cls.event_map is not None:
            values["events"] = cls.read_events(raw)
            # A handling time the source has no column for is what its events say (contact, dispatch, …).
            mapped = cls.field_map.keys()
            values.update({k: v for k, v in event_times(values["events"]).items() if k not in mapped})
        return ComplaintRecord(
            record_id=f"{cls.source}:{source_id}",
            source=cls.source,
            source_record_id=source_id,
            **values,
        )

    @classmethod
    def read_events(cls, raw: Mapping[str, Any]) -> tuple[HandlingEvent, ...]:
        """The raw row's handling events (:attr:`event_map`); a list that is not a list of objects is a
        :class:`RecordError` (a bad event value is left for validation to name)."""
        assert cls.event_map is not None
        column = cls.event_map.column
        events, problems = read_events(
            raw.get(column), cls.event_map, lambda v: parse_time(v, cls.time_formats), where=column
        )
        if problems:
            raise RecordError("; ".join(problems))
        return events

    @classmethod
    def derive(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Source-specific values not expressible as a column rename (override when needed)."""
        return {}


ConnectorFactory = Callable[[], BaseConnector]
