"""The console end to end in headless Chromium: log in, open the queue, decide a pair, split a case;
the pool, its history and the read contract change, and the next matching run keeps the split.

``HUB_CONSOLE_SCREENSHOTS=docs/img`` also writes the screenshots of docs/console.md there.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import uvicorn
from browser_session import BrowserSession
from console_client import CLERK, Console
from offline_browser import require_chromium
from review_data import LATER, case_of, membership, pool

from console import create_app

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(console: Console) -> Iterator[str]:
    """The console served by uvicorn on a free loopback port (a thread of this process)."""
    if console.engine.dialect.name != "sqlite":
        pytest.skip("one browser run is enough: test_pages.py covers both engines")
    require_chromium()
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(console.settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the console did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _scalar(engine: sa.Engine, sql: str, **params: str) -> object:
    with engine.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar()


def test_a_clerk_decides_a_pair_and_splits_a_case_in_the_browser(
    console: Console, served: str, tmp_path: Path
) -> None:
    shots = Path(os.environ.get("HUB_CONSOLE_SCREENSHOTS") or tmp_path)
    original = case_of(console.engine, "petition:p1")
    with BrowserSession() as browser:
        assert "/login?next=/queue" in browser.goto(f"{served}/queue")  # no session: the login form
        browser.fill("input[name=username]", CLERK[0])
        browser.fill("input[name=password]", CLERK[1])
        assert browser.click_and_wait("form.login button").endswith("/queue")

        before = int(browser.text("#queue-total"))
        pair = browser.evaluate("document.querySelector('tr.item.pair').dataset.item")
        left, right = pair.removeprefix("pair:").split("|")
        browser.screenshot(shots / "console-queue.png", height=700)
        browser.fill("tr.item.pair form.decide input[name=reason]", "另一个人: 不同身份证")
        browser.click_and_wait("tr.item.pair form.decide button[value=different]")
        assert "Recorded — different" in browser.text("#flash")
        assert int(browser.text("#queue-total")) == before - 1
        assert pair not in str(
            browser.evaluate("[...document.querySelectorAll('tr.item')].map(r => r.dataset.item)")
        )

        browser.goto(f"{served}/cases/{original}")
        browser.tick("input[name=record_ids][value='app:a2']")
        browser.fill("#split input[name=reason]", "手机号不同, 另一工地")
        browser.screenshot(shots / "console-split.png", height=1100)
        browser.click_and_wait("#split button")
        flash = browser.text("#flash")
        assert "split: 1 record into case-" in flash
        assert "split_into" in browser.text(".history") and "app:a2" not in browser.text("table.members")
        browser.screenshot(shots / "console-after-split.png", height=1100)
        new_case = flash.rsplit(" ", 1)[1]
        browser.goto(f"{served}/cases/{new_case}")
        assert "split_from" in browser.text(".history") and "app:a2" in browser.text("table.members")

    engine = console.engine
    verdict = _scalar(
        engine,
        "SELECT reviewer FROM v_audit_review_decision WHERE decision = 'different' "
        "AND record_id_l = :l AND record_id_r = :r",
        l=min(left, right),
        r=max(left, right),
    )
    assert verdict == CLERK[0]
    assert membership(engine)["app:a2"] == new_case != original
    assert (
        _scalar(
            engine,
            "SELECT count(*) FROM v_case_history WHERE case_id = :c AND event = 'split_into'",
            c=original,
        )
        == 1
    )
    assert _scalar(engine, "SELECT correction_id FROM v_case_member WHERE record_id = 'app:a2'") is not None

    pool(engine, [LATER], key="later")  # the next matching run: a report that matches the whole dispute
    after = membership(engine)
    assert (
        after["app:a2"] == new_case
        and after["petition:p1"] == original
        and after["app:a2"] != after["app:a9"]
    )
