"""The review queue, verdicts and corrections on a real pool, on both engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from pool_data import rows
from review_data import case_of, membership, pool

from warehouse import make_engine
from warehouse.review import (
    InvalidInput,
    NotFound,
    decide,
    decide_bulk,
    merge_cases,
    move_record,
    review_item,
    review_queue,
    split_case,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def engine(migrated_url: str, monkeypatch: pytest.MonkeyPatch) -> sa.Engine:
    monkeypatch.setenv("HUB_DATABASE_URL", migrated_url)
    engine = make_engine(migrated_url)
    pool(engine)
    return engine


def _pairs(engine: sa.Engine) -> list[str]:
    return [i["item_id"] for i in review_queue(engine, kind="pair", limit=100)["items"]]


def test_the_queue_lists_review_band_pairs_most_pool_changing_first(engine: sa.Engine) -> None:
    queue = review_queue(engine, limit=100)
    pairs = [i for i in queue["items"] if i["kind"] == "pair"]
    assert queue["total"] == len(queue["items"]) and pairs
    waiting = rows(
        engine,
        "SELECT case_id_l, case_id_r FROM v_match_evidence WHERE decision = 'review' AND case_id_l <> case_id_r",
    )
    joined: dict[frozenset[str], int] = {}
    for r in waiting:  # one item per two cases, shown by their most probable pair
        key = frozenset((r["case_id_l"], r["case_id_r"]))
        joined[key] = joined.get(key, 0) + 1
    assert {frozenset((i["case_id_l"], i["case_id_r"])): i["n_pairs"] for i in pairs} == joined
    priorities = [i["priority"] for i in queue["items"]]
    assert priorities == sorted(priorities, reverse=True)
    for item in pairs:  # the rule: records the verdict joins x match probability
        assert item["priority"] == pytest.approx(item["n_records"] * item["match_probability"], abs=1e-3)
        assert item["case_id_l"] != item["case_id_r"] and len(item["records"]) == 2
    # Paging is stable.
    assert review_queue(engine, limit=1, offset=1)["items"][0]["item_id"] == queue["items"][1]["item_id"]


def test_records_are_masked_for_the_role(engine: sa.Engine) -> None:
    item = review_queue(engine, kind="pair", limit=1)["items"][0]["item_id"]
    reader, clerk = review_item(engine, item, role="reader"), review_item(engine, item, role="clerk")
    text = json.dumps(reader, ensure_ascii=False, default=str)
    assert "13800000001" not in text and "张伟" not in text and "城关区A路1号" not in text
    assert {r["name"] for r in reader["records"]} <= {"张**"} and reader["same_phone"] is True
    assert any(r["name"] == "张伟" for r in clerk["records"]) and "address" in clerk["records"][0]
    assert "13800000001" not in json.dumps(clerk, ensure_ascii=False, default=str)
    assert reader["levels"] and reader["decision"] == "review"
    with pytest.raises(InvalidInput, match="role"):
        review_queue(engine, role="admin")


def test_verdicts_take_pairs_off_the_queue_and_same_merges_the_cases(engine: sa.Engine) -> None:
    first, second, *_ = _pairs(engine)
    left, right = first.removeprefix("pair:").split("|")
    unsure = decide(engine, right, left, "unsure", "clerk-1", "cannot tell")
    assert unsure["merge"] is None and first in _pairs(engine)  # unsure: still waiting
    done = decide(engine, left, right, "different", "clerk-1", "another dispute")
    assert done == {"recorded": "different", "pair": [left, right], "case_id_l": case_of(engine, left),
                    "case_id_r": case_of(engine, right), "merge": None}  # fmt: skip
    assert first not in _pairs(engine)
    apart = {done["case_id_l"], done["case_id_r"]}  # no other pair of those two cases waits either
    assert all({i["case_id_l"], i["case_id_r"]} != apart for i in review_queue(engine, kind="pair")["items"])
    left, right = second.removeprefix("pair:").split("|")
    before = case_of(engine, left), case_of(engine, right)
    merged = decide(engine, left, right, "same", "clerk-2", "same phone, same site")["merge"]
    assert merged and {merged["case_id"], merged["other_case_id"]} == set(before)
    assert case_of(engine, left) == case_of(engine, right) == merged["case_id"]
    history = rows(engine, "SELECT event, related_id, detail FROM v_case_history WHERE case_id = :c AND event = 'merged'",
                   c=merged["case_id"])  # fmt: skip
    detail = (
        history[0]["detail"] if isinstance(history[0]["detail"], dict) else json.loads(history[0]["detail"])
    )
    assert detail["reviewer"] == "clerk-2" and detail["reason"] == "same phone, same site"
    audit = rows(engine, "SELECT decision, reviewer, reason FROM v_audit_review_decision ORDER BY decision")
    assert [(a["decision"], a["reviewer"]) for a in audit] == [("different", "clerk-1"), ("same", "clerk-2")]


def test_split_merge_and_move_rewrite_the_pool_and_its_history(engine: sa.Engine) -> None:
    wages = case_of(engine, "petition:p1")
    assert case_of(engine, "hotline:h1") == wages and case_of(engine, "app:a2") == wages
    split = split_case(engine, wages, ["app:a2"], "clerk-1", "a different complainant's phone")
    new = split["other_case_id"]
    assert (
        split["case_id"] == wages
        and case_of(engine, "app:a2") == new
        and case_of(engine, "hotline:h1") == wages
    )
    cases = {r["case_id"]: r for r in rows(engine, "SELECT case_id, n_records, status FROM v_case WHERE case_id IN (:a, :b)",
                                           a=wages, b=new)}  # fmt: skip
    assert cases[wages]["n_records"] == 2 and cases[new]["n_records"] == 1
    events = {
        (r["case_id"], r["event"], r["related_id"]) for r in rows(engine, "SELECT * FROM v_case_history")
    }
    assert {(wages, "split_into", new), (new, "split_from", wages)} <= events
    member = rows(engine, "SELECT correction_id FROM v_case_member WHERE record_id = 'app:a2'")
    assert member == [{"correction_id": split["correction_id"]}]

    moved = move_record(engine, "hotline:h1", new, "clerk-1", "the hotline call was about the second site")
    assert case_of(engine, "hotline:h1") == new and moved["case_id"] == wages
    pairs = {(r["case_id"], r["event"]) for r in rows(engine, "SELECT * FROM v_case_history")}
    assert {(wages, "moved_out"), (new, "moved")} <= pairs

    merged = merge_cases(engine, new, wages, "clerk-2", "one dispute after all")
    assert merged["case_id"] == wages  # the older case survives
    assert {case_of(engine, r) for r in ("petition:p1", "hotline:h1", "app:a2")} == {wages}
    (gone,) = rows(engine, "SELECT status, merged_into FROM v_case WHERE case_id = :c", c=new)
    assert gone == {"status": "merged", "merged_into": wages}
    audit = rows(engine, "SELECT kind, reviewer, reason FROM v_audit_case_correction ORDER BY correction_id")
    assert [a["kind"] for a in audit] == ["split", "move", "merge"] and audit[2]["reviewer"] == "clerk-2"
    # The corrected cases changed for the alert feed: updated, with their new sizes.
    (feed,) = rows(engine, "SELECT n_records, change FROM v_alert_feed WHERE case_id = :c", c=wages)
    assert feed["n_records"] == 3


def test_bad_corrections_are_refused_and_change_nothing(engine: sa.Engine) -> None:
    wages, other = case_of(engine, "petition:p1"), case_of(engine, "app:a1")
    before = membership(engine)
    with pytest.raises(NotFound, match="no case 'case-nope'"):
        split_case(engine, "case-nope", ["app:a2"], "clerk", "why")
    with pytest.raises(InvalidInput, match="not members of case"):
        split_case(engine, wages, ["app:a1"], "clerk", "why")
    with pytest.raises(InvalidInput, match="leaves it empty"):
        split_case(engine, wages, ["petition:p1", "hotline:h1", "app:a2"], "clerk", "why")
    with pytest.raises(InvalidInput, match="reason"):
        split_case(engine, wages, ["app:a2"], "clerk", " ")
    with pytest.raises(InvalidInput, match="itself"):
        merge_cases(engine, wages, wages, "clerk", "why")
    with pytest.raises(InvalidInput, match="already"):
        move_record(engine, "app:a2", wages, "clerk", "why")
    with pytest.raises(NotFound, match="not in any case"):
        move_record(engine, "app:nope", other, "clerk", "why")
    with pytest.raises(NotFound):
        decide(engine, "app:nope", "app:a1", "same", "clerk")
    with pytest.raises(InvalidInput, match="verdict"):
        decide(engine, "app:a2", "app:a1", "maybe", "clerk")
    merged = merge_cases(engine, wages, other, "clerk", "test")
    with pytest.raises(InvalidInput, match="was merged into"):
        split_case(engine, merged["other_case_id"], ["app:a1"], "clerk", "why")
    assert rows(engine, "SELECT count(*) AS n FROM case_correction") == [{"n": 1}]
    assert {r: c for r, c in membership(engine).items() if r != "app:a1"} == {
        r: c for r, c in before.items() if r != "app:a1"
    }


def test_bulk_verdicts_are_all_or_nothing(engine: sa.Engine, tmp_path: Path) -> None:
    pairs = [p.removeprefix("pair:").split("|") for p in _pairs(engine)]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "record_id_l,record_id_r,decision,reason\n"
        f"{pairs[0][0]},{pairs[0][1]},different,other dispute\n"
        "app:a1,app:a1,same,\n"
        f"{pairs[1][0]},{pairs[1][1]},maybe,\n"
        f"{pairs[1][0]},app:nope,same,\n"
        ",,,\n",
        encoding="utf-8",
    )
    result = decide_bulk(engine, bad, "clerk-3")
    assert result["recorded"] == 0 and [e["line"] for e in result["errors"]] == [3, 4]
    assert "twice" in result["errors"][0]["error"] and "maybe" in result["errors"][1]["error"]
    assert rows(engine, "SELECT count(*) AS n FROM review_decision") == [{"n": 0}]
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(f"record_id_l,record_id_r,decision\n{pairs[0][0]},app:nope,same\n", encoding="utf-8")
    assert decide_bulk(engine, unknown, "clerk-3")["errors"] == [
        {"line": 2, "error": "no staged record app:nope"}
    ]
    good = tmp_path / "good.csv"
    good.write_text("\ufeffrecord_id_l,record_id_r,decision,note\n"
                    + "".join(f"{b},{a},different,x\n" for a, b in pairs) + "app:a1,police:x1,,\n",
                    encoding="utf-8")  # fmt: skip
    assert decide_bulk(engine, good, "clerk-3") == {
        "recorded": len(pairs),
        "skipped": 1,
        "merges": 0,
        "errors": [],
    }
    assert _pairs(engine) == []
    same = tmp_path / "same.csv"
    same.write_text(
        "record_id_l,record_id_r,decision,reason\napp:a1,petition:p1,same,one dispute\n", encoding="utf-8"
    )
    assert decide_bulk(engine, same, "clerk-3")["merges"] == 1
    assert case_of(engine, "app:a1") == case_of(engine, "petition:p1")
    with pytest.raises(NotFound):
        decide_bulk(engine, tmp_path / "missing.csv", "clerk-3")


def test_the_review_commands(engine: sa.Engine, capsys: pytest.CaptureFixture[str]) -> None:
    from warehouse.__main__ import main

    url = engine.url.render_as_string(hide_password=False)
    assert main(["--url", url, "review", "list", "--limit", "2", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed["items"]) == 2
    left, right = listed["items"][0]["item_id"].removeprefix("pair:").split("|")
    assert main(["--url", url, "review", "show", left, right, "--role", "clerk"]) == 0
    shown = capsys.readouterr().out
    assert "张伟" in shown and "levels" in shown and "13800000001" not in shown
    assert (
        main(["--url", url, "review", "decide", left, right, "different", "--reviewer", "c", "--reason", "r"])
        == 0
    )
    assert "recorded different" in capsys.readouterr().out
    wages = case_of(engine, "petition:p1")
    argv = ["--url", url, "review", "split", wages, "app:a2", "--reviewer", "c", "--reason", "r", "--json"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["kind"] == "split"
    assert main(["--url", url, "review", "split", wages, "app:zz", "--reviewer", "c", "--reason", "r"]) == 1
    assert "not members of case" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["--url", url, "review", "merge", wages, "--reviewer", "c", "--reason", "r"])
    assert usage.value.code == 2
    # The first form still records a verdict on any two ids.
    assert main(["--url", url, "review", "a:1", "b:2", "same", "--reviewer", "c"]) == 0
    assert json.loads(capsys.readouterr().out) == {"recorded": "same", "pair": ["a:1", "b:2"]}
