"""``scripts/stack.py stop`` signals the stack's own processes only, even from a stale state file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from stack import STATE, stop

pytestmark = pytest.mark.unit


def _sleeper(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], env=env,
                            start_new_session=True)


def test_stop_leaves_a_process_that_reused_a_recorded_pid_alone(tmp_path: Path) -> None:
    stack_id = uuid.uuid4().hex
    ours = _sleeper({**os.environ, "HUB_STACK_ID": stack_id})
    # Stands for an unrelated process that got the PID of a stack process which died with the machine.
    stranger = _sleeper({k: v for k, v in os.environ.items() if k != "HUB_STACK_ID"})
    try:
        (tmp_path / STATE).write_text(json.dumps({"stack_id": stack_id, "var": str(tmp_path), "api_port": 0,
                                                  "processes": {"scheduler": ours.pid, "api-server": stranger.pid}}))
        assert stop(tmp_path, timeout=5) == []
        assert ours.wait(timeout=10) is not None
        assert stranger.poll() is None, "stop signalled a process that is not the stack's"
        assert not (tmp_path / STATE).exists()
    finally:
        for proc in (ours, stranger):
            if proc.poll() is None:
                proc.kill()
            proc.wait()
