"""The production-like stack natively (no Docker): Airflow's scheduler, DAG processor, triggerer and API
server on this machine's PostgreSQL (metadata and warehouse in separate databases), the LocalExecutor
(or Celery on the local Redis), and the simulators serving the sources.

    python scripts/stack.py start [--var var/stack] [--api-port 8080] [--executor local|celery]
    python scripts/stack.py status
    python scripts/stack.py stop

Every process runs in its own session (process group) and carries ``HUB_STACK_ID`` in its environment;
``stop`` sends SIGINT to each group (Airflow stops cleanly on it; SIGTERM left workers running under
``standalone``), then SIGTERM, then SIGKILL, and finally sweeps any process still carrying the id.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from embedded import ROOT, Embedded, airflow_env, generate_sources  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
AIRFLOW = str(Path(sys.executable).with_name("airflow"))
STATE = "stack.json"


@dataclass
class StackConfig:
    """Where the stack keeps its state and what it connects to."""

    var: Path = ROOT / "var" / "stack"
    pg_admin_url: str = PG_ADMIN
    metadata_db: str = "hub_airflow"
    warehouse_db: str = "hub_warehouse"
    api_port: int = 8080
    executor: str = "local"  # or "celery" (the local Redis; needs the `celery` extra)
    redis_url: str = "redis://127.0.0.1:6379/5"
    parallelism: int = 4  # a 2-core machine: more task processes only queue for the CPU
    triggerer: bool = True
    task_retries: int | None = None  # None: each DAG's retries from orchestration/schedules.yaml
    seed: int = 7
    records: int = 6000
    start: str | None = None  # first simulated day; default: yesterday in Beijing
    days: int = 2
    extra_env: dict[str, str] = field(default_factory=dict)

    def url(self, database: str) -> str:
        from sqlalchemy import make_url

        return make_url(self.pg_admin_url).set(database=database).render_as_string(hide_password=False)


def _state_path(var: Path) -> Path:
    return var / STATE


def create_databases(config: StackConfig) -> None:
    """Create the metadata and warehouse databases on the local PostgreSQL when missing."""
    import sqlalchemy as sa

    from warehouse.engine import with_driver

    admin = sa.create_engine(with_driver(config.pg_admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in (config.metadata_db, config.warehouse_db):
            if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def _secret(var: Path, name: str) -> str:
    """A secret kept in ``var`` (mode 0600) so that a restarted stack keeps it."""
    path = var / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def stack_env(config: StackConfig, sim_url: str, stack_id: str) -> dict[str, str]:
    """Airflow's and the hub's environment: PostgreSQL metadata and warehouse, connections as AIRFLOW_CONN_*."""
    from warehouse.engine import with_driver

    emb = Embedded(var=config.var, database_url=with_driver(config.url(config.warehouse_db)))
    env = airflow_env(emb, sim_url, _secret(config.var, "simulator.token"))
    env.pop("HUB_TASK_RETRIES", None)
    if config.task_retries is not None:
        env["HUB_TASK_RETRIES"] = str(config.task_retries)
    metadata = with_driver(config.url(config.metadata_db))
    env.update(
        {
            "HUB_STACK_ID": stack_id,
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata,
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": metadata.replace("+psycopg2://", "+asyncpg://", 1),
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor" if config.executor == "celery" else "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": str(config.parallelism),
            "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": str(config.parallelism),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{config.api_port}/execution/",
            "AIRFLOW__API__PORT": str(config.api_port),
            "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{config.api_port}",
            "AIRFLOW__API_AUTH__JWT_SECRET": _secret(config.var, "jwt.secret"),
            "AIRFLOW__API__SECRET_KEY": _secret(config.var, "api.secret"),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
            "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "30",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(config.var / "logs" / "tasks"),
            "AIRFLOW__CELERY__BROKER_URL": config.redis_url,
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + metadata,
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(config.parallelism),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(
                config.var / "airflow" / "passwords.json"
            ),
        }
    )
    env.update(config.extra_env)
    return env


def _spawn(name: str, cmd: list[str], env: dict[str, str], logs: Path) -> subprocess.Popen[bytes]:
    """Start ``cmd`` in its own session (a process group ``stop`` can signal as one), logging to a file."""
    log = (logs / f"{name}.log").open("ab")
    # A background shell ignores SIGINT, and children inherit that: restore the default handler.
    return subprocess.Popen(
        cmd,
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait_for(what: str, ready: Any, timeout: float, procs: dict[str, subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        dead = [n for n, p in procs.items() if p.poll() is not None]
        if dead:
            raise RuntimeError(f"{', '.join(dead)} exited while waiting for {what}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not ready after {timeout:.0f}s")
        time.sleep(1)


def health(api_port: int) -> dict[str, Any] | None:
    """The API server's health document (scheduler, DAG processor, triggerer heartbeats), or ``None``."""
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{api_port}/api/v2/monitor/health", timeout=3
        ) as response:
            data: dict[str, Any] = json.load(response)
            return data
    except (OSError, ValueError):
        return None


