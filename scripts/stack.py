"""The production-like stack natively (no Docker) under supervisord: Airflow's scheduler, DAG processor,
triggerer and API server on this machine's PostgreSQL, the LocalExecutor (or Celery on the local Redis),
and the simulators serving the sources.

    python scripts/stack.py start [--var var/stack] [--api-port 8080] [--executor local|celery]
    python scripts/stack.py status
    python scripts/stack.py stop

``start`` prepares (databases, sources, migrations), writes ``<var>/supervisord.conf``, starts supervisord
and waits until every component is healthy; ``supervisorctl -c <var>/supervisord.conf`` works on it too.
``stop`` shuts supervisord down, then ends what outlived it (every process carries ``HUB_STACK_ID``; the
API server hides it by re-titling itself, so its port is checked too).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import uuid
import xmlrpc.client
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from embedded import ROOT, Embedded, generate_sources  # noqa: E402
from stack_config import PG_ADMIN, StackConfig, create_databases, default_start, secret, stack_env  # noqa: E402

AIRFLOW = str(Path(sys.executable).with_name("airflow"))
STATE = "stack.json"
CONF = "supervisord.conf"
STOP_WAIT = 30  # seconds supervisord gives a program between SIGINT and SIGKILL to its group


def programs(config: StackConfig, sim_port: int) -> dict[str, list[str]]:
    """The supervised programs, in start order (supervisord stops them in the reverse order)."""
    commands = {
        "simulators": [sys.executable, "-m", "simulators", "serve", "--data", str(config.var / "sources")]
        + ["--host", "127.0.0.1", "--port", str(sim_port), "--port-file", str(config.var / "simulator.url")],
        "api-server": [AIRFLOW, "api-server", "--port", str(config.api_port)],
        "scheduler": [AIRFLOW, "scheduler"],
        "dag-processor": [AIRFLOW, "dag-processor"],
        "triggerer": [AIRFLOW, "triggerer"],
        "celery-worker": [AIRFLOW, "celery", "worker"],
    }
    if not config.triggerer:
        del commands["triggerer"]
    if config.executor != "celery":
        del commands["celery-worker"]
    return commands


CONF_HEAD = """[unix_http_server]
file={var}/supervisor.sock
chmod=0700
[supervisord]
logfile={var}/logs/supervisord.log
pidfile={var}/supervisord.pid
childlogdir={var}/logs
{user}
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://{var}/supervisor.sock
"""
# Each program in its own process group: SIGINT to the group on stop (Airflow stops cleanly on it; a
# restarted one too), SIGKILL to the group after STOP_WAIT seconds.
CONF_PROGRAM = """[program:{name}]
command={command}
directory={root}
priority={priority}
startsecs=5
autorestart=true
stopsignal=INT
stopwaitsecs={stop_wait}
stopasgroup=true
killasgroup=true
stdout_logfile={var}/logs/{name}.log
redirect_stderr=true
"""


def supervisord_conf(var: Path, commands: dict[str, list[str]], sim_token: str) -> str:
    """supervisord's configuration: a private UNIX socket, logs in ``var/logs``, one group per program.

    No environment in it but the simulators' token: supervisord hands its own (set by ``start``) to every
    program.
    """
    # supervisord expands %(name)s in values: escape every %.
    var_, root = (str(p).replace("%", "%%") for p in (var, ROOT))
    text = CONF_HEAD.format(var=var_, user="user=root" if os.geteuid() == 0 else "")  # quiets a warning
    for priority, (name, cmd) in enumerate(commands.items(), start=1):
        command = shlex.join(cmd).replace("%", "%%")
        text += CONF_PROGRAM.format(
            name=name, command=command, root=root, priority=priority * 10, stop_wait=STOP_WAIT, var=var_
        )
        if name == "simulators":
            text += f'environment=HUB_SIM_TOKEN="{sim_token}"\n'
    return text


def supervisor(var: Path) -> Any:
    """An XML-RPC proxy on the supervisord of the stack in ``var`` (its private UNIX socket)."""
    from supervisor.xmlrpc import SupervisorTransport

    transport = SupervisorTransport(None, None, f"unix://{var / 'supervisor.sock'}")
    return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport)


def health(api_port: int) -> dict[str, Any] | None:
    """The API server's health document (scheduler, DAG processor, triggerer heartbeats), or ``None``."""
    import urllib.request

    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{api_port}/api/v2/monitor/health", timeout=3
        ) as response:
            data: dict[str, Any] = json.load(response)
            return data
    except (OSError, ValueError):
        return None


