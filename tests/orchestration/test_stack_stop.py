"""``scripts/stack.py stop`` shuts supervisord down and ends what outlived it (a server that left its group),
signalling the stack's own processes only, even from a stale state file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from stack import STATE, process_state, stop

pytestmark = pytest.mark.unit


def _sleeper(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(120)"], env=env, start_new_session=True
    )


def test_stop_leaves_a_process_that_reused_a_recorded_pid_alone(tmp_path: Path) -> None:
    stack_id = uuid.uuid4().hex
    ours = _sleeper({**os.environ, "HUB_STACK_ID": stack_id})
    # Stands for an unrelated process that got the PID of a stack process which died with the machine.
    stranger = _sleeper({k: v for k, v in os.environ.items() if k != "HUB_STACK_ID"})
    try:
        (tmp_path / STATE).write_text(
            json.dumps(
                {
                    "stack_id": stack_id,
                    "var": str(tmp_path),
                    "api_port": 0,
                    "processes": {"scheduler": ours.pid, "api-server": stranger.pid},
                }
            )
        )
        assert stop(tmp_path, timeout=5) == []
        assert ours.wait(timeout=10) is not None
        assert stranger.poll() is None, "stop signalled a process that is not the stack's"
        assert not (tmp_path / STATE).exists()
    finally:
        for proc in (ours, stranger):
            if proc.poll() is None:
                proc.kill()
            proc.wait()


def test_stop_also_stops_a_server_that_left_its_group_and_hides_its_environment(tmp_path: Path) -> None:
    # What Airflow's API server does: its server process re-titles itself (overwriting the environment
    # /proc shows) and runs outside the group it was started in; only its listening socket remains.
    from stack import free_port, listeners

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import socket, time; s = socket.socket(); "
            f"s.bind(('127.0.0.1', {port})); s.listen(); time.sleep(120)",
        ],
        env={k: v for k, v in os.environ.items() if k != "HUB_STACK_ID"},
        start_new_session=True,
    )
    try:
        for _ in range(100):
            if listeners([port]):
                break
            time.sleep(0.05)
        assert listeners([port]) == [server.pid]
        (tmp_path / STATE).write_text(
            json.dumps(
                {"stack_id": uuid.uuid4().hex, "var": str(tmp_path), "api_port": port, "processes": {}}
            )
        )
        assert stop(tmp_path, timeout=5) == []
        assert server.wait(timeout=10) is not None
        assert listeners([port]) == []
    finally:
        if server.poll() is None:
            server.kill()
        server.wait()


def test_stop_also_stops_a_child_that_left_its_group_before_it_listened(tmp_path: Path) -> None:
    # Stopping a stack that is still starting: the API server's server process has left the group and
    # overwritten its environment, but does not listen yet. It is found as a descendant of a recorded process.
    stack_id = uuid.uuid4().hex
    child_file = tmp_path / "child.pid"
    spawn = (
        "import os, subprocess, sys, time; "
        "env = {k: v for k, v in os.environ.items() if k != 'HUB_STACK_ID'}; "
        "c = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'], env=env, "
        "start_new_session=True); "
        f"open({str(child_file)!r}, 'w').write(str(c.pid)); time.sleep(120)"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", spawn], env={**os.environ, "HUB_STACK_ID": stack_id}, start_new_session=True
    )
    child = 0
    try:
        for _ in range(200):
            if child_file.exists() and child_file.read_text():
                break
            time.sleep(0.05)
        child = int(child_file.read_text())
        assert os.getpgid(child) != os.getpgid(parent.pid)
        (tmp_path / STATE).write_text(
            json.dumps(
                {
                    "stack_id": stack_id,
                    "var": str(tmp_path),
                    "api_port": 0,
                    "processes": {"api-server": parent.pid},
                }
            )
        )
        assert stop(tmp_path, timeout=5) == []
        assert parent.wait(timeout=10) is not None
        for _ in range(100):
            if _exited(child):
                break
            time.sleep(0.05)
        assert _exited(child), "the child that left the group is still running"
    finally:
        if parent.poll() is None:
            parent.kill()
        parent.wait()
        if child and not _exited(child):
            os.kill(child, 9)


def _exited(pid: int) -> bool:
    """Gone, or a zombie: an orphan waits for PID 1 to reap it, and not every init does."""
    return process_state(pid) in (None, "Z")


def test_stop_shuts_supervisord_down_and_ends_the_server_that_left_its_group(tmp_path: Path) -> None:
    # The real supervisor: a program whose server process, like the API server's, runs in a session of its
    # own (out of reach of the group signals) without the stack's id; only the stop's port check finds it.
    from stack import CONF, free_port, listeners, stack_processes, supervisor, supervisord_conf

    stack_id, port = uuid.uuid4().hex, free_port()
    server = f"import socket, time; s = socket.socket(); s.bind(('127.0.0.1', {port})); s.listen(); time.sleep(120)"
    program = (
        "import os, subprocess, sys, time; "
        "env = {k: v for k, v in os.environ.items() if k != 'HUB_STACK_ID'}; "
        f"subprocess.Popen([sys.executable, '-c', {server!r}], env=env, start_new_session=True); time.sleep(120)"
    )
    (tmp_path / "logs").mkdir()
    (tmp_path / CONF).write_text(
        supervisord_conf(tmp_path, {"api-server": [sys.executable, "-c", program]}, "t")
    )
    (tmp_path / STATE).write_text(json.dumps({"stack_id": stack_id, "var": str(tmp_path), "api_port": port}))
    env = {**os.environ, "HUB_STACK_ID": stack_id}
    subprocess.run(
        [sys.executable, "-m", "supervisor.supervisord", "-c", str(tmp_path / CONF)], env=env, check=True
    )
    try:
        for _ in range(200):
            if listeners([port]):
                break
            time.sleep(0.05)
        assert listeners([port]), "the server did not start"
        assert supervisor(tmp_path).supervisor.getProcessInfo("api-server")["statename"] in (
            "STARTING",
            "RUNNING",
        )
        assert stop(tmp_path, timeout=5) == []
        assert listeners([port]) == [] and stack_processes(stack_id) == []
        assert not (tmp_path / "supervisor.sock").exists() and not (tmp_path / STATE).exists()
    finally:
        for pid in stack_processes(stack_id, [port]):
            os.kill(pid, 9)
