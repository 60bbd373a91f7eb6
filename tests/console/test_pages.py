"""What the console shows and changes: masked cases, the queue, corrections through the JSON API,
held batches with their gates and a masked sample."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from console_client import AUDITOR, CLERK, Console, csrf_of, logged_in
from held_batches import held_batch
from review_data import case_of, membership

pytestmark = pytest.mark.integration

RAW = ("13800000001", "13911112222", "张伟")  # the pool's phones and name: never in a response


def _rows(engine: sa.Engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.text(sql), params).mappings()]


@pytest.mark.parametrize("who", [pytest.param(CLERK, id="clerk"), pytest.param(AUDITOR, id="auditor")])
def test_the_case_page_shows_members_payloads_and_provenance_masked(
    console: Console, who: tuple[str, str]
) -> None:
    client = logged_in(console, who)
    case_id = case_of(console.engine, "petition:p1")
    page = client.get(f"/api/cases/{case_id}").json()
    assert {m["record_id"] for m in page["members"]} >= {"petition:p1", "hotline:h1"}
    assert all(m["payload"] for m in page["members"])  # the raw payload, masked
    assert {g["field"]: (g["from"] or {}).get("record_id") for g in page["golden"]}["category"] in {
        m["record_id"] for m in page["members"]
    }
    assert page["history"][0]["event"] == "created"
    assert page["evidence"] and all(e["levels"] for e in page["evidence"])  # why the members matched
    for body in (client.get(f"/cases/{case_id}").text, str(page), client.get("/api/queue").text):
        assert not any(raw in body for raw in RAW), who
    assert "138****0001" in str(page) and "张**" in str(page)
    client.close()


def test_a_clerk_splits_merges_and_moves_and_the_read_contract_follows(console: Console) -> None:
    client = logged_in(console, CLERK)
    case_id = case_of(console.engine, "petition:p1")
    split = client.post(
        f"/api/cases/{case_id}/split", json={"record_ids": ["app:a2"], "reason": "a different site"}
    ).json()
    new_case = split["other_case_id"]
    assert membership(console.engine)["app:a2"] == new_case != case_id
    events = {
        h["event"]
        for h in _rows(console.engine, "SELECT event FROM v_case_history WHERE case_id = :c", c=new_case)
    }
    assert "split_from" in events

    moved = client.post(
        "/api/records/move",
        json={"record_id": "app:a2", "to_case_id": case_id, "reason": "same site after all"},
    )
    assert moved.status_code == 200 and membership(console.engine)["app:a2"] == case_id
    other = case_of(console.engine, "app:a1")
    merged = client.post(
        f"/api/cases/{case_id}/merge", json={"other_case_id": other, "reason": "one dispute"}
    ).json()
    assert (
        membership(console.engine)["app:a1"] == membership(console.engine)["petition:p1"] == merged["case_id"]
    )
    survivor_events = _rows(
        console.engine, "SELECT event, related_id FROM v_case_history WHERE case_id = :c", c=merged["case_id"]
    )
    assert {"event": "merged", "related_id": merged["other_case_id"]} in survivor_events
    corrections = _rows(
        console.engine, "SELECT kind, reviewer FROM v_audit_case_correction ORDER BY correction_id"
    )
    assert [(c["kind"], c["reviewer"]) for c in corrections] == [
        ("split", "wang"),
        ("move", "wang"),
        ("merge", "wang"),
    ]

    bad = client.post(f"/api/cases/{merged['case_id']}/split", json={"record_ids": [], "reason": "x"})
    assert bad.status_code == 400 and bad.json()["detail"]
    assert (
        client.post("/api/cases/case-none/merge", json={"other_case_id": other, "reason": "x"}).status_code
        == 404
    )
    client.close()


def test_the_queue_lists_pairs_and_a_verdict_is_recorded_by_the_clerk(console: Console) -> None:
    client = logged_in(console, CLERK)
    queue = client.get("/api/queue").json()
    pair = next(i for i in queue["items"] if i["kind"] == "pair")
    shown = client.get("/api/queue/item", params={"id": pair["item_id"]}).json()["item"]
    assert len(shown["records"]) == 2 and shown["levels"]
    decided = client.post(
        "/queue/decide",
        data={
            "csrf": csrf_of(client),
            "left": pair["record_id_l"],
            "right": pair["record_id_r"],
            "verdict": "different",
            "reason": "two people",
        },
        follow_redirects=False,
    )
    assert decided.status_code == 303 and "different" in decided.headers["location"]
    verdicts = _rows(console.engine, "SELECT decision, reviewer, reason FROM v_audit_review_decision")
    assert verdicts == [{"decision": "different", "reviewer": "wang", "reason": "two people"}]
    client.close()


def test_an_auditor_sees_a_held_batch_with_its_gates_and_a_masked_sample(console: Console) -> None:
    batch_id = held_batch(console.engine)
    client = logged_in(console, AUDITOR)
    listed = client.get("/api/batches").json()["batches"]
    assert [b["batch_id"] for b in listed if b["status"] == "held"] == [batch_id]
    page = client.get(f"/api/batches/{batch_id}").json()
    assert any(g["gate"] == "schema_drift" and not g["passed"] for g in page["gates"])
    assert page["sample"] and page["decisions"] == []
    html = client.get(f"/batches/{batch_id}").text
    assert "schema_drift" in html
    client.close()


def test_lists_and_reports_pages_answer(console: Console) -> None:
    (console.settings.bulletins_dir / "daily" / "2026-11-20").mkdir(parents=True)
    (console.settings.bulletins_dir / "daily" / "2026-11-20" / "index.html").write_text(
        "<h1>日报</h1>", encoding="utf-8"
    )
    client = logged_in(console, CLERK)
    lists = client.get("/api/lists").json()["lists"]
    assert [entry["list_name"] for entry in lists] == ["督办单", "预警单", "提示单"]
    reports = client.get("/api/reports").json()
    assert reports["bulletins"] == ["daily/2026-11-20/index.html"] and reports["audit"] == []
    assert "日报" in client.get("/reports/bulletins/daily/2026-11-20/index.html").text
    assert client.get("/reports/bulletins/../users.json").status_code == 404
    assert client.get("/reports/audit/x.html").status_code == 403  # audit reports: auditors only
    client.close()