def _healthy(api_port: int, components: tuple[str, ...]) -> bool:
    data = health(api_port) or {}
    return bool(data) and all(data.get(c, {}).get("status") == "healthy" for c in components)


def _wait_for(what: str, ready: Callable[[], bool], timeout: float, var: Path, pids: dict[str, int]) -> None:
    """Wait for ``ready``; fail as soon as a program is down or was restarted (its PID changed)."""
    deadline = time.monotonic() + timeout
    while not ready():
        infos = supervisor(var).supervisor.getAllProcessInfo()
        dead = [
            p["name"]
            for p in infos
            if p["statename"] not in ("STARTING", "RUNNING")
            or pids.setdefault(p["name"], p["pid"]) != p["pid"]
        ]
        if dead:
            raise RuntimeError(f"{', '.join(dead)} exited while waiting for {what} (logs in {var / 'logs'})")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not ready after {timeout:.0f}s")
        time.sleep(1)


def start(config: StackConfig) -> dict[str, Any]:
    """Start the stack (idempotent on the databases and the simulated sources); returns its state.

    Raises:
        RuntimeError: a stack already runs from ``config.var``, or a process died while starting.
    """
    var = config.var
    var.mkdir(parents=True, exist_ok=True)
    if (var / STATE).exists():
        raise RuntimeError(f"a stack is already running from {var} (stop it first)")
    (var / "logs").mkdir(exist_ok=True)
    create_databases(config)
    emb = Embedded(var=var, database_url="")
    if not (emb.sources / "manifest.json").exists():
        generate_sources(emb, config.seed, config.records, config.start or default_start(), config.days)
    sim_port, stack_id = free_port(), uuid.uuid4().hex
    env = stack_env(config, f"http://127.0.0.1:{sim_port}", stack_id)
    subprocess.run([AIRFLOW, "db", "migrate"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    prepare = "from orchestration.ingest import prepare_warehouse as p; p()"
    subprocess.run([sys.executable, "-c", prepare], env=env, cwd=ROOT, check=True)
    commands = programs(config, sim_port)
    (var / CONF).write_text(supervisord_conf(var, commands, secret(var, "simulator.token")), encoding="utf-8")
    (var / CONF).chmod(0o600)  # it holds the simulators' token
    (var / "simulator.url").unlink(missing_ok=True)
    keep = ("AIRFLOW", "HUB_", "PYTHONPATH")
    state: dict[str, Any] = {"stack_id": stack_id, "var": str(var), "api_port": config.api_port}
    state["env"] = {k: v for k, v in env.items() if k.startswith(keep)}
    _save(var, state)
    try:
        # supervisord daemonises: this returns once it is running; it and every program inherit ``env``.
        subprocess.run(
            [sys.executable, "-m", "supervisor.supervisord", "-c", str(var / CONF)], env=env, check=True
        )
        pids: dict[str, int] = {}
        sim_ready = (var / "simulator.url").exists
        _wait_for("the simulators", sim_ready, 60, var, pids)
        wanted = ("metadatabase", "scheduler", "dag_processor") + (("triggerer",) if config.triggerer else ())
        _wait_for(
            "the API server and the scheduler", lambda: _healthy(config.api_port, wanted), 240, var, pids
        )
    except BaseException:
        stop(var)
        raise
    return state


def _save(var: Path, state: dict[str, Any]) -> None:
    path = var / STATE
    path.write_text(json.dumps(state, indent=2), encoding="utf-8")
    path.chmod(0o600)  # it holds the connections' secrets


def stop(var: Path, timeout: float = 30) -> list[int]:
    """Stop the stack started from ``var``: supervisord's shutdown, then whatever outlived it (SIGTERM,
    after ``timeout`` SIGKILL); returns any process that survived (none, normally)."""
    path = var / STATE
    if not path.exists():
        return []
    state = json.loads(path.read_text(encoding="utf-8"))
    ours = _ours(state["stack_id"])
    # Taken before the shutdown: a child that left its group and hid its environment is found only below
    # its parent, while the parent lives.
    tree = ours | {child for proc in ours for child in _children(proc)}
    try:
        daemon = [p for p in ours if p.pid == supervisor(var).supervisor.getPID()]
        supervisor(var).supervisor.shutdown()  # each program: SIGINT to its group, SIGKILL later
        _wait_gone(daemon, STOP_WAIT * 6 + 10)
    except (OSError, xmlrpc.client.Error):
        pass  # no supervisord (it died, or never started): only the sweep below

    def remaining() -> list[psutil.Process]:
        return sorted(
            (p for p in tree | _ours(state["stack_id"], [state["api_port"]]) if _running(p)), key=_pid
        )

    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        left = remaining()
        for proc in left:
            with contextlib.suppress(psutil.Error):
                proc.send_signal(sig)  # psutil refuses a PID reused since ``tree`` was taken
        _wait_gone(left, wait)
    left_pids = [p.pid for p in remaining()]
    if not left_pids:
        path.unlink()
    return left_pids


def _pid(proc: psutil.Process) -> int:
    return int(proc.pid)


def _ours(stack_id: str, ports: Iterable[int] = ()) -> set[psutil.Process]:
    """The live processes whose environment carries ``HUB_STACK_ID=<stack_id>`` (the stack started them),
    and those listening on one of ``ports`` (the API server re-titles itself, which overwrites the
    environment /proc shows)."""
    listening = set(listeners(ports))
    found: set[psutil.Process] = set()
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            if proc.pid != os.getpid() and _running(proc):
                if proc.pid in listening or proc.environ().get("HUB_STACK_ID") == stack_id:
                    found.add(proc)
    return found


def stack_processes(stack_id: str, ports: Iterable[int] = ()) -> list[int]:
    """The PIDs of the stack's live processes (see ``_ours``)."""
    return sorted(map(_pid, _ours(stack_id, ports)))


def listeners(ports: Iterable[int]) -> list[int]:
    """The processes holding a listening TCP socket on one of ``ports``."""
    wanted = set(ports)
    connections = psutil.net_connections("tcp") if wanted else []
    return sorted({c.pid for c in connections if c.status == "LISTEN" and c.laddr.port in wanted and c.pid})


def _children(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return list(proc.children(recursive=True))
    except psutil.Error:
        return []


def _running(proc: psutil.Process) -> bool:
    """Neither gone, nor a zombie, nor a PID since reused by another process."""
    try:
        return bool(proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def _wait_gone(procs: Iterable[psutil.Process], timeout: float) -> None:
    """Wait until each of ``procs`` has exited (a zombie counts: not every init reaps orphans at once)."""
    deadline = time.monotonic() + timeout
    while any(_running(p) for p in procs) and time.monotonic() < deadline:
        time.sleep(0.2)


def process_state(pid: int) -> str | None:
    """The process's state letter (``R``, ``S``, ``Z`` for a zombie …), or ``None`` once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--var", type=Path, default=ROOT / "var" / "stack")
    parser.add_argument("--api-port", type=int, default=8080)
    parser.add_argument("--executor", choices=["local", "celery"], default="local")
    parser.add_argument(
        "--pg",
        default=os.environ.get("HUB_STACK_POSTGRES_URL", PG_ADMIN),
        help="an admin URL of the PostgreSQL server to create the databases on",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--records", type=int, default=6000)
    parser.add_argument("--start", default=None, help="first simulated day (default: yesterday, Beijing)")
    args = parser.parse_args()
    var = args.var.resolve()
    if args.command == "stop":
        left = stop(var)
        print("stopped" if not left else f"still running: {left}")
        return 1 if left else 0
    if args.command == "start":
        keys = ("api_port", "executor", "seed", "records", "start")
        try:
            start(StackConfig(var=var, pg_admin_url=args.pg, **{k: getattr(args, k) for k in keys}))
        except RuntimeError as exc:  # already running, or a program died while starting (it was stopped)
            print(f"stack.py: {exc}", file=sys.stderr)
            return 1
        print(
            f"stack up: Airflow UI at http://localhost:{args.api_port} (user admin, password in "
            f"{var / 'airflow' / 'passwords.json'}); logs in {var / 'logs'}; `make stack-stop` stops it"
        )
    elif not (var / STATE).exists():
        print("not running")
        return 1
    else:
        print(json.dumps({"health": health(json.loads((var / STATE).read_text())["api_port"])}, indent=2))
    # supervisord's own view; more with `supervisorctl -c var/stack/supervisord.conf restart|tail NAME`.
    ctl = [sys.executable, "-m", "supervisor.supervisorctl", "-c", str(var / CONF), "status"]
    return subprocess.run(ctl).returncode


if __name__ == "__main__":
    sys.exit(main())
