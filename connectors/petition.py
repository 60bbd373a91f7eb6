"""Petition (信访) connector: reads the petition system's relational database through SQLAlchemy."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from connectors._endpoint import ConnectionLike
from connectors.base import SHANGHAI, BaseConnector, Window
from connectors.events import EventMap

TABLE = "xf_petition"
FETCH_SIZE = 2_000
_DB_TIME = "%Y-%m-%d %H:%M:%S"


class PetitionConnector(BaseConnector):
    """Incremental on the update time ``gxsj`` (then ``xfjbh``) within the window plus the overlap."""

    source = "petition"
    conn_id = "complaints_petition"
    primary_key = "xfjbh"
    cursor_field = "gxsj"
    field_map = {
        "reported_at": "djsj",
        "received_at": "djsj",
        "phone": "lxdh",
        "address": "zz",
        "district": "xzqh",
        "street": "jdmc",
        "community": "sqmc",
        "source_category": "wtlb",
        "content": "nrzy",
        "status": "blzt",
        "dispatched_at": "slsj",
        "resolved_at": "bjsj",
        "updated_at": "gxsj",
    }
    time_formats = (_DB_TIME,)
    # 办理过程 (blgc): the petition's steps as a JSON array in a text column, in the system's pinyin keys.
    event_map = EventMap(
        column="blgc",
        keys={"type": "hj", "at": "sj", "actor": "blr", "unit": "dw", "level": "dwjb", "reason": "yj",
              "days": "yqts", "satisfaction": "myd"},
        types={"登记": "registered", "受理": "accepted", "不予受理": "not_accepted", "交办": "dispatched",
               "转办": "dispatched", "签收": "acknowledged", "延期申请": "extension_requested",
               "延期批准": "extension_approved", "延期不批准": "extension_denied", "催办": "reminded",
               "督办": "reminded", "答复": "replied", "办结": "closed", "评价": "followed_up",
               "复查复核申请": "review_requested", "复查复核意见": "review_decided"},
        detail_keys={"jd": "stage", "jg": "outcome"},
    )  # fmt: skip
    suite = "expectations.suites.petition"
    # The petition system's day, after midnight.
    schedule = {"cron": "0 0 * * *", "execution_timeout_minutes": 60}
    connection_template = {"conn_type": "generic", "extra": {"url": "sqlite:///{data_dir}/petition.db"}}

    def __init__(self, url: str) -> None:
        self.url = url

    def __repr__(self) -> str:  # the URL may carry the database password
        from sqlalchemy.engine import make_url

        return f"PetitionConnector(url={make_url(self.url).render_as_string(hide_password=True)!r})"

    @classmethod
    def from_connection(cls, conn: ConnectionLike) -> PetitionConnector:
        """Build from an Airflow connection: ``extra.url`` or the connection's own URI."""
        extra = conn.extra_dejson
        if extra.get("url"):
            return cls(str(extra["url"]))
        from sqlalchemy.engine import URL

        url = URL.create(
            drivername=str(extra.get("driver") or conn.conn_type or "postgresql"),
            username=conn.login,
            password=conn.password,
            host=conn.host,
            port=conn.port,
            database=conn.schema,
        )
        return cls(url.render_as_string(hide_password=False))

    def lineage_dataset(self) -> tuple[str, str]:
        """The petition system's table."""
        from connectors.lineage import sql_dataset

        return sql_dataset(self.url, TABLE)

    def fetch_raw(self, window: Window) -> Iterator[dict[str, Any]]:
        """Stream the petitions updated in the widened window, oldest update first."""
        import sqlalchemy as sa

        wide = window.widened()
        url, options = _engine_args(self.url)
        engine = sa.create_engine(url, **options)
        query = sa.text(
            f"SELECT * FROM {TABLE} WHERE {self.cursor_field} >= :start AND {self.cursor_field} < :end "
            f"ORDER BY {self.cursor_field}, {self.primary_key}"
        )
        try:
            with engine.connect() as conn:
                result = conn.execution_options(stream_results=True).execute(
                    query, {"start": _db_time(wide.start), "end": _db_time(wide.end)}
                )
                while rows := result.mappings().fetchmany(FETCH_SIZE):
                    for row in rows:
                        yield {key: _plain(value) for key, value in row.items()}
        finally:
            engine.dispose()

    @classmethod
    def derive(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        """A relative visiting on the complainant's behalf (代访) is recorded with the complainant as 当事人."""
        principal = (raw.get("dsrxm") or "").strip()
        name = principal or raw.get("xfrxm")
        id_number = (raw.get("dsrsfzh") or "").strip() if principal else raw.get("xfrsfzh")
        return {"name": (name or "").strip() or None, "id_number": (id_number or "").strip() or None}


def _engine_args(url: str) -> tuple[Any, dict[str, Any]]:
    """The URL and options to open the petition database with.

    ``postgresql://`` is pinned to psycopg2 (SQLAlchemy 2.1 would pick psycopg 3, not installed here),
    and the PostgreSQL session runs in Beijing time: the bounds are Beijing wall-clock text, which
    a ``timestamptz`` column would otherwise read in the server's zone.
    """
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg2")
    # Statement parameters stay out of errors and logs, as on every engine of the hub (issue 15).
    if parsed.get_backend_name() == "postgresql":
        return parsed, {"connect_args": {"options": "-c timezone=Asia/Shanghai"}, "hide_parameters": True}
    return parsed, {"hide_parameters": True}


def _db_time(moment: datetime) -> str:
    # The petition system stores naive Beijing time as text; compare in the same form.
    return moment.astimezone(SHANGHAI).strftime(_DB_TIME)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime(_DB_TIME)
    return value
