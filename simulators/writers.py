"""Write a world to disk the way each real system would hold it, plus the ground truth and a manifest.

Layout of ``out_dir``::

    petition.db                 SQLite, table xf_petition (all TEXT; NULL where the system leaves a field empty)
    police/jq_YYYYMMDD_HHMM.csv GB18030 CSV exports, one per 6-hour period of 更新时间 (named for the period start)
    netizen/ly_YYYYMMDD_HHMM.json the message board's UTF-8 JSON exports, one per 6-hour period of update_time
    hotline.jsonl               the hotline platform's work orders, one JSON object per line (served by server.py)
    app.jsonl                   the app's Open311 service requests, one JSON object per line (served by server.py)
    truth.csv                   record_id,case_key,group_key,person_key for every record
    defects.csv                 record_id,kind for every deliberately bad record
    manifest.json               seed, span, counts, injected defects, hard-case stats, files

Writes stream row by row, each file goes to a temporary name first and is renamed into place, and the
same world always produces byte-identical files.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from simulators.world import World

PETITION_COLUMNS: tuple[str, ...] = (
    "xfjbh", "djsj", "xfrxm", "xfrsfzh", "lxdh", "dsrxm", "dsrsfzh", "zz", "xzqh", "jdmc", "sqmc",
    "wtlb", "nrzy", "blzt", "slsj", "bjsj", "gxsj", "blgc",
)  # fmt: skip
POLICE_COLUMNS: tuple[str, ...] = (
    "接警单编号", "报警时间", "报警人姓名", "报警人电话", "报警人身份证号", "发案地址", "管辖区县",
    "警情类别代码", "简要警情", "处警状态", "更新时间", "处警记录",
)  # fmt: skip
POLICE_ENCODING = "gb18030"
POLICE_EXPORT_HOURS = 6
NETIZEN_PLATFORM = "兰州市网民留言办理平台"


@contextmanager
def _replacing(path: Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open ``path``'s temporary sibling for writing and move it over ``path`` once complete."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open(mode, **kwargs) as handle:
        yield handle
    os.replace(tmp, path)


def write_petition_db(rows: list[dict[str, Any]], path: Path) -> None:
    """Write the petition system's table ``xf_petition`` (with an index on its cursor ``gxsj, xfjbh``)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    columns = ", ".join(f"{c} TEXT" + (" PRIMARY KEY" if c == "xfjbh" else "") for c in PETITION_COLUMNS)
    connection = sqlite3.connect(tmp)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute(f"CREATE TABLE xf_petition ({columns})")
        placeholders = ", ".join("?" for _ in PETITION_COLUMNS)
        with connection:
            connection.executemany(
                f"INSERT INTO xf_petition VALUES ({placeholders})",
                (tuple(row.get(c) for c in PETITION_COLUMNS) for row in rows),
            )
        connection.execute("CREATE INDEX ix_xf_petition_gxsj ON xf_petition (gxsj, xfjbh)")
        connection.commit()
    finally:
        connection.close()
    os.replace(tmp, path)


def write_police_exports(world: World, directory: Path) -> list[dict[str, Any]]:
    """Write one GB18030 CSV per export period; stale ``jq_*.csv`` files in ``directory`` are removed.

    Returns:
        One entry per file: name, the 更新时间 range it covers, and its row count.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for stale in sorted(directory.glob("jq_*.csv")):
        stale.unlink()
    step = timedelta(hours=POLICE_EXPORT_HOURS)
    files = []
    for begin, bucket in _periods(world, "police", "更新时间", "%Y/%m/%d %H:%M:%S"):
        name = f"jq_{begin:%Y%m%d_%H%M}.csv"
        with _replacing(directory / name, encoding=POLICE_ENCODING, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(POLICE_COLUMNS)
            writer.writerows([row.get(c, "") for c in POLICE_COLUMNS] for row in bucket)
        files.append({"file": f"police/{name}", "from": f"{begin:%Y-%m-%d %H:%M:%S}",
                      "to": f"{begin + step:%Y-%m-%d %H:%M:%S}", "rows": len(bucket)})  # fmt: skip
    return files


def _periods(world: World, source: str, field: str, fmt: str) -> list[tuple[datetime, list[dict[str, Any]]]]:
    """The source's rows split into export periods by ``field`` (an update time written as ``fmt``)."""
    step = timedelta(hours=POLICE_EXPORT_HOURS)
    periods = world.days * 24 // POLICE_EXPORT_HOURS
    buckets: list[list[dict[str, Any]]] = [[] for _ in range(periods)]
    start = world.span_start
    # Period boundaries in the export's own time format: bisecting the text finds the period.
    edges = [f"{start + step * i:{fmt}}" for i in range(1, periods)]
    for row in world.rows[source]:
        buckets[bisect_right(edges, row[field])].append(row)  # update times are never damaged
    return [(start + step * index, bucket) for index, bucket in enumerate(buckets)]


def write_netizen_exports(world: World, directory: Path) -> list[dict[str, Any]]:
    """Write one JSON export of the message board per period; stale ``ly_*.json`` files are removed.

    Returns:
        One entry per file: name, the update_time range it covers, and its message count.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for stale in sorted(directory.glob("ly_*.json")):
        stale.unlink()
    step = timedelta(hours=POLICE_EXPORT_HOURS)
    files = []
    for begin, bucket in _periods(world, "netizen", "update_time", "%Y-%m-%d %H:%M:%S"):
        name = f"ly_{begin:%Y%m%d_%H%M}.json"
        document = {
            "platform": NETIZEN_PLATFORM,
            "exported_at": f"{begin + step:%Y-%m-%dT%H:%M:%S}+08:00",
            "from": f"{begin:%Y-%m-%d %H:%M:%S}",
            "to": f"{begin + step:%Y-%m-%d %H:%M:%S}",
            "count": len(bucket),
            "messages": bucket,
        }
        with _replacing(directory / name, encoding="utf-8", newline="\n") as handle:
            json.dump(document, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        files.append(
            {"file": f"netizen/{name}", "from": document["from"], "to": document["to"], "rows": len(bucket)}
        )
    return files


def write_jsonl(rows: list[dict[str, Any]], path: Path) -> None:
    """One compact UTF-8 JSON object per line."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with _replacing(path, encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(dumps(row))
            handle.write("\n")


def write_sources(world: World, out_dir: Path | str) -> dict[str, Any]:
    """Write every source, the truth, the defects list and the manifest under ``out_dir``.

    Args:
        world: from :func:`simulators.generate_world`.
        out_dir: target directory (created if missing; files are overwritten).

    Returns:
        The manifest (also written to ``out_dir/manifest.json``).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_petition_db(world.rows["petition"], out / "petition.db")
    police_files = write_police_exports(world, out / "police")
    netizen_files = write_netizen_exports(world, out / "netizen")
    write_jsonl(world.rows["hotline"], out / "hotline.jsonl")
    write_jsonl(world.rows["app"], out / "app.jsonl")
    with _replacing(out / "truth.csv", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("record_id", "case_key", "group_key", "person_key"))
        writer.writerows(world.truth)
    with _replacing(out / "defects.csv", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("record_id", "kind"))
        writer.writerows(sorted(world.defects.items()))
    manifest = world.manifest()
    manifest["files"] = {
        "petition": "petition.db",
        "police": police_files,
        "hotline": "hotline.jsonl",
        "app": "app.jsonl",
        "netizen": netizen_files,
        "truth": "truth.csv",
        "defects": "defects.csv",
    }
    with _replacing(out / "manifest.json", encoding="utf-8", newline="\n") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    return manifest