def _healthy(api_port: int, components: tuple[str, ...]) -> bool:
    data = health(api_port)
    return bool(data) and all((data or {}).get(c, {}).get("status") == "healthy" for c in components)


def _default_start() -> str:
    return (datetime.now(ZoneInfo("Asia/Shanghai")).date() - timedelta(days=1)).isoformat()


def start(config: StackConfig) -> dict[str, Any]:
    """Start the stack (idempotent on the databases and the simulated sources); returns its state.

    Raises:
        RuntimeError: a stack already runs from ``config.var``, or a process died while starting.
    """
    config.var.mkdir(parents=True, exist_ok=True)
    if _state_path(config.var).exists():
        raise RuntimeError(f"a stack is already running from {config.var} (stop it first)")
    logs = config.var / "logs"
    logs.mkdir(exist_ok=True)
    stack_id = uuid.uuid4().hex
    create_databases(config)
    emb = Embedded(var=config.var, database_url="")
    if not (emb.sources / "manifest.json").exists():
        generate_sources(emb, config.seed, config.records, config.start or _default_start(), config.days)
    procs: dict[str, subprocess.Popen[bytes]] = {}
    state: dict[str, Any] = {
        "stack_id": stack_id,
        "var": str(config.var),
        "api_port": config.api_port,
        "processes": {},
    }
    try:
        port_file = config.var / "simulator.url"
        port_file.unlink(missing_ok=True)
        sim_env = {
            **os.environ,
            "HUB_SIM_TOKEN": _secret(config.var, "simulator.token"),
            "HUB_STACK_ID": stack_id,
        }
        procs["simulators"] = _spawn(
            "simulators",
            [
                sys.executable,
                "-m",
                "simulators",
                "serve",
                "--data",
                str(emb.sources),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--port-file",
                str(port_file),
            ],
            sim_env,
            logs,
        )
        state["processes"]["simulators"] = procs["simulators"].pid
        _save(config.var, state)
        _wait_for("the simulators", lambda: port_file.exists() and port_file.read_text().strip(), 60, procs)
        env = stack_env(config, port_file.read_text().strip(), stack_id)
        subprocess.run([AIRFLOW, "db", "migrate"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(
            [sys.executable, "-c", "from orchestration.ingest import prepare_warehouse as p; p()"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        commands = {
            "api-server": [AIRFLOW, "api-server", "--port", str(config.api_port)],
            "scheduler": [AIRFLOW, "scheduler"],
            "dag-processor": [AIRFLOW, "dag-processor"],
        }
        if config.triggerer:
            commands["triggerer"] = [AIRFLOW, "triggerer"]
        if config.executor == "celery":
            commands["celery-worker"] = [AIRFLOW, "celery", "worker"]
        for name, cmd in commands.items():
            procs[name] = _spawn(name, cmd, env, logs)
            state["processes"][name] = procs[name].pid
            _save(config.var, state)
        wanted = ("metadatabase", "scheduler", "dag_processor") + (("triggerer",) if config.triggerer else ())
        _wait_for("the API server and the scheduler", lambda: _healthy(config.api_port, wanted), 240, procs)
    except BaseException:
        stop(config.var)
        raise
    state["env"] = {k: v for k, v in env.items() if k.startswith(("AIRFLOW", "HUB_", "PYTHONPATH"))}
    _save(config.var, state)
    return state


def _save(var: Path, state: dict[str, Any]) -> None:
    path = _state_path(var)
    path.write_text(json.dumps(state, indent=2), encoding="utf-8")
    path.chmod(0o600)  # it holds the connections' secrets


def stack_processes(stack_id: str, ports: Iterable[int] = ()) -> list[int]:
    """Every live process of the stack: those whose environment carries ``HUB_STACK_ID=<stack_id>`` (they
    were started by it), and those listening on one of its ``ports``.

    The second kind matters: Airflow's API server re-titles itself (which overwrites the environment
    /proc shows) and its server process leaves the process group it was started in, so only its
    listening socket still says whose it is.
    """
    marker = f"HUB_STACK_ID={stack_id}".encode()
    found = set(listeners(ports))
    for entry in _processes():
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0") and _running(entry):
                found.add(int(entry.name))
        except OSError:
            continue
    return sorted(found)


def listeners(ports: Iterable[int]) -> list[int]:
    """The processes holding a listening TCP socket on one of ``ports`` (from /proc, no tools needed)."""
    wanted = {int(p) for p in ports}
    sockets = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) in wanted:  # 0A: LISTEN
                sockets.add(f"socket:[{fields[9]}]")
    found = []
    if not sockets:
        return found
    for entry in _processes():
        try:
            if any(os.readlink(fd) in sockets for fd in (entry / "fd").iterdir()) and _running(entry):
                found.append(int(entry.name))
        except OSError:
            continue
    return sorted(found)


def descendants(roots: Iterable[int]) -> dict[int, int]:
    """Every live process below ``roots`` by parent PID, whatever process group or session it moved to,
    with its start time (so that a PID reused later is not taken for it).

    Taken before signalling: a server process that left its group while the stack was still starting
    (not yet listening, its environment already overwritten by its new title) is found only this way.
    """
    children: dict[int, list[tuple[int, int]]] = {}
    for entry in _processes():
        fields = _stat(entry)
        if fields is not None and fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append((int(entry.name), int(fields[19])))
    found: dict[int, int] = {}
    todo = list(roots)
    while todo:
        for child, started in children.get(todo.pop(), []):
            if child not in found:
                found[child] = started
                todo.append(child)
    return found


def _alive(processes: dict[int, int]) -> list[int]:
    """Those of ``processes`` (PID: start time) still running: not exited, not a zombie, not a reused PID."""
    alive = []
    for pid, started in processes.items():
        fields = _stat(Path(f"/proc/{pid}"))
        if fields is not None and fields[0] != "Z" and int(fields[19]) == started:
            alive.append(pid)
    return alive


def process_state(pid: int) -> str | None:
    """The process's state letter (``R``, ``S``, ``Z`` for a zombie …), or ``None`` once it is gone."""
    fields = _stat(Path(f"/proc/{pid}"))
    return fields[0] if fields is not None else None


def _processes() -> Iterator[Path]:
    """The /proc entries of every process but this one."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            yield entry


def _stat(entry: Path) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` after the command name (state, parent PID, …; the start time, in
    clock ticks after boot, is the 20th), or ``None`` once the process is gone."""
    try:
        return (entry / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _running(entry: Path) -> bool:
    """Neither gone nor a zombie."""
    fields = _stat(entry)
    return fields is not None and fields[0] != "Z"


def _stack_groups(stack_id: str, leaders: list[int]) -> list[int]:
    """The recorded process groups that still hold a process of this stack.

    A state file can outlive its processes (a crash, a reboot): a recorded PID may since belong to an
    unrelated process, whose group must not be signalled.
    """
    groups = set()
    for pid in stack_processes(stack_id):
        try:
            groups.add(os.getpgid(pid))
        except ProcessLookupError:
            continue
    return [pid for pid in leaders if pid in groups]


def _signal_groups(pids: Iterator[int] | list[int], sig: int) -> None:
    for pid in pids:
        try:
            os.killpg(pid, sig)  # each process was started as the leader of its own group
        except (ProcessLookupError, PermissionError):
            pass


def stop(var: Path, timeout: float = 30) -> list[int]:
    """Stop every process of the stack started from ``var``; returns any that survived (none, normally)."""
    path = _state_path(var)
    if not path.exists():
        return []
    state = json.loads(path.read_text(encoding="utf-8"))
    leaders = list(state["processes"].values())
    ports = [state["api_port"]]
    groups = _stack_groups(state["stack_id"], leaders)
    # Only below groups proven to be this stack's: a recorded PID may since belong to another program.
    tree = descendants(groups)

    def remaining() -> list[int]:
        return sorted(set(stack_processes(state["stack_id"], ports)) | set(_alive(tree)))

    for sig, wait in ((signal.SIGINT, timeout), (signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        _signal_groups(_stack_groups(state["stack_id"], leaders), sig)
        # Processes outside the recorded groups: the API server's listener and whatever left a group
        # while below it (a server shuts down gracefully on SIGINT), always; task processes that left
        # their group and are no longer below it, from SIGTERM on.
        strays = set(listeners(ports)) | set(_alive(tree))
        if sig != signal.SIGINT:
            strays |= set(stack_processes(state["stack_id"], ports))
        for pid in strays:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + wait
        while remaining() and time.monotonic() < deadline:
            _reap()
            time.sleep(0.5)
        if not remaining():
            break
    _reap()
    left = remaining()
    if not left:
        path.unlink()
    return left


def _reap() -> None:
    """Collect exited children of this process (when the stack was started from it, e.g. by a test)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


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
    if args.command == "status":
        if not _state_path(var).exists():
            print("not running")
            return 1
        state = json.loads(_state_path(var).read_text(encoding="utf-8"))
        print(json.dumps({"processes": state["processes"], "health": health(state["api_port"])}, indent=2))
        return 0
    config = StackConfig(
        var=var,
        pg_admin_url=args.pg,
        api_port=args.api_port,
        executor=args.executor,
        seed=args.seed,
        records=args.records,
        start=args.start,
    )
    state = start(config)
    print(
        f"stack up: Airflow UI at http://localhost:{args.api_port} (user admin, password in "
        f"{var / 'airflow' / 'passwords.json'}); logs in {var / 'logs'}; `make stack-stop` stops it"
    )
    print("processes: " + ", ".join(f"{n}={p}" for n, p in state["processes"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
