"""docker-compose.yml is the production-like stack: its services, health checks, named volumes, pinned images
(the hub's built on the official Airflow image with the locked packages, run non-root under an init),
and the warehouse and Airflow's metadata in separate databases (checked by parsing, no Docker needed)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SERVICES = {
    "postgres",
    "redis",
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
    "simulators",
    "console",
    "superset",
}
AIRFLOW = SERVICES - {"postgres", "redis", "simulators", "console", "superset"}
LONG_RUNNING = SERVICES - {"airflow-init"}

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return data


def _database(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?")[0]


def test_every_service_of_the_stack_is_defined(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == SERVICES


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_images_are_pinned(compose: dict[str, Any], service: str) -> None:
    image = compose["services"][service].get("image")
    assert image, f"{service} names no image (a built one needs a versioned tag too)"
    name, _, tag = image.rpartition(":") if "@" not in image else (image, ":", "digest")
    assert name and tag and "/" not in tag, f"{service}: {image} has no tag"
    assert tag != "latest" and re.search(r"\d", tag), f"{service}: {image} is not pinned to a version"


@pytest.mark.parametrize("service", sorted(LONG_RUNNING))
def test_long_running_services_have_health_checks(compose: dict[str, Any], service: str) -> None:
    check = compose["services"][service].get("healthcheck")
    assert check and check.get("test") and check.get("interval") and check.get("retries"), service


def test_airflow_waits_for_healthy_dependencies_and_a_finished_init(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in AIRFLOW - {"airflow-init"}:
        depends = services[name]["depends_on"]
        assert depends["postgres"] == {"condition": "service_healthy"}, name
        assert depends["redis"] == {"condition": "service_healthy"}, name
        assert depends["airflow-init"] == {"condition": "service_completed_successfully"}, name
    assert services["airflow-init"]["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert services["airflow-init"]["restart"] == "no"
    assert services["airflow-worker"]["depends_on"]["simulators"] == {"condition": "service_healthy"}


def test_state_lives_in_named_volumes(compose: dict[str, Any]) -> None:
    declared = set(compose["volumes"])
    assert {"pg-data", "hub-var"} <= declared
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} mounts undeclared volume {source}"
    assert "pg-data:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]


def test_warehouse_and_airflow_metadata_are_separate_databases(compose: dict[str, Any]) -> None:
    env = compose["services"]["airflow-scheduler"]["environment"]
    metadata = _database(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    warehouse = _database(env["HUB_DATABASE_URL"])
    assert metadata != warehouse
    assert compose["services"]["postgres"]["environment"]["POSTGRES_DB"] == warehouse
    init_sql = (ROOT / "docker" / "init-databases.sql").read_text(encoding="utf-8")
    assert re.search(rf"CREATE DATABASE {metadata}\b", init_sql)
    assert _database(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"]) == metadata
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:")


def test_every_source_has_a_connection_and_every_variable_an_example(
    compose: dict[str, Any], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from connectors.__main__ import main
    from connectors.registry import CONNECTORS

    # No connection is written by hand: airflow-init imports what the registry derives.
    env = compose["services"]["airflow-worker"]["environment"]
    assert not [name for name in env if name.startswith("AIRFLOW_CONN_COMPLAINTS_")]
    init = compose["services"]["airflow-init"]["command"]
    derived = re.search(r"python -m connectors connections ([^>]*)>\s*(\S+?)\)?\s", init)
    assert derived, "airflow-init does not derive the sources' connections"
    assert re.search(rf"airflow connections import --overwrite {re.escape(derived.group(2))}\b", init)
    monkeypatch.setenv("HUB_SIM_TOKEN", "t0ken")
    assert main(["connections", *shlex.split(derived.group(1))]) == 0
    connections = json.loads(capsys.readouterr().out)
    assert set(connections) == {cls.conn_id for cls in CONNECTORS}
    assert connections["complaints_hotline"]["password"] == "t0ken"
    assert connections["complaints_hotline"]["extra"]["base_url"] == "http://simulators:8765"
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)", text))
    example = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert used <= example, f"missing from .env.example: {sorted(used - example)}"
    assert "HUB_SIM_TOKEN" in example  # the token the connections carry (env_file: .env)


def test_the_image_is_built_from_a_pinned_base_with_every_package() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    base = re.search(r"^FROM (\S+)", dockerfile, re.M)
    assert base and re.search(r":\d+\.\d+\.\d+", base.group(1)), "the base image is not pinned"
    for package in ("connectors", "matching", "warehouse", "expectations", "orchestration", "dags"):
        assert f"COPY {package} {package}" in dockerfile, package


def test_the_image_is_the_official_airflow_image_at_the_pinned_versions() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    bases = re.findall(r"^FROM (\S+)", dockerfile, re.M)
    assert len(bases) == 1, bases
    official = re.fullmatch(r"apache/airflow:(\d+\.\d+\.\d+)-python(\d+\.\d+)", bases[0])
    assert official, f"{bases[0]} is not the official Airflow image at a pinned Airflow and Python version"
    pinned = re.search(r'"apache-airflow==([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pinned and official.group(1) == pinned.group(1), "the image's Airflow is not pyproject.toml's"
    assert official.group(2) == "3.11"


def test_the_image_installs_every_package_at_its_locked_version() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    copied = re.search(r"^COPY (.*) \./$", dockerfile, re.M)
    assert copied and "constraints.txt" in copied.group(1).split()
    installs = re.findall(r"^RUN pip install .*$", dockerfile, re.M)
    assert installs and all("-c constraints.txt" in line for line in installs), installs


def test_the_hub_services_run_as_a_non_root_user_under_an_init(compose: dict[str, Any]) -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users and users[-1] == "airflow", "the image's last USER is not the official image's airflow"
    image = compose["x-airflow"]["image"]
    hub = {name for name, service in compose["services"].items() if service.get("image") == image}
    assert hub == AIRFLOW | {"simulators", "console"}
    for name in hub:
        service = compose["services"][name]
        # As the official compose file: the host's user (default the image's airflow, 50000), group root.
        assert service["user"] == "${AIRFLOW_UID:-50000}:0", name
        assert service["init"] is True, name


def test_superset_reads_the_warehouse_as_its_roles_from_its_own_pinned_image(compose: dict[str, Any]) -> None:
    superset = compose["services"]["superset"]
    assert superset["depends_on"]["airflow-init"] == {"condition": "service_completed_successfully"}
    # The roles it logs in as exist once airflow-init has run `python -m warehouse roles`.
    assert "python -m warehouse roles" in compose["services"]["airflow-init"]["command"]
    assert "deploy.py up" in superset["command"] and "@" not in superset["command"]  # no user in the URL
    dockerfile = (ROOT / superset["build"]["dockerfile"]).read_text(encoding="utf-8")
    base = re.search(r"^FROM (\S+)", dockerfile, re.M)
    assert base and re.search(r":3\.11\.\d+", base.group(1))
    assert re.search(r"^RUN pip install .*-r /opt/dashboards/requirements\.txt$", dockerfile, re.M)
    assert re.findall(r"^USER (\S+)", dockerfile, re.M)[-1] != "root"
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in (
        "HUB_READER_PASSWORD",
        "HUB_AUDITOR_PASSWORD",
        "SUPERSET_ADMIN_PASSWORD",
        "SUPERSET_SECRET_KEY",
    ):
        assert re.search(rf"^{name}=", example, re.M), name
